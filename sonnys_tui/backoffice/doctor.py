"""``sonnys-tui doctor``: what will work on this tenant, learned by reading only.

After the login, only GET requests: the roster and its filters, the employee create
form, one existing employee's edit, compensation and POS permissions pages, the Back
Office user list, create form, one user's edit and permissions pages, and both
template lists. Each page is parsed as the client parses it and compared with what
the writes know (:mod:`formcheck`, the same comparison every write makes before its
POST). The answer is one line per capability: ready, refused (which page, which
field, what differs) or not checked (why), the tenant's counts and each page's time.

No page per employee: ~11 requests whatever the tenant's size.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from sonnys_tui.backoffice import formcheck, pages, scrub, user_pages
from sonnys_tui.backoffice.core import ALL_ROWS
from sonnys_tui.backoffice.errors import (
    BackofficeConnectionError,
    BackofficeError,
)
from sonnys_tui.backoffice.formcheck import Difference, FormSpec
from sonnys_tui.backoffice.session import Page

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from sonnys_tui.backoffice.client import SonnysBackofficeClient
    from sonnys_tui.backoffice.sites import SiteTree

Status = Literal["ready", "refused", "not checked"]

ROSTER = "roster"
WHOLE_ROSTER = "whole roster"
FIRST_ROWS = 25  # the roster's first page: its structure, and an employee to read
EMPLOYEE_CREATE = "employee create"
EMPLOYEE_EDIT = "employee edit"
COMPENSATION = "employee compensation"
POS_PERMISSIONS = "POS permissions"
USERS = "user list"
USER_CREATE = "user create"
USER_EDIT = "user edit"
USER_PERMISSIONS = "user permissions"
POS_TEMPLATES = "POS template list"
BO_TEMPLATES = "Back Office template list"

Use = Literal["read", "write"]
_R: Use = "read"
_W: Use = "write"
# Each capability and the pages it reads (needs them understood) or posts to (needs
# their forms as the writes know them, too).
CAPABILITIES: tuple[tuple[str, tuple[tuple[str, Use], ...]], ...] = (
    ("lookups", ((ROSTER, _R), (WHOLE_ROSTER, _R), (EMPLOYEE_CREATE, _R))),
    ("hire", ((EMPLOYEE_CREATE, _W), (POS_PERMISSIONS, _W))),
    (
        "hire with a Back Office login",
        ((EMPLOYEE_CREATE, _W), (POS_PERMISSIONS, _W), (USER_CREATE, _W), (USER_PERMISSIONS, _W)),
    ),
    ("edit", ((EMPLOYEE_EDIT, _W),)),
    ("wage", ((COMPENSATION, _W),)),
    ("POS template", ((POS_PERMISSIONS, _W),)),
    ("disable / enable", ((EMPLOYEE_EDIT, _W),)),
    (
        "Back Office users",
        ((USERS, _R), (USER_CREATE, _W), (USER_EDIT, _W), (USER_PERMISSIONS, _W)),
    ),
    (
        "offboarding",
        (
            (WHOLE_ROSTER, _R),
            (EMPLOYEE_EDIT, _W),
            (USERS, _R),
            (USER_EDIT, _W),
            (USER_PERMISSIONS, _R),
        ),
    ),
    ("access review", ((WHOLE_ROSTER, _R), (USERS, _R), (USER_PERMISSIONS, _R))),
    (
        "bulk",
        ((EMPLOYEE_CREATE, _W), (POS_PERMISSIONS, _W), (EMPLOYEE_EDIT, _W), (COMPENSATION, _W)),
    ),
)
# The order pages are listed in (they are read several at a time).
PAGE_ORDER = (
    ROSTER,
    WHOLE_ROSTER,
    EMPLOYEE_CREATE,
    EMPLOYEE_EDIT,
    COMPENSATION,
    POS_PERMISSIONS,
    USERS,
    USER_CREATE,
    USER_EDIT,
    USER_PERMISSIONS,
    POS_TEMPLATES,
    BO_TEMPLATES,
)
PARALLEL = 4  # pages read at a time: a browser's few connections, not a flood
# Pages whose trouble is said, but refuses nothing (the client copes without them).
_NOTES_ONLY = {POS_TEMPLATES: "lookups", BO_TEMPLATES: "lookups"}


@dataclass(slots=True)
class PageRead:
    """One page doctor read: where, how long, and what it found."""

    name: str
    path: str
    ms: float
    ok: bool  # read and understood
    skipped: str = ""  # why it was not read ("not checked")
    unreadable: list[str] = field(default_factory=list)  # the page is misread
    unwritable: list[str] = field(default_factory=list)  # its form is not what writes know
    notes: list[str] = field(default_factory=list)
    page: Page | None = field(default=None, repr=False)  # kept for --capture


@dataclass(frozen=True, slots=True)
class Capability:
    name: str
    status: Status
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DoctorReport:
    tenant: str
    capabilities: tuple[Capability, ...]
    pages: tuple[PageRead, ...]
    counts: dict[str, int]
    shape: str  # "hierarchical (3 regions, 6 districts)" or "flat"
    capture: scrub.Scrubbed | None = None  # the pages read, scrubbed (``capture=True``)

    @property
    def exit_status(self) -> int:
        """0: every capability ready; 1: any refused (or not checked)."""
        return 0 if all(c.status == "ready" for c in self.capabilities) else 1

    def as_json(self) -> dict[str, object]:
        return {
            "tenant": self.tenant,
            "capabilities": [
                {"name": c.name, "status": c.status, "reasons": list(c.reasons)}
                for c in self.capabilities
            ],
            "pages": [{"path": p.path, "ms": round(p.ms, 1), "ok": p.ok} for p in self.pages],
        }


class _Run:
    """One doctor run: the pages read so far and what each said."""

    def __init__(self, client: SonnysBackofficeClient, progress: Callable[[str], None]) -> None:
        self.client = client
        self.progress = progress
        self.reads: dict[str, PageRead] = {}
        self.counts: dict[str, int] = {}
        self.shape = ""

    def get(self, name: str, path: str, params: dict[str, str | int] | None = None) -> Page | None:
        self.progress(f"Reading {path}")
        started = time.perf_counter()
        try:
            page = self.client._session.get(path, params=params, step=f"doctor: {name}")
        except BackofficeConnectionError:
            raise  # the tenant is gone: no answer about anything
        except BackofficeError as exc:
            ms = (time.perf_counter() - started) * 1000
            self.reads[name] = PageRead(
                name, path, ms, False, unreadable=[f"{name} page ({path}): {exc.message}"]
            )
            return None
        ms = (time.perf_counter() - started) * 1000
        self.reads[name] = PageRead(name, path, ms, True, page=page)
        return page

    def skip(self, name: str, path: str, why: str) -> None:
        self.reads[name] = PageRead(name, path, 0.0, False, skipped=why)

    def refuse(self, name: str, reasons: Iterable[str], *, misread: bool = False) -> None:
        """The page is misread (``misread``: every use of it), or only its form differs
        from what the writes know."""
        read = self.reads[name]
        found = list(reasons)
        if found:
            read.ok = read.ok and not misread
            (read.unreadable if misread else read.unwritable).extend(found)

    def differences(
        self, name: str, found: Iterable[Difference], *, read_only_tree: bool = False
    ) -> None:
        path = self.reads[name].path
        for d in found:
            misread = d.misreads and not (read_only_tree and d.field != "form")
            self.refuse(name, [f"{d.page} page ({path}): {d.field}: {d.what}"], misread=misread)

    def parsed(self, name: str, parse: Callable[[], object]) -> object | None:
        """``parse()``; a page the client cannot read refuses what needs it."""
        try:
            return parse()
        except BackofficeError as exc:
            path = self.reads[name].path
            said = exc.message.replace(f" ({formcheck.DOCTOR_HINT})", "")
            self.refuse(name, [f"{name} page ({path}): {said}"], misread=True)
            return None

    def form(
        self,
        name: str,
        doc: HtmlElement,
        spec: FormSpec,
        tree: SiteTree | None = None,
    ) -> None:
        # Reads take only the create form's site and department lists, never its state.
        found = formcheck.check(doc, spec, tree=tree)
        self.differences(name, found, read_only_tree=name == EMPLOYEE_CREATE)


def run_doctor(
    client: SonnysBackofficeClient,
    *,
    tenant: str | None = None,
    progress: Callable[[str], None] | None = None,
    capture: bool = False,
) -> DoctorReport:
    """Check every page the tool reads or posts to; GET only after the login.

    The login's failure (:class:`AuthenticationError`, a connection error) is raised:
    nothing can be said about the tenant then."""
    run = _Run(client, progress or (lambda _text: None))
    if not client._session.logged_in:
        client._session.login()  # first: a refused login is said as such, not per page
    # Several pages at a time (the client is thread-safe): on a slow link the whole run
    # takes about as long as its longest page, the roster, not the sum of them all.
    with ThreadPoolExecutor(max_workers=PARALLEL, thread_name_prefix="doctor") as pool:
        reads = [
            pool.submit(_whole_roster, run),
            pool.submit(_employee_create, run),
            pool.submit(_user_create, run),
            pool.submit(_template_lists, run),
        ]
        first_employee, first_user = pool.submit(_roster, run), pool.submit(_users, run)
        reads.append(pool.submit(_employee_pages, run, first_employee.result()))
        reads.append(pool.submit(_user_pages, run, first_user.result()))
        for read in reads:
            read.result()  # a connection error raised in a worker is raised here
    order = {name: i for i, name in enumerate(PAGE_ORDER)}
    run.reads = dict(sorted(run.reads.items(), key=lambda item: order.get(item[0], 99)))
    report = _report(run, tenant or client.subdomain)
    if not capture:
        return report
    return dataclasses.replace(report, capture=_scrubbed(run))


def _scrubbed(run: _Run) -> scrub.Scrubbed:
    """The pages read, every personal or secret value replaced (the session's cookies
    too, wherever a page repeats one)."""
    cookies = [value for value in run.client._session._http.cookies.values() if value]
    return scrub.scrub_pages(
        [(read.name, read.path, read.page.content) for read in run.reads.values() if read.page],
        usernames=[run.client.username],
        secrets={"cookies": cookies},
    )


def _roster(run: _Run) -> int | None:
    """A first page of the roster: its table and filters, and an employee to read."""
    page = run.get(ROSTER, "/employee", {"limit": FIRST_ROWS, "active": "all"})
    if page is None:
        return None
    listing = run.parsed(ROSTER, lambda: pages.parse_employee_list(page.tree()))
    if not isinstance(listing, pages.EmployeeListPage):
        return None
    if not listing.site_codes:
        run.refuse(
            ROSTER,
            ["roster page (/employee): the site filter (sites[]) has no sites"],
            misread=True,
        )
    rows = listing.rows
    chosen = ([row for row in rows if row.active] or list(rows))[:1]
    return chosen[0].employee_id if chosen else None


def _whole_roster(run: _Run) -> None:
    """The whole roster as the client downloads it (streamed, parsed as it arrives):
    the tenant's counts. Not kept for a capture (its first page is)."""
    path = f"/employee?limit={ALL_ROWS}&active=all"
    run.progress(f"Reading {path}")
    started = time.perf_counter()
    try:
        rows = run.client._employee_rows({"limit": ALL_ROWS, "active": "all"}, "doctor: roster")
    except BackofficeConnectionError:
        raise
    except BackofficeError as exc:
        ms = (time.perf_counter() - started) * 1000
        reason = f"roster ({path}): {exc.message.replace(f' ({formcheck.DOCTOR_HINT})', '')}"
        run.reads[WHOLE_ROSTER] = PageRead(WHOLE_ROSTER, path, ms, False, unreadable=[reason])
        return
    ms = (time.perf_counter() - started) * 1000
    run.reads[WHOLE_ROSTER] = PageRead(WHOLE_ROSTER, path, ms, True)
    run.counts["employees"] = len(rows)
    run.counts["active employees"] = sum(1 for row in rows if row.active)


