"""One parser per Back Office page (lxml). No I/O here.

Columns and controls are found by id, name or WHOLE class token, never by
position. A page that lacks an element we rely on raises
:class:`BackofficeServerError` ("… page has no <element>") instead of quietly
returning nothing: changed markup must be loud.
"""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import ParamSpec, TypeVar, cast

import lxml.html
from lxml import etree
from lxml.html import FormElement, HtmlElement

from sonnys_tui.backoffice.errors import BackofficeServerError
from sonnys_tui.backoffice.forms import FormData, find_form, serialize_form
from sonnys_tui.backoffice.models import (
    BackofficeUserRow,
    Department,
    EmployeeRecord,
    EmployeeRow,
    Permission,
    PosAccess,
    Secret,
    Site,
    Wage,
)
from sonnys_tui.backoffice.sites import SiteTree, has_class, parse_site_tree
from sonnys_tui.backoffice.validation import NewEmployee

EMPLOYEE_FORM_ID = "employee-create-edit-form"
POS_PERMISSIONS_FORM_ID = "employee-permission-update-form"
USER_FORM_ID = "user-create-edit-form"
USER_PERMISSIONS_FORM_ID = "user-permissions-update-form"
COMPENSATION_FORM_ID = "employee-compensation-edit-form"
COMPENSATION_TABLE_CLASS = "table-employee-compensation-history"

_ID_IN_HREF = re.compile(r"/(\d+)(?:[/?#]|$)")
_PERMISSION_KEY = re.compile(r"^permissions\[(\d+)\]\[(\w+)\]$")
_PERM_TOKEN_KEY = re.compile(r"^perms\[(\d+)\]\[token\]$")


@functools.cache
def _html_parser(encoding: str) -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(encoding=encoding)


def parse_html(text: str | bytes, *, encoding: str | None = None) -> HtmlElement:
    """Parse a page; bytes are decoded with ``encoding`` (the response's charset)."""
    if not text.strip():
        raise BackofficeServerError("the server sent an empty page")
    try:
        if isinstance(text, bytes) and encoding:
            return lxml.html.document_fromstring(text, parser=_html_parser(encoding))
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise BackofficeServerError(f"the server sent unparseable HTML ({exc})") from None


_P = ParamSpec("_P")
_R = TypeVar("_R")
_T = TypeVar("_T")


def _bulk(parse: Callable[_P, _R]) -> Callable[_P, _R]:
    """Pause the cyclic garbage collector while a big page is turned into records.

    A 10,000-row list allocates ~100k container objects, which triggers several
    full collections that each walk every lxml proxy alive (measured: ~40% of the
    parse). Parsing creates no reference cycles, so nothing is left uncollected.
    """

    @functools.wraps(parse)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not gc.isenabled():
            return parse(*args, **kwargs)
        gc.disable()
        try:
            return parse(*args, **kwargs)
        finally:
            gc.enable()

    return paused


@functools.cache
def _tree_parser(encoding: str) -> etree.HTMLParser:
    return etree.HTMLParser(encoding=encoding)


def parse_tree(content: bytes, *, encoding: str = "utf-8") -> etree._Element:
    """Parse a page into plain lxml elements (no ``lxml.html`` class lookup per
    element): about a third cheaper to walk, enough for the list pages."""
    if not content.strip():
        raise BackofficeServerError("the server sent an empty page")
    root = etree.fromstring(content, _tree_parser(encoding))
    if root is None:
        raise BackofficeServerError("the server sent unparseable HTML")
    return root


def _missing(page: str, element: str) -> BackofficeServerError:
    return BackofficeServerError(f"{page} page has no {element}", step=page)


def _text(el: etree._Element) -> str:
    """The element's text with white space collapsed, as a browser shows it."""
    # tostring(method="text") gathers the text in C: ~5x faster than itertext().
    return " ".join(etree.tostring(el, method="text", encoding="unicode", with_tail=False).split())


def _form(doc: HtmlElement, form_id: str, page: str) -> FormElement:
    form = find_form(doc, form_id)
    if form is None:
        raise _missing(page, f"form #{form_id}")
    return form


