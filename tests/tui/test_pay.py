"""Pilot tests: the detail pane's Pay section, Add wage and Change template, against
the simulator (what it stores is what the tests assert on)."""

from __future__ import annotations

import io
import threading
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from rich.console import Console
from textual.widgets import Input, OptionList

from sonnys_tui import audit
from sonnys_tui.backoffice.models import EmployeeRecord, PosAccess, Secret
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.faults import FaultKind
from sonnys_tui.simulator.store import Employee, Wage
from sonnys_tui.tui.dialogs.add_wage import AddWageDialog
from sonnys_tui.tui.dialogs.change_template import ChangeTemplateDialog
from sonnys_tui.tui.panes import employees as employees_pane
from sonnys_tui.tui.panes.employees import EmployeesPane
from sonnys_tui.tui.widgets.pay_section import PaySection, permissions_word, render_pay

from .conftest import FIXED_TODAY, MakeApp, settle, shown, type_text

pytestmark = pytest.mark.anyio
SIZE = (120, 40)


def _target(sim: Simulator) -> Employee:
    """An active, listed employee whose wage is overtime eligible (synthetic)."""
    return next(
        e
        for _id, e in sorted(sim.store.employees.items())
        if e.active
        and e.site_ids
        and e.pos_user_id
        and (w := e.latest_wage())
        and w.overtime_eligible
    )


async def _open_detail(pilot, employee: Employee) -> PaySection:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await type_text(pilot, "#filter", str(employee.pos_user_id))
    await pilot.press("enter")
    await settle(pilot)
    pay = pilot.app.screen.query_one("#pay-section", PaySection)
    assert pay.record is not None and pay.record.employee_id == employee.id
    return pay


def _field_message(pilot, name: str) -> str:  # type: ignore[no-untyped-def]
    return shown(pilot.app.screen.query_one(f"#field-{name} .field-message"))


async def test_add_wage_with_the_prefilled_date_is_stored_and_shown(make: MakeApp, sim: Simulator):
    employee = _target(sim)
    latest = employee.latest_wage()
    assert latest is not None
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        pay = await _open_detail(pilot, employee)
        assert "current" in shown(pay) and f"{latest.regular_rate:.2f}" in shown(pay)
        app.screen.query_one("#filter", Input).focus()  # the filter takes letters…
        await pilot.press("f9")  # …but not F9
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AddWageDialog)
        prefilled = max(FIXED_TODAY, latest.effective_date + timedelta(days=1))
        assert dialog.query_one("#effective_date", Input).value == prefilled.isoformat()
        assert f"on or before the latest, {latest.effective_date}" in _field_message(
            pilot, "effective_date"
        )
        await type_text(pilot, "#rate", "21.40")
        await pilot.press("ctrl+s")  # plan (no write) and review
        await settle(pilot)
        review = shown(dialog.query_one(".plan-review"))
        assert f"{latest.regular_rate:.2f} → 21.40" in review
        assert "32.10" in review  # 1.5x, as on hire
        assert len(employee.wages) == 1  # nothing written by the review
        await pilot.press("ctrl+s")  # apply
        await settle(pilot)
        assert not isinstance(app.screen, AddWageDialog)
        new = employee.latest_wage()
        assert new is not None and new.effective_date == prefilled
        assert (new.regular_rate, new.overtime_rate) == (Decimal("21.40"), Decimal("32.10"))
        assert pay.record is not None and pay.record.wages is not None
        assert len(pay.record.wages) == 2  # the section read the history again
        assert "21.40 · OT 32.10" in shown(pay)
        [event] = [e for e in audit.read() if e.operation == "change"]
        assert event.outcome == "ok" and "add wage" in event.target


async def test_a_date_too_early_is_refused_inline_before_any_request(make: MakeApp, sim: Simulator):
    employee = _target(sim)
    latest = employee.latest_wage()
    assert latest is not None
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f9")  # nobody shown: not offered, nothing opens
        await settle(pilot)
        assert not isinstance(app.screen, AddWageDialog)
        await _open_detail(pilot, employee)
        await pilot.press("w")  # from the detail pane
        await settle(pilot)
        await type_text(pilot, "#rate", "21.40")
        await type_text(pilot, "#effective_date", latest.effective_date.isoformat())
        earliest = latest.effective_date + timedelta(days=1)
        assert f"earliest allowed is {earliest}" in _field_message(pilot, "effective_date")
        sent = len(sim.requests)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(sim.requests) == sent  # refused here: no request at all
        dialog = app.screen
        assert isinstance(dialog, AddWageDialog) and dialog.stage == "form"
        assert f"earliest allowed is {earliest}" in shown(dialog.query_one(".plan-review"))
        assert dialog.query_one("#rate", Input).value == "21.40"  # what was typed stays
        assert app.focused is dialog.query_one("#effective_date", Input)
        assert len(employee.wages) == 1


