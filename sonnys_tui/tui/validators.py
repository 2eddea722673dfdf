"""The client's own input rules, wrapped as Textual validators for as-you-type checks.

Nothing is re-implemented here: each validator calls a function of
:mod:`sonnys_tui.backoffice.validation` and shows the ValidationError's message, so a
control or invisible character typed or pasted into a field is named as you type
("first name contains a control character (\\x1b) — remove it") and refused on submit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual.validation import ValidationResult, Validator

from sonnys_tui.backoffice import validation
from sonnys_tui.backoffice.errors import ValidationError


class ClientRule(Validator):
    """Valid when ``check(value)`` does not raise; blank is valid unless ``required``."""

    def __init__(self, check: Callable[[str], object], *, required: bool = False) -> None:
        super().__init__()
        self.check = check
        self.required = required

    def validate(self, value: str) -> ValidationResult:
        if not value.strip():
            return self.failure("required") if self.required else self.success()
        try:
            self.check(value)
        except ValidationError as exc:
            return self.failure(exc.message)
        return self.success()


def parse_int(value: str, *, field: str, what: str) -> int:
    text = value.strip()
    if not text.isdigit():
        raise ValidationError(f"{field} must be {what}", field=field)
    return int(text)


def parse_date(value: str) -> date:
    validation.printable(value, field="start_date")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            "start_date must be a date like 2026-03-01", field="start_date"
        ) from None


def check_pos_user_id(value: str) -> int:
    return validation.pos_user_id(parse_int(value, field="pos_user_id", what="a whole number >= 1"))


def check_pin(value: str) -> int:
    return validation.pin(parse_int(value, field="pos_pin", what="5 digits, 10000-99999"))


RULES: dict[str, Callable[[str], object]] = {
    "first_name": lambda v: validation.name(
        v, field="first_name", max_length=validation.FIRST_NAME_MAX
    ),
    "last_name": lambda v: validation.name(
        v, field="last_name", max_length=validation.LAST_NAME_MAX
    ),
    "phone": validation.phone,
    "email": validation.email,
    "pos_user_id": check_pos_user_id,
    "pos_pin": check_pin,
    "wage_rate": lambda v: validation.money(v, field="wage_rate"),
    "overtime_wage_rate": lambda v: validation.money(v, field="overtime_wage_rate"),
    "start_date": parse_date,
    # The client's own limits: a value the form accepts is one the client accepts.
    "adp_employee_id": lambda v: validation.optional_text(
        v, field="adp_employee_id", max_length=validation.ADP_ID_MAX
    ),
    "emergency_contact_name": lambda v: validation.optional_text(
        v, field="emergency_contact_name", max_length=validation.EMERGENCY_NAME_MAX
    ),
    "emergency_contact_phone": lambda v: validation.phone(v, field="emergency_contact_phone"),
    "backoffice_username": lambda v: validation.username(v, field="backoffice_username"),
    "backoffice_password": lambda v: validation.password(v, field="backoffice_password"),
    "username": validation.username,
    "password": validation.password,
}


def rule(name: str, *, required: bool = False) -> ClientRule:
    return ClientRule(RULES[name], required=required)
