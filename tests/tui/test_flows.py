"""Pilot tests: every flow of the app, driven by keys, against the simulator."""

from __future__ import annotations

import stat
from decimal import Decimal

import pytest
from textual.geometry import Region
from textual.widgets import Button, Checkbox, Input, Select, SelectionList, Static, Tree

from sonnys_tui import audit
from sonnys_tui.config import config_path, load_profiles
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Employee
from sonnys_tui.tui.dialogs.offboard import OffboardScreen
from sonnys_tui.tui.screens.connect import ConnectScreen
from sonnys_tui.tui.screens.hire_result import HireResultScreen
from sonnys_tui.tui.screens.home import HomeScreen
from sonnys_tui.tui.screens.new_employee import NewEmployeeScreen
from sonnys_tui.tui.widgets.employee_detail import MASK, EmployeeDetail
from sonnys_tui.tui.widgets.employee_table import EmployeeTable

from ..waiting import wait_until
from .conftest import FIXED_TODAY, MakeApp, on_screen, open_new_employee, settle, shown, type_text

pytestmark = pytest.mark.anyio


def _home(app: object) -> HomeScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, HomeScreen), screen
    return screen


def _listed(sim: Simulator) -> dict[int, Employee]:
    # The Back Office's list page leaves out employees who have no site.
    return {i: e for i, e in sim.store.employees.items() if e.site_ids}


def _active_with_pos(sim: Simulator) -> Employee:
    return next(e for _i, e in sorted(_listed(sim).items()) if e.active and e.pos_user_id)


async def test_home_lists_every_employee_with_filter_focused(make: MakeApp, sim: Simulator):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = _home(app)
        table = home.query_one("#table", EmployeeTable)
        assert {r.employee_id for r in table.rows} == set(_listed(sim))
        assert isinstance(app.focused, Input) and app.focused.id == "filter"
        status = shown(home.query_one("#roster-status", Static))
        assert f"{len(_listed(sim))} of {len(_listed(sim))}" in status


async def test_filter_by_name_and_by_number(make: MakeApp, sim: Simulator):
    target = _active_with_pos(sim)
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = _home(app).query_one("#table", EmployeeTable)
        await type_text(pilot, "#filter", target.last_name[:4].lower(), keys=True)
        await pilot.pause()
        assert table.rows
        assert all(target.last_name[:4].lower() in r.full_name.lower() for r in table.rows)
        assert target.id in {r.employee_id for r in table.rows}

        await type_text(pilot, "#filter", str(target.pos_user_id))
        await pilot.pause()
        assert target.id in {r.employee_id for r in table.rows}
        assert all(
            str(target.pos_user_id) in f"{r.pos_user_id} {r.phone.replace('-', '')}"
            or str(target.pos_user_id) in "".join(c for c in r.phone if c.isdigit())
            for r in table.rows
        )

        await type_text(pilot, "#filter", "zzzz-nobody")
        await pilot.pause()
        assert list(table.rows) == []


async def test_enter_opens_detail_and_pin_is_masked_until_revealed(make: MakeApp, sim: Simulator):
    target = _active_with_pos(sim)
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, "#filter", str(target.pos_user_id))
        await pilot.press("enter")
        await settle(pilot)
        detail = _home(app).query_one("#detail", EmployeeDetail)
        assert detail.display and detail.record is not None
        assert detail.record.employee_id == target.id
        body = shown(detail.query_one("#detail-body", Static))
        assert MASK in body or "(none)" in body
        assert target.pos_pin not in body
        await pilot.press("p")
        await pilot.pause()
        if target.pos_pin:
            assert target.pos_pin in shown(detail.query_one("#detail-body", Static))
        await pilot.press("escape")
        await pilot.pause()
        assert not detail.display
        assert app.focused is not None and app.focused.id == "filter"


