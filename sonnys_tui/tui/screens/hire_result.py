"""After a write that made secrets: a hire (its PIN, a generated Back Office password) or a
new Back Office user (its password). Masked until ``r``, copyable (``c`` / ``w``), every
warning the client returned, and the screen's own keys in its footer."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from sonnys_tui.backoffice.models import (
    BackofficeUserCreated,
    EmployeeCreated,
    Permission,
    Secret,
)
from sonnys_tui.display import safe_lines, safe_text
from sonnys_tui.tui.dialogs.backoffice_permissions import display_name
from sonnys_tui.tui.keys import COPY_PASSWORD, REVEAL
from sonnys_tui.tui.widgets.footer import Footer


def _grid(rows: list[tuple[str, str]]) -> Table:
    # Site, department and template names are the server's: shown, never sent raw.
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for label, value in rows:
        table.add_row(safe_text(label), safe_text(value))
    return table


MASK = "••••••••"
PIN_MASK = "•••••"


def _sites(user: BackofficeUserCreated) -> str:
    return "all" if user.available_sites == "all" else ", ".join(user.available_sites)


def _template(user: BackofficeUserCreated, templates: Sequence[Permission]) -> str:
    """The login's template as the Back Office names it ("General User"), not the key
    the form posted ("user"): the access dialog's one rule."""
    name = display_name(templates, user.permission)
    return name + ("" if user.permission_applied else " (not applied)")


def _backoffice_rows(
    user: BackofficeUserCreated, templates: Sequence[Permission], *, reveal: bool
) -> list[tuple[str, str]]:
    return [
        ("BO username", user.username),
        ("BO password", user.password.reveal() if reveal else MASK),
        ("BO template", _template(user, templates)),
        ("BO sites", _sites(user)),
    ]


class _SecretsResult(ModalScreen[None]):
    """What a write made, its secrets masked until asked for: shoulders and screenshots."""

    BINDINGS = [
        REVEAL,
        Binding("c", "copy_pin", "Copy PIN"),
        COPY_PASSWORD,
        Binding("escape,enter", "dismiss", "Done"),
    ]

    pin: Secret | None = None
    password: Secret | None = None

    def __init__(self, templates: Sequence[Permission]) -> None:
        """``templates``: the tenant's Back Office templates, to name a login's."""
        super().__init__()
        self.templates = templates
        self.revealed = False

    def title_text(self) -> Text:
        raise NotImplementedError

    def rows(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def hint(self) -> str:
        raise NotImplementedError

    def warnings(self) -> list[str]:
        return []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="result-dialog", classes="dialog"):
            yield Static(self.title_text())
            if warnings := self.warnings():
                # First, under the title: what went wrong is never a scroll away.
                lines = "\n".join(f"⚠ {safe_lines(w)}" for w in warnings)
                yield Static(Text(lines), id="result-warnings")
            yield Static(_grid(self.rows()), id="result-fields")
            yield Static(Text(self.hint()), classes="hint")
            with Horizontal(classes="dialog-buttons"):
                if self.pin is not None:
                    yield Button("Copy PIN", id="copy-pin", compact=True)
                if self.password is not None:
                    yield Button("Copy password", id="copy-password", compact=True)
                yield Button("Done", id="done", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        # Start at the top (name, PIN): on a short terminal the buttons are a scroll away.
        self.query_one("#done", Button).focus(scroll_visible=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy_pin":
            return self.pin is not None
        if action == "copy_password":
            return self.password is not None
        return True

    def action_reveal(self) -> None:
        self.revealed = not self.revealed
        self.query_one("#result-fields", Static).update(_grid(self.rows()))

    def action_copy_pin(self) -> None:
        if self.pin is not None:
            self.app.copy_to_clipboard(self.pin.reveal())
            self.notify("PIN copied to the clipboard.", timeout=3)

    def action_copy_password(self) -> None:
        if self.password is not None:
            self.app.copy_to_clipboard(self.password.reveal())
            self.notify("Password copied to the clipboard.", timeout=3)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "copy-pin":
            self.action_copy_pin()
        elif event.button.id == "copy-password":
            self.action_copy_password()
        else:
            self.dismiss(None)


class HireResultScreen(_SecretsResult):
    def __init__(self, created: EmployeeCreated, templates: Sequence[Permission]) -> None:
        super().__init__(templates)
        self.created = created
        self.pin = created.pos_pin
        user = created.backoffice_user
        self.password = user.password if user is not None else None

    def title_text(self) -> Text:
        c = self.created
        return safe_text(f"Hired {c.first_name} {c.last_name}", style="bold")

    def rows(self) -> list[tuple[str, str]]:
        c = self.created
        rows = [
            ("Name", f"{c.first_name} {c.last_name}"),
            ("POS User ID", str(c.pos_user_id)),
            ("PIN", c.pos_pin.reveal() if self.revealed else PIN_MASK),
            ("E-mail", c.email),
            ("Phone", c.phone),
            ("Template", c.permission),
            ("Wage", f"{c.wage_rate} / overtime {c.overtime_wage_rate}"),
            ("Wage site", c.wage_site or "(none)"),
            ("Sites", ", ".join(c.sites)),
            ("Departments", ", ".join(c.departments)),
            ("Start date", c.start_date.isoformat()),
            ("Employee ID", str(c.employee_id)),
        ]
        if c.backoffice_user is not None:
            rows += _backoffice_rows(c.backoffice_user, self.templates, reveal=self.revealed)
        return rows

    def hint(self) -> str:
        pin = "The PIN stays in the employee's record (p in the detail pane)."
        if self.password is None:
            return f"r shows the PIN, c copies it. {pin}"
        return (
            "r shows the PIN and the password. The password is shown only here: copy it "
            f"(w) or note it now. {pin}"
        )

    def warnings(self) -> list[str]:
        c = self.created
        warnings = list(c.warnings)
        if c.backoffice_user is not None:
            warnings += [w for w in c.backoffice_user.warnings if w not in warnings]
        return warnings


class BackofficeUserResultScreen(_SecretsResult):
    def __init__(self, user: BackofficeUserCreated, templates: Sequence[Permission]) -> None:
        super().__init__(templates)
        self.user = user
        self.password = user.password

    def title_text(self) -> Text:
        return safe_text(f"Created Back Office user {self.user.username}", style="bold")

    def rows(self) -> list[tuple[str, str]]:
        u = self.user
        name = f"{u.first_name} {u.last_name}".strip()
        return [
            ("Name", name + (" (linked employee)" if u.linked_employee_id is not None else "")),
            ("Username", u.username),
            ("Password", u.password.reveal() if self.revealed else MASK),
            ("E-mail", u.email),
            ("Template", _template(u, self.templates)),
            ("Sites", _sites(u)),
            ("User ID", str(u.user_id)),
        ]

    def hint(self) -> str:
        return "r shows the password. It is shown only here: copy it (w) or note it now."

    def warnings(self) -> list[str]:
        return list(self.user.warnings)
