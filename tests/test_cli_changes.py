"""`sonnys-tui show` and `sonnys-tui set` against the simulator: the record printed
whole (the PIN never), each kind of change planned, confirmed, applied, verified and
audited, and nothing written on a dry run, without consent, or on a conflict."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

from sonnys_tui import audit
from sonnys_tui.cli import ExitStatus, main
from sonnys_tui.cli import changes as cli_changes
from sonnys_tui.config import Profile, load_profiles, save_profile
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Employee

POS_ID = 4101  # Jordan Pilot of the demo tenant: 3 sites, one wage, "General User"


def run(*argv: str, stdin: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    if stdin is None:
        status = main([*argv, "--profile", "east"], out=out, err=err)
    else:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("sys.stdin", stdin)
            status = main([*argv, "--profile", "east"], out=out, err=err)
    return status, out.getvalue(), err.getvalue()


class Tty(io.StringIO):
    """Typed answers on what looks like a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def sim(monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulator]:
    """The demo tenant on loopback behind a saved profile named 'east' (no cache)."""
    sim = Simulator.demo()
    with sim.serve() as base_url:
        save_profile(
            Profile(
                name="east",
                subdomain="east",
                username=sim.username,
                base_url=base_url,
                use_cache=False,
            )
        )
        monkeypatch.setenv("SONNYS_PASSWORD", sim.password)
        yield sim


def jordan(sim: Simulator) -> Employee:
    employee = sim.store.employee_by_pos_id(POS_ID)
    assert employee is not None
    return employee


def writes(sim: Simulator, since: int = 0) -> list[str]:
    return [
        r.path
        for r in sim.requests[since:]
        if r.method == "POST" and not r.path.startswith("/login")
    ]


def stored(employee: Employee) -> tuple[object, ...]:
    return (
        employee.phone,
        frozenset(employee.site_ids),
        len(employee.wages),
        frozenset(employee.grant_ids),
    )


# --------------------------------------------------------------------------- show


def test_show_prints_the_whole_record_in_80_columns_and_never_the_pin(sim: Simulator) -> None:
    employee = jordan(sim)
    status, out, err = run("show", str(POS_ID))
    assert status == ExitStatus.OK, err
    assert all(len(line) <= 80 for line in out.splitlines())
    assert employee.pos_pin not in out
    lines = out.splitlines()
    assert lines[0] == "Jordan Pilot (POS User ID 4101, active)"
    assert "PIN                 *****" in lines
    sites = [site for site in sim.store.sites.values() if site.id in employee.site_ids]
    assert all(f"{site.name} ({site.code})" in out for site in sites)
    assert "POS permissions     General User (the template, exactly)" in lines
    assert "JPilot (jordan.pilot1@example.com), active" in out
    [wage] = [line for line in lines if line.startswith("2025-04-17")]
    assert wage.split() == ["2025-04-17", "-", "Hourly", "14.24", "no", "current"]


def test_show_json_is_the_exact_record_with_the_pin_masked(sim: Simulator) -> None:
    employee = jordan(sim)
    employee.emergency_contact_name = "Ana Émile"  # exact, accents and all
    status, out, err = run("show", "jordan pi", "--json")
    assert status == ExitStatus.OK, err
    assert employee.pos_pin not in out
    record = json.loads(out)
    assert record["pos_pin"] == "*****"
    assert (record["pos_user_id"], record["phone"]) == (POS_ID, employee.phone)
    assert record["emergency_contact_name"] == "Ana Émile"
    assert {s["id"] for s in record["sites"]} == employee.site_ids
    assert all(s["code"] == sim.store.sites[s["id"]].code for s in record["sites"])
    assert record["wages"] == [
        {
            "effective_date": "2025-04-17",
            "end_date": None,
            "type": "Hourly",
            "rate": "14.24",
            "overtime_eligible": False,
            "overtime_rate": None,
            "current": True,
        }
    ]
    assert record["pos_permissions"]["access"] == "General User"
    assert [u["username"] for u in record["backoffice_logins"]] == ["JPilot"]


