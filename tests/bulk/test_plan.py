"""Planning: every row resolved on the tenant's lists, with no request per row."""

from __future__ import annotations

import dataclasses

from sonnys_tui.simulator import Simulator
from sonnys_tui.tenant import Tenant

from .conftest import HIRE_HEADER, WriteCsv, hire_line, planned


def test_each_action_plans_what_it_would_do(
    sim: Simulator, tenant: Tenant, write_csv: WriteCsv
) -> None:
    path = write_csv(
        "action,pos_user_id,first_name,last_name,phone,available_sites,permission,wage_rate,"
        "effective_date,backoffice\n"
        "update,4117,,,(555) 010-0142,HARB,Cashier,,,\n"
        "update,4149,Blake,,,,,,,\n"  # as it is already
        "wage,4130,,,,,,16.25,2027-01-01,\n"
        "offboard,4101,,,,,,,,yes\n"  # Jordan Pilot and the Back Office login JPilot
        "offboard,4103,,,,,,,,\n"  # already inactive
        "reinstate,,Riley,Demo,312-555-0139,,,,,\n"  # found by name and phone
    )
    plan = planned(tenant, path)
    statuses = [(row.line, row.action, row.status) for row in plan.rows]
    assert statuses == [
        (2, "update", "change"),
        (3, "update", "skip"),
        (4, "wage", "change"),
        (5, "offboard", "disable"),
        (6, "offboard", "skip"),
        (7, "reinstate", "enable"),
    ]
    update, _, wage, offboard, inactive, reinstate = plan.rows
    assert [f"{c.field}: {c.old} → {c.new}" for c in update.changes] == [
        "phone: 3125550117 → (555) 010-0142",
        "available_sites: HARB, PINE, WHEAT → HARB",
        "permission: Shift Leader → Cashier",
    ]
    assert wage.changes[0].new == "16.25 from 2027-01-01"
    assert "checked at apply" in wage.notes[0]  # the roster has no wages
    assert [c.field for c in offboard.changes] == ["POS login", "Back Office login JPilot"]
    assert inactive.reason == "already inactive"
    assert reinstate.person == "Riley Demo (POS 4139)"


def test_planning_costs_no_request_once_the_lists_are_loaded(
    sim: Simulator, tenant: Tenant, write_csv: WriteCsv
) -> None:
    from sonnys_tui import bulk

    rows = "\n".join(hire_line(6000 + i, "Gen", f"Hire{i}", f"555010{i:04d}") for i in range(50))
    path = write_csv(f"{HIRE_HEADER}\n{rows}\n")
    data = bulk.read(path)
    bulk.load(tenant, data)
    before = len(sim.requests)
    plan = bulk.plan(tenant, data)
    assert len(sim.requests) == before
    assert plan.counts() == {"create": 50}


