"""The fault matrix of the changes to an existing employee: every step crossed with
every fault (as in ``test_fault_matrix.py``), on both tenant shapes.

=====================  ===============================================================
update_employee        lookup (the roster is left cold), edit page, update, verify
apply_change (update)  the re-read (the conflict check), update, verify; the plan was
                       made before the faults
add_wage               compensation page, wage post, the history read back
set_pos_permissions    permissions page, save, the read-back
=====================  ===============================================================

Every cell ends in success or in the expected typed exception, whose text names the
failed step and tells the truth about the tenant (checked against the store, including
``wrote_nothing``), and nothing the operation did not target changes: no stray write.
Below the matrix: double faults (the reconciling read fails too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient, formcheck
from sonnys_tui.backoffice import pages as bo_pages
from sonnys_tui.backoffice.errors import (
    BackofficeError,
)
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Employee

from .conftest import make_client, snapshot, warm
from .matrix import ERRORS, READ_FAULTS, WRITE_FAULTS

UPDATE = "update_employee"
APPLY = "apply_change"
WAGE = "add_wage"
TEMPLATE = "set_pos_permissions"
OPS = (UPDATE, APPLY, WAGE, TEMPLATE)

EMPLOYEE_FORM = f"#{formcheck.EMPLOYEE_EDIT.form_id}"
COMPENSATION_FORM = f"#{formcheck.COMPENSATION.form_id}"
HISTORY = f".{bo_pages.COMPENSATION_TABLE_CLASS}"
POS_FORM = f"#{formcheck.POS_PERMISSIONS.form_id}"
EMPLOYEE_LIST = ".table-employees-list"
NEW_NAME = "Faulty"
NEW_RATE = Decimal("27.35")
TEMPLATE_NAME = "Manager"

# What each operation may change on its target (a stored attribute each).
TOUCHES = {
    UPDATE: {"first_name", "site_ids"},
    APPLY: {"first_name", "site_ids"},
    WAGE: {"wages"},
    TEMPLATE: {"grant_ids", "override_ids", "action_approval_authority"},
}


@dataclass(frozen=True)
class Step:
    op: str
    name: str
    method: str
    path: str
    nth: int = 1
    selector: str = ""  # what the markup fault removes from this page
    verify: bool = False  # the read-back after the write: the write has happened


STEPS: list[Step] = [
    Step(UPDATE, "lookup", "GET", "/employee", selector=EMPLOYEE_LIST),
    Step(UPDATE, "edit page", "GET", "/employee/edit/*", 1, EMPLOYEE_FORM),
    Step(UPDATE, "update", "POST", "/employee/update"),
    Step(UPDATE, "verify", "GET", "/employee/edit/*", 2, EMPLOYEE_FORM, verify=True),
    Step(APPLY, "re-read", "GET", "/employee/edit/*", 1, EMPLOYEE_FORM),
    Step(APPLY, "update", "POST", "/employee/update"),
    Step(APPLY, "verify", "GET", "/employee/edit/*", 2, EMPLOYEE_FORM, verify=True),
    Step(WAGE, "history", "GET", "/employee/compensation/*", 1, COMPENSATION_FORM),
    Step(WAGE, "wage post", "POST", "/employee/compensation/update"),
    Step(WAGE, "verify", "GET", "/employee/compensation/*", 2, HISTORY, verify=True),
    Step(TEMPLATE, "permissions page", "GET", "/employee/permissions/*", 1, POS_FORM),
    Step(TEMPLATE, "save", "POST", "/employee/permissions/update"),
    Step(TEMPLATE, "verify", "GET", "/employee/permissions/*", 2, POS_FORM, verify=True),
]


def expected(step: Step, kind: str, when: str) -> str | type[BackofficeError]:
    """ "ok" or the exception type."""
    if kind in ("login200", "expire"):
        return "ok"  # one re-login, the step repeated
    if when == "after":
        return "ok"  # the write happened: reconciled by reading it back
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
] + [Case(None, op, "expire", "before-call", t) for t in ("hierarchical", "flat") for op in OPS]


def test_matrix_size_is_visible() -> None:
    # 9 read steps x 6 faults + 4 write steps x 10 faults + 4 expired-before-call, x 2 tenants
    assert len(CASES) == len({c.id for c in CASES}) == (9 * 6 + 4 * 10 + 4) * 2 == 196


# ----------------------------------------------------------------------------- running


@dataclass
class Run:
    sim: Simulator
    client: SonnysBackofficeClient
    target: Employee
    new_site: int
    call: Callable[[], Any]


def _prepare(op: str, tenant: str) -> Run:
    sim = Simulator.demo() if tenant == "hierarchical" else Simulator.flat()
    client = make_client(sim)
    # The update by POS User ID with a cold roster, so the lookup is part of the matrix.
    warm(client, roster=op != UPDATE)
    manager = next(t for t in sim.store.pos_templates.values() if t.name == TEMPLATE_NAME)
    target = next(
        e for e in sim.store.employees.values()
        if e.active and e.site_ids and e.email and e.wages and e.pos_user_id
        and e.grant_ids != set(manager.grant_ids)
    )  # fmt: skip
    new_site = min(set(sim.store.sites) - target.site_ids)
    site_name = sim.store.sites[new_site].name
    call: Callable[[], Any]
    if op == UPDATE:
        pos_id = target.pos_user_id
        call = lambda: client.update_employee(  # noqa: E731
            pos_user_id=pos_id, first_name=NEW_NAME, available_sites=[site_name]
        )
    elif op == APPLY:
        plan = client.plan_update_employee(
            employee_id=target.id, first_name=NEW_NAME, available_sites=[site_name]
        )
        call = lambda: client.apply_change(plan)  # noqa: E731
    elif op == WAGE:
        call = lambda: client.add_wage(employee_id=target.id, rate=NEW_RATE)  # noqa: E731
    else:
        call = lambda: client.set_pos_permissions(  # noqa: E731
            employee_id=target.id, template=TEMPLATE_NAME
        )
    sim.requests.clear()
    return Run(sim, client, target, new_site, call)


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


def _changed(run: Run, op: str) -> bool:
    """Whether the target holds the operation's change (the whole of it)."""
    target = run.target
    if op in (UPDATE, APPLY):
        return target.first_name == NEW_NAME and target.site_ids == {run.new_site}
    if op == WAGE:
        return any(w.regular_rate == NEW_RATE for w in target.wages)
    manager = next(t for t in run.sim.store.pos_templates.values() if t.name == TEMPLATE_NAME)
    return target.grant_ids == set(manager.grant_ids)


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

    fired = case.step is None or any(f.seen >= case.step.nth for f in run.sim.faults.rules)
    assert fired, "the fault never matched a request: the step table is out of date"
    _assert_no_collateral(run, case.op, before)
    if error is not None:
        _assert_truthful_error(run, case.op, error)
    if want == "ok":
        assert error is None, f"expected success, got {type(error).__name__}: {error}"
        assert _changed(run, case.op), "success reported, but the store does not hold it"
        assert result.employee_id == run.target.id
    else:
        assert isinstance(want, type)
        assert isinstance(error, want), f"expected {want.__name__}, got {error!r} / {result!r}"
        step = case.step
        assert step is not None
        # A fault on the read-back comes after the write: it took effect.
        assert _changed(run, case.op) is step.verify


