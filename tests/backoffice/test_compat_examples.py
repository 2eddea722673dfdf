"""The public sonnys_backoffice package's example flows, run through our compat names
against the simulator, each followed by a look at what the simulator now stores.

The flows are written here in our own words from that package's documented API: a hire
with a Back Office login, disabling from a CSV, an HRIS reconciliation, and every kind
of modify_employee.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from sonnys_tui.backoffice.compat import (
    BackofficeServerError,
    DuplicateError,
    NotFoundError,
    SonnysBackofficeClient,
    SonnysBackofficeError,
    ValidationError,
)
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Employee


@pytest.fixture
def compat(sim: Simulator) -> Iterator[SonnysBackofficeClient]:
    with SonnysBackofficeClient(**sim.client_kwargs()) as client:
        yield client


def posts(sim: Simulator, since: int = 0) -> list[str]:
    return [r.path for r in sim.requests[since:] if r.method == "POST" and r.path != "/login_check"]


def template_of(sim: Simulator, employee: Employee) -> str:
    return sim.store.template_name_for(employee.grant_ids, employee.override_ids)


def active_with_sites(sim: Simulator, count: int = 1) -> list[Employee]:
    """Active employees the roster shows (they have a site), with an e-mail."""
    found = [e for e in sim.store.employees.values() if e.active and e.site_ids and e.email]
    return found[:count]


def inactive_one(sim: Simulator) -> Employee:
    return next(e for e in sim.store.employees.values() if not e.active and e.site_ids)


def department_ids(sim: Simulator, *names: str) -> list[int]:
    return sorted(d.id for d in sim.store.departments.values() if d.name in names)


# ---------------------------------------------------------------- onboarding


def free_pos_id(client: SonnysBackofficeClient, preferred: int) -> int:
    """The example's helper: the preferred id when free, else one from a range of our own."""
    if client.is_pos_user_id_available(preferred):
        return preferred
    candidate = 50_001
    while not client.is_pos_user_id_available(candidate):
        candidate += 1
    return candidate


def test_onboarding_a_hire_with_a_back_office_login(
    sim: Simulator, compat: SonnysBackofficeClient
) -> None:
    taken = active_with_sites(sim)[0].pos_user_id
    pos_id = free_pos_id(compat, preferred=taken)
    assert pos_id != taken and compat.pos_user_id_exists(taken)
    first_site = compat.list_sites()[0]
    result = compat.create_employee(
        first_name="Marlowe",
        last_name="Quince",
        phone="(555) 010-0991",
        email="marlowe.quince@example.com",
        pos_user_id=pos_id,
        wage_rate=Decimal("15.50"),
        start_date=date(2026, 5, 1),
        available_sites=[first_site.name],
        permission="General User",
        emergency_contact_name="Ines Quince",
        emergency_contact_phone="5550100992",
        requires_backoffice=True,
        backoffice_username="mquince",
    )
    lines = [
        f"Employee created: {result.first_name} {result.last_name}",
        f"  POS User ID: {result.pos_user_id}  PIN: {result.pos_pin}",
        f"  Wage site: {result.wage_site}  Role: {result.permission_applied}",
        f"  BO user {result.backoffice_user_id}: {result.backoffice_username}",
        f"  BO password: {result.backoffice_password}",
        *result.warnings,
    ]
    assert result.backoffice_password is not None
    password = result.backoffice_password.reveal()
    pin = result.pos_pin.reveal()
    printed = "\n".join(lines) + repr(result)
    assert password not in printed and pin not in printed  # secrets stay masked

    employee = sim.store.employees[result.employee_id]
    assert (employee.first_name, employee.last_name, employee.pos_user_id) == (
        "Marlowe",
        "Quince",
        pos_id,
    )
    assert employee.site_ids == {first_site.id} and employee.pos_pin == pin
    assert template_of(sim, employee) == result.permission_applied == "General User"
    assert employee.department_ids == department_ids(sim, "Greeter")
    assert result.sites_granted == [first_site.name] and result.wage_site == first_site.code
    user = sim.store.users[result.backoffice_user_id or 0]
    assert (user.username, user.employee_id, user.active) == ("mquince", employee.id, True)
    assert user.password == password and result.backoffice_username == "mquince"