def _employee_create(run: _Run) -> None:
    page = run.get(EMPLOYEE_CREATE, "/employee/create")
    if page is None:
        return
    doc = page.doc()
    form = run.parsed(EMPLOYEE_CREATE, lambda: pages.parse_employee_form(doc))
    if not isinstance(form, pages.EmployeeFormPage):
        run.form(EMPLOYEE_CREATE, doc, formcheck.EMPLOYEE_CREATE)
        return
    run.form(EMPLOYEE_CREATE, doc, formcheck.EMPLOYEE_CREATE, form.tree)
    tree = form.tree
    run.counts["sites"] = len(tree.sites)
    run.counts["departments"] = len(form.departments)
    regions, districts = len(tree.region_names), len(tree.district_names)
    run.shape = (
        f"hierarchical ({regions} regions, {districts} districts)" if tree.hierarchical else "flat"
    )
    reasons = []
    if not form.departments:
        reasons.append("employee create page: employee[departments][] offers no department")
    if not tree.sites:
        reasons.append("employee create page: the site tree has no site")
    run.refuse(EMPLOYEE_CREATE, _round_trip(EMPLOYEE_CREATE, form, insert=True))
    coded = {site.id for site in form.sites if site.code}
    if not coded:
        reasons.append("employee create page: wage[siteId] offers no site")
    elif len(coded) < len(form.sites):
        run.reads[EMPLOYEE_CREATE].notes.append(
            f"wage[siteId] offers {len(coded)} of the {len(form.sites)} sites as labor sites"
        )
    run.refuse(EMPLOYEE_CREATE, reasons)


