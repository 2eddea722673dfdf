"""The message every pane gets from the tenant layer. A widget's own messages are
nested in it (``EmployeesPane.DetailLoaded``), as Textual's are."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from sonnys_tui.tenant import TenantChange


@dataclass
class TenantChanged(Message, bubble=False):
    """What the tenant layer changed, delivered to the widget that subscribed."""

    change: TenantChange
