"""``SonnysBackofficeClient``: the orchestrator of Back Office operations.

It sequences requests, caches what is expensive to fetch and reconciles writes
whose outcome is unknown. Parsing lives in :mod:`pages`, form filling in
:mod:`forms`/:mod:`sites`, input rules in :mod:`validation`, the HTTP session in
:mod:`session`. A write is never retried blindly: after a dropped connection the
client reads the record back to learn whether the write happened.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Literal, TypeVar
from urllib.parse import urlsplit

import httpx
from lxml import etree

from sonnys_tui.backoffice import names, pages, validation
from sonnys_tui.backoffice.errors import (
    NOTHING_WRITTEN,
    BackofficeConnectionError,
    BackofficeError,
    BackofficeServerError,
    DuplicateError,
    NotFoundError,
    SessionLostError,
    UnknownNameError,
    ValidationError,
)
from sonnys_tui.backoffice.forms import FormData, find_form, serialize_form
from sonnys_tui.backoffice.models import (
    ActiveFilter,
    BackofficeUserCreated,
    BackofficeUserRow,
    Department,
    EmployeeCreated,
    EmployeeDisabled,
    EmployeeEnabled,
    EmployeeRecord,
    EmployeeRow,
    Permission,
    Scope,
    Secret,
    Site,
)
from sonnys_tui.backoffice.session import ClientStats, Page, QueryParams, Session

logger = logging.getLogger("sonnys_tui.backoffice")

Progress = Callable[[str], None]
SiteChoice = Sequence[str] | Literal["all"]
FALLBACK_POS_TEMPLATE = "General User"
DEFAULT_DEPARTMENT = "Greeter"  # when create_employee(departments=None)
_ALL_ROWS = 10000
_DUPLICATE_WORDS = ("already in use", "already exists", "already taken", "already used")
# The state of a write the server accepted whose read-back then failed.
_SAVED_UNVERIFIED = "saved, but reading it back failed"


def _no_progress(_step: str) -> None:
    return None


@contextmanager
def _tenant_state(state: str) -> Iterator[None]:
    """Errors raised inside say what the tenant was left in, unless they already know."""
    try:
        yield
    except BackofficeError as exc:
        exc.state = exc.state or state
        raise


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class _Index:
    """O(1) availability lookups, built lazily from the caches."""

    def __init__(self) -> None:
        self.pos_user_ids: set[int] | None = None
        self.phones: set[str] | None = None
        self.emails: set[str] | None = None


class SonnysBackofficeClient:
    """Programmatic access to one tenant's Back Office user management.

    Login is deferred until the first request. Caches fill lazily; discovery
    methods take ``refresh=True`` to re-fetch. Use as a context manager::

        with SonnysBackofficeClient(subdomain="mywash", username="bot", password=pw) as client:
            client.disable_employee(pos_user_id=4117)

    One client holds one session and its caches: it is not thread-safe, so
    callers on several threads must serialize their calls (the app does).
    """

    def __init__(
        self,
        *,
        subdomain: str,
        username: str,
        password: str,
        timeout: float = 30.0,
        user_agent: str | None = None,
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.subdomain = validation.subdomain(subdomain)
        if not isinstance(username, str) or not username:
            raise ValidationError("username must not be empty", field="username")
        if not isinstance(password, str) or not password:
            raise ValidationError("password must not be empty", field="password")
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
            raise ValidationError("timeout must be a positive number of seconds", field="timeout")
        url = base_url or f"https://{subdomain}.sonnyscontrols.com"
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValidationError(f"base_url must be an http(s) URL, got {url!r}", field="base_url")
        if parts.scheme == "http" and transport is None and not _is_loopback(parts.hostname):
            raise ValidationError(
                "plain http:// is refused except on a loopback host: use https://",
                field="base_url",
            )
        self.base_url = url.rstrip("/")
        self.username = username
        self._session = Session(
            base_url=self.base_url,
            username=username,
            password=password,
            timeout=timeout,
            user_agent=user_agent,
            transport=transport,
        )
        self._create_page: pages.EmployeeFormPage | None = None
        self._permissions: dict[Scope, list[Permission]] = {}
        self._employees: dict[int, EmployeeRow] | None = None
        self._bo_users: dict[int, BackofficeUserRow] | None = None
        self._linkable: tuple[pages.LinkableEmployee, ...] | None = None
        self._index = _Index()

    # ------------------------------------------------------------ lifecycle

    def __repr__(self) -> str:
        return (
            f"SonnysBackofficeClient(subdomain={self.subdomain!r}, "
            f"username={self.username!r}, base_url={self.base_url!r})"
        )

    def __enter__(self) -> SonnysBackofficeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying HTTP session."""
        self._session.close()

    @property
    def stats(self) -> ClientStats:
        """Requests sent and bytes received since creation (or ``stats.reset()``)."""
        return self._session.stats

    # ------------------------------------------------------------ discovery

    def _load_create_page(self, *, refresh: bool = False) -> pages.EmployeeFormPage:
        if self._create_page is None or refresh:
            page = self._session.get("/employee/create", step="load employee form")
            self._create_page = pages.parse_employee_form(page.doc())
        return self._create_page

    def list_sites(self, *, refresh: bool = False) -> list[Site]:
        """Every site the bot user can see (tree names, region/district, short codes)."""
        return list(self._load_create_page(refresh=refresh).sites)

    def list_departments(self, *, refresh: bool = False) -> list[Department]:
        """Every department option of the tenant."""
        return list(self._load_create_page(refresh=refresh).departments)

    def list_permissions(self, *, scope: Scope, refresh: bool = False) -> list[Permission]:
        """The role templates of ``scope`` ("pos" or "backoffice"), cached per scope."""
        if scope not in ("pos", "backoffice"):
            raise ValidationError("scope must be 'pos' or 'backoffice'", field="scope")
        if refresh or scope not in self._permissions:
            if scope == "pos":
                self._permissions[scope] = list(self._pos_permissions_page_any().templates)
            else:
                self._permissions[scope] = self._fetch_bo_templates()
        return list(self._permissions[scope])

    def _pos_permissions_page_any(self) -> pages.PosPermissionsPage:
        employee_id = next(iter(self._employees or ()), None) or self._first_record_id(
            "/employee",
            {"limit": 1, "active": "all"},
            lambda doc: [row.employee_id for row in pages.parse_employee_list(doc).rows],
            what="employee to read the POS templates from",
            step="list POS templates",
        )
        page = self._session.get(f"/employee/permissions/{employee_id}", step="read POS templates")
        return pages.parse_pos_permissions(page.doc())

    def _first_record_id(
        self,
        path: str,
        params: QueryParams,
        ids: Callable[[etree._Element], list[int]],
        *,
        what: str,
        step: str,
    ) -> int:
        """The id of any one record of a list page (``limit=1``), to read a page that
        only exists per record (the permission templates live on those)."""
        found = ids(self._session.get(path, params=params, step=step).tree())
        if not found:
            raise NotFoundError(f"the tenant has no {what}", step=step)
        return found[0]

    def _fetch_bo_templates(self) -> list[Permission]:
        user_id = next(iter(self._bo_users or ()), None) or self._first_record_id(
            "/user",
            {"limit": 1, "statusSearch": "all"},
            lambda doc: [row.user_id for row in pages.parse_user_list(doc).rows],
            what="Back Office user to read the templates from",
            step="list Back Office templates",
        )
        page = self._session.get(f"/user/permissions/{user_id}", step="read BO templates")
        templates = pages.parse_user_permissions(page.doc()).templates
        # The permissions page shows descriptions; the template list has the short names.
        try:
            listing = self._session.get("/bo-permission-template/list", step="read BO templates")
            short = {row.id: row for row in pages.parse_template_list(listing.doc(), kind="bo")}
        except BackofficeServerError as exc:
            logger.debug("BO template list unavailable: %s", exc)
            short = {}
        result: list[Permission] = []
        for template in templates:
            row = short.get(template.id)
            if row is not None:
                template = dataclasses.replace(
                    template, name=row.name, description=template.description or row.description
                )
            result.append(template)
        return result

    def list_employees(
        self, *, active: ActiveFilter = "all", refresh: bool = False
    ) -> list[EmployeeRow]:
        """The roster (one ``limit=10000`` page, pager followed), cached; filtered locally."""
        _check_active(active)
        if self._employees is None or refresh:
            rows = self._employee_rows({"limit": _ALL_ROWS, "active": "all"}, "list employees")
            self._employees = {row.employee_id: row for row in rows}
            self._index.pos_user_ids = None
            self._index.phones = None
        return _filter_active(self._employees.values(), active)

    def search_employees(
        self,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        pos_user_id: int | None = None,
        active: ActiveFilter = "all",
    ) -> list[EmployeeRow]:
        """Server-side search with the list page's own filters (never cached)."""
        _check_active(active)
        params: dict[str, str | int] = {"limit": _ALL_ROWS, "active": active}
        first = validation.optional_text(
            first_name, field="first_name", max_length=validation.FIRST_NAME_MAX
        )
        last = validation.optional_text(
            last_name, field="last_name", max_length=validation.LAST_NAME_MAX
        )
        if first:
            params["first_name"] = first
        if last:
            params["last_name"] = last
        if pos_user_id is not None:
            params["posUserId"] = validation.pos_user_id(pos_user_id)
        rows = self._employee_rows(params, "search employees")
        if pos_user_id is not None:  # posUserId is exact on the server; be sure anyway
            rows = [row for row in rows if row.pos_user_id == pos_user_id]
        return rows

    def _employee_rows(self, params: QueryParams, step: str) -> list[EmployeeRow]:
        # Streamed: a 10,000-employee list is ~17 MB, parsed as it arrives.
        parsed = self._session.get_streamed("/employee", params=params, step=step)
        rows: dict[int, EmployeeRow] = {}
        seen_urls: set[str] = set()
        while True:
            for row in parsed.rows:
                rows.setdefault(row.employee_id, row)
            if parsed.next_url is None or parsed.next_url in seen_urls:
                return list(rows.values())
            seen_urls.add(parsed.next_url)
            parsed = self._session.get_streamed(parsed.next_url, step=step)

    def get_employee(self, employee_id: int) -> EmployeeRecord:
        """The full record from the edit page (PIN as a :class:`Secret`)."""
        return self._edit_page(employee_id, step="read employee").record

    def _edit_page(self, employee_id: int, *, step: str) -> pages.EmployeeEditPage:
        _check_employee_id(employee_id)
        try:
            page = self._session.get(f"/employee/edit/{employee_id}", step=step)
        except BackofficeServerError as exc:
            if exc.status_code == 404:
                raise NotFoundError(f"no employee with id {employee_id}", step=step) from None
            raise
        doc = page.doc()
        if page.redirects and find_form(doc, pages.EMPLOYEE_FORM_ID) is None:
            alert = " ".join(pages.parse_alerts(doc).danger)
            raise NotFoundError(f"no employee with id {employee_id} {alert}".strip(), step=step)
        return pages.parse_employee_edit(doc)

    # ------------------------------------------------------------ availability

    def _pos_ids(self, refresh: bool) -> set[int]:
        if refresh or self._employees is None or self._index.pos_user_ids is None:
            rows = self.list_employees(refresh=refresh)
            self._index.pos_user_ids = {r.pos_user_id for r in rows if r.pos_user_id is not None}
        return self._index.pos_user_ids

    def _phones(self, refresh: bool) -> set[str]:
        if refresh or self._employees is None or self._index.phones is None:
            rows = self.list_employees(refresh=refresh)
            self._index.phones = {d for r in rows if (d := validation.digits_only(r.phone))}
        return self._index.phones

    def _emails(self, refresh: bool) -> set[str]:
        if refresh or self._index.emails is None:
            linkable = self._linkable_employees(refresh=refresh)
            users = self.list_backoffice_users(refresh=refresh)
            self._index.emails = {e.email.casefold() for e in linkable if e.email} | {
                u.email.casefold() for u in users if u.email
            }
        return self._index.emails

    def _linkable_employees(self, *, refresh: bool) -> tuple[pages.LinkableEmployee, ...]:
        if self._linkable is None or refresh:
            page = self._session.get("/user/create", step="read employee e-mails")
            self._linkable = pages.parse_user_create(page.doc()).employees
        return self._linkable

    def is_pos_user_id_available(self, pos_user_id: int, *, refresh: bool = False) -> bool:
        """True if no employee (active or not: ids stay reserved) uses this POS User ID."""
        return validation.pos_user_id(pos_user_id) not in self._pos_ids(refresh)

    def is_email_available(self, email: str, *, refresh: bool = False) -> bool:
        """True if no active employee nor Back Office user uses this e-mail (any case).

        The server exposes employee e-mails only for active employees.
        """
        if not isinstance(email, str):
            raise ValidationError("email must be text", field="email")
        return email.strip().casefold() not in self._emails(refresh)

    def is_phone_available(self, phone: str, *, refresh: bool = False) -> bool:
        """True if no employee uses this phone (compared digits-only)."""
        if not isinstance(phone, str):
            raise ValidationError("phone must be text", field="phone")
        digits = validation.digits_only(phone)
        return not digits or digits not in self._phones(refresh)

    def next_free_pos_user_id(self, start: int | None = None) -> int:
        """The lowest free POS User ID >= ``start`` (default: highest used + 1)."""
        first = None if start is None else validation.pos_user_id(start)
        used = self._pos_ids(False)
        if first is None:
            return max(used, default=0) + 1
        candidate = first
        while candidate in used:
            candidate += 1
        return candidate

    # ------------------------------------------------------------ create employee

    def create_employee(
        self,
        *,
        first_name: str,
        last_name: str,
        phone: str,
        email: str,
        pos_user_id: int,
        wage_rate: Decimal | float | int | str,
        start_date: date | datetime,
        available_sites: SiteChoice,
        permission: str,
        pos_pin: int | None = None,
        overtime_wage_rate: Decimal | float | int | str | None = None,
        departments: Sequence[str] | None = None,
        adp_employee_id: str | None = None,
        emergency_contact_name: str | None = None,
        emergency_contact_phone: str | None = None,
        requires_backoffice: bool = False,
        backoffice_username: str | None = None,
        backoffice_password: str | None = None,
        backoffice_permission: str = "user",
        progress: Progress | None = None,
    ) -> EmployeeCreated:
        """Create a POS employee with its permissions (and optionally a linked BO user).

        ``backoffice_permission`` (an extra over the seed API) names the BO
        template applied to the linked user (default "user", General User).

        ``departments=None`` assigns the tenant's "Greeter" department (the Back
        Office form requires at least one; the established practice is to add
        Greeter) and says so in the warnings; an empty list is refused.
        """
        report = progress or _no_progress
        # 1. Everything that needs no request.
        new = validation.new_employee(
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            email=email,
            pos_user_id=pos_user_id,
            wage_rate=wage_rate,
            start_date=start_date,
            available_sites=available_sites,
            permission=permission,
            pos_pin=pos_pin,
            overtime_wage_rate=overtime_wage_rate,
            departments=[DEFAULT_DEPARTMENT] if departments is None else departments,
            adp_employee_id=adp_employee_id,
            emergency_contact_name=emergency_contact_name,
            emergency_contact_phone=emergency_contact_phone,
        )
        bo_username = bo_password = None
        if not isinstance(requires_backoffice, bool):
            raise ValidationError(
                "requires_backoffice must be True or False", field="requires_backoffice"
            )
        if not requires_backoffice and backoffice_username is not None:
            # A username the caller gave would otherwise be dropped without a word.
            raise ValidationError(
                "backoffice_username was given but requires_backoffice is False: pass "
                "requires_backoffice=True to create the Back Office user",
                field="requires_backoffice",
            )
        if requires_backoffice:
            if backoffice_username is None:
                raise ValidationError(
                    "backoffice_username is required when requires_backoffice=True",
                    field="backoffice_username",
                )
            bo_username = validation.username(backoffice_username, field="backoffice_username")
            if not isinstance(backoffice_permission, str) or not backoffice_permission.strip():
                raise ValidationError(
                    "backoffice_permission must name a Back Office template",
                    field="backoffice_permission",
                )
            bo_password = Secret(
                validation.password(backoffice_password, field="backoffice_password")
                if backoffice_password is not None
                else validation.generate_password()
            )

        warnings: list[str] = []
        if departments is None:
            warnings.append(
                f"no departments given: assigned the default department {DEFAULT_DEPARTMENT!r}"
            )
        with _tenant_state(f"{NOTHING_WRITTEN}: the employee was not created"):
            # 2. Names → ids (one fetch of /employee/create, reused below as the form).
            report("Loading sites and departments")
            fresh_form = self._create_page is None
            form_page = self._load_create_page()
            wanted_sites = names.resolve_sites(
                new.site_names, form_page.sites, field="available_sites"
            )
            wanted_departments = names.resolve_departments(
                new.department_names, form_page.departments
            )
            report("Resolving the POS template")
            template = self._resolve_pos_template(new.permission, warnings)
            bo_template = self._resolve_bo_template(backoffice_permission) if bo_username else None

            # 3. Duplicates: the cached index first, then one exact check on the server.
            report("Checking for duplicates")
            self._preflight_duplicates(new.pos_user_id, new.email, new.phone, bo_username)
            if self.search_employees(pos_user_id=new.pos_user_id):
                raise DuplicateError(
                    f"POS User ID {new.pos_user_id} is already in use", field="pos_user_id"
                )

            # 4. Insert (on a fresh copy of the form unless it was fetched just above).
            report("Creating the employee")
            if not fresh_form:
                form_page = self._load_create_page(refresh=True)
                wanted_sites = names.resolve_sites(
                    new.site_names, form_page.sites, field="available_sites"
                )
            data = pages.employee_insert_post(form_page, new, wanted_sites, wanted_departments)
        employee_id, landing = self._insert_employee(data, new.pos_user_id)

        # 5. Permissions: the insert redirected to the new employee's permissions page.
        report("Saving POS permissions")
        try:
            permissions_page = self._permissions_page_for(employee_id, landing)
            if template is None:
                template = self._template_from(permissions_page.templates, new.permission, warnings)
            self._save_pos_permissions(permissions_page, template)
        except BackofficeError as exc:
            made = f"employee {employee_id} was created"
            if not (exc.state or "").startswith(made):
                exc.state = f"{made} but its permissions were not saved"
            raise
        if unshown := template.grant_ids - {p.id for p in permissions_page.catalogue}:
            # A browser cannot grant what the page does not show either: say so, loudly.
            warnings.append(
                f"template {template.name!r} grants {len(unshown)} permission(s) that employee "
                f"{employee_id}'s permissions page does not show (ids "
                f"{', '.join(map(str, sorted(unshown)))}); they were not granted"
            )
        sites = wanted_sites if wanted_sites is not None else list(form_page.sites)
        created = EmployeeCreated(
            employee_id=employee_id,
            first_name=new.first_name,
            last_name=new.last_name,
            email=new.email,
            phone=new.phone,
            pos_user_id=new.pos_user_id,
            pos_pin=Secret(str(new.pin)),
            permission=template.name,
            wage_rate=new.wage,
            overtime_wage_rate=new.overtime,
            wage_site=wanted_sites[0].code if wanted_sites else None,
            sites=tuple(s.name for s in sites),
            departments=tuple(d.name for d in wanted_departments),
            start_date=new.start_date,
            warnings=tuple(warnings),
            site_codes=tuple(s.code for s in sites if s.code),
        )
        self._remember_employee(created.as_row(), new.email)

        # 6. The linked Back Office user.
        if not (bo_username and bo_password and bo_template):
            return created
        try:
            bo_user = self._create_bo_user(
                username=bo_username,
                email=new.email,
                password=bo_password,
                template=bo_template,
                site_ids=frozenset(s.id for s in sites) if wanted_sites else None,
                site_names=tuple(s.name for s in sites) if wanted_sites else "all",
                linked_employee_id=employee_id,
                first_name=new.first_name,
                last_name=new.last_name,
                progress=report,
            )
        except BackofficeError as exc:
            exc.state = f"employee {employee_id} was created with its permissions, but " + (
                (exc.state or "").removeprefix(f"{NOTHING_WRITTEN}: ")
                or "its Back Office user was not created"
            )
            raise
        return dataclasses.replace(
            created, backoffice_user=bo_user, warnings=(*created.warnings, *bo_user.warnings)
        )

    def _resolve_pos_template(self, permission: str, warnings: list[str]) -> Permission | None:
        """The POS template, or None when the tenant has no employee to read templates from
        (then it is resolved from the new employee's own permissions page)."""
        try:
            templates = self.list_permissions(scope="pos")
        except NotFoundError:
            return None
        return self._template_from(templates, permission, warnings)

    @staticmethod
    def _template_from(
        templates: Sequence[Permission], permission: str, warnings: list[str]
    ) -> Permission:
        template = names.find_template(permission, templates)
        if template is not None:
            return template
        fallback = names.find_template(FALLBACK_POS_TEMPLATE, templates)
        if fallback is None:
            raise UnknownNameError(
                f"unknown POS template {permission!r} and no {FALLBACK_POS_TEMPLATE!r} "
                f"template to fall back to; valid: {names.template_names(templates)}",
                field="permission",
            )
        warnings.append(
            f"unknown POS template {permission!r}: used {fallback.name!r} instead "
            f"(valid: {names.template_names(templates)})"
        )
        return fallback

    def _resolve_bo_template(self, permission: str) -> Permission:
        if not isinstance(permission, str) or not permission.strip():
            raise ValidationError("permission must name a Back Office template", field="permission")
        templates = self.list_permissions(scope="backoffice")
        template = names.find_template(permission, templates)
        if template is None:
            raise UnknownNameError(
                f"unknown Back Office template {permission!r}; "
                f"valid: {names.template_names(templates)}",
                field="permission",
            )
        return template

    def _preflight_duplicates(
        self, pos_id: int, email: str, phone: str, bo_username: str | None
    ) -> None:
        if not self.is_pos_user_id_available(pos_id):
            raise DuplicateError(f"POS User ID {pos_id} is already in use", field="pos_user_id")
        if not self.is_email_available(email):
            raise DuplicateError(f"e-mail {email} is already in use", field="email")
        if not self.is_phone_available(phone):
            raise DuplicateError(f"phone {phone} is already in use", field="phone")
        if bo_username is not None and self._username_taken(bo_username):
            raise DuplicateError(
                f"Back Office username {bo_username!r} is already in use",
                field="backoffice_username",
            )

    def _username_taken(self, username: str) -> bool:
        wanted = username.casefold()
        return any(u.username.casefold() == wanted for u in self.list_backoffice_users())

    def _insert_employee(self, data: FormData, pos_id: int) -> tuple[int, Page | None]:
        step = "insert employee"
        for attempt in (1, 2):
            try:
                page = self._session.post("/employee/insert", data, step=step, resend=False)
                break
            except BackofficeServerError as exc:
                if not _outcome_unknown(exc):
                    raise
                # Unknown outcome: look the POS User ID up before deciding anything.
                with _tenant_state(
                    f"whether the employee was created is unknown: look up POS User ID {pos_id} "
                    "before trying again"
                ):
                    found = self.search_employees(pos_user_id=pos_id)
                if found:
                    logger.debug("insert reconciled: employee %s exists", found[0].employee_id)
                    return found[0].employee_id, None
                if isinstance(exc, SessionLostError) and attempt == 1:
                    continue  # reconciled: it did not happen, so sending it again is safe
                exc.state = (
                    f"{NOTHING_WRITTEN}: the employee was not created (no employee has POS "
                    f"User ID {pos_id})"
                )
                raise
        location = page.first_redirect or ""
        new_id = pages.id_from_location(location, "/employee/permissions/")
        if new_id is not None:
            return new_id, page
        raise self._rejection(page, step=step, what="employee")

    def _check_write(self, page: Page, *, expect_path: str, step: str, what: str) -> None:
        """A write succeeded only if it redirected to ``expect_path`` with no error alert."""
        location = urlsplit(page.first_redirect or "").path
        if location.rstrip("/") != expect_path.rstrip("/") or pages.parse_alerts(page.doc()).danger:
            raise self._rejection(page, step=step, what=what)

    def _rejection(self, page: Page, *, step: str, what: str) -> BackofficeError:
        """The error for a write the server did not accept, from its alert."""
        doc = page.doc()
        message = " ".join(pages.parse_alerts(doc).danger)
        state = f"{NOTHING_WRITTEN}: the {what} was not saved"
        if not message:
            return BackofficeServerError(
                f"{step}: unexpected answer (landed on {page.url} with no message)",
                url=page.url,
                step=step,
                state=state,
            )
        lowered = message.casefold()
        if any(word in lowered for word in _DUPLICATE_WORDS):
            return DuplicateError(message, field=_duplicate_field(lowered), step=step, state=state)
        return ValidationError(message, step=step, state=state)

    def _permissions_page_for(
        self, employee_id: int, landing: Page | None
    ) -> pages.PosPermissionsPage:
        if landing is not None and landing.url.startswith(f"/employee/permissions/{employee_id}"):
            doc = landing.doc()
            if find_form(doc, pages.POS_PERMISSIONS_FORM_ID) is not None:
                return pages.parse_pos_permissions(doc)
        page = self._session.get(f"/employee/permissions/{employee_id}", step="read permissions")
        return pages.parse_pos_permissions(page.doc())

    def _save_pos_permissions(self, page: pages.PosPermissionsPage, template: Permission) -> None:
        step = "save POS permissions"
        known = {p.id for p in page.catalogue}
        grants = template.grant_ids & known
        overrides = template.override_ids & grants
        data = pages.pos_permissions_post(page, template, grants, overrides)
        unknown: BackofficeServerError | None = None
        try:
            result = self._session.post(
                "/employee/permissions/update", data, step=step, follow=False
            )
            self._check_write(result, expect_path="/employee", step=step, what="permission set")
        except BackofficeServerError as exc:
            if not _outcome_unknown(exc):
                raise
            unknown = exc  # the read-back below decides
        employee = f"employee {page.employee_id} was created"
        with _tenant_state(
            f"{employee}; whether its permissions were saved is unknown (see "
            f"/employee/permissions/{page.employee_id})"
            if unknown is not None
            else f"{employee} and its permissions were saved, but reading them back failed"
        ):
            check = self._session.get(f"/employee/permissions/{page.employee_id}", step=step)
            saved = pages.parse_pos_permissions(check.doc())
        if saved.granted != grants or saved.overrides != overrides:
            if unknown is not None:
                raise unknown
            raise BackofficeServerError(
                f"the permissions of employee {page.employee_id} do not match template "
                f"{template.name!r} after saving",
                step=step,
            )

    def _remember_employee(self, row: EmployeeRow, email: str) -> None:
        """Add a new employee to the caches in place (never re-download the roster)."""
        if self._employees is not None:
            self._employees[row.employee_id] = row
        if self._index.pos_user_ids is not None and row.pos_user_id is not None:
            self._index.pos_user_ids.add(row.pos_user_id)
        if self._index.phones is not None and (digits := validation.digits_only(row.phone)):
            self._index.phones.add(digits)
        if self._index.emails is not None and email:
            self._index.emails.add(email.casefold())
        if self._linkable is not None:
            self._linkable = (
                *self._linkable,
                pages.LinkableEmployee(row.employee_id, email, row.first_name, row.last_name),
            )

    # ------------------------------------------------------------ disable / enable

    def disable_employee(
        self,
        *,
        pos_user_id: int | None = None,
        email: str | None = None,
        employee_id: int | None = None,
    ) -> EmployeeDisabled:
        """Disable one employee (exactly one lookup key) by a full-form round trip.

        Already inactive: nothing is written and the result says ``already=True``.
        """
        key, employee, already = self._set_active(False, pos_user_id, email, employee_id)
        return EmployeeDisabled(
            employee_id=employee.employee_id,
            pos_user_id=employee.pos_user_id,
            email=email if key == "email" else employee.email or None,
            disabled_at=datetime.now(UTC),
            already=already,
        )

    def enable_employee(
        self,
        *,
        pos_user_id: int | None = None,
        email: str | None = None,
        employee_id: int | None = None,
    ) -> EmployeeEnabled:
        """Re-enable one employee (mirror of :meth:`disable_employee`)."""
        key, employee, already = self._set_active(True, pos_user_id, email, employee_id)
        return EmployeeEnabled(
            employee_id=employee.employee_id,
            pos_user_id=employee.pos_user_id,
            email=email if key == "email" else employee.email or None,
            enabled_at=datetime.now(UTC),
            already=already,
        )

    def _set_active(
        self, active: bool, pos_user_id: int | None, email: str | None, employee_id: int | None
    ) -> tuple[str, EmployeeRecord, bool]:
        verb = "enable" if active else "disable"
        key, _value = validation.exactly_one(
            pos_user_id=pos_user_id, email=email, employee_id=employee_id
        )
        if pos_user_id is not None:
            validation.pos_user_id(pos_user_id)
        if email is not None:
            validation.email(email)
        if employee_id is not None:
            _check_employee_id(employee_id)
        step = f"{verb} employee"
        with _tenant_state(f"{NOTHING_WRITTEN}: the employee was not {verb}d"):
            cached_id = self._cached_employee_id(pos_user_id)
            internal_id = cached_id or self._resolve_employee_id(pos_user_id, email, employee_id)
            edit = self._edit_page(internal_id, step=step)
            if cached_id is not None and edit.record.pos_user_id != pos_user_id:
                # The roster cache was wrong about this POS User ID: ask the server.
                internal_id = self._resolve_employee_id(pos_user_id, email, employee_id)
                edit = self._edit_page(internal_id, step=step)
        if edit.record.active == active:
            return key, edit.record, True
        data = edit.page.serialize(edit=True)
        if active:
            data.set("employee[isActive]", "1")
        else:
            # Symfony binds a checkbox by presence: "0" would keep the employee active.
            data.remove("employee[isActive]")
        try:
            result = self._session.post("/employee/update", data, step=step, follow=False)
            self._check_write(result, expect_path="/employee", step=step, what="employee status")
        except BackofficeError as exc:
            if not isinstance(exc, BackofficeServerError) or not _outcome_unknown(exc):
                exc.state = f"{NOTHING_WRITTEN}: employee {internal_id} was not {verb}d"
                raise
            with _tenant_state(
                f"whether employee {internal_id} was {verb}d is unknown: read it before retrying"
            ):
                record = self._edit_page(internal_id, step=step).record
            if record.active != active:
                exc.state = f"{NOTHING_WRITTEN}: employee {internal_id} was not {verb}d"
                raise
            logger.debug("%s outcome reconciled: it took effect", verb)
        with _tenant_state(
            f"employee {internal_id} was {verb}d (the server accepted it) but reading back failed"
        ):
            record = self._edit_page(internal_id, step=f"verify {verb}").record
        if record.active != active:
            raise BackofficeServerError(
                f"employee {internal_id} is still {'inactive' if active else 'active'} after the "
                f"{verb} was accepted (the form may have changed)",
                step=step,
                state=f"{NOTHING_WRITTEN}: employee {internal_id} was not {verb}d",
            )
        self._update_cached_status(record)
        return key, record, False

    def _cached_employee_id(self, pos_user_id: int | None) -> int | None:
        """The internal id of a POS User ID from the roster cache, when it is warm.

        POS User IDs stay reserved after an employee is disabled, so the mapping
        never changes; the caller still checks it against the edit page it reads.
        """
        if pos_user_id is None or not self._employees:
            return None
        return next(
            (row.employee_id for row in self._employees.values() if row.pos_user_id == pos_user_id),
            None,
        )

    def _resolve_employee_id(
        self,
        pos_user_id: int | None,
        email: str | None,
        employee_id: int | None,
        *,
        prefix: str = "",
    ) -> int:
        """The employee of exactly one key; ``prefix`` names the caller's argument
        (``link_to_employee_``) in errors."""
        if employee_id is not None:
            return employee_id
        if pos_user_id is not None:
            rows = self.search_employees(pos_user_id=pos_user_id)
            if not rows:
                raise NotFoundError(
                    f"no employee has POS User ID {pos_user_id}", field=f"{prefix}pos_user_id"
                )
            return rows[0].employee_id
        wanted = (email or "").strip().casefold()
        matches = [
            e.employee_id
            for e in self._linkable_employees(refresh=True)
            if e.email.strip().casefold() == wanted
        ]
        if len(matches) > 1:
            # Never pick one of several people: the wrong one would be disabled.
            raise ValidationError(
                f"e-mail {email} belongs to {len(matches)} active employees (ids "
                f"{', '.join(map(str, matches))}); look the employee up by pos_user_id or "
                "employee_id",
                field=f"{prefix}email",
            )
        if matches:
            return matches[0]
        raise NotFoundError(
            f"no active employee has e-mail {email}; the Back Office lists e-mails only for "
            "active employees, so look inactive ones up by pos_user_id",
            field=f"{prefix}email",
        )

    def _update_cached_status(self, record: EmployeeRecord) -> None:
        if self._employees is not None and record.employee_id in self._employees:
            row = self._employees[record.employee_id]
            self._employees[record.employee_id] = dataclasses.replace(
                row,
                active=record.active,
                status_changed_utc=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            )
        # Updated in place, not dropped: re-reading /user/create costs a request.
        if self._linkable is not None:  # /user/create lists active employees only
            others = tuple(e for e in self._linkable if e.employee_id != record.employee_id)
            if record.active:
                others += (
                    pages.LinkableEmployee(
                        record.employee_id, record.email, record.first_name, record.last_name
                    ),
                )
            self._linkable = others
        if self._index.emails is not None and record.email:
            # A disabled employee keeps its e-mail: the server still counts it as taken.
            self._index.emails.add(record.email.casefold())

    # ------------------------------------------------------------ Back Office users

    def list_backoffice_users(
        self, *, status: ActiveFilter = "all", refresh: bool = False
    ) -> list[BackofficeUserRow]:
        """Back Office users (cached; ``status`` filters the cached rows)."""
        _check_active(status)
        if self._bo_users is None or refresh:
            page = self._session.get(
                "/user", params={"statusSearch": "all", "limit": _ALL_ROWS}, step="list users"
            )
            rows: dict[int, BackofficeUserRow] = {}
            seen: set[str] = set()
            while True:
                parsed = pages.parse_user_list(page.tree())
                for row in parsed.rows:
                    rows.setdefault(row.user_id, row)
                if parsed.next_url is None or parsed.next_url in seen:
                    break
                seen.add(parsed.next_url)
                page = self._session.get(parsed.next_url, step="list users")
            self._bo_users = rows
            self._index.emails = None
        return _filter_active(self._bo_users.values(), status)

    def create_backoffice_user(
        self,
        *,
        username: str,
        email: str,
        permission: str,
        password: str | None = None,
        link_to_employee_pos_user_id: int | str | None = None,
        link_to_employee_email: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        available_sites: SiteChoice = "all",
        progress: Progress | None = None,
    ) -> BackofficeUserCreated:
        """Create a Back Office user, linked to an active employee or standalone, and
        apply its template's permission tokens and site access."""
        report = progress or _no_progress
        name = validation.username(username)
        email_text = validation.email(email)
        secret = Secret(
            validation.password(password)
            if password is not None
            else validation.generate_password()
        )
        linked = link_to_employee_pos_user_id is not None or link_to_employee_email is not None
        standalone = first_name is not None or last_name is not None
        if linked == standalone:
            raise ValidationError(
                "give either a link to an employee (link_to_employee_pos_user_id or "
                "link_to_employee_email) or first_name and last_name, not both or neither",
                field="link_to_employee_pos_user_id",
            )
        first = last = ""
        if standalone:
            first = validation.name(first_name, field="first_name", max_length=64)
            last = validation.name(last_name, field="last_name", max_length=64)
        else:
            validation.exactly_one(
                link_to_employee_pos_user_id=link_to_employee_pos_user_id,
                link_to_employee_email=link_to_employee_email,
            )
            if link_to_employee_pos_user_id is not None:
                _as_pos_id(link_to_employee_pos_user_id)
            if link_to_employee_email is not None:
                validation.email(link_to_employee_email, field="link_to_employee_email")
        site_names = validation.site_choice(available_sites, field="available_sites")

        with _tenant_state(f"{NOTHING_WRITTEN}: the Back Office user was not created"):
            report("Resolving template and sites")
            template = self._resolve_bo_template(permission)
            wanted = names.resolve_sites(site_names, self.list_sites(), field="available_sites")
            employee_id: int | None = None
            if linked:
                if link_to_employee_pos_user_id is not None:
                    pos_id = _as_pos_id(link_to_employee_pos_user_id)
                    employee_id = self._resolve_employee_id(
                        pos_id, None, None, prefix="link_to_employee_"
                    )
                else:
                    employee_id = self._resolve_employee_id(
                        None, link_to_employee_email, None, prefix="link_to_employee_"
                    )
            report("Checking for duplicates")
            if self._username_taken(name):
                raise DuplicateError(f"username {name!r} is already in use", field="username")
            if not self._email_free_for(email_text, employee_id):
                raise DuplicateError(f"e-mail {email_text} is already in use", field="email")
        return self._create_bo_user(
            username=name,
            email=email_text,
            password=secret,
            template=template,
            site_ids=frozenset(s.id for s in wanted) if wanted is not None else None,
            site_names=tuple(s.name for s in wanted) if wanted is not None else "all",
            linked_employee_id=employee_id,
            first_name=first,
            last_name=last,
            progress=report,
        )

    def _email_free_for(self, email: str, employee_id: int | None) -> bool:
        """Free, or used only by the employee the new user is linked to."""
        if self.is_email_available(email):
            return True
        if employee_id is None:
            return False
        own = any(
            e.employee_id == employee_id and e.email.casefold() == email.casefold()
            for e in self._linkable_employees(refresh=False)
        )
        in_users = any(u.email.casefold() == email.casefold() for u in self.list_backoffice_users())
        return own and not in_users

    def _create_bo_user(
        self,
        *,
        username: str,
        email: str,
        password: Secret,
        template: Permission,
        site_ids: frozenset[int] | None,
        site_names: tuple[str, ...] | Literal["all"],
        linked_employee_id: int | None,
        first_name: str,
        last_name: str,
        progress: Progress,
    ) -> BackofficeUserCreated:
        step = "insert Back Office user"
        progress("Creating the Back Office user")
        with _tenant_state(f"{NOTHING_WRITTEN}: the Back Office user was not created"):
            form = pages.parse_user_create(self._session.get("/user/create", step=step).doc())
        data = serialize_form(form.form)
        if linked_employee_id is not None:
            data.set("employee[isOnSiteEmployee]", "1")
            data.set("user[employeeId]", str(linked_employee_id))
            data.set("employee[firstName]", "")
            data.set("employee[lastName]", "")
        else:
            data.remove("employee[isOnSiteEmployee]")
            data.set("user[employeeId]", "")
            data.set("employee[firstName]", first_name)
            data.set("employee[lastName]", last_name)
        data.set("employee[email]", email)
        data.set("user[username]", username)
        data.set("user[password]", password.reveal())
        data.set("user[confirmPassword]", password.reveal())
        user_id, landing = self._insert_bo_user(data, username, linked_employee_id, step)
        if first_name == "" and linked_employee_id is not None:
            first_name, last_name = self._linked_names(linked_employee_id)
        if self._bo_users is not None:
            self._bo_users[user_id] = BackofficeUserRow(
                user_id, first_name, last_name, username, "", email, True
            )
        if self._index.emails is not None:
            self._index.emails.add(email.casefold())

        progress("Applying Back Office permissions")
        warnings: list[str] = []
        applied = True
        try:
            self._apply_bo_permissions(user_id, landing, template, site_ids)
        except BackofficeError as exc:
            applied = False
            outcome = (
                "were saved but could not be read back to verify them"
                if exc.state == _SAVED_UNVERIFIED
                else "were not applied"
            )
            warnings.append(
                f"Back Office user {username} was created but template {template.name!r} and "
                f"its site access {outcome} ({exc.message}); check them on /user/permissions"
                f"/{user_id}"
            )
        return BackofficeUserCreated(
            user_id=user_id,
            username=username,
            email=email,
            password=password,
            permission=template.name,
            permission_applied=applied,
            available_sites=site_names,
            linked_employee_id=linked_employee_id,
            first_name=first_name,
            last_name=last_name,
            warnings=tuple(warnings),
        )

    def _insert_bo_user(
        self, data: FormData, username: str, linked_employee_id: int | None, step: str
    ) -> tuple[int, Page | None]:
        """POST the user form once; an unknown outcome is reconciled by username, and
        sent again only when the session was lost and the user does not exist."""
        for attempt in (1, 2):
            try:
                landing = self._session.post("/user/insert", data, step=step, resend=False)
            except BackofficeServerError as exc:
                if not _outcome_unknown(exc):
                    raise
                with _tenant_state(
                    f"whether Back Office user {username} was created is unknown: look it up "
                    "before trying again"
                ):
                    users = self.list_backoffice_users(refresh=True)
                match = [u for u in users if u.username.casefold() == username.casefold()]
                if match:
                    return match[0].user_id, None
                if isinstance(exc, SessionLostError) and attempt == 1:
                    continue  # reconciled: it did not happen, so sending it again is safe
                exc.state = f"{NOTHING_WRITTEN}: the Back Office user was not created"
                raise
            user_id = pages.id_from_location(landing.first_redirect or "", "/user/permissions/")
            if user_id is not None:
                return user_id, landing
            error = self._rejection(landing, step=step, what="Back Office user")
            error.state = f"{NOTHING_WRITTEN}: the Back Office user was not created"
            if isinstance(error, ValidationError) and linked_employee_id is not None:
                # e.g. "…make sure that the related employee is active…"
                error = BackofficeServerError(error.message, step=step, state=error.state)
            raise error
        raise AssertionError("unreachable: the second attempt returns or raises")

    def _linked_names(self, employee_id: int) -> tuple[str, str]:
        if self._employees is not None and employee_id in self._employees:
            row = self._employees[employee_id]
            return row.first_name, row.last_name
        for employee in self._linkable or ():
            if employee.employee_id == employee_id:
                return employee.first_name, employee.last_name
        return "", ""

    def _apply_bo_permissions(
        self,
        user_id: int,
        landing: Page | None,
        template: Permission,
        site_ids: frozenset[int] | None,
    ) -> None:
        step = "save Back Office permissions"
        doc = landing.doc() if landing is not None else None
        if doc is None or find_form(doc, pages.USER_PERMISSIONS_FORM_ID) is None:
            doc = self._session.get(f"/user/permissions/{user_id}", step=step).doc()
        page = pages.parse_user_permissions(doc)
        data = pages.user_permissions_post(page, template, site_ids)
        landed: Page | None = None
        unknown: BackofficeServerError | None = None
        try:
            landed = self._session.post("/user/permissions/update", data, step=step)
            self._check_write(
                landed,
                expect_path=f"/user/permissions/{user_id}",
                step=step,
                what="Back Office permission set",
            )
        except BackofficeServerError as exc:
            if not _outcome_unknown(exc):
                raise
            landed, unknown = None, exc  # the read-back decides
        # The success redirect lands on this user's permissions page: it is the read-back.
        with _tenant_state(
            _SAVED_UNVERIFIED if unknown is None else "whether they were saved is unknown"
        ):
            landed_doc = landed.doc() if landed is not None else None
            if landed_doc is None or find_form(landed_doc, pages.USER_PERMISSIONS_FORM_ID) is None:
                landed_doc = self._session.get(f"/user/permissions/{user_id}", step=step).doc()
            check = pages.parse_user_permissions(landed_doc)
            if check.user_id != user_id:
                doc = self._session.get(f"/user/permissions/{user_id}", step=step).doc()
                check = pages.parse_user_permissions(doc)
        wanted_tokens = template.tokens & set(page.tokens)
        wanted_sites = site_ids if site_ids is not None else page.tree.site_ids
        if check.enabled != wanted_tokens or check.site_ids != wanted_sites:
            if unknown is not None:
                raise unknown
            raise BackofficeServerError(
                "the saved permissions differ from the template after saving", step=step
            )


