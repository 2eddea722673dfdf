"""F1: what every key does."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("F1", "this help"),
            ("Ctrl+P", "command palette: find employee, new employee, refresh, profile, theme"),
            ("F7", "audit log: every write made from here, newest first"),
            ("Tab / Shift+Tab", "next / previous field"),
            ("Ctrl+Q", "quit"),
        ),
    ),
    (
        "Employees",
        (
            ("type", "filter: a number matches POS IDs and phones, text matches names"),
            ("↑ ↓ PgUp PgDn", "move in the table"),
            ("Enter", "open the detail pane"),
            ("p / F6", "show or hide the PIN in the detail pane"),
            ("Esc", "close the detail pane, then clear the site filter"),
            ("F2", "show active / inactive / all"),
            ("F3 / F4", "sort by the next column / reverse"),
            ("Ctrl+D", "disable (or re-enable) the selected employee"),
            ("Ctrl+N", "new employee"),
            ("Ctrl+B", "new Back Office user"),
            ("F5 / Ctrl+R", "refresh from the server"),
        ),
    ),
    (
        "Forms",
        (
            ("Ctrl+S", "submit"),
            ("Ctrl+F", "next free POS User ID (new employee)"),
            ("Esc", "cancel (twice to discard what you typed)"),
        ),
    ),
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for section, keys in KEYS:
            table.add_row(f"[u]{section}[/u]", "")
            for key, what in keys:
                table.add_row(key, what)
            table.add_row("", "")
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(table)
