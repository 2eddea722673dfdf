"""The `sonnys-tui` shell commands: output, exit codes, profiles and the roster cache."""

from __future__ import annotations

import io
import json
import stat
from collections.abc import Iterator

import pytest

from sonnys_tui import cache
from sonnys_tui.cli import EXIT_OK, EXIT_TAKEN, EXIT_USAGE, main
from sonnys_tui.config import Profile, save_profile
from sonnys_tui.simulator import Simulator


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulator]:
    """A demo tenant on loopback behind a saved profile named 'east'."""
    sim = Simulator.demo()
    with sim.serve() as base_url:
        save_profile(
            Profile(name="east", subdomain="east", username=sim.username, base_url=base_url)
        )
        monkeypatch.setenv("SONNYS_PASSWORD", sim.password)
        yield sim


def test_help_explains_credentials_and_shows_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert "SONNYS_PASSWORD" in text and "keyring" in text
    assert "sonnys-tui check pos-id 4411" in text


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.startswith("sonnys-tui ")


def test_find_by_name_on_the_demo_tenant() -> None:
    status, out, _ = run("find", "jordan pi", "--demo")
    assert status == EXIT_OK
    lines = out.splitlines()
    assert lines[0].split() == ["Name", "POS", "ID", "Phone", "Active", "Sites"]
    assert any("Jordan Pilot" in line and "4101" in line for line in lines[1:])
    assert all(len(line) <= 80 for line in lines)


def test_find_json_and_no_match() -> None:
    status, out, _ = run("find", "4101", "--demo", "--json")
    assert status == EXIT_OK
    [row] = json.loads(out)
    assert (row["first_name"], row["pos_user_id"]) == ("Jordan", 4101)
    status, _, err = run("find", "zzzz", "--demo")
    assert status == EXIT_TAKEN and "no employee matches" in err


def test_check_exit_status_scripts() -> None:
    assert run("check", "pos-id", "4101", "--demo")[0] == EXIT_TAKEN
    status, out, _ = run("check", "pos-id", "98765", "--demo")
    assert status == EXIT_OK and "free" in out
    assert run("check", "phone", "(312) 555-0101", "--demo")[0] == EXIT_TAKEN
    assert run("check", "phone", "555 019 9999", "--demo")[0] == EXIT_OK


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("pos-id", "44x", "POS User ID"),
        ("email", "not-an-email", "email"),
        ("phone", "12", "phone"),
    ],
)
def test_check_rejects_bad_values_before_connecting(kind: str, value: str, message: str) -> None:
    # No --demo and no profile: reaching the network would fail differently.
    status, _, err = run("check", kind, value)
    assert status == EXIT_USAGE
    assert message in err


def test_lists_fit_80_columns() -> None:
    for command in ("sites", "departments", "templates"):
        status, out, _ = run(command, "--demo")
        assert status == EXIT_OK, command
        assert len(out.splitlines()) > 2
        assert all(len(line) <= 80 for line in out.splitlines()), command
    status, out, _ = run("templates", "--scope", "backoffice", "--demo", "--json")
    assert {"admin", "manager", "user"} <= {t["name"] for t in json.loads(out)}


def test_refresh_fills_the_cache_and_later_lookups_use_it(served: Simulator) -> None:
    status, _, _ = run("find", "jordan", "--refresh")
    assert status == EXIT_OK
    path = cache.cache_path("east")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = len(served.requests)
    status, out, err = run("find", "jordan")
    assert status == EXIT_OK and "Jordan Pilot" in out
    assert "from the roster cache" in err
    assert not [r for r in served.requests[before:] if r.path.startswith("/employee")]
    assert run("cache", "clear")[1].startswith("removed 1")
    assert cache.load("east") is None


def test_no_cache_neither_reads_nor_writes(served: Simulator) -> None:
    assert run("find", "jordan", "--refresh", "--no-cache")[0] == EXIT_OK
    assert cache.load("east") is None


def test_profiles_and_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    status, _, err = run("find", "x")
    assert status == EXIT_USAGE and "no saved profile" in err
    save_profile(Profile(name="east", subdomain="east", username="bot"))
    status, out, _ = run("config", "list")
    assert "east: bot @ https://east.sonnyscontrols.com" in out
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    status, _, err = run("find", "x", "--profile", "east")
    assert status == EXIT_USAGE and "SONNYS_PASSWORD" in err
    status, _, err = run("find", "x", "--profile", "west")
    assert status == EXIT_USAGE and "no profile named 'west'" in err


def test_wrong_password_is_a_clean_failure(
    served: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SONNYS_PASSWORD", "wrong-password")
    status, _, err = run("check", "pos-id", "4101")
    assert status == 3
    assert "wrong-password" not in err
    assert sum(r.path == "/login_check" for r in served.requests) == 1


def test_cached_answers_need_no_password_nor_server(
    served: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("find", "jordan", "--refresh")[0] == EXIT_OK
    monkeypatch.delenv("SONNYS_PASSWORD")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal to prompt on
    before = len(served.requests)
    status, out, err = run("find", "jordan")
    assert status == EXIT_OK and "Jordan Pilot" in out and "roster cache" in err
    assert run("sites")[0] == EXIT_OK
    assert run("check", "phone", "(312) 555-0101")[0] == EXIT_TAKEN
    assert len(served.requests) == before
    # A POS User ID is always asked of the server, so it needs the password.
    assert run("check", "pos-id", "4101")[0] == EXIT_USAGE
