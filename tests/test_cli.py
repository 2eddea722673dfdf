"""The `sonnys-tui` shell commands: output, exit codes, profiles and the roster cache."""

from __future__ import annotations

import dataclasses
import io
import json
import signal
import socket
import stat
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sonnys_tui import cache
from sonnys_tui.cli import EXIT_STATUS_HELP, ExitStatus, main
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
    assert status == ExitStatus.OK
    lines = out.splitlines()
    assert lines[0].split() == ["Name", "POS", "ID", "Phone", "Active", "Sites"]
    assert any("Jordan Pilot" in line and "4101" in line for line in lines[1:])
    assert all(len(line) <= 80 for line in lines)


def test_find_json_and_no_match() -> None:
    status, out, _ = run("find", "4101", "--demo", "--json")
    assert status == ExitStatus.OK
    [row] = json.loads(out)
    assert (row["first_name"], row["pos_user_id"]) == ("Jordan", 4101)
    status, _, err = run("find", "zzzz", "--demo")
    assert status == ExitStatus.TAKEN and "no employee matches" in err


def test_check_exit_status_scripts() -> None:
    assert run("check", "pos-id", "4101", "--demo")[0] == ExitStatus.TAKEN
    status, out, _ = run("check", "pos-id", "98765", "--demo")
    assert status == ExitStatus.OK and "free" in out
    assert run("check", "phone", "(312) 555-0101", "--demo")[0] == ExitStatus.TAKEN
    assert run("check", "phone", "555 019 9999", "--demo")[0] == ExitStatus.OK


HIDDEN = "active, hidden from the roster: no site"


@pytest.mark.parametrize(
    ("kind", "value", "holder"),
    [
        ("pos-id", "4106", "Val Trialson (POS 4106"),
        ("pos-id", "4107", "Zion Prototype (POS 4107"),
        ("phone", "+1 312-555-0106", "Val Trialson (POS 4106"),
    ],
)
def test_check_says_who_the_roster_hides_holds_it(kind: str, value: str, holder: str) -> None:
    """An active employee with no site is on no list nor search, yet holds their POS
    User ID and phone: `check` finds them and names them."""
    status, out, _ = run("check", kind, value, "--demo")
    assert status == ExitStatus.TAKEN, out
    assert f"taken by {holder}, {HIDDEN})" in out
    status, out, _ = run("check", kind, value, "--demo", "--json")
    answer = json.loads(out)
    assert (status, answer["state"], answer["available"]) == (ExitStatus.TAKEN, "taken", False)
    assert [h["hidden"] for h in answer["held_by"]] == [True]


def test_a_phone_free_in_the_cache_is_checked_against_the_hidden_employees(
    served: Simulator,
) -> None:
    assert run("find", "jordan", "--refresh")[0] == ExitStatus.OK  # fills the roster cache
    before = len(served.requests)
    assert run("check", "phone", "(312) 555-0101")[0] == ExitStatus.TAKEN  # the cache's answer
    assert len(served.requests) == before
    status, out, err = run("check", "phone", "(312) 555-0107")
    assert status == ExitStatus.TAKEN and "Zion Prototype" in out and HIDDEN in out, err


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
    assert status == ExitStatus.USAGE
    assert message in err


def test_lists_fit_80_columns() -> None:
    for command in ("sites", "departments", "templates"):
        status, out, _ = run(command, "--demo")
        assert status == ExitStatus.OK, command
        assert len(out.splitlines()) > 2
        assert all(len(line) <= 80 for line in out.splitlines()), command
    status, out, _ = run("templates", "--scope", "backoffice", "--demo", "--json")
    assert {"admin", "manager", "user"} <= {t["name"] for t in json.loads(out)}


def test_refresh_fills_the_cache_and_later_lookups_use_it(served: Simulator) -> None:
    status, _, _ = run("find", "jordan", "--refresh")
    assert status == ExitStatus.OK
    path = cache.cache_path("east")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = len(served.requests)
    status, out, err = run("find", "jordan")
    assert status == ExitStatus.OK and "Jordan Pilot" in out
    assert "from the roster cache" in err
    assert not [r for r in served.requests[before:] if r.path.startswith("/employee")]
    assert run("cache", "clear")[1].startswith("removed 1")
    assert cache.load("east") is None


