"""The display boundary: what may reach a terminal, and how the rest is shown.

Every character a terminal could act on, or that draws nothing, is shown as a visible
escape; printable text of any script is returned as it is; the escaped text is pure
printable ASCII where it was changed, so it cannot be re-interpreted.
"""

from __future__ import annotations

import json
import re
import timeit
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sonnys_tui.display import (
    escape,
    first_unsafe,
    fit_name,
    in_place,
    is_safe,
    json_safe,
    safe_lines,
    safe_text,
    terminal_safe,
)

C0 = [chr(c) for c in range(0x20)]
DEL = "\x7f"
C1 = [chr(c) for c in range(0x80, 0xA0)]
BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
MARKS = ["\u200e", "\u200f", "\u061c"]  # LRM, RLM, Arabic letter mark
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\u2061", "\u2062", "\u2063", "\u2064"]
OTHER_FORMAT = ["\ufeff", "\u00ad", "\u180e", "\u206a", "\u206f", "\ufff9", "\ufffa", "\ufffb"]
SEPARATORS = ["\u2028", "\u2029"]
TAGS = [chr(c) for c in (0xE0001, *range(0xE0020, 0xE0080))]
SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]
UNASSIGNED = ["\u0378", "\uffff", "\U0010ffff"]
INVISIBLE_LETTERS = ["\u034f", "\u115f", "\u1160", "\u17b4", "\u17b5", "\u3164", "\uffa0"]
UNSAFE = [
    *C0,
    DEL,
    *C1,
    *BIDI,
    *MARKS,
    *ZERO_WIDTH,
    *OTHER_FORMAT,
    *SEPARATORS,
    *TAGS,
    *SURROGATES,
    *UNASSIGNED,
    *INVISIBLE_LETTERS,
]
SEQUENCES = {
    "CSI SGR": "\x1b[31;1m",
    "CSI clear": "\x1b[2J\x1b[H",
    "CSI report": "\x1b[6n",
    "OSC title BEL": "\x1b]0;owned\x07",
    "OSC title ST": "\x1b]2;owned\x1b\\",
    "OSC 8 link": "\x1b]8;;https://evil.example\x1b\\x\x1b]8;;\x1b\\",
    "OSC 52 clipboard": "\x1b]52;c;ZWNobyBvd25lZA==\x07",
    "DCS": "\x1bP+q544e\x1b\\",
    "APC": "\x1b_payload\x1b\\",
    "PM": "\x1b^payload\x1b\\",
    "SOS": "\x1bXpayload\x1b\\",
    "RIS": "\x1bc",
    "C1 CSI": "\x9b31m",
    "C1 OSC": "\x9d0;owned\x9c",
    "C1 DCS": "\x90q\x9c",
}
PRINTABLE = [
    "José Ñ 山田",
    "Zoë O'Brien-Smith",
    "Мария Иванова",
    "محمد",
    "שלום",
    "नमस्ते",
    "🚗 wash & wax",
    "[bold]markup[/] <b>&amp;</b>",
    "tab-less back\\slash",
    "e\u0301 (combining acute)",
    "\u00a0non-breaking\u3000ideographic space",
    "\ue000 private use",
    "❤️ with a variation selector",
]

UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"}


def _visible(text: str) -> bool:
    """What the tests accept on a terminal: nothing of an unsafe category, nothing
    invisible (checked here independently of the module under test)."""
    return not any(
        unicodedata.category(ch) in UNSAFE_CATEGORIES or ch in INVISIBLE_LETTERS for ch in text
    )


@pytest.mark.parametrize("char", UNSAFE, ids=lambda c: f"U+{ord(c):04X}")
def test_every_unsafe_character_is_shown_as_an_escape(char: str) -> None:
    shown = terminal_safe(f"a{char}b")
    assert shown == f"a{escape(char)}b"
    assert shown.isascii() and shown.isprintable()
    assert not is_safe(f"a{char}b")
    assert first_unsafe(f"ok{char}") == char


@pytest.mark.parametrize(
    ("char", "expected"),
    [("\x1b", "\\x1b"), ("\x07", "\\x07"), ("\x9b", "\\x9b"), ("\x00", "\\x00"),
     ("\u202e", "\\u202e"), ("\ud800", "\\ud800"), ("\U000e0041", "\\U000e0041")],
)  # fmt: skip
def test_the_escapes_read_like_python_escapes(char: str, expected: str) -> None:
    assert escape(char) == expected
    assert terminal_safe(char) == expected


@pytest.mark.parametrize("name", SEQUENCES, ids=str)
def test_escape_sequences_lose_every_control_character(name: str) -> None:
    sequence = SEQUENCES[name]
    shown = terminal_safe(f"Dana{sequence}Re")
    assert "\x1b" not in shown and not any("\x80" <= ch <= "\x9f" for ch in shown)
    assert _visible(shown) and shown.isascii()
    assert shown.startswith("Dana") and shown.endswith("Re")


