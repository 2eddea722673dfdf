"""After a hire: what was created, the PIN and generated password (shown this once,
copyable), and every warning the client returned."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from sonnys_tui.backoffice.models import BackofficeUserCreated, EmployeeCreated
from sonnys_tui.display import safe_lines, safe_text


def _grid(rows: list[tuple[str, str]]) -> Table:
    # Site, department and template names are the server's: shown, never sent raw.
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for label, value in rows:
        table.add_row(safe_text(label), safe_text(value))
    return table


MASK = "••••••••"


def _backoffice_rows(user: BackofficeUserCreated, *, reveal: bool) -> list[tuple[str, str]]:
    sites = "all" if user.available_sites == "all" else ", ".join(user.available_sites)
    return [
        ("BO username", user.username),
        ("BO password", user.password.reveal() if reveal else MASK),
        ("BO template", user.permission + ("" if user.permission_applied else " (not applied)")),
        ("BO sites", sites),
    ]


class HireResultScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("r", "reveal", "Show/hide secrets"),
        Binding("c", "copy_pin", "Copy PIN"),
        Binding("w", "copy_password", "Copy password"),
        Binding("escape,enter", "dismiss", "Done"),
    ]

    def __init__(self, created: EmployeeCreated) -> None:
        super().__init__()
        self.created = created
        self.revealed = False  # masked until asked for: shoulders and screenshots

    def _fields(self) -> Table:
        c = self.created
        rows = [
            ("Name", f"{c.first_name} {c.last_name}"),
            ("POS User ID", str(c.pos_user_id)),
            ("PIN", c.pos_pin.reveal() if self.revealed else "•••••"),
            ("E-mail", c.email),
            ("Phone", c.phone),
            ("Template", c.permission),
            ("Wage", f"{c.wage_rate} / overtime {c.overtime_wage_rate}"),
            ("Wage site", c.wage_site or ""),
            ("Sites", ", ".join(c.sites)),
            ("Departments", ", ".join(c.departments)),
            ("Start date", c.start_date.isoformat()),
            ("Employee ID", str(c.employee_id)),
        ]
        if c.backoffice_user is not None:
            rows += _backoffice_rows(c.backoffice_user, reveal=self.revealed)
        return _grid(rows)

    def compose(self) -> ComposeResult:
        c = self.created
        warnings = list(c.warnings)
        if c.backoffice_user is not None:
            warnings += [w for w in c.backoffice_user.warnings if w not in warnings]
        with VerticalScroll(id="result-dialog", classes="dialog"):
            yield Static(safe_text(f"Hired {c.first_name} {c.last_name}", style="bold"))
            yield Static(self._fields(), id="result-fields")
            yield Static(
                Text("The PIN and password are shown only here (r: show): note or copy them."),
                classes="hint",
            )
            if warnings:
                lines = "\n".join(f"⚠ {safe_lines(w)}" for w in warnings)
                yield Static(Text(lines), id="result-warnings")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Copy PIN", id="copy-pin", compact=True)
                if c.backoffice_user is not None:
                    yield Button("Copy password", id="copy-password", compact=True)
                yield Button("Done", id="done", variant="primary", compact=True)

    def on_mount(self) -> None:
        # Start at the top (name, PIN): on a short terminal the buttons are a scroll away.
        self.query_one("#done", Button).focus(scroll_visible=False)

    def action_reveal(self) -> None:
        self.revealed = not self.revealed
        self.query_one("#result-fields", Static).update(self._fields())

    def action_copy_pin(self) -> None:
        self.app.copy_to_clipboard(self.created.pos_pin.reveal())
        self.notify("PIN copied to the clipboard.", timeout=3)

    def action_copy_password(self) -> None:
        user = self.created.backoffice_user
        if user is not None:
            self.app.copy_to_clipboard(user.password.reveal())
            self.notify("Password copied to the clipboard.", timeout=3)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "copy-pin":
            self.action_copy_pin()
        elif event.button.id == "copy-password":
            self.action_copy_password()
        else:
            self.dismiss(None)
