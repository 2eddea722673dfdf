"""Plan, then apply: the reviewable diff, the conflict check, wages and POS templates,
against the simulator (both tenant shapes)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal

import httpx
import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.backoffice.errors import (
    BackofficeServerError,
    ConflictError,
    UnknownNameError,
    ValidationError,
)
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Employee, Wage

from .conftest import make_client
from .test_client_changes import sent, snapshot, target, warm

Client = SonnysBackofficeClient


@pytest.fixture
def warm_client(sim: Simulator) -> Iterator[Client]:
    with make_client(sim) as client:
        warm(client)
        yield client


class BeforeWrite(httpx.BaseTransport):
    """Runs ``action`` once, just before the server sees the first ``method path``: an
    edit made elsewhere between the client's read and its write."""

    def __init__(
        self, inner: httpx.BaseTransport, method: str, path: str, action: Callable[[], None]
    ) -> None:
        self.inner, self.method, self.path, self.action = inner, method, path, action
        self.done = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if not self.done and (request.method, request.url.path) == (self.method, self.path):
            self.done = True
            self.action()
        return self.inner.handle_request(request)


def latest(employee: Employee) -> Wage:
    return max(employee.wages, key=lambda w: w.effective_date)


def server_today(sim: Simulator) -> date:
    return sim.wsgi_app.now().date()


# ------------------------------------------------------------------ plans


def test_a_plan_lists_the_changes_and_requests_and_writes_nothing(
    sim: Simulator, warm_client: Client
) -> None:
    employee = target(sim)
    before_store = snapshot(sim.store)
    before = len(sim.requests)
    plan = warm_client.plan_update_employee(
        employee_id=employee.id, first_name="Ingrid", pos_pin=13579
    )
    assert sent(sim, before) == [f"GET /employee/edit/{employee.id}"]
    assert snapshot(sim.store) == before_store
    assert plan.fields == ("first_name", "pos_pin")
    assert (plan.changes[0].old, plan.changes[0].new) == (employee.first_name, "Ingrid")
    assert [f"{r.method} {r.path}" for r in plan.requests] == [
        f"GET /employee/edit/{employee.id}",
        "POST /employee/update",
        f"GET /employee/edit/{employee.id}",
    ]
    text = plan.describe() + repr(plan) + str(plan.changes)
    assert employee.pos_pin not in text and "13579" not in text  # the PINs stay masked
    assert "Ingrid" in plan.describe()

    before = len(sim.requests)
    result = warm_client.apply_change(plan)
    assert len(sim.requests) - before == len(plan.requests) == 3
    assert (employee.first_name, employee.pos_pin) == ("Ingrid", "13579")
    assert result.changes == plan.changes and "13579" not in repr(result)


def test_apply_tells_progress_each_step_as_its_request_goes(
    sim: Simulator, warm_client: Client
) -> None:
    """One progress line per request of the plan (re-read, save, read back), each said
    before its request is sent, so a slow link shows where it is."""
    employee = target(sim)
    record = warm_client.get_employee(employee.id, wages=True, pos_access=True)
    plans = [
        warm_client.plan_update_employee(current=record, last_name="Vasquez"),
        warm_client.plan_add_wage(current=record, rate="21.00"),
        warm_client.plan_set_pos_permissions(current=record, template="Manager"),
    ]
    told: list[tuple[str, int]] = []

    def progress(line: str) -> None:
        told.append((line, len(sim.requests)))

    for plan in plans:
        told.clear()
        warm_client.apply_change(plan, progress=progress)
        assert len(told) == len(plan.requests) == 3, told
        starts = [at for _line, at in told]
        assert starts == sorted(starts) and len(set(starts)) == 3  # each before its request
        assert "verify" in told[-1][0]


