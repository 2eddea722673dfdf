"""Snapshots of every screen at 80x24 and 120x40 (fixed clock, demo data, no blink).

Regenerate with ``pytest tests/tui --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Select, SelectionList, TabbedContent

from sonnys_tui.simulator import Simulator
from sonnys_tui.tui.app import SonnysApp
from sonnys_tui.tui.widgets.site_picker import ALL_SITES, SitePicker

from .conftest import MakeApp, no_blink, settle, type_text

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
Steps = Callable[[Pilot[object]], Awaitable[None]]


def _first_listed_pos_id(sim: Simulator) -> int:
    return min(e.pos_user_id for e in sim.store.employees.values() if e.site_ids and e.active)


def steps(sim: Simulator, *actions: Steps) -> Callable[[Pilot[object]], Awaitable[None]]:
    async def run_before(pilot: Pilot[object]) -> None:
        await settle(pilot)
        for action in actions:
            await action(pilot)
            await settle(pilot)
        app = pilot.app
        assert isinstance(app, SonnysApp)
        app.clear_notifications()
        no_blink(app)
        await pilot.pause()

    return run_before


def press(*keys: str) -> Steps:
    async def run(pilot: Pilot[object]) -> None:
        await pilot.press(*keys)

    return run


def tab(name: str) -> Steps:
    async def run(pilot: Pilot[object]) -> None:
        pilot.app.screen.query_one("#tabs", TabbedContent).active = name
        await pilot.pause()

    return run


def filter_pos(sim: Simulator) -> Steps:
    async def run(pilot: Pilot[object]) -> None:
        await type_text(pilot, "#filter", str(_first_listed_pos_id(sim)))

    return run


def fill_form(sim: Simulator, *, backoffice: bool = False, wage: str = "16.00") -> Steps:
    async def run(pilot: Pilot[object]) -> None:
        screen = pilot.app.screen
        for selector, text in (
            ("#first_name", "Snappy"),
            ("#last_name", "Shotwell"),
            ("#phone", "(555) 010-0177"),
            ("#email", "snappy.shotwell@example.com"),
            ("#pos_pin", "13579"),
            ("#wage_rate", wage),
        ):
            await type_text(pilot, selector, text)
        screen.query_one("#available_sites", SelectionList).select(
            sorted(sim.store.sites.values(), key=lambda s: s.id)[0].name
        )
        screen.query_one("#departments", SelectionList).select("Line")
        screen.query_one("#permission", Select).value = "Cashier"
        if backoffice:
            screen.query_one("#requires_backoffice", Checkbox).value = True
            await pilot.pause()
            await type_text(pilot, "#backoffice_username", "sshotwell")
            await type_text(pilot, "#backoffice_password", "Snap-Shot-2026")
        screen.query_one("#first_name", Input).focus()

    return run


def fill_bo_user(*, standalone: bool = False) -> Steps:
    async def run(pilot: Pilot[object]) -> None:
        if standalone:
            await type_text(pilot, "#first_name", "Snappy")
            await type_text(pilot, "#last_name", "Visitor")
            pilot.app.screen.query_one("#available_sites", SitePicker).choose([ALL_SITES])
        await type_text(pilot, "#username", "snap_login")
        email = pilot.app.screen.query_one("#email", Input)
        if not email.disabled:
            await type_text(pilot, "#email", "snap.login@example.com")
        await type_text(pilot, "#password", "Snap-Login-2026")

    return run


@pytest.mark.parametrize("size", SIZES)
class TestConnect:
    def test_connect_empty(self, snap_compare, make: MakeApp, sim: Simulator, size) -> None:
        assert snap_compare(make(profile=None), terminal_size=size, run_before=steps(sim))

    def test_login_failure(self, snap_compare, make: MakeApp, sim: Simulator, size) -> None:
        app = make(password="wrong-password")
        assert snap_compare(app, terminal_size=size, run_before=steps(sim))


@pytest.mark.parametrize("size", SIZES)
class TestEmployees:
    def test_home(self, snap_compare, make: MakeApp, sim: Simulator, size) -> None:
        assert snap_compare(make(), terminal_size=size, run_before=steps(sim))

    def test_filtered_with_detail(self, snap_compare, make: MakeApp, sim: Simulator, size):
        run = steps(sim, filter_pos(sim), press("enter"))
        assert snap_compare(make(), terminal_size=size, run_before=run)

    def test_confirm_disable(self, snap_compare, make: MakeApp, sim: Simulator, size) -> None:
        run = steps(sim, filter_pos(sim), press("ctrl+d"))
        assert snap_compare(make(), terminal_size=size, run_before=run)

    def test_help(self, snap_compare, make: MakeApp, sim: Simulator, size) -> None:
        assert snap_compare(make(), terminal_size=size, run_before=steps(sim, press("f1")))


@pytest.mark.parametrize("size", SIZES)
class TestReferenceTabs:
    @pytest.mark.parametrize("name", ["sites", "departments", "templates", "bo-users"])
    def test_tab(self, snap_compare, make: MakeApp, sim: Simulator, size, name: str) -> None:
        assert snap_compare(make(), terminal_size=size, run_before=steps(sim, tab(name)))


@pytest.mark.parametrize("size", SIZES)
class TestNewEmployee:
    def test_empty_form(self, snap_compare, make: MakeApp, sim: Simulator, size) -> None:
        assert snap_compare(make(), terminal_size=size, run_before=steps(sim, press("ctrl+n")))

    def test_refused_submit(self, snap_compare, make: MakeApp, sim: Simulator, size) -> None:
        run = steps(sim, press("ctrl+n"), press("ctrl+s"))
        assert snap_compare(make(), terminal_size=size, run_before=run)

    def test_hire_result(self, snap_compare, make: MakeApp, sim: Simulator, size) -> None:
        run = steps(sim, press("ctrl+n"), fill_form(sim, backoffice=True), press("ctrl+s"))
        assert snap_compare(make(), terminal_size=size, run_before=run)

    def test_new_backoffice_user(self, snap_compare, make: MakeApp, sim: Simulator, size):
        run = steps(sim, filter_pos(sim), press("ctrl+b"))
        assert snap_compare(make(), terminal_size=size, run_before=run)

    def test_confirm_pay(self, snap_compare, make: MakeApp, sim: Simulator, size) -> None:
        run = steps(sim, press("ctrl+n"), fill_form(sim, wage="0"), press("ctrl+s"))
        assert snap_compare(make(), terminal_size=size, run_before=run)

    def test_backoffice_user_refused(self, snap_compare, make: MakeApp, sim: Simulator, size):
        # The first listed employee has a login already: the refusal stays in view.
        run = steps(sim, filter_pos(sim), press("ctrl+b"), fill_bo_user(), press("ctrl+s"))
        assert snap_compare(make(), terminal_size=size, run_before=run)

    def test_backoffice_user_result(self, snap_compare, make: MakeApp, sim: Simulator, size):
        run = steps(
            sim, tab("bo-users"), press("ctrl+b"), fill_bo_user(standalone=True), press("ctrl+s")
        )
        assert snap_compare(make(), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_audit_log(snap_compare, make: MakeApp, sim: Simulator, size) -> None:
    from sonnys_tui import audit

    at = "2026-03-02T14:0{}:00+00:00"
    for minute, (operation, target, outcome, warnings, error) in enumerate(
        [
            ("hire", "employee_id=61 pos_user_id=1061", "ok", [], ""),
            ("hire", "pos_user_id=1062", "failed", [], "Wage site missing."),
            ("disable", "employee_id=7 pos_user_id=1007", "ok", [], ""),
            ("new backoffice user", "username=tmchireface", "partial", ["[b]no sites"], ""),
        ]
    ):
        audit.record(
            audit.AuditEvent(
                "demo", "demo", operation, target, outcome, warnings, error, at.format(minute)
            )
        )
    assert snap_compare(make(), terminal_size=size, run_before=steps(sim, press("f7")))
