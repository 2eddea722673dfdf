"""Pay sanity in the shell and in bulk (issue 18): a wage below 7.25 or above 100.00, or
overtime above twice the wage, is refused naming the option or column unless
``--allow-unusual-pay`` is given (one rule: backoffice/fields.py)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from sonnys_tui.cli import ExitStatus
from sonnys_tui.simulator import Simulator

from .conftest import HIRE_HEADER, hire_line
from .conftest import run_cli as run

POS_ID = 4101  # Jordan Pilot of the demo tenant: one wage


def wages(sim: Simulator) -> int:
    employee = sim.store.employee_by_pos_id(POS_ID)
    assert employee is not None
    return len(employee.wages)


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (("--wage", "1.00"), "--wage"),
        (("--wage", "150.00"), "--wage"),
        (("--wage", "14.00", "--overtime-rate", "30.00"), "--overtime-rate"),
    ],
)
def test_set_refuses_unusual_pay_naming_the_option_and_the_flag(
    served: Simulator, argv: tuple[str, ...], option: str
) -> None:
    before = len(served.requests)
    status, out, err = run("set", str(POS_ID), *argv, "--yes", "--profile", "east")
    assert status == ExitStatus.USAGE, out + err
    assert err.startswith(f"sonnys-tui: {option}: unusual pay") or f"{option}: unusual pay" in err
    assert "--allow-unusual-pay" in err
    assert len(served.requests) == before  # refused before any request
    assert wages(served) == 1


def test_set_writes_unusual_pay_with_the_flag(served: Simulator) -> None:
    status, _, err = run(
        "set", str(POS_ID), "--wage", "1.00", "--allow-unusual-pay", "--yes", "--profile", "east"
    )
    assert status == ExitStatus.OK, err
    employee = served.store.employee_by_pos_id(POS_ID)
    assert employee is not None and len(employee.wages) == 2
    latest = employee.latest_wage()
    assert latest is not None and latest.regular_rate == Decimal("1.00")


def _hires(tmp_path: Path) -> Path:
    path = tmp_path / "hires.csv"
    path.write_text(
        HIRE_HEADER
        + "\n"
        + hire_line(5901, "Low", "Payhire", "5550100901", wage_rate="2.00")
        + "\n"
        + hire_line(5902, "High", "Payhire", "5550100902", wage_rate="500.00")
        + "\n",
        encoding="utf-8",
    )
    return path


def test_bulk_plan_marks_unusual_hires_as_errors_naming_wage_rate(tmp_path: Path) -> None:
    status, out, err = run("bulk", "plan", "--demo", "--json", str(_hires(tmp_path)))
    assert status == 1, out + err
    rows = json.loads(out)
    assert [(r["status"], r["column"]) for r in rows] == [("error", "wage_rate")] * 2
    assert all("--allow-unusual-pay" in r["reason"] for r in rows)


def test_bulk_plan_accepts_them_with_the_flag(tmp_path: Path) -> None:
    path = _hires(tmp_path)
    status, out, err = run("bulk", "plan", "--demo", "--json", "--allow-unusual-pay", str(path))
    assert status == ExitStatus.OK, out + err
    assert [r["status"] for r in json.loads(out)] == ["create", "create"]


def test_a_rerun_without_the_flag_skips_the_unusual_hires_it_made(
    served: Simulator, tmp_path: Path
) -> None:
    """The pay was allowed and written once: a rerun without the flag writes no pay, so it
    skips the hires made (it refused them, and the file, as errors)."""
    path = _hires(tmp_path)
    status, out, err = run(
        "bulk", "apply", "--profile", "east", "--yes", "--allow-unusual-pay", str(path)
    )
    assert status == ExitStatus.OK, out + err
    assert served.store.employee_by_pos_id(5902) is not None
    status, out, err = run("bulk", "plan", "--profile", "east", "--json", str(path))
    assert status == ExitStatus.OK, out + err
    assert [r["status"] for r in json.loads(out)] == ["skip", "skip"]


def test_bulk_plan_refuses_an_unusual_wage_row_too(tmp_path: Path) -> None:
    path = tmp_path / "wages.csv"
    path.write_text(
        f"action,pos_user_id,wage_rate,overtime_wage_rate\nwage,{POS_ID},14.00,30.00\n",
        encoding="utf-8",
    )
    status, out, _ = run("bulk", "plan", "--demo", "--json", str(path))
    assert status == 1
    [row] = json.loads(out)
    assert (row["status"], row["column"]) == ("error", "overtime_wage_rate")