def test_a_plan_on_a_record_already_read_costs_no_request(
    sim: Simulator, warm_client: Client
) -> None:
    employee = target(sim)
    record = warm_client.get_employee(employee.id)
    before = len(sim.requests)
    update = warm_client.plan_update_employee(current=record, last_name="Vasquez")
    wage = warm_client.plan_add_wage(current=record, rate="21.00")
    template = warm_client.plan_set_pos_permissions(current=record, template="Manager")
    assert sent(sim, before) == []
    for plan in (update, wage, template):
        assert plan.employee_id == employee.id and plan.employee_name == record.full_name
    with pytest.raises(ValidationError):  # another employee's key beside it
        warm_client.plan_update_employee(current=record, employee_id=employee.id + 1, last_name="X")
    bare = warm_client.get_employee(employee.id, wages=False, pos_access=False)
    with pytest.raises(ValidationError) as info:
        warm_client.plan_add_wage(current=bare, rate="21.00")
    assert info.value.field == "current"


def test_a_conflicting_edit_between_plan_and_apply_is_refused(
    sim: Simulator, warm_client: Client
) -> None:
    employee = target(sim)
    plan = warm_client.plan_update_employee(
        employee_id=employee.id, first_name="Planned", phone="(555) 010-0131"
    )
    employee.first_name = "Edited In The Web UI"  # someone else, meanwhile
    before_store = snapshot(sim.store)
    before = len(sim.requests)
    with pytest.raises(ConflictError) as info:
        warm_client.apply_change(plan)
    error = info.value
    assert error.fields == ("first_name",) and error.wrote_nothing
    assert error.moved[0][2] == "Edited In The Web UI" and "first_name" in str(error)
    assert sent(sim, before) == [f"GET /employee/edit/{employee.id}"]  # the re-read, no more
    assert snapshot(sim.store) == before_store
    # Re-plan: the same change, computed on the record as it is now, then applied.
    again = warm_client.replan(plan)
    assert again.changes[0].old == "Edited In The Web UI" and again.changes[0].new == "Planned"
    warm_client.apply_change(again)
    assert (employee.first_name, employee.phone) == ("Planned", "(555) 010-0131")


def test_an_edit_to_another_field_is_kept_not_undone(sim: Simulator, warm_client: Client) -> None:
    employee = target(sim)
    plan = warm_client.plan_update_employee(employee_id=employee.id, last_name="Lindqvist")
    employee.emergency_contact_name = "Set Meanwhile"
    warm_client.apply_change(plan)
    assert employee.last_name == "Lindqvist"
    assert employee.emergency_contact_name == "Set Meanwhile"  # the fresh form carried it


def test_all_sites_that_grew_since_the_plan_is_a_conflict(
    sim: Simulator, warm_client: Client
) -> None:
    """ "all" was reviewed as the sites there were; a site added since would widen it."""
    employee = target(sim)
    plan = warm_client.plan_update_employee(employee_id=employee.id, available_sites="all")
    new_site = dataclasses.replace(next(iter(sim.store.sites.values())), id=999, name="New Wash")
    sim.store.sites[999] = new_site
    before = snapshot(sim.store)
    with pytest.raises(ConflictError) as info:
        warm_client.apply_change(plan)
    assert info.value.fields == ("available_sites",) and info.value.wrote_nothing
    assert snapshot(sim.store) == before


def test_a_plan_of_nothing_applies_as_one_read(sim: Simulator, warm_client: Client) -> None:
    employee = target(sim)
    plan = warm_client.plan_update_employee(employee_id=employee.id, last_name=employee.last_name)
    assert plan.is_empty and "nothing to change" in plan.describe()
    before = len(sim.requests)
    result = warm_client.apply_change(plan)
    assert not result.changed and sent(sim, before) == [f"GET /employee/edit/{employee.id}"]


def test_apply_takes_only_plans(warm_client: Client) -> None:
    with pytest.raises(ValidationError):
        warm_client.apply_change("not a plan")  # type: ignore[arg-type]


# ------------------------------------------------------------------ wages


