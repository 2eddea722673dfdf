"""Palette "Check this tenant": doctor as a table, run in a thread worker, reads only."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from sonnys_tui.simulator import Simulator
from sonnys_tui.tui.screens.doctor import DoctorScreen

from .conftest import MakeApp, on_screen, settle

pytestmark = pytest.mark.anyio


async def test_check_this_tenant_shows_every_capability_reading_only(
    make: MakeApp, sim: Simulator
) -> None:
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Check this tenant" in titles
        posts_before = sum(1 for r in sim.requests if r.method == "POST")
        app.action_check_tenant()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DoctorScreen)
        assert screen.report is not None
        assert {c.status for c in screen.report.capabilities} == {"ready"}
        table = screen.query_one("#doctor-table", DataTable)
        assert table.row_count == len(screen.report.capabilities)
        assert on_screen(app, "hire with a Back Office login") and on_screen(app, "ready")
        assert sum(1 for r in sim.requests if r.method == "POST") == posts_before


async def test_a_refused_capability_shows_the_page_and_the_field(
    make: MakeApp, sim: Simulator
) -> None:
    from tests.backoffice.variants import VARIANTS

    VARIANTS["regularRate renamed"].apply(sim)
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_check_tenant()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DoctorScreen) and screen.report is not None
        statuses = {c.name: c.status for c in screen.report.capabilities}
        assert statuses["wage"] == "refused" and statuses["lookups"] == "ready"
        table = screen.query_one("#doctor-table", DataTable)
        table.move_cursor(row=[c.name for c in screen.report.capabilities].index("wage"))
        await settle(pilot)
        assert on_screen(app, "wage[regularRate]")
        assert on_screen(app, "refused")
