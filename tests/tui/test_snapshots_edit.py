"""Snapshots of the Edit employee form and its Review changes screen at 80x24 and
120x40 (fixed clock, demo data, no blink). Regenerate with
``pytest tests/tui/test_snapshots_edit.py --snapshot-update`` and look at the SVGs."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.widgets import SelectionList

from sonnys_tui.simulator import Simulator
from sonnys_tui.tui.screens.edit_employee import EditEmployeeScreen

from .conftest import MakeApp, type_text
from .test_snapshots import SIZES, Steps, filter_pos, press, steps


@pytest.fixture(autouse=True)
def no_debounce(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(EditEmployeeScreen, "AVAILABILITY_DEBOUNCE", 0.0)


def change_phone_and_a_site(sim: Simulator) -> Steps:
    async def run(pilot: Pilot[object]) -> None:
        await type_text(pilot, "#phone", "(555) 010-0142")
        sites = pilot.app.screen.query_one("#available_sites", SelectionList)
        unticked = next(
            s.name
            for s in sorted(sim.store.sites.values(), key=lambda s: s.id)
            if s.name not in sites.selected
        )
        sites.select(unticked)
        await pilot.pause()

    return run


@pytest.mark.parametrize("size", SIZES)
class TestEditEmployee:
    def test_edit_form(self, snap_compare, make: MakeApp, sim: Simulator, size) -> None:
        run = steps(sim, filter_pos(sim), press("f8"))
        assert snap_compare(make(), terminal_size=size, run_before=run)

    def test_review_changes(self, snap_compare, make: MakeApp, sim: Simulator, size) -> None:
        run = steps(
            sim, filter_pos(sim), press("f8"), change_phone_and_a_site(sim), press("ctrl+s")
        )
        assert snap_compare(make(), terminal_size=size, run_before=run)