async def test_disable_then_enable_updates_server_and_table(make: MakeApp, sim: Simulator):
    target = _active_with_pos(sim)
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = _home(app)
        table = home.query_one("#table", EmployeeTable)
        await type_text(pilot, "#filter", str(target.pos_user_id))
        await pilot.pause()
        assert table.current is not None and table.current.employee_id == target.id

        # The dialog defaults to No: Enter on the focused button changes nothing.
        await pilot.press("ctrl+d")
        await settle(pilot)  # the dialog reads the Back Office logins first
        assert isinstance(app.screen, OffboardScreen)
        assert isinstance(app.focused, Button) and app.focused.id == "no"
        await pilot.press("enter")
        await settle(pilot)
        assert sim.store.employees[target.id].active is True

        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("enter")  # the result stays until read
        await settle(pilot)
        assert sim.store.employees[target.id].active is False
        assert table.current is not None and table.current.active is False

        await pilot.press("ctrl+d")
        await settle(pilot)
        assert isinstance(app.screen, OffboardScreen) and app.screen.enable
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert sim.store.employees[target.id].active is True
        assert table.current is not None and table.current.active is True


async def test_active_switch_and_site_selection(make: MakeApp, sim: Simulator):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = _home(app)
        table = home.query_one("#table", EmployeeTable)
        await pilot.press("f2")  # all -> active
        await pilot.pause()
        assert table.rows and all(r.active for r in table.rows)
        await pilot.press("f2")  # -> inactive
        await pilot.pause()
        inactive = {i for i, e in _listed(sim).items() if not e.active}
        assert {r.employee_id for r in table.rows} == inactive
        await pilot.press("f2")  # -> all
        await pilot.pause()

        site = next(iter(sim.store.sites.values()))
        home.query_one("#tabs").active = "sites"  # type: ignore[attr-defined]
        await pilot.pause()
        tree = home.query_one("#site-tree", Tree)
        tree.focus()
        line = next(
            n.line
            for n in _walk(tree.root)
            if n.data == site.code  # type: ignore[attr-defined]
        )
        tree.cursor_line = line
        await pilot.press("enter")
        await pilot.pause()
        assert home.query_one("#tabs").active == "employees"  # type: ignore[attr-defined]
        expected = {i for i, e in _listed(sim).items() if site.id in e.site_ids}
        assert {r.employee_id for r in table.rows} == expected
        await pilot.press("escape")  # clears the site filter
        await pilot.pause()
        assert len(table.rows) == len(_listed(sim))


def _walk(node):  # type: ignore[no-untyped-def]
    yield node
    for child in node.children:
        yield from _walk(child)


async def _fill_hire_form(pilot, sim: Simulator, *, pos_id: int) -> None:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    assert isinstance(screen, NewEmployeeScreen)
    await type_text(pilot, "#first_name", "Testy", keys=True)
    await type_text(pilot, "#last_name", "McHireface")
    await type_text(pilot, "#phone", "(555) 010-0142")
    await type_text(pilot, "#email", "testy.mchireface@example.com")
    await type_text(pilot, "#pos_user_id", str(pos_id))
    await type_text(pilot, "#pos_pin", "24680")
    await type_text(pilot, "#wage_rate", "15.50")
    site = sorted(sim.store.sites.values(), key=lambda s: s.id)[0]
    screen.query_one("#available_sites", SelectionList).select(site.name)
    screen.query_one("#departments", SelectionList).select("Line")
    screen.query_one("#permission", Select).value = "Cashier"
    await settle(pilot)


async def test_hire_without_backoffice_login(make: MakeApp, sim: Simulator):
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_new_employee(pilot)
        assert screen.query_one("#start_date", Input).value == FIXED_TODAY.isoformat()
        next_free = int(screen.query_one("#pos_user_id", Input).value)
        assert sim.store.employee_by_pos_id(next_free) is None
        await _fill_hire_form(pilot, sim, pos_id=next_free)
        placeholder = screen.query_one("#overtime_wage_rate", Input).placeholder
        assert "23.25" in placeholder  # 1.5 x 15.50 shown as the default
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HireResultScreen), app.screen
        created = sim.store.employee_by_pos_id(next_free)
        assert created is not None
        assert (created.first_name, created.last_name) == ("Testy", "McHireface")
        assert created.email == "testy.mchireface@example.com"
        assert created.pos_pin == "24680"
        assert created.start_date == FIXED_TODAY
        wage = created.latest_wage()
        assert wage is not None and wage.regular_rate == Decimal("15.50")
        assert not [u for u in sim.store.users.values() if u.employee_id == created.id]
        result = shown(app.screen.query_one("#result-fields", Static))
        assert "24680" not in result  # masked until asked for
        await pilot.press("r")
        await pilot.pause()
        result = shown(app.screen.query_one("#result-fields", Static))
        assert "24680" in result  # the PIN, revealed once on this screen
        await pilot.press("c")  # copy PIN: must not crash without a clipboard
        await pilot.press("escape")
        await settle(pilot)
        home = _home(app)
        assert created.id in {r.employee_id for r in home.query_one("#table", EmployeeTable).rows}


