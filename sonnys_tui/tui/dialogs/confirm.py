"""Are you sure? Modals that say what will happen, with the safe answer focused.

Every key is in the dialog's own footer: "y" gives the dangerous answer only because the
footer says so, next to "n" and Esc.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant

from sonnys_tui.tui.keys import CANCEL, NO, YES
from sonnys_tui.tui.widgets.footer import Footer


class ConfirmScreen(ModalScreen[bool]):
    """A question, "No" focused; dismissed with True only for an explicit yes."""

    BINDINGS = [
        YES,
        NO,
        CANCEL,
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
