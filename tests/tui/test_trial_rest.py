"""Issue 18, "the rest of the trial", in the app: messages that say what happened (no
"nothing was written" after a door was closed, "Back Office said no" only for the Back
Office's own refusals), and the screens' items each tested where the trial found them."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from sonnys_tui.backoffice.errors import (
    BackofficeConnectionError,
    ConflictError,
    DuplicateError,
    ReadOnlyError,
    ValidationError,
)
from sonnys_tui.simulator import Simulator
from sonnys_tui.tui.errors import error_title

from .conftest import MakeApp, settle
from .test_offboarding import _ctrl_d, _linked, _status

pytestmark = pytest.mark.anyio


async def test_a_stop_part_way_never_says_nothing_was_written(
    make: MakeApp, sim: Simulator
) -> None:
    employee, first = _linked(sim)
    sim.store.add_user(
        replace(first, id=sim.store.next_user_id(), username="JPilot2", email="jp2@example.com")
    )
    sim.faults.add(path="/user/update", method="POST", nth=2, kind="500", when="before")
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _ctrl_d(pilot, employee)
        await pilot.press("y")
        await settle(pilot)
        status = _status(dialog)
        assert "Stopped part way" in status and "✓ Back Office login" in status
        assert "nothing was written" not in status.casefold()
        assert "this step changed nothing" in status


def test_a_dropped_write_read_back_as_not_written_does_not_say_unknown() -> None:
    error = BackofficeConnectionError(
        "POST /employee/update failed: the connection was lost; its outcome is unknown"
    )
    assert "outcome is unknown" in str(error)  # until it is read back
    error.state = "nothing was written: employee 5 was not disabled"
    assert "unknown" not in str(error)
    assert str(error).endswith("(nothing was written: employee 5 was not disabled)")


@pytest.mark.parametrize(
    ("error", "title"),
    [
        (ValidationError("phone must have 10 digits", field="phone"), "Refused before sending"),
        (
            DuplicateError("POS User ID 4101 is taken", field="pos_user_id"),
            "Refused before sending",
        ),
        (ConflictError("the record changed"), "Changed meanwhile: not sent"),
        (ReadOnlyError("read-only"), "Read-only: not sent"),
    ],
)
def test_a_refusal_made_here_is_not_the_back_offices(error: Exception, title: str) -> None:
    assert error_title(error) == title


def test_the_back_offices_own_refusal_says_so() -> None:
    from sonnys_tui.backoffice.core import rejection
    from sonnys_tui.backoffice.session import Page

    html = (
        b'<html><body><div class="alerts alerts-server">'
        b'<div class="alert alert-danger">Phone is invalid</div></div></body></html>'
    )
    page = Page(url="/employee/update", status_code=200, content=html)
    error = rejection(page, step="save", what="employee")
    assert error_title(error) == "Back Office said no"


# --------------------------------------------------------------------------- Connect


async def test_a_profile_name_typed_means_save_and_the_screen_says_so(
    make: MakeApp, sim: Simulator
) -> None:
    from textual.widgets import Checkbox, Static

    from sonnys_tui.config import load_profiles
    from sonnys_tui.tui.screens.connect import ConnectScreen
    from sonnys_tui.tui.screens.home import HomeScreen

    from .conftest import shown, type_text

    app = make(profile=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConnectScreen)
        box = screen.query_one("#save-profile", Checkbox)
        assert not box.value
        assert "Not saved" in shown(screen.query_one("#save-note", Static))
        await type_text(pilot, "#subdomain", "demo")
        await type_text(pilot, "#username", sim.username)
        await type_text(pilot, "#profile-name", "eastside")
        await settle(pilot)
        assert box.value  # no tick needed: the name says it
        assert "saves profile 'eastside'" in shown(screen.query_one("#save-note", Static))
        await type_text(pilot, "#password", sim.password)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
    assert load_profiles()["eastside"].username == sim.username


async def test_the_demo_profile_given_at_start_is_not_saved(make: MakeApp) -> None:
    from textual.widgets import Checkbox

    from sonnys_tui.config import load_profiles
    from sonnys_tui.tui.screens.connect import ConnectScreen

    app = make(password="")  # the demo profile filled in, no password: Connect stays
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConnectScreen)
        assert not app.screen.query_one("#save-profile", Checkbox).value
    assert load_profiles() == {}


@pytest.mark.parametrize("ticked", [True, False])
async def test_boxes_read_ticked_or_not_without_colour(ticked: bool) -> None:
    from textual.app import App, ComposeResult

    from sonnys_tui.tui.widgets.form_field import TickList
    from sonnys_tui.tui.widgets.ticks import Checkbox, RadioButton

    from .conftest import screen_lines

    class Boxes(App[None]):
        def compose(self) -> ComposeResult:
            yield Checkbox("Save profile", value=ticked)
            yield RadioButton("Linked", value=ticked)
            yield TickList(("Demo Wash Lakeside", "LAKE", ticked))

    app = Boxes()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)  # type: ignore[arg-type]
    marks = [mark for line in lines for mark in re.findall("▐.▌", line)]
    assert marks == (["▐X▌", "▐●▌", "▐X▌"] if ticked else ["▐ ▌", "▐ ▌", "▐ ▌"])


# --------------------------------------------------------------------------- BO users


async def test_the_bo_users_tab_shows_active_at_80_columns(make: MakeApp, sim: Simulator) -> None:
    from .conftest import screen_lines

    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.show_tab("bo-users")  # type: ignore[attr-defined]
        await settle(pilot)
        lines = screen_lines(app)
    header = next(line for line in lines if "Username" in line)
    assert "Active" in header
    column = header.index("Active")
    users = sorted(sim.store.users.values(), key=lambda u: u.id)
    shown_rows = [line for line in lines if any(f" {u.username} " in line for u in users)]
    assert shown_rows
    for line in shown_rows:
        user = next(u for u in users if f" {u.username} " in line)
        assert line[column : column + 3].strip() == ("yes" if user.active else "no"), line


# --------------------------------------------------------------------------- BO template dialog

JORDAN_LOGIN = 3000002  # the demo tenant's login of Jordan Pilot: Manager, 3 sites


async def _permissions_dialog(pilot: object, app: object) -> object:
    from sonnys_tui.tui.dialogs.backoffice_permissions import BackofficePermissionsScreen

    from .test_snapshots_access import bo_user

    await settle(pilot)  # type: ignore[arg-type]
    await bo_user(JORDAN_LOGIN)(pilot)  # type: ignore[arg-type]
    await pilot.press("ctrl+t")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    dialog = app.screen  # type: ignore[attr-defined]
    assert isinstance(dialog, BackofficePermissionsScreen)
    return dialog


async def test_the_template_dialog_fits_80x24_with_names_as_the_back_office_shows_them(
    make: MakeApp,
) -> None:
    from .conftest import on_screen, screen_lines

    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _permissions_dialog(pilot, app)
        # The form: its sites say what is ticked, and its buttons are in view.
        assert on_screen(app, "3 of 20 sites: PINE, VILLAP, PLAIN")
        assert on_screen(app, "Cancel") and on_screen(app, "Review")
        dialog.query_one("#perm-template").value = "user"  # type: ignore[attr-defined]
        dialog.query_one("#perm-sites").choose(  # type: ignore[attr-defined]
            ["Demo Wash Lakeside", "Demo Wash Pinecrest"]
        )
        await settle(pilot)
        assert on_screen(app, "2 of 20 sites: LAKE, PINE")  # follows what is ticked
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = "\n".join(screen_lines(app))
        # Every change in view, with its buttons, in the Back Office's names.
        assert "Template  Manager → General User" in text
        assert "Sites     Demo Wash Pinecrest" in text and "no longer:" in text
        assert "Yes, change" in text and "No" in text
        assert "manager" not in text and "→ user" not in text


# --------------------------------------------------------------------------- Add wage


def _toasts(app: object) -> list[str]:
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


async def _add_wage(pilot: object, sim: Simulator) -> object:
    from sonnys_tui.tui.dialogs.add_wage import AddWageDialog

    from .test_pay import _open_detail, _target

    employee = _target(sim)
    await _open_detail(pilot, employee)
    await pilot.press("w")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    dialog = pilot.app.screen  # type: ignore[attr-defined]
    assert isinstance(dialog, AddWageDialog)
    return dialog


async def test_one_esc_in_add_wage_asks_before_throwing_away_what_was_typed(
    make: MakeApp, sim: Simulator
) -> None:
    from sonnys_tui.tui.dialogs.add_wage import AddWageDialog

    from .conftest import type_text

    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _add_wage(pilot, sim)
        await type_text(pilot, "#rate", "21.40")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is dialog  # kept: one stray Esc
        assert any("Esc again" in t for t in _toasts(app))
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, AddWageDialog)
        # Nothing typed: one Esc closes it.
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(app.screen, AddWageDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, AddWageDialog)


async def test_add_wage_clears_a_problem_once_it_is_fixed(make: MakeApp, sim: Simulator) -> None:
    from .conftest import shown, type_text

    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _add_wage(pilot, sim)
        await type_text(pilot, "#rate", "21.4x")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Not planned" in shown(dialog.query_one(".plan-review"))  # type: ignore[attr-defined]
        await type_text(pilot, "#rate", "21.40")
        await settle(pilot)
        assert "Not planned" not in shown(dialog.query_one(".plan-review"))  # type: ignore[attr-defined]
        assert shown(dialog.query_one("#field-rate .field-message")).strip().startswith("now")  # type: ignore[attr-defined]


@pytest.mark.parametrize("what", ["wage", "template"])
async def test_a_pay_change_applied_says_so_in_a_toast(
    make: MakeApp, sim: Simulator, what: str
) -> None:
    from .conftest import type_text
    from .test_pay import _choose, _open_detail, _target

    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        if what == "wage":
            await _add_wage(pilot, sim)
            await type_text(pilot, "#rate", "21.40")
        else:
            await _open_detail(pilot, _target(sim))
            await pilot.press("t")
            await settle(pilot)
            await _choose(pilot, "Cashier")
        await pilot.press("ctrl+s")  # review (the template: chosen above, reviewed)
        await settle(pilot)
        if what == "wage":
            await pilot.press("ctrl+s")  # apply
            await settle(pilot)
        toasts = _toasts(app)
    expected = "Wage 21.40 from" if what == "wage" else "POS template Cashier applied"
    assert any(expected in t and "read back" in t for t in toasts), toasts


# --------------------------------------------------------------------------- audit log


async def test_the_audit_log_shows_this_tenant_in_80_columns_by_name(
    make: MakeApp, sim: Simulator
) -> None:
    from textual.widgets import DataTable

    from sonnys_tui import audit

    from .conftest import on_screen, screen_lines

    jordan = sim.store.employee_by_pos_id(4101)
    assert jordan is not None
    audit.record(audit.AuditEvent("east", "east", "hire", "pos_user_id=4411", "failed"))
    audit.record(audit.AuditEvent("demo", "demo", "change", f"employee_id={jordan.id} add wage"))
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        table = app.screen.query_one("#audit-table", DataTable)
        assert table.row_count == 1  # this tenant's, by default
        lines = screen_lines(app)
        header = next(line for line in lines if "Time (UTC)" in line)
        assert all(title in header for title in ("Operation", "Outcome", "Who"))
        assert on_screen(app, "add wage") and on_screen(app, "Jordan Pilot (POS 4101)")
        assert not on_screen(app, "employee_id=") or on_screen(app, "profile demo")
        row = next(line for line in lines if "Jordan Pilot" in line)
        assert "employee_id" not in row
        await pilot.press("a")  # every tenant's
        await settle(pilot)
        assert table.row_count == 2 and on_screen(app, "east")
        await pilot.press("a")
        await settle(pilot)
        assert table.row_count == 1


# --------------------------------------------------------------------------- refused hire


async def test_a_refused_hire_says_so_where_it_said_hiring_and_focuses_the_field(
    make: MakeApp, sim: Simulator
) -> None:
    from textual.widgets import Input, Static

    from .conftest import shown
    from .test_flows import _fill_hire_form

    sim.faults.add(
        path="/employee/insert", method="POST", nth=1, kind="alert", alert_text="Phone is invalid."
    )
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
        lines = shown(screen.query_one("#hire-progress", Static)).strip().splitlines()
        assert lines[0].startswith("Not hired: ") and "Phone is invalid." in lines[0]
        assert not any(line.startswith(("Hiring", "… ")) for line in lines), lines
        assert "✗ Creating the employee: stopped here" in lines
        assert app.focused is screen.query_one("#phone", Input)
