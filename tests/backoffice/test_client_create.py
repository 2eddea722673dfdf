"""create_employee against the simulator: results, server state, caches, every refusal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient as Client
from sonnys_tui.backoffice.errors import (
    BackofficeConnectionError,
    BackofficeServerError,
    DuplicateError,
    UnknownNameError,
    ValidationError,
)
from sonnys_tui.simulator import Simulator

from .conftest import make_client, new_employee


def _writes(sim: Simulator) -> list[str]:
    return [r.path for r in sim.requests if r.method == "POST" and r.path != "/login_check"]


def test_create_sets_exactly_what_was_asked(sim: Simulator, client: Client) -> None:
    args = new_employee(client)
    steps: list[str] = []
    created = client.create_employee(**args, progress=steps.append)
    stored = sim.store.employees[created.employee_id]
    sites = client.list_sites()
    assert stored.site_ids == {sites[0].id, sites[2].id}
    assert {sim.store.departments[d].name for d in stored.department_ids} == {"Greeter", "Line"}
    cashier = next(t for t in sim.store.pos_templates.values() if t.name == "Cashier")
    assert stored.grant_ids == cashier.grant_ids
    assert stored.override_ids == cashier.override_ids
    assert stored.pos_user_id == args["pos_user_id"]
    assert stored.pos_pin == created.pos_pin.reveal() and 10000 <= int(stored.pos_pin) <= 99999
    assert stored.start_date == args["start_date"] and stored.active
    assert (stored.first_name, stored.phone, stored.email) == (
        "Testy",
        "(555) 010-0142",
        "testy.mcfixture@example.com",
    )
    wage = stored.latest_wage()
    assert wage is not None and wage.regular_rate == Decimal("15.50")
    assert wage.overtime_eligible and wage.overtime_rate == Decimal("23.25")
    assert created.permission == "Cashier" and created.warnings == ()
    assert created.overtime_wage_rate == Decimal("23.25")
    assert created.sites == (sites[0].name, sites[2].name)
    assert created.wage_site == sites[0].code
    assert created.departments == ("Greeter", "Line")
    assert _writes(sim) == ["/employee/insert", "/employee/permissions/update"]
    assert steps and all(isinstance(s, str) and s for s in steps)
    assert created.pos_pin.reveal() not in repr(created)


def test_create_with_all_sites_and_explicit_pin(sim: Simulator, client: Client) -> None:
    created = client.create_employee(
        **new_employee(client, available_sites="all", pos_pin=24680, overtime_wage_rate=30)
    )
    stored = sim.store.employees[created.employee_id]
    assert stored.site_ids == set(sim.store.sites)
    assert stored.pos_pin == "24680"
    assert created.wage_site is None and created.overtime_wage_rate == Decimal("30.00")


def test_caches_are_updated_in_place(sim: Simulator, client: Client) -> None:
    client.list_employees()
    client.is_email_available("x@example.com")
    created = client.create_employee(**new_employee(client))
    before = len(sim.requests)
    rows = {r.employee_id: r for r in client.list_employees()}
    assert rows[created.employee_id].access == "Cashier"
    assert not client.is_pos_user_id_available(created.pos_user_id)
    assert not client.is_email_available(created.email)
    assert not client.is_phone_available("555-010-0142")
    assert len(sim.requests) == before  # no roster re-download


def test_unknown_permission_falls_back_with_a_warning(sim: Simulator, client: Client) -> None:
    created = client.create_employee(**new_employee(client, permission="Galactic Overlord"))
    general = next(t for t in sim.store.pos_templates.values() if t.name == "General User")
    assert created.permission == "General User"
    assert sim.store.employees[created.employee_id].grant_ids == general.grant_ids
    assert any("Galactic Overlord" in w for w in created.warnings)


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"pos_pin": 123}, "pos_pin"),
        ({"wage_rate": -1}, "wage_rate"),
        ({"wage_rate": "12.345"}, "wage_rate"),
        ({"first_name": "   "}, "first_name"),
        ({"last_name": "x" * 101}, "last_name"),
        ({"start_date": "2026-05-01"}, "start_date"),
        ({"available_sites": []}, "available_sites"),
        ({"departments": []}, "departments"),
        ({"pos_user_id": 0}, "pos_user_id"),
        ({"emergency_contact_phone": "12"}, "emergency_contact_phone"),
        ({"requires_backoffice": True}, "backoffice_username"),
        ({"requires_backoffice": True, "backoffice_username": "1bad"}, "backoffice_username"),
    ],
)
def test_bad_input_sends_no_request(
    demo_sim: Simulator, override: dict[str, object], field: str
) -> None:
    with make_client(demo_sim) as client:
        args = {
            "first_name": "Testy",
            "last_name": "McFixture",
            "phone": "555-010-0142",
            "email": "t@example.com",
            "pos_user_id": 777777,
            "wage_rate": 15,
            "start_date": __import__("datetime").date(2026, 5, 1),
            "available_sites": "all",
            "permission": "Cashier",
            "departments": ["Greeter"],
            **override,
        }
        with pytest.raises(ValidationError) as info:
            client.create_employee(**args)  # type: ignore[arg-type]
        assert info.value.field == field
        assert demo_sim.requests == []


@pytest.mark.parametrize(
    ("override", "needle"),
    [({"available_sites": ["Atlantis"]}, "Atlantis"), ({"departments": ["Juggling"]}, "Juggling")],
)
def test_unknown_names_list_the_valid_ones(
    sim: Simulator, client: Client, override: dict[str, object], needle: str
) -> None:
    with pytest.raises(UnknownNameError) as info:
        client.create_employee(**new_employee(client, **override))
    assert isinstance(info.value, LookupError)
    assert needle in str(info.value)
    assert "Greeter" in str(info.value) or client.list_sites()[0].name in str(info.value)
    assert _writes(sim) == []


def test_duplicates_are_caught_before_writing(sim: Simulator, client: Client) -> None:
    existing = next(e for e in sim.store.employees.values() if e.active and e.email and e.site_ids)
    for override, field in (
        ({"pos_user_id": existing.pos_user_id}, "pos_user_id"),
        ({"email": existing.email.upper()}, "email"),
        ({"phone": existing.phone}, "phone"),
    ):
        with pytest.raises(DuplicateError) as info:
            client.create_employee(**new_employee(client, **override))
        assert info.value.field == field
    assert _writes(sim) == []


def test_server_side_pos_check_catches_a_stale_index(sim: Simulator, client: Client) -> None:
    args = new_employee(client)
    client.list_employees()
    other = next(e for e in sim.store.employees.values() if e.site_ids)
    other.pos_user_id = args["pos_user_id"]  # someone else took it meanwhile
    with pytest.raises(DuplicateError) as info:
        client.create_employee(**args)
    assert info.value.field == "pos_user_id"
    assert _writes(sim) == []


@pytest.mark.parametrize("wording", ["in use", "exists"])
def test_insert_refused_by_the_server_reads_its_alert(
    sim: Simulator, client: Client, wording: str
) -> None:
    sim.settings.duplicate_wording = wording  # type: ignore[assignment]
    args = new_employee(client)
    client.is_email_available("warm@example.com")  # build the index, then go stale
    user = next(iter(sim.store.users.values()))
    user.email = args["email"]
    with pytest.raises(DuplicateError) as info:
        client.create_employee(**args)
    assert info.value.field == "email"
    assert sim.store.employee_by_pos_id(args["pos_user_id"]) is None


def test_insert_alert_that_is_not_a_duplicate(sim: Simulator, client: Client) -> None:
    sim.faults.add(path="/employee/insert", method="POST", kind="alert", alert_text="Bad form.")
    with pytest.raises(ValidationError, match=r"Bad form\."):
        client.create_employee(**new_employee(client))


def test_server_error_on_insert(sim: Simulator, client: Client) -> None:
    args = new_employee(client)
    sim.faults.add(path="/employee/insert", method="POST", kind="500")
    with pytest.raises(BackofficeServerError) as info:
        client.create_employee(**args)
    assert info.value.status_code == 500
    assert sim.store.employee_by_pos_id(args["pos_user_id"]) is None


def test_dropped_insert_that_happened_is_reconciled(sim: Simulator, client: Client) -> None:
    args = new_employee(client)
    sim.faults.add(path="/employee/insert", method="POST", kind="drop", when="after")
    created = client.create_employee(**args)
    stored = sim.store.employee_by_pos_id(args["pos_user_id"])
    assert stored is not None and stored.id == created.employee_id
    assert stored.grant_ids  # permissions were still saved
    assert _writes(sim).count("/employee/insert") == 1  # never retried blindly


def test_dropped_insert_that_did_not_happen(sim: Simulator, client: Client) -> None:
    args = new_employee(client)
    sim.faults.add(path="/employee/insert", method="POST", kind="timeout", when="before")
    with pytest.raises(BackofficeConnectionError) as info:
        client.create_employee(**args)
    assert info.value.state is not None and "not created" in info.value.state
    assert sim.store.employee_by_pos_id(args["pos_user_id"]) is None
    assert _writes(sim).count("/employee/insert") == 1


def test_failed_permissions_say_what_exists(sim: Simulator, client: Client) -> None:
    args = new_employee(client)
    sim.faults.add(path="/employee/permissions/update", method="POST", kind="500")
    with pytest.raises(BackofficeServerError) as info:
        client.create_employee(**args)
    stored = sim.store.employee_by_pos_id(args["pos_user_id"])
    assert stored is not None
    assert (
        info.value.state == f"employee {stored.id} was created but its permissions were not saved"
    )


def test_dropped_permissions_post_is_verified_by_reading_back(
    sim: Simulator, client: Client
) -> None:
    sim.faults.add(path="/employee/permissions/update", method="POST", kind="drop", when="after")
    created = client.create_employee(**new_employee(client))
    assert sim.store.employees[created.employee_id].grant_ids


def test_session_expiry_mid_operation(sim: Simulator, client: Client) -> None:
    client.list_sites()
    sim.faults.expire_sessions()
    created = client.create_employee(**new_employee(client))
    assert created.employee_id in sim.store.employees
    assert [r.path for r in sim.requests].count("/login_check") == 2


def test_create_with_a_linked_backoffice_user(sim: Simulator, client: Client) -> None:
    created = client.create_employee(
        **new_employee(client),
        requires_backoffice=True,
        backoffice_username="tmcfixture",
        backoffice_permission="manager",
    )
    bo = created.backoffice_user
    assert bo is not None and bo.permission_applied and bo.linked_employee_id == created.employee_id
    user = sim.store.users[bo.user_id]
    assert user.employee_id == created.employee_id and user.username == "tmcfixture"
    manager = next(t for t in sim.store.bo_templates.values() if t.name == "manager")
    assert user.tokens == set(manager.tokens)
    assert user.site_ids == sim.store.employees[created.employee_id].site_ids
    assert user.password == bo.password.reveal() and len(user.password) == 16
    assert bo.password.reveal() not in repr(created)


def test_first_employee_of_an_empty_tenant(sim: Simulator, client: Client) -> None:
    """No employee to read POS templates from: they come from the new employee's own page."""
    sim.store.employees.clear()
    created = client.create_employee(**new_employee(client, pos_user_id=1))
    cashier = next(t for t in sim.store.pos_templates.values() if t.name == "Cashier")
    assert sim.store.employees[created.employee_id].grant_ids == cashier.grant_ids
    assert created.permission == "Cashier"


