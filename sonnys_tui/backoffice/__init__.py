"""Client library for Sonny's CarWash Controls Back Office user management.

Exports are resolved lazily (PEP 562) so that ``import sonnys_tui.backoffice``
stays cheap: httpx and lxml load only when the client is first used.
"""

# ruff: noqa: F401  (the TYPE_CHECKING imports are the lazy exports, listed in _EXPORTS)
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sonnys_tui.backoffice.client import SonnysBackofficeClient
    from sonnys_tui.backoffice.errors import (
        AmbiguousMatchError,
        AuthenticationError,
        BackofficeConnectionError,
        BackofficeError,
        BackofficeServerError,
        ConflictError,
        DuplicateError,
        IncompleteError,
        NotFoundError,
        PermissionDeniedError,
        ReadOnlyError,
        SessionLostError,
        SonnysBackofficeError,
        UnknownNameError,
        ValidationError,
    )
    from sonnys_tui.backoffice.models import (
        BackofficeAccess,
        BackofficePermissionsSet,
        BackofficeUser,
        BackofficeUserCreated,
        BackofficeUserDisabled,
        BackofficeUserEnabled,
        BackofficeUserRow,
        Department,
        EmailAvailability,
        EmployeeChangePlan,
        EmployeeCreated,
        EmployeeDisabled,
        EmployeeEnabled,
        EmployeeRecord,
        EmployeeRow,
        EmployeeUpdated,
        FieldChange,
        Offboarded,
        PasswordReset,
        Permission,
        PlannedRequest,
        PosAccess,
        PosPermissionsSet,
        Reinstated,
        Secret,
        Site,
        Wage,
        WageAdded,
    )
    from sonnys_tui.backoffice.review import AccessFinding, AccessReview
    from sonnys_tui.backoffice.session import ClientStats

_EXPORTS: dict[str, str] = {
    "SonnysBackofficeClient": "client",
    "ClientStats": "session",
    **{
        name: "errors"
        for name in (
            "AmbiguousMatchError",
            "AuthenticationError",
            "BackofficeConnectionError",
            "BackofficeError",
            "BackofficeServerError",
            "ConflictError",
            "DuplicateError",
            "IncompleteError",
            "NotFoundError",
            "PermissionDeniedError",
            "ReadOnlyError",
            "SessionLostError",
            "SonnysBackofficeError",
            "UnknownNameError",
            "ValidationError",
        )
    },
    **{
        name: "models"
        for name in (
            "BackofficeAccess",
            "BackofficePermissionsSet",
            "BackofficeUser",
            "BackofficeUserCreated",
            "BackofficeUserDisabled",
            "BackofficeUserEnabled",
            "BackofficeUserRow",
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
            "Offboarded",
            "PasswordReset",
            "Permission",
            "PlannedRequest",
            "PosAccess",
            "PosPermissionsSet",
            "Reinstated",
            "Secret",
            "Site",
            "Wage",
            "WageAdded",
        )
    },
    "AccessFinding": "review",
    "AccessReview": "review",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