def test_no_cache_neither_reads_nor_writes(served: Simulator) -> None:
    assert run("find", "jordan", "--refresh", "--no-cache")[0] == ExitStatus.OK
    assert cache.load("east") is None


def test_profiles_and_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    status, _, err = run("find", "x")
    assert status == ExitStatus.USAGE and "no saved profile" in err
    save_profile(Profile(name="east", subdomain="east", username="bot"))
    status, out, _ = run("config", "list")
    assert "east: bot @ https://east.sonnyscontrols.com" in out
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    status, _, err = run("find", "x", "--profile", "east")
    assert status == ExitStatus.USAGE and "SONNYS_PASSWORD" in err
    status, _, err = run("find", "x", "--profile", "west")
    assert status == ExitStatus.USAGE and "no profile named 'west'" in err


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
    assert run("find", "jordan", "--refresh")[0] == ExitStatus.OK
    monkeypatch.delenv("SONNYS_PASSWORD")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal to prompt on
    before = len(served.requests)
    status, out, err = run("find", "jordan")
    assert status == ExitStatus.OK and "Jordan Pilot" in out and "roster cache" in err
    assert run("sites")[0] == ExitStatus.OK
    assert run("check", "phone", "(312) 555-0101")[0] == ExitStatus.TAKEN
    assert len(served.requests) == before
    # A POS User ID is always asked of the server, so it needs the password.
    assert run("check", "pos-id", "4101")[0] == ExitStatus.USAGE


# ----------------------------------------------------------------- issue 13: exit statuses


def _epilog_codes(text: str) -> dict[int, str]:
    """The exit-status table of a help text: status -> its line(s)."""
    table = text.split("exit status (every command):", 1)[1]
    codes: dict[int, str] = {}
    last = None
    for line in table.splitlines():
        head = line.split(maxsplit=1)
        if head and head[0].isdigit() and line.startswith("  ") and not line.startswith("     "):
            last = int(head[0])
            codes[last] = head[1] if len(head) > 1 else ""
        elif last is not None and line.strip():
            codes[last] += " " + line.strip()
    return codes


DOCUMENTED = {
    ExitStatus.OK: "done",
    ExitStatus.TAKEN: "taken",
    ExitStatus.USAGE: "usage",
    ExitStatus.FAILED: "failure",
    ExitStatus.UNKNOWN: "cannot tell",
    ExitStatus.CONFLICT: "conflict",
    ExitStatus.READ_ONLY: "read-only",
    ExitStatus.INTERRUPTED: "interrupted",
}