def _assert_no_collateral(run: Run, op: str, before: dict[str, Any]) -> None:
    after = snapshot(run.sim.store)
    assert set(after["employees"]) == set(before["employees"]), "an employee came or went"
    for employee_id, data in before["employees"].items():
        now = dict(after["employees"][employee_id])
        if employee_id == run.target.id:
            for name in TOUCHES[op]:
                now[name] = data[name]
        assert now == data, f"employee {employee_id} changed"
    assert after["users"] == before["users"]
    if op == WAGE:  # at most the one wage, never twice
        added = len(run.target.wages) - len(before["employees"][run.target.id]["wages"])
        assert added in (0, 1)


def _assert_truthful_error(run: Run, op: str, error: BackofficeError) -> None:
    text = str(error)
    assert error.step and error.step in text, text
    assert error.state, f"no tenant state in {text!r}"
    changed = _changed(run, op)
    who = f"employee {run.target.id}"
    if not changed:
        assert error.wrote_nothing, text
        if op in (UPDATE, APPLY):
            assert "not updated" in text, text
        elif op == WAGE:
            assert "no wage was added" in text, text
        else:
            assert "were not changed" in text, text
        return
    assert not error.wrote_nothing, text
    assert who in text, text
    if op in (UPDATE, APPLY):
        assert "was updated" in text and "not updated" not in text, text
    elif op == WAGE:
        assert "unknown" in text and "no wage was added" not in text, text
    else:
        assert "were saved" in text and "not changed" not in text, text


# ----------------------------------------------------------------------------- double faults


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize(
    ("op", "write", "lookup"),
    [
        (UPDATE, "/employee/update", "/employee/edit/*"),
        (WAGE, "/employee/compensation/update", "/employee/compensation/*"),
        (TEMPLATE, "/employee/permissions/update", "/employee/permissions/*"),
    ],
)
def test_a_write_whose_reconciliation_also_fails_says_the_outcome_is_unknown(
    op: str, write: str, lookup: str, when: str
) -> None:
    """The write times out and the read that should reconcile it fails too: the error
    must neither claim the write happened nor that it did not."""
    run = _prepare(op, "hierarchical")
    before = snapshot(run.sim.store)
    run.sim.faults.add(path=write, method="POST", kind="timeout", when=when)  # type: ignore[arg-type]
    run.sim.faults.add(path=lookup, method="GET", kind="500", nth=2)
    with pytest.raises(BackofficeError) as info:
        run.call()
    run.client.close()
    error = info.value
    assert error.state and "unknown" in error.state and not error.wrote_nothing, str(error)
    assert "read" in error.state  # it says what to do next
    writes = [r for r in run.sim.requests if r.method == "POST" and r.path == write]
    assert len(writes) == 1  # never re-sent while the outcome is unknown
    assert _changed(run, op) is (when == "after")
    _assert_no_collateral(run, op, before)
