"""Answers to a write that carry nothing to read: a redirect with an empty body (valid
HTTP, what many proxies send) and a 200 with no body at all.

A redirect to the expected page is the answer: only its Location counts, and the
read-back verifies. An answer that cannot be read is "outcome unknown": the client reads
back before it says anything, and never says "nothing was written" unread. Every kind
of write is tried against each fault."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient as Client
from sonnys_tui.backoffice.errors import BackofficeError
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import BoUser, Employee

from .conftest import employee_args, make_client, warm

NEW_POS = 8801
NEW_LOGIN = "faulty_bo"


def _employee(sim: Simulator) -> Employee:
    """An active employee the roster lists, with no Back Office login."""
    linked = {u.employee_id for u in sim.store.users.values()}
    return min(
        (e for e in sim.store.employees.values() if e.active and e.site_ids and e.id not in linked),
        key=lambda e: e.id,
    )


def _login(sim: Simulator) -> BoUser:
    """An active Back Office login that is not the client's own."""
    return min(
        (u for u in sim.store.users.values() if u.active and u.username != sim.username),
        key=lambda u: u.id,
    )


def _other_pos_template(sim: Simulator, employee: Employee) -> str:
    return next(
        t.name
        for t in sim.store.pos_templates.values()
        if set(t.grant_ids) != employee.grant_ids and not t.view_only
    )


def _other_bo_template(sim: Simulator, user: BoUser) -> str:
    return next(
        t.name
        for t in sim.store.bo_templates.values()
        if set(t.tokens) != user.tokens and not t.view_only
    )


@dataclass(frozen=True)
class Write:
    """One kind of write: the POST it sends, how to make it, and how to see it done."""

    name: str
    path: str
    run: Callable[[Client, Simulator], object]
    done: Callable[[Simulator], bool]
    # A password cannot be read back: when its answer is unreadable, the outcome stays
    # unknown (never "nothing was written").
    unverifiable: bool = False


def _hire(client: Client, sim: Simulator) -> object:
    return client.create_employee(**employee_args(client))


def _hire_bo(client: Client, sim: Simulator) -> object:
    args = employee_args(client, requires_backoffice=True, backoffice_username=NEW_LOGIN)
    return client.create_employee(**args)


def _hired(sim: Simulator) -> bool:
    employee = sim.store.employee_by_pos_id(NEW_POS)
    return employee is not None and bool(employee.grant_ids)


def _hired_bo(sim: Simulator) -> bool:
    employee = sim.store.employee_by_pos_id(NEW_POS)
    users = [u for u in sim.store.users.values() if u.username == NEW_LOGIN]
    return (
        employee is not None
        and len(users) == 1
        and users[0].employee_id == employee.id
        and bool(users[0].tokens)
    )


def _new_user(client: Client, sim: Simulator) -> object:
    return client.create_backoffice_user(
        username=NEW_LOGIN,
        email="faulty.bo@example.com",
        permission="user",
        first_name="Stand",
        last_name="Alone",
    )


def _user_made(sim: Simulator) -> bool:
    users = [u for u in sim.store.users.values() if u.username == NEW_LOGIN]
    return len(users) == 1 and bool(users[0].tokens)


def _update(client: Client, sim: Simulator) -> object:
    plan = client.plan_update_employee(
        pos_user_id=_employee(sim).pos_user_id, phone="(555) 010-0166"
    )
    return client.apply_change(plan)


def _wage(client: Client, sim: Simulator) -> object:
    plan = client.plan_add_wage(
        pos_user_id=_employee(sim).pos_user_id, rate="17.35", effective_date=date(2027, 1, 4)
    )
    return client.apply_change(plan)


def _pos_template(client: Client, sim: Simulator) -> object:
    employee = _employee(sim)
    plan = client.plan_set_pos_permissions(
        pos_user_id=employee.pos_user_id, template=_other_pos_template(sim, employee)
    )
    return client.apply_change(plan)


def _bo_permissions(client: Client, sim: Simulator) -> object:
    user = _login(sim)
    return client.set_backoffice_permissions(
        user_id=user.id, template=_other_bo_template(sim, user)
    )


