"""Palette "Check this tenant": ``sonnys-tui doctor`` as a table. Read only: the check
runs in a thread worker and sends GET requests only; each capability is ready, refused
(the page and the field that differ) or not checked (why)."""

from __future__ import annotations

from dataclasses import dataclass

from textual import work
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Static

from sonnys_tui.display import safe_text
from sonnys_tui.tenant import Tenant
from sonnys_tui.tenant.doctor import DoctorReport, check_tenant
from sonnys_tui.tui.screens.table_report import TableReportScreen

STATUS_STYLES = {"ready": "bold green", "refused": "bold red", "not checked": "bold yellow"}


@dataclass
class TenantChecked(Message):
    report: DoctorReport


class DoctorScreen(TableReportScreen):
    NAME = "doctor"
    READING = "Checking every page this tool reads or posts to (reads only)…"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Close"),
        Binding("f5,ctrl+r", "reload", "Check again"),
    ]

    def __init__(self, tenant: Tenant) -> None:
        super().__init__()
        self.tenant = tenant
        self.report: DoctorReport | None = None

    def on_mount(self) -> None:  # before the base's (Textual calls each class's in turn)
        self.table.add_columns("Capability", "Status", "Why")

    @work(thread=True, exclusive=True, exit_on_error=False, name="doctor-check")
    def read(self) -> None:
        self.post_message(TenantChecked(check_tenant(self.tenant)))

    def on_tenant_checked(self, message: TenantChecked) -> None:
        self.report = report = message.report
        table = self.table
        table.loading = False
        table.clear()
        for capability in report.capabilities:
            # Reasons quote the server's pages (field names): text, never markup.
            table.add_row(
                safe_text(capability.name),
                safe_text(capability.status, style=STATUS_STYLES.get(capability.status, "")),
                safe_text(capability.reasons[0] if capability.reasons else ""),
            )
        ready = sum(1 for c in report.capabilities if c.status == "ready")
        counts = ", ".join(f"{n} {what}" for what, n in report.counts.items())
        total_ms = sum(page.ms for page in report.pages)
        summary = (
            f"{report.tenant}: {ready} of {len(report.capabilities)} ready · {counts} · "
            f"{len(report.pages)} pages read in {total_ms / 1000:.1f} s"
        )
        self.show_summary(summary)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        report = self.report
        if report is None or event.cursor_row >= len(report.capabilities):
            return
        reasons = report.capabilities[event.cursor_row].reasons
        self.query_one("#doctor-notes", Static).update(safe_text("\n".join(reasons)))

    def worker_failed(self, name: str, error: BaseException) -> bool:
        self.show_summary("The check could not finish.")
        return super().worker_failed(name, error)