def test_onboarding_the_same_pos_user_id_twice_is_a_duplicate(
    sim: Simulator, compat: SonnysBackofficeClient
) -> None:
    taken = inactive_one(sim)  # a disabled employee's id stays reserved
    before = len(sim.requests)
    with pytest.raises(DuplicateError) as caught:
        compat.create_employee(
            first_name="Odile",
            last_name="Marsh",
            phone="5550100993",
            email="odile.marsh@example.com",
            pos_user_id=taken.pos_user_id,
            wage_rate=15,
            start_date=date(2026, 5, 1),
            available_sites="all",
            permission="Cashier",
        )
    assert isinstance(caught.value, SonnysBackofficeError)
    assert caught.value.field == "pos_user_id" and posts(sim, before) == []


# ---------------------------------------------------------------- bulk disable from a CSV


def disable_from_csv(client: SonnysBackofficeClient, source: Path, report: Path) -> int:
    """The example's loop: one row at a time, every failure written down, never fatal."""
    failures = 0
    with source.open(newline="") as rows, report.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["key", "status", "employee_id", "error"])
        for row in csv.DictReader(rows):
            raw_id, mail = row["pos_user_id"].strip(), row["email"].strip()
            key = raw_id or mail
            try:
                if raw_id:
                    done = client.disable_employee(pos_user_id=int(raw_id))
                else:
                    done = client.disable_employee(email=mail)
                writer.writerow([key, "disabled", done.employee_id, ""])
            except ValueError as exc:  # int() of a non-number; ours are ValueErrors too
                if isinstance(exc, SonnysBackofficeError):
                    writer.writerow([key, "error", "", f"{type(exc).__name__}: {exc}"])
                else:
                    writer.writerow([key, "error", "", "pos_user_id not an integer"])
                failures += 1
            except NotFoundError as exc:
                writer.writerow([key, "not_found", "", str(exc)])
                failures += 1
            except BackofficeServerError as exc:
                writer.writerow([key, "server_error", "", str(exc)])
                failures += 1
            except SonnysBackofficeError as exc:
                writer.writerow([key, "error", "", f"{type(exc).__name__}: {exc}"])
                failures += 1
    return failures


def test_disabling_from_a_csv_of_emails_and_pos_user_ids(
    sim: Simulator, compat: SonnysBackofficeClient, tmp_path: Path
) -> None:
    by_id, by_mail = active_with_sites(sim, 2)
    gone = inactive_one(sim)
    unknown_id = max(e.pos_user_id for e in sim.store.employees.values()) + 50
    source = tmp_path / "leavers.csv"
    source.write_text(
        "pos_user_id,email\n"
        f"{by_id.pos_user_id},\n"
        f",{by_mail.email.upper()}\n"
        f"{unknown_id},\n"
        "12x4,\n"
        f",{gone.email}\n",
        encoding="utf-8",
    )
    untouched = {e.id: e.active for e in sim.store.employees.values() if e not in (by_id, by_mail)}
    report = tmp_path / "report.csv"
    failures = disable_from_csv(compat, source, report)

    assert not by_id.active and not by_mail.active
    assert {e.id: e.active for e in sim.store.employees.values() if e.id in untouched} == untouched
    statuses = [row["status"] for row in csv.DictReader(report.open(newline=""))]
    # An inactive employee's e-mail is listed nowhere: ours says so (not found), never guesses.
    assert statuses == ["disabled", "disabled", "not_found", "error", "not_found"]
    assert failures == 3


# ---------------------------------------------------------------- HRIS reconciliation


def reconcile(client: SonnysBackofficeClient, rows: list[dict[str, str]]) -> list[str]:
    """Active and missing: hire. Active and present: bring the phone and name up to date.
    Terminated and present: disable. Terminated and missing: nothing."""
    log: list[str] = []
    for row in rows:
        pos_id = int(row["pos_user_id"])
        if row["status"] == "active":
            if client.pos_user_id_exists(pos_id):
                changed = client.modify_employee(
                    pos_user_id=pos_id,
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    phone=row["phone"],
                )
                log.append(f"update {pos_id}: {','.join(changed.changes_applied) or 'none'}")
                continue
            try:
                made = client.create_employee(
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    phone=row["phone"],
                    email=row["email"],
                    pos_user_id=pos_id,
                    wage_rate=Decimal("15.00"),
                    start_date=date.fromisoformat(row["start_date"]),
                    available_sites="all",
                    permission="General User",
                    adp_employee_id=row["hris_id"],
                )
                log.append(f"create {pos_id}: {made.employee_id}")
            except DuplicateError as exc:
                log.append(f"skip {pos_id}: {exc.field}")
        else:
            try:
                done = client.disable_employee(pos_user_id=pos_id)
                log.append(f"disable {pos_id}: {'already' if done.already else 'done'}")
            except NotFoundError:
                log.append(f"skip {pos_id}: not in the Back Office")
    return log


