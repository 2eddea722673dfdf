"""Hostile text for the terminal-safety tests: payloads that would drive a terminal, a
tenant seeded with them, and a recorder of what the app really writes to the terminal.

The checks here are the tests' own (Unicode categories, looked up independently of
:mod:`sonnys_tui.display`), so that the code under test does not grade itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from rich.console import Console
from textual.drivers.headless_driver import HeadlessDriver
from textual.pilot import Pilot
from textual.strip import Strip

from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.config import Profile
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import BoUser, Employee
from sonnys_tui.tui.app import SonnysApp, make_app

from ..waiting import settle

# Every kind of text that can drive a terminal or hide from the reader.
PAYLOADS: dict[str, str] = {
    "osc-title-bel": "\x1b]0;PWNED\x07",
    "osc-title-st": "\x1b]2;PWNED\x1b\\",
    "osc-hyperlink": "\x1b]8;;https://evil.example/\x1b\\",
    "osc-clipboard": "\x1b]52;c;ZWNobyBvd25lZA==\x07",
    "csi-sgr": "\x1b[31;5;7m",
    "csi-clear": "\x1b[2J\x1b[H",
    "csi-report": "\x1b[6n",
    "csi-private": "\x1b[?1049h",
    "dcs": "\x1bP+q544e\x1b\\",
    "apc": "\x1b_hidden\x1b\\",
    "esc-reset": "\x1bc",
    "c1-csi": "\x9b31m",
    "c1-osc": "\x9d0;PWNED\x9c",
    "c1-nel": "\x85",
    "bel": "\x07",
    "backspace": "\x08\x08",
    "tab-newline": "\t\n",
    "vt-ff": "\x0b\x0c",
    "del": "\x7f",
    "c0-other": "\x01\x02\x1f",
    "bidi-rlo": "\u202e",
    "bidi-lro-pdf": "\u202d\u202c",
    "bidi-isolates": "\u2066\u2067\u2068\u2069",
    "bidi-marks": "\u200e\u200f\u061c",
    "zero-width": "\u200b\u200c\u200d\u2060",
    "bom": "\ufeff",
    "soft-hyphen": "\u00ad",
    "separators": "\u2028\u2029",
    "tags": "\U000e0041\U000e007f",
    "hangul-fillers": "\u3164\u115f",
    "noncharacter": "\uffff",
}
# What a browser's form cannot carry back unchanged (an HTML parser turns CR into LF
# and NUL into U+FFFD): shown safely, but left out of the exact round trip.
NOT_ROUND_TRIPPED = {"\r", "\x00"}

UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"}
INVISIBLE_LETTERS = {"\u034f", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u3164", "\uffa0"}
# Textual's own escape sequences: CSI (colours, cursor moves, modes) and the mouse
# pointer's shape (OSC 22), which no payload uses.
_OWN_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\]22;[a-z-]*\x07")


def unsafe_in(text: str, *, allow: str = "") -> list[str]:
    """The characters of ``text`` a terminal must never receive raw, as escapes."""
    return sorted(
        {
            f"U+{ord(ch):04X}"
            for ch in text
            if ch not in allow
            and (unicodedata.category(ch) in UNSAFE_CATEGORIES or ch in INVISIBLE_LETTERS)
        }
    )


# ----------------------------------------------------------------------- the app

PROFILE = Profile(name="demo", subdomain="demo", username="bot", use_cache=False)
SIZE = (200, 60)


def _factory(sim: Simulator) -> Any:
    def factory(profile: Profile, password: str) -> SonnysBackofficeClient:
        return SonnysBackofficeClient(**sim.client_kwargs(password=password))

    return factory


@asynccontextmanager
async def running(
    sim: Simulator, *, size: tuple[int, int] = SIZE, **kwargs: Any
) -> AsyncIterator[tuple[SonnysApp, Pilot[None]]]:
    """The app connected to ``sim`` (``profile=None``: on the Connect screen), with its
    toasts and tooltips shown (run_test hides them by default)."""
    kwargs.setdefault("profile", PROFILE)
    kwargs.setdefault("password", sim.password)
    app = make_app(client_factory=_factory(sim), clock=lambda: date(2026, 3, 2), **kwargs)
    async with app.run_test(size=size, notifications=True, tooltips=True) as pilot:
        await settle(pilot)
        yield app, pilot


# ----------------------------------------------------------------------- the tenant

MARK = "Zq"  # every hostile employee's name starts with it: the filter "zq" shows them
CLEAN_TEMPLATE = "Cashier"


def seed(sim: Simulator) -> dict[str, Employee]:
    """One employee per payload (in every text field), and the payloads in the names
    of sites, departments, templates and a Back Office user. The store takes anything,
    as a real Back Office does when someone edits a name in the browser."""
    store = sim.store
    kinds = list(PAYLOADS)
    # The first site and department and the "Cashier" template keep their names: the
    # client refuses to look a name holding control characters up, so a hire needs one.
    for i, site in enumerate(sorted(store.sites.values(), key=lambda s: s.id)[1:]):
        site.name = f"Site {PAYLOADS[kinds[i % len(kinds)]]} {i}"
    departments = sorted(store.departments.values(), key=lambda d: d.id)
    for i, department in enumerate(departments[1:]):
        department.name = f"Dept {PAYLOADS[kinds[-1 - i]]} {i}"
    for i, template in enumerate(store.pos_templates.values()):
        template.description = f"desc {PAYLOADS[kinds[(i + 9) % len(kinds)]]}"
        if template.name != CLEAN_TEMPLATE:
            template.name = f"POS {PAYLOADS[kinds[(i + 5) % len(kinds)]]} {i}"
    for i, bo_template in enumerate(store.bo_templates.values()):
        bo_template.description = f"BO {PAYLOADS[kinds[(i + 13) % len(kinds)]]} {i}"
    site_ids = sorted(store.sites)
    employees: dict[str, Employee] = {}
    for i, (kind, payload) in enumerate(PAYLOADS.items()):
        employees[kind] = store.add_employee(
            Employee(
                id=store.next_employee_id(),
                first_name=f"{MARK}{payload}Eve{i:02d}",
                last_name=f"Ha{payload}ck",
                phone=f"555{payload}0100",
                email=f"zq{i}{payload}@example.com",
                department_ids=[departments[i % len(departments)].id],
                site_ids={site_ids[i % len(site_ids)], site_ids[(i + 1) % len(site_ids)]},
                pos_user_id=8100 + i,
                pos_pin="12345",
                emergency_contact_name=f"Em{payload}ma",
                emergency_contact_phone=f"555{payload}0199",
                adp_employee_id=f"A{payload}"[:32],
            )
        )
    store.add_user(
        BoUser(
            id=store.next_user_id(),
            username="zq_hostile",
            email="zq.hostile@example.com",
            password="irrelevant-pw",
            first_name=f"{MARK}{''.join(list(PAYLOADS.values())[:8])}",
            last_name="".join(list(PAYLOADS.values())[8:]),
        )
    )
    return employees


def every_payload() -> str:
    return "".join(PAYLOADS.values())


# ----------------------------------------------------------------------- the terminal


@dataclass
class Terminal:
    """What the app wrote to the terminal: ``writes`` are the driver's raw bytes (as
    text), ``texts`` the text of every segment drawn (Textual's own styles and cursor
    moves are kept apart from it, in the segments' styles and control codes)."""

    writes: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    bells: int = 0

    def problems(self) -> list[str]:
        found = []
        drawn = unsafe_in("".join(self.texts))
        if drawn:
            found.append(f"drawn text holds {drawn}")
        raw = _OWN_SEQUENCE.sub("", "".join(self.writes))
        # Lines are separated by a line feed; every other control is someone else's.
        leftover = unsafe_in(raw, allow="\n")
        if leftover:
            found.append(f"raw output holds {leftover} outside Textual's own CSI sequences")
        return found

    def drawn(self) -> str:
        return "".join(self.texts)


def frame(app: object) -> str:
    """The text of the screen as drawn now (one line per row), without side effects."""
    screen = app.screen  # type: ignore[attr-defined]
    strips = screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip if not seg.control) for strip in strips)


def start_recording(monkeypatch: pytest.MonkeyPatch) -> Terminal:
    """From now on, apps run with a driver that really renders and records every write
    (Textual's headless driver renders nothing), and the text of every segment drawn
    is recorded as well."""
    recorded = Terminal()

    class RecordingDriver(HeadlessDriver):
        @property
        def is_headless(self) -> bool:
            return False  # so that the app renders every frame to this driver

        def write(self, data: str) -> None:
            if data == "\x07":
                recorded.bells += 1  # App.bell(): Textual's own, written alone
            else:
                recorded.writes.append(data)

    original_render = Strip.render

    def render(self: Strip, console: Console) -> str:
        recorded.texts.extend(seg.text for seg in self._segments if not seg.control)
        return original_render(self, console)

    monkeypatch.setattr("textual.drivers.headless_driver.HeadlessDriver", RecordingDriver)
    monkeypatch.setattr(Strip, "render", render)
    return recorded
