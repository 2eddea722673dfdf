"""Issue 18, "the rest of the trial", in the shell: --json when no one matches, bulk
apply's hint without a terminal, `check` naming who holds a value and refusing a
partial phone, every wrong CSV column named at once, and every example of the README
and --help working on the demo tenant."""

from __future__ import annotations

import io
import json
import re
import shlex
from pathlib import Path

import pytest

from sonnys_tui.bulk.reader import BulkFileError, parse
from sonnys_tui.cli import main
from sonnys_tui.cli.common import ExitStatus
from sonnys_tui.cli.main import EPILOG
from sonnys_tui.simulator import Simulator

README = Path(__file__).resolve().parents[1] / "README.md"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    "argv",
    [
        ("show", "zzzz", "--json"),
        ("set", "zzzz", "--phone", "(555) 010-0199", "--json", "--dry-run"),
        ("set", "98765", "--phone", "(555) 010-0199", "--json", "--yes"),
    ],
    ids=["show", "set --dry-run", "set --yes"],
)
def test_json_when_no_one_matches_is_an_empty_list(argv: tuple[str, ...]) -> None:
    status, out, err = run(*argv, "--demo")
    assert status == ExitStatus.NO
    assert json.loads(out) == []  # as documented: a script always reads JSON
    assert "no employee matches" in err


def test_bulk_apply_without_a_terminal_suggests_bulk_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("action,pos_user_id,phone\nupdate,4101,(555) 010-0199\n", "utf-8")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    status, _out, err = run("bulk", "apply", str(path), "--demo")
    assert status == ExitStatus.USAGE
    assert "bulk plan" in err and "--dry-run" not in err  # apply takes no --dry-run


def _someone(sim: Simulator, *, active: bool) -> tuple[str, str, int]:
    employee = next(
        e
        for _i, e in sorted(sim.store.employees.items())
        if e.active is active and e.pos_user_id and e.phone
    )
    return f"{employee.first_name} {employee.last_name}", employee.phone, employee.pos_user_id


@pytest.mark.parametrize("active", [True, False], ids=["active", "inactive"])
@pytest.mark.parametrize("kind", ["pos-id", "phone"])
def test_check_says_who_holds_a_taken_value(kind: str, active: bool) -> None:
    name, phone, pos = _someone(Simulator.demo(), active=active)
    value = str(pos) if kind == "pos-id" else phone
    status, out, err = run("check", kind, value, "--demo", "--refresh")
    assert status == ExitStatus.NO, err
    assert f"taken by {name} (POS {pos}, {'active' if active else 'inactive'})" in out
    status, out, _err = run("check", kind, value, "--demo", "--refresh", "--json")
    [holder] = json.loads(out)["held_by"]
    assert (holder["name"], holder["pos_user_id"], holder["active"]) == (name, pos, active)


def test_check_refuses_a_phone_of_nine_digits() -> None:
    status, out, err = run("check", "phone", "312555011", "--demo")
    assert status == ExitStatus.USAGE and out == ""
    assert "10 digits" in err


def test_a_csv_with_wrong_columns_names_every_one() -> None:
    with pytest.raises(BulkFileError) as refused:
        parse("action,fist_name,lst_name,phone,phone\nhire,Dana,Reyes,1,2\n")
    message = str(refused.value)
    assert "'fist_name'" in message and "'lst_name'" in message
    assert "'phone' appears twice" in message


def _examples() -> list[str]:
    """Every `sonnys-tui` example of --help and of the README's shell blocks that names
    an employee or a value to check."""
    # --help: the command, then what it does from column 40 (when it fits before it).
    lines = [
        line[:39].strip() if line[38:40].startswith(" ") and line[39:40] != " " else line.strip()
        for line in EPILOG.splitlines()
    ]
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text("utf-8"), re.S)
    lines += [line.strip() for block in blocks for line in block.splitlines()]
    found = []
    for line in lines:
        command = line.split("#")[0].split("   ")[0].strip()
        words = command.split()
        if len(words) > 2 and words[0] == "sonnys-tui" and words[1] in WANT:
            found.append(command)
    return sorted(set(found))


WANT = {"find", "show", "set", "offboard", "reinstate", "check"}


@pytest.mark.parametrize("example", _examples())
def test_every_example_works_on_the_demo_tenant(example: str) -> None:
    argv = shlex.split(example)[1:]
    if argv[0] in ("set", "offboard", "reinstate"):
        # Looked at, never written: the example's query and values must plan.
        argv = [a for a in argv if a not in ("--yes", "--dry-run")] + ["--dry-run"]
    status, out, err = run(*argv, "--demo")
    if argv[0] == "check":
        assert status in (ExitStatus.OK, ExitStatus.NO, 4), err  # free, taken or cannot tell
    else:
        assert status == ExitStatus.OK, (example, err)
        assert out
