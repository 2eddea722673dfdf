"""The forms against the simulator: a write's progress and outcome always in view at 80x24,
nothing typed changed behind the user's back, pay checked, and messages in the form's words."""

from __future__ import annotations

import threading
from decimal import Decimal

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select, SelectionList, Static
from textual.widgets._footer import FooterKey

from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.config import Profile
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Employee
from sonnys_tui.tui.app import SonnysApp, make_app
from sonnys_tui.tui.dialogs.confirm import ConfirmScreen
from sonnys_tui.tui.screens.hire_result import BackofficeUserResultScreen, HireResultScreen
from sonnys_tui.tui.screens.home import HomeScreen
from sonnys_tui.tui.screens.new_backoffice_user import NewBackofficeUserScreen
from sonnys_tui.tui.screens.new_employee import NewEmployeeScreen
from sonnys_tui.tui.widgets.employee_detail import EmployeeDetail
from sonnys_tui.tui.widgets.site_picker import ALL_SITES, SitePicker
from sonnys_tui.tui.widgets.ticks import Checkbox

from ..waiting import wait_until
from .conftest import (
    DEMO_PROFILE,
    FIXED_TODAY,
    MakeApp,
    on_screen,
    open_new_employee,
    sample_hire,
    settle,
    shown,
    type_text,
)

pytestmark = pytest.mark.anyio

SMALL = (80, 24)


def _posts(sim: Simulator) -> list[str]:
    return [r.path for r in sim.requests if r.method == "POST" and r.path != "/login_check"]


def _sites(sim: Simulator) -> list[str]:
    return [s.name for s in sorted(sim.store.sites.values(), key=lambda s: s.id)]


def _employee(sim: Simulator, *, email: bool) -> Employee:
    return next(
        e
        for _i, e in sorted(sim.store.employees.items())
        if e.site_ids and e.pos_user_id and e.active and bool(e.email.strip()) is email
        and not any(u.employee_id == e.id for u in sim.store.users.values())
    )  # fmt: skip


def _toasts(app: SonnysApp) -> list[str]:
    return [n.message for n in app._notifications]


async def fill_hire(pilot: Pilot[object], sim: Simulator, **fields: str) -> NewEmployeeScreen:
    """A valid hire typed into the form; ``fields`` replace the typed values."""
    screen = pilot.app.screen
    assert isinstance(screen, NewEmployeeScreen)
    values = {
        "first_name": "Casey",
        "last_name": "Formfield",
        "phone": "(555) 010-0166",
        "email": "casey.formfield@example.com",
        "pos_pin": "24680",
        "wage_rate": "15.50",
    } | fields
    for name, value in values.items():
        await type_text(pilot, f"#{name}", value)
    screen.query_one("#available_sites", SelectionList).select(_sites(sim)[0])
    screen.query_one("#departments", SelectionList).select("Line")
    screen.query_one("#permission", Select).value = "Cashier"
    await settle(pilot)
    return screen


async def type_standalone_user(
    pilot: Pilot[object], first_name: str, last_name: str, username: str
) -> None:
    """Type a Back Office user who is not an employee into the New user form (its
    e-mail: the username with dots, at example.invalid)."""
    for name, value in (
        ("first_name", first_name),
        ("last_name", last_name),
        ("username", username),
        ("email", f"{username.replace('_', '.')}@example.invalid"),
    ):
        await type_text(pilot, f"#{name}", value)


def message_of(screen: object, name: str) -> str:
    field = screen.query_one(f"#field-{name} .field-message", Static)  # type: ignore[attr-defined]
    return shown(field).strip()


# ---------------------------------------------------------------------- item 5


