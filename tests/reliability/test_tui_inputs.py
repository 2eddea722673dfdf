"""Bad input in the app's forms: every field says what is wrong next to it, the submit is
refused, and nothing is sent to the server. And the secrets typed in a hire never reach
the screen (so no screenshot or snapshot) unless revealed on purpose."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path

import pytest
from rich.text import Text
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select, SelectionList, Static

from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.config import Profile
from sonnys_tui.simulator import Simulator
from sonnys_tui.tui.app import SonnysApp, make_app
from sonnys_tui.tui.screens.new_employee import NewEmployeeScreen
from sonnys_tui.tui.widgets.form_field import FormField

from ..waiting import settle

pytestmark = pytest.mark.anyio

PROFILE = Profile(name="demo", subdomain="demo", username="bot", use_cache=False)
SENTINEL_PIN = "73519"
SENTINEL_BO_PASSWORD = "Sentinel-Bo-93xQ"
REPO = Path(__file__).resolve().parents[2]

GOOD = {
    "first_name": "Valid",
    "last_name": "Person",
    "phone": "(555) 010-0144",
    "email": "valid.person@example.com",
    "pos_user_id": "8844",
    "pos_pin": "",
    "wage_rate": "15.00",
    "overtime_wage_rate": "",
    "start_date": "2026-03-02",
    "adp_employee_id": "",
    "emergency_contact_name": "",
    "emergency_contact_phone": "",
}

# (field, bad value): one row per way a field can be wrong.
BAD = [
    ("first_name", ""),
    ("first_name", "x" * 51),
    ("last_name", ""),
    ("last_name", "y" * 101),
    ("phone", ""),
    ("phone", "555 01"),
    ("phone", "555 010 0144 999"),
    ("email", ""),
    ("email", "not-an-email"),
    ("email", "two@@example.com"),
    ("pos_user_id", ""),
    ("pos_user_id", "0"),
    ("pos_pin", "123"),
    ("pos_pin", "00001"),
    ("wage_rate", ""),
    ("wage_rate", "1.2.3"),
    ("overtime_wage_rate", "..5"),
    ("start_date", "2026-13-45"),
    ("start_date", "next tuesday"),
    ("adp_employee_id", "z" * 33),
    ("emergency_contact_name", "n" * 101),
    ("emergency_contact_phone", "12"),
]
BAD_BACKOFFICE = [
    ("backoffice_username", "1starts_with_digit"),
    ("backoffice_username", "ab"),
    ("backoffice_password", "short"),
]
# The bad values of each field, a test case per field.
BAD_BY_FIELD: dict[str, list[str]] = {}
for _name, _bad in [*BAD, *BAD_BACKOFFICE]:
    BAD_BY_FIELD.setdefault(_name, []).append(_bad)


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    # Module-wide: one event loop for the module, so that one app can serve many cases.
    return "asyncio"


@pytest.fixture
def sim() -> Iterator[Simulator]:
    yield Simulator.demo()


def app_for(sim: Simulator) -> SonnysApp:
    def factory(profile: Profile, password: str) -> SonnysBackofficeClient:
        return SonnysBackofficeClient(**sim.client_kwargs(password=password))

    return make_app(
        profile=PROFILE,
        password=sim.password,
        client_factory=factory,
        clock=lambda: date(2026, 3, 2),
    )


def message_of(screen: NewEmployeeScreen, name: str) -> str:
    field = screen.query_one(f"#field-{name}", FormField)
    rendered = field.query_one(".field-message", Static).render()
    return rendered.plain if isinstance(rendered, Text) else str(rendered)


async def open_filled_form(pilot: Pilot[object], sim: Simulator) -> NewEmployeeScreen:
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, NewEmployeeScreen)
    for name, value in GOOD.items():
        screen.query_one(f"#{name}", Input).value = value
    site = sorted(sim.store.sites.values(), key=lambda s: s.id)[0].name
    screen.query_one("#available_sites", SelectionList).select(site)
    screen.query_one("#departments", SelectionList).select("Cashier")
    screen.query_one("#permission", Select).value = "Cashier"
    await settle(pilot)
    return screen


def inserts(sim: Simulator) -> int:
    return sum(r.method == "POST" and r.path != "/login_check" for r in sim.requests)


@pytest.fixture(scope="module")
async def shared_form(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[tuple[Simulator, Pilot[object], NewEmployeeScreen]]:
    """One app with its New employee form filled with good values (and a Back Office
    login asked for), shared by the bad-field cases: starting the app and opening the
    form is most of a case's cost. Each case puts its field back as it found it."""
    with pytest.MonkeyPatch.context() as patch:
        home = tmp_path_factory.mktemp("shared-form")
        for name in ("CONFIG", "CACHE", "DATA"):
            patch.setenv(f"SONNYS_TUI_{name}_DIR", str(home / name.lower()))
        patch.setattr(NewEmployeeScreen, "AVAILABILITY_DEBOUNCE", 0.0)
        sim = Simulator.demo()
        app = app_for(sim)
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_filled_form(pilot, sim)
            screen.query_one("#requires_backoffice", Checkbox).value = True
            screen.query_one("#backoffice_username", Input).value = "valid_login"
            await settle(pilot)
            yield sim, pilot, screen