def test_show_needs_exactly_one_employee(sim: Simulator) -> None:
    status, out, err = run("show", "jordan")
    assert status == ExitStatus.USAGE and out == ""
    assert "employees match 'jordan': give the POS User ID of one" in err
    assert "Jordan Pilot" in err and "4101" in err  # they are listed
    status, _, err = run("show", "zzzz")
    assert status == ExitStatus.NOT_FOUND and "no employee matches 'zzzz'" in err


# --------------------------------------------------------------------------- set


def test_set_phone_prints_the_plan_applies_verifies_and_audits(sim: Simulator) -> None:
    status, out, err = run("set", str(POS_ID), "--phone", "(555) 010-0142", "--yes")
    assert status == ExitStatus.OK, err
    assert jordan(sim).phone == "(555) 010-0142"
    assert "Phone              312.555.0101                   (555) 010-0142" in out
    assert "verified: Phone: (555) 010-0142" in out
    assert all(len(line) <= 80 for line in out.splitlines())
    [event] = audit.read()
    assert (event.operation, event.outcome) == ("change", "ok")
    assert "employee_id=401 update" in event.target


def test_set_sites_grants_all_then_revokes_to_one(sim: Simulator) -> None:
    every = set(sim.store.sites)
    status, out, err = run("set", str(POS_ID), "--sites", "all", "--yes")
    assert status == ExitStatus.OK, err
    assert jordan(sim).site_ids == every
    assert f"all {len(every)} sites" in out
    status, out, err = run("set", str(POS_ID), "--sites", "LAKE", "--yes")
    assert status == ExitStatus.OK, err
    [lake] = [s.id for s in sim.store.sites.values() if s.code == "LAKE"]
    assert jordan(sim).site_ids == {lake}
    assert f"Sites: 0 added, {len(every) - 1} removed" in out


def test_set_wage_adds_it_and_an_early_date_is_refused_before_sending(sim: Simulator) -> None:
    status, out, err = run(
        "set", str(POS_ID), "--wage", "16.00", "--effective", "2026-12-15", "--yes"
    )
    assert status == ExitStatus.OK, err
    latest = jordan(sim).latest_wage()
    assert latest is not None
    assert (latest.regular_rate, latest.effective_date) == (Decimal("16.00"), date(2026, 12, 15))
    assert "verified: wage 16.00 from 2026-12-15 is in the wage history" in out
    before = len(sim.requests)
    status, out, err = run("set", str(POS_ID), "--wage", "17.00", "--effective", "2026-12-15")
    assert status == ExitStatus.USAGE and out == ""
    assert "--effective: 2026-12-15 is on or before the latest wage's (2026-12-15)" in err
    assert "the earliest allowed date is 2026-12-16" in err  # ISO, as dates are typed
    assert writes(sim, before) == []


def test_a_wage_without_effective_that_today_cannot_take_blames_wage(sim: Simulator) -> None:
    """Today (the default) on or before the latest wage: the message says --effective
    was not given and today was taken, never "--effective: effective_date …"."""
    status, _out, err = run(
        "set", str(POS_ID), "--wage", "16.00", "--effective", "2099-01-01", "--yes"
    )
    assert status == ExitStatus.OK, err
    before = len(sim.requests)
    status, out, err = run("set", str(POS_ID), "--wage", "15.00", "--yes")
    assert status == ExitStatus.USAGE and out == ""
    assert "--wage: without --effective the wage takes effect today" in err
    assert "effective_date" not in err and "--effective:" not in err
    assert "the earliest allowed date is 2099-01-02" in err
    assert writes(sim, before) == []