def test_one_exit_status_table_in_help_check_help_and_readme(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for argv in (["--help"], ["check", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
        codes = _epilog_codes(capsys.readouterr().out)
        assert set(codes) == set(DOCUMENTED), argv
        assert all(word in codes[code] for code, word in DOCUMENTED.items()), codes
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert EXIT_STATUS_HELP in readme  # the very table --help prints


STATUS_CASES = [
    (("find", "jordan pi", "--demo"), ExitStatus.OK),
    (("find", "zzzz", "--demo"), ExitStatus.NOT_FOUND),
    (("find", "zzzz", "--demo", "--json"), ExitStatus.NOT_FOUND),
    (("find", "  ", "--demo"), ExitStatus.USAGE),
    (("check", "pos-id", "98765", "--demo"), ExitStatus.OK),
    (("check", "pos-id", "4101", "--demo"), ExitStatus.TAKEN),
    (("check", "pos-id", "99999999999", "--demo"), ExitStatus.USAGE),
    (("check", "phone", "555 019 9999", "--demo"), ExitStatus.OK),
    (("check", "phone", "+1 312 555 0101", "--demo"), ExitStatus.TAKEN),
    (("check", "email", "jordan.pilot1@example.com", "--demo"), ExitStatus.TAKEN),
    (("check", "email", "emery.prototype3@example.com", "--demo"), ExitStatus.UNKNOWN),  # inactive
    (("check", "email", "brand.new@example.com", "--demo"), ExitStatus.UNKNOWN),
    (("check", "email", "not-an-email", "--demo"), ExitStatus.USAGE),
    (("sites", "--demo"), ExitStatus.OK),
    (("departments", "--demo", "--json"), ExitStatus.OK),
    (("templates", "--demo", "--scope", "backoffice"), ExitStatus.OK),
    (("config", "path"), ExitStatus.OK),
    (("config", "list"), ExitStatus.OK),
    (("cache", "path"), ExitStatus.OK),
    (("cache", "clear"), ExitStatus.OK),
    (("cache", "clear", "--profile", "nosuch"), ExitStatus.USAGE),
    (("cache", "path", "--profile", "nosuch"), ExitStatus.USAGE),
    (("simulator", "--employees", "5"), ExitStatus.USAGE),  # only for --tenant large
    (("--demo", "find", "jordan"), ExitStatus.OK),  # a top-level option before the command
    # No risky login, but two active employees with no site, hidden from the roster: risks.
    (("access-review", "--demo"), ExitStatus.RISKS),
    (("doctor", "--demo"), ExitStatus.OK),  # every capability ready on the demo tenant
    (("offboard", "zzzz", "--demo", "--yes"), ExitStatus.NOT_FOUND),
    (("offboard", "jordan", "--demo", "--yes"), ExitStatus.USAGE),  # several match: none written
    (("show", "4101", "--demo"), ExitStatus.OK),
    (("show", "zzzz", "--demo", "--json"), ExitStatus.NOT_FOUND),
    (("set", "jordan", "--demo", "--phone", "555 010 0143", "--yes"), ExitStatus.USAGE),  # several
    (("set", "4101", "--demo", "--phone", "555 010 0143", "--dry-run"), ExitStatus.OK),
    (("set", "4101", "--demo", "--phone", "312.555.0101", "--yes"), ExitStatus.OK),  # nothing to do
]


@pytest.mark.parametrize(
    ("argv", "status"), STATUS_CASES, ids=[" ".join(a) for a, _ in STATUS_CASES]
)
def test_every_command_exits_with_its_documented_status(argv: tuple[str, ...], status: int) -> None:
    assert run(*argv)[0] == status


@pytest.mark.parametrize(
    "argv",
    [
        ("simulator", "--employees", "-5", "--tenant", "large"),
        ("simulator", "--port", "70000"),
        ("simulator", "--port", "eighty"),
        ("simulator", "--latency-ms", "-1"),
        ("check", "colour", "x"),
    ],
)
def test_bad_arguments_are_usage_errors(argv: tuple[str, ...]) -> None:
    with pytest.raises(SystemExit) as info:
        run(*argv)
    assert info.value.code == ExitStatus.USAGE


def test_find_with_no_match_says_so_and_prints_an_empty_json_list() -> None:
    status, out, err = run("find", "zzzz", "--demo", "--json")
    assert (status, json.loads(out)) == (ExitStatus.NOT_FOUND, [])
    assert "no employee matches 'zzzz'" in err


def test_check_email_says_it_cannot_tell_for_an_email_no_list_has() -> None:
    status, out, _ = run("check", "email", "emery.prototype3@example.com", "--demo")
    assert status == ExitStatus.UNKNOWN
    assert "cannot tell" in out and "inactive employees can't be checked" in out
    assert "free" not in out
    status, out, _ = run("check", "email", "Emery.Prototype3@example.com", "--demo", "--json")
    answer = json.loads(out)
    assert (status, answer["state"], answer["available"]) == (ExitStatus.UNKNOWN, "unknown", None)
    status, out, _ = run("check", "email", "JORDAN.PILOT1@example.com", "--demo", "--json")
    answer = json.loads(out)
    assert (status, answer["state"], answer["available"]) == (ExitStatus.TAKEN, "taken", False)
    assert answer["reason"] == "used by an active employee"


def test_a_us_phone_with_its_country_code_is_checked_in_the_cache_too(served: Simulator) -> None:
    assert run("find", "jordan", "--refresh")[0] == ExitStatus.OK  # fills the roster cache
    status, _, err = run("check", "phone", "+1 312 555 0101")
    assert status == ExitStatus.TAKEN and "roster cache" in err
    status, out, _ = run("find", "+1 312 555 0101")
    assert status == ExitStatus.OK and "Jordan Pilot" in out


def test_find_ignores_accents_in_the_roster_and_says_what_the_server_search_missed(
    served: Simulator,
) -> None:
    person = served.store.employees[401]
    person.first_name, person.last_name = "José", "Núñez"
    # No cache: the server's own name search, which keeps the accents.
    status, _, err = run("find", "jose")
    assert status == ExitStatus.NOT_FOUND
    assert "no employee matches 'jose'" in err and "--refresh" in err
    status, out, _ = run("find", "jose nu", "--refresh")
    assert status == ExitStatus.OK and "José Núñez" in out


def test_an_answer_from_the_server_never_claims_to_be_the_caches(served: Simulator) -> None:
    assert run("find", "jordan", "--refresh")[0] == ExitStatus.OK
    for argv in (("sites", "--refresh"), ("find", "jordan", "--refresh")):
        status, _, err = run(*argv)
        assert status == ExitStatus.OK and "cache" not in err, argv
    # A cache without a list (no Back Office templates in it): fetched, not "from the cache".
    snapshot = cache.load("east")
    assert snapshot is not None
    cache.save("east", dataclasses.replace(snapshot, templates=()))
    status, out, err = run("templates", "--scope", "backoffice")
    assert status == ExitStatus.OK and "admin" in out
    assert "roster cache" not in err


def test_cache_commands_name_one_profile(served: Simulator) -> None:
    assert run("find", "jordan", "--refresh")[0] == ExitStatus.OK
    status, out, _ = run("cache", "path", "--profile", "east")
    assert status == ExitStatus.OK and out.strip() == str(cache.cache_path("east"))
    status, _, err = run("cache", "clear", "--profile", "esat")
    assert status == ExitStatus.USAGE and "no profile named 'esat'" in err and "east" in err
    assert cache.load("east") is not None  # a typo removed nothing
    # Given before the command, --profile is not dropped: only east's cache goes.
    status, out, _ = run("--profile", "east", "cache", "clear")
    assert status == ExitStatus.OK and out.startswith("removed 1")


def test_several_profiles_without_one_named_is_a_usage_error() -> None:
    save_profile(Profile(name="east", subdomain="east", username="bot"))
    save_profile(Profile(name="west", subdomain="west", username="bot"))
    status, _, err = run("find", "x")
    assert status == ExitStatus.USAGE and "--profile" in err


@pytest.fixture
def prompting(monkeypatch: pytest.MonkeyPatch) -> Callable[[BaseException], None]:
    """A saved profile with no password anywhere, run from a terminal whose password
    prompt ends with the given exception (Ctrl+C, Ctrl+D)."""
    save_profile(Profile(name="east", subdomain="east", username="bot"))
    monkeypatch.delenv("SONNYS_PASSWORD", raising=False)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal(""))

    def answer(exc: BaseException) -> None:
        def getpass(prompt: str = "") -> str:
            raise exc

        monkeypatch.setattr("getpass.getpass", getpass)

    return answer


def test_ctrl_c_at_the_password_prompt_is_one_line_and_130(
    prompting: Callable[[BaseException], None],
) -> None:
    prompting(KeyboardInterrupt())
    status, out, err = run("check", "pos-id", "4101")
    assert status == ExitStatus.INTERRUPTED == 130
    assert err.strip() == "sonnys-tui: interrupted" and out == ""


def test_ctrl_d_at_the_password_prompt_is_no_password_not_taken(
    prompting: Callable[[BaseException], None],
) -> None:
    prompting(EOFError())
    status, _, err = run("check", "pos-id", "4101")
    assert status == ExitStatus.USAGE  # never 1, which `check` means as "taken"
    assert "no password entered" in err and "Traceback" not in err


def test_the_simulator_on_a_taken_port_fails_before_printing_a_url() -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        status, out, err = run("simulator", "--port", str(port))
    assert status == ExitStatus.FAILED
    assert out == "" and f"cannot serve on 127.0.0.1:{port}" in err


def test_the_simulator_prints_the_port_it_serves_and_stops_on_ctrl_c() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            # Ctrl+C as a terminal delivers it, even where this test runs as a background
            # job (which starts with SIGINT ignored, and its children too).
            "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler)\n"
            "from sonnys_tui.cli import main; sys.exit(main())",
            "simulator",
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        url = first.split(" on ", 1)[1].strip()
        assert not url.endswith(":0")
        with urllib.request.urlopen(f"{url}/login", timeout=5) as answer:
            assert answer.status == 200
    finally:
        process.send_signal(signal.SIGINT)
        try:
            _, err = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()  # Ctrl+C did not end it: fail, and leave no server behind
            raise
    assert process.returncode == ExitStatus.OK
    assert "Traceback" not in err


def test_the_apps_demo_tenant_is_served_by_a_process_that_ends_with_the_block() -> None:
    """`sonnys-tui --demo`: the simulator serves from a process of its own (no server
    thread here), on a URL known at once, and is gone once the app is."""
    import threading

    from sonnys_tui.cli.common import demo_tenant
    from sonnys_tui.config import open_client

    with demo_tenant() as (profile, password):
        assert profile.base_url is not None and not profile.use_cache
        with open_client(profile, password) as client:
            assert client.list_sites() and client.list_employees()
        assert "backoffice-simulator" not in {t.name for t in threading.enumerate()}
        host, port = profile.base_url.removeprefix("http://").split(":")
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((host, int(port)), timeout=5).close()


def test_the_demo_process_ends_when_the_app_is_killed() -> None:
    """No demo server left behind by an app that could not end it (kill -9)."""
    import time

    code = (
        "import time\n"
        "from sonnys_tui.cli.common import demo_tenant\n"
        "with demo_tenant() as (profile, _):\n"
        "    print(profile.base_url, flush=True)\n"
        "    time.sleep(60)\n"
    )
    app = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert app.stdout is not None
    host, port = app.stdout.readline().strip().removeprefix("http://").split(":")
    with urllib.request.urlopen(f"http://{host}:{port}/login", timeout=10) as answer:
        assert answer.status == 200
    app.kill()
    app.wait()
    app.stdout.close()
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection((host, int(port)), timeout=1).close()
        except ConnectionRefusedError:
            break
        assert time.monotonic() < deadline, "the demo process outlived the app"
        time.sleep(0.05)


# --------------------------------------------------------------------- start-up cost


def test_the_command_table_names_what_each_module_adds() -> None:
    """A command line builds only its command's module (main.COMMAND_MODULES): the
    table must name every command module and exactly the commands each adds."""
    import argparse
    import importlib

    from sonnys_tui.cli.common import AddCommand, connection_options

    cli_main = importlib.import_module("sonnys_tui.cli.main")
    cli_dir = Path(cli_main.__file__).parent
    registering = {
        f"sonnys_tui.cli.{path.stem}"
        for path in cli_dir.glob("*.py")
        if "\ndef register(" in path.read_text(encoding="utf-8")
    }
    assert set(cli_main.COMMAND_MODULES) == registering
    for module, names in cli_main.COMMAND_MODULES.items():
        commands = argparse.ArgumentParser().add_subparsers()
        added = importlib.import_module(module).register(AddCommand(commands, connection_options()))
        assert tuple(added) == names, module


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["find", "jordan"], "find"),
        (["--demo", "--profile", "set", "show", "4411"], "show"),
        (["--prof", "bulk", "find", "x"], "find"),
        (["--profile=east", "--no-cache", "offboard", "x"], "offboard"),
        (["--", "sites"], "sites"),
        (["--demo"], None),
        (["-h"], None),
    ],
)
def test_the_command_named_is_found_past_the_top_level_options(
    argv: list[str], command: str | None
) -> None:
    import importlib

    assert importlib.import_module("sonnys_tui.cli.main")._command_named(argv) == command


def test_a_lookup_from_the_cache_loads_no_other_command_nor_the_app_or_network(
    served: Simulator,
) -> None:
    """`sonnys-tui find` answered from the disk cache imports neither Textual, the bulk
    layer, the other commands' modules nor the HTTP client: a whole process is quick."""
    assert run("find", "jordan", "--refresh")[0] == ExitStatus.OK  # fills the roster cache
    code = (
        "import json, sys\n"
        "from sonnys_tui.cli import main\n"
        "status = main(['find', 'jordan'])\n"
        "watched = ('sonnys_tui.bulk', 'sonnys_tui.cli.', 'textual', 'httpx', 'lxml')\n"
        "print(json.dumps([status, sorted(m for m in sys.modules if m.startswith(watched))]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert "roster cache" in done.stderr
    status, loaded = json.loads(done.stdout.splitlines()[-1])
    assert status == ExitStatus.OK
    assert loaded == ["sonnys_tui.cli.common", "sonnys_tui.cli.lookups", "sonnys_tui.cli.main"]
