"""The client's own input rules, wrapped as Textual validators for as-you-type checks.

Nothing is re-implemented here: each validator calls a field's rule in the registry
(:mod:`sonnys_tui.backoffice.fields`, made of :mod:`sonnys_tui.backoffice.validation`)
and shows the ValidationError's message, so a control or invisible character typed or
pasted into a field is named as you type ("first name contains a control character
(\\x1b) — remove it") and refused on submit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import cast

from textual.validation import ValidationResult, Validator

from sonnys_tui.backoffice import fields, validation
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


def check_pos_user_id(value: str) -> int:
    return cast("int", fields.field("pos_user_id").from_text(value))


def check_pin(value: str) -> int:
    return cast("int", fields.field("pos_pin").from_text(value))


# The Back Office user form's own (its fields are named as the client's arguments).
_BACKOFFICE_USER: dict[str, Callable[[str], object]] = {
    "username": validation.username,
    "password": validation.password,
}


def check_of(name: str) -> Callable[[str], object] | None:
    """The rule for text typed into ``name``'s input: the field registry's (read now,
    so a field added to it is checked too), or None when there is none."""
    if name in _BACKOFFICE_USER:
        return _BACKOFFICE_USER[name]
    field = fields.find(name)
    if field is None or field.name != name or (field.check is None and field.parse is None):
        return None
    return field.from_text


class _Rules(Mapping[str, Callable[[str], object]]):
    """Every rule by input name, looked up in the registry when asked."""

    def __getitem__(self, name: str) -> Callable[[str], object]:
        check = check_of(name)
        if check is None:
            raise KeyError(name)
        return check

    def __iter__(self) -> Iterator[str]:
        names = [f.name for f in fields.EMPLOYEE_FIELDS] + list(_BACKOFFICE_USER)
        return (name for name in names if check_of(name) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


RULES: Mapping[str, Callable[[str], object]] = _Rules()


def rule(name: str, *, required: bool = False) -> ClientRule:
    return ClientRule(RULES[name], required=required)
