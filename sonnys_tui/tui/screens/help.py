"""F1: what every key does. The README's key table is this one (a test compares them)."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from sonnys_tui.tui.widgets.footer import Footer

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("F1", "this help"),
            (
                "Ctrl+P",
                "command palette: find an employee, go to a tab, new employee, refresh, "
                "switch profile, theme",
            ),
            ("F7", "audit log: the writes made from here on this tenant, newest first (a: all)"),
            ("Tab / Shift+Tab", "next / previous field"),
            ("Ctrl+Q", "quit"),
        ),
    ),
    (
        "Tabs",
        (
            ("Ctrl+PgDn / Ctrl+PgUp", "next / previous tab (also Alt+→ / Alt+←)"),
            ("← → on the tab bar", "switch tabs; ↓ or Enter goes into the tab"),
            ("Ctrl+N", "new employee"),
            (
                "Ctrl+B",
                "new Back Office user: for the employee selected on Employees, or someone "
                "who is not one",
            ),
            ("F5 / Ctrl+R", "refresh from the server"),
            ("Ctrl+O", "import from a spreadsheet (CSV): planned first, then applied"),
        ),
    ),
    (
        "Employees",
        (
            ("type", "filter: a number matches POS IDs and phones, text matches names"),
            ("↑ ↓ PgUp PgDn", "move in the table"),
            ("Enter", "open the detail pane"),
            ("p / F6", "show or hide the PIN in the detail pane"),
            ("Esc", "close the detail pane, then clear the site or department filter"),
            ("F2", "show active / inactive / all"),
            ("F3 / F4", "sort by the next column / reverse (or click a column title)"),
            (
                "Ctrl+D",
                "disable the selected employee and their Back Office logins (enable, when "
                "inactive; restoring the logins is a choice)",
            ),
            ("F8 / e", "edit the selected employee: the changes are reviewed before they apply"),
            ("F9 / w", "add a wage for the employee shown (the detail pane's Pay section)"),
            ("Ctrl+T / t", "change the POS template of the employee shown"),
        ),
    ),
    (
        "BO users",
        (
            ("Ctrl+D", "deactivate the highlighted login (reactivate, when inactive)"),
            ("Ctrl+T", "change its template and accessible sites (reviewed old → new)"),
            (
                "Ctrl+K",
                "give it a new, generated password (shown masked); never this tool's own "
                "login, which would lock the tool out",
            ),
            ("Ctrl+A", "access review (also in the palette)"),
        ),
    ),
    (
        "Access review",
        (
            ("f / Enter", "fix the highlighted finding (offboard, deactivate, template)"),
            ("e", "an employee hidden from the roster (no site): give them a site (edit)"),
            ("Ctrl+D / Ctrl+T", "deactivate its login / change its template and sites"),
            ("F5", "run the review again"),
            ("Esc", "back"),
        ),
    ),
    (
        "Sites, Departments",
        (("Enter", "show the employees of the site or department"),),
    ),
    (
        "Forms",
        (
            ("Ctrl+S", "submit"),
            ("Ctrl+R", "plan again after a conflict (Edit, Add wage, Change template)"),
            ("Ctrl+F", "next free POS User ID (new employee)"),
            ("Space", "tick a site or department in a list"),
            ("Esc", "cancel (twice to discard what you typed)"),
        ),
    ),
    (
        "Import",
        (
            ("Enter", "plan the file: every row checked, nothing written"),
            ("Ctrl+R", "plan again (after fixing the file, or after a run)"),
            ("Ctrl+S", "apply the plan, after a confirmation (rows with errors are skipped)"),
            ("Ctrl+Y", "sync: the file is everyone (by POS User ID, e-mail, ADP id, then off)"),
            (
                "Ctrl+L",
                "allow unusual pay for this plan (rows refused only for it; asks first, "
                "writes nothing)",
            ),
            ("Esc / Ctrl+C", "while applying: stop after the row in flight (asks first)"),
            (
                "Ctrl+Q twice",
                "while applying: quit after the row in flight is written and recorded",
            ),
        ),
    ),
    (
        "Confirmations and results",
        (
            ("y / n / Esc", 'yes / no / cancel ("No" is focused)'),
            ("Enter or y / Esc or n", "review changes: apply / back to edit, nothing written"),
            ("b", "tick or untick the Back Office logins (disable / enable)"),
            ("r", "show or hide the PIN and password"),
            ("c / w", "copy the PIN / the password"),
            ("Enter / Esc", "done"),
        ),
    ),
)


# The keys that write (or open a form that does): read-only mode leaves them out.
WRITE_KEYS: frozenset[tuple[str, str]] = frozenset(
    {
        ("Tabs", "Ctrl+N"),
        ("Tabs", "Ctrl+B"),
        ("Employees", "Ctrl+D"),
        ("Employees", "F8 / e"),
        ("Employees", "F9 / w"),
        ("Employees", "Ctrl+T / t"),
        ("BO users", "Ctrl+D"),
        ("BO users", "Ctrl+T"),
        ("BO users", "Ctrl+K"),
        ("Access review", "f / Enter"),
        ("Access review", "Ctrl+D / Ctrl+T"),
        ("Forms", "Ctrl+S"),
        ("Forms", "Ctrl+R"),
        ("Forms", "Ctrl+F"),
        ("Forms", "Space"),
        ("Forms", "Esc"),
        ("Import", "Ctrl+S"),
        ("Import", "Ctrl+L"),
        ("Import", "Esc / Ctrl+C"),
        ("Confirmations and results", "Enter or y / Esc or n"),
        ("Confirmations and results", "b"),
        ("Confirmations and results", "c / w"),
    }
)


# What a key that both looks and writes does in read-only mode.
READ_ONLY_WHAT: dict[tuple[str, str], str] = {
    ("Everywhere", "Ctrl+P"): "command palette: find an employee, go to a tab, refresh, "
    "switch profile, theme",
    ("Tabs", "Ctrl+O"): "plan a spreadsheet (CSV): every row checked, nothing applied",
}


def shown_keys(*, read_only: bool) -> list[tuple[str, list[tuple[str, str]]]]:
    """The key table as F1 shows it: read-only leaves out every write key (and a
    section left empty)."""
    sections = []
    for section, keys in KEYS:
        kept = [
            (k, READ_ONLY_WHAT.get((section, k), w) if read_only else w)
            for k, w in keys
            if not (read_only and (section, k) in WRITE_KEYS)
        ]
        if kept:
            sections.append((section, kept))
    return sections


def keys_markdown() -> str:
    """The key table as the README shows it."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| key | what it does |", "|---|---|"]
    for section, keys in KEYS:
        lines.append(f"| **{section}** | |")
        lines += [f"| {cell(key)} | {cell(what)} |" for key, what in keys]
    return "\n".join(lines)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close")]

    def __init__(self, *, read_only: bool = False) -> None:
        super().__init__()
        self.read_only = read_only

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        if self.read_only:
            table.add_row("READ-ONLY", "every write is refused: only the keys that look are here")
            table.add_row("", "")
        for section, keys in shown_keys(read_only=self.read_only):
            table.add_row(f"[u]{section}[/u]", "")
            for key, what in keys:
                table.add_row(key, what)
            table.add_row("", "")
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(table)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-dialog").focus()  # ↑ ↓ PgUp PgDn scroll it
