"""Snapshots of issue 11's screens at 80x24 and 120x40: the offboarding result (each
door closed), a Back Office user action (template and sites, prefilled) and the access
review with a seeded risky login. ``pytest tests/tui/test_snapshots_access.py
--snapshot-update`` regenerates them: look at the SVGs before committing."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from sonnys_tui.simulator import Simulator
from sonnys_tui.tui.panes.backoffice_users import BackofficeUsersPane

from .conftest import MakeApp
from .test_snapshots import SIZES, Steps, filter_pos, press, steps

JORDAN_LOGIN = 3000002  # the demo tenant's login of Jordan Pilot (POS 4101)


def bo_user(user_id: int) -> Steps:
    async def run(pilot: Pilot[object]) -> None:
        pilot.app.screen.show_tab("bo-users")  # type: ignore[attr-defined]
        await pilot.pause()
        table = pilot.app.screen.query_one(BackofficeUsersPane).table
        table.move_cursor(row=table.get_row_index(str(user_id)))
        await pilot.pause()

    return run


@pytest.mark.parametrize("size", SIZES)
class TestAccess:
    def test_offboard_result(self, snap_compare, make: MakeApp, sim: Simulator, size) -> None:
        run = steps(sim, filter_pos(sim), press("ctrl+d"), press("y"))
        assert snap_compare(make(), terminal_size=size, run_before=run)

    def test_backoffice_permissions(
        self, snap_compare, make: MakeApp, sim: Simulator, size
    ) -> None:
        run = steps(sim, bo_user(JORDAN_LOGIN), press("ctrl+t"))
        assert snap_compare(make(), terminal_size=size, run_before=run)

    def test_access_review(self, snap_compare, make: MakeApp, sim: Simulator, size) -> None:
        login = sim.store.users[JORDAN_LOGIN]
        sim.store.employees[login.employee_id or 0].active = False  # a login left open
        run = steps(sim, bo_user(JORDAN_LOGIN), press("ctrl+a"))
        assert snap_compare(make(), terminal_size=size, run_before=run)
