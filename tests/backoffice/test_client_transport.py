"""Login, session expiry variants and a real loopback server."""

from __future__ import annotations

import pytest

from sonnys_tui.backoffice.errors import AuthenticationError, BackofficeConnectionError
from sonnys_tui.simulator import Simulator

from .conftest import make_client, new_employee


def _logins(sim: Simulator) -> int:
    return sum(1 for r in sim.requests if r.path == "/login_check")


@pytest.mark.parametrize("bad_login", ["redirect", "page200"])
def test_wrong_password_is_one_login_request(demo_sim: Simulator, bad_login: str) -> None:
    demo_sim.settings.bad_login = bad_login  # type: ignore[assignment]
    with make_client(demo_sim, password="not-the-password") as client:
        with pytest.raises(AuthenticationError) as info:
            client.list_sites()
        assert "not-the-password" not in str(info.value)
        with pytest.raises(AuthenticationError):
            client.list_sites()
    assert _logins(demo_sim) == 2  # one per call, never a loop
    assert not [r for r in demo_sim.requests if r.path == "/employee/create"]


@pytest.mark.parametrize("variant", ["redirect", "login200"])
def test_expired_session_variants(demo_sim: Simulator, variant: str) -> None:
    demo_sim.settings.expired_session = variant  # type: ignore[assignment]
    with make_client(demo_sim) as client:
        client.list_sites()
        demo_sim.faults.expire_sessions()
        assert client.list_employees()
    assert _logins(demo_sim) == 2


def test_short_sessions_during_a_create(demo_sim: Simulator) -> None:
    demo_sim.settings.session_lifetime_requests = 4
    with make_client(demo_sim) as client:
        created = client.create_employee(**new_employee(client))
    assert demo_sim.store.employees[created.employee_id].grant_ids
    inserts = [r for r in demo_sim.requests if r.path == "/employee/insert" and r.status == 302]
    assert len(inserts) == 1


def test_login_page_served_on_a_page_twice_is_an_auth_error(demo_sim: Simulator) -> None:
    demo_sim.faults.add(path="/employee/create", method="GET", kind="login200", nth=None)
    with make_client(demo_sim) as client, pytest.raises(AuthenticationError, match="lost again"):
        client.list_sites()
    assert _logins(demo_sim) == 2


def test_stats_count_requests_and_bytes(demo_sim: Simulator) -> None:
    with make_client(demo_sim) as client:
        client.list_sites()
        assert client.stats.requests == len(demo_sim.requests)
        assert client.stats.bytes_received > 1000
        client.stats.reset()
        client.list_sites()
        assert client.stats.requests == 0
        client.list_sites(refresh=True)
        assert client.stats.requests == 1


def test_over_a_real_loopback_server(demo_sim: Simulator) -> None:
    with demo_sim.serve() as base_url:
        assert base_url.startswith("http://127.0.0.1")
        with make_client(demo_sim, base_url=base_url, transport=None) as client:
            created = client.create_employee(**new_employee(client))
            disabled = client.disable_employee(pos_user_id=created.pos_user_id)
            assert client.get_employee(created.employee_id).active is False
    assert disabled.employee_id == created.employee_id
    assert not demo_sim.store.employees[created.employee_id].active


def test_loopback_timeout_is_a_connection_error(demo_sim: Simulator) -> None:
    demo_sim.faults.timeout_seconds = 2.0
    demo_sim.faults.add(path="/employee/create", method="GET", kind="timeout")
    with (
        demo_sim.serve() as base_url,
        make_client(demo_sim, base_url=base_url, transport=None, timeout=0.5) as client,
    ):
        with pytest.raises(BackofficeConnectionError):
            client.list_sites()
        assert client.list_sites()  # the next call works


def test_session_lost_right_after_the_insert_does_not_insert_twice(demo_sim: Simulator) -> None:
    with make_client(demo_sim) as client:
        args = new_employee(client)
        client.list_permissions(scope="pos")  # so the next permissions page is the new one's
        demo_sim.faults.add(path="/employee/permissions/*", method="GET", kind="login200")
        created = client.create_employee(**args)
    assert demo_sim.store.employees[created.employee_id].grant_ids
    assert sum(1 for r in demo_sim.requests if r.path == "/employee/insert") == 1