def test_every_planning_error_names_its_reason_and_column(
    sim: Simulator, tenant: Tenant, write_csv: WriteCsv
) -> None:
    # Two employees with one name and one phone: finding them by name is ambiguous.
    twin = sim.store.employee_by_pos_id(4149)
    assert twin is not None
    sim.store.add_employee(
        dataclasses.replace(twin, id=sim.store.next_employee_id(), pos_user_id=4999)
    )
    expected = [
        (hire_line(4117, "Zed", "Other", "5550100301"), "pos_user_id", "taken by Avery Pilot"),
        (
            hire_line(5001, "Ann", "One", "5550100302", email="jordan.pilot1@example.com"),
            "email",
            "e-mail jordan.pilot1@example.com is taken",
        ),
        (hire_line(5002, "Ann", "Two", "3125550117"), "phone", "taken by Avery Pilot"),
        (hire_line(5003, "Ann", "Three", "5550100303"), None, None),  # fine
        (hire_line(5003, "Ann", "Four", "5550100304"), "pos_user_id", "duplicate within the file"),
        (
            hire_line(5005, "Ann", "Five", "5550100305", email="ann.three@example.com"),
            "email",
            "duplicate within the file: e-mail ann.three@example.com on line 5",
        ),
        (hire_line(5006, "Ann", "Six", "555 010 0303"), "phone", "duplicate within the file"),
        (
            hire_line(5007, "Ann", "Seven", "5550100307", available_sites="Moon"),
            "available_sites",
            "unknown site 'Moon'",
        ),
        (
            hire_line(5008, "Ann", "Eight", "5550100308", departments="Bakery"),
            "departments",
            "unknown department 'Bakery'",
        ),
        (
            hire_line(5009, "Ann", "Nine", "5550100309", permission="Wizard"),
            "permission",
            "unknown POS template 'Wizard'",
        ),
        (hire_line(5010, "Ann", "Ten", "12"), "phone", "9 or 10 digits"),
        (hire_line(5011, "Ann", "Eleven", "5550100311", wage_rate="abc"), "wage_rate", "amount"),
        (
            hire_line(5012, "Ann", "Twelve", "5550100312", start_date="2026-13-01"),
            "start_date",
            "YYYY-MM-DD",
        ),
        (
            hire_line(5013, "Ann", "Thirteen", "5550100313", email="nobody"),
            "email",
            "e-mail address",
        ),
        (hire_line(5014, "Ann", "Fourteen", "5550100314", permission=""), "permission", "required"),
        (hire_line(0, "Ann", "Zero", "5550100315"), "pos_user_id", "between 1 and"),
        (
            "hire,x1,Ann,X,5550100316,ax@example.com,1,2026-12-01,HARB,Cashier,Cashier",
            "pos_user_id",
            "whole number",
        ),
        ("update,4242,,,,,,,,,", "pos_user_id", "no employee has POS User ID 4242"),
        ("update,4117,,,,,,,Moon,,", "available_sites", "unknown site 'Moon'"),
        ("update,4130,,,,,,,,,Wizard", "permission", "unknown POS template"),
        ("update,4149,,,,,,,,,Cashier", None, None),  # fine
        (
            "update,4149,,,,,,,,Greeter,",
            "pos_user_id",
            "duplicate within the file: this person has another update on line 22",
        ),
        ("wage,,Nobody,Here,5550100399,,,,,,", "first_name", "no employee named Nobody Here"),
        (
            "wage,,Blake,Fixture,(312) 555-0149,,,,,,",
            "first_name",
            "2 employees are named Blake Fixture",
        ),
        ("wage,4130,,,,,,,,,", "wage_rate", "required for a wage"),
        ("update,4145,,,3125550117,,,,,,", "phone", "phone 3125550117 is taken by Avery Pilot"),
        ("fire,4130,,,,,,,,,", "action", "unknown action 'fire'"),
    ]
    path = write_csv(HIRE_HEADER + "\n" + "\n".join(line for line, _, _ in expected) + "\n")
    plan = planned(tenant, path)
    got = [(row.line, row.status, row.column, row.reason) for row in plan.rows]
    for (line, status, column, reason), (_, want_column, want) in zip(got, expected, strict=True):
        if want is None:
            assert status != "error", (line, reason)
            continue
        assert (status, column, want in reason) == ("error", want_column, True), (line, reason)
    assert plan.has_errors


def test_a_hire_already_made_is_done_and_a_bad_wage_site_is_refused(
    tenant: Tenant, write_csv: WriteCsv
) -> None:
    path = write_csv(
        f"{HIRE_HEADER},wage_site\n"
        + hire_line(4117, "Avery", "Pilot", "3125550117")
        + ",\n"
        + hire_line(5100, "Ann", "Site", "5550100320")
        + ",NILES\n"
    )
    same, bad_site = planned(tenant, path).rows
    assert (same.status, same.reason) == ("skip", "employee 417 has POS User ID 4117")
    assert (bad_site.status, bad_site.column) == ("error", "wage_site")


