"""The display boundary: text from the server or a file, made safe for a terminal.

Anyone who can edit a name in the web Back Office controls the text this tool shows,
so no string from outside may reach the terminal raw: an ESC, a BEL or a bidirectional
override in a name could retitle the window, recolour the screen or reorder what the
user reads. Every widget, dialog, notification and shell table passes such text
through :func:`terminal_safe` (or :func:`safe_text` for Rich), which shows each control
or invisible format character visibly as an escape (``\\x1b``, ``\\u202e``).

Only the *shown* text changes: the values underneath stay exact, so a record read and
posted back round-trips unchanged, and ``--json`` output stays exact (JSON escapes
control characters itself).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

# Unicode categories that never belong on a terminal as they are: controls (C0, DEL, C1),
# format characters (bidi overrides and isolates, zero-width spaces and joiners, soft
# hyphen, BOM, tag characters), line/paragraph separators, surrogates and unassigned.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Cn"})


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


@lru_cache(maxsize=4096)
def _shown(value: str) -> str:
    return "".join(
        _escape(ch) if unicodedata.category(ch) in _UNSAFE_CATEGORIES else ch for ch in value
    )


def terminal_safe(value: object) -> str:
    """``value`` as text that cannot drive a terminal: every control, escape or invisible
    format character is replaced by a visible escape. Printable text (the common case)
    is returned as it is."""
    text = value if isinstance(value, str) else str(value)
    # str.isprintable() is False for every unsafe category (and for non-ASCII spaces,
    # which the slow path keeps): one C-level scan for the common case.
    if text.isprintable():
        return text
    return _shown(text)


def safe_text(value: object, style: str = "") -> Text:
    """A Rich :class:`Text` of :func:`terminal_safe` ``value``: never parsed as markup."""
    from rich.text import Text  # deferred: the shell commands need no Rich

    return Text(terminal_safe(value), style=style)


def is_safe(value: str) -> bool:
    """True if ``value`` holds no character :func:`terminal_safe` would escape."""
    return terminal_safe(value) == value


__all__ = ["is_safe", "safe_text", "terminal_safe"]
