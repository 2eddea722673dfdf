"""The New employee form's e-mail says what the client knows (taken, or unsure: an
inactive employee's e-mail is listed nowhere), a refused hire points at the field,
and the Employees filter ignores accents and says when nothing matches (issue 13)."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Employee
from sonnys_tui.tui.screens.home import HomeScreen
from sonnys_tui.tui.screens.new_employee import NewEmployeeScreen
from sonnys_tui.tui.widgets.employee_table import EmployeeTable

from .conftest import MakeApp, open_new_employee, settle, shown, type_text
from .test_flows import _fill_hire_form

pytestmark = pytest.mark.anyio


def _inactive_with_email(sim: Simulator) -> Employee:
    return next(e for e in sim.store.employees.values() if not e.active and e.email)


def _email_field(screen: NewEmployeeScreen) -> tuple[str, str]:
    status = shown(screen.query_one("#field-email .field-status", Static))
    message = shown(screen.query_one("#field-email .field-message", Static))
    return status, message


async def test_an_email_no_list_has_is_unsure_not_free(make: MakeApp, sim: Simulator):
    inactive = _inactive_with_email(sim)
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_new_employee(pilot)
        for email in (inactive.email, "brand.new.person@example.com"):
            await type_text(pilot, "#email", email)
            await settle(pilot)
            status, message = _email_field(screen)
            assert "free" not in status and "unsure" in status, email
            assert "inactive employees can't be checked" in message
            assert "email" not in screen.taken


async def test_an_active_employees_email_is_taken(make: MakeApp, sim: Simulator):
    active = next(e for e in sim.store.employees.values() if e.active and e.email)
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_new_employee(pilot)
        await type_text(pilot, "#email", active.email.upper())
        await settle(pilot)
        status, message = _email_field(screen)
        assert "taken" in status and "already in use" in message
        assert screen.taken["email"] == active.email.upper()


async def test_a_hire_refused_for_its_email_points_at_the_email_field(
    make: MakeApp, sim: Simulator
):
    inactive = _inactive_with_email(sim)
    before = len(sim.store.employees)
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_new_employee(pilot)
        pos_id = int(screen.query_one("#pos_user_id", Input).value)
        await _fill_hire_form(pilot, sim, pos_id=pos_id)
        await type_text(pilot, "#email", inactive.email)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and len(sim.store.employees) == before
        assert app.focused is screen.query_one("#email", Input)
        status, message = _email_field(screen)
        assert "taken" in status  # the server's answer, not the index's "unsure"
        assert "already in use" in message and inactive.email in message
        assert screen.taken["email"] == inactive.email
        # Typed again, the client now knows it: taken, before any hire is tried.
        await type_text(pilot, "#email", inactive.email.upper())
        await settle(pilot)
        assert "taken" in _email_field(screen)[0]


async def test_the_filter_ignores_accents_and_says_when_nothing_matches(
    make: MakeApp, sim: Simulator
):
    person = next(e for e in sim.store.employees.values() if e.active and e.site_ids)
    person.first_name, person.last_name = "José", "Ñúñez"
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#table", EmployeeTable)
        await type_text(pilot, "#filter", "jose nun", keys=True)
        await pilot.pause()
        assert [r.employee_id for r in table.rows] == [person.id]
        await type_text(pilot, "#filter", "zzzz-nobody")
        await pilot.pause()
        assert list(table.rows) == []
        status = shown(home.query_one("#roster-status", Static))
        assert "no employee matches 'zzzz-nobody'" in status


def _status(screen: NewEmployeeScreen, name: str) -> str:
    return shown(screen.query_one(f"#field-{name} .field-status", Static))


async def test_the_ids_and_phones_of_employees_the_roster_hides_are_taken(
    make: MakeApp, sim: Simulator
):
    """Val Trialson (4106) and Zion Prototype (4107) have no site, so no list shows
    them: the live checks and Ctrl+F still count them, read once in a worker."""
    val = sim.store.employee_by_pos_id(4106)
    assert val is not None and not val.site_ids
    # Val holds the id right after the highest listed one: "next free" must skip it.
    val.pos_user_id = 1 + max(e.pos_user_id for e in sim.store.employees.values() if e.site_ids)
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_new_employee(pilot)
        pos = screen.query_one("#pos_user_id", Input)
        assert pos.value == str(val.pos_user_id + 1)  # the form's first next free id
        edit_pages = sum(r.path.startswith("/employee/edit/") for r in sim.requests)
        for value in ("4107", str(val.pos_user_id)):
            await type_text(pilot, "#pos_user_id", value)
            await settle(pilot)
            assert "taken" in _status(screen, "pos_user_id"), value
            assert screen.taken["pos_user_id"] == value
        for value in ("312.555.0107", "(555) 010-0199"):
            await type_text(pilot, "#phone", value)
            await settle(pilot)
        assert "free" in _status(screen, "phone") and screen.taken.get("phone") is None
        await type_text(pilot, "#phone", "312-555-0107")
        await settle(pilot)
        assert "taken" in _status(screen, "phone")
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert pos.value == str(val.pos_user_id + 1)
        # Their edit pages were read once, before any of these checks.
        assert sum(r.path.startswith("/employee/edit/") for r in sim.requests) == edit_pages