def _round_trip(name: str, form: pages.EmployeeFormPage, *, insert: bool) -> list[str]:
    """Encode a set of sites into the form and decode it back: the same set."""
    ids = sorted(form.tree.site_ids)
    if len(ids) < 2:
        return []
    wanted = frozenset(ids[1:])
    data = form.serialize(edit=not insert)
    try:
        form.tree.encode(data, wanted, insert=insert)
    except ValueError as exc:
        return [f"{name} page: site tree: {exc}"]
    if form.tree.decode(data) != wanted:
        return [f"{name} page: site tree: a set of sites does not read back as written"]
    return []


def _employee_pages(run: _Run, employee_id: int | None) -> None:
    paths = {
        EMPLOYEE_EDIT: "/employee/edit/{}",
        COMPENSATION: "/employee/compensation/{}",
        POS_PERMISSIONS: "/employee/permissions/{}",
    }
    if employee_id is None:
        why = "the tenant has no employee to read this page for"
        for name, path in paths.items():
            run.skip(name, path.format("<id>"), why)
        return
    if page := run.get(EMPLOYEE_EDIT, paths[EMPLOYEE_EDIT].format(employee_id)):
        doc = page.doc()
        edit = run.parsed(EMPLOYEE_EDIT, lambda: pages.parse_employee_edit(doc))
        tree = edit.page.tree if isinstance(edit, pages.EmployeeEditPage) else None
        run.form(EMPLOYEE_EDIT, doc, formcheck.EMPLOYEE_EDIT, tree)
        if isinstance(edit, pages.EmployeeEditPage):
            run.refuse(
                EMPLOYEE_EDIT, _round_trip(EMPLOYEE_EDIT, edit.page, insert=False), misread=True
            )
    if page := run.get(COMPENSATION, paths[COMPENSATION].format(employee_id)):
        doc = page.doc()
        run.parsed(COMPENSATION, lambda: pages.parse_employee_compensation(doc))
        run.form(COMPENSATION, doc, formcheck.COMPENSATION)
    if page := run.get(POS_PERMISSIONS, paths[POS_PERMISSIONS].format(employee_id)):
        doc = page.doc()
        perms = run.parsed(POS_PERMISSIONS, lambda: pages.parse_pos_permissions(doc))
        run.form(POS_PERMISSIONS, doc, formcheck.POS_PERMISSIONS)
        if isinstance(perms, pages.PosPermissionsPage):
            run.counts["POS templates"] = len(perms.templates)
            if not perms.templates:
                run.refuse(POS_PERMISSIONS, ["POS permissions page: templateId offers no template"])
            offered = [str(p.id) for p in perms.catalogue]
            fits = formcheck.templates_against_matrix(
                ((t.name, (str(i) for i in t.grant_ids | t.override_ids)) for t in perms.templates),
                offered,
            )
            run.reads[POS_PERMISSIONS].notes.extend(
                f"POS template {fit.name!r} grants permission(s) {', '.join(fit.unknown)} that "
                "the page does not show (a hire or change grants the rest and says so)"
                for fit in fits
            )


