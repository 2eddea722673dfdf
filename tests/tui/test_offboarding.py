"""Issue 11 in the app: Ctrl+D closes every door (POS and Back Office logins), the BO
users tab's actions, and the access review with each finding's fix at hand."""

from __future__ import annotations

import json

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox

from sonnys_tui import audit
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import BoUser, Employee
from sonnys_tui.tui.app import SonnysApp
from sonnys_tui.tui.dialogs.offboard import OffboardScreen
from sonnys_tui.tui.screens.home import HomeScreen

from .conftest import MakeApp, on_screen, settle, shown, type_text

pytestmark = pytest.mark.anyio


def _linked(sim: Simulator) -> tuple[Employee, BoUser]:
    """An active employee with one active Back Office login (Jordan Pilot, 4101)."""
    user = next(
        u
        for u in sorted(sim.store.users.values(), key=lambda u: u.id)
        if u.active and u.employee_id and sim.store.employees[u.employee_id].active
    )
    return sim.store.employees[user.employee_id or 0], user


def _home(app: SonnysApp) -> HomeScreen:
    assert isinstance(app.screen, HomeScreen), app.screen
    return app.screen


async def _ctrl_d(pilot: Pilot[object], employee: Employee) -> OffboardScreen:
    await settle(pilot)
    await type_text(pilot, "#filter", str(employee.pos_user_id))
    await settle(pilot)
    await pilot.press("ctrl+d")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, OffboardScreen)
    return dialog


def _status(dialog: OffboardScreen) -> str:
    return shown(dialog.query_one("#write-status"))  # type: ignore[arg-type]


async def test_offboarding_closes_the_pos_and_the_backoffice_login(
    make: MakeApp, sim: Simulator
) -> None:
    employee, user = _linked(sim)
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _ctrl_d(pilot, employee)
        logins = shown(dialog.query_one("#offboard-logins"))  # type: ignore[arg-type]
        assert user.username in logins and "active" in logins
        box = dialog.query_one("#also-bo", Checkbox)
        assert box.display and box.value  # on by default
        assert isinstance(app.focused, Button) and app.focused.id == "no"
        await pilot.press("y")
        await settle(pilot)
        status = _status(dialog)
        assert "POS login" in status and "disabled" in status
        assert f"{user.username}" in status and "deactivated" in status
        assert on_screen(app, "deactivated")  # the result is on screen at 80x24
        assert not sim.store.employees[employee.id].active and not user.active
        await pilot.press("enter")
        await settle(pilot)
        home = _home(app)
        row = home.employees.table.current
        assert row is not None and not row.active
        login = next(u for u in app.tenant.backoffice_users() if u.user_id == user.id)  # type: ignore[union-attr]
        assert not login.active
    assert [(e.operation, e.outcome) for e in audit.read()] == [("offboard", "ok")]


async def test_unticked_the_backoffice_login_stays_open(make: MakeApp, sim: Simulator) -> None:
    employee, user = _linked(sim)
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await _ctrl_d(pilot, employee)
        await pilot.press("b")  # the box's key, in the footer
        assert not dialog.query_one("#also-bo", Checkbox).value
        await pilot.press("y")
        await settle(pilot)
        assert "left ACTIVE" in _status(dialog)
        assert not sim.store.employees[employee.id].active and user.active


async def test_a_stop_part_way_says_what_is_closed_and_what_is_not(
    make: MakeApp, sim: Simulator
) -> None:
    employee, user = _linked(sim)
    # The login is closed first; the employee's update then fails.
    sim.faults.add(path="/employee/update", method="POST", kind="500", when="before")
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _ctrl_d(pilot, employee)
        await pilot.press("y")
        await settle(pilot)
        status = _status(dialog)
        assert "Stopped part way" in status
        assert f"✓ Back Office login {user.username}" in status
        assert "✗ POS login" in status and "not disabled" in status
        assert "Run it again" in status
        assert not user.active and sim.store.employees[employee.id].active
        await pilot.press("enter")
        await settle(pilot)
        # Run again: only the POS login is left, and it is closed.
        dialog = await _ctrl_d(pilot, employee)
        assert not dialog.query_one("#also-bo", Checkbox).display  # nothing open there
        await pilot.press("y")
        await settle(pilot)
        assert "Done, verified" in _status(dialog)
        assert not sim.store.employees[employee.id].active


async def test_re_enabling_offers_the_logins_unticked(make: MakeApp, sim: Simulator) -> None:
    employee, user = _linked(sim)
    employee.active = False
    user.active = False
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await _ctrl_d(pilot, employee)
        assert dialog.enable
        box = dialog.query_one("#also-bo", Checkbox)
        assert box.display and not box.value  # restoring web access is a choice
        await pilot.press("b", "y")
        await settle(pilot)
        assert "reactivated" in _status(dialog)
        assert sim.store.employees[employee.id].active and user.active
    assert json.dumps([e.operation for e in audit.read()]) == '["reinstate"]'
