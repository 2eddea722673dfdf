"""One-box employee lookup shared by the app and the shell commands.

A query made of digits (and phone punctuation) matches POS User IDs and phone
numbers; anything else matches names (every word must prefix the first or the
last name, case-insensitively). The same rules drive the cached search and the
server-side fallback, so both answer the same question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sonnys_tui.backoffice.models import EmployeeRow

if TYPE_CHECKING:
    from sonnys_tui.backoffice.client import SonnysBackofficeClient

_PHONE_PUNCTUATION = re.compile(r"[\s()+.\-]")


@dataclass(frozen=True)
class Query:
    text: str
    digits: str  # the query as digits, when it is a number ("" otherwise)
    words: tuple[str, ...]  # lower-cased name words, when it is text

    @property
    def is_number(self) -> bool:
        return bool(self.digits)

    @property
    def is_empty(self) -> bool:
        return not self.digits and not self.words


def parse_query(text: str) -> Query:
    stripped = text.strip()
    compact = _PHONE_PUNCTUATION.sub("", stripped)
    if compact.isdigit():
        return Query(stripped, compact, ())
    return Query(stripped, "", tuple(stripped.lower().split()))


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def matches(row: EmployeeRow, query: Query) -> bool:
    if query.is_number:
        pos_id = "" if row.pos_user_id is None else str(row.pos_user_id)
        return pos_id.startswith(query.digits) or query.digits in _digits(row.phone)
    first, last = row.first_name.lower(), row.last_name.lower()
    names = (*first.split(), *last.split(), first, last)
    return all(any(name.startswith(word) for name in names) for word in query.words)


def rank(row: EmployeeRow, query: Query) -> tuple[int, str, str]:
    """Sort key: exact POS User ID first, then by last and first name."""
    exact = query.is_number and row.pos_user_id is not None and str(row.pos_user_id) == query.digits
    return (0 if exact else 1, row.last_name.lower(), row.first_name.lower())


def search_rows(rows: Iterable[EmployeeRow], query: Query) -> list[EmployeeRow]:
    if query.is_empty:
        return []
    return sorted((r for r in rows if matches(r, query)), key=lambda r: rank(r, query))


def search_server(client: SonnysBackofficeClient, query: Query) -> list[EmployeeRow]:
    """Answer ``query`` with the list page's own filters, without the full roster.

    The server filters names by prefix and POS User IDs exactly; it cannot
    search phones, so a number is only looked up as a POS User ID here.
    """
    if query.is_empty:
        return []
    found: dict[int, EmployeeRow] = {}
    if query.is_number:
        for row in client.search_employees(pos_user_id=int(query.digits)):
            found[row.employee_id] = row
    elif len(query.words) >= 2:
        first, last = query.words[0], " ".join(query.words[1:])
        for row in client.search_employees(first_name=first, last_name=last):
            found[row.employee_id] = row
    else:
        word = query.words[0]
        for rows in (
            client.search_employees(first_name=word),
            client.search_employees(last_name=word),
        ):
            found.update((row.employee_id, row) for row in rows)
    return search_rows(found.values(), query)


def format_sites(codes: Sequence[str]) -> str:
    return ", ".join(codes) if codes else "-"