def _users(run: _Run) -> int | None:
    page = run.get(USERS, "/user", {"statusSearch": "all", "limit": ALL_ROWS})
    if page is None:
        return None
    listing = run.parsed(USERS, lambda: pages.parse_user_list(page.tree()))
    if not isinstance(listing, pages.UserListPage):
        return None
    rows = listing.rows
    run.counts["Back Office users"] = len(rows)
    run.counts["active Back Office users"] = sum(1 for row in rows if row.active)
    # Another user than the one logged in, when there is one (read only, either way).
    others = [row for row in rows if row.username.casefold() != run.client.username.casefold()]
    chosen = (others or list(rows))[:1]
    return chosen[0].user_id if chosen else None


def _user_create(run: _Run) -> None:
    if page := run.get(USER_CREATE, "/user/create"):
        doc = page.doc()
        run.parsed(USER_CREATE, lambda: pages.parse_user_create(doc))
        run.form(USER_CREATE, doc, formcheck.USER_CREATE)


def _user_pages(run: _Run, user_id: int | None) -> None:
    if user_id is None:
        why = "the tenant has no Back Office user to read this page for"
        run.skip(USER_EDIT, "/user/edit/<id>", why)
        run.skip(USER_PERMISSIONS, "/user/permissions/<id>", why)
        return
    if page := run.get(USER_EDIT, f"/user/edit/{user_id}"):
        doc = page.doc()
        run.parsed(USER_EDIT, lambda: user_pages.parse_user_edit(doc))
        run.form(USER_EDIT, doc, formcheck.USER_EDIT)
    if page := run.get(USER_PERMISSIONS, f"/user/permissions/{user_id}"):
        doc = page.doc()
        perms = run.parsed(USER_PERMISSIONS, lambda: pages.parse_user_permissions(doc))
        tree = perms.tree if isinstance(perms, pages.UserPermissionsPage) else None
        run.form(USER_PERMISSIONS, doc, formcheck.USER_PERMISSIONS, tree)
        if isinstance(perms, pages.UserPermissionsPage):
            run.counts["Back Office templates"] = len(perms.templates)
            if not perms.templates:
                run.refuse(USER_PERMISSIONS, ["user permissions page: template offers none"])
            fits = formcheck.templates_against_matrix(
                ((t.name, t.tokens) for t in perms.templates), perms.tokens
            )
            run.reads[USER_PERMISSIONS].notes.extend(
                f"Back Office template {fit.name!r} has {len(fit.unknown)} permission(s) the "
                "page does not show"
                for fit in fits
            )