def test_add_wage_keeps_overtime_as_it_is_and_defaults_to_one_and_a_half(
    sim: Simulator, warm_client: Client
) -> None:
    eligible = target(sim)
    latest(eligible).overtime_eligible, latest(eligible).overtime_rate = True, Decimal("20.00")
    not_eligible = next(
        e for e in sim.store.employees.values() if e.wages and e.id != eligible.id and e.site_ids
    )
    latest(not_eligible).overtime_eligible, latest(not_eligible).overtime_rate = False, None
    before = len(sim.requests)
    added = warm_client.add_wage(employee_id=eligible.id, rate="17.25")
    assert sent(sim, before) == [
        f"GET /employee/compensation/{eligible.id}",
        "POST /employee/compensation/update",
        f"GET /employee/compensation/{eligible.id}",
    ]
    stored = latest(eligible)
    assert stored.effective_date == server_today(sim)  # the form's default: the server's today
    assert (stored.regular_rate, stored.overtime_eligible, stored.overtime_rate) == (
        Decimal("17.25"),
        True,
        Decimal("25.88"),  # 1.5 x 17.25, rounded half up to cents
    )
    assert added.wage.current and added.history[0] == added.wage
    warm_client.add_wage(employee_id=not_eligible.id, rate="16.00")
    assert not latest(not_eligible).overtime_eligible and latest(not_eligible).overtime_rate is None


def test_add_wage_overtime_when_told(sim: Simulator, warm_client: Client) -> None:
    employee = target(sim)
    latest(employee).overtime_eligible, latest(employee).overtime_rate = False, None
    start = server_today(sim) + timedelta(days=10)
    warm_client.add_wage(
        employee_id=employee.id, rate="18.00", effective_date=start, overtime_rate="30"
    )
    assert (latest(employee).overtime_eligible, latest(employee).overtime_rate) == (
        True,
        Decimal("30.00"),
    )
    added = warm_client.add_wage(
        employee_id=employee.id, rate="19.00", effective_date=start + timedelta(days=1),
        overtime_eligible=False,
    )  # fmt: skip
    assert not latest(employee).overtime_eligible and not added.wage.overtime_eligible
    assert [c.field for c in added.changes] == [
        "rate",
        "overtime_eligible",
        "overtime_rate",
        "effective_date",
    ]
    with pytest.raises(ValidationError) as info:
        warm_client.add_wage(
            employee_id=employee.id, rate="19", overtime_rate="25", overtime_eligible=False
        )
    assert info.value.field == "overtime_rate"


def test_a_wage_dated_too_early_is_refused_before_it_is_sent(
    sim: Simulator, warm_client: Client
) -> None:
    employee = target(sim)
    newest = latest(employee).effective_date
    record = warm_client.get_employee(employee.id)
    before_store = snapshot(sim.store)
    for day in (newest, newest - timedelta(days=30)):
        before = len(sim.requests)
        with pytest.raises(ValidationError) as info:
            warm_client.plan_add_wage(current=record, rate="20.00", effective_date=day)
        assert sent(sim, before) == []  # the record in hand knew the history: no request
        earliest = newest + timedelta(days=1)
        assert info.value.field == "effective_date" and info.value.wrote_nothing
        assert earliest.isoformat() in str(info.value)  # names the earliest date, ISO
        # Without the record: one read of the history, never the post.
        with pytest.raises(ValidationError):
            warm_client.add_wage(employee_id=employee.id, rate="20.00", effective_date=day)
        assert sent(sim, before) == [f"GET /employee/compensation/{employee.id}"]
    assert snapshot(sim.store) == before_store
    warm_client.add_wage(
        employee_id=employee.id, rate="20.00", effective_date=newest + timedelta(days=1)
    )
    assert latest(employee).effective_date == newest + timedelta(days=1)


def test_a_wage_the_server_ignores_is_detected(sim: Simulator) -> None:
    """Someone adds a later wage between the client's read and its post: the server then
    ignores the client's wage without a word. The read-back catches it."""
    employee = target(sim)
    later = dataclasses.replace(latest(employee), effective_date=date(2098, 1, 1))
    transport = BeforeWrite(
        sim.transport(),
        "POST",
        "/employee/compensation/update",
        lambda: employee.wages.append(later),
    )
    with (
        make_client(sim, transport=transport) as client,
        pytest.raises(BackofficeServerError) as info,
    ):
        client.add_wage(employee_id=employee.id, rate="22.00")
    assert transport.done and info.value.wrote_nothing
    assert "ignored" in str(info.value) and "2098-01-01" in str(info.value)
    assert [w.regular_rate for w in employee.wages].count(Decimal("22.00")) == 0


