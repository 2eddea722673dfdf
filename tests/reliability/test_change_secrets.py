"""A PIN change never shows a PIN: not in the plan, its review, the result, a conflict,
an error or a log line (the old PIN and the new one)."""

from __future__ import annotations

import logging

import pytest

from sonnys_tui.backoffice.errors import BackofficeError, ConflictError
from sonnys_tui.simulator import Simulator

from .conftest import make_client

NEW_PIN = 86420


def test_a_pin_change_shows_no_pin_anywhere(caplog: pytest.LogCaptureFixture) -> None:
    sim = Simulator.demo()
    employee = next(e for e in sim.store.employees.values() if e.active and e.site_ids)
    old_pin = employee.pos_pin
    seen: list[str] = []
    caplog.set_level(logging.DEBUG)
    with make_client(sim) as client:
        plan = client.plan_update_employee(employee_id=employee.id, pos_pin=NEW_PIN)
        seen += [repr(plan), plan.describe(), str(plan.changes), repr(plan.arguments)]
        employee.pos_pin = "13571"  # changed in the web UI meanwhile
        with pytest.raises(ConflictError) as info:
            client.apply_change(plan)
        seen += [str(info.value), repr(info.value), repr(info.value.moved)]
        sim.faults.add(path="/employee/update", method="POST", kind="500")
        with pytest.raises(BackofficeError) as failed:
            client.update_employee(employee_id=employee.id, pos_pin=NEW_PIN)
        seen += [str(failed.value), repr(failed.value)]
        result = client.update_employee(employee_id=employee.id, pos_pin=NEW_PIN)
        seen += [repr(result), str(result.changes), repr(result.record)]
    assert employee.pos_pin == str(NEW_PIN)  # it did change
    seen.append(caplog.text)
    for text in seen:
        for pin in (old_pin, "13571", str(NEW_PIN)):
            assert pin not in text, (pin, text[:300])
    assert "Secret('********')" in repr(plan.changes)
