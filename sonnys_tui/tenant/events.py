"""What the tenant layer tells its listeners: one small dataclass per kind of change.

Listeners are called on the thread that made the change (a worker's, in the app):
they must only hand the change on (the app posts it as a Textual message) and never
block.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, get_args

from sonnys_tui.backoffice.models import BackofficeUserRow, EmployeeRow

# Re-exported by the package (:mod:`sonnys_tui.tenant`) as they are.
__all__ = [
    "LAZY_LISTS",
    "LISTS",
    "REFERENCE_LISTS",
    "BackofficeUserChanged",
    "EmployeeChanged",
    "ListName",
    "Listener",
    "ListsReplaced",
    "RefreshFailed",
    "RefreshStarted",
    "TenantChange",
]

# In the order a refresh fetches them: the small lists first, so a screen has its sites
# and templates while the roster is still downloading.
ListName = Literal[
    "sites",
    "departments",
    "pos_templates",
    "backoffice_templates",
    "backoffice_users",
    "emails",
    "employees",
]
LISTS: tuple[ListName, ...] = get_args(ListName)
# The active employees' e-mails come from a page that lists the whole roster again
# (/user/create: 10,000 options, ~15 MiB parsed): the app leaves them to the client's first
# e-mail check, and the cache is saved without them (it keeps what is known).
LAZY_LISTS: frozenset[ListName] = frozenset({"emails"})
REFERENCE_LISTS: frozenset[ListName] = frozenset(LISTS) - {"employees"} - LAZY_LISTS
Source = Literal["cache", "server"]


@dataclass(frozen=True, slots=True)
class RefreshStarted:
    """These lists are being fetched from the server."""

    lists: frozenset[ListName]


@dataclass(frozen=True, slots=True)
class ListsReplaced:
    """These lists were replaced whole, from the disk cache or the server, as they
    were at ``as_of``."""

    lists: frozenset[ListName]
    source: Source
    as_of: datetime


@dataclass(frozen=True, slots=True)
class RefreshFailed:
    """Fetching these lists failed; what was known before stays."""

    lists: frozenset[ListName]
    error: BaseException


@dataclass(frozen=True, slots=True)
class EmployeeChanged:
    """A write changed (or added) one employee; ``row`` is how the list shows them now,
    ``operation`` the write's name (in :data:`sonnys_tui.tenant.operations.OPERATIONS`)."""

    row: EmployeeRow
    operation: str


@dataclass(frozen=True, slots=True)
class BackofficeUserChanged:
    """A write changed (or added) one Back Office user (``operation``: as above)."""

    user: BackofficeUserRow
    operation: str


TenantChange = (
    RefreshStarted | ListsReplaced | RefreshFailed | EmployeeChanged | BackofficeUserChanged
)
Listener = Callable[[TenantChange], None]
