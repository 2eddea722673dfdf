"""Scripts written for the public ``sonnys_backoffice`` package (0.7.x) run on ours.

Change the import line and nothing else::

    from sonnys_tui.backoffice.compat import SonnysBackofficeClient, NotFoundError

Every call keeps that package's parameter names and defaults and returns results under
its attribute names, but is built on this client's verified operations: each change is
planned (every argument checked, every name resolved) before the first write, applied
with a conflict check, and read back. So a compat call is never less safe than ours.
The errors are ours (``SonnysBackofficeError`` is our base class, so one ``except``
catches everything we raise). Where we differ on purpose (an unknown template name on a
hire, an e-mail only an inactive employee holds, a wage dated on or before the latest
one) the compat call keeps our behaviour: the README's "Coming from sonnys_backoffice"
lists each difference and why.

Secrets stay masked when printed: ``result.pos_pin`` and ``result.backoffice_password``
are :class:`~sonnys_tui.backoffice.models.Secret`; ``.reveal()`` gives the value.
:attr:`SonnysBackofficeClient.native` is our own client, for everything else it offers
(offboarding, the access review, plans to review before applying).
"""

from __future__ import annotations

from sonnys_tui.backoffice.compat.client import SonnysBackofficeClient
from sonnys_tui.backoffice.compat.results import (
    Employee,
    EmployeeCompensation,
    EmployeeModified,
    EmployeePermission,
    EmployeeProfile,
    EmployeeSummary,
    UnknownTemplateError,
    WageRecord,
)
from sonnys_tui.backoffice.errors import (
    AmbiguousMatchError,
    AuthenticationError,
    BackofficeServerError,
    DuplicateError,
    NotFoundError,
    PermissionDeniedError,
    SonnysBackofficeError,
    ValidationError,
)
from sonnys_tui.backoffice.models import (
    BackofficeUserCreated,
    Department,
    EmployeeCreated,
    EmployeeDisabled,
    Permission,
    Secret,
    Site,
)

__all__ = [
    "AmbiguousMatchError",
    "AuthenticationError",
    "BackofficeServerError",
    "BackofficeUserCreated",
    "Department",
    "DuplicateError",
    "Employee",
    "EmployeeCompensation",
    "EmployeeCreated",
    "EmployeeDisabled",
    "EmployeeModified",
    "EmployeePermission",
    "EmployeeProfile",
    "EmployeeSummary",
    "NotFoundError",
    "Permission",
    "PermissionDeniedError",
    "Secret",
    "Site",
    "SonnysBackofficeClient",
    "SonnysBackofficeError",
    "UnknownTemplateError",
    "ValidationError",
    "WageRecord",
]