def test_a_small_hris_reconciliation(sim: Simulator, compat: SonnysBackofficeClient) -> None:
    stays, leaves = active_with_sites(sim, 2)
    already_gone = inactive_one(sim)
    new_id = compat.native.next_free_pos_user_id()
    never_here = new_id + 7
    rows = [
        {
            "hris_id": "H-100",
            "first_name": "Tamsin",
            "last_name": "Reyes",
            "email": "tamsin.reyes@example.com",
            "phone": "5550100994",
            "pos_user_id": str(new_id),
            "status": "active",
            "start_date": "2026-06-01",
        },
        {
            "hris_id": "H-101",
            "first_name": stays.first_name,
            "last_name": stays.last_name,
            "email": stays.email,
            "phone": "555 010 0995",
            "pos_user_id": str(stays.pos_user_id),
            "status": "active",
            "start_date": "2024-01-01",
        },
        *(
            {"hris_id": "", "first_name": "", "last_name": "", "email": "", "phone": "",
             "pos_user_id": str(pos_id), "status": "terminated", "start_date": ""}
            for pos_id in (leaves.pos_user_id, already_gone.pos_user_id, never_here)
        ),
    ]  # fmt: skip
    log = reconcile(compat, rows)
    hired = next(e for e in sim.store.employees.values() if e.pos_user_id == new_id)
    assert log == [
        f"create {new_id}: {hired.id}",
        f"update {stays.pos_user_id}: properties",
        f"disable {leaves.pos_user_id}: done",
        f"disable {already_gone.pos_user_id}: already",
        f"skip {never_here}: not in the Back Office",
    ]
    assert (hired.first_name, hired.adp_employee_id, hired.active) == ("Tamsin", "H-100", True)
    assert hired.site_ids == set(sim.store.sites)
    assert stays.phone == "555 010 0995" and stays.active
    assert not leaves.active and not already_gone.active
    # Run again: nothing left to do, and nothing is written.
    before = len(sim.requests)
    again = reconcile(compat, rows)
    assert again[0] == f"update {new_id}: none" and again[1] == f"update {stays.pos_user_id}: none"
    assert posts(sim, before) == []


# ---------------------------------------------------------------- modify_employee, every kind


def test_modify_details(sim: Simulator, compat: SonnysBackofficeClient) -> None:
    employee = active_with_sites(sim)[0]
    result = compat.modify_employee(
        pos_user_id=employee.pos_user_id,
        first_name="  Rosalind ",
        last_name="Achebe",
        phone="(555) 010-0996",
        new_email="rosalind.achebe@example.com",
        departments=["Cashier", "line"],
        adp_employee_id="ADP-2231",
        emergency_contact_name="Kofi Achebe",
        emergency_contact_phone="5550100997",
    )
    assert result.changes_applied == ["properties"] and result.employee_id == employee.id
    assert (employee.first_name, employee.last_name, employee.phone, employee.email) == (
        "Rosalind",
        "Achebe",
        "(555) 010-0996",
        "rosalind.achebe@example.com",
    )
    # That package always keeps Greeter among the departments; so do we, through compat.
    assert employee.department_ids == department_ids(sim, "Cashier", "Line", "Greeter")
    assert (employee.adp_employee_id, employee.emergency_contact_name) == (
        "ADP-2231",
        "Kofi Achebe",
    )
    assert employee.emergency_contact_phone == "5550100997"


def test_modify_sites_to_a_list_then_to_all(sim: Simulator, compat: SonnysBackofficeClient) -> None:
    employee = active_with_sites(sim)[0]
    sites = compat.list_sites()
    wanted = [s for s in sites if s.id not in employee.site_ids][:2]
    result = compat.modify_employee(
        pos_user_id=employee.pos_user_id, available_sites=[s.name for s in wanted]
    )
    assert result.changes_applied == ["properties"]
    assert employee.site_ids == {s.id for s in wanted}
    profile = compat.get_employee_profile(pos_user_id=employee.pos_user_id)
    assert sorted(profile.available_sites) == sorted(s.name for s in wanted)

    compat.modify_employee(pos_user_id=employee.pos_user_id, available_sites="all")
    assert employee.site_ids == {s.id for s in sites}
    assert compat.get_employee_profile(pos_user_id=employee.pos_user_id).available_sites == "all"