class HeldInsert(httpx.BaseTransport):
    """Holds the employee insert until released, then fails it as a dropped connection."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.held = threading.Event()
        self.release = threading.Event()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("/employee/insert"):
            self.held.set()
            self.release.wait(timeout=30)
            raise httpx.ConnectError("connection reset by peer", request=request)
        return self.inner.handle_request(request)


def held_app(sim: Simulator, gate: httpx.BaseTransport) -> SonnysApp:
    def factory(profile: Profile, password: str) -> SonnysBackofficeClient:
        return SonnysBackofficeClient(
            subdomain=profile.subdomain,
            username=profile.username,
            password=password,
            base_url="http://sim.test",
            transport=gate,
        )

    return make_app(
        profile=DEMO_PROFILE, password=sim.password, client_factory=factory,
        clock=lambda: FIXED_TODAY,
    )  # fmt: skip


async def test_hire_progress_and_its_failure_stay_in_view_at_80x24(sim: Simulator) -> None:
    gate = HeldInsert(sim.transport())
    app = held_app(sim, gate)
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_new_employee(pilot)
        await fill_hire(pilot, sim)
        await pilot.press("ctrl+s")
        await wait_until(pilot, gate.held.is_set)
        await wait_until(pilot, lambda: on_screen(app, "Creating the employee"))
        assert on_screen(app, "Hiring…") and on_screen(app, "Checking for duplicates")
        footer = {k.key: k for k in screen.query(FooterKey)}
        assert footer["ctrl+s"].has_class("-disabled")  # no second hire while one runs
        gate.release.set()
        await settle(pilot)
        assert app.screen is screen
        assert on_screen(app, "Not hired: Connection problem")
        assert screen.query_one("#first_name", Input).value == "Casey"  # nothing lost


async def test_back_office_user_outcome_stays_in_view_at_80x24(
    make: MakeApp, sim: Simulator
) -> None:
    taken = next(iter(sim.store.users.values())).username
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        home.show_tab("bo-users")
        await pilot.press("ctrl+b")
        await settle(pilot)
        for name, value in (
            ("first_name", "Taken"),
            ("last_name", "Username"),
            ("username", taken),
            ("email", "taken.username@example.com"),
        ):
            await type_text(pilot, f"#{name}", value)
        app.screen.query_one("#available_sites", SitePicker).select(ALL_SITES)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NewBackofficeUserScreen)
        assert on_screen(app, "Not created:")
        assert on_screen(app, "Checking for duplicates")


# ---------------------------------------------------------------------- item 6


async def test_a_linked_login_shows_the_employees_own_email_read_only(
    make: MakeApp, sim: Simulator
) -> None:
    target = _employee(sim, email=True)
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, "#filter", str(target.pos_user_id))
        await pilot.press("ctrl+b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NewBackofficeUserScreen) and screen.linked
        email = screen.query_one("#email", Input)
        assert email.value == target.email and email.disabled  # said, not swapped later
        assert "employee's e-mail" in message_of(screen, "email")
        # The employee's sites are ticked: shown, and changeable.
        picker = screen.query_one("#available_sites", SitePicker)
        own = {sim.store.sites[i].name for i in target.site_ids}
        assert set(picker.selected) == own
        assert app.focused is screen.query_one("#username")
        await type_text(pilot, "#username", "linked_own_mail")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, BackofficeUserResultScreen)
        user = sim.store.user_by_username("linked_own_mail")
        assert user is not None and user.employee_id == target.id
        assert user.email == target.email
        assert app.screen.user.email == target.email


async def test_a_linked_login_for_an_employee_without_email_asks_for_one(
    make: MakeApp, sim: Simulator
) -> None:
    target = _employee(sim, email=False)
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, "#filter", str(target.pos_user_id))
        await pilot.press("ctrl+b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NewBackofficeUserScreen) and screen.linked
        assert not screen.query_one("#email", Input).disabled
        assert "no e-mail" in message_of(screen, "email")
        await type_text(pilot, "#username", "linked_no_mail")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen  # the e-mail is still required
        assert message_of(screen, "email") == "required"


async def test_a_standalone_user_starts_at_the_name_and_gets_the_sites_chosen(
    make: MakeApp, sim: Simulator
) -> None:
    chosen = _sites(sim)[1:3]
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        home.show_tab("bo-users")
        await settle(pilot)
        rows_before = home.query_one("#bo-user-table").row_count  # type: ignore[attr-defined]
        await pilot.press("ctrl+b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NewBackofficeUserScreen) and not screen.linked
        assert app.focused is screen.query_one("#first_name")  # the names are not skipped
        await type_standalone_user(pilot, "Visiting", "Technician", "visiting_tech")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen  # no site chosen: asked, not "all" in silence
        assert "site" in message_of(screen, "available_sites")
        picker = screen.query_one("#available_sites", SitePicker)
        for name in chosen:
            picker.select(name)
        await settle(pilot)
        assert message_of(screen, "available_sites").startswith("2 of ")
        requests_before = len(sim.requests)
        await pilot.press("ctrl+s")
        await settle(pilot)
        result = app.screen
        assert isinstance(result, BackofficeUserResultScreen)
        user = sim.store.user_by_username("visiting_tech")
        assert user is not None and not user.all_sites
        assert {sim.store.sites[i].name for i in user.site_ids} == set(chosen)
        # The password: masked until r, copyable with w.
        password = result.user.password.reveal()
        assert password not in shown(result.query_one("#result-fields", Static))
        copied: list[str] = []
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
        await pilot.press("r")
        await pilot.pause()
        assert password in shown(result.query_one("#result-fields", Static))
        await pilot.press("w")
        assert copied == [password]
        await pilot.press("escape")
        await settle(pilot)
        # On the BO users tab at once, without a refresh from the server.
        table = home.query_one("#bo-user-table")
        assert table.row_count == rows_before + 1  # type: ignore[attr-defined]
        assert str(user.id) in {k.value for k in table.rows}  # type: ignore[attr-defined]
        lists = [r for r in sim.requests[requests_before:] if r.path.rstrip("/") == "/user"]
        assert lists == []


async def test_wage_outside_sensible_bounds_is_confirmed_with_no_focused(
    make: MakeApp, sim: Simulator
) -> None:
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_new_employee(pilot)
        await fill_hire(pilot, sim, wage_rate="1000000")
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmScreen) and dialog.id == "confirm-pay"
        assert "1,000,000.00" in shown(dialog.query_one("#confirm-text", Static))
        assert app.focused is dialog.query_one("#no")
        assert {"y", "n", "escape"} <= {k.key for k in dialog.query(FooterKey)}
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is screen and app.focused is screen.query_one("#wage_rate")
        assert _posts(sim) == []

        await type_text(pilot, "#wage_rate", "0")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen and _posts(sim) == []

        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")  # explicitly: hire with wage 0
        await settle(pilot)
        assert isinstance(app.screen, HireResultScreen)
        assert app.screen.created.wage_rate == Decimal("0.00")


async def test_a_sensible_wage_is_not_questioned(make: MakeApp, sim: Simulator) -> None:
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        await open_new_employee(pilot)
        await fill_hire(pilot, sim, wage_rate="16.50", overtime_wage_rate="24.75")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HireResultScreen)


async def test_overtime_below_the_wage_is_refused_in_the_forms_words(
    make: MakeApp, sim: Simulator
) -> None:
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_new_employee(pilot)
        await fill_hire(pilot, sim, wage_rate="16.50", overtime_wage_rate="10.00")
        message = message_of(screen, "overtime_wage_rate")
        assert "Wage / hour" in message and "16.50" in message  # as you type
        assert "wage_rate" not in message
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and _posts(sim) == []
        assert any("Overtime / hour" in t for t in _toasts(app))


async def test_the_wage_site_is_chosen_among_the_chosen_sites(
    make: MakeApp, sim: Simulator
) -> None:
    sites = sorted(sim.store.sites.values(), key=lambda s: s.id)
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_new_employee(pilot)
        await fill_hire(pilot, sim)
        picker = screen.query_one("#available_sites", SitePicker)
        picker.select(sites[3].name)
        await settle(pilot)
        wage_site = screen.query_one("#wage_site", Select)
        assert wage_site.value == sites[0].name  # the first, shown
        wage_site.value = sites[3].name
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HireResultScreen)
        created = app.screen.created
        assert created.wage_site == sites[3].code
        stored = sim.store.employees[created.employee_id].latest_wage()
        assert stored is not None and stored.site_id == sites[3].id


async def test_all_sites_and_single_sites_exclude_each_other(make: MakeApp, sim: Simulator) -> None:
    sites = _sites(sim)
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_new_employee(pilot)
        await fill_hire(pilot, sim)  # ticks the first site
        picker = screen.query_one("#available_sites", SitePicker)
        picker.select(ALL_SITES)
        await settle(pilot)
        assert picker.selected == [ALL_SITES]  # not "all" plus one site
        assert message_of(screen, "available_sites").startswith(f"all {len(sites)} sites")
        wage_site = screen.query_one("#wage_site", Select)
        assert wage_site.value == sites[0]  # with all sites too: a labor site, shown
        picker.select(sites[2])
        await settle(pilot)
        assert picker.selected == [sites[2]]
        assert wage_site.value == sites[2]
        picker.select(ALL_SITES)
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HireResultScreen)
        created = app.screen.created
        assert len(created.sites) == len(sites)
        assert created.wage_site is not None  # not blank with all sites


# ---------------------------------------------------------------------- item 8


async def test_messages_name_the_labels_on_screen(make: MakeApp, sim: Simulator) -> None:
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_new_employee(pilot)
        await type_text(pilot, "#pos_user_id", "0")
        assert message_of(screen, "pos_user_id") == ("POS User ID must be between 1 and 2147483647")
        await pilot.press("ctrl+s")
        await settle(pilot)
        (attention,) = [t for t in _toasts(app) if "need attention" in t]
        assert "First name" in attention and "Wage / hour" in attention
        assert "first_name" not in attention and "wage_rate" not in attention
        assert "_" not in "".join(
            message_of(screen, name) for name in ("first_name", "pos_user_id", "wage_rate")
        )


async def test_the_new_user_form_names_its_labels(make: MakeApp) -> None:
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.screen.show_tab("bo-users")  # type: ignore[attr-defined]
        await pilot.press("ctrl+b")
        await settle(pilot)
        screen = app.screen
        await type_text(pilot, "#username", "1bad")
        assert message_of(screen, "username").startswith("Username must start with a letter")


async def test_ctrl_f_leaves_the_cursor_after_the_id(make: MakeApp) -> None:
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_new_employee(pilot)
        pos = screen.query_one("#pos_user_id", Input)
        pos.focus()
        await pilot.press("ctrl+f")
        await settle(pilot)
        free = pos.value
        assert free and pos.cursor_position == len(free)
        await pilot.press("7")  # typing goes on at the end of the ID, not before it
        assert pos.value == free + "7"


async def test_the_result_says_where_the_pin_can_be_seen_again(make: MakeApp) -> None:
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        for backoffice in (True, False):
            app.push_screen(HireResultScreen(sample_hire(backoffice=backoffice), ()))
            await settle(pilot)
            hint = shown(app.screen.query_one(".hint", Static))
            assert "PIN stays in the employee's record" in hint
            assert ("password is shown only here" in hint) is backoffice
            assert "PIN and password are shown only here" not in hint
            await pilot.press("escape")
            await settle(pilot)


async def test_the_status_has_one_wording(make: MakeApp, sim: Simulator) -> None:
    inactive = next(e for e in sim.store.employees.values() if not e.active and e.site_ids)
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, "#filter", str(inactive.pos_user_id))
        await pilot.press("enter")
        await settle(pilot)
        body = shown(app.screen.query_one(EmployeeDetail).query_one("#detail-body", Static))
        assert "inactive" in body and "INACTIVE" not in body


async def test_a_new_attempt_clears_the_last_not_hired_before_the_pay_question(
    make: MakeApp, sim: Simulator
) -> None:
    """The trial: a refused hire's "Not hired" panel stayed on screen, under the pay
    question of the next attempt, as if that one had failed too."""
    app = make()
    async with app.run_test(size=SMALL) as pilot:
        screen = await open_new_employee(pilot)
        await fill_hire(pilot, sim)
        sim.faults.add(path="/employee/insert", kind="500", when="before")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and on_screen(app, "Not hired")
        await type_text(pilot, "#wage_rate", "5")  # unusual pay: the form asks first
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and app.screen.id == "confirm-pay"
        assert not on_screen(app, "Not hired")
        assert not on_screen(app, "stopped here")


def _row(result: object, label: str) -> str:
    """The value of one row of a result screen's grid."""
    grid = shown(result.query_one("#result-fields", Static))  # type: ignore[attr-defined]
    (line,) = [line for line in grid.splitlines() if line.startswith(f"{label} ")]
    return line.removeprefix(label).strip()