WRITES = [
    Write("hire: insert", "/employee/insert", _hire, _hired),
    Write("hire: POS permissions", "/employee/permissions/update", _hire, _hired),
    Write("hire with login: user insert", "/user/insert", _hire_bo, _hired_bo),
    Write("hire with login: its permissions", "/user/permissions/update", _hire_bo, _hired_bo),
    Write("new Back Office user: insert", "/user/insert", _new_user, _user_made),
    Write("new Back Office user: permissions", "/user/permissions/update", _new_user, _user_made),
    Write(
        "disable employee",
        "/employee/update",
        lambda c, s: c.disable_employee(pos_user_id=_employee(s).pos_user_id),
        lambda s: not _FIRST[id(s)].active,
    ),
    Write(
        "update employee",
        "/employee/update",
        _update,
        lambda s: _FIRST[id(s)].phone.endswith("0166"),
    ),
    Write(
        "add wage",
        "/employee/compensation/update",
        _wage,
        lambda s: any(w.effective_date == date(2027, 1, 4) for w in _FIRST[id(s)].wages),
    ),
    Write(
        "POS template",
        "/employee/permissions/update",
        _pos_template,
        lambda s: _FIRST[id(s)].grant_ids != _GRANTS[id(s)],
    ),
    Write(
        "disable Back Office user",
        "/user/update",
        lambda c, s: c.disable_backoffice_user(user_id=_login(s).id),
        lambda s: not _LOGIN[id(s)].active,
    ),
    Write(
        "reset Back Office password",
        "/user/update",
        lambda c, s: c.reset_backoffice_password(user_id=_login(s).id),
        lambda s: _LOGIN[id(s)].password != _PASSWORD[id(s)],
        unverifiable=True,
    ),
    Write(
        "Back Office template",
        "/user/permissions/update",
        _bo_permissions,
        lambda s: _LOGIN[id(s)].tokens != _TOKENS[id(s)],
    ),
]

# What each test's targets were before the write (the write changes them in place).
_FIRST: dict[int, Employee] = {}
_GRANTS: dict[int, set[int]] = {}
_LOGIN: dict[int, BoUser] = {}
_PASSWORD: dict[int, str] = {}
_TOKENS: dict[int, set[str]] = {}


@pytest.fixture
def sim() -> Simulator:
    sim = Simulator.demo()
    first, login = _employee(sim), _login(sim)
    _FIRST[id(sim)], _GRANTS[id(sim)] = first, set(first.grant_ids)
    _LOGIN[id(sim)], _PASSWORD[id(sim)], _TOKENS[id(sim)] = login, login.password, set(login.tokens)
    return sim


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
def test_an_empty_body_redirect_is_the_answer_and_the_read_back_verifies(
    sim: Simulator, write: Write
) -> None:
    with make_client(sim) as client:
        warm(client)
        sim.faults.add(path=write.path, method="POST", kind="emptybody")
        write.run(client, sim)
    assert write.done(sim)


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.name)
@pytest.mark.parametrize("when", ["before", "after"])
def test_an_unreadable_answer_is_read_back_never_said_unwritten_unread(
    sim: Simulator, write: Write, when: str
) -> None:
    """A 200 with no body: the write may or may not have happened."""
    with make_client(sim) as client:
        warm(client)
        sim.faults.add(path=write.path, method="POST", kind="blank", when=when)  # type: ignore[arg-type]
        try:
            result = write.run(client, sim)
        except BackofficeError as exc:
            if exc.wrote_nothing:  # said only once read back, and true
                assert not write.done(sim), str(exc)
                assert _read_after_the_post(sim, write.path), str(exc)
            assert when == "before" or write.unverifiable, str(exc)
            if write.unverifiable:
                assert "unknown" in str(exc) and not exc.wrote_nothing, str(exc)
            return
    if not write.done(sim):  # a login's template, a soft step: said on the result
        assert when == "before" and getattr(result, "warnings", ()), result
    assert when == "after" or not write.unverifiable


def _read_after_the_post(sim: Simulator, path: str) -> bool:
    """The client read something back after its (last) POST to ``path``."""
    posts = [i for i, r in enumerate(sim.requests) if r.method == "POST" and r.path == path]
    return bool(posts) and any(r.method == "GET" for r in sim.requests[posts[-1] + 1 :])
