"""The list pages: employees (``/employee``, parsed whole or streamed while it
downloads) and Back Office users (``/user``). Both tables are read by column class token.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeVar, cast

from lxml import etree

from sonnys_tui.backoffice.models import (
    BackofficeUserRow,
    EmployeeRow,
)
from sonnys_tui.backoffice.pages.markup import (
    by_id,
    classes,
    gc_paused,
    int_or_none,
    missing,
    next_link,
    numbered_options,
    pager_next,
    text_of,
)

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class EmployeeListPage:
    rows: tuple[EmployeeRow, ...]
    next_url: str | None
    site_codes: dict[int, str]  # from the filter's sites[] options


@dataclass(frozen=True, slots=True)
class _ListRow:
    """One row of a list table: its cells by column class token, and its record id."""

    cells: dict[str, etree._Element]
    record_id: int

    def text(self, column: str) -> str:
        cell = self.cells.get(column)
        return text_of(cell) if cell is not None else ""

    def has_icon(self, column: str, icon_class: str) -> bool:
        cell = self.cells.get(column)
        return cell is not None and any(icon_class in classes(i) for i in cell.iter("i"))


@dataclass(frozen=True, slots=True)
class _ListTable:
    """How one list page marks its table, columns and rows."""

    page: str
    table_class: str
    column_prefix: str
    key_column: str
    edit_link_prefix: str
    pager_id: str

    def row(self, tr: etree._Element) -> _ListRow | None:
        """The row's cells by column class, or None for a row that is no record."""
        cells: dict[str, etree._Element] = {}
        for td in tr.iterchildren("td"):
            for token in classes(td):
                if token.startswith(self.column_prefix):
                    cells[token] = td
        if self.key_column not in cells:
            return None
        prefix = self.edit_link_prefix
        record_id = next(
            (
                int(suffix)
                for link in tr.iter("a")
                if (link_id := link.get("id") or "").startswith(prefix)
                and (suffix := link_id[len(prefix) :]).isdigit()
            ),
            None,
        )
        if record_id is None:
            raise missing(self.page, "edit link in a row")
        return _ListRow(cells, record_id)

    def rows(self, doc: etree._Element) -> list[_ListRow]:
        """Walk the table once, keying cells by their column class.

        The employee list is ~1.7 KB per employee: per-cell XPath queries would
        cost more than parsing the page itself, so this is plain iteration.
        """
        table = next((t for t in doc.iter("table") if self.table_class in classes(t)), None)
        if table is None:
            raise missing(self.page, f"table.{self.table_class}")
        return [row for tr in table.iter("tr") if (row := self.row(tr)) is not None]

    @classmethod
    def named(cls, record: str, records: str, *, key: str) -> _ListTable:
        """A list the Back Office marks after its record ("employee") and their plural:
        ``table-<records>-list``, ``<records>-col-*`` cells (``key`` in every record's
        row), ``link-edit-<record>-<id>`` links, ``pager-<records>``."""
        return cls(
            page=f"{record} list",
            table_class=f"table-{records}-list",
            column_prefix=f"{records}-col-",
            key_column=f"{records}-col-{key}",
            edit_link_prefix=f"link-edit-{record}-",
            pager_id=f"pager-{records}",
        )


EMPLOYEE_LIST = _ListTable.named("employee", "employees", key="first-name")
USER_LIST = _ListTable.named("user", "users", key="username")


def _site_codes(select: etree._Element | None) -> dict[int, str]:
    return {} if select is None else numbered_options(select.iter("option"))


@gc_paused
def parse_employee_list(doc: etree._Element) -> EmployeeListPage:
    rows = EMPLOYEE_LIST.rows(doc)
    shared: dict[object, object] = {}
    sites_select = by_id(doc, "employee-filter-sites")
    if sites_select is None:
        found = cast("list[etree._Element]", doc.xpath("//select[@name='sites[]']"))
        sites_select = found[0] if found else None
    return EmployeeListPage(
        rows=tuple(_employee_row(row, shared) for row in rows),
        next_url=next_link(doc, EMPLOYEE_LIST.pager_id),
        site_codes=_site_codes(sites_select),
    )


