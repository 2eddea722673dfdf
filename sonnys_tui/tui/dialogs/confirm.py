"""Are you sure? Modals that say what will happen, with the safe answer focused.

Every key is in the dialog's own footer: "y" gives the dangerous answer only because the
footer says so, next to "n" and Esc.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant

from sonnys_tui.backoffice.models import EmployeeRow
from sonnys_tui.display import terminal_safe
from sonnys_tui.tui.widgets.footer import Footer


class ConfirmScreen(ModalScreen[bool]):
    """A question, "No" focused; dismissed with True only for an explicit yes."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(
        self,
        body: Text,
        *,
        yes: str,
        no: str = "No",
        yes_variant: ButtonVariant = "error",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.body = body
        self.yes_label = yes
        self.no_label = no
        self.yes_variant = yes_variant

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Static(self.body, id="confirm-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.no_label, id="no", variant="primary")
                yield Button(self.yes_label, id="yes", variant=self.yes_variant)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # the safe answer

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    def action_cancel(self) -> None:
        self.dismiss(False)


class ConfirmStatusScreen(ConfirmScreen):
    """Disable (or re-enable) this employee? Names who, their POS ID and sites."""

    def __init__(self, row: EmployeeRow, *, enable: bool) -> None:
        verb = "Re-enable" if enable else "Disable"
        super().__init__(
            _status_text(row, verb, enable=enable),
            yes=f"Yes, {verb.lower()}",
            yes_variant="success" if enable else "error",
        )
        self.row = row
        self.enable = enable


def _status_text(row: EmployeeRow, verb: str, *, enable: bool) -> Text:
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
    if enable:
        who.append("\nThey will be able to clock in and log in to the POS again.")
    else:
        who.append("\nThey will no longer be able to clock in or log in to the POS.")
    return who