async def test_hire_with_backoffice_login(make: MakeApp, sim: Simulator):
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        screen = app.screen
        next_free = int(screen.query_one("#pos_user_id", Input).value)
        await _fill_hire_form(pilot, sim, pos_id=next_free)
        screen.query_one("#requires_backoffice", Checkbox).value = True
        await pilot.pause()
        await type_text(pilot, "#backoffice_username", "tmchireface")
        await type_text(pilot, "#backoffice_password", "Sup3r-Secret!")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HireResultScreen), app.screen
        employee = sim.store.employee_by_pos_id(next_free)
        assert employee is not None
        users = [u for u in sim.store.users.values() if u.username == "tmchireface"]
        assert len(users) == 1
        assert users[0].employee_id == employee.id
        assert users[0].password == "Sup3r-Secret!"
        assert "tmchireface" in shown(app.screen.query_one("#result-fields", Static))


async def test_duplicate_pos_id_is_caught_before_submit(make: MakeApp, sim: Simulator):
    taken = _active_with_pos(sim).pos_user_id
    before = len(sim.store.employees)
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await _fill_hire_form(pilot, sim, pos_id=taken)
        screen = app.screen
        status = shown(screen.query_one("#field-pos_user_id .field-status", Static))
        assert "taken" in status
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen  # refused: still on the form
        assert len(sim.store.employees) == before
        assert app.focused is screen.query_one("#pos_user_id", Input)

        await pilot.press("ctrl+f")  # take the next free POS User ID instead
        await settle(pilot)
        free = int(screen.query_one("#pos_user_id", Input).value)
        assert sim.store.employee_by_pos_id(free) is None
        assert "free" in shown(screen.query_one("#field-pos_user_id .field-status", Static))


async def test_server_rejection_keeps_everything_typed(make: MakeApp, sim: Simulator):
    sim.faults.add(
        path="/employee/insert", method="POST", nth=1, kind="alert", alert_text="Wage site missing."
    )
    before = len(sim.store.employees)
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        screen = app.screen
        next_free = int(screen.query_one("#pos_user_id", Input).value)
        await _fill_hire_form(pilot, sim, pos_id=next_free)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert len(sim.store.employees) == before
        progress = shown(screen.query_one("#hire-progress", Static))
        assert "Wage site missing." in progress
        assert screen.query_one("#first_name", Input).value == "Testy"
        assert screen.query_one("#pos_pin", Input).value == "24680"
        assert screen.query_one("#permission", Select).value == "Cashier"
        assert not screen.query_one("#submit", Button).disabled
        # Fixing nothing and retrying works once the server accepts the form.
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HireResultScreen)
        assert sim.store.employee_by_pos_id(next_free) is not None
    # Both attempts are in the audit trail, the refused one as failed; never the PIN.
    events = audit.read()
    assert [(e.operation, e.outcome) for e in events] == [("hire", "failed"), ("hire", "ok")]
    assert events[0].target == f"pos_user_id={next_free}"
    assert "Wage site missing." in events[0].error
    assert "24680" not in audit.audit_path().read_text(encoding="utf-8")


async def test_login_failure_is_shown_on_connect_screen(make: MakeApp, sim: Simulator):
    app = make(password="definitely-wrong")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConnectScreen)
        error = shown(app.screen.query_one("#connect-error", Static))
        assert error.startswith("Login failed")
        assert "definitely-wrong" not in error
        assert app.screen.query_one("#connect-error").has_class("visible")


