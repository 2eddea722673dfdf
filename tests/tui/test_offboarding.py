"""Issue 11 in the app: Ctrl+D closes every door (POS and Back Office logins), the BO
users tab's actions, and the access review with each finding's fix at hand."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, DataTable, Select, Static

from sonnys_tui import audit
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import BoUser, Employee
from sonnys_tui.tui.app import SonnysApp
from sonnys_tui.tui.dialogs.backoffice_permissions import (
    BackofficePermissionsScreen,
    PermissionsReviewScreen,
)
from sonnys_tui.tui.dialogs.backoffice_user import UserStatusScreen
from sonnys_tui.tui.dialogs.offboard import OffboardScreen
from sonnys_tui.tui.dialogs.password_reset import PasswordResetScreen
from sonnys_tui.tui.panes.backoffice_users import BackofficeUsersPane
from sonnys_tui.tui.screens.access_review import AccessReviewScreen
from sonnys_tui.tui.screens.home import HomeScreen
from sonnys_tui.tui.widgets.site_picker import SitePicker

from .conftest import MakeApp, on_screen, settle, shown, type_text
from .test_keys import footer_keys

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
    employee, first = _linked(sim)
    second = sim.store.add_user(
        replace(first, id=sim.store.next_user_id(), username="JPilot2", email="jp2@example.com")
    )
    # The logins are closed first, then the POS login: the second login's update fails.
    sim.faults.add(path="/user/update", method="POST", nth=2, kind="500", when="before")
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _ctrl_d(pilot, employee)
        await pilot.press("y")
        await settle(pilot)
        status = _status(dialog)
        closed, still_open = sorted([first, second], key=lambda u: u.active)
        assert "Stopped part way" in status and "Run it again" in status
        assert f"✓ Back Office login {closed.username} " in status
        assert f"✗ Back Office login {still_open.username} " in status
        assert "✗ POS login" in status and "not disabled" in status
        assert on_screen(app, "Run it again")  # at 80x24, in view
        assert not closed.active and still_open.active and employee.active
        await pilot.press("enter")
        await settle(pilot)
        # Run again: only what is still open is written.
        dialog = await _ctrl_d(pilot, employee)
        await pilot.press("y")
        await settle(pilot)
        status = _status(dialog)
        assert "Done, verified" in status and "already inactive" in status
        assert not still_open.active and not employee.active


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


# ---------------------------------------------------------------------- BO users tab


async def _bo_tab(pilot: Pilot[object], user: BoUser) -> BackofficeUsersPane:
    await settle(pilot)
    home = _home(pilot.app)  # type: ignore[arg-type]
    home.show_tab("bo-users")
    await settle(pilot)
    pane = home.query_one(BackofficeUsersPane)
    pane.table.move_cursor(row=pane.table.get_row_index(str(user.id)))
    await pilot.pause()
    current = pane.current_user()
    assert current is not None and current.user_id == user.id
    return pane


async def test_bo_users_tab_deactivates_reactivates_and_resets_the_highlighted_login(
    make: MakeApp, sim: Simulator
) -> None:
    _employee, user = _linked(sim)
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await _bo_tab(pilot, user)
        keys = footer_keys(app)
        assert keys["ctrl+d"].description == "Deactivate" and {"ctrl+t", "ctrl+k"} <= set(keys)
        await pilot.press("ctrl+d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, UserStatusScreen) and app.focused is dialog.query_one("#no")
        assert on_screen(app, user.username)  # it names whom
        await pilot.press("y")
        await settle(pilot)
        assert "deactivated" in shown(dialog.query_one("#write-status", Static))
        assert not user.active
        await pilot.press("enter")
        await settle(pilot)
        assert pane.current_user() is not None and not pane.current_user().active  # type: ignore[union-attr]
        assert footer_keys(app)["ctrl+d"].description == "Reactivate"
        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert user.active
        # A new password: masked, copyable, revealed only on r, and never audited.
        await pilot.press("enter")
        await settle(pilot)
        old = user.password
        await pilot.press("ctrl+k")
        await settle(pilot)
        assert isinstance(app.screen, PasswordResetScreen)
        await pilot.press("y")
        await settle(pilot)
        new = user.password
        assert new != old and len(new) >= 12
        assert not on_screen(app, new) and on_screen(app, "••••••••")
        copied: list[str] = []
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
        await pilot.press("w")
        assert copied == [new]
        await pilot.press("r")
        await pilot.pause()
        assert on_screen(app, new)
        await pilot.press("r")
        await pilot.pause()
        assert not on_screen(app, new)
    assert [e.operation for e in audit.read()] == [
        "disable backoffice user",
        "enable backoffice user",
        "reset backoffice password",
    ]
    assert new not in audit.audit_path().read_text(encoding="utf-8")


async def test_the_tools_own_login_is_refused_before_any_dialog_and_said_on_the_tab(
    make: MakeApp, sim: Simulator
) -> None:
    own = next(u for u in sim.store.users.values() if u.username == sim.username)
    password = own.password
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        pane = await _bo_tab(pilot, own)
        note = shown(pane.query_one("#bo-users-note", Static))
        active = sum(1 for u in sim.store.users.values() if u.active)
        assert f"{active} active, 1 of them this tool's own login ({own.username})" in note
        for key in ("ctrl+k", "ctrl+d"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen)  # no dialog opened
        toasts = [str(n.message) for n in app._notifications]
        assert len(toasts) == 2 and all("the login this tool uses" in t for t in toasts)
    assert own.password == password and own.active
    assert audit.read() == []


async def test_template_and_sites_change_is_reviewed_old_to_new_then_written(
    make: MakeApp, sim: Simulator
) -> None:
    _employee, user = _linked(sim)
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await _bo_tab(pilot, user)
        await pilot.press("ctrl+t")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, BackofficePermissionsScreen)
        picker = form.query_one(SitePicker)
        before = {site.name for site in picker.chosen_sites()}
        assert before == {sim.store.sites[i].name for i in user.site_ids}  # prefilled
        keep = sorted(before)[0]
        form.query_one(Select).value = "user"  # from manager
        picker.choose([keep])
        await pilot.press("ctrl+s")
        await settle(pilot)
        review = app.screen
        assert isinstance(review, PermissionsReviewScreen)
        question = shown(review.query_one("#write-question", Static))
        assert "Manager → General User" in question and f"→ {keep}" in question
        await pilot.press("n")  # back to the form, as typed
        await settle(pilot)
        assert app.screen is form and form.query_one(Select).value == "user"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert "Saved and read back" in shown(app.screen.query_one("#write-status", Static))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert user.site_ids == {i for i, s in sim.store.sites.items() if s.name == keep}
    assert user.tokens == set(
        next(t for t in sim.store.bo_templates.values() if t.name == "user").tokens
    )


# ---------------------------------------------------------------------- access review


async def test_the_access_review_lists_a_risky_login_and_fixing_it_removes_the_row(
    make: MakeApp, sim: Simulator
) -> None:
    employee, user = _linked(sim)
    employee.active = False  # disabled earlier, its Back Office login left open
    for other in sim.store.employees.values():  # none hidden from the roster (no site)
        if other.active and not other.site_ids:
            other.site_ids = {min(sim.store.sites)}
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await _bo_tab(pilot, user)
        await pilot.press("ctrl+a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccessReviewScreen)
        [finding] = screen.findings
        assert (finding.rule, finding.user_id) == ("linked_employee_inactive", user.id)
        assert on_screen(app, "employee inactive") and on_screen(app, user.username)
        await pilot.press("f")  # its fix (Enter too): finish the offboarding
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, OffboardScreen) and not dialog.enable
        assert dialog.query_one("#also-bo", Checkbox).value
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and not user.active
        assert screen.findings == [] and on_screen(app, "No risks found")
        assert on_screen(app, "1 of them this tool's own login")


# ---------------------------------------------------------------- employees the roster hides


def _hidden(sim: Simulator) -> list[Employee]:
    """Val Trialson (4106) and Zion Prototype (4107): active, no site, so never listed."""
    found = sorted(
        (e for e in sim.store.employees.values() if e.active and not e.site_ids),
        key=lambda e: e.pos_user_id,
    )
    assert [e.pos_user_id for e in found] == [4106, 4107]
    return found


async def test_the_filter_reaches_an_employee_the_roster_hides_by_exact_pos_user_id(
    make: MakeApp, sim: Simulator
) -> None:
    val, _zion = _hidden(sim)
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_text(pilot, "#filter", str(val.pos_user_id))
        await settle(pilot)
        assert on_screen(app, "Trialson")
        toasts = [str(n.message) for n in app._notifications]
        assert any("has no available site" in t for t in toasts), toasts
        await pilot.press("ctrl+d")  # offboard them, as anyone listed
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, OffboardScreen) and dialog.row.pos_user_id == val.pos_user_id
        await pilot.press("y")
        await settle(pilot)
    assert not val.active


async def test_the_access_review_footer_offers_e_on_a_hidden_row_and_the_login_keys_elsewhere(
    make: MakeApp, sim: Simulator
) -> None:
    """The trial: on the demo tenant the review opens on a hidden employee, and its footer
    offered Ctrl+D / Ctrl+T (no login to act on: they did nothing) but not e, the key that
    gives them a site."""
    login = sim.store.users[3000002]  # Jordan Pilot's login, left open: a login's finding
    sim.store.employees[login.employee_id or 0].active = False
    _hidden(sim)
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        _home(app).show_tab("bo-users")
        await settle(pilot)
        await pilot.press("ctrl+a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccessReviewScreen) and screen.findings and screen.hidden
        table = screen.query_one("#access-table", DataTable)
        table.move_cursor(row=0)  # a login's finding
        await settle(pilot)
        keys = footer_keys(app)
        assert {"f", "ctrl+d", "ctrl+t"} <= set(keys) and "e" not in keys
        table.move_cursor(row=len(screen.findings))  # an employee the roster hides
        await settle(pilot)
        keys = footer_keys(app)
        assert {"f", "e"} <= set(keys) and not {"ctrl+d", "ctrl+t"} & set(keys)
        assert on_screen(app, "e Give a site")
        await pilot.press("e")
        await settle(pilot)
        assert type(app.screen).__name__ == "EditEmployeeScreen"


async def test_the_access_review_lists_hidden_employees_and_f_offboards_one(
    make: MakeApp, sim: Simulator
) -> None:
    val, zion = _hidden(sim)
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        _home(app).show_tab("bo-users")
        await settle(pilot)
        await pilot.press("ctrl+a")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, AccessReviewScreen)
        assert sorted(r.pos_user_id for r in screen.hidden) == [4106, 4107]
        assert on_screen(app, "hidden: no site") and on_screen(app, "give a site (e)")
        table = screen.query_one("#access-table", DataTable)
        index = len(screen.findings) + [r.pos_user_id for r in screen.hidden].index(4107)
        table.move_cursor(row=index)
        await pilot.pause()
        assert screen.current_hidden() is not None
        await pilot.press("f")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, OffboardScreen) and dialog.row.pos_user_id == 4107
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and [r.pos_user_id for r in screen.hidden] == [4106]
    assert not zion.active and val.active
