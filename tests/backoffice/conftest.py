from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.simulator import Simulator


@pytest.fixture(params=["demo", "flat"])
def sim(request: pytest.FixtureRequest) -> Simulator:
    return Simulator.demo() if request.param == "demo" else Simulator.flat()


@pytest.fixture
def demo_sim() -> Simulator:
    return Simulator.demo()


def make_client(sim: Simulator, **overrides: Any) -> SonnysBackofficeClient:
    return SonnysBackofficeClient(**sim.client_kwargs(**overrides))


@pytest.fixture
def client(sim: Simulator) -> Iterator[SonnysBackofficeClient]:
    with make_client(sim) as c:
        yield c


@pytest.fixture
def demo_client(demo_sim: Simulator) -> Iterator[SonnysBackofficeClient]:
    with make_client(demo_sim) as c:
        yield c


def new_employee(client: SonnysBackofficeClient, **overrides: Any) -> dict[str, Any]:
    """Keyword arguments for create_employee with a free POS id and two limited sites."""
    sites = client.list_sites()
    args: dict[str, Any] = {
        "first_name": "Testy",
        "last_name": "McFixture",
        "phone": "(555) 010-0142",
        "email": "testy.mcfixture@example.com",
        "pos_user_id": client.next_free_pos_user_id(),
        "wage_rate": "15.50",
        "start_date": date(2026, 5, 1),
        "available_sites": [sites[0].name, sites[2].code.lower()],
        "permission": "cashier",
        "departments": ["Greeter", "line"],
    }
    args.update(overrides)
    return args
