"""The shell's bulk commands and the export."""

from __future__ import annotations

import io
import json
import logging
import os
import signal
import stat
import threading
from pathlib import Path

import pytest

from sonnys_tui.bulk import BulkProgress
from sonnys_tui.cli.bulk import ProgressLine, _signals_stop
from sonnys_tui.cli.common import ExitStatus
from sonnys_tui.simulator import Simulator

from .conftest import HIRE_HEADER, WriteCsv, hire_line, run_cli


@pytest.mark.parametrize("action", ["hire", "update", "wage", "offboard", "reinstate"])
def test_each_template_is_a_file_that_plans_cleanly_on_the_demo_tenant(
    action: str, tmp_path: Path
) -> None:
    status, text, _ = run_cli("bulk", "template", action)
    assert status == ExitStatus.OK and text.startswith("action,pos_user_id,")
    path = tmp_path / f"{action}.csv"
    if action != "hire":  # the example row's employee is the hire example's: use one there
        text = text.replace("4411", "4117")
    path.write_text(text, encoding="utf-8")
    status, out, err = run_cli("bulk", "plan", "--demo", str(path))
    assert status == ExitStatus.OK, out + err
    assert all(len(line) <= 80 for line in out.splitlines())


def test_plan_table_cuts_a_long_name_but_never_the_pos_user_id(write_csv: WriteCsv) -> None:
    path = write_csv(
        HIRE_HEADER + "\n" + hire_line(22410, "Yael", "Trialsonwithalongname", "5550100302") + "\n"
    )
    status, out, err = run_cli("bulk", "plan", "--demo", str(path))
    assert status == ExitStatus.OK, out + err
    row = next(line for line in out.splitlines() if line.startswith("2 "))
    assert "… (POS 22410)" in row and all(len(line) <= 80 for line in out.splitlines())


def test_plan_exits_1_on_any_row_error_and_says_why_in_json(write_csv: WriteCsv) -> None:
    path = write_csv(HIRE_HEADER + "\n" + hire_line(4117, "Zed", "Other", "5550100301") + "\n")
    status, out, err = run_cli("bulk", "plan", "--demo", "--json", str(path))
    assert status == 1 and "fix the file" in err
    (row,) = json.loads(out)
    assert (row["status"], row["column"], row["line"]) == ("error", "pos_user_id", 2)


def test_apply_without_a_terminal_or_yes_changes_nothing(
    served: Simulator, write_csv: WriteCsv
) -> None:
    path = write_csv(HIRE_HEADER + "\n" + hire_line(5801, "No", "Consent", "5550100801") + "\n")
    status, _, err = run_cli("bulk", "apply", "--profile", "east", str(path))
    assert status == ExitStatus.USAGE and "--yes" in err
    assert served.store.employee_by_pos_id(5801) is None


def test_new_hires_pins_and_passwords_reach_only_the_private_credentials_file(
    served: Simulator, write_csv: WriteCsv, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    path = write_csv(
        HIRE_HEADER
        + ",backoffice,backoffice_username\n"
        + hire_line(5901, "Pin", "Keeper", "5550100901")
        + ",no,\n"
        + hire_line(5902, "Pass", "Keeper", "5550100902")
        + ",yes,PKeeper\n"
    )
    status, out, err = run_cli("bulk", "apply", "--profile", "east", "--yes", str(path))
    assert status == ExitStatus.OK, err
    credentials = path.with_name("people.credentials.csv")
    assert str(credentials) in out
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    secrets = [served.store.employee_by_pos_id(p).pos_pin for p in (5901, 5902)]  # type: ignore[union-attr]
    user = next(u for u in served.store.users.values() if u.last_name == "Keeper")
    secrets.append(user.password)
    held = credentials.read_text(encoding="utf-8")
    assert all(secret in held for secret in secrets)
    # Nowhere else: the output, the journal, the results, the audit log, the cache.
    others = [out, err, *(record.getMessage() for record in caplog.records)]
    for file in tmp_path.rglob("*"):
        if file.is_file() and file != credentials:
            others.append(file.read_text(encoding="utf-8", errors="replace"))
    assert any("audit" in str(f) for f in tmp_path.rglob("*.jsonl"))
    for text in others:
        for secret in secrets:
            assert secret not in text


def test_an_unchanged_export_plans_as_all_already_done(served: Simulator, tmp_path: Path) -> None:
    for which in ("--active", "--all"):
        status, text, _ = run_cli("export", "--profile", "east", "--refresh", which)
        assert status == ExitStatus.OK and "pos_pin" not in text
        path = tmp_path / f"export{which}.csv"
        path.write_text(text, encoding="utf-8")
        status, out, err = run_cli("bulk", "plan", "--profile", "east", "--json", str(path))
        assert status == ExitStatus.OK, err
        rows = json.loads(out)
        assert {row["status"] for row in rows} == {"skip"}
        assert len(rows) == len(text.splitlines()) - 1
    status, text, _ = run_cli("export", "--profile", "east", "--format", "json")
    assert {row["action"] for row in json.loads(text)} == {"update"}


def test_ctrl_c_asks_the_run_to_stop_after_the_row_and_twice_interrupts() -> None:
    stop = threading.Event()
    before = signal.getsignal(signal.SIGINT)  # not always Python's own: a job may ignore it
    with open(os.devnull, "w") as err, _signals_stop(stop, err):
        # The installed handler is called as the signal would call it: a real signal
        # is delivered at any bytecode (a gc callback of another library, say), where
        # the KeyboardInterrupt of the second press would be lost, not tested.
        on_sigint = signal.getsignal(signal.SIGINT)
        assert callable(on_sigint) and on_sigint is not signal.default_int_handler
        on_sigint(signal.SIGINT, None)
        assert stop.is_set()
        with pytest.raises(KeyboardInterrupt):
            on_sigint(signal.SIGINT, None)
    assert signal.getsignal(signal.SIGINT) == before  # put back as it was


@pytest.mark.parametrize("name", ["SIGHUP", "SIGTERM"])
def test_a_hang_up_or_terminate_takes_the_ctrl_c_path_and_never_cuts_a_row(name: str) -> None:
    number = getattr(signal, name)
    before = signal.getsignal(number)
    stop = threading.Event()
    with open(os.devnull, "w") as err, _signals_stop(stop, err):
        handler = signal.getsignal(number)
        assert handler is signal.getsignal(signal.SIGINT)  # the same path
        assert callable(handler)
        handler(number, None)
        assert stop.is_set()
        handler(number, None)  # again: still stopping after the row, never at once
    assert signal.getsignal(number) == before


class _Gone(io.StringIO):
    """A terminal that was closed: every write fails as a tty's does then."""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(5, "Input/output error")


def test_the_progress_line_outlives_its_terminal() -> None:
    from sonnys_tui.bulk import BulkProgress

    line = ProgressLine(_Gone())
    line.show(BulkProgress(1, 3, None, 1.0, 2.0, 1, 0, 0))  # no error: the run goes on
    line.end()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_is_redrawn_in_place_on_a_terminal_within_80_columns() -> None:
    terminal = _Terminal()
    line = ProgressLine(terminal)
    for done in (0, 1, 2):
        line.show(BulkProgress(done, 4, None, 12.0 * done, 30.0 if done else None, done, 0, 0))
    line.end()
    drawn = terminal.getvalue().split("\r")[1:]
    assert len(drawn) == 3 and drawn[-1].endswith("\n")
    assert all(len(text.rstrip("\n")) == 79 for text in drawn)
    assert drawn[2].startswith("[##########..........] 2/4 0:24 ETA 0:30 2 done")
