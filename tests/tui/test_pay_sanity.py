"""Pilot: Add wage asks before planning pay the field registry calls unusual, as the hire
form does (one rule: backoffice/fields.py); No goes back to the form, Yes reviews it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from textual.widgets import Static

from sonnys_tui.simulator import Simulator
from sonnys_tui.tui.dialogs.add_wage import AddWageDialog
from sonnys_tui.tui.dialogs.confirm import ConfirmScreen

from .conftest import MakeApp, settle, shown, type_text
from .test_pay import _open_detail, _target

pytestmark = pytest.mark.anyio
SIZE = (120, 40)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ({"rate": "150.00"}, "is above 100.00"),
        ({"rate": "14.00", "overtime_rate": "30.00"}, "more than twice the wage"),
    ],
)
async def test_add_wage_asks_before_unusual_pay(
    make: MakeApp, sim: Simulator, typed: dict[str, str], said: str
) -> None:
    employee = _target(sim)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await _open_detail(pilot, employee)
        await pilot.press("w")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AddWageDialog)
        for name, value in typed.items():
            await type_text(pilot, f"#{name}", value)
        sent = len(sim.requests)
        await pilot.press("ctrl+s")
        await settle(pilot)
        question = app.screen
        assert isinstance(question, ConfirmScreen) and question.id == "confirm-pay"
        assert said in shown(question.query_one("#confirm-text", Static))
        assert len(sim.requests) == sent  # asked before planning: no request
        await pilot.press("n")
        await settle(pilot)
        assert app.screen is dialog and dialog.stage == "form"
        assert app.focused is dialog.query_one("#rate")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")  # yes: planned and reviewed, not yet written
        await settle(pilot)
        assert app.screen is dialog and dialog.stage == "review"
        assert len(employee.wages) == 1
        await pilot.press("ctrl+s")
        await settle(pilot)
        latest = employee.latest_wage()
        assert latest is not None and latest.regular_rate == Decimal(typed["rate"])