def test_modify_wage_without_a_date_takes_effect_today_then_the_day_after(
    sim: Simulator, compat: SonnysBackofficeClient
) -> None:
    employee = active_with_sites(sim)[0]
    latest = employee.latest_wage()
    assert latest is not None and latest.effective_date < date.today()
    first = compat.modify_employee(pos_user_id=employee.pos_user_id, wage_rate=Decimal("18.25"))
    assert first.changes_applied == ["compensation"]
    assert (first.wage_rate, first.wage_effective_date) == (Decimal("18.25"), date.today())
    # The same day again: the Back Office ignores a wage not after the latest, so the
    # default moves to the day after, and says so.
    second = compat.modify_employee(pos_user_id=employee.pos_user_id, wage_rate="18.75")
    assert second.wage_effective_date == date.today() + timedelta(days=1)
    assert any("first day after" in w for w in second.warnings)
    stored = employee.latest_wage()
    assert stored is not None and stored.regular_rate == Decimal("18.75")
    assert stored.effective_date == date.today() + timedelta(days=1)
    # Eligibility kept from the current wage; an eligible overtime rate defaults to 1.5x.
    if latest.overtime_eligible:
        assert stored.overtime_eligible and stored.overtime_rate == Decimal("28.13")


def test_modify_wage_with_a_date_and_an_overtime_rate(
    sim: Simulator, compat: SonnysBackofficeClient
) -> None:
    employee = active_with_sites(sim)[0]
    when = date.today() + timedelta(days=10)
    result = compat.modify_employee(
        pos_user_id=employee.pos_user_id,
        wage_rate=Decimal("20.00"),
        overtime_wage_rate=Decimal("32.00"),
        wage_effective_date=when,
    )
    assert result.wage_effective_date == when and result.changes_applied == ["compensation"]
    stored = employee.latest_wage()
    assert stored is not None and stored.effective_date == when
    assert (stored.regular_rate, stored.overtime_eligible, stored.overtime_rate) == (
        Decimal("20.00"),
        True,
        Decimal("32.00"),
    )
    wages = compat.get_employee_compensation(pos_user_id=employee.pos_user_id)
    assert wages.history[0].rate == Decimal("20.00") and wages.history[0].effective_date == when


def test_a_wage_dated_on_or_before_the_latest_is_refused_not_moved(
    sim: Simulator, compat: SonnysBackofficeClient
) -> None:
    employee = active_with_sites(sim)[0]
    latest = employee.latest_wage()
    assert latest is not None
    before = len(sim.requests)
    with pytest.raises(ValidationError) as caught:
        compat.modify_employee(
            pos_user_id=employee.pos_user_id,
            first_name="Never",
            wage_rate=30,
            wage_effective_date=latest.effective_date,
        )
    assert caught.value.field == "wage_effective_date" and caught.value.wrote_nothing
    assert posts(sim, before) == [] and employee.first_name != "Never"


def test_modify_template(sim: Simulator, compat: SonnysBackofficeClient) -> None:
    employee = next(
        e for e in active_with_sites(sim, 10) if template_of(sim, e) not in ("CSA", "Custom")
    )
    result = compat.modify_employee(pos_user_id=employee.pos_user_id, permission="csa")
    assert result.changes_applied == ["permission"] and result.permission_applied == "CSA"
    assert template_of(sim, employee) == "CSA"
    permission = compat.get_employee_permission(pos_user_id=employee.pos_user_id)
    assert permission.template_name == "CSA" and not permission.is_custom
    assert permission.granted_permission_ids == frozenset(employee.grant_ids)
    # Already so: nothing written, and the result still names the template.
    before = len(sim.requests)
    again = compat.modify_employee(pos_user_id=employee.pos_user_id, permission="CSA")
    assert again.changes_applied == [] and again.permission_applied == "CSA"
    assert posts(sim, before) == []


def test_an_unknown_template_is_not_found_and_nothing_is_written(
    sim: Simulator, compat: SonnysBackofficeClient
) -> None:
    employee = active_with_sites(sim)[0]
    before = len(sim.requests)
    with pytest.raises(NotFoundError) as caught:
        compat.modify_employee(
            pos_user_id=employee.pos_user_id, first_name="Never", permission="Astronaut"
        )
    assert isinstance(caught.value, ValidationError)  # ours: an unknown name
    assert caught.value.field == "permission" and "Cashier" in str(caught.value)
    assert posts(sim, before) == [] and employee.first_name != "Never"


