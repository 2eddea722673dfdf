"""`sonnys-tui offboard`, `reinstate` and `access-review` against the simulator (issue 11).

The demo tenant's Back Office logins: JPilot (Jordan Pilot, POS 4101), SDraft (Sage
Draft, 4102), FPlaceholder (Finley Placeholder, 4104); Casey Placeholder (4108) has none.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import get_args

import pytest

from sonnys_tui.backoffice.models import EmployeeRow, Offboarded
from sonnys_tui.backoffice.review import Evidence
from sonnys_tui.cli import ExitStatus, main
from sonnys_tui.config import Profile, save_profile
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import BoUser

EAST = ("--profile", "east")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main([*argv, *EAST], out=out, err=err)
    return status, out.getvalue(), err.getvalue()


class Terminal(io.StringIO):
    """A stdin that is a terminal, answering the prompt with what it holds."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def sim(monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulator]:
    """The demo tenant on loopback behind the profile 'east'; stdin is no terminal."""
    sim = Simulator.demo()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with sim.serve() as base_url:
        save_profile(
            Profile(name="east", subdomain="east", username=sim.username, base_url=base_url)
        )
        monkeypatch.setenv("SONNYS_PASSWORD", sim.password)
        yield sim


def writes(sim: Simulator, since: int = 0) -> list[str]:
    """The writes the server received (the login excepted)."""
    return [
        r.path
        for r in sim.requests[since:]
        if r.method == "POST" and not r.path.startswith("/login")
    ]


def add_login(sim: Simulator, employee_id: int | None, username: str, **kw: object) -> BoUser:
    store = sim.store
    employee = store.employees[employee_id] if employee_id is not None else None
    fields: dict[str, object] = {
        "first_name": employee.first_name if employee else "Temp",
        "last_name": employee.last_name if employee else "Contractor",
        # Linked, a login shows its employee's e-mail (the server's rule).
        "email": employee.email if employee else f"{username.lower()}@example.com",
        "tokens": set(store.bo_templates[3].tokens),
        "site_ids": set(employee.site_ids) if employee else {min(store.sites)},
    }
    fields.update(kw)
    user = BoUser(
        id=store.next_user_id(),
        username=username,
        password="not-a-real-password",
        employee_id=employee_id,
        **fields,  # type: ignore[arg-type]
    )
    store.add_user(user)
    return user


# ----------------------------------------------------------------------- offboard


def test_offboard_with_no_login_closes_the_pos_login(sim: Simulator) -> None:
    status, out, err = run("offboard", "4108", "--yes")
    assert status == ExitStatus.OK, err
    assert "no Back Office login is linked" in out
    assert "closed: POS login, verified" in out
    assert not sim.store.employees[408].active
    assert writes(sim) == ["/employee/update"]
    assert all(len(line) <= 80 for line in out.splitlines())


def test_offboard_with_one_login_closes_both_doors(sim: Simulator) -> None:
    status, out, err = run("offboard", "4102", "--yes")
    assert status == ExitStatus.OK, err
    assert "closed: Back Office login SDraft (user 3000003), verified" in out
    assert "closed: POS login, verified" in out
    assert "2 door(s) closed" in out
    store = sim.store
    assert not store.employees[402].active and not store.users[3000003].active
    assert sorted(writes(sim)) == ["/employee/update", "/user/update"]


def test_two_logins_one_inactive_then_a_rerun_writes_nothing(sim: Simulator) -> None:
    spare = add_login(sim, 401, "JPilotOld", active=False)
    status, out, err = run("offboard", "4101", "--yes")
    assert status == ExitStatus.OK, err
    plan = out.split("closed: POS login")[0]
    assert "JPilot (user 3000002)" in plan and "will close" in plan
    assert f"Back Office login JPilotOld (user {spare.id})" in plan
    assert "already closed" in plan  # the inactive one is marked, and not written
    assert f"already closed: Back Office login JPilotOld (user {spare.id})" in out
    assert sorted(writes(sim)) == ["/employee/update", "/user/update"]
    assert not sim.store.users[3000002].active

    before = len(sim.requests)
    status, out, err = run("offboard", "4101", "--yes")
    assert status == ExitStatus.OK, err
    assert "is already offboarded: nothing was written" in out
    assert writes(sim, before) == []


def test_keep_backoffice_closes_only_the_pos_login(sim: Simulator) -> None:
    status, out, err = run("offboard", "4102", "--yes", "--keep-backoffice")
    assert status == ExitStatus.OK, err
    assert "left open: Back Office login SDraft (user 3000003) (--keep-backoffice)" in out
    assert not sim.store.employees[402].active and sim.store.users[3000003].active
    assert writes(sim) == ["/employee/update"]