class EmployeeListStream:
    """The employee list parsed while it downloads, in bounded memory.

    A 10,000-employee page is ~17 MB of HTML and its whole tree several times
    that: fed chunk by chunk, each row is turned into an :class:`EmployeeRow`
    as soon as its ``</tr>`` arrives and then dropped from the tree, so neither
    the body nor the tree is ever held whole, and parsing overlaps the download.

    libxml2's HTML push parser keeps every byte it was fed until it is closed
    (measured: +17 MB for the 10k page, however the rows are dropped), so once
    ``RESTART_BYTES`` were fed and the rows have started, the parser is closed
    between two rows (the employee table's end event is checked there, as at
    the end) and a new one goes on inside a ``<table><tbody>`` of its own.
    """

    # End events only for what is read: rows, the pager, the site filter, the
    # login form's inputs and the table itself (every <a> would be 5 per row).
    _TAGS = ("tr", "nav", "select", "input", "table")
    # Between two rows of the table: where a parser can stop and another go on. (Only
    # the lower case the Back Office writes: other markup just never restarts.)
    _ROW_GAP = re.compile(rb"</tr>\s*(?=<tr[\s>])")

    SLICE = 64 * 1024
    RESTART_BYTES = 128 * 1024  # small enough that the 120-row test page restarts too

    def __init__(self, encoding: str = "utf-8") -> None:
        self._encoding = encoding
        self._parser = self._new_parser()
        self._fed = 0  # bytes fed to the current parser
        self.restarts = 0  # parsers closed between rows so far
        self._tail = b""  # the last bytes fed, for a "</table" split between slices
        self._past_rows = False  # a "</table" came after the rows: no more restarts
        self._rows: list[EmployeeRow] = []
        self._shared: dict[object, object] = {}
        self._next_url: str | None = None
        self._codes: dict[int, str] = {}
        self._table_seen = False
        self._login_inputs: set[str] = set()

    def _new_parser(self) -> etree.HTMLPullParser:
        return etree.HTMLPullParser(events=("end",), tag=self._TAGS, encoding=self._encoding)

    @property
    def is_login_page(self) -> bool:
        """True when the page turned out to be the login form (session expired)."""
        return self._login_inputs == {"_username", "_password"}

    @gc_paused
    def feed(self, chunk: bytes) -> None:
        # Slices bound the events (and so the tree) alive between two drains
        # even when a transport hands over the whole body in one chunk.
        for start in range(0, len(chunk), self.SLICE):
            piece = chunk[start : start + self.SLICE]
            if self._rows and not self._past_rows:
                if b"</table" in self._tail + piece[:8] or b"</table" in piece:
                    self._past_rows = True
                elif self._fed + len(piece) >= self.RESTART_BYTES:
                    cut = self._last_row_gap(piece)
                    if cut:
                        self._feed(piece[:cut])
                        self._restart()
                        piece = piece[cut:]
            self._feed(piece)

    def _last_row_gap(self, piece: bytes) -> int:
        """Where the last gap between two rows of ``piece`` ends, or 0."""
        end = piece.rfind(b"</tr>")
        while end != -1:
            if gap := self._ROW_GAP.match(piece, end):
                return gap.end()
            end = piece.rfind(b"</tr>", 0, end)
        return 0

    def _feed(self, data: bytes) -> None:
        self._parser.feed(data)
        self._fed += len(data)
        self._tail = data[-8:]
        self._drain()

    def _restart(self) -> None:
        """Close the parser between two rows (what it holds is freed) and go on in a
        new one, in the same context for a row: a table body."""
        self._parser.close()
        self._drain()  # the table's end: it is the employee table, checked as at the end
        self._parser = self._new_parser()
        self._parser.feed(b"<table><tbody>")
        self._fed = 0
        self.restarts += 1

    def close(self) -> EmployeeListPage:
        """Finish parsing; raises like :func:`parse_employee_list` on changed markup."""
        self._parser.close()
        self._drain()
        if not self._table_seen and not self.is_login_page:
            raise missing(EMPLOYEE_LIST.page, f"table.{EMPLOYEE_LIST.table_class}")
        return EmployeeListPage(
            rows=tuple(self._rows), next_url=self._next_url, site_codes=self._codes
        )

    def _drain(self) -> None:
        for _event, item in self._parser.read_events():
            # Only "end" events are asked for: each item is an element.
            element = cast("etree._Element", item)
            tag = element.tag
            if tag == "tr":
                row = EMPLOYEE_LIST.row(element)
                if row is not None:
                    self._rows.append(_employee_row(row, self._shared))
                    _forget(element)
            elif tag == "nav":
                if element.get("id") == EMPLOYEE_LIST.pager_id:
                    self._next_url = pager_next(element, EMPLOYEE_LIST.pager_id)
            elif tag == "select":
                if element.get("name") == "sites[]":
                    self._codes = _site_codes(element)
            elif tag == "input":
                name = element.get("name")
                if name in ("_username", "_password"):
                    self._login_inputs.add(name)
            elif EMPLOYEE_LIST.table_class in classes(element):
                self._table_seen = True


def _forget(element: etree._Element) -> None:
    """Free a processed row and the rows before it (the iterparse idiom)."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _employee_row(row: _ListRow, shared: dict[object, object]) -> EmployeeRow:
    """``shared`` pools the values that repeat from row to row (site lists,
    departments, template names): 10,000 rows then hold a few hundred copies."""

    def pooled(value: _T) -> _T:
        return cast("_T", shared.setdefault(value, value))

    departments_cell = row.cells.get("employees-col-departments")
    departments = (
        tuple(pooled(t) for li in departments_cell.iter("li") if (t := text_of(li)))
        if departments_cell is not None
        else ()
    )
    active_cell = row.cells.get("employees-col-active")
    sites = row.text("employees-col-sites")
    return EmployeeRow(
        employee_id=row.record_id,
        first_name=row.text("employees-col-first-name"),
        last_name=row.text("employees-col-last-name"),
        pos_user_id=int_or_none(row.text("employees-col-pos-user-id")),
        phone=row.text("employees-col-phone"),
        site_codes=pooled(tuple(pooled(c) for code in sites.split(",") if (c := code.strip()))),
        departments=pooled(departments),
        access=pooled(row.text("employees-col-template")),
        wage_type=pooled(row.text("employees-col-wage-type")),
        active=row.has_icon("employees-col-active", "fa-check"),
        status_changed_utc=(active_cell.get("data-date-utc") or None)
        if active_cell is not None
        else None,
    )


@dataclass(frozen=True, slots=True)
class UserListPage:
    rows: tuple[BackofficeUserRow, ...]
    next_url: str | None


@gc_paused
def parse_user_list(doc: etree._Element) -> UserListPage:
    rows = USER_LIST.rows(doc)
    return UserListPage(
        rows=tuple(
            BackofficeUserRow(
                user_id=row.record_id,
                first_name=row.text("users-col-first-name"),
                last_name=row.text("users-col-last-name"),
                username=row.text("users-col-username"),
                phone=row.text("users-col-phone"),
                email=row.text("users-col-email"),
                # The sr-only text says "Active" even for inactive rows: trust the icon.
                active=row.has_icon("users-col-active", "fa-check"),
            )
            for row in rows
        ),
        next_url=next_link(doc, USER_LIST.pager_id),
    )
