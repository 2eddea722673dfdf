"""Fixtures for the TUI tests: the real client against the in-process simulator and
a fixed clock (tests/conftest.py keeps config, cache and data dirs apart from the user's)."""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Input, Static

from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.backoffice.models import BackofficeUserCreated, EmployeeCreated, Secret
from sonnys_tui.config import Profile
from sonnys_tui.simulator import Simulator
from sonnys_tui.tui.app import SonnysApp, make_app
from sonnys_tui.tui.screens.new_employee import NewEmployeeScreen

from ..waiting import settle

FIXED_TODAY = date(2026, 3, 2)
DEMO_PROFILE = Profile(name="demo", subdomain="demo", username="bot", base_url="http://sim.test")

MakeApp = Callable[..., SonnysApp]


@pytest.fixture
def anyio_backend() -> str:
    # The async tests run through anyio's pytest plugin (installed with httpx).
    return "asyncio"


@pytest.fixture
def sim() -> Simulator:
    return Simulator.demo()


def sim_client_factory(sim: Simulator) -> Callable[[Profile, str], SonnysBackofficeClient]:
    def factory(profile: Profile, password: str) -> SonnysBackofficeClient:
        return SonnysBackofficeClient(
            subdomain=profile.subdomain,
            username=profile.username,
            password=password,
            base_url="http://sim.test",
            transport=sim.transport(),
        )

    return factory


@pytest.fixture
def make(sim: Simulator) -> MakeApp:
    """``make()`` connects at once as the demo bot; ``make(profile=None)`` shows Connect."""

    def build(*, profile: Profile | None = DEMO_PROFILE, password: str | None = None) -> SonnysApp:
        app = make_app(
            profile=profile,
            password=password if password is not None else (sim.password if profile else None),
            client_factory=sim_client_factory(sim),
            clock=lambda: FIXED_TODAY,
        )
        # Focus scrolls a tall form with an animation that a screenshot can catch half-way
        # (CI saw the 80x24 pay question with the form mid-scroll): tests jump instead.
        app.animation_level = "none"
        return app

    return build


async def open_new_employee(pilot: Pilot[object]) -> NewEmployeeScreen:
    """From a freshly connected app: open the New employee form (Ctrl+N)."""
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, NewEmployeeScreen)
    return screen


async def type_ahead(pilot: Pilot[object], *keys: str) -> None:
    """Keys as a fast typist, a paste of keystrokes or a terminal multiplexer sends
    them: all queued at once, none waited for (``pilot.press`` waits after each key, so
    it cannot show a key handled before the keys sent ahead of it)."""
    from textual import events

    for key in keys:
        pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
    await settle(pilot)


async def type_text(pilot: Pilot[object], selector: str, text: str, *, keys: bool = False) -> None:
    """Focus an input and enter ``text``: key by key with ``keys=True``, else as one
    edit (same Changed event and validators, a tenth of the time)."""
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = ""
    await pilot.pause()
    if keys:
        await pilot.press(*["space" if ch == " " else ch for ch in text])
    else:
        widget.insert_text_at_cursor(text)
    await pilot.pause()


def shown(widget: Static) -> str:
    """The plain text of what a Static shows (markup-looking text stays as typed)."""
    content = widget.content
    if isinstance(content, str):
        return content
    console = Console(width=200, file=io.StringIO(), record=True, color_system=None)
    console.print(content)
    return console.export_text()


def sample_hire(*, backoffice: bool = True) -> EmployeeCreated:
    """A hire's result as the client returns it (synthetic person), for result screens."""
    user = BackofficeUserCreated(
        user_id=77,
        username="rsample",
        email="robin.sample@example.com",
        password=Secret("Sample-Pass-1"),
        permission="user",
        permission_applied=True,
        available_sites=("Demo Wash Fiesta",),
    )
    return EmployeeCreated(
        employee_id=901,
        first_name="Robin",
        last_name="Sample",
        email="robin.sample@example.com",
        phone="(555) 010-0150",
        pos_user_id=9901,
        pos_pin=Secret("13579"),
        permission="Cashier",
        wage_rate=Decimal("15.00"),
        overtime_wage_rate=Decimal("22.50"),
        wage_site="FIE",
        sites=("Demo Wash Fiesta",),
        departments=("Line",),
        start_date=FIXED_TODAY,
        warnings=(),
        site_codes=("FIE",),
        backoffice_user=user if backoffice else None,
    )


_SVG_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
    r'clip-path="url\(#terminal-(?:\d+-)?line-(\d+)\)">([^<]*)</text>'
)


def screen_lines(app: SonnysApp) -> list[str]:
    """What the terminal shows, line by line: what a user can read without scrolling."""
    width, height = app.size
    rows = [[" "] * width for _ in range(height)]
    for x, line, text in _SVG_TEXT.findall(app.export_screenshot()):
        row, column = int(line), round(float(x) / 12.2)  # 12.2: one cell's width
        for offset, char in enumerate(html.unescape(text).replace("\xa0", " ")):
            if row < height and column + offset < width:
                rows[row][column + offset] = char
    return ["".join(cells).rstrip() for cells in rows]


def on_screen(app: SonnysApp, text: str) -> bool:
    return any(text in line for line in screen_lines(app))


def no_blink(app: SonnysApp) -> None:
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
