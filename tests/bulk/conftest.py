"""Bulk-run test set-up: a demo simulator, a tenant on it whose lists a plan needs are
loaded, and a way to write a bulk file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sonnys_tui import bulk
from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.config import Profile
from sonnys_tui.simulator import Simulator
from sonnys_tui.tenant import Tenant

PROFILE = Profile(
    name="east", subdomain="east", username="bot", base_url="http://sim.test", use_cache=False
)
HIRE_HEADER = (
    "action,pos_user_id,first_name,last_name,phone,email,wage_rate,start_date,"
    "available_sites,departments,permission"
)


def hire_line(pos: int, first: str, last: str, phone: str, **cells: str) -> str:
    """A hire row in HIRE_HEADER's columns (cells override the defaults)."""
    values = {
        "email": f"{first}.{last}@example.com".lower(),
        "wage_rate": "15.50",
        "start_date": "2026-12-01",
        "available_sites": '"Demo Wash Fiesta, HARB"',
        "departments": '"Cashier, Greeter"',
        "permission": "Cashier",
        **cells,
    }
    return ",".join(["hire", str(pos), first, last, phone, *values.values()])


@pytest.fixture
def sim() -> Simulator:
    return Simulator.demo()


@pytest.fixture
def tenant(sim: Simulator) -> Iterator[Tenant]:
    with Tenant(PROFILE, client=SonnysBackofficeClient(**sim.client_kwargs())) as tenant:
        yield tenant


WriteCsv = Callable[[str], Path]


@pytest.fixture
def write_csv(tmp_path: Path) -> WriteCsv:
    def write(text: str, name: str = "people.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def planned(tenant: Tenant, path: Path, **kwargs: object) -> bulk.BulkPlan:
    """Read, load and plan ``path`` with the journal beside it."""
    data = bulk.read(path)
    bulk.load(tenant, data)
    journal = bulk.read_journal(bulk.RunFiles.beside(path).journal, tenant.name)
    return bulk.plan(tenant, data, journal=journal, **kwargs)  # type: ignore[arg-type]


def writes(sim: Simulator, since: int = 0) -> list[str]:
    """The write requests the server received since request number ``since``."""
    return [f"{r.method} {r.path}" for r in sim.requests[since:] if r.method == "POST"]


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulator]:
    """The demo tenant on a loopback port, as the saved profile "east"."""
    from sonnys_tui.config import save_profile

    sim = Simulator.demo()
    with sim.serve() as base_url:
        save_profile(
            Profile(name="east", subdomain="east", username=sim.username, base_url=base_url)
        )
        monkeypatch.setenv("SONNYS_PASSWORD", sim.password)
        yield sim


def run_cli(*argv: str) -> tuple[int, str, str]:
    import io

    from sonnys_tui.cli import main

    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()