async def _choose(pilot, name: str) -> None:  # type: ignore[no-untyped-def]
    dialog = pilot.app.screen
    assert isinstance(dialog, ChangeTemplateDialog)
    dialog.query_one("#template", OptionList).highlighted = [
        t.name for t in dialog.templates
    ].index(name)
    await pilot.press("ctrl+s")
    await settle(pilot)


async def test_change_template_after_a_conflict_and_a_replan(make: MakeApp, sim: Simulator):
    employee = _target(sim)
    cashier = next(t for t in sim.store.pos_templates.values() if t.name == "Cashier")
    assert employee.grant_ids != set(cashier.grant_ids)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        pay = await _open_detail(pilot, employee)
        await pilot.press("ctrl+t")
        await settle(pilot)
        await _choose(pilot, "Cashier")
        dialog = app.screen
        assert isinstance(dialog, ChangeTemplateDialog) and dialog.stage == "review"
        assert "→ Cashier" in shown(dialog.query_one(".plan-review"))
        # Meanwhile, in the web UI: one more permission granted.
        employee.grant_ids.add(
            next(p.id for p in sim.store.pos_permissions if p.id not in employee.grant_ids)
        )
        moved = set(employee.grant_ids)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert dialog.stage == "conflict" and employee.grant_ids == moved  # nothing written
        assert "Nothing was written" in shown(dialog.query_one(".plan-review"))
        # Said once, there (a conflict has no toast).
        assert shown(dialog.query_one(".plan-review")).lower().count("nothing was written") == 1
        assert not [n for n in app._notifications if "nothing was written" in n.message]
        await pilot.press("ctrl+r")  # plan again on the record as it is now: reviewed again
        await settle(pilot)
        assert dialog.stage == "review" and employee.grant_ids == moved
        assert "now custom" in _field_message(pilot, "template")  # read again: what moved
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ChangeTemplateDialog)
        assert employee.grant_ids == set(cashier.grant_ids)
        assert employee.override_ids == set(cashier.override_ids & cashier.grant_ids)
        assert "Permissions Cashier" in shown(pay)  # read back, shown
        tenant = app.tenant
        assert tenant is not None and tenant.employee(employee.id).access == "Cashier"  # type: ignore[union-attr]


async def _review_wage(pilot, employee: Employee) -> None:  # type: ignore[no-untyped-def]
    """Add wage 21.40 for ``employee`` (F9 from its detail), planned and under review."""
    await _open_detail(pilot, employee)
    await pilot.press("f9")
    await settle(pilot)
    await type_text(pilot, "#rate", "21.40")
    await pilot.press("ctrl+s")
    await settle(pilot)


async def _add_wage_failing(pilot, sim: Simulator, employee: Employee, fault: FaultKind):  # type: ignore[no-untyped-def]
    """Add wage 21.40 for ``employee``, reviewed, its apply failed by ``fault`` on the
    save: the dialog, back at its form."""
    await _review_wage(pilot, employee)
    sim.faults.add(path="/employee/compensation/update", kind=fault, when="before")
    await pilot.press("ctrl+s")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, AddWageDialog) and dialog.stage == "form"
    return dialog


async def test_a_failed_apply_keeps_the_form_and_says_nothing_was_written(
    make: MakeApp, sim: Simulator
):
    employee = _target(sim)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _add_wage_failing(pilot, sim, employee, "500")
        said = shown(dialog.query_one(".plan-review"))
        assert "nothing was written" in said
        assert "… Saving the wage of 21.40" in said  # the steps it got to, then what failed
        assert dialog.query_one("#rate", Input).value == "21.40"
        assert len(employee.wages) == 1


