"""Are you sure? A modal that shows who will be disabled (or re-enabled); "No" by default."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from sonnys_tui.backoffice.models import EmployeeRow
from sonnys_tui.display import terminal_safe


class ConfirmStatusScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, row: EmployeeRow, *, enable: bool) -> None:
        super().__init__()
        self.row = row
        self.enable = enable

    def compose(self) -> ComposeResult:
        verb = "Re-enable" if self.enable else "Disable"
        row = self.row
        who = Text()
        who.append(f"{verb} this employee?\n\n", style="bold")
        for label, value in (
            ("Name", row.full_name),
            ("POS User ID", "" if row.pos_user_id is None else str(row.pos_user_id)),
            ("Sites", ", ".join(row.site_codes) or "(none)"),
            ("Phone", row.phone),
        ):
            who.append(f"{label:<12} ", style="bold")
            who.append(f"{terminal_safe(value)}\n")
        if self.enable:
            who.append("\nThey will be able to clock in and log in to the POS again.")
        else:
            who.append("\nThey will no longer be able to clock in or log in to the POS.")
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(who, id="confirm-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("No", id="no", variant="primary")
                yield Button(
                    f"Yes, {verb.lower()}", id="yes", variant="success" if self.enable else "error"
                )

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # the safe answer

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
