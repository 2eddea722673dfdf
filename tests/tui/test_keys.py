"""Keys act on what is shown and focused, and every screen shows its own keys, at 80
columns too: the tab keys, the footer, the dialogs' footers, F1 and the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.widgets import (
    Input,
    OptionList,
    RadioButton,
    TabbedContent,
    Tabs,
    Tree,
)
from textual.widgets._footer import FooterKey

from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Employee
from sonnys_tui.tui.app import SonnysApp
from sonnys_tui.tui.dialogs.offboard import OffboardScreen
from sonnys_tui.tui.screens.help import KEYS, HelpScreen, keys_markdown
from sonnys_tui.tui.screens.hire_result import HireResultScreen
from sonnys_tui.tui.screens.home import TABS, HomeScreen
from sonnys_tui.tui.screens.new_backoffice_user import NewBackofficeUserScreen
from sonnys_tui.tui.widgets.employee_table import EmployeeTable

from .conftest import MakeApp, open_new_employee, sample_hire, settle, type_text

pytestmark = pytest.mark.anyio

README = Path(__file__).resolve().parents[2] / "README.md"
OTHER_TABS = [tab for tab, _title in TABS if tab != "employees"]
EMPLOYEE_KEYS = {"ctrl+d", "f2", "f3"}


def _home(app: SonnysApp) -> HomeScreen:
    screen = app.screen
    assert isinstance(screen, HomeScreen), screen
    return screen


def _employee(sim: Simulator, *, active: bool) -> Employee:
    return next(
        e
        for _i, e in sorted(sim.store.employees.items())
        if e.site_ids and e.pos_user_id and e.active is active
    )


def footer_keys(app: SonnysApp) -> dict[str, FooterKey]:
    """The keys the current screen's own footer shows, by key."""
    return {key.key: key for key in app.screen.query(FooterKey)}


async def _select(pilot: Pilot[object], employee: Employee) -> None:
    await type_text(pilot, "#filter", str(employee.pos_user_id))
    await settle(pilot)
    current = _home(pilot.app).employees.current_employee()  # type: ignore[arg-type]
    assert current is not None and current.employee_id == employee.id


# ---------------------------------------------------------------------- item 3


@pytest.mark.parametrize("tab", OTHER_TABS)
async def test_employee_keys_act_only_on_the_employees_tab(
    make: MakeApp, sim: Simulator, tab: str
) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _select(pilot, _employee(sim, active=False))
        assert "ctrl+d" in footer_keys(app)
        _home(app).show_tab(tab)
        await settle(pilot)
        keys = footer_keys(app)
        if tab == "bo-users":  # its own Ctrl+D acts on its own highlighted login
            assert keys["ctrl+d"].description in ("Deactivate", "Reactivate")
            keys.pop("ctrl+d")
        assert not EMPLOYEE_KEYS & set(keys)  # this tab's keys only
        await pilot.press(*(["f2"] if tab == "bo-users" else ["ctrl+d", "f2"]))
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)  # no "Re-enable this employee?"
        assert _home(app).employees.roster.active == "all"  # f2 did not act either
        await pilot.press("ctrl+b")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NewBackofficeUserScreen)
        assert dialog.employee is None and not dialog.linked  # not the hidden row


async def test_ctrl_d_offers_disable_or_enable_for_the_employee_shown(
    make: MakeApp, sim: Simulator
) -> None:
    app = make()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await _select(pilot, _employee(sim, active=True))
        assert footer_keys(app)["ctrl+d"].description == "Disable"
        await _select(pilot, _employee(sim, active=False))
        assert footer_keys(app)["ctrl+d"].description == "Enable"
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert isinstance(app.screen, OffboardScreen) and app.screen.enable
        await pilot.press("escape")
        await type_text(pilot, "#filter", "zzzz-nobody")
        await settle(pilot)
        key = footer_keys(app)["ctrl+d"]
        assert key.has_class("-disabled")  # nobody shown: offered dimmed, does nothing
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)


