"""Changing an existing employee against the simulator (both tenant shapes): every
field alone and together, sites both ways, duplicates, unknown names, the POS User ID,
and what ``get_employee`` now reads (wages, POS access)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.backoffice.errors import (
    DuplicateError,
    NotFoundError,
    UnknownNameError,
    ValidationError,
)
from sonnys_tui.backoffice.models import EmployeeRow
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Employee, Store

from .conftest import make_client

Client = SonnysBackofficeClient


def warm(client: Client) -> None:
    """Every cache an update may use: then an operation sends only its own requests."""
    client.list_sites()
    client.list_permissions(scope="pos")
    client.list_employees()
    client.is_email_available("warm.up@example.com")
    client.hidden_employees()  # their POS User IDs and phones are taken too


@pytest.fixture
def warm_client(sim: Simulator) -> Iterator[Client]:
    with make_client(sim) as client:
        warm(client)
        yield client


def target(sim: Simulator, **wanted: Any) -> Employee:
    """An active, listed employee with an e-mail and a wage (plus ``wanted`` attributes)."""
    return next(
        e
        for e in sim.store.employees.values()
        if e.active
        and e.site_ids
        and e.email
        and e.wages
        and all(getattr(e, k) == v for k, v in wanted.items())
    )


def snapshot(store: Store) -> dict[int, dict[str, Any]]:
    return {i: dataclasses.asdict(e) for i, e in store.employees.items()}


def sent(sim: Simulator, since: int) -> list[str]:
    return [f"{r.method} {r.path}" for r in sim.requests[since:]]


def assert_only(
    store: Store, before: dict[int, dict[str, Any]], employee_id: int, changed: set[str]
) -> None:
    """Every stored employee is as before, but the named fields of ``employee_id``."""
    after = snapshot(store)
    assert after.keys() == before.keys()
    for i, data in before.items():
        now = after[i]
        if i == employee_id:
            now = {k: (data[k] if k in changed else v) for k, v in now.items()}
        assert now == data, f"employee {i} changed: {set(k for k in data if now[k] != data[k])}"


# ------------------------------------------------------------------ get_employee


def test_get_employee_reads_the_record_its_wages_and_its_pos_access(
    sim: Simulator, warm_client: Client
) -> None:
    stored = target(sim)
    stored.wages.append(
        dataclasses.replace(stored.wages[0], effective_date=date(2099, 1, 1), regular_rate=99)
    )
    before = len(sim.requests)
    record = warm_client.get_employee(stored.id)
    assert sent(sim, before) == [
        f"GET /employee/edit/{stored.id}",
        f"GET /employee/compensation/{stored.id}",
        f"GET /employee/permissions/{stored.id}",
    ]
    assert record.pos_user_id == stored.pos_user_id and record.site_ids == stored.site_ids
    assert record.pos_pin.reveal() == stored.pos_pin and stored.pos_pin not in repr(record)
    assert set(record.site_codes) == {sim.store.sites[i].code for i in stored.site_ids}
    assert record.wages is not None
    wanted = sorted(stored.wages, key=lambda w: w.effective_date, reverse=True)
    assert [
        (w.effective_date, w.rate, w.overtime_eligible, w.overtime_rate) for w in record.wages
    ] == [(w.effective_date, w.regular_rate, w.overtime_eligible, w.overtime_rate) for w in wanted]
    # The future wage is the newest, but the one in effect today is the current one.
    assert record.current_wage == record.wages[1]
    assert record.wages[1].end_date == date(2099, 1, 1) and record.wages[0].end_date is None
    assert record.pos_access is not None
    assert record.pos_access.granted == stored.grant_ids
    assert record.pos_access.access == sim.store.template_name_for(
        stored.grant_ids, stored.override_ids
    )


def test_get_employee_parts_can_be_left_out_and_pos_user_id_finds_it(
    sim: Simulator, warm_client: Client
) -> None:
    stored = target(sim)
    before = len(sim.requests)
    record = warm_client.get_employee(pos_user_id=stored.pos_user_id, wages=False, pos_access=False)
    assert record.employee_id == stored.id and record.wages is None and record.pos_access is None
    assert sent(sim, before) == [f"GET /employee/edit/{stored.id}"]  # the roster knew the id
    with pytest.raises(NotFoundError):
        warm_client.get_employee(999_999)
    with pytest.raises(ValidationError):
        warm_client.get_employee(stored.id, pos_user_id=stored.pos_user_id)


def test_a_template_match_is_exact_or_custom_or_none(sim: Simulator, warm_client: Client) -> None:
    stored = target(sim)
    cashier = next(t for t in sim.store.pos_templates.values() if t.name == "Cashier")
    stored.grant_ids, stored.override_ids = set(cashier.grant_ids), set(cashier.override_ids)
    assert warm_client.get_employee(stored.id).pos_access.template == "Cashier"  # type: ignore[union-attr]
    stored.override_ids = set()  # the same grants without the approvals: not Cashier
    access = warm_client.get_employee(stored.id).pos_access
    assert access is not None and access.template is None and access.access == "Custom"
    stored.grant_ids = set()
    assert warm_client.get_employee(stored.id).pos_access.access == "None"  # type: ignore[union-attr]


# ------------------------------------------------------------------ every field alone


def _other_sites(sim: Simulator, employee: Employee) -> list[int]:
    return sorted(set(sim.store.sites) - employee.site_ids)


# argument -> (the new value for this employee, the stored attribute, the stored value)
FieldCase = Callable[[Simulator, Employee], tuple[object, str, object]]
FIELDS: dict[str, FieldCase] = {
    "first_name": lambda s, e: ("Quinlan", "first_name", "Quinlan"),
    "last_name": lambda s, e: ("Okafor-Baptiste", "last_name", "Okafor-Baptiste"),
    "phone": lambda s, e: ("(555) 010-0188", "phone", "(555) 010-0188"),
    "email": lambda s, e: ("q.okafor@example.com", "email", "q.okafor@example.com"),
    "available_sites": lambda s, e: (
        [s.store.sites[_other_sites(s, e)[0]].code],
        "site_ids",
        {_other_sites(s, e)[0]},
    ),
    "departments": lambda s, e: (
        [d.name for d in s.store.departments.values() if d.id not in e.department_ids][:1],
        "department_ids",
        [d.id for d in s.store.departments.values() if d.id not in e.department_ids][:1],
    ),
    "start_date": lambda s, e: (date(2024, 3, 4), "start_date", date(2024, 3, 4)),
    "pos_pin": lambda s, e: (24680, "pos_pin", "24680"),
    "emergency_contact_name": lambda s, e: ("Rowan Vale", "emergency_contact_name", "Rowan Vale"),
    "emergency_contact_phone": lambda s, e: (
        "555 010 0177",
        "emergency_contact_phone",
        "555 010 0177",
    ),
    "adp_employee_id": lambda s, e: ("ADP-7781", "adp_employee_id", "ADP-7781"),
    "new_pos_user_id": lambda s, e: (88_123, "pos_user_id", 88_123),
}


@pytest.mark.parametrize("argument", list(FIELDS))
def test_each_field_alone_changes_only_that_field(
    sim: Simulator, warm_client: Client, argument: str
) -> None:
    employee = target(sim)
    new, attribute, stored = FIELDS[argument](sim, employee)
    before_store = snapshot(sim.store)
    before = len(sim.requests)
    result = warm_client.update_employee(employee_id=employee.id, **{argument: new})
    assert getattr(employee, attribute) == stored
    assert_only(sim.store, before_store, employee.id, {attribute})
    search = ["GET /employee"] if argument == "new_pos_user_id" else []
    assert sent(sim, before) == [
        f"GET /employee/edit/{employee.id}",
        *search,
        "POST /employee/update",
        f"GET /employee/edit/{employee.id}",
    ]
    field = "pos_user_id" if argument == "new_pos_user_id" else argument
    assert result.changed and [c.field for c in result.changes] == [field]
    assert result.record.employee_id == employee.id


def test_several_fields_at_once(sim: Simulator, warm_client: Client) -> None:
    employee = target(sim)
    before_store = snapshot(sim.store)
    other = _other_sites(sim, employee)[0]
    result = warm_client.update_employee(
        pos_user_id=employee.pos_user_id,
        first_name="  Marisol ",
        last_name="Ek",
        email="marisol.ek@example.com",
        available_sites=[sim.store.sites[other].name],
        departments=["Cashier", "line"],
        adp_employee_id="",
    )
    cashier_line = sorted(
        d.id for d in sim.store.departments.values() if d.name in ("Cashier", "Line")
    )
    assert (employee.first_name, employee.last_name, employee.email) == (
        "Marisol",
        "Ek",
        "marisol.ek@example.com",
    )
    assert employee.site_ids == {other} and employee.department_ids == cashier_line
    assert employee.adp_employee_id == ""
    changed = {"first_name", "last_name", "email", "site_ids", "department_ids", "adp_employee_id"}
    assert_only(sim.store, before_store, employee.id, changed)
    assert {"first_name", "last_name", "email", "available_sites"} <= {
        c.field for c in result.changes
    }


def test_nothing_to_change_writes_nothing(sim: Simulator, warm_client: Client) -> None:
    employee = target(sim)
    before = len(sim.requests)
    result = warm_client.update_employee(
        employee_id=employee.id, first_name=employee.first_name, phone=employee.phone or None
    )
    assert not result.changed and result.changes == ()
    assert sent(sim, before) == [f"GET /employee/edit/{employee.id}"]
    with pytest.raises(ValidationError) as info:
        warm_client.update_employee(employee_id=employee.id)
    assert info.value.field == "fields"


# ------------------------------------------------------------------ sites


def test_sites_granted_revoked_all_and_back(sim: Simulator, warm_client: Client) -> None:
    employee = target(sim)
    every = set(sim.store.sites)
    first = sorted(employee.site_ids)[0]
    grant = _other_sites(sim, employee)[0]
    code = sim.store.sites

    granted = warm_client.update_employee(
        employee_id=employee.id,
        available_sites=[code[i].name for i in sorted(employee.site_ids | {grant})],
    )
    assert employee.site_ids == {first, grant} | employee.site_ids
    assert granted.changes[0].added == (code[grant].name,) and granted.changes[0].removed == ()

    warm_client.update_employee(employee_id=employee.id, available_sites=[code[first].code])
    assert employee.site_ids == {first}  # every other site revoked

    before = len(sim.requests)
    warm_client.update_employee(employee_id=employee.id, available_sites="all")
    assert employee.site_ids == every
    posted = sim.requests[before + 1].form
    all_box = (
        "employee[isAllRegionsAllowed]" if sim.store.hierarchical else "employee[isAllSitesAllowed]"
    )
    assert any(k == all_box for k, _ in posted)  # "all" is the all-sites box, as a browser posts

    some = sorted(every)[:2]
    back = warm_client.update_employee(
        employee_id=employee.id, available_sites=[code[i].code.lower() for i in some]
    )
    assert employee.site_ids == set(some)
    assert len(back.changes[0].removed) == len(every) - 2
    assert set(back.record.site_codes) == {code[i].code for i in some}


def test_the_row_after_an_update(sim: Simulator, warm_client: Client) -> None:
    employee = target(sim)
    previous = next(r for r in warm_client.list_employees() if r.employee_id == employee.id)
    other = _other_sites(sim, employee)[0]
    result = warm_client.update_employee(
        employee_id=employee.id,
        first_name="Teodora",
        available_sites=[sim.store.sites[other].code],
        departments=["Line", "Cashier"],
    )
    row = result.as_row(previous)
    assert isinstance(row, EmployeeRow)
    assert (row.first_name, row.site_codes, row.departments) == (
        "Teodora",
        (sim.store.sites[other].code,),
        ("Cashier", "Line"),
    )
    assert (row.access, row.wage_type, row.active) == (previous.access, previous.wage_type, True)
    # The client's own roster took the row: no re-download, and it is what the list shows.
    before = len(sim.requests)
    cached = next(r for r in warm_client.list_employees() if r.employee_id == employee.id)
    assert len(sim.requests) == before and cached == row
    fresh = next(
        r for r in warm_client.list_employees(refresh=True) if r.employee_id == employee.id
    )
    assert fresh == dataclasses.replace(row, status_changed_utc=fresh.status_changed_utc)


# ------------------------------------------------------------------ refused before a write


def test_unknown_names_and_bad_text_name_the_field_and_send_nothing(
    sim: Simulator, warm_client: Client
) -> None:
    employee = target(sim)
    cases: list[tuple[dict[str, Any], type[Exception], str]] = [
        ({"available_sites": ["Nowhere Wash"]}, UnknownNameError, "available_sites"),
        ({"departments": ["Astronauts"]}, UnknownNameError, "departments"),
        ({"departments": []}, ValidationError, "departments"),
        ({"available_sites": []}, ValidationError, "available_sites"),
        ({"first_name": "Bad\x1b[31mName"}, ValidationError, "first_name"),
        ({"first_name": "   "}, ValidationError, "first_name"),
        ({"phone": "12"}, ValidationError, "phone"),
        ({"email": "not-an-email"}, ValidationError, "email"),
        ({"pos_pin": 12}, ValidationError, "pos_pin"),
        ({"new_pos_user_id": 0}, ValidationError, "new_pos_user_id"),
        ({"adp_employee_id": "x" * 33}, ValidationError, "adp_employee_id"),
    ]
    before = len(sim.requests)
    for kwargs, error, field in cases:
        with pytest.raises(error) as info:
            warm_client.update_employee(employee_id=employee.id, **kwargs)
        assert info.value.field == field, kwargs  # type: ignore[attr-defined]
        assert info.value.wrote_nothing  # type: ignore[attr-defined]
    assert sent(sim, before) == []


def test_a_taken_email_phone_or_pos_user_id_is_refused_before_the_update(
    sim: Simulator, warm_client: Client
) -> None:
    employee = target(sim)
    other = next(
        e
        for e in sim.store.employees.values()
        if e.id != employee.id and e.active and e.email and e.site_ids
    )
    before_store = snapshot(sim.store)
    for kwargs, field in [
        ({"email": other.email.upper()}, "email"),
        ({"phone": other.phone}, "phone"),
        ({"new_pos_user_id": other.pos_user_id}, "new_pos_user_id"),
    ]:
        before = len(sim.requests)
        with pytest.raises(DuplicateError) as info:
            warm_client.update_employee(employee_id=employee.id, **kwargs)
        assert info.value.field == field and info.value.wrote_nothing
        assert "POST /employee/update" not in sent(sim, before)
    assert snapshot(sim.store) == before_store


def test_the_server_refuses_what_the_caches_could_not_know(
    sim: Simulator, warm_client: Client
) -> None:
    """An inactive employee's e-mail and an inactive siteless employee's POS User ID
    are listed nowhere: the server's own refusal is reported as a DuplicateError,
    nothing written. (An active siteless one is found: see test_hidden_employees.)"""
    employee = target(sim)
    hidden = next(e for e in sim.store.employees.values() if not e.active and e.email)
    siteless = next(
        e
        for e in sim.store.employees.values()
        if e.id != employee.id and e.pos_user_id and not e.active
    )
    siteless.site_ids = set()  # the list (and so the search) no longer shows it
    warm_client.list_employees(refresh=True)
    before_store = snapshot(sim.store)
    for kwargs, field in [
        ({"email": hidden.email}, "email"),
        ({"new_pos_user_id": siteless.pos_user_id}, "pos_user_id"),
    ]:
        before = len(sim.requests)
        with pytest.raises(DuplicateError) as info:
            warm_client.update_employee(employee_id=employee.id, **kwargs)
        assert info.value.field == field and info.value.wrote_nothing, info.value
        assert "POST /employee/update" in sent(sim, before)
    assert snapshot(sim.store) == before_store


def test_the_pos_user_id_finds_the_employee_and_never_changes_by_accident(
    sim: Simulator, warm_client: Client
) -> None:
    employee = target(sim)
    pos_id, pin = employee.pos_user_id, employee.pos_pin
    warm_client.update_employee(pos_user_id=pos_id, first_name="Anneliese", phone="555-010-0142")
    assert (employee.pos_user_id, employee.pos_pin, employee.first_name) == (
        pos_id,
        pin,
        "Anneliese",
    )
    # Changing it is supported, but only when asked by name, and the old one is freed.
    result = warm_client.update_employee(pos_user_id=pos_id, new_pos_user_id=88_555)
    assert employee.pos_user_id == 88_555 and result.record.pos_user_id == 88_555
    assert result.changes[0].old == pos_id and result.changes[0].new == 88_555
    assert warm_client.is_pos_user_id_available(pos_id)
    assert not warm_client.is_pos_user_id_available(88_555)
    assert warm_client.get_employee(pos_user_id=88_555, wages=False).employee_id == employee.id


def test_an_email_change_moves_what_the_client_knows(sim: Simulator, warm_client: Client) -> None:
    employee = target(sim)
    old = employee.email
    linked = any(u.email.casefold() == old.casefold() for u in sim.store.users.values())
    warm_client.update_employee(employee_id=employee.id, email="fresh.start@example.com")
    assert not warm_client.is_email_available("Fresh.Start@example.com")
    # Free again unless a Back Office user (linked to the employee) still has it.
    assert warm_client.is_email_available(old) is not linked
