from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sonnys_tui.simulator import Simulator

from .browser import login


def client_for(sim: Simulator) -> httpx.Client:
    return httpx.Client(transport=sim.transport(), base_url="http://sim.test")


@pytest.fixture
def sim() -> Simulator:
    return Simulator.demo()


@pytest.fixture
def flat_sim() -> Simulator:
    return Simulator.flat()


@pytest.fixture
def client(sim: Simulator) -> Iterator[httpx.Client]:
    with client_for(sim) as c:
        assert login(c, sim.username, sim.password).status_code == 302
        yield c


@pytest.fixture
def flat_client(flat_sim: Simulator) -> Iterator[httpx.Client]:
    with client_for(flat_sim) as c:
        assert login(c, flat_sim.username, flat_sim.password).status_code == 302
        yield c
