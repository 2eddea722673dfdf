"""Running a plan (bulk.run_plan): row by row through the tenant's verified writes,
journalled, resumable."""

from __future__ import annotations

import csv
import threading
from datetime import date
from decimal import Decimal
from pathlib import Path

from sonnys_tui import bulk
from sonnys_tui.simulator import Simulator
from sonnys_tui.tenant import Tenant

from .conftest import HIRE_HEADER, WriteCsv, hire_line, planned, writes

MIXED = (
    "action,pos_user_id,first_name,last_name,phone,email,wage_rate,start_date,"
    "available_sites,departments,permission,effective_date,backoffice\n"
    + hire_line(5501, "Quinn", "Sample", "5550100301")
    + ",,\n"
    "update,4117,,,(555) 010-0142,avery.new@example.com,,,HARB,,Cashier,,\n"
    "wage,4130,,,,,16.25,,,,,2027-01-01,\n"
    "offboard,4101,,,,,,,,,,,yes\n"
    "reinstate,4139,,,,,,,,,,,\n"
)


def results(path: Path) -> list[dict[str, str]]:
    with bulk.RunFiles.beside(path).results.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_each_action_applies_and_a_rerun_skips_everything_with_no_write(
    sim: Simulator, tenant: Tenant, write_csv: WriteCsv
) -> None:
    path = write_csv(MIXED)
    plan = planned(tenant, path)
    assert [row.status for row in plan.rows] == ["create", "change", "change", "disable", "enable"]
    seen: list[bulk.BulkProgress] = []
    run = bulk.run_plan(tenant, plan, bulk.RunFiles.beside(path), progress=seen.append)
    assert [o.outcome for o in run.outcomes] == ["done"] * 5, [o.error for o in run.outcomes]

    store = sim.store
    hired = store.employee_by_pos_id(5501)
    assert hired is not None and hired.grant_ids  # the POS permissions were saved
    avery = store.employee_by_pos_id(4117)
    assert avery is not None
    assert (avery.phone, avery.email) == ("(555) 010-0142", "avery.new@example.com")
    assert [s.code for s in store.sites.values() if s.id in avery.site_ids] == ["HARB"]
    blake = store.employee_by_pos_id(4130)
    assert blake is not None and blake.latest_wage() is not None
    assert (blake.latest_wage().effective_date, blake.latest_wage().regular_rate) == (  # type: ignore[union-attr]
        date(2027, 1, 1),
        Decimal("16.25"),
    )
    jordan = store.employee_by_pos_id(4101)
    assert jordan is not None and not jordan.active
    assert store.user_by_username("JPilot").active is False  # type: ignore[union-attr]
    assert store.employee_by_pos_id(4139).active  # type: ignore[union-attr]
    # The progress: before each row and after it, ending at 5 of 5 with an ETA.
    assert (seen[-1].done, seen[-1].total, seen[-1].applied, seen[-1].current) == (5, 5, 5, None)
    assert seen[1].current is not None and seen[1].current.line == 2
    assert seen[-2].eta is not None
    assert [r["outcome"] for r in results(path)] == [
        "done: hired",
        "done: changed",
        "done: wage added",
        "done: disabled and 1 Back Office login(s)",
        "done: enabled",
    ]

    # Run again, as a new process would: everything is done, nothing is written.
    before = len(sim.requests)
    again = planned(tenant, path)
    assert [row.status for row in again.rows] == ["skip"] * 5, [r.summary() for r in again.rows]
    rerun = bulk.run_plan(tenant, again, bulk.RunFiles.beside(path))
    assert rerun.count("skipped") == 5
    assert writes(sim, before) == []


def test_a_failed_row_is_recorded_and_the_run_goes_on_unless_told_to_stop(
    sim: Simulator, tenant: Tenant, write_csv: WriteCsv
) -> None:
    path = write_csv(
        "action,pos_user_id,wage_rate,effective_date\n"
        "wage,4130,16.25,2000-01-01\n"  # on or before the latest wage: refused at apply
        "wage,4149,16.25,2027-01-01\n"
        "wage,4117,16.25,2027-01-01\n"
    )
    plan = planned(tenant, path)
    files = bulk.RunFiles.beside(path)
    stopped = bulk.run_plan(tenant, plan, files, stop_on_error=True)
    assert stopped.stopped and [o.outcome for o in stopped.outcomes] == ["failed"]
    assert "is on or before the latest wage's" in stopped.outcomes[0].error
    assert [row.line for row in stopped.not_reached] == [3, 4]
    went_on = bulk.run_plan(tenant, planned(tenant, path), files)
    assert [o.outcome for o in went_on.outcomes] == ["failed", "done", "done"]
    assert results(path)[0]["error"] == went_on.outcomes[0].error