def test_changed_list_markup_is_loud(sim: Simulator, client: Client) -> None:
    sim.faults.add(
        path="/employee", method="GET", kind="markup", remove_selector=".table-employees-list"
    )
    with pytest.raises(BackofficeServerError, match="employee list page has no table"):
        client.list_employees()


def test_500_after_a_processed_insert_is_reconciled(sim: Simulator, client: Client) -> None:
    args = new_employee(client)
    sim.faults.add(path="/employee/insert", method="POST", kind="500", when="after")
    created = client.create_employee(**args)
    assert sim.store.employees[created.employee_id].grant_ids
    assert _writes(sim).count("/employee/insert") == 1


def test_500_after_processed_permissions_is_reconciled(sim: Simulator, client: Client) -> None:
    sim.faults.add(path="/employee/permissions/update", method="POST", kind="500", when="after")
    created = client.create_employee(**new_employee(client))
    assert sim.store.employees[created.employee_id].grant_ids
    assert _writes(sim).count("/employee/permissions/update") == 1


def test_departments_default_to_greeter_with_a_warning() -> None:
    sim = Simulator.demo()
    with make_client(sim) as client:
        args = new_employee(client)
        args.pop("departments", None)
        created = client.create_employee(**args)
    stored = sim.store.employee_by_pos_id(created.pos_user_id)
    assert stored is not None
    assert [sim.store.departments[d].name for d in stored.department_ids] == ["Greeter"]
    assert created.departments == ("Greeter",)
    assert any("Greeter" in w for w in created.warnings)


def test_departments_default_needs_a_greeter_department() -> None:
    sim = Simulator.demo()
    greeter = next(d for d in sim.store.departments.values() if d.name == "Greeter")
    del sim.store.departments[greeter.id]
    with make_client(sim) as client:
        args = new_employee(client)
        args.pop("departments", None)
        with pytest.raises(UnknownNameError, match="Greeter"):
            client.create_employee(**args)
    assert not [r for r in sim.requests if r.method == "POST" and r.path != "/login_check"]
