"""Authentication never loops: one login per refusal, one re-login per expiry, and a
server that always answers with the login page costs a bounded number of requests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.backoffice.errors import AuthenticationError
from sonnys_tui.simulator import Simulator

from .conftest import employee_args, make_client, warm

Operation = Callable[[SonnysBackofficeClient], Any]

OPERATIONS: dict[str, Operation] = {
    "list_sites": lambda c: c.list_sites(),
    "list_employees": lambda c: c.list_employees(refresh=True),
    "disable": lambda c: c.disable_employee(
        pos_user_id=next(r.pos_user_id for r in c.list_employees(active="active") if r.pos_user_id)
    ),
    "create": lambda c: c.create_employee(**employee_args(c)),
    "bo_user": lambda c: c.create_backoffice_user(
        username="auth_user", email="auth@example.com", permission="user",
        first_name="Auth", last_name="User",
    ),
}  # fmt: skip


def _logins(sim: Simulator) -> int:
    return sum(1 for r in sim.requests if r.path == "/login_check")


def _writes(sim: Simulator) -> int:
    return sum(1 for r in sim.requests if r.method == "POST" and r.path != "/login_check")


@pytest.mark.parametrize("bad_login", ["redirect", "page200"])
@pytest.mark.parametrize("operation", ["list_sites", "disable", "bo_user"])
def test_wrong_password_is_exactly_one_login(bad_login: str, operation: str) -> None:
    sim = Simulator.demo()
    sim.settings.bad_login = bad_login  # type: ignore[assignment]
    with (
        make_client(sim, password="wrong-password") as client,
        pytest.raises(AuthenticationError) as info,
    ):
        OPERATIONS[operation](client)
    assert info.value.step == "login"
    assert _logins(sim) == 1 and _writes(sim) == 0
    assert len(sim.requests) <= 2  # the login and at most its redirect


def test_wrong_password_before_a_hire_writes_nothing() -> None:
    sim = Simulator.demo()
    good = make_client(sim)
    args = employee_args(good)
    good.close()
    sim.requests.clear()
    with make_client(sim, password="wrong-password") as client, pytest.raises(AuthenticationError):
        client.create_employee(**args)
    assert _logins(sim) == 1 and _writes(sim) == 0


@pytest.mark.parametrize("variant", ["redirect", "login200"])
@pytest.mark.parametrize("operation", ["list_employees", "disable", "create", "bo_user"])
def test_expiry_relogs_exactly_once(variant: str, operation: str) -> None:
    sim = Simulator.demo()
    sim.settings.expired_session = variant  # type: ignore[assignment]
    with make_client(sim) as client:
        warm(client)
        sim.requests.clear()
        sim.faults.expire_sessions()
        OPERATIONS[operation](client)
    assert _logins(sim) == 1


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_a_server_that_always_shows_the_login_page_is_bounded(operation: str) -> None:
    """Every page (GET and POST) is the login form, though the login itself "works"."""
    sim = Simulator.demo()
    with make_client(sim) as client:
        warm_args = employee_args(client) if operation == "create" else None
        sim.requests.clear()
        client.close()
    sim.faults.add(path="/*", method="GET", kind="login200", nth=None)
    for path in ("/employee/*", "/user/*"):
        sim.faults.add(path=path, method="POST", kind="login200", nth=None)
    with make_client(sim) as client, pytest.raises(AuthenticationError) as info:
        if warm_args is not None:
            client.create_employee(**warm_args)
        else:
            OPERATIONS[operation](client)
    assert "lost again" in str(info.value) or info.value.step == "login"
    assert _logins(sim) <= 2
    assert len(sim.requests) <= 8, [r.path for r in sim.requests]
    assert _writes(sim) <= 2  # one attempt and its single repeat after the re-login


def test_a_session_that_never_sticks_is_bounded() -> None:
    """The login is accepted but the very next request is logged out again, every time."""
    sim = Simulator.demo()
    sim.settings.session_lifetime_requests = 0
    with make_client(sim) as client, pytest.raises(AuthenticationError):
        client.list_employees()
    assert _logins(sim) <= 2 and len(sim.requests) <= 8


def test_after_an_auth_failure_the_next_call_tries_once_more() -> None:
    sim = Simulator.demo()
    bot = sim.store.user_by_username(sim.username)
    assert bot is not None
    bot.active = False  # the account is locked
    with make_client(sim) as client:
        for _ in range(3):
            with pytest.raises(AuthenticationError):
                client.list_sites()
        assert _logins(sim) == 3
        bot.active = True  # unlocked: the same client recovers
        assert client.list_sites()
    assert _logins(sim) == 4


@pytest.mark.parametrize("kind", ["500", "drop", "timeout"])
def test_a_failing_login_is_one_request_and_a_typed_error(kind: str) -> None:
    from sonnys_tui.backoffice.errors import BackofficeServerError

    sim = Simulator.demo()
    sim.faults.add(path="/login_check", method="POST", kind=kind)  # type: ignore[arg-type]
    with make_client(sim) as client:
        with pytest.raises(BackofficeServerError) as info:
            client.list_sites()
        assert info.value.step == "login"
        assert _logins(sim) == 1 and len(sim.requests) == 1
        assert client.list_sites()  # the next call logs in afresh
    assert _logins(sim) == 2
