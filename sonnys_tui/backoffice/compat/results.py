"""The compat layer's result types (that package's names) and its pure helpers."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal, TypeVar

from sonnys_tui.backoffice import validation
from sonnys_tui.backoffice.errors import (
    BackofficeError,
    NotFoundError,
    UnknownNameError,
    ValidationError,
)
from sonnys_tui.backoffice.models import (
    ActiveFilter,
    EmployeeDisabled,
    EmployeeEnabled,
    EmployeeRecord,
    EmployeeRow,
    EmployeeUpdated,
    PosAccess,
    PosPermissionsSet,
    Wage,
    WageAdded,
)

Part = TypeVar("Part", EmployeeUpdated, WageAdded, PosPermissionsSet)
Sites = Sequence[str] | Literal["all"]

# That package's names for our types (the same objects: our names work on them too).
EmployeeSummary = EmployeeRow  # + is_active
WageRecord = Wage  # + is_current, wage_type
EmployeePermission = PosAccess  # + template_name, is_custom, granted/override_permission_ids

# One verified write of modify_employee (ours).
Written = EmployeeUpdated | WageAdded | PosPermissionsSet | EmployeeEnabled | EmployeeDisabled

# What modify_employee reports in ``changes_applied`` (that package's words).
PROPERTIES, COMPENSATION, PERMISSION = "properties", "compensation", "permission"
ACTIVATED, DEACTIVATED = "activated", "deactivated"

NON_DIGITS = re.compile(r"\D")


class UnknownTemplateError(UnknownNameError, NotFoundError):
    """A POS template name the tenant does not have. Ours calls it
    :class:`UnknownNameError` (a :class:`ValidationError`), that package
    :class:`NotFoundError`: it is both, so either ``except`` catches it."""


# ---------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class EmployeeProfile:
    """One employee's edit page, as that package names it (``record``: ours, whole)."""

    employee_id: int
    pos_user_id: int | None
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    departments: list[str]
    available_sites: list[str] | Literal["all"]  # long names, or "all" (every site)
    start_date: date | None
    adp_employee_id: str | None
    emergency_contact_name: str | None
    emergency_contact_phone: str | None
    is_active: bool
    record: EmployeeRecord = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Employee(EmployeeProfile):
    """The full snapshot: the profile, the wages (newest first) and the POS access."""

    current_wage: Wage | None
    wage_history: list[Wage]
    permission: PosAccess


@dataclass(frozen=True, slots=True)
class EmployeeCompensation:
    current: Wage | None
    history: list[Wage]  # newest first


@dataclass(frozen=True, slots=True)
class EmployeeModified:
    """What :meth:`SonnysBackofficeClient.modify_employee` wrote, each part verified.

    ``changes_applied`` lists the parts written ("properties", "compensation",
    "permission", "activated", "deactivated"); a part already as asked is not written
    (a warning says so). ``results`` holds our own verified results, in order.
    """

    employee_id: int
    changes_applied: list[str]
    permission_applied: str | None = None
    wage_rate: Decimal | None = None
    wage_effective_date: date | None = None
    warnings: list[str] = field(default_factory=list)
    results: tuple[Written, ...] = field(default=(), repr=False, compare=False)


# ---------------------------------------------------------------- pure helpers


def last_ten_digits(phone: str) -> str:
    return NON_DIGITS.sub("", phone)[-10:]


def name_key(value: object, *, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{field} must be a non-empty name", field=field)
    return validation.printable(value, field=field).strip().casefold()


def or_none(text: str) -> str | None:
    return text or None


def check_active(active: object) -> ActiveFilter:
    if active not in ("active", "inactive", "all"):
        raise ValidationError("active must be 'active', 'inactive' or 'all'", field="active")
    return active


def wage_day(value: object, *, field: str) -> date | None:
    """A date, or the day of a datetime (that package takes datetimes)."""
    return None if value is None else validation.day(value, field=field)


@contextmanager
def their_field_names(renamed: dict[str, str]) -> Iterator[None]:
    """Errors name the caller's argument: ours ``rate`` is their ``wage_rate``."""
    try:
        yield
    except UnknownNameError as exc:
        theirs = renamed.get(exc.field or "", exc.field)
        if theirs == "permission" and not isinstance(exc, UnknownTemplateError):
            raise UnknownTemplateError(
                exc.message, field=theirs, step=exc.step, state=exc.state
            ) from exc
        exc.field = theirs
        raise
    except BackofficeError as exc:
        exc.field = renamed.get(exc.field or "", exc.field)
        raise


MODIFY_FIELDS = {
    "email": "new_email",
    "rate": "wage_rate",
    "overtime_rate": "overtime_wage_rate",
    "overtime_eligible": "overtime_wage_rate",
    "effective_date": "wage_effective_date",
    "template": "permission",
}


_Profile = TypeVar("_Profile", bound=EmployeeProfile)


def profile_of(
    kind: type[_Profile], record: EmployeeRecord, every_site: frozenset[int], **more: Any
) -> _Profile:
    """``record``'s profile as an :class:`EmployeeProfile` (or a subclass, its own fields
    in ``more``)."""
    everywhere = bool(every_site) and every_site <= record.site_ids
    return kind(
        employee_id=record.employee_id,
        pos_user_id=record.pos_user_id,
        first_name=record.first_name,
        last_name=record.last_name,
        email=or_none(record.email),
        phone=or_none(record.phone),
        departments=list(record.departments),
        # "all" also when every site is listed: the same access
        available_sites="all" if everywhere else list(record.sites),
        start_date=record.start_date,
        adp_employee_id=or_none(record.adp_employee_id),
        emergency_contact_name=or_none(record.emergency_contact_name),
        emergency_contact_phone=or_none(record.emergency_contact_phone),
        is_active=record.active,
        record=record,
        **more,
    )


def default_wage_date(record: EmployeeRecord, warnings: list[str]) -> date | None:
    """That package's default: today, or the day after the latest wage when that is
    today or later (the Back Office ignores a wage not after the latest). None: today."""
    history = record.wages or ()
    if not history:
        return None  # the plan says why a wage cannot be added
    latest = history[0].effective_date
    if latest < date.today():
        return None
    rolled = latest + timedelta(days=1)
    warnings.append(
        f"the latest wage takes effect {latest.isoformat()}: the new wage takes effect "
        f"{rolled.isoformat()}, the first day after it"
    )
    return rolled


def note_written(
    results: list[Written],
    applied: list[str],
    warnings: list[str],
    result: Written,
    label: str,
    already: bool,
) -> None:
    results.append(result)
    if already:
        status = "active" if label == ACTIVATED else "inactive"
        warnings.append(f"the employee was already {status}: nothing was written")
    else:
        applied.append(label)
    if isinstance(result, EmployeeUpdated | WageAdded | PosPermissionsSet):
        warnings.extend(result.warnings)
