"""F7: the audit trail of writes (hire, disable, enable, new Back Office user), newest first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from sonnys_tui.audit import AuditEvent
from sonnys_tui.display import safe_text
from sonnys_tui.tui.widgets.footer import Footer
from sonnys_tui.tui.workers import ReportsWorkerErrors

SHOWN = 500  # the newest events; the file itself keeps everything
OUTCOME_STYLES = {"ok": "bold green", "failed": "bold red", "partial": "bold yellow"}


def when(event: AuditEvent) -> str:
    """'2026-03-02 14:05' (UTC, as the column title says) from the stored ISO time;
    a time in another form is shown as stored."""
    stamp = str(event.time).replace("T", " ")  # the file is not trusted to hold text
    return stamp[:16] if stamp.endswith("+00:00") else stamp


def remarks(event: AuditEvent) -> str:
    parts = [str(event.error)] if event.error else []
    warnings = event.warnings if isinstance(event.warnings, list) else [event.warnings]
    return " · ".join(parts + [str(w) for w in warnings])


class AuditLogScreen(ReportsWorkerErrors, Screen[None]):
    # What this screen's own workers post back to it.

    @dataclass
    class AuditRead(Message):
        """The newest events, read from the file."""

        events: Sequence[AuditEvent]

    BINDINGS = [
        Binding("escape,f7", "app.pop_screen", "Close"),
        Binding("f5,ctrl+r", "reload", "Reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.events: list[AuditEvent] = []  # newest first, as listed

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Writes made from this computer, newest first", id="audit-summary")
        yield DataTable(id="audit-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="audit-notes")  # the highlighted write's notes, wrapped in full
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#audit-table", DataTable)
        table.add_columns(
            # What matters first, for narrow terminals: the rest scrolls sideways.
            "Time (UTC)",
            "Operation",
            "Outcome",
            "Target",
            "Notes",
            "Profile",
            "Tenant",
        )
        table.loading = True
        table.focus()
        self._read()

    def action_reload(self) -> None:
        self.query_one("#audit-table", DataTable).loading = True
        self._read()

    @work(thread=True, exclusive=True, exit_on_error=False, name="audit-read")
    def _read(self) -> None:
        from sonnys_tui import audit

        self.post_message(self.AuditRead(audit.read(SHOWN)))

    def on_audit_log_screen_audit_read(self, message: AuditLogScreen.AuditRead) -> None:
        table = self.query_one("#audit-table", DataTable)
        table.loading = False
        table.clear()
        self.events = events = list(reversed(message.events))
        for event in events:
            # Text, not markup: a target or an error message is shown as written, and the
            # file is not trusted: an escape in it is shown, never sent to the terminal.
            table.add_row(
                safe_text(when(event)),
                safe_text(event.operation),
                safe_text(event.outcome, style=OUTCOME_STYLES.get(str(event.outcome), "")),
                safe_text(event.target),
                safe_text(remarks(event)),
                safe_text(event.profile),
                safe_text(event.tenant),
            )
        summary = f"{len(events)} writes, newest first" if events else "No writes recorded yet."
        self.query_one("#audit-summary", Static).update(summary)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        shown = self.events[event.cursor_row] if event.cursor_row < len(self.events) else None
        notes = remarks(shown) if shown is not None else ""
        self.query_one("#audit-notes", Static).update(safe_text(notes))

    def worker_failed(self, name: str, error: BaseException) -> bool:
        self.query_one("#audit-table", DataTable).loading = False
        return False
