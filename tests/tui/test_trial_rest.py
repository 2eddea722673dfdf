"""Issue 18, "the rest of the trial", in the app: messages that say what happened (no
"nothing was written" after a door was closed, "Back Office said no" only for the Back
Office's own refusals), and the screens' items each tested where the trial found them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sonnys_tui.backoffice.errors import (
    BackofficeConnectionError,
    ConflictError,
    DuplicateError,
    ReadOnlyError,
    ValidationError,
)
from sonnys_tui.simulator import Simulator
from sonnys_tui.tui.errors import error_title

from .conftest import MakeApp, settle
from .test_offboarding import _ctrl_d, _linked, _status

pytestmark = pytest.mark.anyio


async def test_a_stop_part_way_never_says_nothing_was_written(
    make: MakeApp, sim: Simulator
) -> None:
    employee, first = _linked(sim)
    sim.store.add_user(
        replace(first, id=sim.store.next_user_id(), username="JPilot2", email="jp2@example.com")
    )
    sim.faults.add(path="/user/update", method="POST", nth=2, kind="500", when="before")
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await _ctrl_d(pilot, employee)
        await pilot.press("y")
        await settle(pilot)
        status = _status(dialog)
        assert "Stopped part way" in status and "✓ Back Office login" in status
        assert "nothing was written" not in status.casefold()
        assert "this step changed nothing" in status


def test_a_dropped_write_read_back_as_not_written_does_not_say_unknown() -> None:
    error = BackofficeConnectionError(
        "POST /employee/update failed: the connection was lost; its outcome is unknown"
    )
    assert "outcome is unknown" in str(error)  # until it is read back
    error.state = "nothing was written: employee 5 was not disabled"
    assert "unknown" not in str(error)
    assert str(error).endswith("(nothing was written: employee 5 was not disabled)")


@pytest.mark.parametrize(
    ("error", "title"),
    [
        (ValidationError("phone must have 10 digits", field="phone"), "Refused before sending"),
        (
            DuplicateError("POS User ID 4101 is taken", field="pos_user_id"),
            "Refused before sending",
        ),
        (ConflictError("the record changed"), "Changed meanwhile: not sent"),
        (ReadOnlyError("read-only"), "Read-only: not sent"),
    ],
)
def test_a_refusal_made_here_is_not_the_back_offices(error: Exception, title: str) -> None:
    assert error_title(error) == title


def test_the_back_offices_own_refusal_says_so() -> None:
    from sonnys_tui.backoffice.core import rejection
    from sonnys_tui.backoffice.session import Page

    html = (
        b'<html><body><div class="alerts alerts-server">'
        b'<div class="alert alert-danger">Phone is invalid</div></div></body></html>'
    )
    page = Page(url="/employee/update", status_code=200, content=html)
    error = rejection(page, step="save", what="employee")
    assert error_title(error) == "Back Office said no"
