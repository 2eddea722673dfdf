"""Read-only mode (issue 17): `read_only = true` in a profile, `--read-only` on any
command, or SONNYS_TUI_READ_ONLY=1. Every write is refused before any request: by the
tenant layer (every write goes through it), by the client made read-only under it, and
by the shell, which says so and exits 6; reads, --dry-run and `bulk plan` still work."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.backoffice.errors import ReadOnlyError
from sonnys_tui.backoffice.models import BackofficeUserRequest, HireRequest
from sonnys_tui.cli import main
from sonnys_tui.cli.common import ExitStatus
from sonnys_tui.config import READ_ONLY_ENV, Profile, load_profiles, save_profile
from sonnys_tui.simulator import Simulator
from sonnys_tui.tenant import Tenant
from sonnys_tui.tui.errors import describe_error

POS_ID = 4101  # Jordan Pilot of the demo tenant: active
PROFILE = Profile(name="east", subdomain="east", username="bot", base_url="http://sim.test")

# Every way of asking for read-only mode: (extra arguments, environment, profile flag).
WAYS = {
    "flag": (["--read-only"], {}, False),
    "env": ([], {READ_ONLY_ENV: "1"}, False),
    "profile": ([], {}, True),
}


@pytest.fixture
def sim(monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulator]:
    """The demo tenant on loopback behind a saved profile named 'east' (no cache)."""
    sim = Simulator.demo()
    with sim.serve() as base_url:
        save_profile(replace(PROFILE, base_url=base_url, username=sim.username, use_cache=False))
        monkeypatch.setenv("SONNYS_PASSWORD", sim.password)
        yield sim


# How the refusal names each way.
READ_ONLY_BY = {
    "flag": "--read-only",
    "env": f"{READ_ONLY_ENV}=1",
    "profile": "profile 'east': read_only = true",
}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main([*argv, "--profile", "east"], out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def read_only_by(way: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Ask for read-only mode the given way; the arguments to add to the command."""
    extra, env, in_profile = WAYS[way]
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if in_profile:
        save_profile(replace(load_profiles()["east"], read_only=True))
    return list(extra)


def bulk_file(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(f"action,pos_user_id,phone\nupdate,{POS_ID},(555) 010-0199\n", "utf-8")
    return path


# Each shell command that writes, as it would write (with --yes: no question asked).
WRITE_COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "set": lambda tmp: ["set", str(POS_ID), "--phone", "(555) 010-0199", "--yes"],
    "offboard": lambda tmp: ["offboard", str(POS_ID), "--yes"],
    "reinstate": lambda tmp: ["reinstate", str(POS_ID), "--yes"],
    "bulk apply": lambda tmp: ["bulk", "apply", str(bulk_file(tmp)), "--yes"],
}


@pytest.mark.parametrize("way", sorted(WAYS))
@pytest.mark.parametrize("command", sorted(WRITE_COMMANDS))
def test_every_write_command_is_refused_before_any_request_with_exit_6(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str, way: str
) -> None:
    extra = read_only_by(way, monkeypatch)
    before = len(sim.requests)
    status, _out, err = run(*WRITE_COMMANDS[command](tmp_path), *extra)
    assert status == ExitStatus.READ_ONLY == 6
    # In sentences: what it refused and why, then what works without writing.
    assert err.startswith(f"sonnys-tui: Read-only ({READ_ONLY_BY[way]})"), err
    assert f"`{command}` would write to the Back Office, so it is refused. " in err
    assert err.rstrip().endswith(" without writing."), err
    assert "refused (" not in err  # not the old "`set` (--dry-run ...) refused (...)"
    assert sim.requests[before:] == []  # not even the login


@pytest.mark.parametrize(
    "argv",
    [
        ["show", str(POS_ID)],
        ["set", str(POS_ID), "--phone", "(555) 010-0199", "--dry-run"],
        ["offboard", str(POS_ID), "--dry-run"],
        ["find", "jordan"],
    ],
    ids=["show", "set --dry-run", "offboard --dry-run", "find"],
)
def test_reads_and_dry_runs_still_work_in_read_only_mode(sim: Simulator, argv: list[str]) -> None:
    status, out, err = run(*argv, "--read-only")
    assert status == ExitStatus.OK, err
    assert out
    assert not [r for r in sim.requests if r.method == "POST" and not r.path.startswith("/login")]


def test_bulk_plan_works_and_bulk_apply_refuses(sim: Simulator, tmp_path: Path) -> None:
    path = bulk_file(tmp_path)
    status, out, err = run("bulk", "plan", str(path), "--read-only")
    assert status == ExitStatus.OK, err
    assert "change" in out
    before = len(sim.requests)
    status, out, err = run("bulk", "apply", str(path), "--yes", "--read-only")
    assert status == ExitStatus.READ_ONLY
    assert "`bulk plan` checks the file without writing." in err  # what still works
    assert sim.requests[before:] == []
    assert not (tmp_path / "people.csv.journal.jsonl").exists()


def test_exit_status_6_is_in_help_and_the_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text("utf-8")
    from sonnys_tui.cli.main import build_parser

    text = build_parser().format_help()
    assert "\n  6    read-only mode" in text
    assert "--read-only" in text
    assert "\n  6    read-only mode" in readme and "### Read-only mode" in readme


