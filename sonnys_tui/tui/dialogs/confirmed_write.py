"""A write asked, done and reported in one dialog: the question ("No" focused), the
work in a named thread worker with its progress, then what happened, in place.

The dialog stays open until the user has read the outcome: a write's result (each door
closed, what is not) is never a toast that vanishes. It dismisses with True when the
server may have changed (a result, or an error that wrote something), so a caller that
shows a derived view (the access review) knows to look again.
"""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant

from sonnys_tui.backoffice.errors import BackofficeError
from sonnys_tui.display import terminal_safe
from sonnys_tui.tui.errors import describe_error
from sonnys_tui.tui.keys import CANCEL, NO, YES
from sonnys_tui.tui.widgets.footer import Footer
from sonnys_tui.tui.workers import answer_in_place

Phase = Literal["ask", "working", "done"]


class ConfirmedWriteScreen(ModalScreen[bool]):
    """Subclasses give the question (:meth:`question`), the write (:meth:`write`, run
    in a worker thread) and the words for its result and its failure."""

    BINDINGS = [
        YES,
        NO,
        CANCEL,
        # Once the outcome shows (one of the two escape bindings is live at a time).
        Binding("escape,enter", "done", "Done"),
    ]

    yes_label = "Yes"
    yes_variant: ButtonVariant = "error"
    working_text = "Working…"

    def __init__(self) -> None:
        super().__init__()
        self.phase: Phase = "ask"
        self.ready = True  # False while the dialog still reads what the question needs
        self.changed = False  # the server may have changed: dismissed with True

    # ------------------------------------------------------------------ subclass API

    def question(self) -> Text:
        raise NotImplementedError

    def compose_extra(self) -> ComposeResult:
        """Widgets under the question (a checkbox, a list): none by default."""
        yield from ()

    def write(self) -> object:
        """The write, on a worker thread; its result goes to :meth:`outcome`."""
        raise NotImplementedError

    def outcome(self, result: object) -> Text:
        raise NotImplementedError

    def failure(self, error: BaseException) -> Text:
        text = Text()
        wrote_nothing = isinstance(error, BackofficeError) and error.wrote_nothing
        text.append("Nothing was changed.\n" if wrote_nothing else "It did not finish.\n")
        text.append(describe_error(error))
        return text

    def finished(self, result: object) -> None:
        """Called on the UI thread after a successful write (e.g. to show a result)."""

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog write-dialog"):
            # The question scrolls; what it offers (a box to tick), the outcome and the
            # buttons stay in view under it. Once done, the outcome takes the room.
            with VerticalScroll(id="write-body"):
                yield Static(self.question(), id="write-question")
            with Vertical(id="write-extra"):
                yield from self.compose_extra()
            yield Static("", id="write-status")
            with Horizontal(classes="dialog-buttons", id="write-ask"):
                yield Button("No", id="no", variant="primary")
                yield Button(self.yes_label, id="yes", variant=self.yes_variant)
            done = Button("Done", id="done", variant="primary")
            done.display = False
            yield done
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # the safe answer
        self.query_one("#write-status", Static).display = False
        self.set_ready(self.ready)

    def set_ready(self, ready: bool) -> None:
        """Whether "Yes" may be given yet (the dialog may be reading what it asks about)."""
        self.ready = ready
        if self.is_mounted:
            self.query_one("#yes", Button).disabled = not ready
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":
            if self.phase != "ask":
                return False
            return None if parameters == (True,) and not self.ready else True
        if action == "cancel":
            return self.phase == "ask"
        if action == "done":
            return self.phase == "done"  # never while a write is under way
        return True

    # ------------------------------------------------------------------ answers

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "done":
            self.action_done()
        else:
            self.action_answer(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        if self.phase != "ask":
            return
        if not yes:
            self.dismiss(False)
            return
        if not self.ready:
            return
        self.phase = "working"
        self.query_one("#write-ask").display = False
        self.show_status(Text(self.working_text))
        self.refresh_bindings()
        # Errors are shown in the dialog, in place, not as a toast.
        answer_in_place(self, "write", self.write, self._succeeded, self._failed)

    def action_cancel(self) -> None:
        if self.phase == "ask":
            self.dismiss(False)

    def action_done(self) -> None:
        if self.phase == "done":
            self.dismiss(self.changed)

    def show_status(self, text: Text) -> None:
        status = self.query_one("#write-status", Static)
        status.update(text)
        status.display = True

    def progress(self, step: str) -> None:
        """Thread-safe: a worker's progress line, shown under the question."""
        # A step names people from the server: shown, never sent to the terminal raw.
        self.app.call_from_thread(self.show_status, Text(terminal_safe(f"{step}…")))

    def _succeeded(self, result: object) -> None:
        self.changed = True
        self._finish(self.outcome(result), error=False)
        self.finished(result)

    def _failed(self, error: BaseException) -> None:
        self.changed = not (isinstance(error, BackofficeError) and error.wrote_nothing)
        self._finish(self.failure(error), error=True)

    def _finish(self, text: Text, *, error: bool) -> None:
        self.phase = "done"
        self.query_one(".write-dialog").add_class("-done")  # the outcome gets the room
        self.show_status(text)
        self.query_one("#write-status", Static).set_class(error, "-error")
        done = self.query_one("#done", Button)
        done.display = True
        done.focus()
        self.refresh_bindings()
