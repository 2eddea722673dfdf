"""The fault matrix of the Back Office user writes and of offboarding: every step of
each operation crossed with every fault (as in ``test_fault_matrix.py``).

=========================  ==========================================================
disable_backoffice_user    edit page, update, verify
enable_backoffice_user     edit page, update, verify
set_backoffice_permissions permissions page, save, its landing (the read-back)
reset_backoffice_password  edit page, update, verify
offboard_employee          employee edit page, user search, login edit page, login
                           update, login verify, employee update, employee verify
reinstate_employee         employee edit page, user search, login edit page, employee
                           update, employee verify, login update, login verify
=========================  ==========================================================

Each cell ends in success or in the expected typed exception; the exception's text
names the failed step and tells the truth about every part of the tenant it speaks of
(checked against the store, ``wrote_nothing`` included), and nothing the operation did
not target changes. An offboarding or reinstatement that stopped after a verified
write raises ``IncompleteError``; after every failing cell, running the operation again
on a clean server completes it with no write of what was done.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient, formcheck
from sonnys_tui.backoffice.errors import (
    BackofficeError,
    BackofficeServerError,
    IncompleteError,
)
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import BoUser, Employee

from .conftest import make_client, snapshot, warm
from .matrix import ERRORS, READ_FAULTS, WRITE_FAULTS

DISABLE_BO = "disable_backoffice_user"
ENABLE_BO = "enable_backoffice_user"
PERMISSIONS = "set_backoffice_permissions"
RESET = "reset_backoffice_password"
OFFBOARD = "offboard_employee"
REINSTATE = "reinstate_employee"
OPS = (DISABLE_BO, ENABLE_BO, PERMISSIONS, RESET, OFFBOARD, REINSTATE)

EDIT_FORM = f"#{formcheck.USER_EDIT.form_id}"
PERMS_FORM = f"#{formcheck.USER_PERMISSIONS.form_id}"
EMPLOYEE_FORM = f"#{formcheck.EMPLOYEE_EDIT.form_id}"
USER_LIST = ".table-users-list"
NEW_PASSWORD = "Matrix-New-Pw-42"


@dataclass(frozen=True)
class Step:
    op: str
    name: str
    method: str
    path: str
    nth: int = 1
    selector: str = ""
    landing: bool = False  # the page a write redirects to: the write already happened
    after_write: bool = False  # a write of the operation has taken effect before this step


def _user_status_steps(op: str) -> list[Step]:
    return [
        Step(op, "edit page", "GET", "/user/edit/*", 1, EDIT_FORM),
        Step(op, "update", "POST", "/user/update"),
        Step(op, "verify", "GET", "/user/edit/*", 2, EDIT_FORM),
    ]


STEPS: list[Step] = [
    *_user_status_steps(DISABLE_BO),
    *_user_status_steps(ENABLE_BO),
    *_user_status_steps(RESET),
    Step(PERMISSIONS, "permissions page", "GET", "/user/permissions/*", 1, PERMS_FORM),
    Step(PERMISSIONS, "save", "POST", "/user/permissions/update"),
    Step(PERMISSIONS, "verify", "GET", "/user/permissions/*", 2, PERMS_FORM, landing=True),
    Step(OFFBOARD, "employee edit page", "GET", "/employee/edit/*", 1, EMPLOYEE_FORM),
    Step(OFFBOARD, "user search", "GET", "/user", 1, USER_LIST),
    Step(OFFBOARD, "login edit page", "GET", "/user/edit/*", 1, EDIT_FORM),
    Step(OFFBOARD, "login update", "POST", "/user/update"),
    Step(OFFBOARD, "login verify", "GET", "/user/edit/*", 2, EDIT_FORM, after_write=True),
    Step(OFFBOARD, "employee update", "POST", "/employee/update", after_write=True),
    Step(OFFBOARD, "employee verify", "GET", "/employee/edit/*", 2, EMPLOYEE_FORM,
         after_write=True),
    Step(REINSTATE, "employee edit page", "GET", "/employee/edit/*", 1, EMPLOYEE_FORM),
    Step(REINSTATE, "user search", "GET", "/user", 1, USER_LIST),
    Step(REINSTATE, "login edit page", "GET", "/user/edit/*", 1, EDIT_FORM),
    Step(REINSTATE, "employee update", "POST", "/employee/update"),
    Step(REINSTATE, "employee verify", "GET", "/employee/edit/*", 2, EMPLOYEE_FORM,
         after_write=True),
    Step(REINSTATE, "login update", "POST", "/user/update", after_write=True),
    Step(REINSTATE, "login verify", "GET", "/user/edit/*", 2, EDIT_FORM, after_write=True),
]  # fmt: skip


def expected(step: Step, kind: str, when: str) -> str | type[BackofficeError]:
    """ "ok" or the exception type."""
    if kind in ("login200", "expire"):
        return "ok"  # one re-login, the step repeated (a repeated update sets the same)
    if step.landing:
        return "ok"  # the save happened; its read-back is read again
    if step.op == RESET and step.method == "POST" and kind != "alert":
        # A password cannot be read back: an unknown outcome stays unknown, never re-sent.
        return BackofficeServerError
    if step.method == "POST" and when == "after":
        return "ok"  # the write happened: reconciled by reading it back
    if step.after_write:
        return IncompleteError
    return ERRORS[kind]


@dataclass(frozen=True)
class Case:
    step: Step | None  # None: the session expired before the call
    op: str
    kind: str
    when: str
    tenant: str

    @property
    def id(self) -> str:
        where = self.step.name.replace(" ", "-") if self.step else "before-call"
        return f"{self.tenant}:{self.op}:{where}:{self.kind}-{self.when}"


CASES: list[Case] = [
    Case(step, step.op, kind, when, tenant)
    for tenant in ("hierarchical", "flat")
    for step in STEPS
    for kind, when in (WRITE_FAULTS if step.method == "POST" else READ_FAULTS)
] + [
    Case(None, op, "expire", "before-call", tenant)
    for tenant in ("hierarchical", "flat")
    for op in OPS
]


def test_matrix_size_is_visible() -> None:
    # 18 read steps x 6 faults + 8 write steps x 10 faults + 6 expired-before-call, x 2
    assert len(CASES) == len({c.id for c in CASES}) == (18 * 6 + 8 * 10 + 6) * 2 == 388


# ----------------------------------------------------------------------------- running


@dataclass
class Run:
    sim: Simulator
    client: SonnysBackofficeClient
    user: BoUser
    employee: Employee
    call: Callable[[], Any]


def _prepare(op: str, tenant: str) -> Run:
    sim = Simulator.demo() if tenant == "hierarchical" else Simulator.flat()
    user = next(u for u in sim.store.users.values() if u.employee_id is not None)
    employee = sim.store.employees[user.employee_id or 0]
    if op in (ENABLE_BO, REINSTATE):
        user.active = False
    if op == REINSTATE:
        employee.active = False
    client = make_client(sim)
    warm(client)
    sites = [s.name for s in client.list_sites()[:2]]
    calls: dict[str, Callable[[], Any]] = {
        DISABLE_BO: lambda: client.disable_backoffice_user(user_id=user.id),
        ENABLE_BO: lambda: client.enable_backoffice_user(user_id=user.id),
        PERMISSIONS: lambda: client.set_backoffice_permissions(
            user_id=user.id, template="user", sites=sites
        ),
        RESET: lambda: client.reset_backoffice_password(user_id=user.id, password=NEW_PASSWORD),
        OFFBOARD: lambda: client.offboard_employee(employee_id=employee.id),
        REINSTATE: lambda: client.reinstate_employee(employee_id=employee.id, backoffice=True),
    }
    sim.requests.clear()
    return Run(sim, client, user, employee, calls[op])


def _inject(sim: Simulator, case: Case) -> None:
    if case.step is None:
        sim.faults.expire_sessions()
        return
    step = case.step
    sim.faults.add(
        path=step.path,
        method=step.method,
        nth=step.nth,
        kind=case.kind,  # type: ignore[arg-type]
        when=case.when,  # type: ignore[arg-type]
        alert_text="Something was refused by the server.",
        remove_selector=step.selector if case.kind == "markup" else "",
    )


def _wanted(run: Run, op: str) -> dict[str, bool]:
    """Whether each part the operation targets now holds what it should."""
    user, employee, store = run.user, run.employee, run.sim.store
    if op in (DISABLE_BO, ENABLE_BO):
        return {"user": user.active == (op == ENABLE_BO)}
    if op == PERMISSIONS:
        return {"user": user.tokens == set(store.bo_templates[3].tokens)}
    if op == RESET:
        return {"user": user.password == NEW_PASSWORD}
    wanted = op == REINSTATE
    return {"user": user.active == wanted, "employee": employee.active == wanted}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fault_matrix(case: Case) -> None:
    run = _prepare(case.op, case.tenant)
    before = snapshot(run.sim.store)
    _inject(run.sim, case)
    want = "ok" if case.step is None else expected(case.step, case.kind, case.when)
    error: BackofficeError | None = None
    try:
        run.call()
    except BackofficeError as exc:
        error = exc
    fired = case.step is None or any(f.seen >= case.step.nth for f in run.sim.faults.rules)
    assert fired, "the fault never matched a request: the step table is out of date"
    _assert_no_collateral(run, before)
    if want == "ok":
        assert error is None, f"expected success, got {type(error).__name__}: {error}"
        assert all(_wanted(run, case.op).values())
    else:
        assert isinstance(want, type)
        assert isinstance(error, want), f"expected {want.__name__}, got {error!r}"
        assert error is not None
        _assert_truthful(run, case, error)
        # Running it again on a server without faults finishes the job, and never
        # writes again what is already done.
        run.sim.faults.clear()
        state = _wanted(run, case.op)
        mark = len(run.sim.requests)
        run.call()
        assert all(_wanted(run, case.op).values())
        _assert_only_the_missing_is_written(run, case, state, mark)
    run.client.close()


# ----------------------------------------------------------------------------- checks


def _assert_no_collateral(run: Run, before: dict[str, Any]) -> None:
    after = snapshot(run.sim.store)
    assert set(after["users"]) == set(before["users"])
    assert set(after["employees"]) == set(before["employees"])
    for employee_id, data in before["employees"].items():
        now = dict(after["employees"][employee_id])
        if employee_id == run.employee.id:
            now["active"], now["status_changed"] = data["active"], data["status_changed"]
        assert now == data, f"employee {employee_id} changed"
    for user_id, data in before["users"].items():
        now = dict(after["users"][user_id])
        if user_id == run.user.id:
            for name in ("active", "password", "tokens", "site_ids", "all_sites"):
                now[name] = data[name]
        assert now == data, f"user {user_id} changed"


def _user_part(run: Run) -> str:
    return f"Back Office user {run.user.username} ({run.user.id})"


def _assert_truthful(run: Run, case: Case, error: BackofficeError) -> None:
    text = str(error)
    assert error.step and error.step in text, text
    assert error.state, f"no tenant state in {text!r}"
    done = _wanted(run, case.op)
    changed = any(done.values())
    if case.op == RESET and not changed:
        assert error.wrote_nothing or "unknown" in error.state, text
    else:
        assert error.wrote_nothing == (not changed), text
    if case.op in (OFFBOARD, REINSTATE) and error.wrote_nothing:
        done_word = "offboarded" if case.op == OFFBOARD else "reinstated"
        assert f"{done_word}" in error.state or " is not " in error.state, text
    elif case.op in (OFFBOARD, REINSTATE):
        verb = "enable" if case.op == REINSTATE else "disable"
        parts = {"user": _user_part(run), "employee": f"employee {run.employee.id} ("}
        state = error.state
        for part, is_done in done.items():
            name = parts[part]
            assert name in state, f"{name!r} not named in {state!r}"
            start = state.index(name)
            claim = state[start : state.find(";", start) if ";" in state[start:] else None]
            if is_done:
                assert f"not {verb}d" not in claim or "unknown" in claim, text
            else:
                assert f"not {verb}d" in claim or "unknown" in claim, text
        assert (isinstance(error, IncompleteError)) == changed or not error.wrote_nothing
        if isinstance(error, IncompleteError):
            assert f"run {case.op} again" in text
            assert isinstance(error.__cause__, BackofficeError)
    elif case.op in (DISABLE_BO, ENABLE_BO):
        verb = "enable" if case.op == ENABLE_BO else "disable"
        if changed:
            assert f"not {verb}d" not in text and f"{verb}d" in text, text
        else:
            assert f"was not {verb}d" in text, text


_WRITE_PATHS = {
    DISABLE_BO: {"user": "/user/update"},
    ENABLE_BO: {"user": "/user/update"},
    RESET: {"user": "/user/update"},
    PERMISSIONS: {"user": "/user/permissions/update"},
    OFFBOARD: {"user": "/user/update", "employee": "/employee/update"},
    REINSTATE: {"user": "/user/update", "employee": "/employee/update"},
}


def _assert_only_the_missing_is_written(
    run: Run, case: Case, state: dict[str, bool], mark: int
) -> None:
    """The rerun writes each part the failed run left undone, once, and nothing else (a
    password reset always writes: a password cannot be read to know it is done)."""
    posted = [r.path for r in run.sim.requests[mark:] if r.method == "POST"]
    posted = [path for path in posted if path != "/login_check"]
    expected_posts = sorted(
        path for part, path in _WRITE_PATHS[case.op].items() if not state[part] or case.op == RESET
    )
    assert sorted(posted) == expected_posts, (state, posted)


def test_a_stop_never_leaves_an_active_login_of_an_inactive_employee() -> None:
    """Logins go first: whatever step of an offboarding fails, the tenant is never left
    with the risky half (login active, employee inactive)."""
    for step in (s for s in STEPS if s.op == OFFBOARD):
        for kind, when in WRITE_FAULTS if step.method == "POST" else READ_FAULTS:
            run = _prepare(OFFBOARD, "hierarchical")
            _inject(run.sim, Case(step, OFFBOARD, kind, when, "hierarchical"))
            with contextlib.suppress(BackofficeError):
                run.call()
            run.client.close()
            assert not (run.user.active and not run.employee.active), (step.name, kind, when)


def test_user_status_round_trip_keeps_the_record(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one record field a status write may change is ``active``."""
    run = _prepare(DISABLE_BO, "hierarchical")
    before = dataclasses.asdict(run.user)
    run.call()
    after = dataclasses.asdict(run.user)
    assert {k for k in before if before[k] != after[k]} == {"active"}
