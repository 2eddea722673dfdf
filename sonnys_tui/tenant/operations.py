"""The table of operations: for each result type a write returns, its name in the
audit trail and in what the listeners are told, and how it lands in what the
:class:`~sonnys_tui.tenant.Tenant` knows (the landing functions below run under the
tenant's lock, from ``Tenant.land``, and return what to tell).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from sonnys_tui.backoffice.models import (
    BackofficePermissionsSet,
    BackofficeUserCreated,
    BackofficeUserDisabled,
    BackofficeUserEnabled,
    BackofficeUserRow,
    ChangeOperation,
    EmployeeCreated,
    EmployeeDisabled,
    EmployeeEnabled,
    EmployeeRow,
    EmployeeUpdated,
    Offboarded,
    PasswordReset,
    PosPermissionsSet,
    Reinstated,
    WageAdded,
)
from sonnys_tui.tenant.events import EmployeeChanged, TenantChange

if TYPE_CHECKING:
    from datetime import datetime

    from sonnys_tui.lookup import Indexed
    from sonnys_tui.tenant.events import BackofficeUserChanged
    from sonnys_tui.tenant.records import EmployeeRecords

_STATUS_TIME = "%Y-%m-%d %H:%M:%S"  # as the employee list's data-date-utc shows it


class Tenant(Protocol):
    """What a landing function reaches of the :class:`~sonnys_tui.tenant.Tenant`
    (a protocol, so that this module need not import the one that imports it)."""

    _entries: dict[int, Indexed]
    _records: EmployeeRecords

    def _clock(self) -> datetime: ...
    def _put_employee(self, row: EmployeeRow) -> EmployeeRow: ...
    def _put_user_row(self, row: BackofficeUserRow, operation: str) -> BackofficeUserChanged: ...
    def _add_email(self, email: str | None) -> None: ...


@dataclass(frozen=True, slots=True)
class Operation:
    """One kind of write, found by the client's result type in :data:`OPERATIONS`.

    ``name`` is the write in the audit trail and in what the listeners are told;
    ``lands`` changes what the tenant knows from the result (under its lock, returning
    what to tell; None: the result is never recorded, as a new password is not);
    ``target`` names the audit's target once the result is known (None: the one
    given before the write stays) and ``warnings`` are the audit's warnings.
    """

    name: str
    lands: Callable[[Tenant, Any], list[TenantChange]] | None
    target: Callable[[Any], str] | None = None
    warnings: Callable[[Any], list[str]] = lambda result: list(getattr(result, "warnings", ()))


def _land_hire(tenant: Tenant, result: EmployeeCreated) -> list[TenantChange]:
    changes: list[TenantChange] = [
        EmployeeChanged(tenant._put_employee(result.as_row()), _name(result))
    ]
    tenant._add_email(result.email)
    if result.backoffice_user is not None:
        changes += _land_new_user(tenant, result.backoffice_user)
    return changes


def _land_new_user(tenant: Tenant, result: BackofficeUserCreated) -> list[TenantChange]:
    row = result.as_row()
    tenant._add_email(row.email)
    return [tenant._put_user_row(row, _name(result))]


def _land_status(tenant: Tenant, result: EmployeeDisabled | EmployeeEnabled) -> list[TenantChange]:
    active = isinstance(result, EmployeeEnabled)
    # A disabled employee keeps its e-mail: the server still counts it as taken.
    tenant._add_email(result.email)
    entry = tenant._entries.get(result.employee_id)
    if entry is None or entry.row.active == active:
        return []
    stamp = tenant._clock().strftime(_STATUS_TIME)
    row = tenant._put_employee(entry.row.with_status(active, stamp))
    return [EmployeeChanged(row, _name(result))]


def _land_doors(tenant: Tenant, result: Offboarded | Reinstated) -> list[TenantChange]:
    changes = _land_status(tenant, result.employee)
    return changes + [tenant._put_user_row(user, _name(result)) for user in result.rows()]


def _land_user_status(
    tenant: Tenant, result: BackofficeUserDisabled | BackofficeUserEnabled
) -> list[TenantChange]:
    return [tenant._put_user_row(result.as_row(), _name(result))]


def _land_changed_row(
    tenant: Tenant, result: EmployeeUpdated | PosPermissionsSet
) -> list[TenantChange]:
    entry = tenant._entries.get(result.employee_id)
    previous = entry.row if entry is not None else None
    if isinstance(result, EmployeeUpdated):
        record = result.record
        tenant._add_email(record.email)
        tenant._records.learn(record.employee_id, record.email, record.adp_employee_id)
        row: EmployeeRow | None = result.as_row(previous)
    else:
        row = result.as_row(previous) if previous is not None else None
    if not result.changed or row is None or row == previous:
        return []
    return [EmployeeChanged(tenant._put_employee(row), _name(result))]


def _lands_nothing(tenant: Tenant, result: object) -> list[TenantChange]:
    return []  # nothing the lists show changes


OPERATIONS: dict[type, Operation] = {
    EmployeeCreated: Operation(
        "hire",
        _land_hire,
        target=lambda r: f"employee_id={r.employee_id} pos_user_id={r.pos_user_id}",
    ),
    EmployeeDisabled: Operation("disable", _land_status),
    EmployeeEnabled: Operation("enable", _land_status),
    EmployeeUpdated: Operation("change", _land_changed_row),
    WageAdded: Operation("change", _lands_nothing),
    PosPermissionsSet: Operation("change", _land_changed_row),
    Offboarded: Operation("offboard", _land_doors),
    Reinstated: Operation("reinstate", _land_doors),
    BackofficeUserCreated: Operation(
        "new backoffice user",
        _land_new_user,
        target=lambda r: f"username={r.username} user_id={r.user_id}",
    ),
    BackofficeUserDisabled: Operation("disable backoffice user", _land_user_status),
    BackofficeUserEnabled: Operation("enable backoffice user", _land_user_status),
    BackofficePermissionsSet: Operation(
        "set backoffice permissions",
        _lands_nothing,
        warnings=lambda r: ["already so: nothing written"] if r.already else [],
    ),
    PasswordReset: Operation("reset backoffice password", None),
}
# A plan's operation says which result writing it returns.
CHANGE_RESULTS: dict[ChangeOperation, type] = {
    "update": EmployeeUpdated,
    "add wage": WageAdded,
    "set POS template": PosPermissionsSet,
}


def _name(result: object) -> str:
    """The write's name in the audit trail and in what the listeners are told."""
    return OPERATIONS[type(result)].name
