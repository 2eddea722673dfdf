"""Boxes that read ticked or not without colour (TERM=linux, NO_COLOR, a screenshot
in print): Textual draws every box with its mark and tells them apart by colour only.
Here an unticked box is drawn empty."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox as TextualCheckbox
from textual.widgets import RadioButton as TextualRadioButton
from textual.widgets._toggle_button import ToggleButton

UNTICKED = " "


class _PlainMark(ToggleButton):
    """A toggle whose mark is drawn only when it is on."""

    @property
    def _button(self) -> Content:
        mark = type(self).BUTTON_INNER
        # Textual builds the box from BUTTON_INNER: this instance's follows its value.
        self.BUTTON_INNER = mark if self.value else UNTICKED
        return super()._button


class Checkbox(_PlainMark, TextualCheckbox):
    """A checkbox: "▐X▌" ticked, "▐ ▌" not."""


class RadioButton(_PlainMark, TextualRadioButton):
    """A radio button: its dot only when chosen."""
