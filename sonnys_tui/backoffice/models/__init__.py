"""Result types returned by :class:`SonnysBackofficeClient`.

All results are frozen dataclasses. Money is :class:`~decimal.Decimal`. Secrets
(PINs, passwords) are wrapped in :class:`Secret`, whose ``str``/``repr`` never
show the value: call :meth:`Secret.reveal` where the value is really needed.

The types live by area: the employee, its rows and requests (``employees``), changing
an employee (``changes``), Back Office users, access and offboarding (``access``); all
are imported from here.
"""

from sonnys_tui.backoffice.models.access import (
    AvailabilityState,
    BackofficeAccess,
    BackofficePermissionsSet,
    BackofficeUser,
    BackofficeUserDisabled,
    BackofficeUserEnabled,
    EmailAvailability,
    Offboarded,
    PasswordReset,
    Reinstated,
    StatusChange,
)
from sonnys_tui.backoffice.models.changes import (
    ChangeOperation,
    EmployeeChangePlan,
    EmployeeUpdated,
    FieldChange,
    FieldValue,
    PlannedRequest,
    PosPermissionsSet,
    WageAdded,
)
from sonnys_tui.backoffice.models.employees import (
    ActiveFilter,
    BackofficeUserCreated,
    BackofficeUserRequest,
    BackofficeUserRow,
    Department,
    EmployeeCreated,
    EmployeeDisabled,
    EmployeeEnabled,
    EmployeeRecord,
    EmployeeRow,
    HireRequest,
    Permission,
    PosAccess,
    Scope,
    Secret,
    Site,
    UpdateRequest,
    Wage,
)

__all__ = [
    "ActiveFilter",
    "AvailabilityState",
    "BackofficeAccess",
    "BackofficePermissionsSet",
    "BackofficeUser",
    "BackofficeUserCreated",
    "BackofficeUserDisabled",
    "BackofficeUserEnabled",
    "BackofficeUserRequest",
    "BackofficeUserRow",
    "ChangeOperation",
    "Department",
    "EmailAvailability",
    "EmployeeChangePlan",
    "EmployeeCreated",
    "EmployeeDisabled",
    "EmployeeEnabled",
    "EmployeeRecord",
    "EmployeeRow",
    "EmployeeUpdated",
    "FieldChange",
    "FieldValue",
    "HireRequest",
    "Offboarded",
    "PasswordReset",
    "Permission",
    "PlannedRequest",
    "PosAccess",
    "PosPermissionsSet",
    "Reinstated",
    "Scope",
    "Secret",
    "Site",
    "StatusChange",
    "UpdateRequest",
    "Wage",
    "WageAdded",
]
