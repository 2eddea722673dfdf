"""Snapshots of the Import screen's planned table (a create, a change, a disable, two
errors with their columns and reasons) at 80x24 and 120x40. Regenerate with
``--snapshot-update`` and look at them."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from sonnys_tui.simulator import Simulator

from .conftest import MakeApp, type_text
from .test_bulk_import import hire, write
from .test_snapshots import SIZES, press, steps


@pytest.mark.parametrize("size", SIZES)
def test_planned_table(
    snap_compare, make: MakeApp, sim: Simulator, tmp_path: Path, monkeypatch, size
) -> None:
    # The file under a home of its own: "~/hires.csv" on screen, the same on every run.
    monkeypatch.setenv("HOME", str(tmp_path))
    taken = min(e.pos_user_id for e in sim.store.employees.values() if e.active)
    write(
        tmp_path,
        hire(7101, "Rowan", "Planwell", "5550107101"),
        hire(taken, "Tess", "Takenid", "5550107102"),
        hire(7103, "Uma", "Nosite", "5550107103", sites="Nowhere Wash"),
        f"offboard,{taken},,,,,,,,,",
        f"wage,{taken},,,,,16.25,,,,",
        name="hires.csv",
    )

    async def path(pilot: Pilot[object]) -> None:
        await type_text(pilot, "#import-path", "~/hires.csv")

    run = steps(sim, press("ctrl+o"), path, press("enter"))
    assert snap_compare(make(), terminal_size=size, run_before=run)
