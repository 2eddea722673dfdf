"""The field registry's rules (:mod:`sonnys_tui.backoffice.fields`): each a function of
:mod:`sonnys_tui.backoffice.validation` bound to its field's name and limits, taking a
typed value or the text a form, the shell or a CSV cell gives."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Literal

from sonnys_tui.backoffice import validation
from sonnys_tui.backoffice.errors import ValidationError

Check = Callable[[object], object]


def name(field: str, limit: int) -> Check:
    return lambda value: validation.name(value, field=field, max_length=limit)


def optional(field: str, limit: int) -> Check:
    return lambda value: validation.optional_text(value, field=field, max_length=limit)


def phone(field: str) -> Check:
    return lambda value: validation.phone(value, field=field)


def money(field: str) -> Check:
    return lambda value: validation.money(value, field=field)


def whole(field: str, what: str, then: Callable[[int], int]) -> Check:
    """Text of digits -> the number, checked by ``then``."""

    def parse(value: object) -> int:
        text = value.strip() if isinstance(value, str) else ""
        if not text.isdigit():
            raise ValidationError(f"{field} must be {what}", field=field)
        return then(int(text))

    return parse


def iso_date(field: str) -> Check:
    """An ISO date as typed (``2026-03-01``)."""

    def parse(value: object) -> date:
        if isinstance(value, date):
            return validation.start_date(value)
        text = validation.printable(str(value), field=field).strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValidationError(f"{field} must be a date like 2026-03-01", field=field) from None

    return parse


def list_text(value: object) -> list[str]:
    text = value if isinstance(value, str) else ""
    return [part.strip() for part in text.split(",") if part.strip()]


def sites(value: object) -> list[str] | Literal["all"]:
    sites = validation.site_choice(value, field="available_sites")
    return sites if sites == "all" else list(sites)


def sites_text(value: object) -> list[str] | Literal["all"]:
    if isinstance(value, str) and value.strip().casefold() == "all":
        return "all"
    return sites(list_text(value))


def departments(value: object) -> list[str]:
    wanted = validation.names_list(value, field="departments")
    if not wanted:
        raise ValidationError(
            "departments must name at least one department (the form requires one)",
            field="departments",
        )
    return wanted


def template(field: str) -> Check:
    def check(value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(f"{field} must name a template", field=field)
        return validation.printable(value, field=field).strip()

    return check


def site_name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("wage_site must name a site (its name or code)", field="wage_site")
    return validation.printable(value, field="wage_site").strip()


def email(value: object) -> str:
    return validation.email(value)


def username(field: str) -> Check:
    return lambda value: validation.username(value, field=field)


def password(field: str) -> Check:
    return lambda value: validation.password(value, field=field)