def _check_employee_id(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("employee_id must be a positive whole number", field="employee_id")


def _check_active(value: object) -> None:
    if value not in ("active", "inactive", "all"):
        raise ValidationError("active/status must be 'active', 'inactive' or 'all'", field="active")


_Row = TypeVar("_Row", EmployeeRow, BackofficeUserRow)


def _filter_active(rows: Iterable[_Row], active: ActiveFilter) -> list[_Row]:
    if active == "all":
        return list(rows)
    wanted = active == "active"
    return [row for row in rows if row.active == wanted]


def _outcome_unknown(exc: BackofficeServerError) -> bool:
    """A dropped connection or a 5xx answer to a write: it may or may not have happened."""
    return isinstance(exc, BackofficeConnectionError) or (exc.status_code or 0) >= 500


def _as_pos_id(value: int | str) -> int:
    field = "link_to_employee_pos_user_id"
    if isinstance(value, str) and value.strip().isdigit():
        return validation.pos_user_id(int(value.strip()), field=field)
    return validation.pos_user_id(value, field=field)


def _duplicate_field(message: str) -> str | None:
    """Which input a duplicate message is about, from its first words ("The email …")."""
    head = " ".join(message.split()[:4])
    for word, field in (
        ("mail", "email"),
        ("username", "username"),
        ("pos", "pos_user_id"),
        ("login", "pos_user_id"),
        ("phone", "phone"),
    ):
        if word in head:
            return field
    return None
