"""The employee roster as the table sees it: filter, sort and count, with no Textual.

Filtering must stay about one frame at 10,000 rows, so each row's searchable text
is lowered and joined once (the haystack) and a keystroke only runs ``in`` checks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from sonnys_tui.backoffice.models import ActiveFilter, EmployeeRow

SortKey = Literal["name", "pos_user_id", "phone", "sites", "active"]
SORT_KEYS: tuple[SortKey, ...] = ("name", "pos_user_id", "phone", "sites", "active")
SORT_LABELS: dict[SortKey, str] = {
    "name": "name",
    "pos_user_id": "POS ID",
    "phone": "phone",
    "sites": "sites",
    "active": "status",
}
_PHONE_PUNCTUATION = str.maketrans("", "", " -().+")


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed filter: a number matches POS IDs and phones, text matches names."""

    digits: str = ""
    words: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Query:
        stripped = text.strip()
        compact = stripped.translate(_PHONE_PUNCTUATION)
        if compact.isdigit():
            return cls(digits=compact)
        return cls(words=tuple(stripped.lower().split()))

    @property
    def empty(self) -> bool:
        return not self.digits and not self.words

    def narrows(self, other: Query) -> bool:
        """True if every row matching ``self`` also matches ``other`` (so ``self`` can be
        applied to ``other``'s result instead of the whole roster)."""
        if other.empty:
            return True
        if self.digits and other.digits:
            return other.digits in self.digits
        if self.words and other.words and len(self.words) >= len(other.words):
            return all(
                mine.find(theirs) >= 0
                for mine, theirs in zip(self.words, other.words, strict=False)
            )
        return False


@dataclass(frozen=True, slots=True)
class _Entry:
    row: EmployeeRow
    name: str  # lowercase "first last"
    numbers: str  # "<pos id> <phone digits>"


@dataclass
class Roster:
    """Every employee, the current filter and sort, and the visible rows in order."""

    entries: list[_Entry] = field(default_factory=list)
    visible: list[EmployeeRow] = field(default_factory=list)
    query: Query = field(default_factory=Query)
    active: ActiveFilter = "all"
    site_code: str | None = None
    sort_key: SortKey = "name"
    reverse: bool = False
    _visible_entries: list[_Entry] = field(default_factory=list)

    def load(self, rows: Iterable[EmployeeRow]) -> None:
        self.entries = [
            _Entry(
                row=row,
                name=f"{row.first_name} {row.last_name}".lower(),
                numbers=f"{row.pos_user_id or ''} {_digits(row.phone)}",
            )
            for row in rows
        ]
        self._sort()
        self._apply(self.entries)

    def replace_row(self, row: EmployeeRow) -> None:
        """Update one employee in place (after a disable/enable) keeping the order."""
        for index, entry in enumerate(self.entries):
            if entry.row.employee_id == row.employee_id:
                self.entries[index] = _Entry(row=row, name=entry.name, numbers=entry.numbers)
                break
        else:
            self.entries.append(
                _Entry(
                    row=row,
                    name=row.full_name.lower(),
                    numbers=f"{row.pos_user_id or ''} {_digits(row.phone)}",
                )
            )
            self._sort()
        self._apply(self.entries)

    def set_query(self, text: str) -> None:
        query = Query.parse(text)
        # Typing one more character only narrows: filter the current result, not 10k rows.
        source = self._visible_entries if query.narrows(self.query) else self.entries
        self.query = query
        self._apply(source)

    def set_active(self, active: ActiveFilter) -> None:
        self.active = active
        self._apply(self.entries)

    def set_site(self, site_code: str | None) -> None:
        self.site_code = site_code
        self._apply(self.entries)

    def set_sort(self, key: SortKey, *, reverse: bool = False) -> None:
        self.sort_key = key
        self.reverse = reverse
        self._sort()
        self._apply(self.entries)

    def index_of(self, employee_id: int) -> int | None:
        for index, row in enumerate(self.visible):
            if row.employee_id == employee_id:
                return index
        return None

    def active_count_by_site(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for entry in self.entries:
            if entry.row.active:
                counts.update(entry.row.site_codes)
        return counts

    def active_count_by_department(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for entry in self.entries:
            if entry.row.active:
                counts.update(entry.row.departments)
        return counts

    def __len__(self) -> int:
        return len(self.entries)

    def _sort(self) -> None:
        key = self.sort_key

        def sort_value(entry: _Entry) -> tuple[object, ...]:
            row = entry.row
            if key == "pos_user_id":
                return (row.pos_user_id is None, row.pos_user_id or 0, entry.name)
            if key == "phone":
                return (_digits(row.phone), entry.name)
            if key == "sites":
                return (",".join(row.site_codes).lower(), entry.name)
            if key == "active":
                return (not row.active, entry.name)
            return (row.last_name.lower(), row.first_name.lower(), row.employee_id)

        self.entries.sort(key=sort_value, reverse=self.reverse)

    def _apply(self, source: Sequence[_Entry]) -> None:
        query, active, site = self.query, self.active, self.site_code
        result = source
        if active != "all":
            want = active == "active"
            result = [e for e in result if e.row.active is want]
        if site is not None:
            result = [e for e in result if site in e.row.site_codes]
        if query.digits:
            digits = query.digits
            result = [e for e in result if digits in e.numbers]
        elif len(query.words) == 1:  # the common case, without a generator per row
            word = query.words[0]
            result = [e for e in result if word in e.name]
        elif query.words:
            words = query.words
            result = [e for e in result if all(w in e.name for w in words)]
        self._visible_entries = list(result)
        self.visible = [e.row for e in self._visible_entries]
