"""A run killed mid-row (SIGKILL: no clean-up at all) or stopped by Ctrl+C, then run
again: the store holds each person exactly once, with the intended values."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sonnys_tui.simulator import Simulator

from ..waiting import wait_until_sync
from .conftest import HIRE_HEADER, WriteCsv, hire_line, run_cli

PEOPLE = [(6101, "Kill", "First"), (6102, "Kill", "Second"), (6103, "Kill", "Third")]


def _file(write_csv: WriteCsv) -> Path:
    lines = [hire_line(pos, first, last, f"555010{pos}") for pos, first, last in PEOPLE]
    return write_csv(HIRE_HEADER + "\n" + "\n".join(lines) + "\n")


def _start(path: Path) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-m", "sonnys_tui", "bulk", "apply", "--profile", "east", "--yes"]
    return subprocess.Popen(
        [*argv, str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ)
    )


def _wait_for(sim: Simulator, path: str, *, failed: bool, seconds: float = 30.0) -> None:
    """Until the server has received a request to ``path`` (one it held silent when
    ``failed``)."""
    wait_until_sync(
        lambda: any(r.path == path and (r.status == 0) == failed for r in list(sim.requests)),
        seconds=seconds,
        what=f"a request to {path}",
    )


def _each_once_as_intended(sim: Simulator, path: Path) -> None:
    cashier = next(t for t in sim.store.pos_templates.values() if t.name == "Cashier")
    pins = {}
    for pos, first, last in PEOPLE:
        found = [e for e in sim.store.employees.values() if e.pos_user_id == pos]
        assert len(found) == 1, (pos, found)
        (person,) = found
        assert (person.first_name, person.last_name) == (first, last)
        assert person.grant_ids == cashier.grant_ids  # the permissions saved
        pins[str(pos)] = person.pos_pin
    with path.with_name("people.credentials.csv").open(encoding="utf-8") as file:
        held = {row["pos_user_id"]: row["pos_pin"] for row in csv.DictReader(file)}
    assert held == pins  # every PIN reached the manager, the interrupted one too


def _kill_at(served: Simulator, path: Path, request_path: str, when: str) -> None:
    """Run ``bulk apply`` on ``path`` and SIGKILL it while the second row's POST to
    ``request_path`` hangs (``when``: before or after the store took it)."""
    served.faults.timeout_seconds = 1.0  # the second row's request hangs; the kill comes first
    served.faults.add(path=request_path, method="POST", nth=2, kind="timeout", when=when)  # type: ignore[arg-type]
    child = _start(path)
    try:
        _wait_for(served, request_path, failed=True)
    finally:
        child.kill()
        child.communicate(timeout=10)
    assert child.returncode == -signal.SIGKILL
    served.faults.clear()


@pytest.mark.parametrize(
    ("request_path", "when"),
    [
        ("/employee/insert", "before"),  # killed before the insert reached the store
        ("/employee/insert", "after"),  # inserted, permissions not saved
        ("/employee/permissions/update", "after"),  # saved, never verified or recorded
    ],
)
def test_a_run_killed_at_each_step_of_a_hire_then_rerun_makes_each_person_once(
    served: Simulator, write_csv: WriteCsv, request_path: str, when: str
) -> None:
    path = _file(write_csv)
    _kill_at(served, path, request_path, when)
    status, out, err = run_cli("bulk", "apply", "--profile", "east", "--yes", str(path))
    assert status == 0, out + err
    _each_once_as_intended(served, path)


@pytest.mark.parametrize("name", ["SIGINT", "SIGHUP", "SIGTERM"])
def test_ctrl_c_or_a_hang_up_finishes_the_row_in_flight_stops_cleanly_and_a_rerun_goes_on(
    served: Simulator, write_csv: WriteCsv, name: str
) -> None:
    """Ctrl+C, the terminal closing (SIGHUP) and `kill` (SIGTERM) take one path."""
    path = _file(write_csv)
    served.faults.latency_ms = 60  # each request slow enough to interrupt a row mid-way
    child = _start(path)
    _wait_for(served, "/employee/insert", failed=False)
    child.send_signal(getattr(signal, name))
    _, err = child.communicate(timeout=30)
    assert child.returncode == 130, err.decode()
    assert b"Stopped: 2 row(s) not applied" in err
    first = served.store.employee_by_pos_id(6101)
    assert first is not None and first.grant_ids  # the row in flight was finished
    assert served.store.employee_by_pos_id(6102) is None
    served.faults.clear()
    status, _, err_text = run_cli("bulk", "apply", "--profile", "east", "--yes", str(path))
    assert status == 0, err_text
    _each_once_as_intended(served, path)


# --------------------------------------------------------------- hires with a Back Office login

LOGINS = [(6201, "Login", "First"), (6202, "Login", "Second"), (6203, "Login", "Third")]
LOGIN_HEADER = HIRE_HEADER + ",backoffice,backoffice_username"


def _login_file(write_csv: WriteCsv) -> Path:
    lines = [
        hire_line(pos, first, last, f"555010{pos}") + f",yes,{first[0]}{last}{pos}"
        for pos, first, last in LOGINS
    ]
    return write_csv(LOGIN_HEADER + "\n" + "\n".join(lines) + "\n")


def _each_once_with_its_login(sim: Simulator, path: Path) -> None:
    """Each person once, with one login linked to them, its template and sites as the
    file asks, and the password that login has now in the credentials file."""
    general = next(t for t in sim.store.bo_templates.values() if t.name == "user")
    wanted_sites = {s.id for s in sim.store.sites.values() if s.code in ("FIE", "HARB")}
    with path.with_name("people.credentials.csv").open(encoding="utf-8") as file:
        passwords = {
            row["backoffice_username"]: row["backoffice_password"] for row in csv.DictReader(file)
        }
    for pos, first, last in LOGINS:
        found = [e for e in sim.store.employees.values() if e.pos_user_id == pos]
        assert len(found) == 1, (pos, found)
        logins = [u for u in sim.store.users.values() if u.employee_id == found[0].id]
        assert [u.username for u in logins] == [f"{first[0]}{last}{pos}"], logins
        (login,) = logins
        assert login.active and login.tokens == set(general.tokens), login
        assert login.site_ids == wanted_sites and not login.all_sites
        assert passwords.get(login.username) == login.password  # it reached the manager


def test_a_file_with_back_office_logins_applied_then_planned_again_is_all_done(
    served: Simulator, write_csv: WriteCsv
) -> None:
    path = _login_file(write_csv)
    status, out, err = run_cli("bulk", "apply", "--profile", "east", "--yes", str(path))
    assert status == 0, out + err
    before = len(served.requests)
    status, out, err = run_cli("bulk", "plan", "--profile", "east", "--json", str(path))
    assert status == 0, out + err
    assert [row["status"] for row in json.loads(out)] == ["skip"] * len(LOGINS)
    status, out, err = run_cli("bulk", "apply", "--profile", "east", "--yes", str(path))
    assert status == 0, out + err
    assert [
        r for r in served.requests[before:] if r.method == "POST" and "login" not in r.path
    ] == []
    _each_once_with_its_login(served, path)


@pytest.mark.parametrize(
    ("request_path", "when"),
    [
        ("/employee/insert", "before"),
        ("/employee/insert", "after"),  # inserted, no permissions, no login
        ("/employee/permissions/update", "after"),  # no login yet
        ("/user/insert", "before"),  # the login never reached the server
        ("/user/insert", "after"),  # the login made, its password never written down
        ("/user/permissions/update", "before"),  # the login has no template or sites yet
        ("/user/permissions/update", "after"),  # all made, never verified or recorded
    ],
)
def test_a_run_killed_at_each_step_of_a_hire_with_a_login_then_rerun_finishes_each_once(
    served: Simulator, write_csv: WriteCsv, request_path: str, when: str
) -> None:
    path = _login_file(write_csv)
    _kill_at(served, path, request_path, when)
    status, out, err = run_cli("bulk", "plan", "--profile", "east", "--json", str(path))
    assert status == 0, out + err  # the first row's own login is not "taken"
    assert json.loads(out)[0]["status"] == "skip"
    status, out, err = run_cli("bulk", "apply", "--profile", "east", "--yes", str(path))
    assert status == 0, out + err
    _each_once_with_its_login(served, path)
