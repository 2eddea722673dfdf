"""Which characters are unsafe to show on a terminal, as the client's one rule.

The client refuses them in every text argument (:mod:`validation`), and the app's
display boundary (:mod:`sonnys_tui.display`) escapes them in every string it shows: one
classification for both, here, so that what cannot be shown as it is cannot be typed.
"""

from __future__ import annotations

import re
import unicodedata

# Unicode categories that never belong on a terminal as they are: controls (C0, DEL, C1),
# format characters (bidi overrides and isolates, zero-width spaces and joiners, soft
# hyphen, BOM, tag characters), line/paragraph separators, surrogates and unassigned.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Cn"})
# Default-ignorable characters of other categories that draw nothing at all: the
# combining grapheme joiner, Khmer inherent vowels and the Hangul fillers (the "blank"
# letters used to fake an empty or look-alike name). str.isprintable() calls them
# printable, so they are looked for separately.
_INVISIBLE = "\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
_INVISIBLE_SET = frozenset(_INVISIBLE)


def is_unsafe(char: str) -> bool:
    """True for a control, format, separator, surrogate, unassigned or blank character."""
    return char in _INVISIBLE_SET or unicodedata.category(char) in _UNSAFE_CATEGORIES


def is_plain(text: str) -> bool:
    """True if nothing in ``text`` needs escaping: one C-level scan in the common case.

    str.isprintable() is False for every unsafe category (and for non-ASCII spaces,
    which the slow path then keeps); ASCII text cannot hold an invisible letter.
    """
    return text.isprintable() and (text.isascii() or _INVISIBLE_RE.search(text) is None)


def escape(char: str) -> str:
    """The visible form of one character: ``\\x1b``, ``\\u202e``, ``\\U000e0041``."""
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def first_unsafe(value: str) -> str | None:
    """The first character of ``value`` that the display boundary escapes, if any."""
    if is_plain(value):
        return None
    return next((ch for ch in value if is_unsafe(ch)), None)


__all__ = ["escape", "first_unsafe", "is_plain", "is_unsafe"]