def _template_lists(run: _Run) -> None:
    for name, path, kind in (
        (POS_TEMPLATES, "/pos-permission-template/list", "pos"),
        (BO_TEMPLATES, "/bo-permission-template/list", "bo"),
    ):
        if page := run.get(name, path):
            run.parsed(name, _template_list(page.doc(), kind))


def _template_list(doc: HtmlElement, kind: str) -> Callable[[], object]:
    return lambda: pages.parse_template_list(doc, kind=kind)


def _report(run: _Run, tenant: str) -> DoctorReport:
    capabilities = []
    for name, needs in CAPABILITIES:
        refused: list[str] = []
        unchecked: list[str] = []
        notes: list[str] = []
        for page_name, use in needs:
            read = run.reads.get(page_name)
            if read is None:
                continue
            refused += read.unreadable + (read.unwritable if use == "write" else [])
            unchecked += [read.skipped] if read.skipped else []
            notes += read.notes
        for page_name, owner in _NOTES_ONLY.items():
            if owner == name and page_name in run.reads:
                notes += run.reads[page_name].unreadable
        status: Status = "refused" if refused else "not checked" if unchecked else "ready"
        reasons = refused or unchecked
        capabilities.append(Capability(name, status, tuple(_unique([*reasons, *notes]))))
    return DoctorReport(
        tenant=tenant,
        capabilities=tuple(capabilities),
        pages=tuple(run.reads.values()),
        counts=dict(run.counts),
        shape=run.shape,
    )


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
