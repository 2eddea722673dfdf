"""Read-only mode in the app (issue 17): READ-ONLY in the header, and no write key in
the footer, in F1 or in the palette, on every tab and in the access review; a write key
pressed anyway opens nothing and sends nothing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Static
from textual.widgets._footer import FooterKey

from sonnys_tui.config import READ_ONLY_ENV
from sonnys_tui.simulator import Simulator
from sonnys_tui.tui.app import SonnysApp, make_app
from sonnys_tui.tui.screens.access_review import AccessReviewScreen
from sonnys_tui.tui.screens.help import HelpScreen
from sonnys_tui.tui.screens.home import HomeScreen

from .conftest import (
    DEMO_PROFILE,
    FIXED_TODAY,
    screen_lines,
    settle,
    shown,
    sim_client_factory,
    type_text,
)

pytestmark = pytest.mark.anyio

# Every action that writes, or opens a form or dialog that does.
WRITE_ACTIONS = {
    "new_employee",
    "new_backoffice_user",
    "set_active",
    "edit",
    "add_wage",
    "change_template",
    "permissions",
    "reset_password",
    "fix",
    "deactivate",
}
WRITE_KEYS = ("ctrl+n", "ctrl+b", "ctrl+d", "f8", "f9", "ctrl+t", "ctrl+k")
WRITE_TITLES = {
    "New employee",
    "New Back Office user",
    "Edit employee",
    "Add wage",
    "Change POS template",
    "Import from a spreadsheet (CSV)…",
}


def build(sim: Simulator, *, way: str, monkeypatch: pytest.MonkeyPatch) -> SonnysApp:
    profile = DEMO_PROFILE
    if way == "env":
        monkeypatch.setenv(READ_ONLY_ENV, "1")
    elif way == "profile":
        profile = replace(DEMO_PROFILE, read_only=True)
    app = make_app(
        profile=profile,
        password=sim.password,
        client_factory=sim_client_factory(sim),
        clock=lambda: FIXED_TODAY,
        read_only=way == "flag",
    )
    app.animation_level = "none"
    return app


def shown_actions(app: SonnysApp) -> set[str]:
    """The actions of the keys the footer shows and of every binding that is active."""
    footer = {
        key.action.rpartition(".")[2].partition("(")[0] for key in app.screen.query(FooterKey)
    }
    active = {
        b.binding.action.rpartition(".")[2].partition("(")[0]
        for b in app.screen.active_bindings.values()
    }
    return footer | active


def home(app: SonnysApp) -> HomeScreen:
    assert isinstance(app.screen, HomeScreen), app.screen
    return app.screen


def posts(sim: Simulator) -> list[str]:
    return [r.path for r in sim.requests if r.method == "POST" and not r.path.startswith("/login")]


@pytest.mark.parametrize("way", ["flag", "env", "profile"])
async def test_read_only_offers_no_write_anywhere(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    app = build(sim, way=way, monkeypatch=monkeypatch)
    login = sim.store.users[3000002]  # Jordan Pilot's login: left open when he is inactive
    sim.store.employees[login.employee_id or 0].active = False
    employee = next(e for _i, e in sorted(sim.store.employees.items()) if e.active and e.site_ids)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = home(app)
        assert "READ-ONLY" in app.sub_title
        assert screen.tenant.read_only
        # Employees: a row, then its detail pane open (pay read).
        await type_text(pilot, "#filter", str(employee.pos_user_id))
        await settle(pilot)
        assert screen.employees.current_employee() is not None
        assert not shown_actions(app) & WRITE_ACTIONS
        await pilot.press("enter")
        await settle(pilot)
        assert screen.employees.detail.display
        assert not shown_actions(app) & WRITE_ACTIONS
        palette = {c.title for c in app.get_system_commands(screen)}
        assert not palette & WRITE_TITLES
        assert "Plan a spreadsheet (CSV)…" in palette  # planning writes nothing
        await pilot.press(*WRITE_KEYS)
        await settle(pilot)
        assert app.screen is screen  # no form, no dialog
        # BO users: a login highlighted.
        screen.show_tab("bo-users")
        await settle(pilot)
        assert not shown_actions(app) & WRITE_ACTIONS
        await pilot.press("ctrl+d", "ctrl+t", "ctrl+k")
        await settle(pilot)
        assert app.screen is screen
        # The access review: findings shown, no fix offered.
        screen.action_access_review()
        await settle(pilot)
        assert isinstance(app.screen, AccessReviewScreen)
        assert app.screen.findings
        assert not shown_actions(app) & WRITE_ACTIONS
        await pilot.press("enter", "f", "ctrl+d", "ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, AccessReviewScreen)
        await pilot.press("escape")
        await settle(pilot)
        # F1: no write key listed.
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = shown(app.screen.query_one("#help-dialog Static", Static))
        assert "READ-ONLY" in text
        for key in ("Ctrl+N", "Ctrl+B", "Ctrl+D", "F8", "F9", "Ctrl+T", "Ctrl+K", "Ctrl+S"):
            assert key not in text, key
        assert "Ctrl+P" in text and "F7" in text  # the keys that look are still there
        assert "new employee" not in text and "then applied" not in text
    assert posts(sim) == []


async def test_without_read_only_the_write_keys_are_offered(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build(sim, way="none", monkeypatch=monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "READ-ONLY" not in app.sub_title
        palette = {c.title for c in app.get_system_commands(home(app))}
        assert {"New employee", "New Back Office user"} <= palette
        await pilot.press("f1")
        await settle(pilot)
        text = shown(app.screen.query_one("#help-dialog Static", Static))
        assert "Ctrl+N" in text and "READ-ONLY" not in text


async def test_the_import_plans_and_offers_no_apply(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch, tmp_path: object
) -> None:
    from pathlib import Path

    from sonnys_tui.tui.screens.bulk_import import BulkImportScreen

    path = Path(str(tmp_path)) / "people.csv"
    path.write_text("action,pos_user_id,phone\nupdate,4101,(555) 010-0199\n", "utf-8")
    app = build(sim, way="flag", monkeypatch=monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BulkImportScreen)
        await type_text(pilot, "#import-path", str(path))
        await pilot.press("enter")
        await settle(pilot)
        assert screen.plan is not None and screen.plan.to_apply
        assert "apply" not in shown_actions(app)
        assert "Read-only" in shown(screen.query_one("#import-summary", Static))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
    assert posts(sim) == []


async def test_read_only_names_no_write_key_for_an_employee_the_roster_hides(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trial: read-only, typing 4106 (Val Trialson, no site) said "F8 gives them a site;
    Ctrl+D offboards them", and the review's Fix column "give a site (e)": none of those
    keys is there in read-only mode."""
    app = build(sim, way="flag", monkeypatch=monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await type_text(pilot, "#filter", "4106")
        await settle(pilot)
        toasts = [str(n.message) for n in app._notifications]
        hidden = [t for t in toasts if "has no available site" in t]
        assert hidden, toasts
        assert "F8" not in hidden[0] and "Ctrl+D" not in hidden[0]
        assert "read-only" in hidden[0]
        home(app).action_access_review()
        await settle(pilot)
        assert isinstance(app.screen, AccessReviewScreen) and app.screen.hidden
        assert not any("(e)" in line for line in screen_lines(app))
        assert "e" not in {key.key for key in app.screen.query(FooterKey)}
    assert posts(sim) == []
