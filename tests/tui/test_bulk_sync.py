"""The Import screen's sync (Ctrl+Y): an HR export planned in the same table as a bulk
file, who is missing offboarded; a sync the guards refuse cannot be applied."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from sonnys_tui.simulator import Simulator
from sonnys_tui.tui.screens.bulk_import import SYNC_MODES

from .conftest import MakeApp, settle, shown, type_text
from .test_bulk_import import open_import, outcomes

pytestmark = pytest.mark.anyio


def hr_export(sim: Simulator, tmp_path: Path, leave_out: int) -> tuple[Path, list[int]]:
    """The listed active employees' POS User IDs and phones as an HR export (with a
    column a sync ignores), but for the first ``leave_out`` of them."""
    people = sorted(
        (e for e in sim.store.employees.values() if e.active and e.site_ids),
        key=lambda e: e.pos_user_id,
    )
    lines = ["POS User ID,Phone,Manager"]
    lines += [f"{e.pos_user_id},{e.phone},Pat Boss" for e in people[leave_out:]]
    path = tmp_path / "hr.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, [e.pos_user_id for e in people[:leave_out]]


async def test_ctrl_y_plans_the_file_as_a_sync_and_applies_the_offboard(
    make: MakeApp, sim: Simulator, tmp_path: Path
) -> None:
    path, gone = hr_export(sim, tmp_path, 1)
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_import(pilot, path)  # a bulk file: no action column
        assert "action" in shown(screen.query_one("#import-error", Static))
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert "Sync by POS User ID" in shown(screen.query_one("#import-sync", Static))
        assert screen.state == "planned" and screen.plan is not None
        summary = shown(screen.query_one("#import-summary", Static))
        assert "1 would disable" in summary and "columns ignored: Manager" in summary
        assert outcomes(screen)[-1].startswith("would disable: POS login")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert screen.state == "applied"
        assert not sim.store.employee_by_pos_id(gone[0]).active  # type: ignore[union-attr]


async def test_a_refused_sync_says_why_and_offers_nothing_to_apply(
    make: MakeApp, sim: Simulator, tmp_path: Path
) -> None:
    path, gone = hr_export(sim, tmp_path, 8)
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("ctrl+y")
        screen = app.screen
        await type_text(pilot, "#import-path", str(path))
        await pilot.press("enter")
        await settle(pilot)
        summary = shown(screen.query_one("#import-summary", Static))
        assert "Refused: it would offboard 8 people" in summary
        assert screen.check_action("apply", ()) is None  # shown greyed
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert all(sim.store.employee_by_pos_id(p).active for p in gone)  # type: ignore[union-attr]


async def test_a_sync_hire_with_unusual_pay_is_allowed_after_asking(
    make: MakeApp, sim: Simulator, tmp_path: Path
) -> None:
    """A sync plans unusual pay as an error too; Ctrl+L asks, and yes plans the hire
    as `bulk plan --sync --allow-unusual-pay` does (nothing written); Ctrl+Y (another
    plan) starts without the allowance."""
    people = sorted(
        (e for e in sim.store.employees.values() if e.active and e.site_ids),
        key=lambda e: e.pos_user_id,
    )
    lines = [
        "pos_user_id,first_name,last_name,phone,email,wage_rate,start_date,"
        "available_sites,departments,permission"
    ]
    lines += [f"{e.pos_user_id},{e.first_name},{e.last_name},{e.phone},,,,,," for e in people]
    lines.append(
        "7601,Sina,Syncwage,5550107601,sina@example.com,150.00,2026-03-02,"
        "Demo Wash Fiesta,Cashier,Cashier"
    )
    path = tmp_path / "hr.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_import(pilot, path)
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert outcomes(screen)[-1].startswith("error: wage_rate: unusual pay")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert "Sina Syncwage (POS 7601): wage_rate 150.00" in shown(
            app.screen.query_one("#confirm-text", Static)
        )
        await pilot.press("y")
        await settle(pilot)
        assert screen.pay_allowed and outcomes(screen)[-1].startswith("would create")
        assert sim.store.employee_by_pos_id(7601) is None
        for _mode in range(len(SYNC_MODES)):  # round to the sync by POS User ID again
            await pilot.press("ctrl+y")
            await settle(pilot)
        assert screen.sync_key == "pos_user_id" and not screen.pay_allowed
        assert outcomes(screen)[-1].startswith("error: wage_rate: unusual pay")
