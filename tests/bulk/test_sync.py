"""Reconciling with an HR export (`bulk plan --sync`): each case of the plan, the scope,
the guards against a bad export, each key (the ADP ids read once and cached), the
header mapping, and that a completed sync (or the roster's own export) plans nothing."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sonnys_tui import bulk
from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.bulk import sync
from sonnys_tui.bulk.mapping import parse_map, parse_sync
from sonnys_tui.cli.bulk import export_rows
from sonnys_tui.cli.common import ExitStatus
from sonnys_tui.config import Profile
from sonnys_tui.simulator import Simulator
from sonnys_tui.tenant import Tenant

from .conftest import PROFILE, WriteCsv, run_cli

COLUMNS = ("pos_user_id", "first_name", "last_name", "phone", "departments", "permission")
HIRE = {
    "pos_user_id": "5901",
    "first_name": "Nia",
    "last_name": "Newhire",
    "phone": "(555) 019-0001",
    "email": "nia.newhire@example.com",
    "wage_rate": "15.50",
    "start_date": "2026-12-01",
    "available_sites": "HARB",
    "departments": "Cashier",
    "permission": "Cashier",
}


def roster(tenant: Tenant) -> list[dict[str, str]]:
    """The active roster as `sonnys-tui export` writes it (the HR export of a tenant
    that is already in step)."""
    tenant.refresh()
    return export_rows(tenant.employees(), everyone=False)


def csv_text(rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue()


def planned(
    tenant: Tenant, text: str, path: Path | None = None, **options: object
) -> sync.SyncPlan:
    data = parse_sync(text)
    settings = sync.SyncOptions(**options)  # type: ignore[arg-type]
    sync.load(tenant, data, settings)
    journal = bulk.read_journal(bulk.RunFiles.beside(path).journal, tenant.name) if path else None
    return sync.plan(tenant, data, settings, journal=journal)


def by_pos(plan: bulk.BulkPlan) -> dict[str, bulk.RowPlan]:
    return {row.row.get("pos_user_id"): row for row in plan.rows}


def active_to_apply(plan: bulk.BulkPlan) -> list[tuple[str | None, str]]:
    return [(row.action, row.status) for row in plan.to_apply]


# --------------------------------------------------------------------------- cases


def test_the_rosters_own_export_plans_nothing(tenant: Tenant) -> None:
    rows = roster(tenant)
    plan = planned(tenant, csv_text(rows, tuple(rows[0])))  # with its action column
    assert plan.to_apply == () and not plan.refused and not plan.has_errors
    assert plan.matched == plan.in_scope == len(rows)


def test_each_case_hire_reinstate_update_offboard_and_nothing(
    sim: Simulator, tenant: Tenant
) -> None:
    rows = roster(tenant)
    leaver, terminated, changed, blank = rows[0], rows[1], rows[2], rows[3]
    inactive = next(e for e in tenant.employees() if not e.active and e.pos_user_id)
    rows.remove(leaver)  # absent from the file: offboarded
    terminated["status"] = "Terminated"
    changed["phone"] = "(555) 019-0002"
    blank["departments"] = ""  # not given: never "clear it"
    blank["permission"] = ""
    rows.append({"pos_user_id": str(inactive.pos_user_id), "status": "active"})
    rows.append(HIRE)
    columns = (*COLUMNS, "status", "email", "wage_rate", "start_date", "available_sites")
    plan = planned(tenant, csv_text(rows, columns))
    assert not plan.refused and not plan.has_errors
    rows_by_pos = by_pos(plan)
    hire = rows_by_pos["5901"]
    assert (hire.action, hire.status) == ("hire", "create")
    back = rows_by_pos[str(inactive.pos_user_id)]
    assert (back.action, back.status, back.employee) == ("reinstate", "enable", inactive)
    change = rows_by_pos[changed["pos_user_id"]]
    assert (change.action, change.status) == ("update", "change")
    assert [c.field for c in change.changes] == ["phone"]
    gone = rows_by_pos[terminated["pos_user_id"]]
    assert (gone.action, gone.status) == ("offboard", "disable")
    absent = rows_by_pos[leaver["pos_user_id"]]
    assert (absent.action, absent.status) == ("offboard", "disable")
    assert absent.line > max(r.line for r in plan.rows if r is not absent)
    assert "not in the file" in absent.notes
    assert rows_by_pos[blank["pos_user_id"]].status == "skip"
    assert sorted(active_to_apply(plan)) == [
        ("hire", "create"),
        ("offboard", "disable"),
        ("offboard", "disable"),
        ("reinstate", "enable"),
        ("update", "change"),
    ]


def test_a_completed_sync_planned_again_plans_nothing(
    sim: Simulator, tenant: Tenant, tmp_path: Path
) -> None:
    rows = roster(tenant)
    leaver = rows.pop(0)
    rows[0]["phone"] = "(555) 019-0003"
    inactive = next(e for e in tenant.employees() if not e.active and e.pos_user_id)
    rows.append(
        {"pos_user_id": str(inactive.pos_user_id), "phone": "(555) 019-0004", "status": "a"}
    )
    rows.append(HIRE)
    columns = (*COLUMNS, "status", "email", "wage_rate", "start_date", "available_sites")
    path = tmp_path / "hr.csv"
    path.write_text(csv_text(rows, columns), encoding="utf-8")
    plan = planned(tenant, path.read_text(), path)
    assert len(plan.to_apply) == 4
    run = bulk.run_plan(tenant, plan, bulk.RunFiles.beside(path))
    assert run.count("done") == 4, [o.error for o in run.outcomes]
    assert not sim.store.employee_by_pos_id(int(leaver["pos_user_id"])).active  # type: ignore[union-attr]
    back = sim.store.employee_by_pos_id(inactive.pos_user_id)  # type: ignore[arg-type]
    assert back is not None and back.active and back.phone == "(555) 019-0004"
    again = planned(tenant, path.read_text(), path)
    assert again.to_apply == (), [row.summary() for row in again.to_apply]


# --------------------------------------------------------------------------- scope


def test_the_scope_limits_who_is_offboarded_and_never_touches_anyone_outside(
    tenant: Tenant,
) -> None:
    rows = roster(tenant)
    harbor = [r for r in rows if r["available_sites"] == "HARB"]
    outside = next(r for r in rows if "HARB" not in r["available_sites"])
    outside = {**outside, "phone": "(555) 019-0005", "status": "terminated"}
    keep, leaver = harbor[0], harbor[1]
    plan = planned(tenant, csv_text([keep, outside], (*COLUMNS, "status")), scope="sites: HARB")
    assert not plan.refused and plan.in_scope == len(harbor)
    planned_rows = by_pos(plan)
    assert planned_rows[outside["pos_user_id"]].status == "skip"
    assert "outside the scope" in planned_rows[outside["pos_user_id"]].reason
    assert [row.employee.pos_user_id for row in plan.to_apply] == [  # type: ignore[union-attr]
        int(leaver["pos_user_id"])
    ]


def test_an_unknown_scope_is_refused_before_planning(tenant: Tenant) -> None:
    with pytest.raises(sync.SyncError, match="unknown site 'Atlantis'"):
        planned(tenant, csv_text(roster(tenant)), scope="sites: Atlantis")


# --------------------------------------------------------------------------- guards


def test_more_offboards_than_the_limit_is_refused_unless_the_limit_is_raised(
    sim: Simulator, tenant: Tenant, tmp_path: Path
) -> None:
    rows = roster(tenant)
    text = csv_text(rows[6:])  # six people gone: more than max(5, 10 % of 52)
    plan = planned(tenant, text)
    assert plan.offboards == 6 and plan.max_offboard == 5
    assert plan.to_apply == () and "--max-offboard" in plan.refused[0]
    before = len(sim.requests)
    with pytest.raises(ValueError, match="refused"):
        bulk.run_plan(tenant, plan, bulk.RunFiles.beside(tmp_path / "hr.csv"))
    assert len(sim.requests) == before  # nothing sent
    assert not planned(tenant, text, max_offboard=6).refused


def test_a_truncated_file_is_refused_unless_the_match_limit_is_lowered(tenant: Tenant) -> None:
    rows = roster(tenant)
    text = csv_text(rows[: len(rows) // 3])
    plan = planned(tenant, text, max_offboard=1000)
    assert len(plan.refused) == 1 and "--min-match" in plan.refused[0]
    assert plan.to_apply == ()
    assert not planned(tenant, text, max_offboard=1000, min_match=30).refused


def test_a_key_twice_in_the_file_is_an_error_on_both_rows(tenant: Tenant) -> None:
    rows = roster(tenant)
    twice = {**rows[5], "phone": "(555) 019-0006"}
    plan = planned(tenant, csv_text([*rows, twice]))
    errors = [row for row in plan.rows if row.status == "error"]
    assert [row.line for row in errors] == [7, len(rows) + 2]
    assert all(row.column == "pos_user_id" for row in errors)
    assert not any(row.action == "offboard" for row in plan.rows)  # named: not absent


def test_a_key_that_matches_two_employees_is_an_error_on_its_row(
    sim: Simulator, tenant: Tenant
) -> None:
    rows = roster(tenant)
    first, second = (sim.store.employee_by_pos_id(int(r["pos_user_id"])) for r in rows[:2])
    assert first is not None and second is not None
    first.adp_employee_id = second.adp_employee_id = "ADP-TWIN"
    for row in rows:
        row["adp_employee_id"] = sim.store.employee_by_pos_id(  # type: ignore[union-attr]
            int(row["pos_user_id"])
        ).adp_employee_id
    del rows[1]  # the twin's id once in the file
    rows = [row for row in rows if row["adp_employee_id"]]
    plan = planned(tenant, csv_text(rows, ("adp_employee_id",)), key="adp_employee_id")
    (error,) = [row for row in plan.rows if row.status == "error"]
    assert error.column == "adp_employee_id" and "matches 2 employees" in error.reason


# --------------------------------------------------------------------------- keys


def test_by_email_a_changed_phone_is_an_update_and_the_email_never_a_change(
    sim: Simulator, tenant: Tenant
) -> None:
    rows = roster(tenant)
    for row in rows:
        employee = sim.store.employee_by_pos_id(int(row["pos_user_id"]))
        assert employee is not None
        row["email"] = employee.email.upper()  # the key is matched in any case
        row["pos_user_id"] = ""
    rows[3]["phone"] = "(555) 019-0007"
    plan = planned(tenant, csv_text(rows, ("email", "phone")), key="email", max_offboard=100)
    ((action, status),) = active_to_apply(plan)
    (changed,) = plan.to_apply
    assert (action, status, [c.field for c in changed.changes]) == ("update", "change", ["phone"])
    # Employees with no e-mail in the Back Office cannot be in the file: left alone, and said.
    assert plan.notes and "have no email" in plan.notes[0]


def test_adp_ids_are_read_once_then_kept_in_the_tenant_cache(
    sim: Simulator, tmp_path: Path
) -> None:
    profile = Profile(
        name="east", subdomain="east", username="bot", base_url="http://sim.test", use_cache=True
    )

    def tenant() -> Tenant:
        return Tenant(profile, client=SonnysBackofficeClient(**sim.client_kwargs()))

    with tenant() as first:
        rows = roster(first)
        for row in rows:
            employee = sim.store.employee_by_pos_id(int(row["pos_user_id"]))
            assert employee is not None
            row["adp_employee_id"] = employee.adp_employee_id
        text = csv_text([r for r in rows if r["adp_employee_id"]], ("adp_employee_id", "phone"))
        everyone = [e.employee_id for e in first.employees()]
        told: list[tuple[int, int]] = []
        first.client.stats.reset()
        first.read_records(everyone, progress=lambda done, total: told.append((done, total)))
        assert first.client.stats.requests == len(everyone)  # one each, inactive ones too
        assert told[-1] == (len(everyone), len(everyone)) and len(told) == len(everyone)
        sim.requests.clear()
        plan = planned(first, text, key="adp_employee_id")
        assert _record_reads(sim) == 0  # the plan reads none again
        assert not plan.has_errors and not plan.refused
        assert active_to_apply(plan) == []  # no ADP id: no row can name them, left alone
    sim.requests.clear()
    with tenant() as second:  # a new start: the ids come from the cache
        second.client.stats.reset()
        second.read_records(everyone)
        assert second.client.stats.requests == 0
        hired = second.hire(
            {**_hire_request(second), "adp_employee_id": "ADP-NEW"}  # type: ignore[typeddict-item]
        )
        sim.requests.clear()
        plan = planned(second, text, key="adp_employee_id")
        assert _record_reads(sim) == 1  # only the employee new since
        (offboard,) = plan.to_apply  # the new hire is not in the file
        assert offboard.employee is not None and offboard.employee.employee_id == hired.employee_id


def test_an_interrupted_read_of_records_resumes_where_it_stopped(
    sim: Simulator, tenant: Tenant
) -> None:
    import threading

    tenant.refresh(["employees"])
    ids = [e.employee_id for e in tenant.employees()]
    stop = threading.Event()

    def progress(done: int, total: int) -> None:
        if done == 10:
            stop.set()

    tenant.read_records(ids, workers=1, progress=progress, stop=stop)
    read = len(tenant.records())
    assert 10 <= read < len(ids)
    sim.requests.clear()
    assert len(tenant.read_records(ids)) == len(ids)
    assert _record_reads(sim) == len(ids) - read


def _record_reads(sim: Simulator) -> int:
    return sum(1 for r in sim.requests if r.path.startswith("/employee/edit/"))


def _hire_request(tenant: Tenant) -> dict[str, object]:
    from datetime import date
    from decimal import Decimal

    return {
        "first_name": "Ada",
        "last_name": "Newcomer",
        "phone": "(555) 019-0010",
        "email": "ada.newcomer@example.com",
        "pos_user_id": 5902,
        "wage_rate": Decimal("15.50"),
        "start_date": date(2026, 12, 1),
        "available_sites": ["HARB"],
        "permission": "Cashier",
        "departments": ["Cashier"],
    }


# --------------------------------------------------------------------------- mapping


def test_header_mapping_names_the_export_columns_and_lists_the_ignored(tenant: Tenant) -> None:
    rows = roster(tenant)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["POS User ID", "Cell", "Status", "Manager", "Pay Group"])
    for row in rows:
        writer.writerow([row["pos_user_id"], row["phone"], "Active", "Pat Boss", "Weekly"])
    rows_text = out.getvalue().replace("Weekly", "Biweekly", 1)
    mapping = parse_map("Cell=phone, Status=status")
    data = parse_sync(rows_text, mapping)
    assert data.bulk.columns == ("pos_user_id", "phone", "status")
    assert data.ignored == ("Manager", "Pay Group")
    sync.load(tenant, data, sync.SyncOptions())
    plan = sync.plan(tenant, data)
    assert plan.to_apply == () and plan.ignored == ("Manager", "Pay Group")
    assert any("Manager, Pay Group" in note for note in plan.notes)


def test_a_mapping_to_a_column_that_does_not_exist_is_refused() -> None:
    with pytest.raises(bulk.BulkFileError, match="unknown column 'cellphone'"):
        parse_map("Cell=cellphone")


# --------------------------------------------------------------------------- the shell


@pytest.fixture
def hr_export(tmp_path: Path) -> Iterator[Path]:
    sim = Simulator.demo()
    with Tenant(PROFILE, client=SonnysBackofficeClient(**sim.client_kwargs())) as tenant:
        rows = roster(tenant)
    path = tmp_path / "hr.csv"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Employee Number", "Cell", "Manager"])
    for row in rows[:-2]:  # two people left
        writer.writerow([row["pos_user_id"], row["phone"], "Pat Boss"])
    path.write_text(out.getvalue(), encoding="utf-8")
    yield path


def test_the_shell_plans_a_sync_and_names_the_ignored_columns(hr_export: Path) -> None:
    status, out, err = run_cli(
        "bulk", "plan", "--demo", "--sync", "--map", "Employee Number=pos_user_id,Cell=phone",
        str(hr_export),
    )  # fmt: skip
    assert status == ExitStatus.OK, err
    assert "2 to disable" in out and "columns ignored: Manager" in err
    assert "[1]  not in the file" in out
    status, out, err = run_cli(
        "bulk", "plan", "--demo", "--sync", "--json", "--max-offboard", "1",
        "--map", "Employee Number=pos_user_id,Cell=phone", str(hr_export),
    )  # fmt: skip
    assert status == 1 and "Refused" in err and "--max-offboard 2" in err
    assert sum(1 for row in json.loads(out) if row["status"] == "disable") == 2


def test_the_shell_says_which_column_the_key_needs(hr_export: Path) -> None:
    status, _, err = run_cli("bulk", "plan", "--demo", "--sync", str(hr_export))
    assert status == ExitStatus.USAGE and "no pos_user_id column" in err and "--map" in err


def test_a_sync_file_written_as_a_mapping_file(hr_export: Path, write_csv: WriteCsv) -> None:
    mapping = write_csv("# HR export\nEmployee Number = pos_user_id\nCell=phone\n", "map.txt")
    status, _, err = run_cli(
        "bulk", "plan", "--demo", "--sync", "--map-file", str(mapping), str(hr_export)
    )
    assert status == ExitStatus.OK, err


def test_the_shell_applies_a_sync_and_its_rerun_applies_nothing(
    served: Simulator, tmp_path: Path
) -> None:
    people = sorted(
        (e for e in served.store.employees.values() if e.active and e.site_ids),
        key=lambda e: e.pos_user_id,
    )
    path = tmp_path / "hr.csv"
    lines = ["POS User ID,Cell,Status"]
    lines += [f"{e.pos_user_id},{e.phone},active" for e in people[2:]]
    lines.append(f"{people[1].pos_user_id},,Terminated")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    argv = ("bulk", "apply", "--profile", "east", "--sync", "--yes", str(path))
    status, out, err = run_cli(*argv)
    assert status == ExitStatus.OK, err
    assert "2 done, 50 skipped, 0 failed" in out  # every row of the file is in the results
    assert not any(served.store.employee_by_pos_id(e.pos_user_id).active for e in people[:2])  # type: ignore[union-attr]
    status, out, err = run_cli(*argv)
    assert status == ExitStatus.OK, err
    assert "to disable" not in out and "0 done, 51 skipped" in out


def test_a_status_the_sync_cannot_read_is_an_error_naming_the_column(tenant: Tenant) -> None:
    rows = roster(tenant)
    rows[0]["status"] = "Maybe"
    plan = planned(tenant, csv_text(rows, (*COLUMNS, "status")))
    (error,) = [row for row in plan.rows if row.status == "error"]
    assert error.column == "status" and "'Maybe'" in error.reason


@pytest.mark.parametrize("with_hire", [False, True])
def test_the_emails_in_use_are_read_only_when_a_row_may_be_a_hire(
    sim: Simulator, tenant: Tenant, with_hire: bool
) -> None:
    rows = roster(tenant)
    if with_hire:
        rows.append(HIRE)
    sim.requests.clear()
    columns = (*COLUMNS, "email", "wage_rate", "start_date", "available_sites")
    plan = planned(tenant, csv_text(rows, columns))
    assert [row.status for row in plan.to_apply] == (["create"] if with_hire else [])
    reads = [r for r in sim.requests if r.path == "/user/create"]
    assert len(reads) == (1 if with_hire else 0)


def test_by_adp_id_someone_whose_pos_user_id_is_on_a_row_is_never_offboarded_as_absent(
    sim: Simulator, tenant: Tenant
) -> None:
    rows = roster(tenant)
    for row in rows:
        row["adp_employee_id"] = f"HR-{row['pos_user_id']}"
        employee = sim.store.employee_by_pos_id(int(row["pos_user_id"]))
        assert employee is not None
        employee.adp_employee_id = row["adp_employee_id"]
    rows[0]["adp_employee_id"] = "HR-CHANGED"  # the export disagrees with the Back Office
    columns = ("adp_employee_id", *COLUMNS)
    plan = planned(tenant, csv_text(rows, columns), key="adp_employee_id")
    (error,) = [row for row in plan.rows if row.status == "error"]  # a hire, unfinished
    assert "for a hire" in error.reason and error.line == 2
    assert not any(row.action == "offboard" for row in plan.to_apply)


@pytest.mark.parametrize("which", ["--active", "--all"])
def test_sonnys_tui_export_synced_back_plans_nothing(which: str, write_csv: WriteCsv) -> None:
    status, exported, err = run_cli("export", "--demo", which)
    assert status == ExitStatus.OK, err
    path = write_csv(exported, "roster.csv")
    status, out, err = run_cli("bulk", "plan", "--demo", "--sync", "--json", str(path))
    assert status == ExitStatus.OK, err
    rows = json.loads(out)
    assert rows and {row["status"] for row in rows} == {"skip"}


def test_a_hire_a_killed_run_left_unrecorded_is_resumed_its_pin_written_never_twice(
    sim: Simulator, tenant: Tenant, tmp_path: Path
) -> None:
    from sonnys_tui.bulk.journal import Journal

    rows = [*roster(tenant), HIRE]
    columns = (*COLUMNS, "email", "wage_rate", "start_date", "available_sites")
    path = tmp_path / "hr.csv"
    path.write_text(csv_text(rows, columns), encoding="utf-8")
    files = bulk.RunFiles.beside(path)
    (hire,) = planned(tenant, path.read_text(), path).to_apply
    assert hire.hire is not None
    # A run that was killed after the insert: "started" journalled, never "done".
    with Journal(files.journal, tenant.name) as journal:
        journal.record(hire.key, "started", line=hire.line)
    tenant.hire(hire.hire)
    again = planned(tenant, path.read_text(), path)
    (resume,) = again.to_apply
    assert (resume.action, resume.status) == ("hire", "resume")
    run = bulk.run_plan(tenant, again, files)
    assert [o.detail for o in run.outcomes if o.outcome == "done"] == [
        "completed an interrupted hire"
    ]
    assert sum(1 for e in sim.store.employees.values() if e.pos_user_id == 5901) == 1
    pin = sim.store.employee_by_pos_id(5901).pos_pin  # type: ignore[union-attr]
    assert pin in files.credentials.read_text(encoding="utf-8")
    assert planned(tenant, path.read_text(), path).to_apply == ()


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [("--min-match", "150", "0 to 100"), ("--max-offboard", "-1", "0 or more")],
)
def test_a_guard_limit_out_of_range_is_a_usage_error(
    hr_export: Path, option: str, value: str, said: str
) -> None:
    status, _, err = run_cli("bulk", "plan", "--demo", "--sync", option, value, str(hr_export))
    assert status == ExitStatus.USAGE and said in err
