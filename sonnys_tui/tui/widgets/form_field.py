"""One labelled form row: the control, a live status (e.g. "✓ free") and a message
line under it that says what is wrong."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.segment import Segment
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Label, Select, SelectionList, Static
from textual.widgets._toggle_button import ToggleButton

from sonnys_tui.display import safe_text
from sonnys_tui.tui.widgets.ticks import UNTICKED

if TYPE_CHECKING:
    from sonnys_tui.backoffice.models import Permission


class FormField(Vertical):
    DEFAULT_CSS = """
    FormField { height: auto; }
    FormField > Horizontal { height: auto; }
    """

    def __init__(self, label: str, control: Widget, *, name: str, hint: str = "") -> None:
        super().__init__(id=f"field-{name}", classes="form-field")
        self.label = label
        self.control = control
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.label, classes="field-label")
            yield self.control
            yield Static("", classes="field-status", markup=False)
        message = Static(safe_text(self.hint), classes="field-message")
        message.display = bool(self.hint)
        yield message

    def set_message(self, text: str, *, error: bool = True) -> None:
        # The text may be the server's (a rejection naming the field): shown, never sent.
        message = self.query_one(".field-message", Static)
        message.update(safe_text(text or self.hint))
        message.display = bool(text or self.hint)
        self.set_class(bool(text) and error, "-invalid")

    def set_status(self, text: str, *, ok: bool | None = None) -> None:
        status = self.query_one(".field-status", Static)
        status.update(safe_text(text))
        status.set_class(ok is True, "-ok")
        status.set_class(ok is False, "-bad")


def template_field(
    label: str, templates: Iterable[Permission], *, name: str, prompt: str
) -> FormField:
    """A field choosing a permission template by name: the server's names are shown
    safe and posted back exactly as they are."""
    choices = [(safe_text(p.name), p.name) for p in templates]
    return FormField(label, Select(choices, prompt=prompt, compact=True, id=name), name=name)


def fill(field: Input, value: str) -> None:
    """Put ``value`` in ``field`` as if typed: the cursor after it (setting ``value``
    leaves the cursor where it was, at the start of a suggested POS User ID)."""
    field.value = value
    field.cursor_position = len(value)


class TickList(SelectionList[str]):
    """A list to tick choices in (sites, departments), its Space key in the footer.
    An unticked choice's box is drawn empty: ticked and not read apart without colour."""

    BINDINGS = [Binding("space", "select", "Tick")]

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        index = self.scroll_offset.y + y
        if index >= self.option_count or self.get_option_at_index(index).value in self._selected:
            return strip
        # SelectionList draws the box as its first three segments: left, mark, right.
        segments = list(strip)
        if len(segments) > 1 and segments[1].text == ToggleButton.BUTTON_INNER:
            segments[1] = Segment(UNTICKED, segments[1].style)
            return Strip(segments, strip.cell_length)
        return strip
