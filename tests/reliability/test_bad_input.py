"""Bad input to every client argument: a ValidationError naming the field, and no request.

Names the tenant does not know (sites, departments, templates) need a look-up first:
they raise UnknownNameError naming the field and write nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.backoffice.errors import UnknownNameError, ValidationError
from sonnys_tui.simulator import Simulator

from .conftest import make_client

LONG = "x" * 300


def _good_employee() -> dict[str, Any]:
    return {
        "first_name": "Valid",
        "last_name": "Person",
        "phone": "(555) 010-0150",
        "email": "valid.person@example.com",
        "pos_user_id": 8850,
        "wage_rate": "15.00",
        "start_date": date(2026, 6, 1),
        "available_sites": "all",
        "permission": "Cashier",
        "departments": ["Greeter"],
    }


# (argument overrides, the field the error must name)
EMPLOYEE_CASES: list[tuple[dict[str, Any], str]] = [
    ({"first_name": None}, "first_name"),
    ({"first_name": 5}, "first_name"),
    ({"first_name": ""}, "first_name"),
    ({"first_name": " \t\n"}, "first_name"),
    ({"first_name": "x" * 51}, "first_name"),
    ({"first_name": b"Bytes"}, "first_name"),
    ({"last_name": ""}, "last_name"),
    ({"last_name": "x" * 101}, "last_name"),
    ({"last_name": ["Person"]}, "last_name"),
    ({"phone": None}, "phone"),
    ({"phone": 5550100150}, "phone"),
    ({"phone": ""}, "phone"),
    ({"phone": "12"}, "phone"),
    ({"phone": "555-010-0150-1234"}, "phone"),
    ({"phone": "call me maybe"}, "phone"),
    ({"phone": "(555) 010-0150 extension"}, "phone"),
    ({"phone": "555 - 010 - 0150 - home"}, "phone"),
    ({"email": None}, "email"),
    ({"email": ""}, "email"),
    ({"email": "no-at-sign"}, "email"),
    ({"email": "a@b"}, "email"),
    ({"email": "two words@example.com"}, "email"),
    ({"email": "a@@example.com"}, "email"),
    ({"email": "valid@example.com\nBcc: x@example.com"}, "email"),
    ({"email": 5}, "email"),
    ({"pos_user_id": None}, "pos_user_id"),
    ({"pos_user_id": 0}, "pos_user_id"),
    ({"pos_user_id": -4}, "pos_user_id"),
    ({"pos_user_id": "8850"}, "pos_user_id"),
    ({"pos_user_id": 88.5}, "pos_user_id"),
    ({"pos_user_id": True}, "pos_user_id"),
    ({"pos_user_id": 2**31}, "pos_user_id"),
    ({"wage_rate": None}, "wage_rate"),
    ({"wage_rate": -1}, "wage_rate"),
    ({"wage_rate": "abc"}, "wage_rate"),
    ({"wage_rate": "NaN"}, "wage_rate"),
    ({"wage_rate": "Infinity"}, "wage_rate"),
    ({"wage_rate": float("nan")}, "wage_rate"),
    ({"wage_rate": "1.234"}, "wage_rate"),
    ({"wage_rate": True}, "wage_rate"),
    ({"wage_rate": [15]}, "wage_rate"),
    ({"overtime_wage_rate": -0.01}, "overtime_wage_rate"),
    ({"overtime_wage_rate": "twenty"}, "overtime_wage_rate"),
    ({"start_date": None}, "start_date"),
    ({"start_date": "2026-06-01"}, "start_date"),
    ({"start_date": 20260601}, "start_date"),
    ({"available_sites": None}, "available_sites"),
    ({"available_sites": []}, "available_sites"),
    ({"available_sites": ""}, "available_sites"),
    ({"available_sites": "Demo Wash Fiesta"}, "available_sites"),
    ({"available_sites": [""]}, "available_sites"),
    ({"available_sites": [5]}, "available_sites"),
    ({"permission": None}, "permission"),
    ({"permission": ""}, "permission"),
    ({"permission": "   "}, "permission"),
    ({"permission": 3}, "permission"),
    ({"pos_pin": 9999}, "pos_pin"),
    ({"pos_pin": 100000}, "pos_pin"),
    ({"pos_pin": -12345}, "pos_pin"),
    ({"pos_pin": "12345"}, "pos_pin"),
    ({"pos_pin": 12345.0}, "pos_pin"),
    ({"pos_pin": True}, "pos_pin"),
    ({"departments": []}, "departments"),
    ({"departments": "Greeter"}, "departments"),
    ({"departments": [""]}, "departments"),
    ({"departments": [7]}, "departments"),
    ({"adp_employee_id": 5}, "adp_employee_id"),
    ({"adp_employee_id": "x" * 33}, "adp_employee_id"),
    ({"emergency_contact_name": 5}, "emergency_contact_name"),
    ({"emergency_contact_name": LONG}, "emergency_contact_name"),
    ({"emergency_contact_phone": "12"}, "emergency_contact_phone"),
    ({"emergency_contact_phone": 5550100150}, "emergency_contact_phone"),
    ({"requires_backoffice": True}, "backoffice_username"),
    ({"requires_backoffice": "yes", "backoffice_username": "valid_bo"}, "requires_backoffice"),
    ({"backoffice_username": "valid_bo"}, "requires_backoffice"),
    ({"requires_backoffice": True, "backoffice_username": "1bad"}, "backoffice_username"),
    ({"requires_backoffice": True, "backoffice_username": "ab"}, "backoffice_username"),
    ({"requires_backoffice": True, "backoffice_username": "x" * 65}, "backoffice_username"),
    ({"requires_backoffice": True, "backoffice_username": "has space"}, "backoffice_username"),
    (
        {"requires_backoffice": True, "backoffice_username": "ok_bo", "backoffice_password": "s"},
        "backoffice_password",
    ),
    (
        {"requires_backoffice": True, "backoffice_username": "ok_bo", "backoffice_password": 1},
        "backoffice_password",
    ),
    (
        {"requires_backoffice": True, "backoffice_username": "ok_bo", "backoffice_permission": ""},
        "backoffice_permission",
    ),
    (
        {"requires_backoffice": True, "backoffice_username": "ok_bo", "backoffice_permission": 4},
        "backoffice_permission",
    ),
]


def _case_id(case: tuple[dict[str, Any], str]) -> str:
    override, field = case
    return f"{field}={next(reversed(override.values()))!r}"[:60]


@pytest.fixture
def sim() -> Simulator:
    return Simulator.demo()


@pytest.fixture
def client(sim: Simulator) -> SonnysBackofficeClient:
    return make_client(sim)


def _assert_refused(sim: Simulator, client: SonnysBackofficeClient, call: Any, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        call()
    assert info.value.field == field, info.value
    assert field in str(info.value) or field.replace("_", " ") in str(info.value)
    assert sim.requests == [] and client.stats.requests == 0


@pytest.mark.parametrize(("override", "field"), EMPLOYEE_CASES, ids=map(_case_id, EMPLOYEE_CASES))
def test_create_employee_bad_input(
    sim: Simulator, client: SonnysBackofficeClient, override: dict[str, Any], field: str
) -> None:
    args = {**_good_employee(), **override}
    _assert_refused(sim, client, lambda: client.create_employee(**args), field)


LOOKUP_CASES: list[tuple[dict[str, Any], str]] = [
    ({}, "pos_user_id, email, employee_id"),
    ({"pos_user_id": 5, "email": "a@example.com"}, "pos_user_id, email, employee_id"),
    ({"pos_user_id": 5, "employee_id": 401}, "pos_user_id, email, employee_id"),
    ({"pos_user_id": 1, "email": "a@example.com", "employee_id": 1},
     "pos_user_id, email, employee_id"),
    ({"pos_user_id": 0}, "pos_user_id"),
    ({"pos_user_id": -1}, "pos_user_id"),
    ({"pos_user_id": "5"}, "pos_user_id"),
    ({"pos_user_id": True}, "pos_user_id"),
    ({"pos_user_id": 5.0}, "pos_user_id"),
    ({"email": ""}, "email"),
    ({"email": "not-an-email"}, "email"),
    ({"email": 5}, "email"),
    ({"employee_id": 0}, "employee_id"),
    ({"employee_id": "401"}, "employee_id"),
    ({"employee_id": False}, "employee_id"),
]  # fmt: skip


@pytest.mark.parametrize("verb", ["disable_employee", "enable_employee"])
@pytest.mark.parametrize(("keys", "field"), LOOKUP_CASES, ids=map(_case_id, LOOKUP_CASES))
def test_status_bad_lookup(
    sim: Simulator, client: SonnysBackofficeClient, verb: str, keys: dict[str, Any], field: str
) -> None:
    _assert_refused(sim, client, lambda: getattr(client, verb)(**keys), field)


BO_USER_CASES: list[tuple[dict[str, Any], str]] = [
    ({"username": None}, "username"),
    ({"username": ""}, "username"),
    ({"username": "9lives"}, "username"),
    ({"username": "a-b"}, "username"),
    ({"username": "x" * 65}, "username"),
    ({"email": None}, "email"),
    ({"email": "bad"}, "email"),
    ({"permission": None}, "permission"),
    ({"permission": ""}, "permission"),
    ({"permission": 7}, "permission"),
    ({"password": "short"}, "password"),
    ({"password": ""}, "password"),
    ({"password": 12345678}, "password"),
    ({"first_name": "x" * 65}, "first_name"),
    ({"first_name": "   "}, "first_name"),
    ({"first_name": None, "last_name": "Only"}, "first_name"),
    ({"last_name": None}, "last_name"),
    ({"last_name": 5}, "last_name"),
    ({"available_sites": []}, "available_sites"),
    ({"available_sites": "none"}, "available_sites"),
    ({"available_sites": [None]}, "available_sites"),
    ({"first_name": None, "last_name": None}, "link_to_employee_pos_user_id"),
    ({"link_to_employee_pos_user_id": 5}, "link_to_employee_pos_user_id"),
    (
        {"first_name": None, "last_name": None, "link_to_employee_pos_user_id": 5,
         "link_to_employee_email": "a@example.com"},
        "link_to_employee_pos_user_id, link_to_employee_email",
    ),
    ({"first_name": None, "last_name": None, "link_to_employee_pos_user_id": 0},
     "link_to_employee_pos_user_id"),
    ({"first_name": None, "last_name": None, "link_to_employee_pos_user_id": "abc"},
     "link_to_employee_pos_user_id"),
    ({"first_name": None, "last_name": None, "link_to_employee_pos_user_id": True},
     "link_to_employee_pos_user_id"),
    ({"first_name": None, "last_name": None, "link_to_employee_email": "nope"},
     "link_to_employee_email"),
]  # fmt: skip


@pytest.mark.parametrize(("override", "field"), BO_USER_CASES, ids=map(_case_id, BO_USER_CASES))
def test_create_backoffice_user_bad_input(
    sim: Simulator, client: SonnysBackofficeClient, override: dict[str, Any], field: str
) -> None:
    args: dict[str, Any] = {
        "username": "valid_user",
        "email": "valid.user@example.com",
        "permission": "user",
        "first_name": "Valid",
        "last_name": "User",
        **override,
    }
    _assert_refused(sim, client, lambda: client.create_backoffice_user(**args), field)


OTHER_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("list_permissions", {"scope": "admin"}, "scope"),
    ("list_employees", {"active": "yes"}, "active"),
    ("list_employees", {"active": True}, "active"),
    ("list_backoffice_users", {"status": "enabled"}, "active"),
    ("search_employees", {"active": "maybe"}, "active"),
    ("search_employees", {"pos_user_id": "12"}, "pos_user_id"),
    ("search_employees", {"pos_user_id": -3}, "pos_user_id"),
    ("search_employees", {"first_name": 5}, "first_name"),
    ("search_employees", {"last_name": LONG}, "last_name"),
    ("get_employee", {"employee_id": 0}, "employee_id"),
    ("get_employee", {"employee_id": "401"}, "employee_id"),
    ("is_pos_user_id_available", {"pos_user_id": "8850"}, "pos_user_id"),
    ("is_pos_user_id_available", {"pos_user_id": 0}, "pos_user_id"),
    ("is_email_available", {"email": 5}, "email"),
    ("is_phone_available", {"phone": 5550100150}, "phone"),
    ("is_phone_available", {"phone": None}, "phone"),
    ("next_free_pos_user_id", {"start": "10"}, "pos_user_id"),
]


@pytest.mark.parametrize(
    ("method", "kwargs", "field"), OTHER_CASES, ids=[f"{m}-{f}" for m, _, f in OTHER_CASES]
)
def test_other_methods_bad_input(
    sim: Simulator, client: SonnysBackofficeClient, method: str, kwargs: dict[str, Any], field: str
) -> None:
    _assert_refused(sim, client, lambda: getattr(client, method)(**kwargs), field)


CONSTRUCTOR_CASES: list[tuple[dict[str, Any], str]] = [
    ({"subdomain": ""}, "subdomain"),
    ({"subdomain": "My Wash"}, "subdomain"),
    ({"subdomain": "UPPER"}, "subdomain"),
    ({"subdomain": "-dash"}, "subdomain"),
    ({"subdomain": "evil.example.com/x"}, "subdomain"),
    ({"subdomain": None}, "subdomain"),
    ({"username": ""}, "username"),
    ({"username": None}, "username"),
    ({"password": ""}, "password"),
    ({"password": None}, "password"),
    ({"base_url": "ftp://sim.test"}, "base_url"),
    ({"base_url": "not a url"}, "base_url"),
    ({"base_url": "http://example.com", "transport": None}, "base_url"),
    ({"timeout": 0}, "timeout"),
    ({"timeout": -1}, "timeout"),
    ({"timeout": "30"}, "timeout"),
]


@pytest.mark.parametrize(
    ("override", "field"), CONSTRUCTOR_CASES, ids=map(_case_id, CONSTRUCTOR_CASES)
)
def test_constructor_bad_input(sim: Simulator, override: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        make_client(sim, **override)
    assert info.value.field == field
    assert sim.requests == []


def _writes(sim: Simulator) -> list[str]:
    return [r.path for r in sim.requests if r.method == "POST" and r.path != "/login_check"]


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"available_sites": ["Atlantis Wash"]}, "available_sites"),
        ({"departments": ["Juggling"]}, "departments"),
        (
            {
                "requires_backoffice": True,
                "backoffice_username": "ok_bo",
                "backoffice_permission": "Overlord",
            },
            "permission",
        ),
    ],
)
def test_unknown_names_write_nothing(
    sim: Simulator, client: SonnysBackofficeClient, override: dict[str, Any], field: str
) -> None:
    with pytest.raises(UnknownNameError) as info:
        client.create_employee(**{**_good_employee(), **override})
    assert info.value.field == field
    assert _writes(sim) == []
    assert sim.store.employee_by_pos_id(8850) is None


def test_unknown_bo_template_and_sites_write_nothing(
    sim: Simulator, client: SonnysBackofficeClient
) -> None:
    common = {"username": "valid_user", "email": "v.u@example.com", "first_name": "V",
              "last_name": "U"}  # fmt: skip
    with pytest.raises(UnknownNameError) as info:
        client.create_backoffice_user(permission="Overlord", **common)
    assert info.value.field == "permission"
    with pytest.raises(UnknownNameError) as info:
        client.create_backoffice_user(permission="user", available_sites=["Nowhere"], **common)
    assert info.value.field == "available_sites"
    assert _writes(sim) == []


@pytest.mark.parametrize("verb", ["disable_employee", "create_backoffice_user"])
def test_an_email_shared_by_two_employees_picks_neither(verb: str) -> None:
    """Legacy data can hold the same e-mail twice: looking up by it must not guess."""
    sim = Simulator.demo()
    first, second = [e for e in sim.store.employees.values() if e.active and e.site_ids][:2]
    second.email = f"  {first.email.upper()}"
    before = [(e.active, e.email) for e in (first, second)]
    with make_client(sim) as client, pytest.raises(ValidationError) as info:
        if verb == "disable_employee":
            client.disable_employee(email=first.email)
        else:
            client.create_backoffice_user(
                username="shared_mail",
                email="shared.mail@example.com",
                permission="user",
                link_to_employee_email=first.email,
            )
    field = "email" if verb == "disable_employee" else "link_to_employee_email"
    assert info.value.field == field and str(first.id) in str(info.value)
    assert [(e.active, e.email) for e in (first, second)] == before
    assert not [r for r in sim.requests if r.method == "POST" and r.path != "/login_check"]
