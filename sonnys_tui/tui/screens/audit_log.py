"""F7: the audit trail of writes (hire, disable, enable, new Back Office user), newest first.

The tenant connected to by default (``a`` shows every tenant's), in columns that fit
80: when, what, how it ended and who (a name and POS User ID, read from the roster,
rather than the stored ``employee_id=445``); the highlighted write's notes under it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Static

from sonnys_tui.audit import AuditEvent
from sonnys_tui.display import safe_lines, safe_text
from sonnys_tui.tui.screens.table_report import TableReportScreen

if TYPE_CHECKING:
    from sonnys_tui.tenant import Tenant

SHOWN = 500  # the newest events; the file itself keeps everything
OUTCOME_STYLES = {"ok": "bold green", "failed": "bold red", "partial": "bold yellow"}


def when(event: AuditEvent) -> str:
    """'2026-03-02 14:05' (UTC, as the column title says) from the stored ISO time;
    a time in another form is shown as stored."""
    stamp = str(event.time).replace("T", " ")  # the file is not trusted to hold text
    return stamp[:16] if stamp.endswith("+00:00") else stamp


def what(event: AuditEvent) -> str:
    """The operation in a few words: a change says which ("add wage"), "BO" for Back
    Office (the column is 17 wide)."""
    words = str(event.target).split()
    rest = " ".join(w for w in words if "=" not in w)
    operation = str(event.operation)
    if operation == "change" and rest:
        operation = rest
    return operation.replace("backoffice", "BO")


def who(event: AuditEvent, tenant: Tenant | None) -> str:
    """The target as a person reads it: "Jordan Pilot (POS 4101)", "Back Office login
    JPilot". The stored ``key=value`` words are looked up in the roster of the tenant
    connected to, when the write was made on it; else said plainly."""
    words = str(event.target).split()
    keys = dict(w.split("=", 1) for w in words if "=" in w)
    rest = " ".join(w for w in words if "=" not in w)
    if str(event.operation) == "change":
        rest = ""  # said in the Operation column
    ours = tenant is not None and str(event.tenant) == tenant.name
    row = None
    if ours and tenant is not None and keys.get("employee_id", "").isdigit():
        row = tenant.employee(int(keys["employee_id"]))
    if row is not None:
        person = row.full_name + (f" (POS {row.pos_user_id})" if row.pos_user_id else "")
    elif "pos_user_id" in keys:
        person = f"POS {keys['pos_user_id']}"
    elif "employee_id" in keys:
        person = f"employee {keys['employee_id']}"
    elif "username" in keys:
        person = f"Back Office login {keys['username']}"
    elif "user_id" in keys:
        person = f"Back Office user {keys['user_id']}"
    else:
        return str(event.target)
    return f"{person} · {rest}" if rest else person


def remarks(event: AuditEvent) -> str:
    parts = [str(event.error)] if event.error else []
    warnings = event.warnings if isinstance(event.warnings, list) else [event.warnings]
    return " · ".join(parts + [str(w) for w in warnings])


class AuditLogScreen(TableReportScreen):
    NAME = "audit"
    READING = "Writes made from this computer, newest first"

    # What this screen's own workers post back to it.

    @dataclass
    class AuditRead(Message):
        """The newest events, read from the file."""

        events: Sequence[AuditEvent]

    BINDINGS = [
        Binding("escape,f7", "app.pop_screen", "Close"),
        Binding("f5,ctrl+r", "reload", "Reload"),
        # One of the two applies (check_action): the footer says what `a` does now.
        Binding("a", "show_all(True)", "All tenants"),
        Binding("a", "show_all(False)", "This tenant"),
    ]

    def __init__(self, tenant: Tenant | None = None) -> None:
        super().__init__()
        self.tenant = tenant  # its writes only, until `a`; None: every tenant's
        self.everyone = tenant is None
        self.read_events: list[AuditEvent] = []  # as read, oldest first
        self.events: list[AuditEvent] = []  # newest first, as listed

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "show_all":
            # No tenant connected: every write is shown already.
            return self.tenant is not None and parameters[0] != self.everyone
        return True

    def action_show_all(self, everyone: bool) -> None:
        self.everyone = everyone
        self._show()
        self.refresh_bindings()

    @work(thread=True, exclusive=True, exit_on_error=False, name="audit-read")
    def read(self) -> None:
        from sonnys_tui import audit

        self.post_message(self.AuditRead(audit.read(SHOWN)))

    def on_audit_log_screen_audit_read(self, message: AuditLogScreen.AuditRead) -> None:
        self.read_events = list(message.events)
        self._show()

    def _show(self) -> None:
        table = self.table
        table.loading = False
        table.clear(columns=True)
        tenant = self.tenant
        # Fitted to 80 columns: the notes of the highlighted write go under the table,
        # and the tenant is a column only when every tenant's writes are shown.
        # The first three take 40 cells and 6 of padding; Who takes what is left.
        left = max(20, (self.size.width or self.app.size.width) - 40 - 8 - 2)
        table.add_column("Time (UTC)", width=16)
        table.add_column("Operation", width=17)
        table.add_column("Outcome", width=7)
        table.add_column("Who", width=left - 14 if self.everyone else left)
        if self.everyone:
            table.add_column("Tenant", width=12)
        events = list(reversed(self.read_events))
        if not self.everyone and tenant is not None:
            events = [e for e in events if str(e.tenant) == tenant.name]
        self.events = events
        for event in events:
            # Text, not markup: a target or an error message is shown as written, and the
            # file is not trusted: an escape in it is shown, never sent to the terminal.
            cells = [
                safe_text(when(event)),
                safe_text(what(event)),
                safe_text(event.outcome, style=OUTCOME_STYLES.get(str(event.outcome), "")),
                safe_text(who(event, tenant)),
            ]
            if self.everyone:
                cells.append(safe_text(event.tenant))
            table.add_row(*cells)
        where = "every tenant" if self.everyone or tenant is None else tenant.name
        if events:
            summary = f"{len(events)} writes on {where}, newest first"
        else:
            summary = f"No writes recorded on {where} yet."
        if tenant is not None:
            summary += " (a: this tenant)" if self.everyone else " (a: every tenant)"
        self.show_summary(summary)
        self._show_notes(table.cursor_row)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_notes(event.cursor_row)

    def _show_notes(self, row: int) -> None:
        """The highlighted write whole: its target as stored, profile, notes."""
        shown = self.events[row] if 0 <= row < len(self.events) else None
        text = ""
        if shown is not None:
            text = f"{shown.target} · profile {shown.profile} · tenant {shown.tenant}"
            if notes := remarks(shown):
                text += f"\n{notes}"
        self.query_one("#audit-notes", Static).update(Text(safe_lines(text)))
