"""Availability checks never claim more than the client knows (issue 13, item 2): an
e-mail no list shows is "unknown", not free; a duplicate the server refuses is named
by its field and remembered; a US phone compares the same with or without +1."""

from __future__ import annotations

import pytest

from sonnys_tui.backoffice import EmailAvailability, validation
from sonnys_tui.backoffice import SonnysBackofficeClient as Client
from sonnys_tui.backoffice.core import _duplicate_field
from sonnys_tui.backoffice.discovery import EMAIL_UNKNOWN_REASON
from sonnys_tui.backoffice.errors import DuplicateError, ValidationError
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Employee

from .conftest import new_employee


def _inactive_with_email(sim: Simulator) -> Employee:
    return next(e for e in sim.store.employees.values() if not e.active and e.email)


def test_an_inactive_employees_email_is_unknown_never_free(sim: Simulator, client: Client) -> None:
    inactive = _inactive_with_email(sim)
    answer = client.email_availability(inactive.email)
    assert answer == EmailAvailability("unknown", EMAIL_UNKNOWN_REASON)
    assert "inactive employees can't be checked" in answer.reason
    # A new address is no better known: an inactive employee may have it too.
    assert client.email_availability("nobody.at.all@example.com").state == "unknown"
    # The seed API's bool keeps its meaning: not KNOWN to be taken.
    assert client.is_email_available(inactive.email)


def test_an_email_the_client_has_seen_is_taken_with_who_has_it(
    sim: Simulator, client: Client
) -> None:
    active = next(e for e in sim.store.employees.values() if e.active and e.email)
    user = next(u for u in sim.store.users.values() if u.email and u.employee_id is None)
    inactive = _inactive_with_email(sim)
    assert client.email_availability(active.email.upper()) == EmailAvailability(
        "taken", "used by an active employee"
    )
    assert client.email_availability(f" {user.email} ").state == "taken"
    # An edit page read shows the inactive employee's e-mail: from then on, taken.
    client.get_employee(inactive.id, wages=False, pos_access=False)
    assert client.email_availability(inactive.email) == EmailAvailability(
        "taken", "used by an employee (read from its edit page)"
    )
    assert not client.is_email_available(inactive.email)


def test_email_availability_is_answered_from_the_cached_lists(
    sim: Simulator, client: Client
) -> None:
    client.email_availability("warm.up@example.com")
    before = len(sim.requests)
    for _ in range(3):
        client.email_availability("someone.else@example.com")
    assert len(sim.requests) == before
    client.email_availability("someone.else@example.com", refresh=True)
    assert len(sim.requests) == before + 2  # the active employees' and the users' lists


def test_a_hire_refused_for_an_inactive_employees_email_names_the_field_and_is_remembered(
    sim: Simulator, client: Client
) -> None:
    inactive = _inactive_with_email(sim)
    assert client.email_availability(inactive.email).state == "unknown"
    with pytest.raises(DuplicateError) as info:
        client.create_employee(**new_employee(client, email=inactive.email))
    assert info.value.field == "email"
    assert info.value.wrote_nothing
    # The server's answer is knowledge: the e-mail is now taken, and a retry with it
    # is refused before anything is sent.
    assert client.email_availability(inactive.email.upper()) == EmailAvailability(
        "taken", "the server refused it as already in use"
    )
    posts = sum(r.method == "POST" for r in sim.requests)
    with pytest.raises(DuplicateError) as again:
        client.create_employee(**new_employee(client, email=inactive.email))
    assert again.value.field == "email"
    assert sum(r.method == "POST" for r in sim.requests) == posts


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ("The email dana.re@example.com is already in use.", "email"),
        ("The email pos.desk@example.com already exists.", "email"),  # not the POS ID
        ("The e-mail login.help@example.com is already used", "email"),
        ("The username jmail is already in use.", "username"),  # not the e-mail
        ("The username pos-phone already exists.", "username"),
        ("The POS User ID 4411 is already in use.", "pos_user_id"),
        ("That phone is already taken", "phone"),
        ("This value is already in use.", None),
    ],
)
def test_a_duplicate_message_names_the_field_it_is_about_not_its_value(
    message: str, field: str | None
) -> None:
    assert _duplicate_field(message.casefold()) == field


def test_a_us_phone_with_its_country_code_is_the_same_phone(demo_sim: Simulator) -> None:
    employee = next(e for e in demo_sim.store.employees.values() if e.site_ids and e.phone)
    digits = "".join(ch for ch in employee.phone if ch.isdigit())
    assert len(digits) == 10
    with Client(**demo_sim.client_kwargs()) as client:
        spaced = f"+1 {digits[:3]} {digits[3:6]} {digits[6:]}"
        assert not client.is_phone_available(spaced)
        assert not client.is_phone_available(f"1-{digits[:3]}-{digits[3:6]}-{digits[6:]}")
        assert client.is_phone_available("+1 312 555 0199")


@pytest.mark.parametrize("phone", ["+1 312 555 0199", "1-312-555-0199", "+1 (312) 555-0199"])
def test_a_us_phone_may_start_with_its_country_code(phone: str) -> None:
    assert validation.phone(f" {phone} ") == phone
    assert validation.phone_digits(phone) == "3125550199"


@pytest.mark.parametrize("phone", ["+44 20 7946 0958", "2 312 555 0199", "+1 312 555 01999"])
def test_other_long_numbers_are_still_refused(phone: str) -> None:
    with pytest.raises(ValidationError) as info:
        validation.phone(phone)
    assert info.value.field == "phone" and "country code 1" in info.value.message