def _int_or_none(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


# ---------------------------------------------------------------- common


def is_login_page(doc: HtmlElement) -> bool:
    """True when the page carries the login form (whatever URL it came from)."""
    return bool(doc.xpath("//input[@name='_username']")) and bool(
        doc.xpath("//input[@name='_password']")
    )


@dataclass(frozen=True, slots=True)
class Alerts:
    success: tuple[str, ...]
    danger: tuple[str, ...]


def parse_alerts(doc: HtmlElement) -> Alerts:
    boxes = doc.xpath(f"//div[{has_class('alerts')}][{has_class('alerts-server')}]")

    def texts(kind: str) -> tuple[str, ...]:
        found: list[str] = []
        for box in boxes:
            for alert in box.xpath(f".//div[{has_class('alert')}][{has_class(kind)}]"):
                paragraphs = alert.xpath(".//p")
                text = " ".join(_text(p) for p in paragraphs) if paragraphs else _text(alert)
                found.append(text.replace("Error:", "").replace("Success:", "").strip())
        return tuple(found)

    return Alerts(success=texts("alert-success"), danger=texts("alert-danger"))


def _by_id(doc: etree._Element, element_id: str) -> etree._Element | None:
    """O(1) lookup: libxml2 indexes HTML ``id`` attributes, XPath's ``id()`` uses it
    (a ``//a[@id=…]`` scan costs ~0.1 s on a 10,000-row list page)."""
    found = cast("list[etree._Element]", doc.xpath("id($id)", id=element_id))
    return found[0] if found else None


def _next_link(doc: etree._Element, pager_id: str) -> str | None:
    return _href(_by_id(doc, f"{pager_id}-next"))


def _pager_next(nav: etree._Element, pager_id: str) -> str | None:
    wanted = f"{pager_id}-next"
    return _href(next((a for a in nav.iter("a") if a.get("id") == wanted), None))


def _href(link: etree._Element | None) -> str | None:
    href = (link.get("href") or "").strip() if link is not None else ""
    return href if href and href != "#" else None


# ---------------------------------------------------------------- employee list


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
        return _text(cell) if cell is not None else ""

    def has_icon(self, column: str, icon_class: str) -> bool:
        cell = self.cells.get(column)
        return cell is not None and any(icon_class in _classes(i) for i in cell.iter("i"))


def _classes(el: etree._Element) -> list[str]:
    return (el.get("class") or "").split()


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
            for token in _classes(td):
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
            raise _missing(self.page, "edit link in a row")
        return _ListRow(cells, record_id)

    def rows(self, doc: etree._Element) -> list[_ListRow]:
        """Walk the table once, keying cells by their column class.

        The employee list is ~1.7 KB per employee: per-cell XPath queries would
        cost more than parsing the page itself, so this is plain iteration.
        """
        table = next((t for t in doc.iter("table") if self.table_class in _classes(t)), None)
        if table is None:
            raise _missing(self.page, f"table.{self.table_class}")
        return [row for tr in table.iter("tr") if (row := self.row(tr)) is not None]


EMPLOYEE_LIST = _ListTable(
    page="employee list",
    table_class="table-employees-list",
    column_prefix="employees-col-",
    key_column="employees-col-first-name",
    edit_link_prefix="link-edit-employee-",
    pager_id="pager-employees",
)
USER_LIST = _ListTable(
    page="user list",
    table_class="table-users-list",
    column_prefix="users-col-",
    key_column="users-col-username",
    edit_link_prefix="link-edit-user-",
    pager_id="pager-users",
)


def _site_codes(select: etree._Element | None) -> dict[int, str]:
    if select is None:
        return {}
    return {
        int(value): _text(option)
        for option in select.iter("option")
        if (value := (option.get("value") or "").strip()).isdigit()
    }


@_bulk
def parse_employee_list(doc: etree._Element) -> EmployeeListPage:
    rows = EMPLOYEE_LIST.rows(doc)
    shared: dict[object, object] = {}
    sites_select = _by_id(doc, "employee-filter-sites")
    if sites_select is None:
        found = cast("list[etree._Element]", doc.xpath("//select[@name='sites[]']"))
        sites_select = found[0] if found else None
    return EmployeeListPage(
        rows=tuple(_employee_row(row, shared) for row in rows),
        next_url=_next_link(doc, EMPLOYEE_LIST.pager_id),
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

    @_bulk
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
            raise _missing(EMPLOYEE_LIST.page, f"table.{EMPLOYEE_LIST.table_class}")
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
                    self._next_url = _pager_next(element, EMPLOYEE_LIST.pager_id)
            elif tag == "select":
                if element.get("name") == "sites[]":
                    self._codes = _site_codes(element)
            elif tag == "input":
                name = element.get("name")
                if name in ("_username", "_password"):
                    self._login_inputs.add(name)
            elif EMPLOYEE_LIST.table_class in _classes(element):
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
        tuple(pooled(t) for li in departments_cell.iter("li") if (t := _text(li)))
        if departments_cell is not None
        else ()
    )
    active_cell = row.cells.get("employees-col-active")
    sites = row.text("employees-col-sites")
    return EmployeeRow(
        employee_id=row.record_id,
        first_name=row.text("employees-col-first-name"),
        last_name=row.text("employees-col-last-name"),
        pos_user_id=_int_or_none(row.text("employees-col-pos-user-id")),
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


# ---------------------------------------------------------------- employee form


@dataclass(frozen=True, slots=True)
class EmployeeFormPage:
    """``/employee/create`` or ``/employee/edit/<id>``: the form and what it offers."""

    form: FormElement
    tree: SiteTree
    sites: tuple[Site, ...]
    departments: tuple[Department, ...]

    def serialize(self, *, edit: bool) -> FormData:
        return serialize_form(self.form, edit=edit)


def parse_employee_form(doc: HtmlElement, *, page: str = "employee create") -> EmployeeFormPage:
    form = _form(doc, EMPLOYEE_FORM_ID, page)
    tree = parse_site_tree(form, page=page)
    codes = {
        int(value): _text(option)
        for option in form.xpath(".//select[@name='wage[siteId]']/option")
        if (value := (option.get("value") or "").strip()).isdigit()
    }
    sites = tuple(
        Site(
            id=site.id,
            name=site.name,
            code=codes.get(site.id, ""),
            region_id=site.region_id,
            region_name=tree.region_names.get(site.region_id) if site.region_id else None,
            district_id=site.district_id,
            district_name=tree.district_names.get(site.district_id) if site.district_id else None,
        )
        for site in tree.sites
    )
    selects = form.xpath(".//select[@name='employee[departments][]']")
    if not selects:
        raise _missing(page, "departments select")
    departments = tuple(
        Department(id=int(value), name=_text(option))
        for option in selects[0].xpath(".//option")
        if (value := (option.get("value") or "").strip()).isdigit()
    )
    return EmployeeFormPage(form=form, tree=tree, sites=sites, departments=departments)


@dataclass(frozen=True, slots=True)
class EmployeeEditPage:
    record: EmployeeRecord
    page: EmployeeFormPage


# The inputs of the edit form that hold the record: posted back on every update.
EDIT_FIELDS = (
    "employee[firstName]",
    "employee[lastName]",
    "employee[phone]",
    "employee[email]",
    "employee[startDate]",
    "employee[emergencyContactName]",
    "employee[emergencyContactPhone]",
    "employee[adpEmployeeId]",
    "posCredential[id]",
    "posCredential[POSLoginID]",
    "posCredential[POSLoginPassword]",
)


def parse_employee_edit(doc: HtmlElement) -> EmployeeEditPage:
    page = "employee edit"
    form_page = parse_employee_form(doc, page=page)
    form = form_page.form
    data = form_page.serialize(edit=True)
    employee_id = _int_or_none(data.get("employee[id]"))
    if employee_id is None:
        raise _missing(page, "employee[id]")
    if not form.xpath(".//input[@name='employee[isActive]']"):
        raise _missing(page, "employee[isActive] box")
    # An update is a full replace: a field the page no longer posts would be wiped.
    for name in EDIT_FIELDS:
        if name not in data:
            raise _missing(page, name)
    site_ids = form_page.tree.decode(data)
    department_ids = tuple(int(v) for v in data.get_all("employee[departments][]") if v.isdigit())
    department_names = {d.id: d.name for d in form_page.departments}
    record = EmployeeRecord(
        employee_id=employee_id,
        pos_credential_id=_int_or_none(data.get("posCredential[id]")),
        first_name=data.get("employee[firstName]") or "",
        last_name=data.get("employee[lastName]") or "",
        phone=data.get("employee[phone]") or "",
        email=data.get("employee[email]") or "",
        department_ids=department_ids,
        departments=tuple(department_names.get(i, str(i)) for i in department_ids),
        start_date=parse_us_date(data.get("employee[startDate]")),
        site_ids=site_ids,
        sites=tuple(site.name for site in form_page.sites if site.id in site_ids),
        pos_user_id=_int_or_none(data.get("posCredential[POSLoginID]")),
        pos_pin=Secret(data.get("posCredential[POSLoginPassword]") or ""),
        emergency_contact_name=data.get("employee[emergencyContactName]") or "",
        emergency_contact_phone=data.get("employee[emergencyContactPhone]") or "",
        adp_employee_id=data.get("employee[adpEmployeeId]") or "",
        active="employee[isActive]" in data,
    )
    return EmployeeEditPage(record=record, page=form_page)


def employee_insert_post(
    page: EmployeeFormPage,
    new: NewEmployee,
    sites: Sequence[Site] | None,
    departments: Sequence[Department],
) -> FormData:
    """The create form filled in as a person would (``sites=None``: every site)."""
    data = page.serialize(edit=False)
    data.set("employee[firstName]", new.first_name)
    data.set("employee[lastName]", new.last_name)
    data.set("employee[phone]", new.phone)
    data.set("employee[email]", new.email)
    data.set_all("employee[departments][]", [str(d.id) for d in departments])
    data.set("employee[startDate]", new.start_date.strftime("%m/%d/%Y"))
    page.tree.encode(data, [s.id for s in sites] if sites is not None else None, insert=True)
    data.set("posCredential[POSLoginID]", str(new.pos_user_id))
    data.set("posCredential[POSLoginPassword]", str(new.pin))
    data.set("employee[emergencyContactName]", new.emergency_contact_name)
    data.set("employee[emergencyContactPhone]", new.emergency_contact_phone)
    data.set("employee[adpEmployeeId]", new.adp_employee_id)
    data.set("wage[isHourly]", "1")
    data.set("wage[regularRate]", str(new.wage))
    data.set("wage[isOvertimeEligible]", "1")  # a checkbox: presence means yes
    data.set("wage[overtimeRate]", str(new.overtime))  # enabled once overtime is on
    if sites:
        # The wage attribution (labor) site: the first of the employee's sites.
        data.set("wage[siteId]", str(sites[0].id))
    return data


def parse_us_date(text: str | None) -> date | None:
    try:
        return datetime.strptime((text or "").strip(), "%m/%d/%Y").date()
    except ValueError:
        return None


# ---------------------------------------------------------------- POS permissions


@dataclass(frozen=True, slots=True)
class PosPermissionDef:
    id: int
    label: str
    description: str


@dataclass(frozen=True, slots=True)
class PosPermissionsPage:
    form: FormElement
    employee_id: int
    templates: tuple[Permission, ...]
    catalogue: tuple[PosPermissionDef, ...]
    granted: frozenset[int]
    overrides: frozenset[int]

    @property
    def access(self) -> PosAccess:
        """The employee's sets and the first template (page order) they equal exactly,
        as the employee list's Access column finds it."""
        match = next(
            (
                t.name
                for t in self.templates
                if self.granted and t.grant_ids == self.granted and t.override_ids == self.overrides
            ),
            None,
        )
        return PosAccess(granted=self.granted, overrides=self.overrides, template=match)


def _id_set(text: str | None) -> frozenset[int]:
    return frozenset(int(p) for p in (text or "").split(",") if p.strip().isdigit())


def parse_pos_permissions(doc: HtmlElement) -> PosPermissionsPage:
    page = "POS permissions"
    form = _form(doc, POS_PERMISSIONS_FORM_ID, page)
    selects = form.xpath(".//select[@name='templateId']")
    if not selects:
        raise _missing(page, "templateId select")
    templates = tuple(
        Permission(
            scope="pos",
            id=value,
            name=_text(option),
            grant_ids=_id_set(option.get("data-permissions-set")),
            override_ids=_id_set(option.get("data-manager-override-permissions-set")),
        )
        for option in selects[0].xpath(".//option")
        if (value := (option.get("value") or "").strip())
    )
    catalogue: dict[int, PosPermissionDef] = {}
    labels: dict[int, dict[str, str]] = {}
    for el in form.xpath(".//input[@type='hidden'][starts-with(@name, 'permissions[')]"):
        match = _PERMISSION_KEY.match(el.get("name", ""))
        if match:
            labels.setdefault(int(match.group(1)), {})[match.group(2)] = el.get("value", "")
    for perm_id, fields in labels.items():
        # permissions[1] appears twice; the last block (Manager Approval) wins, as on the server.
        catalogue[perm_id] = PosPermissionDef(
            id=perm_id, label=fields.get("label", ""), description=fields.get("description", "")
        )
    if not catalogue:
        raise _missing(page, "permission matrix")
    data = serialize_form(form)
    employee_id = _int_or_none(data.get("employeeId"))
    if employee_id is None:
        raise _missing(page, "employeeId")
    granted = frozenset(i for i in catalogue if f"permissions[{i}][hasGrantAccess]" in data)
    overrides = frozenset(
        i for i in catalogue if data.get(f"permissions[{i}][requiresOverride]") not in (None, "0")
    )
    return PosPermissionsPage(
        form=form,
        employee_id=employee_id,
        templates=templates,
        catalogue=tuple(sorted(catalogue.values(), key=lambda p: p.id)),
        granted=granted,
        overrides=overrides,
    )


def pos_permissions_post(
    page: PosPermissionsPage,
    template: Permission,
    grants: frozenset[int],
    overrides: frozenset[int],
) -> FormData:
    """The permissions form with exactly ``grants``/``overrides`` ticked, as a browser posts it."""
    data = serialize_form(page.form)
    boxes = {
        (el.get("name"), el.get("value") or "on")
        for el in page.form.xpath(".//input[@type='checkbox'][starts-with(@name, 'permissions[')]")
    }
    data.remove_where(lambda key, value: (key, value) in boxes)
    data.set("templateId", template.id)
    if "hasActionApprovalAuthority" in data:
        data.set("hasActionApprovalAuthority", "1" if 1 in grants else "0")
    for perm in page.catalogue:
        if perm.id in grants:
            data.add(f"permissions[{perm.id}][hasGrantAccess]", "1")
            if perm.id in overrides:
                data.add(f"permissions[{perm.id}][requiresOverride]", "1")
    return data


# ---------------------------------------------------------------- compensation

_AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")


@dataclass(frozen=True, slots=True)
class CompensationPage:
    """``/employee/compensation/<id>``: the "Add Wage" form and the wage history."""

    form: FormElement
    employee_id: int
    wages: tuple[Wage, ...]  # newest first, the current one marked
    today: date | None  # the form's default effective date: the server's today
    earliest: date | None  # the first date a new wage may take (None: no wage yet)
    site_codes: dict[int, str]  # the labor-site select: the employee's sites

    @property
    def latest(self) -> Wage | None:
        return self.wages[0] if self.wages else None

    def serialize(self) -> FormData:
        return serialize_form(self.form)


def _amount(text: str) -> Decimal | None:
    match = _AMOUNT.search(text)
    if match is None:
        return None
    try:
        return Decimal(match.group(0).replace(",", ""))
    except InvalidOperation:
        return None


def parse_employee_compensation(doc: HtmlElement, *, today: date | None = None) -> CompensationPage:
    """The wage history (newest first) and the Add Wage form.

    ``current`` marks the wage in effect on ``today`` (default: the form's default
    effective date, which is the server's today; else the local date), or the first
    wage while every wage still lies ahead.
    """
    page = "employee compensation"
    form = _form(doc, COMPENSATION_FORM_ID, page)
    data = serialize_form(form)
    employee_id = _int_or_none(data.get("employeeId"))
    if employee_id is None:
        raise _missing(page, "employeeId")
    date_inputs = form.xpath(".//input[@data-pickadate-min]") or form.xpath(
        ".//input[@name='wage[effectiveDate]']"
    )
    if not date_inputs:
        raise _missing(page, "wage[effectiveDate] input")
    server_today = parse_us_date(date_inputs[0].get("data-value"))
    tables = doc.xpath(f"//table[{has_class(COMPENSATION_TABLE_CLASS)}]")
    if not tables:
        raise _missing(page, f"table.{COMPENSATION_TABLE_CLASS}")
    parsed: list[tuple[bool, Decimal, bool, Decimal | None, date, date | None]] = []
    for tr in tables[0].iter("tr"):
        cells = {
            token: td
            for td in tr.iterchildren("td")
            for token in _classes(td)
            if token.startswith("employee-compensation-col-")
        }
        if not cells:
            continue  # the header row

        def cell(column: str, cells: dict[str, etree._Element] = cells) -> str:
            el = cells.get(f"employee-compensation-col-{column}")
            return _text(el) if el is not None else ""

        rate = _amount(cell("wage"))
        effective = parse_us_date(cell("effective-date"))
        if rate is None or effective is None:
            raise _missing(page, "wage and effective date in a history row")
        eligible_cell = cells.get("employee-compensation-col-overtime-eligible")
        eligible = eligible_cell is not None and any(
            "fa-check" in _classes(i) for i in eligible_cell.iter("i")
        )
        kind = cell("wage-type").casefold()
        parsed.append(
            (
                not kind.startswith("salar"),
                rate,
                eligible,
                _amount(cell("overtime-rate")),
                effective,
                parse_us_date(cell("end-date")),
            )
        )
    parsed.sort(key=lambda row: row[4], reverse=True)  # newest first, whatever the page order
    on = today or server_today or date.today()
    in_effect = [i for i, row in enumerate(parsed) if row[4] <= on]
    current = in_effect[0] if in_effect else len(parsed) - 1
    wages = tuple(
        Wage(
            hourly=hourly,
            rate=rate,
            overtime_eligible=eligible,
            overtime_rate=overtime,
            effective_date=effective,
            end_date=end,
            current=index == current,
        )
        for index, (hourly, rate, eligible, overtime, effective, end) in enumerate(parsed)
    )
    earliest = wages[0].effective_date + timedelta(days=1) if wages else None
    codes = {
        int(value): _text(option)
        for option in form.xpath(".//select[@name='wage[siteId]']/option")
        if (value := (option.get("value") or "").strip()).isdigit()
    }
    return CompensationPage(
        form=form,
        employee_id=employee_id,
        wages=wages,
        today=server_today,
        earliest=earliest,
        site_codes=codes,
    )


# ---------------------------------------------------------------- BO users


@dataclass(frozen=True, slots=True)
class UserListPage:
    rows: tuple[BackofficeUserRow, ...]
    next_url: str | None


@_bulk
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
        next_url=_next_link(doc, USER_LIST.pager_id),
    )


@dataclass(frozen=True, slots=True)
class LinkableEmployee:
    employee_id: int
    email: str
    first_name: str
    last_name: str


@dataclass(frozen=True, slots=True)
class UserCreatePage:
    form: FormElement
    employees: tuple[LinkableEmployee, ...]


@_bulk
def parse_user_create(doc: HtmlElement) -> UserCreatePage:
    page = "user create"
    form = _form(doc, USER_FORM_ID, page)
    selects = form.xpath(".//select[@name='user[employeeId]']")
    if not selects:
        raise _missing(page, "user[employeeId] select")
    employees = tuple(
        LinkableEmployee(
            employee_id=int(value),
            email=(option.get("data-email") or "").strip(),
            first_name=(option.get("data-first-name") or "").strip(),
            last_name=(option.get("data-last-name") or "").strip(),
        )
        for option in selects[0].xpath(".//option")
        if (value := (option.get("value") or "").strip()).isdigit()
    )
    return UserCreatePage(form=form, employees=employees)


@dataclass(frozen=True, slots=True)
class UserPermissionsPage:
    form: FormElement
    user_id: int
    tree: SiteTree
    templates: tuple[Permission, ...]
    tokens: tuple[str, ...]  # in page order; perms[i][token]
    enabled: frozenset[str]
    site_ids: frozenset[int]


def parse_user_permissions(doc: HtmlElement) -> UserPermissionsPage:
    page = "user permissions"
    form = _form(doc, USER_PERMISSIONS_FORM_ID, page)
    tree = parse_site_tree(form, page=page)
    selects = form.xpath(".//select[@name='template']")
    if not selects:
        raise _missing(page, "template select")
    templates = tuple(
        Permission(
            scope="backoffice",
            id=value,
            name=_text(option),
            description=_text(option),
            tokens=frozenset(
                t.strip()
                for t in (option.get("data-permissions-set") or "").split(",")
                if t.strip()
            ),
        )
        for option in selects[0].xpath(".//option")
        if (value := (option.get("value") or "").strip())
    )
    data = serialize_form(form)
    index_tokens: dict[str, str] = {}
    for key, value in data:
        match = _PERM_TOKEN_KEY.match(key)
        if match:
            index_tokens[match.group(1)] = value
    if not index_tokens:
        raise _missing(page, "permission matrix")
    enabled = frozenset(tok for i, tok in index_tokens.items() if f"perms[{i}][isEnabled]" in data)
    user_id = _int_or_none(data.get("userId"))
    if user_id is None:
        raise _missing(page, "userId")
    return UserPermissionsPage(
        form=form,
        user_id=user_id,
        tree=tree,
        templates=templates,
        tokens=tuple(index_tokens.values()),
        enabled=enabled,
        site_ids=tree.decode(data),
    )


def user_permissions_post(
    page: UserPermissionsPage, template: Permission, site_ids: frozenset[int] | None
) -> FormData:
    """The BO permissions form with the template's tokens and the wanted sites."""
    data = serialize_form(page.form)
    data.remove_where(lambda key, _value: key.startswith("perms[") and key.endswith("[isEnabled]"))
    data.set("template", template.id)
    for key, token in list(data):
        match = _PERM_TOKEN_KEY.match(key)
        if match and token in template.tokens:
            data.add(f"perms[{match.group(1)}][isEnabled]", "1")
    page.tree.encode(data, site_ids, insert=False)
    return data


# ---------------------------------------------------------------- template lists


@dataclass(frozen=True, slots=True)
class TemplateListRow:
    id: str
    name: str
    description: str


def parse_template_list(doc: HtmlElement, *, kind: str) -> tuple[TemplateListRow, ...]:
    """``/pos-permission-template/list`` (kind "pos") or ``/bo-permission-template/list``."""
    page = f"{kind} template list"
    rows: list[TemplateListRow] = []
    for tr in doc.xpath("//table//tbody/tr"):
        cells = tr.xpath("./td")
        hrefs = tr.xpath(".//a[contains(@href, '-permission-template/edit/')]/@href")
        if len(cells) < 2 or not hrefs:
            continue
        match = _ID_IN_HREF.search(str(hrefs[0]))
        if match:
            rows.append(TemplateListRow(match.group(1), _text(cells[0]), _text(cells[1])))
    if not rows:
        raise _missing(page, "template table")
    return tuple(rows)


def id_from_location(location: str, prefix: str) -> int | None:
    """The numeric id in a redirect ``Location`` such as ``/employee/permissions/512``."""
    path = location.split("://", 1)[-1]
    path = path[path.find("/") :] if "://" in location else path
    if not path.startswith(prefix):
        return None
    rest = path[len(prefix) :].split("?", 1)[0].split("/", 1)[0]
    return int(rest) if rest.isdigit() else None