async def test_ctrl_b_names_an_inactive_employee_instead_of_none(
    make: MakeApp, sim: Simulator
) -> None:
    inactive = _employee(sim, active=False)
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await _select(pilot, inactive)
        await pilot.press("ctrl+b")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, NewBackofficeUserScreen)
        linked = dialog.query_one("#linked", RadioButton)
        label = str(linked.label)
        assert inactive.first_name in label and "inactive" in label
        assert "none selected" not in label
        assert linked.disabled and not dialog.linked


async def test_the_status_filter_is_offered_only_where_its_table_is_shown(make: MakeApp):
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = _home(app)

        def titles() -> list[str]:
            return [c.title for c in app.get_system_commands(home)]

        assert "Show active / inactive / all" in titles()
        assert "Go to Sites" in titles() and "Go to Employees" not in titles()
        home.show_tab("bo-users")
        await settle(pilot)
        assert "Show active / inactive / all" not in titles()
        assert "Go to Employees" in titles()


# ---------------------------------------------------------------------- item 4


async def test_tab_keys_switch_tabs_and_focus_the_tabs_list(make: MakeApp) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = _home(app)
        tabs = home.query_one("#tabs", TabbedContent)
        order = [tab for tab, _title in TABS]
        for expected in order[1:] + order[:1]:
            await pilot.press("ctrl+pagedown")
            await settle(pilot)
            assert tabs.active == expected
            pane = home.query_one(f"#{expected}-pane")
            assert app.focused is not None and pane in app.focused.ancestors_with_self
        await pilot.press("ctrl+pageup")
        await settle(pilot)
        assert tabs.active == order[-1]
        await pilot.press("alt+left")
        await settle(pilot)
        assert tabs.active == order[-2]


async def test_enter_on_a_department_filters_the_employees_tab(
    make: MakeApp, sim: Simulator
) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = _home(app)
        await pilot.press("ctrl+pagedown", "ctrl+pagedown")
        await settle(pilot)
        assert home.active_tab == "departments"
        assert isinstance(app.focused, OptionList)
        assert footer_keys(app)["enter"].description == "Show its employees"
        await pilot.press("enter")
        await settle(pilot)
        first = home.tenant.departments[0].name
        assert home.active_tab == "employees"
        assert home.employees.roster.department == first
        rows = home.query_one("#table", EmployeeTable).rows
        assert rows and all(first in r.departments for r in rows)


async def test_from_the_tab_bar_down_goes_into_the_tab(make: MakeApp) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = _home(app)
        home.query_one(Tabs).focus()
        await pilot.press("right")  # the tab bar's own keys
        await settle(pilot)
        assert home.active_tab == "sites"
        await pilot.press("down")
        await settle(pilot)
        assert isinstance(app.focused, Tree)
        assert footer_keys(app)["enter"].description == "Show its employees"


def _inside(app: SonnysApp, key: FooterKey) -> bool:
    region = key.region
    return region.width > 0 and region.x >= 0 and region.right <= app.size.width


async def _each_screen(pilot: Pilot[object], sim: Simulator):  # type: ignore[no-untyped-def]
    """Yield after opening each screen in turn (and name it)."""
    app = pilot.app
    await settle(pilot)
    yield "employees"
    await _select(pilot, _employee(sim, active=True))
    await pilot.press("enter")
    await settle(pilot)
    yield "employees, detail open"
    for tab in OTHER_TABS:
        _home(app).show_tab(tab)  # type: ignore[arg-type]
        await settle(pilot)
        yield tab
    _home(app).show_tab("employees")  # type: ignore[arg-type]
    await pilot.press("ctrl+d")
    await settle(pilot)
    yield "disable"
    await pilot.press("escape", "f1")
    await settle(pilot)
    yield "help"
    await pilot.press("escape", "f7")
    await settle(pilot)
    yield "audit log"
    await pilot.press("escape")
    await settle(pilot)
    _home(app).action_access_review()  # type: ignore[arg-type]
    await settle(pilot)
    yield "access review"
    await pilot.press("escape", "ctrl+b")
    await settle(pilot)
    yield "new BO user"
    await pilot.press("escape")
    await open_new_employee(pilot)
    yield "new employee"


