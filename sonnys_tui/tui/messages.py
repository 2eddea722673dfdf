"""Messages that worker threads and the tenant layer post to the UI thread."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.message import Message

from sonnys_tui.backoffice.models import EmployeeRecord, EmployeeRow
from sonnys_tui.tenant import TenantChange


@dataclass
class TenantChanged(Message, bubble=False):
    """What the tenant layer changed, delivered to the widget that subscribed."""

    change: TenantChange


@dataclass
class DetailLoaded(Message):
    """One employee's full record, for the detail pane."""

    record: EmployeeRecord


@dataclass
class PayLoaded(Message):
    """One employee's record with its wage history and POS access, for the Pay section."""

    record: EmployeeRecord


@dataclass
class PayFailed(Message):
    """The Pay section's read failed (said in the section, not in a toast)."""

    employee_id: int
    text: str


@dataclass
class ServerSearchDone(Message):
    """The server's answer to the filter typed while the roster was still loading."""

    text: str
    rows: Sequence[EmployeeRow]
