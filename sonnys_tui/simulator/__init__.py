"""A local Sonny's Back Office: the demo tenant and the client's test double.

    sim = Simulator.demo()                      # or .flat(), .large(10_000, seed=1)
    client = httpx.Client(transport=sim.transport(), base_url="http://sim.test")
    with sim.serve() as base_url: ...           # or a real loopback server
    sim.store.employees[...]                    # what the server holds
    sim.requests                                # what it received
    sim.faults.add(path="/employee/update", kind="timeout", when="after")
    sim.settings.expired_session = "login200"   # the CONTRACT's unknowns

It implements the traps of CONTRACT.md (inverted site toggles, presence-means-checked,
full-replace updates, silently ignored wages, ...). Imports neither the client library
nor the TUI; heavy modules load lazily.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import RecordedRequest
    from .faults import Faults
    from .settings import Settings
    from .simulator import Simulator
    from .store import Store

__all__ = ["Faults", "RecordedRequest", "Settings", "Simulator", "Store"]

_HOMES = {
    "Simulator": ".simulator",
    "RecordedRequest": ".app",
    "Faults": ".faults",
    "Settings": ".settings",
    "Store": ".store",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        from importlib import import_module

        return getattr(import_module(_HOMES[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
