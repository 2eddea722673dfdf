"""Snapshots of the detail pane's Pay section and of the Add wage dialog, at 80x24 and
120x40 (fixed clock, demo data). Regenerate with ``--snapshot-update`` and look at them."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from sonnys_tui.simulator import Simulator

from .conftest import MakeApp, type_text
from .test_snapshots import SIZES, Steps, press, steps


def _eligible_pos_id(sim: Simulator) -> int:
    """The first listed active employee whose wage is overtime eligible."""
    return min(
        e.pos_user_id
        for e in sim.store.employees.values()
        if e.site_ids and e.active and (w := e.latest_wage()) is not None and w.overtime_eligible
    )


def open_pay(sim: Simulator) -> Steps:
    async def run(pilot: Pilot[object]) -> None:
        await type_text(pilot, "#filter", str(_eligible_pos_id(sim)))
        await pilot.press("enter")

    return run


@pytest.mark.parametrize("size", SIZES)
class TestPay:
    def test_detail_with_pay(self, snap_compare, make: MakeApp, sim: Simulator, size) -> None:
        # The detail scrolled to its end: at 80x24 the Pay section is under the record.
        run = steps(sim, open_pay(sim), press("end"))
        assert snap_compare(make(), terminal_size=size, run_before=run)

    def test_add_wage_review(self, snap_compare, make: MakeApp, sim: Simulator, size) -> None:
        async def rate(pilot: Pilot[object]) -> None:
            await type_text(pilot, "#rate", "21.40")

        run = steps(sim, open_pay(sim), press("f9"), rate, press("ctrl+s"))
        assert snap_compare(make(), terminal_size=size, run_before=run)
