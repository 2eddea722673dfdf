"""An Input that shows what was pasted into it, never sends it to the terminal.

Textual's Input draws its value as it is: a bracketed paste of "Dana\x1b[31m\x07"
reaches ``.value`` whole and its ESC would be written to the terminal with the field.
Here every control or invisible format character is drawn as one "�" (the same length,
so the cursor stays on the right character), while the value keeps what was typed: the
field's validator then names the character (\x1b) and the form refuses to submit.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Input

from sonnys_tui.display import in_place


class SafeInput(Input):
    @property
    def _value(self) -> Text:
        value = self.value
        shown = in_place(value)
        if self.password or shown is value:
            return super()._value  # masked, or nothing to hide: Textual's own drawing
        text = Text(shown, no_wrap=True, overflow="ignore", end="")
        if self.highlighter is not None:
            text = self.highlighter(text)
        return text