@pytest.mark.parametrize("redirect", ["list", "page"])
def test_either_wage_redirect_is_understood_and_costs_three(sim: Simulator, redirect: str) -> None:
    sim.settings.wage_redirect = redirect  # type: ignore[assignment]
    employee = target(sim)
    with make_client(sim) as client:
        warm(client)
        client.stats.reset()
        client.add_wage(employee_id=employee.id, rate="23.10")
        assert client.stats.requests == 3
    assert latest(employee).regular_rate == Decimal("23.10")


def test_a_wage_plan_is_refused_after_the_history_moved(
    sim: Simulator, warm_client: Client
) -> None:
    employee = target(sim)
    plan = warm_client.plan_add_wage(employee_id=employee.id, rate="24.00")
    assert dict(plan.arguments)["effective_date"] == server_today(sim)  # fixed in the plan
    employee.wages.append(dataclasses.replace(latest(employee), effective_date=date(2097, 5, 5)))
    before = snapshot(sim.store)
    with pytest.raises(ConflictError) as info:
        warm_client.apply_change(plan)
    assert info.value.fields == ("wage_history",) and snapshot(sim.store) == before
    with pytest.raises(ValidationError):  # planned again: the date is now too early
        warm_client.replan(plan)


def test_a_salaried_employee_stays_salaried(sim: Simulator, warm_client: Client) -> None:
    employee = target(sim)
    latest(employee).is_hourly = False
    added = warm_client.add_wage(employee_id=employee.id, rate="31.25")
    assert not latest(employee).is_hourly and not added.wage.hourly
    assert added.wage.wage_type == "Salary"


# ------------------------------------------------------------------ POS templates


def test_a_template_is_applied_whole_and_verified(sim: Simulator, warm_client: Client) -> None:
    employee = target(sim)
    previous = next(r for r in warm_client.list_employees() if r.employee_id == employee.id)
    shift = next(t for t in sim.store.pos_templates.values() if t.name == "Shift Leader")
    before = len(sim.requests)
    result = warm_client.set_pos_permissions(employee_id=employee.id, template="shift leader")
    assert sent(sim, before) == [
        f"GET /employee/permissions/{employee.id}",
        "POST /employee/permissions/update",
        f"GET /employee/permissions/{employee.id}",
    ]
    assert employee.grant_ids == set(shift.grant_ids)
    assert employee.override_ids == set(shift.override_ids)
    assert result.access.template == "Shift Leader" and result.as_row(previous).access == (
        "Shift Leader"
    )
    assert result.changes[0].old == previous.access
    # Again: nothing to change, nothing written.
    before = len(sim.requests)
    again = warm_client.set_pos_permissions(
        pos_user_id=employee.pos_user_id, template="Shift Leader"
    )
    assert not again.changed and sent(sim, before) == [f"GET /employee/permissions/{employee.id}"]


def test_an_unknown_template_is_refused_before_any_request(
    sim: Simulator, warm_client: Client
) -> None:
    employee = target(sim)
    before = len(sim.requests)
    for call in (warm_client.set_pos_permissions, warm_client.plan_set_pos_permissions):
        with pytest.raises(UnknownNameError) as info:
            call(employee_id=employee.id, template="Astronaut")
        assert info.value.field == "template" and "Cashier" in str(info.value)
    with pytest.raises(ValidationError):
        warm_client.set_pos_permissions(employee_id=employee.id, template=" ")
    assert sent(sim, before) == []


def test_a_template_plan_is_refused_after_the_permissions_moved(
    sim: Simulator, warm_client: Client
) -> None:
    employee = target(sim)
    cashier = next(t for t in sim.store.pos_templates.values() if t.name == "Cashier")
    employee.grant_ids, employee.override_ids = set(cashier.grant_ids), set(cashier.override_ids)
    plan = warm_client.plan_set_pos_permissions(employee_id=employee.id, template="Manager")
    assert plan.changes[0].old == "Cashier"
    employee.grant_ids = {22}
    employee.override_ids = set()
    with pytest.raises(ConflictError) as info:
        warm_client.apply_change(plan)
    assert info.value.fields == ("pos_access",) and employee.grant_ids == {22}
    assert info.value.moved[0][2] == "General User"  # what it reads now
    warm_client.apply_change(warm_client.replan(plan))
    manager = next(t for t in sim.store.pos_templates.values() if t.name == "Manager")
    assert employee.grant_ids == set(manager.grant_ids)
