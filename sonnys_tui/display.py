"""The display boundary: text from the server or a file, made safe for a terminal.

Anyone who can edit a name in the web Back Office controls the text this tool shows,
so no string from outside may reach the terminal raw: an ESC, a BEL or a bidirectional
override in a name could retitle the window, recolour the screen or reorder what the
user reads. Every widget, dialog, notification and shell table passes such text
through :func:`terminal_safe` (or :func:`safe_text` for Rich), which shows each control
or invisible format character visibly as an escape (``\\x1b``, ``\\u202e``).

Only the *shown* text changes: the values underneath stay exact, so a record read and
posted back round-trips unchanged, and ``--json`` output stays exact (:func:`json_safe`
writes the same characters as JSON escapes).

The same classification tells the client which input to refuse
(:func:`first_unsafe`): what cannot be shown as it is cannot be typed either.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

# The rule of what is unsafe lives with the client, which refuses such input; shown here.
from sonnys_tui.backoffice.text import escape, first_unsafe
from sonnys_tui.backoffice.text import is_plain as _plain
from sonnys_tui.backoffice.text import is_unsafe as _unsafe

if TYPE_CHECKING:
    from rich.text import Text


@lru_cache(maxsize=4096)
def _shown(value: str) -> str:
    return "".join(escape(ch) if _unsafe(ch) else ch for ch in value)


def terminal_safe(value: object) -> str:
    """``value`` as text that cannot drive a terminal: every control, escape or invisible
    format character is replaced by a visible escape. Printable text (the common case)
    is returned as it is."""
    text = value if isinstance(value, str) else str(value)
    if _plain(text):
        return text
    return _shown(text)


def safe_text(value: object, style: str = "") -> Text:
    """A Rich :class:`Text` of :func:`terminal_safe` ``value``: never parsed as markup."""
    from rich.text import Text  # deferred: the shell commands need no Rich

    return Text(terminal_safe(value), style=style)


def fit_name(value: object, width: int) -> str:
    """:func:`terminal_safe` ``value`` in at most ``width`` characters, a trailing
    parenthesised part kept whole: "Yael Trialson1202 (POS 2241)" becomes
    "Yael Tri… (POS 2241)". The id is what tells two people apart, so the name is
    what gets cut ("…" marks the cut)."""
    text = terminal_safe(value)
    if len(text) <= width:
        return text
    head, space, tail = text.rpartition(" (")
    tail = f"{space}{tail}"
    if head and tail.endswith(")") and len(tail) + 2 <= width:
        return head[: width - len(tail) - 1] + "…" + tail
    return text[: width - 1] + "…"


def safe_lines(value: object) -> str:
    """:func:`terminal_safe`, line by line: the line breaks between lines are kept (for
    a toast or a label of several lines), everything else is escaped."""
    text = value if isinstance(value, str) else str(value)
    if _plain(text.replace("\n", "")):
        return text
    return "\n".join(_shown(line) for line in text.split("\n"))


def in_place(value: str, mark: str = "\ufffd") -> str:
    """``value`` with each character :func:`terminal_safe` would escape replaced by one
    ``mark`` (a "�"): as long as ``value``, so that an editor's cursor and selection
    offsets still point at the same characters."""
    if _plain(value):
        return value
    return "".join(mark if _unsafe(ch) else ch for ch in value)


def is_safe(value: str) -> bool:
    """True if ``value`` holds no character :func:`terminal_safe` would escape."""
    return terminal_safe(value) == value


def _json_escape(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # a UTF-16 surrogate pair, as JSON spells characters beyond the BMP
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_safe(document: str) -> str:
    """A JSON document with every character :func:`terminal_safe` would escape written
    as a JSON ``\\u`` escape, so that it decodes to exactly the same value.

    ``json.dumps(..., ensure_ascii=False)`` escapes only C0 controls: C1 controls, bidi
    overrides, zero-width characters and lone surrogates would be written raw. Such
    characters can only stand inside strings (JSON's own syntax is printable ASCII and
    line breaks), so the document's line breaks are kept.
    """
    lines = document.split("\n")
    for i, line in enumerate(lines):
        if not _plain(line):
            lines[i] = "".join(_json_escape(ch) if _unsafe(ch) else ch for ch in line)
    return "\n".join(lines)


__all__ = [
    "escape",
    "first_unsafe",
    "in_place",
    "is_safe",
    "json_safe",
    "safe_lines",
    "safe_text",
    "terminal_safe",
]