def test_one_action_for_a_whole_file_and_the_back_office_login_of_a_hire(
    tenant: Tenant, write_csv: WriteCsv
) -> None:
    from sonnys_tui import bulk

    leavers = write_csv("pos_user_id\n4117\n4149\n", name="leavers.csv")
    data = bulk.read(leavers)
    bulk.load(tenant, data, "offboard")
    assert [r.status for r in bulk.plan(tenant, data, action="offboard").rows] == ["disable"] * 2
    assert bulk.plan(tenant, data).rows[0].column == "action"  # no action at all: an error

    header = HIRE_HEADER + ",backoffice,backoffice_username"
    path = write_csv(
        f"{header}\n"
        + hire_line(5201, "Bo", "One", "5550100521") + ",yes,JPilot\n"
        + hire_line(5202, "Bo", "Two", "5550100522") + ",yes,\n"
        + hire_line(5203, "Bo", "Three", "5550100523") + ",maybe,\n"
        + hire_line(5204, "Bo", "Four", "5550100524") + ",yes,BFour\n"
    )  # fmt: skip
    taken, missing, unclear, fine = planned(tenant, path).rows
    assert (taken.column, taken.reason) == (
        "backoffice_username",
        "Back Office username 'JPilot' is taken",
    )
    assert (missing.column, missing.reason) == (
        "backoffice_username",
        "required when backoffice is yes",
    )
    assert unclear.column == "backoffice"
    assert fine.status == "create" and fine.hire is not None
    assert fine.hire.get("backoffice_username") == "BFour" and "+ a Back Office login" in fine.notes


def test_a_hire_done_before_owns_its_login_and_a_missing_login_is_resumed(
    tenant: Tenant, write_csv: WriteCsv
) -> None:
    """Jordan Pilot (4101) exists with the login JPilot; SDraft is Sage Draft's."""
    header = HIRE_HEADER + ",backoffice,backoffice_username"
    path = write_csv(
        f"{header}\n"
        + hire_line(4101, "Jordan", "Pilot", "5550100531") + ",yes,JPilot\n"
        + hire_line(4102, "Sage", "Draft", "5550100532") + ",yes,SDraftTwo\n"
        + hire_line(4104, "Finley", "Placeholder", "5550100533") + ",yes,SDraft\n"
    )  # fmt: skip
    own, missing, other = planned(tenant, path).rows
    assert own.status == "skip"
    assert missing.status == "resume" and "SDraftTwo is missing" in missing.reason
    assert (other.status, other.column) == ("error", "backoffice_username")
    assert other.reason == "Back Office username 'SDraft' is taken by Sage Draft"


def test_the_employees_the_roster_hides_hold_their_ids_and_phones(
    sim: Simulator, tenant: Tenant, write_csv: WriteCsv
) -> None:
    """Val Trialson (4106) and Zion Prototype (4107) have no site: the roster never shows
    them, yet a hire with their POS User ID or phone would be refused or duplicate one."""
    hidden = " active, hidden from the roster: no site"
    expected = [
        (hire_line(4106, "Ann", "Taken", "5550100401"), "pos_user_id", "Val Trialson (POS 4106),"),
        (hire_line(5101, "Ann", "Phone", "(312) 555-0107"), "phone", "Zion Prototype (POS 4107),"),
        ("update,4145,,,312.555.0106,,,,,,", "phone", "taken by Val Trialson (POS 4106),"),
        (hire_line(5102, "Ann", "Free", "5550100402"), None, None),
    ]
    path = write_csv(HIRE_HEADER + "\n" + "\n".join(line for line, _, _ in expected) + "\n")
    before = len(sim.requests)
    plan = planned(tenant, path)
    got = [(row.status, row.column, row.reason) for row in plan.rows]
    for (status, column, reason), (_, want_column, want) in zip(got, expected, strict=True):
        if want is None:
            assert status == "create", reason
            continue
        assert (status, column) == ("error", want_column), reason
        assert want in reason and reason.endswith(hidden), reason
    # Read with the lists: /user/create once and their two edit pages, no more.
    edit_pages = [r.path for r in sim.requests[before:] if r.path.startswith("/employee/edit/")]
    assert len(edit_pages) == 2
    planned(tenant, path)
    assert [r.path for r in sim.requests if r.path.startswith("/employee/edit/")] == edit_pages
