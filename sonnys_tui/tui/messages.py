"""Messages that worker threads post back to the UI thread with their results."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.message import Message

from sonnys_tui.backoffice.models import (
    BackofficeUserRow,
    Department,
    EmployeeRecord,
    EmployeeRow,
    Permission,
    Site,
)
from sonnys_tui.lookup import Indexed

if TYPE_CHECKING:
    from sonnys_tui.cache import RosterSnapshot


class RosterLoaded(Message):
    """The server's roster, indexed for the filter in the worker thread."""

    def __init__(self, entries: list[Indexed]) -> None:
        super().__init__()
        self.entries = entries


class SitesLoaded(Message):
    def __init__(self, sites: Sequence[Site]) -> None:
        super().__init__()
        self.sites = sites


class DepartmentsLoaded(Message):
    def __init__(self, departments: Sequence[Department]) -> None:
        super().__init__()
        self.departments = departments


class PermissionsLoaded(Message):
    def __init__(self, scope: str, permissions: Sequence[Permission]) -> None:
        super().__init__()
        self.scope = scope
        self.permissions = permissions


class BackofficeUsersLoaded(Message):
    def __init__(self, users: Sequence[BackofficeUserRow]) -> None:
        super().__init__()
        self.users = users


class DetailLoaded(Message):
    def __init__(self, record: EmployeeRecord) -> None:
        super().__init__()
        self.record = record


class EmployeeStatusChanged(Message):
    def __init__(self, row: EmployeeRow) -> None:
        super().__init__()
        self.row = row


class CacheLoaded(Message):
    """The roster cache read from disk (shown until the server's answer arrives)."""

    def __init__(self, snapshot: RosterSnapshot, entries: list[Indexed]) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.entries = entries


class ServerSearchDone(Message):
    """The server's answer to the filter typed while the roster was still loading."""

    def __init__(self, text: str, rows: Sequence[EmployeeRow]) -> None:
        super().__init__()
        self.text = text
        self.rows = rows