async def test_profile_creation_writes_private_config(make: MakeApp, sim: Simulator):
    app = make(profile=None)
    async with app.run_test(size=(80, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConnectScreen)
        await type_text(pilot, "#subdomain", "demo")
        await type_text(pilot, "#username", sim.username)
        await type_text(pilot, "#base-url", "http://127.0.0.1:8080")
        await type_text(pilot, "#profile-name", "eastside")
        app.screen.query_one("#save-profile", Checkbox).value = True
        await type_text(pilot, "#password", sim.password)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert stat.S_IMODE(config_path().stat().st_mode) == 0o600
        profile = load_profiles()["eastside"]
        assert (profile.subdomain, profile.username) == ("demo", sim.username)
        assert profile.base_url == "http://127.0.0.1:8080"
        assert sim.password not in config_path().read_text()


async def test_server_text_that_looks_like_markup_is_shown_literally(make: MakeApp, sim: Simulator):
    employee = Employee(
        id=sim.store.next_employee_id(),
        first_name="[bold]Bo",
        last_name="[@click=app.quit]Tag[/]",
        pos_user_id=98765,
        phone="5550100123",
        email="bo.tag@example.com",
        site_ids={next(iter(sim.store.sites))},
    )
    sim.store.add_employee(employee)
    app = make()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await type_text(pilot, "#filter", "98765")
        await pilot.pause()
        table = _home(app).query_one("#table", EmployeeTable)
        assert [r.employee_id for r in table.rows] == [employee.id]
        first_row = table.render_lines(Region(0, 0, table.size.width, 2))[1]
        line = first_row.text
        assert "[bold]Bo [@click=app.quit]Tag[/]" in line
        await pilot.press("enter")
        await settle(pilot)
        body = shown(_home(app).query_one("#detail-body", Static))
        assert "[bold]Bo" in body
        assert app.is_running


async def test_palette_finds_employee_by_pos_id(make: MakeApp, sim: Simulator):
    target = _active_with_pos(sim)
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*str(target.pos_user_id))
        # The palette searches on a short timer of its own: until the hit is listed.
        await wait_until(pilot, lambda: on_screen(app, f"· #{target.pos_user_id}"))
        await pilot.press("enter")
        await settle(pilot)
        detail = _home(app).query_one("#detail", EmployeeDetail)
        assert detail.display and detail.employee_id == target.id