def test_set_template_gives_exactly_its_permissions(sim: Simulator) -> None:
    status, out, err = run("set", str(POS_ID), "--template", "Shift Leader", "--yes")
    assert status == ExitStatus.OK, err
    [leader] = [t for t in sim.store.pos_templates.values() if t.name == "Shift Leader"]
    assert (jordan(sim).grant_ids, jordan(sim).override_ids) == (
        set(leader.grant_ids),
        set(leader.override_ids),
    )
    assert "POS template       General User                   Shift Leader" in out
    assert "verified: the POS permissions are template 'Shift Leader', exactly" in out


def test_dry_run_prints_every_plan_and_writes_nothing(sim: Simulator) -> None:
    before = stored(jordan(sim))
    argv = ["set", str(POS_ID), "--phone", "555 010 0143", "--wage", "16.50"]
    status, out, err = run(*argv, "--effective", "2026-12-20", "--template", "CSA", "--dry-run")
    assert status == ExitStatus.OK, err
    assert out.count("sends 3 requests:") == 3
    assert out.rstrip().endswith("--dry-run: nothing was written")
    assert writes(sim) == [] and stored(jordan(sim)) == before
    assert audit.read() == []


def test_without_a_terminal_nothing_is_written_unless_yes(sim: Simulator) -> None:
    before = stored(jordan(sim))
    piped = io.StringIO("y\n")  # piped input is never consent
    status, out, err = run("set", str(POS_ID), "--phone", "555 010 0143", stdin=piped)
    assert status == ExitStatus.USAGE and "not a terminal" in err and "--yes" in err
    assert "555 010 0143" in out  # the plan was shown
    assert writes(sim) == [] and stored(jordan(sim)) == before


def test_the_prompt_applies_on_y_only(sim: Simulator) -> None:
    argv = ("set", str(POS_ID), "--phone", "555 010 0143")
    status, _, err = run(*argv, stdin=Tty("\n"))
    assert (
        status == ExitStatus.NO
        and "Apply 1 change to Jordan Pilot (POS User ID 4101)? [y/N]" in err
    )
    assert writes(sim) == []
    status, _, err = run(*argv, stdin=Tty("y\n"))
    assert status == ExitStatus.OK, err
    assert jordan(sim).phone == "555 010 0143"


def test_a_change_made_between_plan_and_apply_is_refused_and_nothing_written(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    def edited_in_the_web_ui_meanwhile(question: str, err: object, **kwargs: object) -> bool:
        jordan(sim).phone = "312-555-0999"
        return True

    monkeypatch.setattr(cli_changes, "confirm", edited_in_the_web_ui_meanwhile)
    argv = ("set", str(POS_ID), "--phone", "555 010 0143", "--wage", "16.00", "--yes")
    status, _, err = run(*argv)
    assert status == ExitStatus.CONFLICT
    assert "conflict" in err and "Phone: planned on 312.555.0101, now 312-555-0999" in err
    assert "run the command again" in err
    assert writes(sim) == []  # neither the update nor the wage after it
    assert jordan(sim).phone == "312-555-0999" and len(jordan(sim).wages) == 1
    [event] = audit.read()
    assert event.outcome == "failed"


def test_nothing_to_change_says_so_and_sends_nothing(sim: Simulator) -> None:
    status, out, err = run(
        "set", str(POS_ID), "--phone", jordan(sim).phone, "--template", "General User"
    )
    assert status == ExitStatus.OK, err
    assert out.rstrip().endswith("Jordan Pilot (POS User ID 4101): nothing to change")
    assert writes(sim) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--phone", "12"), "--phone: phone"),
        (("--email", "not-an-email"), "--email:"),
        (("--wage", "15.555"), "--wage: rate must have at most 2 decimals"),
        (("--wage", "15", "--overtime-rate", "10"), "--overtime-rate:"),
        (("--effective", "2026-12-15"), "go with --wage RATE"),
        (("--first-name", "Zq\x1b]0;x\x07"), "--first-name:"),
        ((), "nothing to change: give at least one of --first-name"),
    ],
)
def test_bad_values_name_their_option_before_any_request(
    argv: tuple[str, ...], message: str
) -> None:
    # No simulator and no profile: reaching for the server would fail differently.
    out, err = io.StringIO(), io.StringIO()
    assert main(["set", "4101", *argv], out=out, err=err) == ExitStatus.USAGE
    assert message in err.getvalue()