def test_the_stop_flag_finishes_the_row_in_flight_and_a_rerun_does_the_rest(
    sim: Simulator, tenant: Tenant, write_csv: WriteCsv
) -> None:
    lines = [hire_line(5600 + i, "Stop", f"Row{i}", f"555010060{i}") for i in range(3)]
    path = write_csv(HIRE_HEADER + "\n" + "\n".join(lines) + "\n")
    stop = threading.Event()

    def ctrl_c_during_the_first_row(progress: bulk.BulkProgress) -> None:
        if progress.current is not None:
            stop.set()  # as the shell's Ctrl+C handler does, mid-row

    files = bulk.RunFiles.beside(path)
    run = bulk.run_plan(
        tenant, planned(tenant, path), files, progress=ctrl_c_during_the_first_row, stop=stop
    )
    assert run.stopped and [o.outcome for o in run.outcomes] == ["done"]
    assert sim.store.employee_by_pos_id(5600) is not None
    assert sim.store.employee_by_pos_id(5601) is None
    assert [r["outcome"] for r in results(path)][1:] == ["not applied: stopped"] * 2
    rest = bulk.run_plan(tenant, planned(tenant, path), files)
    assert [o.outcome for o in rest.outcomes] == ["skipped", "done", "done"]
    assert sum(1 for e in sim.store.employees.values() if e.first_name == "Stop") == 3
    # Every new hire's PIN is in the credentials file, once.
    with files.credentials.open(encoding="utf-8") as file:
        pins = {row["pos_user_id"]: row["pos_pin"] for row in csv.DictReader(file)}
    assert pins == {str(5600 + i): sim.store.employee_by_pos_id(5600 + i).pos_pin for i in range(3)}  # type: ignore[union-attr]


def test_a_hire_that_failed_after_its_insert_is_completed_not_made_again(
    sim: Simulator, tenant: Tenant, write_csv: WriteCsv
) -> None:
    path = write_csv(HIRE_HEADER + "\n" + hire_line(5701, "Half", "Made", "5550100701") + "\n")
    files = bulk.RunFiles.beside(path)
    sim.faults.add(path="/employee/permissions/update", kind="500")
    first = bulk.run_plan(tenant, planned(tenant, path), files)
    assert first.outcomes[0].outcome == "failed"
    made = sim.store.employee_by_pos_id(5701)
    assert made is not None and not made.grant_ids  # inserted, permissions not saved

    again = planned(tenant, path)
    assert again.rows[0].status == "resume"
    second = bulk.run_plan(tenant, again, files)
    assert (second.outcomes[0].outcome, second.outcomes[0].detail) == (
        "done",
        "completed an interrupted hire",
    )
    assert [e.id for e in sim.store.employees.values() if e.pos_user_id == 5701] == [made.id]
    assert sim.store.employee_by_pos_id(5701).grant_ids  # type: ignore[union-attr]
    assert made.pos_pin in files.credentials.read_text(encoding="utf-8")


def test_a_wage_written_by_a_run_killed_before_its_outcome_is_not_added_twice(
    sim: Simulator, tenant: Tenant, write_csv: WriteCsv
) -> None:
    path = write_csv("action,pos_user_id,wage_rate\nwage,4130,17.75\n")  # dated today
    files = bulk.RunFiles.beside(path)
    assert bulk.run_plan(tenant, planned(tenant, path), files).outcomes[0].outcome == "done"
    # As a kill between the write and its record leaves it: "started", no outcome.
    lines = files.journal.read_text(encoding="utf-8").splitlines(keepends=True)
    assert '"event": "done"' in lines[-1]
    files.journal.write_text("".join(lines[:-1]), encoding="utf-8")
    blake = sim.store.employee_by_pos_id(4130)
    assert blake is not None
    wages = len(blake.wages)

    again = planned(tenant, path)
    assert again.rows[0].status == "resume"
    before = len(sim.requests)
    second = bulk.run_plan(tenant, again, files)
    assert second.outcomes[0].detail == "the interrupted wage is there"
    assert writes(sim, before) == [] and len(blake.wages) == wages