async def test_a_lost_connection_says_nothing_was_written_once(make: MakeApp, sim: Simulator):
    """The trial: Add wage after a dropped connection said "nothing was written" three
    times (the outcome line, the error's own state in it, the toast). Once, in the
    outcome line under the steps; the toast says what failed."""
    employee = _target(sim)
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _add_wage_failing(pilot, sim, employee, "drop")
        said = shown(dialog.query_one(".plan-review"))
        assert "Not applied, nothing was written: Connection problem" in said
        assert said.lower().count("nothing was written") == 1
        assert "no wage was added" in said  # what the error adds is kept
        toasts = [n.message for n in app._notifications]
        assert any("connection was lost" in t for t in toasts)
        assert not [t for t in toasts if "nothing was written" in t]
        assert len(employee.wages) == 1


def test_the_permissions_line_names_the_template_or_says_custom() -> None:
    granted = frozenset({2, 4})
    assert permissions_word(PosAccess(granted, frozenset(), "Cashier")) == "Cashier"
    assert permissions_word(PosAccess(granted, frozenset(), None)).startswith("custom")
    assert permissions_word(PosAccess(frozenset(), frozenset(), None)) == "none"
    assert permissions_word(None) == "not read"


async def test_moving_along_the_rows_reads_the_pay_of_the_row_it_rests_on(
    make: MakeApp, sim: Simulator, monkeypatch: pytest.MonkeyPatch
):
    # The debounce's pause is held until all three keys are in, however slowly a busy
    # machine delivers them (a wall-clock pause made this test fail under load).
    keys_in = threading.Event()
    real_sleep = time.sleep

    def held_pause(seconds: float) -> None:
        if seconds == EmployeesPane.PAY_DEBOUNCE:
            keys_in.wait(30)  # bounded: the test releases it right after the keys
        else:
            real_sleep(seconds)  # anyone else's pause, as it was

    monkeypatch.setattr(EmployeesPane, "PAY_DEBOUNCE", 1.0)
    monkeypatch.setattr(employees_pane.time, "sleep", held_pause)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the first row's detail, read at once
        await settle(pilot)
        table = app.screen.query_one("#table")
        table.focus()
        sent = len(sim.requests)
        await pilot.press("down", "down", "down")  # the detail follows the cursor
        await pilot.pause()
        keys_in.set()
        await settle(pilot)
        pays = [r for r in sim.requests[sent:] if r.path.startswith("/employee/compensation/")]
        pay = app.screen.query_one("#pay-section", PaySection)
        current = app.screen.query_one("#detail").employee_id  # type: ignore[attr-defined]
        assert len(pays) == 1 and pays[0].path.endswith(f"/{current}")
        assert pay.record is not None and pay.record.employee_id == current


async def test_a_wage_added_meanwhile_moves_the_earliest_date(make: MakeApp, sim: Simulator):
    employee = _target(sim)
    latest = employee.latest_wage()
    assert latest is not None
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await _review_wage(pilot, employee)
        # Meanwhile, in the web UI: a raise dated after the one under review.
        later = FIXED_TODAY + timedelta(days=10)
        employee.wages.append(Wage(later, True, Decimal("22.00"), True, Decimal("33.00")))
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AddWageDialog) and dialog.stage == "conflict"
        await pilot.press("ctrl+r")  # the plan's date is now too early: said, nothing sent
        await settle(pilot)
        assert dialog.stage == "form" and len(employee.wages) == 2
        earliest = later + timedelta(days=1)
        said = _field_message(pilot, "effective_date")  # the client's words: US dates
        assert f"earliest allowed date is {earliest.isoformat()}" in said
        await type_text(pilot, "#effective_date", earliest.isoformat())
        assert f"latest, {later}" in _field_message(pilot, "effective_date")  # the new hint
        await pilot.press("ctrl+s", "ctrl+s")
        await settle(pilot)
        assert employee.latest_wage().effective_date == earliest  # type: ignore[union-attr]


def test_a_hostile_template_name_is_shown_never_sent_to_the_terminal() -> None:
    record = EmployeeRecord(
        employee_id=1, pos_credential_id=None, first_name="Robin", last_name="Sample",
        phone="", email="", department_ids=(), departments=(), start_date=None,
        site_ids=frozenset(), sites=(), pos_user_id=None, pos_pin=Secret(""),
        emergency_contact_name="", emergency_contact_phone="", adp_employee_id="",
        active=True, wages=(), pos_access=PosAccess(frozenset({1}), frozenset(), "[b]X\x1b[2J"),
    )  # fmt: skip
    console = Console(width=60, file=io.StringIO(), record=True, color_system=None)
    console.print(render_pay(record))
    text = console.export_text()
    assert "\x1b" not in text and "[b]X" in text and "no wage on record" in text