@pytest.mark.parametrize("text", PRINTABLE)
def test_printable_text_of_any_script_is_unchanged(text: str) -> None:
    assert terminal_safe(text) is text or terminal_safe(text) == text
    assert is_safe(text) and first_unsafe(text) is None
    assert in_place(text) == text and safe_lines(text) == text
    assert safe_text(text).plain == text


def test_ascii_fast_path_returns_the_same_object() -> None:
    text = "Jordan Pilot"
    assert terminal_safe(text) is text


def test_non_strings_are_shown_as_their_str() -> None:
    assert terminal_safe(4411) == "4411"
    assert terminal_safe(None) == "None"
    assert safe_text(12.5).plain == "12.5"


def test_safe_text_is_never_markup_and_keeps_the_style() -> None:
    text = safe_text("[bold]Eve\x1b[31m[/]", style="bold")
    assert text.plain == "[bold]Eve\\x1b[31m[/]"
    assert str(text.style) == "bold"


def test_safe_lines_keeps_line_breaks_and_escapes_the_rest() -> None:
    assert safe_lines("one\ntwo\x1b[2J\nthree") == "one\ntwo\\x1b[2J\nthree"
    assert safe_lines("a\r\nb") == "a\\x0d\nb"
    assert safe_lines("tab\there") == "tab\\x09here"
    assert terminal_safe("one\ntwo") == "one\\x0atwo"


def test_in_place_keeps_the_length_for_an_editor() -> None:
    value = "Dana\x1b[31m\x07\u202e"
    shown = in_place(value)
    assert len(shown) == len(value)
    assert shown == "Dana\ufffd[31m\ufffd\ufffd"
    assert _visible(shown)


def test_only_the_shown_text_changes() -> None:
    value = "Eve\x1b]0;x\x07"
    terminal_safe(value)
    assert value == "Eve\x1b]0;x\x07"


def test_json_safe_is_exact_and_shows_nothing_raw() -> None:
    values = ["Eve\x1b]0;owned\x07", "\x9b31m", "\u202eevil", "tag\U000e0041", "lone\ud800",
              "José Ñ 山田", "line\u2028sep", "\x85nel"]  # fmt: skip
    document = json.dumps({"names": values}, ensure_ascii=False, indent=2)
    safe = json_safe(document)
    assert json.loads(safe) == {"names": values}
    assert all(_visible(line) for line in safe.split("\n"))
    assert "José Ñ 山田" in safe  # readable text stays readable
    assert "\\u202e" in safe and "\\udb40\\udc41" in safe and "\\ud800" in safe


@given(st.text())
def test_any_text_comes_out_visible_and_unchanged_when_already_safe(text: str) -> None:
    shown = terminal_safe(text)
    assert _visible(shown)
    if is_safe(text):
        assert shown == text
    assert terminal_safe(shown) == shown  # idempotent: shown text is shown as it is
    assert json.loads(json_safe(json.dumps(text, ensure_ascii=False))) == text


@given(st.text())
def test_escapes_are_reversible(text: str) -> None:
    """Every escape stands for exactly one character: the user can tell what was there."""
    shown = terminal_safe(text)
    pattern = re.compile(r"\\x([0-9a-f]{2})|\\u([0-9a-f]{4})|\\U([0-9a-f]{8})")
    if "\\" not in text:  # a literal backslash in the text would read as an escape
        assert pattern.sub(lambda m: chr(int(next(g for g in m.groups() if g), 16)), shown) == text


def test_the_fast_path_stays_cheap() -> None:
    """The employee table calls it once per cell: 70,000 cells for 10,000 rows."""
    cells = [f"Employee {i} Lastname" for i in range(1000)]
    seconds = min(timeit.repeat(lambda: [terminal_safe(c) for c in cells], number=10, repeat=3))
    assert seconds / 10_000 < 5e-6  # per cell, well under the cost of drawing it


@pytest.mark.parametrize(
    ("value", "width", "shown"),
    [
        ("Dana Reyes (POS 4411)", 26, "Dana Reyes (POS 4411)"),  # fits: as it is
        ("Yael Trialson1202 (POS 22410)", 24, "Yael Trials… (POS 22410)"),  # the name is cut
        ("A very long name with no id at all", 12, "A very long…"),
        ("Ann (POS 123456789012345678901)", 12, "Ann (POS 12…"),  # the id alone is too long
        ("Eve\x1b[2J Mallory (POS 4101)", 24, "Eve\\x1b[2J M… (POS 4101)"),  # made safe first
    ],
)
def test_fit_name_cuts_the_name_and_keeps_the_id_whole(value: str, width: int, shown: str) -> None:
    fitted = fit_name(value, width)
    assert fitted == shown and len(fitted) <= width