async def test_the_results_name_the_back_office_template_as_the_back_office_does(
    make: MakeApp, sim: Simulator
) -> None:
    """The trial: the hire's and the new user's results said "user" (the key the form
    posts) where the access dialog and the Back Office's lists say "General User"."""
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_new_employee(pilot)
        await fill_hire(pilot, sim)
        screen.query_one("#requires_backoffice", Checkbox).value = True
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        hired = app.screen
        assert isinstance(hired, HireResultScreen)
        assert hired.created.backoffice_user is not None
        assert hired.created.backoffice_user.permission == "user"  # the key, as posted
        assert _row(hired, "BO template") == "General User"
        await pilot.press("escape")
        await settle(pilot)

        app.screen.show_tab("bo-users")  # type: ignore[attr-defined]
        await pilot.press("ctrl+b")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, NewBackofficeUserScreen)
        await type_standalone_user(pilot, "Visiting", "Auditor", "visiting_auditor")
        form.query_one("#available_sites", SitePicker).select(ALL_SITES)
        form.query_one("#permission", Select).value = "manager"
        await pilot.press("ctrl+s")
        await settle(pilot)
        created = app.screen
        assert isinstance(created, BackofficeUserResultScreen)
        assert created.user.permission == "manager"
        assert _row(created, "Template") == "Manager"
