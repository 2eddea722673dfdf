"""One-box employee lookup: the single set of rules for the app's filter, its
command palette and the shell's ``find``.

A query made of digits (and phone punctuation) matches POS User IDs by prefix
and phone numbers anywhere in their digits (a US country code, "+1 312 …", is not
part of the phone); anything else matches names: every word must start one word of
the first or last name, ignoring case, accents and the punctuation inside a name
("jose" finds José, "obrien" and "brien" find O'Brien; the server's own name search
is by prefix too, so the fallback agrees, though accents are then the server's
business). An empty answer is said in words by :func:`no_match`, the same in the
app and the shell.

Filtering must stay about one frame at 10,000 rows, so each row's searchable
text is folded and joined once (:class:`Indexed`) and a keystroke only runs
``in`` / ``startswith`` checks (:func:`select`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sonnys_tui.backoffice.models import EmployeeRow
from sonnys_tui.backoffice.validation import POS_USER_ID_MAX

if TYPE_CHECKING:
    from sonnys_tui.backoffice.client import SonnysBackofficeClient

_PHONE_PUNCTUATION = re.compile(r"[\s()+.\-]")
# "Smith-Jones" is found by "jones" too, "O'Brien" (or O’Brien) by "brien" and "obrien".
_NAME_PARTS = re.compile(r"[-'\u2019\u02bc]")
# The combining marks NFKD splits accents into (one regex: a per-character test in
# Python costs ~4 µs a name, 40 ms at 10,000 accented rows).
_COMBINING_MARKS = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)
# Letters NFKD does not take apart: folded by hand (after casefold).
_FOLD_LETTERS = str.maketrans(
    {"ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)


def fold(text: str) -> str:
    """``text`` as names are compared: case-folded, accents and marks removed
    ("José" and "JOSE" are both "jose", "Straße" is "strasse", "Søren" "soren")."""
    text = text.casefold()
    if text.isascii():  # the common case: no Unicode tables
        return text
    bare = _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text))
    return bare.translate(_FOLD_LETTERS)


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed lookup: ``digits`` when it is a number (``phone``: those a phone must
    contain, less a US country code), else folded ``words`` (:func:`fold`)."""

    text: str = field(default="", compare=False)
    digits: str = ""
    words: tuple[str, ...] = ()
    phone: str = ""  # "" means the same as digits

    def __post_init__(self) -> None:
        if self.digits and not self.phone:
            object.__setattr__(self, "phone", self.digits)

    @classmethod
    def parse(cls, text: str) -> Query:
        stripped = text.strip()
        compact = _PHONE_PUNCTUATION.sub("", stripped)
        if compact.isascii() and compact.isdigit():
            national = compact
            if compact[0] == "1" and (stripped.startswith("+1") or len(compact) == 11):
                national = compact[1:]  # "+1 312 …": the country code is no part of it
            return cls(stripped, compact, (), national)
        return cls(stripped, "", tuple(fold(stripped).split()))

    @property
    def is_number(self) -> bool:
        return bool(self.digits)

    @property
    def is_empty(self) -> bool:
        return not self.digits and not self.words

    def narrows(self, other: Query) -> bool:
        """True if every row matching ``self`` also matches ``other`` (so ``self`` can be
        applied to ``other``'s result instead of the whole roster)."""
        if other.is_empty:
            return True
        if self.digits and other.digits:
            return self.digits.startswith(other.digits) and other.phone in self.phone
        if self.words and other.words and len(self.words) >= len(other.words):
            return all(
                mine.startswith(theirs)
                for mine, theirs in zip(self.words, other.words, strict=False)
            )
        return False


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


@dataclass(frozen=True, slots=True)
class Indexed:
    """A row with its searchable text prepared once."""

    row: EmployeeRow
    names: str  # " dana reyes": every folded name word after a space: " re" is a prefix
    pos: str  # the POS User ID as text, "" when none
    phone: str  # the phone's digits

    @classmethod
    def of(cls, row: EmployeeRow) -> Indexed:
        words = fold(f"{row.first_name} {row.last_name}").split()
        parts = [
            p
            for w in words
            if _NAME_PARTS.search(w)
            for p in (*_NAME_PARTS.split(w), _NAME_PARTS.sub("", w))
            if p
        ]
        return cls(
            row=row,
            names=" " + " ".join(words + parts),
            pos="" if row.pos_user_id is None else str(row.pos_user_id),
            phone=_digits(row.phone),
        )


def index_rows(rows: Iterable[EmployeeRow]) -> list[Indexed]:
    return [Indexed.of(row) for row in rows]


def select(items: Sequence[Indexed], query: Query) -> list[Indexed]:
    """The items matching ``query`` in their order (all of them when it is empty)."""
    if query.digits:
        digits, phone = query.digits, query.phone
        return [e for e in items if e.pos.startswith(digits) or phone in e.phone]
    needles = [" " + word for word in query.words]
    if len(needles) == 1:  # the common case, without a generator per row
        needle = needles[0]
        return [e for e in items if needle in e.names]
    if needles:
        return [e for e in items if all(n in e.names for n in needles)]
    return list(items)


def matches(row: EmployeeRow, query: Query) -> bool:
    return not query.is_empty and bool(select([Indexed.of(row)], query))


def rank(row: EmployeeRow, query: Query) -> tuple[int, str, str]:
    """Sort key: exact POS User ID first, then by last and first name."""
    exact = query.is_number and row.pos_user_id is not None and str(row.pos_user_id) == query.digits
    return (0 if exact else 1, row.last_name.lower(), row.first_name.lower())


def search_rows(rows: Iterable[EmployeeRow], query: Query) -> list[EmployeeRow]:
    """The rows matching ``query``, best first; an empty query finds nothing."""
    return search_indexed(index_rows(rows), query)


def search_indexed(items: Sequence[Indexed], query: Query) -> list[EmployeeRow]:
    """:func:`search_rows` over rows already indexed (the app's roster)."""
    if query.is_empty:
        return []
    found = [e.row for e in select(items, query)]
    return sorted(found, key=lambda r: rank(r, query))


def search_server(client: SonnysBackofficeClient, query: Query) -> list[EmployeeRow]:
    """Answer ``query`` with the list page's own filters, without the full roster.

    The server filters names by prefix and POS User IDs exactly; it cannot
    search phones, so a number is only looked up as a POS User ID here. The
    answer is then filtered with the same rules as the cached search.
    """
    if query.is_empty:
        return []
    found: dict[int, EmployeeRow] = {}
    typed = query.text.lower().split()  # as typed: the server's rules for accents
    if query.is_number:
        if 1 <= int(query.digits) <= POS_USER_ID_MAX:  # a phone's digits may not fit one
            for row in client.search_employees(pos_user_id=int(query.digits)):
                found[row.employee_id] = row
            if not found:
                # The list never shows an active employee with no available site: an
                # exact POS User ID reaches them all the same.
                hidden = client.find_hidden_employee(int(query.digits))
                if hidden is not None:
                    return [hidden]
    elif len(typed) >= 2:
        first, last = typed[0], " ".join(typed[1:])
        for row in client.search_employees(first_name=first, last_name=last):
            found[row.employee_id] = row
    else:
        word = typed[0]
        for rows in (
            client.search_employees(first_name=word),
            client.search_employees(last_name=word),
        ):
            found.update((row.employee_id, row) for row in rows)
    return search_rows(found.values(), query)


def no_match(query: Query) -> str:
    """What an empty answer to ``query`` says (the app's filter and the shell's find)."""
    return f"no employee matches {query.text!r}"


def format_sites(codes: Sequence[str]) -> str:
    return ", ".join(codes) if codes else "-"