async def test_new_backoffice_user_standalone_and_linked(make: MakeApp, sim: Simulator):
    from textual.widgets import RadioButton

    from sonnys_tui.tui.screens.hire_result import BackofficeUserResultScreen
    from sonnys_tui.tui.screens.new_backoffice_user import NewBackofficeUserScreen
    from sonnys_tui.tui.widgets.site_picker import ALL_SITES, SitePicker

    with_login = {u.employee_id for u in sim.store.users.values()}
    target = next(
        e
        for _i, e in sorted(_listed(sim).items())
        if e.active and e.pos_user_id and e.id not in with_login
    )
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, "#filter", str(target.pos_user_id))
        await pilot.press("ctrl+b")
        await settle(pilot)  # the employee's record: its e-mail and sites
        screen = app.screen
        assert isinstance(screen, NewBackofficeUserScreen)
        assert screen.linked  # the selected employee is offered first
        await type_text(pilot, "#username", "linked_login")
        if not target.email:
            await type_text(pilot, "#email", "linked.login@example.com")
        await pilot.press("ctrl+s")
        await settle(pilot)
        result = app.screen
        assert isinstance(result, BackofficeUserResultScreen)
        linked = sim.store.user_by_username("linked_login")
        assert linked is not None and linked.employee_id == target.id
        assert result.user.password.reveal() == linked.password  # generated, shown once
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("ctrl+b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NewBackofficeUserScreen)
        screen.query_one("#standalone", RadioButton).value = True
        await pilot.pause()
        assert not screen.linked
        await type_text(pilot, "#first_name", "Outside")
        await type_text(pilot, "#last_name", "Contractor")
        await type_text(pilot, "#username", "contractor1")
        await type_text(pilot, "#email", "contractor1@example.invalid")
        await type_text(pilot, "#password", "Contract-0r-pass")
        screen.query_one("#available_sites", SitePicker).choose([ALL_SITES])
        await pilot.press("ctrl+s")
        await settle(pilot)
        user = sim.store.user_by_username("contractor1")
        assert user is not None
        assert user.employee_id is None
        assert (user.first_name, user.last_name) == ("Outside", "Contractor")
        assert user.password == "Contract-0r-pass"


async def test_sorting_by_key_and_by_clicking_a_column_title(make: MakeApp, sim: Simulator):
    from sonnys_tui.tui.widgets.employee_table import GAP, layout_columns

    app = make()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        table = _home(app).query_one("#table", EmployeeTable)
        by_name = [(r.last_name.lower(), r.first_name.lower()) for r in table.rows]
        assert by_name == sorted(by_name)
        await pilot.press("f3")  # name -> POS ID
        await pilot.pause()
        pos_ids = [r.pos_user_id for r in table.rows if r.pos_user_id is not None]
        assert pos_ids == sorted(pos_ids)
        await pilot.press("f4")
        await pilot.pause()
        pos_ids = [r.pos_user_id for r in table.rows if r.pos_user_id is not None]
        assert pos_ids == sorted(pos_ids, reverse=True)

        # Clicking the Phone title sorts by phone digits.
        layout = layout_columns(table.scrollable_content_region.width)
        x = sum(width + GAP for _i, width in layout[:2]) + 1
        await pilot.click(EmployeeTable, offset=(x, 0))
        await pilot.pause()
        digits = ["".join(c for c in r.phone if c.isdigit()) for r in table.rows]
        assert digits == sorted(digits)


async def test_disable_failure_is_shown_in_the_dialog_and_the_employee_stays_active(
    make: MakeApp, sim: Simulator
):
    target = _active_with_pos(sim)
    sim.faults.add(path="/employee/update", method="POST", nth=None, kind="500")
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await type_text(pilot, "#filter", str(target.pos_user_id))
        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert sim.store.employees[target.id].active is True
        # A write's failure is read in the dialog (what is closed, what is not), not
        # in a toast that vanishes.
        dialog = app.screen
        assert isinstance(dialog, OffboardScreen)
        assert "✗ POS login" in shown(dialog.query_one("#write-status", Static))
        await pilot.press("enter")
        await settle(pilot)
        table = _home(app).query_one("#table", EmployeeTable)
        assert table.current is not None and table.current.active is True
        assert isinstance(app.screen, HomeScreen)


async def test_password_from_environment_connects_at_once(
    make: MakeApp, sim: Simulator, monkeypatch: pytest.MonkeyPatch
):
    from .conftest import DEMO_PROFILE, sim_client_factory

    monkeypatch.setenv("SONNYS_PASSWORD", sim.password)
    from sonnys_tui.tui.app import make_app

    app = make_app(profile=DEMO_PROFILE, client_factory=sim_client_factory(sim))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_switch_profile_returns_to_a_prefilled_connect_screen(make: MakeApp, sim: Simulator):
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        app.action_switch_profile()
        await settle(pilot)
        assert isinstance(app.screen, ConnectScreen)
        assert app.screen.query_one("#subdomain", Input).value == "demo"
        assert app.screen.query_one("#password", Input).value == ""  # asked again, never kept


async def test_saved_profile_is_offered_and_fills_the_form(make: MakeApp, sim: Simulator):
    from textual.widgets import Select as SelectWidget

    from sonnys_tui.config import Profile, save_profile

    save_profile(Profile(name="north", subdomain="demo", username=sim.username))
    app = make(profile=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConnectScreen)
        screen.query_one("#profile-select", SelectWidget).value = "north"
        await pilot.pause()
        assert screen.query_one("#subdomain", Input).value == "demo"
        assert screen.query_one("#username", Input).value == sim.username
        assert app.focused is screen.query_one("#password", Input)
        await type_text(pilot, "#password", sim.password)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_cursor_stays_on_the_same_employee_while_filtering(make: MakeApp, sim: Simulator):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = _home(app).query_one("#table", EmployeeTable)
        await pilot.press("down", "down", "down")
        chosen = table.current
        assert chosen is not None and table.cursor == 3
        await type_text(pilot, "#filter", chosen.first_name[:2].lower(), keys=True)
        assert table.current is not None and table.current.employee_id == chosen.employee_id
        await type_text(pilot, "#filter", "", keys=True)
        assert table.current is not None and table.current.employee_id == chosen.employee_id


async def test_stale_availability_answer_is_dropped(make: MakeApp, sim: Simulator):
    from sonnys_tui.tui.screens.new_employee import Availability

    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_new_employee(pilot)
        await type_text(pilot, "#email", "fresh.person@example.com")
        await settle(pilot)
        status = screen.query_one("#field-email .field-status", Static)
        assert "unsure" in shown(status)  # an e-mail no list has is never called free
        # An answer about what was typed before must not overwrite the current one.
        screen.post_message(Availability("email", "old.value@example.com", "taken"))
        await pilot.pause()
        assert "unsure" in shown(status)
        assert "email" not in screen.taken


async def test_escape_on_a_typed_form_warns_before_discarding(make: MakeApp, sim: Simulator):
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await type_text(pilot, "#first_name", "Half", keys=True)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, NewEmployeeScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_a_tab_once_shown_redraws_refreshes_head_counts_and_a_failed_refresh(
    make: MakeApp, sim: Simulator
) -> None:
    """The reference tabs mount when first shown; from then on each redraws what a
    refresh (F5) brings, a head count a disable moves, and a refresh that failed."""
    from textual.widgets import DataTable, OptionList

    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        home = _home(app)
        for tab in ("sites", "departments", "templates", "bo-users", "employees"):
            home.show_tab(tab)
            await settle(pilot)
        site = min(sim.store.sites.values(), key=lambda s: s.id)
        site.name = "Renamed Site Nine"
        department = min(sim.store.departments.values(), key=lambda d: d.id)
        department.name = "Renamed Department"
        template = max(sim.store.pos_templates.values(), key=lambda t: t.id)
        template.name = "Renamed Template"
        user = max(sim.store.users.values(), key=lambda u: u.id)
        user.first_name = "Renamedfirst"
        await pilot.press("f5")
        await settle(pilot)

        def options(selector: str) -> list[str]:
            listed = home.query_one(selector, OptionList)
            return [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]

        tree = home.query_one("#site-tree", Tree)
        nodes, labels = [tree.root], []
        while nodes:  # regions, districts, sites
            node = nodes.pop()
            labels.append(str(node.label))
            nodes.extend(node.children)
        assert any("Renamed Site Nine" in label for label in labels)
        assert any("Renamed Department" in text for text in options("#department-list"))
        assert any("Renamed Template" in text for text in options("#template-list"))
        table = home.query_one("#bo-user-table", DataTable)
        assert any("Renamedfirst" in str(table.get_row_at(i)[0]) for i in range(table.row_count))

        # A disable moves the department's head count on its tab, already mounted.
        target = next(
            e
            for _i, e in sorted(_listed(sim).items())
            if e.active and e.pos_user_id and department.id in e.department_ids
        )
        before = next(t for t in options("#department-list") if "Renamed Department" in t)
        await type_text(pilot, "#filter", str(target.pos_user_id))
        await pilot.press("ctrl+d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert not sim.store.employees[target.id].active
        after = next(t for t in options("#department-list") if "Renamed Department" in t)
        assert after != before, (before, after)

        # A refresh that fails leaves no tab loading for ever.
        sim.faults.add(path="/user", method="GET", nth=None, kind="500")
        sim.faults.add(path="/employee/create", method="GET", nth=None, kind="500")
        await pilot.press("escape", "f5")
        await settle(pilot)
        assert not table.loading and not tree.loading


async def test_a_hire_the_filter_hides_leaves_the_open_employee_selected(
    make: MakeApp, sim: Simulator
):
    """The trial: filter "jordan", Jordan Pilot open in the detail pane, hire someone the
    filter does not show: back on the table the cursor and the pane had moved to the first
    row (another Jordan), behind the user's back; Ctrl+D then named someone else."""
    pilot_row = next(e for e in sim.store.employees.values() if e.pos_user_id == 4101)
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        home = _home(app)
        table = home.query_one("#table", EmployeeTable)
        await type_text(pilot, "#filter", "jordan")
        await settle(pilot)
        index = [r.employee_id for r in table.rows].index(pilot_row.id)
        assert index > 0  # not the first row: a jump to the top would show
        table.cursor = index
        await settle(pilot)
        home.employees._open_detail(table.current)  # as Enter on the row does
        await settle(pilot)
        detail = home.query_one(EmployeeDetail)
        assert detail.display and detail.employee_id == pilot_row.id
        screen = await open_new_employee(pilot)
        next_free = int(screen.query_one("#pos_user_id", Input).value)
        await _fill_hire_form(pilot, sim, pos_id=next_free)  # Testy McHireface: no "jordan"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HireResultScreen), app.screen
        await pilot.press("escape")
        await settle(pilot)
        assert table.current is not None and table.current.employee_id == pilot_row.id
        assert detail.employee_id == pilot_row.id