async def test_every_footer_fits_80_columns_with_help_and_quit(
    make: MakeApp, sim: Simulator
) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        async for name in _each_screen(pilot, sim):
            keys = footer_keys(app)
            assert keys, f"{name}: no footer of its own"
            cut = [k.key for k in keys.values() if not _inside(app, k)]
            assert not cut, f"{name}: {cut} cut off"
            if not app.screen.is_modal:
                assert {"f1", "ctrl+q"} <= set(keys), f"{name}: {sorted(keys)}"


async def test_the_home_footer_puts_the_tabs_keys_first(make: MakeApp) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        keys = list(footer_keys(app))
        assert keys[:3] == ["ctrl+d", "f2", "f3"] and keys[3] == "ctrl+n"
        assert keys[-3:] == ["f1", "ctrl+q", "ctrl+p"]
        await pilot.resize_terminal(120, 30)
        await settle(pilot)
        assert "f5" in footer_keys(app)  # dropped at 80 columns only


async def test_dialogs_show_their_own_keys_with_the_safe_answer_focused(
    make: MakeApp, sim: Simulator
) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _select(pilot, _employee(sim, active=True))
        await pilot.press("ctrl+d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, OffboardScreen)
        keys = footer_keys(app)
        assert {"y", "n", "escape"} <= set(keys)  # y is a shortcut the footer shows
        assert not {"ctrl+n", "ctrl+b", "f2"} & set(keys)  # not the home screen's
        assert app.focused is dialog.query_one("#no")
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert _employee(sim, active=True).active


async def test_the_hire_result_shows_its_reveal_and_copy_keys(make: MakeApp) -> None:
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.push_screen(HireResultScreen(sample_hire(), ()))
        await settle(pilot)
        keys = footer_keys(app)
        assert {"r", "c", "w"} <= set(keys)
        assert not {"ctrl+n", "ctrl+d"} & set(keys)


async def test_help_lists_the_tab_keys_and_has_its_own_footer(make: MakeApp) -> None:
    keys = {key for _section, rows in KEYS for key, _what in rows}
    assert any("Ctrl+PgDn" in key for key in keys)
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert set(footer_keys(app)) == {"escape"}


def test_the_readme_key_table_is_the_help_screens() -> None:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- keys -->\n(.*?)\n<!-- /keys -->", text, re.S)
    assert found, "README has no key table between <!-- keys --> markers"
    assert found.group(1).strip() == keys_markdown()


def test_input_fields_are_not_where_the_tab_keys_go() -> None:
    # Ctrl+PgDn / Alt+arrows are free in an Input: the filter keeps its own keys.
    bound = {key for b in Binding.make_bindings(Input.BINDINGS) for key in b.key.split(",")}
    assert not {"ctrl+pagedown", "ctrl+pageup", "alt+left", "alt+right"} & bound


@pytest.mark.parametrize(
    ("presses", "tab"), [(4, "bo-users"), (5, "employees"), (2, "departments")]
)
async def test_quick_tab_switches_land_on_the_tab_asked_for_with_its_focus(
    make: MakeApp, presses: int, tab: str
) -> None:
    """Ctrl+PgDn pressed several times at once: the tab shown is the one counted to, and
    the focus is in it (never in a hidden tab's table)."""
    from textual.widgets import TabbedContent, TabPane

    from .conftest import type_ahead

    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_ahead(pilot, *["ctrl+pagedown"] * presses)
        await settle(pilot)
        assert app.screen.query_one("#tabs", TabbedContent).active == tab
        focused = app.focused
        assert focused is not None
        pane = next(a for a in focused.ancestors_with_self if isinstance(a, TabPane))
        assert pane.id == tab
