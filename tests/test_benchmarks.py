"""CI runs the benchmarks in quick mode, only to prove they still work.

The figures of a quick run mean nothing (tiny n, a 15 ms slow link instead of 150 ms,
a busy CI machine): nothing here asserts a timing. The full run
(`python benchmarks/run.py`) gives them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


# The whole benchmark run is one test: it gets the bound of its own subprocess, not the
# suite's default per-test timeout.
@pytest.mark.timeout(600)
def test_every_benchmark_runs_in_quick_mode(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    table = done.stdout
    for figure in (
        "index load",
        "is_pos_user_id_available",
        "round trips: create_employee",
        "slow link 15 ms: disable_employee",
        "round trips: update_employee",
        "slow link 15 ms: add_wage",
        "slow link 15 ms: set_pos_permissions",
        "slow link 15 ms: offboard_employee",
        "access review, cold",
        "first answer: name, cold",
        "start-up to first frame",
        "start-up to the roster on screen",
        "peak RSS",
        "filter keystroke",
        "doctor, ",
        "fail-closed check before a write",
        "bulk sync plan",
    ):
        assert figure in table, figure
