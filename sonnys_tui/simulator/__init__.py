"""A local Sonny's Back Office: the demo tenant and the client's test double.

Imports neither the client library nor the TUI. Heavy modules load lazily.
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
