"""Changing an employee: the planned field changes, the plan, and what writing it returns."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from sonnys_tui.backoffice.models.employees import (
    EmployeeRecord,
    EmployeeRow,
    PosAccess,
    Secret,
    Wage,
)

ChangeOperation = Literal["update", "add wage", "set POS template"]
# What a FieldChange holds: plain values for the review, a Secret for the PIN.
FieldValue = str | int | Decimal | bool | date | tuple[str, ...] | Secret | None


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One line of a change's review: ``field`` goes from ``old`` to ``new``.

    ``field`` is the record's attribute (``first_name``, ``available_sites``,
    ``pos_pin``…) or, for a wage, the new wage's part (``rate``, ``effective_date``…).
    Sites and departments are tuples of names (sites "all" when every site); a PIN is a
    :class:`Secret` on both sides, so printing a change never shows it.
    """

    field: str
    old: FieldValue
    new: FieldValue

    @property
    def added(self) -> tuple[str, ...]:
        """For a list field (sites, departments): the names ``new`` has and ``old`` lacks."""
        old, new = _names(self.old), _names(self.new)
        return tuple(name for name in new if name not in old)

    @property
    def removed(self) -> tuple[str, ...]:
        """For a list field: the names ``old`` has and ``new`` lacks."""
        old, new = _names(self.old), _names(self.new)
        return tuple(name for name in old if name not in new)

    def __str__(self) -> str:
        return f"{self.field}: {_shown(self.old)} -> {_shown(self.new)}"


def _names(value: FieldValue) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else ()


def _shown(value: FieldValue) -> str:
    if isinstance(value, tuple):
        return ", ".join(value) or "(none)"
    if isinstance(value, date):
        return value.isoformat()
    return "(empty)" if value in ("", None) else str(value)


@dataclass(frozen=True, slots=True)
class PlannedRequest:
    """One request an apply will send, and why."""

    method: str
    path: str
    purpose: str

    def __str__(self) -> str:
        return f"{self.method} {self.path}: {self.purpose}"


R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class EmployeeChangePlan(Generic[R]):
    """A change computed without writing: review it, then pass it to
    :meth:`SonnysBackofficeClient.apply_change` (which returns an ``R``).

    ``changes`` is the diff to show (empty: nothing to do, and applying sends nothing);
    ``requests`` what the apply will send, in order; ``expected`` what the apply must
    find unchanged when it re-reads the record (field -> value as read when planning:
    any difference is a :class:`~sonnys_tui.backoffice.errors.ConflictError` and
    nothing is written). ``arguments`` are the operation's checked arguments, from
    which the apply (and :meth:`SonnysBackofficeClient.replan`) computes the change
    again on what it reads.
    """

    operation: ChangeOperation
    employee_id: int
    employee_name: str
    changes: tuple[FieldChange, ...]
    requests: tuple[PlannedRequest, ...]
    expected: tuple[tuple[str, object], ...]
    arguments: tuple[tuple[str, object], ...]
    warnings: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to change (the apply then sends nothing)."""
        return not self.changes

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields the change touches, in review order."""
        return tuple(change.field for change in self.changes)

    def describe(self) -> str:
        """The review as text: what changes on whom, then the requests."""
        head = f"{self.operation} of employee {self.employee_id} ({self.employee_name})"
        if self.is_empty:
            return f"{head}: nothing to change"
        lines = [head + ":", *(f"  {change}" for change in self.changes)]
        lines += ["requests:", *(f"  {request}" for request in self.requests)]
        lines += [f"warning: {warning}" for warning in self.warnings]
        return "\n".join(lines)


def _row_base(previous: EmployeeRow | None, employee_id: int) -> EmployeeRow:
    return previous or EmployeeRow(
        employee_id=employee_id,
        first_name="",
        last_name="",
        pos_user_id=None,
        phone="",
        site_codes=(),
        departments=(),
        access="",
        wage_type="",
        active=True,
    )


@dataclass(frozen=True, slots=True)
class EmployeeUpdated:
    """The result of an update: ``record`` is the edit page read back after the write
    (``changed=False``: there was nothing to change and nothing was written)."""

    employee_id: int
    changes: tuple[FieldChange, ...]
    record: EmployeeRecord
    changed: bool = True
    warnings: tuple[str, ...] = ()

    def as_row(self, previous: EmployeeRow | None = None) -> EmployeeRow:
        """The row the employee list now shows: ``previous`` (the row before) with what
        the edit page holds. Without ``previous`` (the employee was not listed: it had no
        site), the Access and wage type columns are left empty until the next refresh."""
        record = self.record
        base = _row_base(previous, record.employee_id)
        codes = record.site_codes
        if previous is not None and "available_sites" not in {c.field for c in self.changes}:
            codes = previous.site_codes  # the sites did not change: keep the list's own codes
        return replace(
            base,
            first_name=record.first_name,
            last_name=record.last_name,
            pos_user_id=record.pos_user_id,
            phone=record.phone,
            site_codes=tuple(sorted(codes, key=str.casefold)),
            departments=tuple(sorted(record.departments, key=str.casefold)),
            active=record.active,
        )


@dataclass(frozen=True, slots=True)
class WageAdded:
    """A new wage, read back in the history (newest first). A wage keeps the wage
    type, so the employee list does not change: there is no ``as_row``."""

    employee_id: int
    wage: Wage
    history: tuple[Wage, ...]
    changes: tuple[FieldChange, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PosPermissionsSet:
    """A POS template applied to an employee, as read back (``changed=False``: the
    employee already had exactly that template's permissions)."""

    employee_id: int
    template: str
    access: PosAccess
    changes: tuple[FieldChange, ...]
    changed: bool = True
    warnings: tuple[str, ...] = ()

    def as_row(self, previous: EmployeeRow) -> EmployeeRow:
        """``previous`` with the Access column the list now shows."""
        return replace(previous, access=self.access.access)