def test_reactivate_with_sites_then_deactivate(
    sim: Simulator, compat: SonnysBackofficeClient
) -> None:
    employee = inactive_one(sim)
    site = next(s for s in compat.list_sites() if s.id not in employee.site_ids)
    result = compat.modify_employee(
        pos_user_id=employee.pos_user_id, activate=True, available_sites=[site.code]
    )
    assert result.changes_applied == ["activated", "properties"]
    assert employee.active and employee.site_ids == {site.id}
    assert compat.get_employee(pos_user_id=employee.pos_user_id).is_active

    off = compat.modify_employee(pos_user_id=employee.pos_user_id, activate=False)
    assert off.changes_applied == ["deactivated"] and not employee.active
    before = len(sim.requests)
    again = compat.modify_employee(pos_user_id=employee.pos_user_id, activate=False)
    assert again.changes_applied == [] and posts(sim, before) == []


def test_several_parts_at_once_in_one_call(sim: Simulator, compat: SonnysBackofficeClient) -> None:
    employee = active_with_sites(sim)[0]
    result = compat.modify_employee(
        email=employee.email,
        last_name="Lindqvist",
        wage_rate=Decimal("21.00"),
        permission="Manager",
    )
    assert result.changes_applied == ["properties", "compensation", "permission"]
    latest = employee.latest_wage()
    assert employee.last_name == "Lindqvist" and template_of(sim, employee) == "Manager"
    assert latest is not None and latest.regular_rate == Decimal("21.00")


def test_a_part_that_fails_says_which_parts_were_written(
    sim: Simulator, compat: SonnysBackofficeClient
) -> None:
    employee = active_with_sites(sim)[0]
    sim.faults.add("/employee/permissions/update", method="POST", kind="alert", when="before")
    with pytest.raises(SonnysBackofficeError) as caught:
        compat.modify_employee(
            pos_user_id=employee.pos_user_id, last_name="Halvorsen", permission="Manager"
        )
    assert employee.last_name == "Halvorsen" and template_of(sim, employee) != "Manager"
    assert "properties written and verified" in (caught.value.state or "")


# ---------------------------------------------------------------- quick start, guides


def test_quick_start_create_then_disable(sim: Simulator, compat: SonnysBackofficeClient) -> None:
    pos_id = free_pos_id(compat, preferred=50_001)
    assert compat.is_email_available("noor.vance@example.com")
    made = compat.create_employee(
        first_name="Noor",
        last_name="Vance",
        phone="555-010-0998",
        email="noor.vance@example.com",
        pos_user_id=pos_id,
        wage_rate=Decimal("15.50"),
        start_date=date(2026, 5, 1),
        available_sites="all",
        permission="cashier",
        departments=["Line"],
    )
    employee = sim.store.employees[made.employee_id]
    assert employee.active and template_of(sim, employee) == made.permission_applied == "Cashier"
    assert employee.department_ids == department_ids(sim, "Line", "Greeter")
    assert compat.pos_user_id_exists(pos_id) and not compat.is_pos_user_id_available(pos_id)
    disabled = compat.disable_employee(pos_user_id=pos_id)
    assert disabled.employee_id == made.employee_id and disabled.disabled_at.tzinfo is not None
    assert not employee.active and compat.pos_user_id_exists(pos_id)  # the id stays reserved


def test_a_linked_back_office_user_by_a_pos_user_id_given_as_text(
    sim: Simulator, compat: SonnysBackofficeClient
) -> None:
    employee = next(
        e
        for e in active_with_sites(sim, 20)
        if not any(u.employee_id == e.id for u in sim.store.users.values())
    )
    made = compat.create_backoffice_user(
        username="lnkd_user",
        email="lnkd.user@example.com",
        permission="manager",
        link_to_employee_pos_user_id=str(employee.pos_user_id),
    )
    assert made.linked_employee_id == employee.id and made.sites_granted == ["all"]
    user = sim.store.users[made.user_id]
    assert (user.employee_id, user.username, user.active) == (employee.id, "lnkd_user", True)
    assert made.password.reveal() == user.password and user.password not in repr(made)


def test_the_permission_dropdown_pattern(sim: Simulator, compat: SonnysBackofficeClient) -> None:
    employee = active_with_sites(sim)[0]
    choices = [p.name for p in compat.list_permissions(scope="pos")]
    current = compat.get_employee_permission(pos_user_id=employee.pos_user_id)
    assert current.template_name in (*choices, None)
    chosen = next(name for name in choices if name != current.template_name)
    compat.modify_employee(pos_user_id=employee.pos_user_id, permission=chosen)
    assert compat.get_employee_permission(pos_user_id=employee.pos_user_id).template_name == chosen
    assert template_of(sim, employee) == chosen
