from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sonnys_tui.backoffice import validation
from sonnys_tui.backoffice.errors import ValidationError


@pytest.mark.parametrize("phone", ["(555) 010-0101", "555.010.0101", "555010010", "5550100101"])
def test_phone_accepts_9_or_10_digits_and_keeps_the_text(phone: str) -> None:
    assert validation.phone(f"  {phone} ") == phone


@pytest.mark.parametrize("phone", ["", "555-0101", "55501001011", "phone"])
def test_phone_rejects_other_lengths_naming_the_field(phone: str) -> None:
    with pytest.raises(ValidationError) as info:
        validation.phone(phone)
    assert info.value.field == "phone"
    assert "9 or 10 digits" in str(info.value)


@pytest.mark.parametrize("pin", [10000, 54321, 99999])
def test_pin_range_accepted(pin: int) -> None:
    assert validation.pin(pin) == pin


@pytest.mark.parametrize("pin", [9999, 100000, 0, True, "12345"])
def test_pin_outside_range_rejected(pin: object) -> None:
    with pytest.raises(ValidationError, match="pos_pin"):
        validation.pin(pin)


def test_generated_pins_are_five_digits() -> None:
    pins = {validation.generate_pin() for _ in range(200)}
    assert all(10000 <= p <= 99999 for p in pins)
    assert len(pins) > 150  # random, not a constant


def test_generated_password_shape() -> None:
    for _ in range(50):
        password = validation.generate_password()
        assert len(password) == 16
        assert re.search(r"[A-Z]", password) and re.search(r"[a-z]", password)
        assert re.search(r"\d", password) and re.search(r"[^A-Za-z0-9]", password)
        assert validation.password(password) == password


@pytest.mark.parametrize("email", ["a@example.com", " Mixed.Case+tag@example.invalid "])
def test_email_ok(email: str) -> None:
    assert validation.email(email) == email.strip()


@pytest.mark.parametrize("email", ["", "no-at.example.com", "a@b", "a b@example.com", None])
def test_email_bad(email: object) -> None:
    with pytest.raises(ValidationError) as info:
        validation.email(email)
    assert info.value.field == "email"


@pytest.mark.parametrize("name", ["abc", "A_b9", "x" * 64])
def test_username_ok(name: str) -> None:
    assert validation.username(name) == name


@pytest.mark.parametrize("name", ["ab", "9abc", "a-b-c", "x" * 65, "has space"])
def test_username_bad(name: str) -> None:
    with pytest.raises(ValidationError, match="username"):
        validation.username(name)


def test_password_min_length() -> None:
    with pytest.raises(ValidationError, match="at least 8"):
        validation.password("short")


def test_names_stripped_and_bounded() -> None:
    assert validation.name("  Testy ", field="first_name", max_length=50) == "Testy"
    with pytest.raises(ValidationError, match="first_name must not be empty"):
        validation.name("   ", field="first_name", max_length=50)
    with pytest.raises(ValidationError, match="at most 50"):
        validation.name("x" * 51, field="first_name", max_length=50)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(15, "15.00"), (15.5, "15.50"), ("12.3", "12.30"), (Decimal("0.10"), "0.10"), (0.1, "0.10")],
)
def test_money_accepts_numbers_and_keeps_cents(raw: object, expected: str) -> None:
    assert validation.money(raw, field="wage_rate") == Decimal(expected)


@pytest.mark.parametrize("raw", [-1, "abc", 1.005, Decimal("NaN"), True, None])
def test_money_rejects(raw: object) -> None:
    with pytest.raises(ValidationError) as info:
        validation.money(raw, field="wage_rate")
    assert info.value.field == "wage_rate"


@given(st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False))
def test_default_overtime_is_one_and_a_half_rounded_half_up(wage: Decimal) -> None:
    overtime = validation.default_overtime(wage)
    assert overtime == overtime.quantize(Decimal("0.01"))
    assert abs(overtime - wage * Decimal("1.5")) <= Decimal("0.005")


def test_default_overtime_rounds_half_up() -> None:
    assert validation.default_overtime(Decimal("10.01")) == Decimal("15.02")  # 15.015 → up
    assert validation.default_overtime(Decimal("15.00")) == Decimal("22.50")


def test_start_date_accepts_date_and_datetime() -> None:
    assert validation.start_date(datetime(2026, 4, 13, 9, 30)) == date(2026, 4, 13)
    assert validation.start_date(date(2026, 4, 13)) == date(2026, 4, 13)
    with pytest.raises(ValidationError, match="start_date"):
        validation.start_date("2026-04-13")


def test_exactly_one() -> None:
    assert validation.exactly_one(a=None, b=3) == ("b", 3)
    with pytest.raises(ValidationError, match="exactly one of a, b"):
        validation.exactly_one(a=None, b=None)
    with pytest.raises(ValidationError):
        validation.exactly_one(a=1, b=2)


@pytest.mark.parametrize("sub", ["demo", "my-wash2"])
def test_subdomain_ok(sub: str) -> None:
    assert validation.subdomain(sub) == sub


@pytest.mark.parametrize("sub", ["", "Demo", "a.b", "evil/x", "-x"])
def test_subdomain_bad(sub: str) -> None:
    with pytest.raises(ValidationError, match="subdomain"):
        validation.subdomain(sub)


def test_new_employee_validates_and_hides_the_pin() -> None:
    new = validation.new_employee(
        first_name=" Testy ",
        last_name="McFixture",
        phone="555-010-0142",
        email="t@example.com",
        pos_user_id=4242,
        wage_rate=12.5,
        start_date=date(2026, 5, 1),
        available_sites=["Lakeside"],
        permission=" Cashier ",
        pos_pin=97531,
        departments=["Greeter"],
    )
    assert (new.first_name, new.permission, new.pin) == ("Testy", "Cashier", 97531)
    assert new.overtime == Decimal("18.75") and new.site_names == ["Lakeside"]
    assert "97531" not in repr(new)
    assert validation.site_choice("ALL", field="available_sites") == "all"
    with pytest.raises(ValidationError, match="at least one site"):
        validation.site_choice([], field="available_sites")
    with pytest.raises(ValidationError, match="list of site names"):
        validation.site_choice("Lakeside", field="available_sites")
