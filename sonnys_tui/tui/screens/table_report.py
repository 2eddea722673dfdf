"""The shape of the read-only report screens (the doctor's check, the audit log): a
summary line, one table a worker fills, the highlighted row in full under it, and
F5 / Ctrl+R to read again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from sonnys_tui.display import safe_text
from sonnys_tui.tui.widgets.footer import Footer
from sonnys_tui.tui.workers import ReportsWorkerErrors


class TableReportScreen(ReportsWorkerErrors, Screen[None]):
    """A subclass names its widgets (``#{NAME}-summary``, ``-table`` and ``-notes``),
    says what the summary shows while the first read runs (``READING``), and reads in
    a worker (:meth:`read`); it binds F5 to ``reload`` with its own words."""

    NAME = ""
    READING = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.READING, id=f"{self.NAME}-summary")
        yield DataTable(id=f"{self.NAME}-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id=f"{self.NAME}-notes")  # the highlighted row, wrapped in full
        yield Footer()

    @property
    def table(self) -> DataTable[object]:
        return self.query_one(f"#{self.NAME}-table", DataTable)

    def on_mount(self) -> None:
        # A subclass's own on_mount runs first: Textual calls every class's in turn.
        table = self.table
        table.loading = True
        table.focus()
        self.read()

    def action_reload(self) -> None:
        self.table.loading = True
        self.read()

    def read(self) -> object:
        """Start the worker that reads the report (a @work method: it posts back what
        it read)."""
        raise NotImplementedError

    def show_summary(self, text: str) -> None:
        self.query_one(f"#{self.NAME}-summary", Static).update(safe_text(text))

    def worker_failed(self, name: str, error: BaseException) -> bool:
        self.table.loading = False
        return False