def test_unknown_names_and_taken_values_are_usage_errors_naming_the_option(
    sim: Simulator,
) -> None:
    for argv, message in (
        (("--sites", "Nowhere"), "--sites: unknown site 'Nowhere'"),
        (("--template", "Astronaut"), "--template: unknown POS template 'Astronaut'"),
        (("--phone", "312-555-0102"), "--phone: phone 312-555-0102 is already in use"),
    ):
        status, _, err = run("set", str(POS_ID), *argv, "--yes")
        assert (status, message in err) == (ExitStatus.USAGE, True), err
    assert writes(sim) == []


def test_set_json_is_one_document_of_the_plans_and_what_was_written(sim: Simulator) -> None:
    argv = ("set", str(POS_ID), "--phone", "555 010 0143", "--template", "CSA", "--json")
    assert run(*argv)[0] == ExitStatus.USAGE  # no question is asked: --yes or --dry-run
    status, out, err = run(*argv, "--dry-run")
    assert status == ExitStatus.OK, err
    update, template = json.loads(out)["plans"]
    assert update["changes"] == [{"field": "phone", "old": "312.555.0101", "new": "555 010 0143"}]
    assert [r["method"] for r in template["requests"]] == ["GET", "POST", "GET"]
    assert (update["written"], template["written"], writes(sim)) == (False, False, [])
    status, out, err = run(*argv, "--yes")
    assert status == ExitStatus.OK, err
    plans = json.loads(out)["plans"]
    assert [p["written"] for p in plans] == [True, True]
    assert plans[0]["verified"] == ["verified: Phone: 555 010 0143"]
    assert jordan(sim).phone == "555 010 0143"


def test_a_change_reaches_the_roster_cache_at_once(sim: Simulator) -> None:
    save_profile(dataclasses.replace(load_profiles()["east"], use_cache=True))
    assert run("find", "4101", "--refresh")[0] == ExitStatus.OK  # the cache is written
    status, _, err = run("set", str(POS_ID), "--phone", "555 010 0143", "--yes")
    assert status == ExitStatus.OK and "from the roster cache" in err
    before = len(sim.requests)
    status, out, err = run("find", "jordan pi")
    assert status == ExitStatus.OK and "from the roster cache" in err
    assert "555 010 0143" in out and len(sim.requests) == before  # no request: the cache's


def test_someone_hired_since_the_cache_was_written_is_asked_of_the_server(
    sim: Simulator,
) -> None:
    """A hire made elsewhere (the app, a bulk run, the web UI) is not in this shell's
    roster cache: a command about to act asks the server before saying "no match"."""
    save_profile(dataclasses.replace(load_profiles()["east"], use_cache=True))
    assert run("find", "4101", "--refresh")[0] == ExitStatus.OK  # the cache is written
    model = jordan(sim)
    newcomer = sim.store.add_employee(
        dataclasses.replace(
            model,
            id=sim.store.next_employee_id(),
            pos_user_id=7707,
            pos_credential_id=sim.store.next_credential_id(),
            first_name="Newly",
            email="newly.hired@example.com",
            phone="555 010 0177",
            department_ids=list(model.department_ids),
            site_ids=set(model.site_ids),
            grant_ids=set(model.grant_ids),
            override_ids=set(model.override_ids),
            wages=list(model.wages),
            extra=dict(model.extra),
        )
    )
    status, out, err = run("show", "7707")
    assert status == ExitStatus.OK, err
    assert "not in the roster cache: asking the server" in err
    assert f"Newly {newcomer.last_name}" in out
