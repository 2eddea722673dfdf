"""Reads: what the tenant has and who is in it.

Sites, departments and role templates; the employee roster, the server search
and one employee's record; the Back Office users; and the availability checks
built on them (POS User IDs, e-mails, phones). Everything fetched once is kept in
the client's :class:`~sonnys_tui.backoffice.caches.Caches`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

from lxml import etree

from sonnys_tui.backoffice import formcheck, names, pages, validation
from sonnys_tui.backoffice.caches import Linkable, Roster, Users
from sonnys_tui.backoffice.core import (
    ALL_ROWS,
    Part,
    RecordPage,
    check_active,
    check_employee_id,
    filter_active,
    logger,
)
from sonnys_tui.backoffice.errors import (
    BackofficeServerError,
    NotFoundError,
    ValidationError,
)
from sonnys_tui.backoffice.models import (
    ActiveFilter,
    BackofficeUserRow,
    Department,
    EmailAvailability,
    EmployeeRow,
    Permission,
    Scope,
    Site,
)
from sonnys_tui.backoffice.session import QueryParams

# Why an e-mail no list has may still be refused (EmailAvailability "unknown").
EMAIL_UNKNOWN_REASON = (
    "not used by active staff or Back Office users; inactive employees can't be checked"
)

_EMPLOYEE_EDIT = RecordPage(
    "/employee/edit/{}",
    formcheck.EMPLOYEE_EDIT.form_id,
    pages.parse_employee_edit,
    "no employee with id {}",
)


class Discovery(Part):
    """The read operations of :class:`SonnysBackofficeClient` (the part every other
    part reads through)."""

    # ------------------------------------------------------------ sites, departments, templates

    def _load_create_page(self, *, refresh: bool = False) -> pages.EmployeeFormPage:
        return self._caches.create_page.get(self._fetch_create_page, refresh=refresh)

    def _fetch_create_page(self) -> pages.EmployeeFormPage:
        page = self._session.get("/employee/create", step="load employee form")
        return pages.parse_employee_form(page.doc())

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
        load = self._fetch_pos_templates if scope == "pos" else self._fetch_bo_templates
        return list(self._caches.templates[scope].get(load, refresh=refresh))

    def _fetch_pos_templates(self) -> tuple[Permission, ...]:
        return self._pos_permissions_page_any().templates

    def _pos_permissions_page_any(self) -> pages.PosPermissionsPage:
        employee_id = next(iter(self._caches.roster.peek() or ()), None) or self._first_record_id(
            "/employee",
            {"limit": 1, "active": "all"},
            lambda doc: [row.employee_id for row in pages.parse_employee_list(doc).rows],
            what="employee to read the POS templates from",
            step="list POS templates",
        )
        page = self._session.get(f"/employee/permissions/{employee_id}", step="read POS templates")
        parsed = pages.parse_pos_permissions(page.doc())
        self._caches.learn_form(
            formcheck.POS_PERMISSIONS.page, formcheck.check(parsed.form, formcheck.POS_PERMISSIONS)
        )
        return parsed

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

    def _fetch_bo_templates(self) -> tuple[Permission, ...]:
        user_id = next(iter(self._caches.bo_users.peek() or ()), None) or self._first_record_id(
            "/user",
            {"limit": 1, "statusSearch": "all"},
            lambda doc: [row.user_id for row in pages.parse_user_list(doc).rows],
            what="Back Office user to read the templates from",
            step="list Back Office templates",
        )
        page = self._session.get(f"/user/permissions/{user_id}", step="read BO templates")
        permissions = pages.parse_user_permissions(page.doc())
        spec = formcheck.USER_PERMISSIONS
        self._caches.learn_form(
            spec.page, formcheck.check(permissions.form, spec, tree=permissions.tree)
        )
        templates = permissions.templates
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
        return tuple(result)

    def _resolve_bo_template(self, permission: str) -> Permission:
        if not isinstance(permission, str) or not permission.strip():
            raise ValidationError("permission must name a Back Office template", field="permission")
        validation.printable(permission, field="permission")  # before any request
        templates = self.list_permissions(scope="backoffice")
        return names.require_template(permission, templates, kind="Back Office", field="permission")

    # ------------------------------------------------------------ employees

    def list_employees(
        self, *, active: ActiveFilter = "all", refresh: bool = False
    ) -> list[EmployeeRow]:
        """The roster (one ``limit=10000`` page, pager followed), cached; filtered locally."""
        check_active(active)
        return filter_active(self._roster(refresh).values(), active)

    def _roster(self, refresh: bool) -> Roster:
        return self._caches.roster.get(self._download_roster, refresh=refresh)

    def _download_roster(self) -> Roster:
        rows = self._employee_rows({"limit": ALL_ROWS, "active": "all"}, "list employees")
        return {row.employee_id: row for row in rows}

    def search_employees(
        self,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        pos_user_id: int | None = None,
        active: ActiveFilter = "all",
    ) -> list[EmployeeRow]:
        """Server-side search with the list page's own filters (never cached)."""
        check_active(active)
        params: dict[str, str | int] = {"limit": ALL_ROWS, "active": active}
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

    def _edit_page(self, employee_id: int, *, step: str) -> pages.EmployeeEditPage:
        """An employee's edit page; the e-mail it shows is remembered as taken."""
        check_employee_id(employee_id)
        edit = self._form_page(_EMPLOYEE_EDIT, employee_id, step=step)
        self._caches.learn_email(edit.record.employee_id, edit.record.email)
        return edit

    def hidden_employees(self, *, refresh: bool = False) -> list[EmployeeRow]:
        """Active employees the employee list never shows: those with no available
        site. The Back Office hides them from its list, yet their POS login works.
        Found among the active employees the Back Office user form lists
        (``/user/create``) that the roster lacks, each read on its edit page.

        Cost: the roster and ``/user/create`` when not cached yet, then one edit page
        per such employee not read yet; a call on the same lists sends nothing.
        ``refresh`` reads the lists and every page again. Rows as the list would show
        them: no sites, Access and wage type unknown."""
        rows = [row for row, hidden in self._unlisted(refresh).values() if hidden]
        return sorted(rows, key=lambda r: (r.last_name.casefold(), r.employee_id))

    def _unlisted(self, refresh: bool) -> Mapping[int, tuple[EmployeeRow, bool]]:
        """The active employees the roster lacks (see :meth:`_read_hidden`), read when
        the roster or ``/user/create`` changed since (only the pages not read yet)."""
        roster = self._roster(refresh)
        linkable = self._linkable_employees(refresh=refresh)
        if not refresh and self._caches.hidden_read_from(roster, linkable):
            return self._caches.hidden_rows()  # the common case: nothing to read
        # One caller at a time reads the pages: the next finds them known.
        with self._caches.hidden_lock:
            if not refresh and self._caches.hidden_read_from(roster, linkable):
                return self._caches.hidden_rows()
            known = {} if refresh else self._caches.hidden_rows()
            return self._read_hidden(roster, linkable, known)

    def _read_hidden(
        self, roster: Roster, linkable: Linkable, known: Mapping[int, tuple[EmployeeRow, bool]]
    ) -> Mapping[int, tuple[EmployeeRow, bool]]:
        """The active employees ``linkable`` lists and ``roster`` lacks, by id: their
        row and whether the list hides them (False: the roster is older than their
        sites; their ids and phones are taken all the same). Pages not in ``known``
        are read."""
        found: dict[int, tuple[EmployeeRow, bool]] = {}
        for employee in linkable:
            if employee.employee_id in roster:
                continue
            if employee.employee_id in known:
                found[employee.employee_id] = known[employee.employee_id]
                continue
            try:
                record = self._edit_page(
                    employee.employee_id, step="read an employee the list hides"
                ).record
            except NotFoundError:
                continue  # listed a moment ago, gone now
            row = EmployeeRow(
                employee_id=record.employee_id,
                first_name=record.first_name,
                last_name=record.last_name,
                pos_user_id=record.pos_user_id,
                phone=record.phone,
                site_codes=(),
                departments=record.departments,
                access="",
                wage_type="",
                active=record.active,
            )
            found[employee.employee_id] = (row, record.active and not record.site_ids)
        self._caches.learn_hidden(found, roster, linkable)
        return found

    def find_hidden_employee(self, pos_user_id: int) -> EmployeeRow | None:
        """The active employee the list hides (no available site) with this POS User ID,
        if any (see :meth:`hidden_employees`): how a lookup by POS User ID reaches them."""
        validation.pos_user_id(pos_user_id)
        wanted = [r for r in self.hidden_employees() if r.pos_user_id == pos_user_id]
        return wanted[0] if wanted else None

    def _linkable_employees(self, *, refresh: bool) -> tuple[pages.LinkableEmployee, ...]:
        return self._caches.linkable.get(self._fetch_linkable, refresh=refresh)

    def _fetch_linkable(self) -> tuple[pages.LinkableEmployee, ...]:
        page = self._session.get("/user/create", step="read employee e-mails")
        parsed = pages.parse_user_create(page.doc())
        spec = formcheck.USER_CREATE
        self._caches.learn_form(spec.page, formcheck.check(parsed.form, spec))
        return parsed.employees

    def employee_id_for(self, *, pos_user_id: int | None = None, email: str | None = None) -> int:
        """The internal employee id of exactly one key, asked of the server (never cached).

        A POS User ID is one exact search (any status). An e-mail is looked up among the
        active employees, the only ones whose e-mails the Back Office lists: an inactive
        employee's e-mail is :class:`NotFoundError` (look it up by POS User ID), and one
        e-mail shared by several active employees is :class:`ValidationError`.
        """
        validation.exactly_one(pos_user_id=pos_user_id, email=email)
        if pos_user_id is not None:
            validation.pos_user_id(pos_user_id)
        if email is not None:
            validation.email(email)
        return self._resolve_employee_id(pos_user_id, email, None)

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
            if rows:
                return rows[0].employee_id
            # The list never shows an employee with no available site: look there too.
            hidden = self.find_hidden_employee(pos_user_id)
            if hidden is not None:
                return hidden.employee_id
            raise NotFoundError(
                f"no employee has POS User ID {pos_user_id}", field=f"{prefix}pos_user_id"
            )
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

    # ------------------------------------------------------------ Back Office users

    def list_backoffice_users(
        self, *, status: ActiveFilter = "all", refresh: bool = False
    ) -> list[BackofficeUserRow]:
        """Back Office users (cached; ``status`` filters the cached rows)."""
        check_active(status)
        return filter_active(self._bo_users(refresh).values(), status)

    def _bo_users(self, refresh: bool) -> Users:
        return self._caches.bo_users.get(self._fetch_bo_users, refresh=refresh)

    def _fetch_bo_users(self) -> Users:
        return self._user_list({"statusSearch": "all", "limit": ALL_ROWS}, step="list users")

    def _user_list(self, params: dict[str, str | int], *, step: str) -> Users:
        """The user list as the server answers ``params``, every page of it (a pager
        that comes back to a page already read ends it)."""
        page = self._session.get("/user", params=params, step=step)
        rows: dict[int, BackofficeUserRow] = {}
        seen: set[str] = set()
        while True:
            parsed = pages.parse_user_list(page.tree())
            for row in parsed.rows:
                rows.setdefault(row.user_id, row)
            if parsed.next_url is None or parsed.next_url in seen:
                return rows
            seen.add(parsed.next_url)
            page = self._session.get(parsed.next_url, step=step)

    def _username_taken(self, username: str) -> bool:
        wanted = username.casefold()
        return any(u.username.casefold() == wanted for u in self._bo_users(False).values())

    # ------------------------------------------------------------ availability

    def _pos_ids(self, refresh: bool) -> frozenset[int]:
        return self._caches.pos_user_ids(self._roster(refresh))

    def _hidden_keys(self, refresh: bool) -> tuple[frozenset[int], frozenset[str]]:
        """The POS User IDs and phones of the employees the roster lacks, those the list
        hides among them (see :meth:`hidden_employees`: read once, ``refresh`` reads the
        roster too), kept once read."""
        self._unlisted(refresh)
        return self._caches.hidden_keys()

    def taken_emails(self, *, refresh: bool = False) -> frozenset[str]:
        """The e-mails (casefolded) the client knows to be in use.

        Those of the active employees (the ``/user/create`` employee list), of the
        Back Office users, and of every employee, active or not, whose edit page
        the client has read (:meth:`get_employee`, a disable or enable) or that it
        created. The server keeps an inactive employee's e-mail taken but lists it
        nowhere, so an edit page is the only way to learn it. Cached;
        ``refresh=True`` re-reads the two lists and keeps what edit pages taught.
        """
        linkable = self._linkable_employees(refresh=refresh)
        users = self._bo_users(refresh)
        return self._caches.taken_emails(linkable, users)

    def is_pos_user_id_available(self, pos_user_id: int, *, refresh: bool = False) -> bool:
        """True if no employee (active or not: ids stay reserved) uses this POS User ID,
        those the list hides included (active, no available site: :meth:`hidden_employees`).

        Cost, once per client: the roster, ``/user/create`` and one edit page per
        hidden employee not read yet; later calls send nothing (``refresh`` re-reads
        them all). An inactive employee with no site is on no list: known only when
        this client saw them active (an offboarded hidden employee's id stays taken)."""
        wanted = validation.pos_user_id(pos_user_id)
        hidden_ids = self._hidden_keys(refresh)[0]  # reads the roster first when refreshing
        return wanted not in hidden_ids and wanted not in self._pos_ids(False)

    def is_email_available(self, email: str, *, refresh: bool = False) -> bool:
        """True if the e-mail (any case) is not KNOWN to be taken (not in
        :meth:`taken_emails`); the seed API's check.

        True does not mean free: the server exposes employee e-mails only for active
        employees, and keeps an inactive employee's e-mail taken, so the server may
        still refuse it. :meth:`email_availability` says which it is.
        """
        return self._email_key(email) not in self.taken_emails(refresh=refresh)

    def email_availability(self, email: str, *, refresh: bool = False) -> EmailAvailability:
        """Whether the e-mail (any case) is known to be ``"taken"``, or ``"unknown"``;
        with the reason (:class:`EmailAvailability`). Never ``"free"``: see below.

        Taken when :meth:`taken_emails` has it: an active employee, a Back Office
        user, an employee whose edit page the client read (an inactive one included)
        or a write the server refused as a duplicate. Otherwise unknown: the server
        keeps an inactive employee's e-mail taken but shows it only on that
        employee's edit page, and the employee list, the only way to find those
        pages, leaves out employees with no site and those at sites the login cannot
        see. So no set of reads proves an e-mail free. Reads the active employees'
        e-mails and the Back Office users (cached; ``refresh`` re-reads them).
        """
        key = self._email_key(email)
        if key in self.taken_emails(refresh=refresh):
            return EmailAvailability("taken", self._taken_reason(key))
        return EmailAvailability("unknown", EMAIL_UNKNOWN_REASON)

    def _taken_reason(self, key: str) -> str:
        """Who has a taken e-mail, in words (the lists are cached by now)."""
        if any(e.email.strip().casefold() == key for e in self._linkable_employees(refresh=False)):
            return "used by an active employee"
        if any(u.email.strip().casefold() == key for u in self._bo_users(False).values()):
            return "used by a Back Office user"
        if key in self._caches.read_emails().values():
            return "used by an employee (read from its edit page)"
        return "the server refused it as already in use"

    @staticmethod
    def _email_key(email: object) -> str:
        if not isinstance(email, str):
            raise ValidationError("email must be text", field="email")
        validation.printable(email, field="email")
        return email.strip().casefold()

    def is_phone_available(self, phone: str, *, refresh: bool = False) -> bool:
        """True if no employee uses this phone (compared as
        :func:`~sonnys_tui.backoffice.validation.phone_digits`: digits only, a US
        country code ignored), those the list hides included; reads what
        :meth:`is_pos_user_id_available` reads (once per client)."""
        if not isinstance(phone, str):
            raise ValidationError("phone must be text", field="phone")
        validation.printable(phone, field="phone")
        digits = validation.phone_digits(phone)
        if not digits:
            return True
        hidden_phones = self._hidden_keys(refresh)[1]
        return digits not in hidden_phones and digits not in self._caches.phones(
            self._roster(False)
        )

    def next_free_pos_user_id(self, start: int | None = None) -> int:
        """The lowest free POS User ID >= ``start`` (default: highest used + 1), the
        ids of the employees the list hides counted as used (see
        :meth:`is_pos_user_id_available` for what that reads, once per client)."""
        first = None if start is None else validation.pos_user_id(start)
        used = self._pos_ids(False) | self._hidden_keys(False)[0]
        if first is None:
            return max(used, default=0) + 1
        candidate = first
        while candidate in used:
            candidate += 1
        return candidate
