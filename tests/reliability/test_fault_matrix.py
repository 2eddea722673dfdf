"""The fault matrix: every step of every write operation crossed with every fault.

Operations (each on a fresh tenant, hierarchical and flat, with a warmed client, so
that the fault's ``nth`` counts only the operation's own requests):

=====================  ==================================================================
create_employee        duplicate check, insert form, insert, permissions page (the
                       insert's landing), save permissions, verify permissions
create_employee+bo     the linked Back Office user's steps: user form, user insert,
                       permissions page (the insert's landing), save, verify
disable_employee       lookup (the roster is left cold), edit page, update, verify
enable_employee        lookup (the roster is left cold), edit page, update, verify
create_backoffice_user user form, user insert, permissions page, save, verify
=====================  ==================================================================

Faults on a read (GET): 500, timeout, dropped connection, the login page served with
200, markup without the expected element, the session expiring just before it.
Faults on a write (POST): 500 / timeout / drop both *before* the server acts and
*after* it (the write happened but the answer was lost), the login page with 200
before and after it, an alert-danger refusal, the session expiring just before it.
Plus, per operation, the session expired before the call. 362 cells in all.

Every cell ends in success or in the expected typed exception, whose text names the
failed step and tells the truth about the tenant (checked against the store, including
``wrote_nothing``), and the store never has a duplicate nor a changed record the
operation did not target. Below the matrix: double faults (the reconciling read fails
too), inserts answered by the login page, and a write timing out on a real socket.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient, formcheck
from sonnys_tui.backoffice.errors import (
    BackofficeConnectionError,
    BackofficeError,
    BackofficeServerError,
)
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Employee

from .conftest import employee_args, make_client, snapshot, warm
from .matrix import ERRORS, READ_FAULTS, WRITE_FAULTS

CREATE = "create_employee"
CREATE_BO = "create_employee+bo"
DISABLE = "disable_employee"
ENABLE = "enable_employee"
BO_USER = "create_backoffice_user"

EMPLOYEE_FORM = f"#{formcheck.EMPLOYEE_EDIT.form_id}"
POS_FORM = f"#{formcheck.POS_PERMISSIONS.form_id}"
USER_FORM = f"#{formcheck.USER_CREATE.form_id}"
USER_PERMISSIONS_FORM = f"#{formcheck.USER_PERMISSIONS.form_id}"
EMPLOYEE_LIST = ".table-employees-list"

BO_USERNAME = "faulty_bo"
BO_EMAIL = "faulty.bo@example.com"


@dataclass(frozen=True)
class Step:
    op: str
    name: str
    method: str
    path: str
    nth: int = 1
    selector: str = ""  # what the markup fault removes from this page
    landing: bool = False  # the page a write redirects to: the write already happened
    soft: bool = False  # the operation reports a failure here as a warning on its result


def _bo_steps(op: str) -> list[Step]:
    return [
        Step(op, "user form", "GET", "/user/create", selector=USER_FORM),
        Step(op, "user insert", "POST", "/user/insert"),
        Step(op, "user permissions page", "GET", "/user/permissions/*", 1,
             USER_PERMISSIONS_FORM, landing=True, soft=True),
        Step(op, "save user permissions", "POST", "/user/permissions/update", soft=True),
        # The save redirects to the permissions page: that landing is its read-back.
        Step(op, "verify user permissions", "GET", "/user/permissions/*", 2,
             USER_PERMISSIONS_FORM, landing=True, soft=True),
    ]  # fmt: skip


def _status_steps(op: str) -> list[Step]:
    return [
        Step(op, "lookup", "GET", "/employee", selector=EMPLOYEE_LIST),
        Step(op, "edit page", "GET", "/employee/edit/*", 1, EMPLOYEE_FORM),
        Step(op, "update", "POST", "/employee/update"),
        Step(op, "verify", "GET", "/employee/edit/*", 2, EMPLOYEE_FORM),
    ]


STEPS: list[Step] = [
    Step(CREATE, "duplicate check", "GET", "/employee", selector=EMPLOYEE_LIST),
    Step(CREATE, "insert form", "GET", "/employee/create", selector=EMPLOYEE_FORM),
    Step(CREATE, "insert", "POST", "/employee/insert"),
    Step(CREATE, "permissions page", "GET", "/employee/permissions/*", 1, POS_FORM, landing=True),
    Step(CREATE, "save permissions", "POST", "/employee/permissions/update"),
    Step(CREATE, "verify permissions", "GET", "/employee/permissions/*", 2, POS_FORM),
    *_bo_steps(CREATE_BO),
    *_status_steps(DISABLE),
    *_status_steps(ENABLE),
    *_bo_steps(BO_USER),
]


def expected(step: Step, kind: str, when: str) -> str | type[BackofficeError]:
    """ "ok", "warn" (success with a warning) or the exception type."""
    if kind in ("login200", "expire"):
        return "ok"  # one re-login, the step repeated (or its landing read)
    if step.landing or when == "after":
        return "ok"  # the write happened: reconciled by reading it back
    if step.soft:
        return "warn"
    if kind == "alert" and step.op == CREATE_BO and step.name == "user insert":
        # A refused linked user is the server's doing ("the related employee must be
        # active"), not the caller's input: a server error, not a ValidationError.
        return BackofficeServerError
    return ERRORS[kind]


@dataclass(frozen=True)
class Case:
    step: Step | None  # None: the session expired before the call
    op: str
    kind: str
    when: str
    tenant: str = "hierarchical"

    @property
    def id(self) -> str:
        where = self.step.name.replace(" ", "-") if self.step else "before-call"
        return f"{self.tenant}:{self.op}:{where}:{self.kind}-{self.when}"


# Both tenant shapes: a site tree with regions and districts, and a flat one.
CASES: list[Case] = [
    Case(step, step.op, kind, when, tenant)
    for tenant in ("hierarchical", "flat")
    for step in STEPS
    for kind, when in (WRITE_FAULTS if step.method == "POST" else READ_FAULTS)
] + [
    Case(None, op, "expire", "before-call", tenant)
    for tenant in ("hierarchical", "flat")
    for op in (CREATE, CREATE_BO, DISABLE, ENABLE, BO_USER)
]


def test_matrix_size_is_visible() -> None:
    # 16 read steps x 6 faults + 8 write steps x 10 faults + 5 expired-before-call, x 2 tenants
    assert len(CASES) == len({c.id for c in CASES}) == (16 * 6 + 8 * 10 + 5) * 2 == 362


# ----------------------------------------------------------------------------- running


@dataclass
class Run:
    sim: Simulator
    client: SonnysBackofficeClient
    target: Employee | None  # disable/enable
    call: Callable[[], Any]


def _prepare(op: str, tenant: str = "hierarchical") -> Run:
    sim = Simulator.demo() if tenant == "hierarchical" else Simulator.flat()
    client = make_client(sim)
    # Disable/enable with a cold roster, so the lookup step is part of the matrix.
    warm(client, roster=op not in (DISABLE, ENABLE))
    target: Employee | None = None
    call: Callable[[], Any]
    if op in (CREATE, CREATE_BO):
        args = employee_args(client)
        if op == CREATE_BO:
            args.update(requires_backoffice=True, backoffice_username=BO_USERNAME)
        call = lambda: client.create_employee(**args)  # noqa: E731
    elif op in (DISABLE, ENABLE):
        wanted = op == ENABLE
        target = next(
            e for e in sim.store.employees.values()
            if e.active != wanted and e.site_ids and e.email and e.pos_user_id
        )  # fmt: skip
        pos_id = target.pos_user_id
        method = client.enable_employee if wanted else client.disable_employee
        call = lambda: method(pos_user_id=pos_id)  # noqa: E731
    else:
        call = lambda: client.create_backoffice_user(  # noqa: E731
            username=BO_USERNAME,
            email=BO_EMAIL,
            permission="user",
            first_name="Faulty",
            last_name="Standalone",
            available_sites=[client.list_sites()[0].name],
        )
    sim.requests.clear()
    return Run(sim, client, target, call)


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


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_fault_matrix(case: Case) -> None:
    run = _prepare(case.op, case.tenant)
    before = snapshot(run.sim.store)
    _inject(run.sim, case)
    want = "ok" if case.step is None else expected(case.step, case.kind, case.when)

    result: Any = None
    error: BackofficeError | None = None
    try:
        result = run.call()
    except BackofficeError as exc:
        error = exc
    finally:
        run.client.close()

    fired = case.step is None or any(f.seen >= (case.step.nth) for f in run.sim.faults.rules)
    assert fired, "the fault never matched a request: the step table is out of date"
    _assert_no_collateral(run, case, before)
    if error is not None:
        _assert_truthful_error(run, case, error)
    if want in ("ok", "warn"):
        assert error is None, f"expected success, got {type(error).__name__}: {error}"
        _assert_success(run, case, result, warned=want == "warn")
    else:
        assert isinstance(want, type)
        assert isinstance(error, want), f"expected {want.__name__}, got {error!r} / {result!r}"


# ----------------------------------------------------------------------------- checks


def _assert_no_collateral(run: Run, case: Case, before: dict[str, Any]) -> None:
    store = run.sim.store
    after = snapshot(store)
    pos_ids = [e.pos_user_id for e in store.employees.values() if e.pos_user_id]
    assert len(pos_ids) == len(set(pos_ids)), "duplicate POS User ID"
    usernames = [u.username.casefold() for u in store.users.values()]
    assert len(usernames) == len(set(usernames)), "duplicate username"
    new_employees = set(after["employees"]) - set(before["employees"])
    new_users = set(after["users"]) - set(before["users"])
    assert len(new_employees) <= (1 if case.op in (CREATE, CREATE_BO) else 0)
    assert len(new_users) <= (1 if case.op in (CREATE_BO, BO_USER) else 0)
    for employee_id, data in before["employees"].items():
        now = dict(after["employees"][employee_id])
        if run.target is not None and employee_id == run.target.id:
            now["active"], now["status_changed"] = data["active"], data["status_changed"]
        assert now == data, f"employee {employee_id} changed"
    assert {i: after["users"][i] for i in before["users"]} == before["users"]


def _assert_truthful_error(run: Run, case: Case, error: BackofficeError) -> None:
    text = str(error)
    assert error.step and error.step in text, text
    assert error.state, f"no tenant state in {text!r}"
    store = run.sim.store
    if case.op in (CREATE, CREATE_BO):
        employee = store.employee_by_pos_id(8801)
        if employee is None:
            assert re.search(r"employee was not (created|saved)|no employee was created", text)
            assert error.wrote_nothing, text
            return
        assert f"employee {employee.id} was created" in text, text
        assert not error.wrote_nothing, text
        if not employee.grant_ids:
            assert "permissions were not saved" in text, text
            return
        assert "permissions were not saved" not in text, text
        if case.op == CREATE_BO:
            user = store.user_by_username(BO_USERNAME)
            if user is None:
                assert "Back Office user was not" in text, text
            else:
                assert f"Back Office user {user.id}" in text or BO_USERNAME in text, text
    elif case.op in (DISABLE, ENABLE):
        assert run.target is not None
        verb = "disable" if case.op == DISABLE else "enable"
        changed = run.target.active == (case.op == ENABLE)
        if changed:
            assert f"not {verb}d" not in text and f"{verb}d" in text, text
            assert not error.wrote_nothing, text
        else:
            assert f"was not {verb}d" in text, text
            assert error.wrote_nothing, text
    else:
        user = store.user_by_username(BO_USERNAME)
        if user is None:
            assert "Back Office user was not created" in text, text
            assert error.wrote_nothing, text
        else:
            assert str(user.id) in text and "was created" in text, text
            assert not error.wrote_nothing, text


def _assert_success(run: Run, case: Case, result: Any, *, warned: bool) -> None:
    store = run.sim.store
    if case.op in (CREATE, CREATE_BO):
        employee = store.employees[result.employee_id]
        assert employee.pos_user_id == 8801 and employee.first_name == "Faulty"
        template = next(t for t in store.pos_templates.values() if t.name == result.permission)
        assert employee.grant_ids == set(template.grant_ids)
        if case.op == CREATE_BO:
            _assert_bo_user(run, result.backoffice_user, warned, employee.id)
        else:
            assert not result.warnings
    elif case.op in (DISABLE, ENABLE):
        assert run.target is not None
        assert run.target.active == (case.op == ENABLE)
        assert result.employee_id == run.target.id and not result.already
    else:
        _assert_bo_user(run, result, warned, None)


def _assert_bo_user(run: Run, created: Any, warned: bool, employee_id: int | None) -> None:
    user = run.sim.store.users[created.user_id]
    assert user.username == BO_USERNAME and user.employee_id == employee_id
    template = next(t for t in run.sim.store.bo_templates.values() if t.name == created.permission)
    applied = user.tokens == set(template.tokens)
    if warned:
        assert not created.permission_applied and created.warnings
        if applied:  # the save went through; only its confirmation was lost
            assert "not applied" not in " ".join(created.warnings), created.warnings
    else:
        assert created.permission_applied and applied and not created.warnings


# ----------------------------------------------------------------------------- no blind resend


@pytest.mark.parametrize(("when", "posts"), [("before", 2), ("after", 1)])
@pytest.mark.parametrize("path", ["/employee/insert", "/user/insert"])
def test_an_insert_answered_by_the_login_page_is_reconciled_before_any_resend(
    when: str, posts: int, path: str
) -> None:
    """The login page served at the insert's own URL: nobody can tell whether it was
    processed. The client looks the record up; it sends the insert again only when the
    record does not exist ("before"), never when it does ("after")."""
    run = _prepare(CREATE_BO)
    run.sim.faults.add(path=path, method="POST", kind="login200", when=when)  # type: ignore[arg-type]
    created = run.call()
    run.client.close()
    assert sum(1 for r in run.sim.requests if r.path == path) == posts
    assert run.sim.store.employees[created.employee_id].pos_user_id == 8801
    assert run.sim.store.users[created.backoffice_user.user_id].username == BO_USERNAME
    logins = [r for r in run.sim.requests if r.path == "/login_check"]
    assert len(logins) == 1


# ----------------------------------------------------------------------------- double faults


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize(
    ("op", "write", "lookup", "nth"),
    [  # nth: the reconciling read is the operation's nth GET of that path
        (CREATE, "/employee/insert", "/employee", 2),
        (BO_USER, "/user/insert", "/user", 1),
        (DISABLE, "/employee/update", "/employee/edit/*", 2),
    ],
)
def test_a_write_whose_reconciliation_also_fails_says_the_outcome_is_unknown(
    op: str, write: str, lookup: str, nth: int, when: str
) -> None:
    """The write times out and the read that should reconcile it fails too: the error
    must neither claim the write happened nor that it did not."""
    run = _prepare(op)
    before = snapshot(run.sim.store)
    run.sim.faults.add(path=write, method="POST", kind="timeout", when=when)  # type: ignore[arg-type]
    run.sim.faults.add(path=lookup, method="GET", kind="500", nth=nth)
    with pytest.raises(BackofficeError) as info:
        run.call()
    run.client.close()
    error = info.value
    assert error.state and "unknown" in error.state and not error.wrote_nothing, str(error)
    assert "look" in error.state or "read" in error.state  # it says what to do next
    writes = [r for r in run.sim.requests if r.method == "POST" and r.path == write]
    assert len(writes) == 1  # never re-sent while the outcome is unknown
    _assert_no_collateral(run, Case(None, op, "timeout", when), before)


# ----------------------------------------------------------------------------- over a socket


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_write_that_times_out_on_a_real_socket_is_reconciled(when: str) -> None:
    """The served simulator keeps the socket silent past the client's timeout."""
    run = _prepare(DISABLE)
    run.client.close()
    sim, target = run.sim, run.target
    assert target is not None
    sim.faults.timeout_seconds = 0.6
    sim.faults.add(path="/employee/update", method="POST", kind="timeout", when=when)  # type: ignore[arg-type]
    with (
        sim.serve() as base_url,
        make_client(sim, base_url=base_url, transport=None, timeout=0.2) as client,
    ):
        if when == "after":
            result = client.disable_employee(pos_user_id=target.pos_user_id)
            assert result.employee_id == target.id and not target.active
        else:
            with pytest.raises(BackofficeConnectionError) as info:
                client.disable_employee(pos_user_id=target.pos_user_id)
            assert info.value.wrote_nothing and target.active
    assert sum(1 for r in sim.requests if r.path == "/employee/update") == 1
