"""The employee roster as the table sees it: filter, sort and count, with no Textual.

The matching rules are :mod:`sonnys_tui.lookup`'s (the shell's ``find`` answers the
same way); here a keystroke that only narrows the query filters the current result
instead of all 10,000 rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from sonnys_tui.backoffice.models import ActiveFilter, EmployeeRow
from sonnys_tui.lookup import Indexed, Query, index_rows, select

__all__ = ["SORT_KEYS", "SORT_LABELS", "Query", "Roster", "SortKey"]

SortKey = Literal["name", "pos_user_id", "phone", "sites", "active"]
SORT_KEYS: tuple[SortKey, ...] = ("name", "pos_user_id", "phone", "sites", "active")
SORT_LABELS: dict[SortKey, str] = {
    "name": "name",
    "pos_user_id": "POS ID",
    "phone": "phone",
    "sites": "sites",
    "active": "status",
}


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@dataclass
class Roster:
    """Every employee, the current filter and sort, and the visible rows in order."""

    entries: list[Indexed] = field(default_factory=list)
    visible: list[EmployeeRow] = field(default_factory=list)
    query: Query = field(default_factory=Query)
    active: ActiveFilter = "all"
    site_code: str | None = None
    department: str | None = None
    sort_key: SortKey = "name"
    reverse: bool = False
    _visible_entries: list[Indexed] = field(default_factory=list)

    def load(self, rows: Iterable[EmployeeRow]) -> None:
        self.load_indexed(index_rows(rows))

    def load_indexed(self, entries: list[Indexed]) -> None:
        """Like :meth:`load`, with rows a worker thread already indexed (10k rows: ~25 ms
        kept off the UI thread). Takes ownership of ``entries``."""
        self.entries = entries
        self._sort()
        self._apply(self.entries)

    def replace_row(self, row: EmployeeRow) -> None:
        """Update one employee in place (after a disable/enable) keeping the order."""
        for index, entry in enumerate(self.entries):
            if entry.row.employee_id == row.employee_id:
                self.entries[index] = Indexed.of(row)
                break
        else:
            self.entries.append(Indexed.of(row))
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

    def set_department(self, department: str | None) -> None:
        self.department = department
        self._apply(self.entries)

    def set_sort(self, key: SortKey, *, reverse: bool = False) -> None:
        self.sort_key = key
        self.reverse = reverse
        self._sort()
        self._apply(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def _sort(self) -> None:
        key = self.sort_key

        def sort_value(entry: Indexed) -> tuple[object, ...]:
            row = entry.row
            name = entry.names
            if key == "pos_user_id":
                return (row.pos_user_id is None, row.pos_user_id or 0, name)
            if key == "phone":
                return (_digits(row.phone), name)
            if key == "sites":
                return (",".join(row.site_codes).lower(), name)
            if key == "active":
                return (not row.active, name)
            return (row.last_name.lower(), row.first_name.lower(), row.employee_id)

        self.entries.sort(key=sort_value, reverse=self.reverse)

    def _apply(self, source: Sequence[Indexed]) -> None:
        query, active, site = self.query, self.active, self.site_code
        department = self.department
        result = source
        if active != "all":
            want = active == "active"
            result = [e for e in result if e.row.active is want]
        if site is not None:
            result = [e for e in result if site in e.row.site_codes]
        if department is not None:
            result = [e for e in result if department in e.row.departments]
        if not query.is_empty:
            result = select(result, query)
        self._visible_entries = list(result)  # in the sort's order: narrowing reuses it
        rows = [e.row for e in self._visible_entries]
        if query.is_number:
            # Digits that are someone's POS User ID put them first, as `find` and the shell
            # take it: 1013 means POS 1013, not 10132 above it in name order.
            exact = {r.employee_id for r in rows if str(r.pos_user_id) == query.digits}
            if exact:
                rows.sort(key=lambda r: r.employee_id not in exact)  # stable: else in order
        self.visible = rows