def test_without_a_terminal_or_yes_it_refuses_and_writes_nothing(sim: Simulator) -> None:
    status, out, err = run("offboard", "4102")
    assert status == ExitStatus.USAGE
    assert "not a terminal" in err and "--yes" in err
    assert "will close" in out  # the plan is still shown
    status, out, err = run("offboard", "4102", "--dry-run", "--json")
    assert status == ExitStatus.OK, err
    plan = json.loads(out)
    assert plan["written"] is False
    assert [(d["kind"], d["state"], d["change"]) for d in plan["doors"]] == [
        ("pos", "open", True),
        ("backoffice", "open", True),
    ]
    assert writes(sim) == [] and sim.store.employees[402].active


def test_the_prompt_writes_only_on_yes(sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", Terminal("\n"))  # Enter: the default, no
    status, _out, err = run("offboard", "4102")
    assert status == ExitStatus.NO and "Offboard? [y/N]" in err and "nothing was changed" in err
    assert writes(sim) == []
    monkeypatch.setattr("sys.stdin", Terminal("y\n"))
    status, out, err = run("offboard", "4102")
    assert status == ExitStatus.OK, err
    assert "closed: POS login, verified" in out
    assert not sim.store.employees[402].active


def test_a_stop_part_way_says_what_is_closed_and_a_rerun_finishes(sim: Simulator) -> None:
    # The login is closed first; then the employee's update fails.
    sim.faults.add(path="/employee/update", method="POST", kind="500")
    status, out, err = run("offboard", "4102", "--yes")
    assert status == ExitStatus.FAILED
    assert "done, verified: Back Office login SDraft (user 3000003) closed" in err
    assert "employee 402 (Sage Draft, POS User ID 4102) is not disabled" in err
    assert "Run `sonnys-tui offboard 4102 --profile east` again to finish" in err
    assert not sim.store.users[3000003].active and sim.store.employees[402].active

    before = len(sim.requests)
    status, out, err = run("offboard", "4102", "--yes")
    assert status == ExitStatus.OK, err
    assert "already closed: Back Office login SDraft (user 3000003)" in out
    assert "closed: POS login, verified" in out
    assert writes(sim, before) == ["/employee/update"]  # the login is not written again
    assert not sim.store.employees[402].active


def test_a_login_linked_after_the_plan_is_closed_and_said(
    sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sonnys_tui.tenant import Tenant

    offboard = Tenant.offboard

    def late_login(self: Tenant, row: EmployeeRow, *, backoffice: bool = True) -> Offboarded:
        add_login(sim, 402, "SDraftNew")  # made in the browser while the prompt was up
        return offboard(self, row, backoffice=backoffice)

    monkeypatch.setattr(Tenant, "offboard", late_login)
    status, out, err = run("offboard", "4102", "--yes")
    assert status == ExitStatus.OK, err
    assert "SDraftNew" not in out.split("closed:")[0]  # not in the plan
    assert "closed: Back Office login SDraftNew (user 3000006), verified" in out
    assert "3 door(s) closed" in out and not sim.store.users[3000006].active


def test_the_query_names_exactly_one_employee(sim: Simulator) -> None:
    status, out, err = run("offboard", "prototype", "--yes")
    assert status == ExitStatus.USAGE and "employees match 'prototype'" in err and out == ""
    assert "Emery Prototype" in err and "Xen Prototype" in err  # listed to choose from
    assert run("offboard", "zzzz", "--yes")[0] == ExitStatus.NOT_FOUND
    assert writes(sim) == []


def test_reinstate_reopens_the_logins_only_when_asked(sim: Simulator) -> None:
    assert run("offboard", "4102", "--yes")[0] == ExitStatus.OK
    status, out, err = run("reinstate", "4102", "--yes")
    assert status == ExitStatus.OK, err
    assert "left closed: Back Office login SDraft (user 3000003) (--with-backoffice)" in out
    assert sim.store.employees[402].active and not sim.store.users[3000003].active
    status, out, err = run("reinstate", "4102", "--yes", "--with-backoffice", "--json")
    assert status == ExitStatus.OK, err
    doors = {d["kind"]: d for d in json.loads(out)["doors"]}
    assert doors["backoffice"]["state"] == "open" and doors["backoffice"]["change"]
    assert doors["pos"]["change"] is False  # already open: not written again
    assert sim.store.users[3000003].active


# ----------------------------------------------------------------------- access review


@pytest.fixture
def risky(sim: Simulator) -> Simulator:
    """A login of an inactive employee, a login of no one, an Administrator."""
    add_login(sim, 403, "EPrototype")  # 403 is inactive
    add_login(sim, None, "temp_contractor")
    add_login(sim, 408, "CPlaceholder", tokens=set(sim.store.bo_templates[1].tokens))
    _no_hidden(sim)
    return sim


def test_access_review_table_riskiest_first_and_exit_1(risky: Simulator) -> None:
    status, out, err = run("access-review")
    assert status == ExitStatus.NO, err
    lines = out.splitlines()
    assert lines[0].split() == ["Rule", "User", "Linked", "employee", "Evidence"]
    assert lines[1].split()[:4] == ["employee", "inactive", "EPrototype", "Emery"]
    assert lines[2].split()[:4] == ["no", "employee", "temp_contractor", "-"]
    evidence = [line[line.rindex("  ") :].strip() for line in lines[1:3]]
    assert evidence[0] in get_args(Evidence) and evidence[1] == "none"  # whole, not "edit pa…"
    said = " ".join(out.split())  # the sentence is wrapped to 80 columns
    assert (
        "2 risk(s) among 7 active Back Office users, 1 of them this tool's own login "
        f"({risky.username}), left out of the review." in said
    )
    assert "Not checked: the Administrator and site rules for 6 user(s)" in out
    assert all(len(line) <= 80 for line in lines)

    status, out, err = run("access-review", "--permission-pages", "10", "--json")
    assert status == ExitStatus.NO, err
    review = json.loads(out)
    found = [(f["rule"], f["username"]) for f in review["findings"]]
    assert found == [
        ("linked_employee_inactive", "EPrototype"),
        ("not_linked", "temp_contractor"),
        ("administrator", "CPlaceholder"),
    ]
    assert review["risks"] == 3 and review["permissions_unread"] == []
    assert review["left_out"] == {"own_login": [risky.username]}
    # Each finding: its own fields, whether its link was confirmed, and whom it names.
    assert {key for f in review["findings"] for key in f} == {
        "rule",
        "user_id",
        "username",
        "employee_id",
        "action",
        "detail",
        "evidence",
        "confirmed",
        "employee_name",
    }
    assert all(isinstance(f["confirmed"], bool) for f in review["findings"])


def _no_hidden(sim: Simulator) -> None:
    """Every active employee given a site: none hidden from the roster (a risk itself)."""
    for employee in sim.store.employees.values():
        if employee.active and not employee.site_ids:
            employee.site_ids = {min(sim.store.sites)}


def test_access_review_of_a_clean_tenant_exits_0(sim: Simulator) -> None:
    _no_hidden(sim)
    status, out, err = run("access-review", "--confirm-links", "10", "--permission-pages", "10")
    assert status == ExitStatus.OK, err
    assert "No risks found among 4 active Back Office users, 1 of them this tool's" in " ".join(
        out.split()
    )
    assert "Every active user's link and permissions were read." in out


# ------------------------------------------------------------ employees the roster hides


def test_an_employee_with_no_site_is_reached_by_pos_user_id(sim: Simulator) -> None:
    """Val Trialson (4106) and Zion Prototype (4107) have no site: the list hides them."""
    status, out, err = run("show", "4106")
    assert status == ExitStatus.OK, err
    assert "Val Trialson (POS User ID 4106, active)" in out and "no available site" in err
    status, out, err = run("offboard", "4107", "--yes")
    assert status == ExitStatus.OK, err
    assert not sim.store.employees[407].active


def test_access_review_lists_employees_the_roster_hides_with_their_fixes(sim: Simulator) -> None:
    status, out, err = run("access-review")
    assert status == ExitStatus.NO, err
    lines = out.splitlines()
    assert {" ".join(line.split()) for line in lines[1:3]} == {
        "hidden: no site - Val Trialson (4106) edit page",  # the evidence whole
        "hidden: no site - Zion Prototype (4107) edit page",
    }
    assert all(len(line) <= 80 for line in lines)
    said = " ".join(out.split())
    assert "active employees hidden from the roster: no available site" in said
    assert "fix: give them a site (sonnys-tui set POS_USER_ID --sites …), or offboard" in said
    status, out, _ = run("access-review", "--json")
    hidden = json.loads(out)["hidden_employees"]
    assert [(h["pos_user_id"], h["rule"]) for h in hidden] == [
        (4107, "hidden_no_site"),
        (4106, "hidden_no_site"),
    ]