@pytest.mark.parametrize("name", list(BAD_BY_FIELD))
async def test_every_bad_field_is_named_and_nothing_is_sent(
    shared_form: tuple[Simulator, Pilot[object], NewEmployeeScreen], name: str
) -> None:
    sim, pilot, screen = shared_form
    widget = screen.query_one(f"#{name}", Input)
    good = widget.value
    try:
        for bad in BAD_BY_FIELD[name]:  # every other field good
            widget.value = bad
            await pilot.pause()
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert pilot.app.screen is screen, f"{name}={bad!r} was accepted"
            assert message_of(screen, name), f"no message next to {name} for {bad!r}"
    finally:
        widget.value = good
        await settle(pilot)
    assert inserts(sim) == 0


async def test_nothing_chosen_in_a_list_is_named_and_nothing_is_sent(sim: Simulator) -> None:
    app = app_for(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_filled_form(pilot, sim)
        screen.query_one("#departments", SelectionList).deselect_all()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NewEmployeeScreen)
        assert message_of(screen, "departments")
    assert inserts(sim) == 0


async def test_typed_secrets_stay_off_the_screen(sim: Simulator) -> None:
    app = app_for(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_filled_form(pilot, sim)
        screen.query_one("#pos_pin", Input).value = SENTINEL_PIN
        screen.query_one("#requires_backoffice", Checkbox).value = True
        screen.query_one("#backoffice_username", Input).value = "sentinel_login"
        screen.query_one("#backoffice_password", Input).value = SENTINEL_BO_PASSWORD
        await settle(pilot)
        pictures = [app.export_screenshot()]
        await pilot.press("ctrl+s")
        await settle(pilot)
        pictures.append(app.export_screenshot())  # the hire result, secrets masked
    employee = sim.store.employee_by_pos_id(int(GOOD["pos_user_id"]))
    assert employee is not None and employee.pos_pin == SENTINEL_PIN  # the hire happened
    for picture in pictures:
        assert SENTINEL_PIN not in picture
        assert SENTINEL_BO_PASSWORD not in picture


def test_committed_pictures_hold_no_secret_typed_in_their_flows() -> None:
    """The snapshot and screenshot flows type synthetic PINs and passwords; the pictures
    show them masked."""
    pictures = [*REPO.glob("tests/tui/__snapshots__/**/*.svg"), *REPO.glob("screenshots/*.svg")]
    assert pictures
    secrets = ("13579", "Snap-Shot-2026", "demo-password", SENTINEL_PIN, SENTINEL_BO_PASSWORD)
    for picture in pictures:
        text = picture.read_text(encoding="utf-8")
        for secret in secrets:
            assert secret not in text, f"{secret!r} shows in {picture.name}"


BAD_BO_USER = [
    ("username", ""),
    ("username", "9lives"),
    ("username", "a-b-c"),
    ("email", ""),
    ("email", "no-at-sign"),
    ("password", "short"),
    ("first_name", ""),
    ("last_name", "q" * 65),
]


async def test_new_backoffice_user_form_names_each_bad_field(sim: Simulator) -> None:
    from textual.widgets import RadioButton

    from sonnys_tui.tui.screens.new_backoffice_user import NewBackofficeUserScreen

    app = app_for(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NewBackofficeUserScreen)
        screen.query_one("#standalone", RadioButton).value = True
        good = {
            "username": "valid_login",
            "email": "valid.login@example.com",
            "password": "",
            "first_name": "Valid",
            "last_name": "Login",
        }
        for name, value in good.items():
            screen.query_one(f"#{name}", Input).value = value
        await settle(pilot)
        for name, bad in BAD_BO_USER:
            screen.query_one(f"#{name}", Input).value = bad
            await pilot.pause()
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is screen, f"{name}={bad!r} was accepted"
            field = screen.query_one(f"#field-{name}", FormField)
            rendered = field.query_one(".field-message", Static).render()
            text = rendered.plain if isinstance(rendered, Text) else str(rendered)
            assert text, f"no message next to {name} for {bad!r}"
            screen.query_one(f"#{name}", Input).value = good[name]
            await pilot.pause()
    assert inserts(sim) == 0


@pytest.mark.parametrize(
    ("subdomain", "base_url", "named"),
    [
        ("Bad Sub!", "", "subdomain"),
        ("demo", "http://evil.example", "http://"),
        ("demo", "ftp://sim.test", "base_url"),
    ],
)
async def test_connect_refuses_bad_tenants_before_any_request(
    sim: Simulator, subdomain: str, base_url: str, named: str
) -> None:
    from textual.widgets import Button

    from sonnys_tui.tui.screens.connect import ConnectScreen

    def factory(profile: Profile, password: str) -> SonnysBackofficeClient:
        # The real factory: it is the client that refuses bad tenants and URLs.
        from sonnys_tui.config import open_client

        return open_client(profile, password)

    app = make_app(client_factory=factory)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConnectScreen)
        for name, value in (
            ("subdomain", subdomain),
            ("username", "bot"),
            ("password", "whatever-pw"),
            ("base-url", base_url),
        ):
            screen.query_one(f"#{name}", Input).value = value
        screen.query_one("#connect", Button).press()
        await settle(pilot)
        assert isinstance(app.screen, ConnectScreen)
        error = screen.query_one("#connect-error", Static).render()
        error_text = error.plain if isinstance(error, Text) else str(error)
        # Refused by the client's own checks (no request could have named the field).
        assert named in error_text and "whatever-pw" not in error_text