def test_a_read_only_profile_keeps_its_flag_in_the_file() -> None:
    save_profile(replace(PROFILE, read_only=True))
    assert load_profiles()["east"].read_only
    save_profile(PROFILE)
    assert not load_profiles()["east"].read_only


# --------------------------------------------------------------------------- tenant


def _hire(tenant: Tenant) -> HireRequest:
    return HireRequest(
        first_name="Testy",
        last_name="Readonly",
        phone="(555) 010-0177",
        email="testy.readonly@example.com",
        pos_user_id=88123,
        wage_rate=Decimal("15.50"),
        start_date=date(2026, 12, 1),
        available_sites=[tenant.sites[0].name],
        permission="Cashier",
        departments=["Line"],
    )


def _writes(tenant: Tenant) -> dict[str, Callable[[], Any]]:
    """Every write the tenant offers, ready to call."""
    employees = tenant.employees()
    active = next(r for r in employees if r.active and r.pos_user_id == POS_ID)
    inactive = next(r for r in employees if not r.active)
    users = tenant.backoffice_users()
    user = next(u for u in users if u.active and u.username != "bot")
    plan = tenant.client.plan_update_employee(
        employee_id=active.employee_id, phone="(555) 010-0188"
    )
    login = BackofficeUserRequest(
        username="readonly.test", email="readonly.test@example.com", permission="Manager"
    )
    return {
        "hire": lambda: tenant.hire(_hire(tenant)),
        "disable": lambda: tenant.disable(active),
        "enable": lambda: tenant.enable(inactive),
        "offboard": lambda: tenant.offboard(active),
        "reinstate": lambda: tenant.reinstate(inactive),
        "write_change": lambda: tenant.write_change(plan),
        "create_backoffice_user": lambda: tenant.create_backoffice_user(login),
        "disable_backoffice_user": lambda: tenant.disable_backoffice_user(user),
        "enable_backoffice_user": lambda: tenant.enable_backoffice_user(
            replace(user, active=False)
        ),
        "set_backoffice_permissions": lambda: tenant.set_backoffice_permissions(
            user, template="Manager"
        ),
        "reset_backoffice_password": lambda: tenant.reset_backoffice_password(user),
    }


TENANT_WRITES = (
    "hire",
    "disable",
    "enable",
    "offboard",
    "reinstate",
    "write_change",
    "create_backoffice_user",
    "disable_backoffice_user",
    "enable_backoffice_user",
    "set_backoffice_permissions",
    "reset_backoffice_password",
)


@pytest.mark.parametrize("write", TENANT_WRITES)
def test_every_tenant_write_is_refused_before_any_request(write: str) -> None:
    sim = Simulator.demo()
    client = SonnysBackofficeClient(**sim.client_kwargs())
    with Tenant(PROFILE, client=client, read_only=True) as tenant:
        tenant.refresh()  # reads work
        calls = _writes(tenant)
        assert sorted(calls) == sorted(TENANT_WRITES)  # a new write gets a case here
        before = len(sim.requests)
        with pytest.raises(ReadOnlyError) as refused:
            calls[write]()
    assert sim.requests[before:] == []
    assert refused.value.wrote_nothing
    assert "--read-only" in str(refused.value)
    # The app shows the sentence alone (the toast's title says "Read-only: not sent").
    assert describe_error(refused.value).startswith('Read-only (--read-only): "')
    assert describe_error(refused.value).endswith(
        '" would write to the Back Office, so it is refused.'
    )


def test_the_client_under_a_read_only_tenant_refuses_writes_too() -> None:
    """A write that does not come through the tenant's methods is refused by the client
    (made read-only by the tenant) before its POST is sent."""
    sim = Simulator.demo()
    client = SonnysBackofficeClient(**sim.client_kwargs())
    with Tenant(replace(PROFILE, read_only=True), client=client) as tenant:
        assert tenant.read_only and client.read_only
        row = next(r for r in client.list_employees() if r.active)
        with pytest.raises(ReadOnlyError):
            tenant.client.disable_employee(employee_id=row.employee_id)
    assert not [r for r in sim.requests if r.method == "POST" and not r.path.startswith("/login")]
    assert sim.store.employees[row.employee_id].active


def test_a_client_constructed_read_only_refuses_every_post() -> None:
    sim = Simulator.demo()
    with SonnysBackofficeClient(**sim.client_kwargs(), read_only=True) as client:
        row = next(r for r in client.list_employees() if r.active)
        with pytest.raises(ReadOnlyError) as refused:
            client.disable_employee(employee_id=row.employee_id)
    said = refused.value.message
    assert said.startswith("Read-only: POST /") and said.endswith(
        " would write to the Back Office, so it was not sent."
    ), said
    assert not [r for r in sim.requests if r.method == "POST" and not r.path.startswith("/login")]


def test_without_read_only_nothing_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(READ_ONLY_ENV, "0")
    sim = Simulator.demo()
    with Tenant(PROFILE, client=SonnysBackofficeClient(**sim.client_kwargs())) as tenant:
        assert not tenant.read_only
        tenant.ensure_writable("anything")
