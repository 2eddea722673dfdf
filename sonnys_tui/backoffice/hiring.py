"""Hiring: ``create_employee``, one private method per step.

1. validate everything that needs no request; 2. resolve the names given
(sites, departments, templates) to the tenant's records; 3. check for
duplicates; 4. insert the employee; 5. save its POS permissions; 6. create the
linked Back Office user, when one is asked for.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial

from sonnys_tui.backoffice import formcheck, names, pages, validation
from sonnys_tui.backoffice.core import (
    Insert,
    Part,
    Progress,
    SiteChoice,
    check_write,
    logger,
    no_progress,
    outcome_unknown,
    tenant_state,
)
from sonnys_tui.backoffice.discovery import Discovery
from sonnys_tui.backoffice.errors import (
    NOTHING_WRITTEN,
    BackofficeError,
    BackofficeServerError,
    DuplicateError,
    NotFoundError,
    UnknownNameError,
    ValidationError,
)
from sonnys_tui.backoffice.forms import FormData, find_form
from sonnys_tui.backoffice.models import (
    Department,
    EmployeeCreated,
    Permission,
    Secret,
    Site,
)
from sonnys_tui.backoffice.session import Page
from sonnys_tui.backoffice.users import BackofficeUsers

FALLBACK_POS_TEMPLATE = "General User"
_EMPLOYEE_INSERT = Insert(
    "/employee/insert",
    "/employee/permissions/",
    "employee",
    "whether the employee was created is unknown: look up POS User ID {} before trying again",
    f"{NOTHING_WRITTEN}: the employee was not created (no employee has POS User ID {{}})",
)
DEFAULT_DEPARTMENT = "Greeter"  # when create_employee(departments=None)


@dataclass(frozen=True)
class _BackofficeLogin:
    """The linked Back Office user a hire asks for, validated."""

    username: str
    password: Secret
    permission: str


@dataclass(frozen=True)
class _Resolved:
    """A hire's names as the tenant's records (step 2; step 4 may renew the form)."""

    form: pages.EmployeeFormPage
    form_is_fresh: bool  # fetched by this hire, not taken from the cache
    sites: list[Site] | None  # None: every site
    wage_site: Site | None  # the labor site asked for; None: the first of the sites
    departments: list[Department]
    template: Permission | None  # None: read it from the new employee's own page
    bo_template: Permission | None

    @property
    def every_site(self) -> list[Site]:
        return self.sites if self.sites is not None else list(self.form.sites)


@dataclass(eq=False)
class Hiring(Part):
    """The hiring operation of :class:`SonnysBackofficeClient`."""

    reads: Discovery
    users: BackofficeUsers

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
        wage_site: str | None = None,
        progress: Progress | None = None,
    ) -> EmployeeCreated:
        """Create a POS employee with its permissions (and optionally a linked BO user).

        ``backoffice_permission`` (an extra over the seed API) names the BO
        template applied to the linked user (default "user", General User).

        ``wage_site`` (an extra) names the wage's labor site, by name or code, among the
        employee's sites (any site with ``available_sites="all"``); by default it is the
        first site given (none with "all").

        ``departments=None`` assigns the tenant's "Greeter" department (the Back
        Office form requires at least one; the established practice is to add
        Greeter) and says so in the warnings; an empty list is refused.
        """
        report = progress or no_progress
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
            wage_site=wage_site,
        )
        login = _backoffice_login(
            requires_backoffice, backoffice_username, backoffice_password, backoffice_permission
        )
        warnings: list[str] = []
        if departments is None:
            warnings.append(
                f"no departments given: assigned the default department {DEFAULT_DEPARTMENT!r}"
            )
        with tenant_state(f"{NOTHING_WRITTEN}: the employee was not created"):
            # 2. Names → ids (one fetch of /employee/create, reused below as the form).
            resolved = self._resolve_names(new, login, warnings, report)
            # 3. Duplicates: the cached index first, then one exact check on the server.
            # The insert posts a fresh copy of the form (unless step 2 just fetched it):
            # both are reads, so the copy is fetched while the check runs (one round
            # trip saved on every hire).
            report("Checking for duplicates")
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="create-form") as pool:
                fresh_form = (
                    None
                    if resolved.form_is_fresh
                    else pool.submit(self.reads._load_create_page, refresh=True)
                )
                self._check_duplicates(new, login)
                form = None if fresh_form is None else fresh_form.result()
            # The pages posted to after the insert, as read for the templates: a form
            # that differs refuses the hire now, before anything is written.
            later = [formcheck.POS_PERMISSIONS]
            if login is not None:
                later += [formcheck.USER_CREATE, formcheck.USER_PERMISSIONS]
            if found := [d for spec in later for d in self._caches.form_differences(spec.page)]:
                raise formcheck.FormChangedError(found, step="create employee")
            # 4. Insert.
            report("Creating the employee")
            resolved, data = self._insert_form(new, resolved, form)
        try:
            employee_id, landing = self._insert_employee(data, new.pos_user_id)
        except DuplicateError as exc:
            if exc.field == "email":
                # The server's own answer (most likely an inactive employee's e-mail,
                # which no list shows): taken from now on, so a retry is refused
                # before it is sent and email_availability says "taken".
                self._caches.learn_refused_email(new.email)
            raise
        # 5. Permissions: the insert redirected to the new employee's permissions page.
        report("Saving POS permissions")
        template = self._grant_permissions(employee_id, landing, new, resolved.template, warnings)
        created = self._record_hire(employee_id, new, resolved, template, warnings)
        # 6. The linked Back Office user.
        if login is None or resolved.bo_template is None:
            return created
        return self._add_linked_user(created, login, resolved.bo_template, resolved, report)

    # ------------------------------------------------------------ 2. names

    def _resolve_names(
        self,
        new: validation.NewEmployee,
        login: _BackofficeLogin | None,
        warnings: list[str],
        report: Progress,
    ) -> _Resolved:
        report("Loading sites and departments")
        fresh = self._caches.create_page.peek() is None
        form = self.reads._load_create_page()
        sites = names.resolve_sites(new.site_names, form.sites, field="available_sites")
        wage_site = _wage_site(new.wage_site, sites, form.sites)
        departments = names.resolve_departments(new.department_names, form.departments)
        report("Resolving the POS template")
        template = self._resolve_pos_template(new.permission, warnings)
        bo_template = self.reads._resolve_bo_template(login.permission) if login else None
        return _Resolved(form, fresh, sites, wage_site, departments, template, bo_template)

    def _resolve_pos_template(self, permission: str, warnings: list[str]) -> Permission | None:
        """The POS template, or None when the tenant has no employee to read templates from
        (then it is resolved from the new employee's own permissions page)."""
        try:
            templates = self.reads.list_permissions(scope="pos")
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

    # ------------------------------------------------------------ 3. duplicates

    def _check_duplicates(
        self, new: validation.NewEmployee, login: _BackofficeLogin | None
    ) -> None:
        pos_id = new.pos_user_id
        if not self.reads.is_pos_user_id_available(pos_id):
            raise DuplicateError(f"POS User ID {pos_id} is already in use", field="pos_user_id")
        if not self.reads.is_email_available(new.email):
            raise DuplicateError(f"e-mail {new.email} is already in use", field="email")
        if not self.reads.is_phone_available(new.phone):
            raise DuplicateError(f"phone {new.phone} is already in use", field="phone")
        if login is not None and self.reads._username_taken(login.username):
            raise DuplicateError(
                f"Back Office username {login.username!r} is already in use",
                field="backoffice_username",
            )
        # The index may be stale: one exact question to the server.
        if self.reads.search_employees(pos_user_id=pos_id):
            raise DuplicateError(f"POS User ID {pos_id} is already in use", field="pos_user_id")

    # ------------------------------------------------------------ 4. insert

    def _insert_form(
        self,
        new: validation.NewEmployee,
        resolved: _Resolved,
        form: pages.EmployeeFormPage | None,
    ) -> tuple[_Resolved, FormData]:
        """The insert's form data, on ``form`` (a fresh copy) when step 2's was cached."""
        if form is not None:
            sites = names.resolve_sites(new.site_names, form.sites, field="available_sites")
            wage_site = _wage_site(new.wage_site, sites, form.sites)
            resolved = dataclasses.replace(resolved, form=form, sites=sites, wage_site=wage_site)
        data = pages.employee_insert_post(resolved.form, new, resolved.sites, resolved.departments)
        if resolved.wage_site is not None:
            data.set("wage[siteId]", str(resolved.wage_site.id))  # the one asked for
        formcheck.require(
            resolved.form.form, formcheck.EMPLOYEE_CREATE, step="insert employee",
            tree=resolved.form.tree,
        )  # fmt: skip
        return resolved, data

    def _insert_employee(self, data: FormData, pos_id: int) -> tuple[int, Page | None]:
        return self._insert_once(_EMPLOYEE_INSERT, data, pos_id, partial(self._hired, pos_id))

    def _hired(self, pos_id: int) -> int | None:
        """The employee with this POS User ID, if the server has one (an unknown insert
        outcome is looked up so, before anything is decided)."""
        found = self.reads.search_employees(pos_user_id=pos_id)
        if not found:
            return None
        logger.debug("insert reconciled: employee %s exists", found[0].employee_id)
        return found[0].employee_id

    # ------------------------------------------------------------ 5. permissions

    def _grant_permissions(
        self,
        employee_id: int,
        landing: Page | None,
        new: validation.NewEmployee,
        template: Permission | None,
        warnings: list[str],
    ) -> Permission:
        """Save the template on the new employee; the template applied."""
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
        return template

    def _permissions_page_for(
        self, employee_id: int, landing: Page | None
    ) -> pages.PosPermissionsPage:
        if landing is not None and landing.url.startswith(f"/employee/permissions/{employee_id}"):
            doc = landing.doc()
            if find_form(doc, formcheck.POS_PERMISSIONS.form_id) is not None:
                return pages.parse_pos_permissions(doc)
        page = self._session.get(f"/employee/permissions/{employee_id}", step="read permissions")
        return pages.parse_pos_permissions(page.doc())

    def _save_pos_permissions(self, page: pages.PosPermissionsPage, template: Permission) -> None:
        step = "save POS permissions"
        known = {p.id for p in page.catalogue}
        grants = template.grant_ids & known
        overrides = template.override_ids & grants
        data = pages.pos_permissions_post(page, template, grants, overrides)
        formcheck.require(page.form, formcheck.POS_PERMISSIONS, step=step)
        unknown: BackofficeServerError | None = None
        try:
            result = self._session.post(
                "/employee/permissions/update", data, step=step, follow=False
            )
            check_write(result, expect_path="/employee", step=step, what="permission set")
        except BackofficeServerError as exc:
            if not outcome_unknown(exc):
                raise
            unknown = exc  # the read-back below decides
        employee = f"employee {page.employee_id} was created"
        with tenant_state(
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

    def _record_hire(
        self,
        employee_id: int,
        new: validation.NewEmployee,
        resolved: _Resolved,
        template: Permission,
        warnings: list[str],
    ) -> EmployeeCreated:
        """The result, also added to the caches in place (never re-download the roster)."""
        sites = resolved.every_site
        labor = resolved.wage_site or (resolved.sites[0] if resolved.sites else None)
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
            wage_site=labor.code if labor is not None else None,
            sites=tuple(s.name for s in sites),
            departments=tuple(d.name for d in resolved.departments),
            start_date=new.start_date,
            warnings=tuple(warnings),
            # As the employee list shows them: alphabetical, a code-less site not at all.
            site_codes=tuple(sorted((s.code for s in sites if s.code), key=str.casefold)),
        )
        self._caches.remember_employee(created.as_row(), new.email)
        return created

    # ------------------------------------------------------------ 6. linked Back Office user

    def _add_linked_user(
        self,
        created: EmployeeCreated,
        login: _BackofficeLogin,
        bo_template: Permission,
        resolved: _Resolved,
        report: Progress,
    ) -> EmployeeCreated:
        sites = resolved.every_site
        try:
            bo_user = self.users._create_bo_user(
                username=login.username,
                email=created.email,
                password=login.password,
                template=bo_template,
                site_ids=frozenset(s.id for s in sites) if resolved.sites else None,
                site_names=tuple(s.name for s in sites) if resolved.sites else "all",
                linked_employee_id=created.employee_id,
                first_name=created.first_name,
                last_name=created.last_name,
                progress=report,
            )
        except BackofficeError as exc:
            exc.state = f"employee {created.employee_id} was created with its permissions, but " + (
                (exc.state or "").removeprefix(f"{NOTHING_WRITTEN}: ")
                or "its Back Office user was not created"
            )
            raise
        return dataclasses.replace(
            created, backoffice_user=bo_user, warnings=(*created.warnings, *bo_user.warnings)
        )


def _wage_site(wanted: str | None, sites: list[Site] | None, every: Sequence[Site]) -> Site | None:
    """The labor site named by ``wanted``: one of the employee's ``sites`` (any of
    ``every`` site when they are None: all sites); None when none was named."""
    if wanted is None:
        return None
    among = sites if sites is not None else list(every)
    key = wanted.casefold()
    for site in among:
        if key in (site.name.casefold(), site.code.casefold()):
            return site
    chosen = ", ".join(s.code or s.name for s in among)
    raise UnknownNameError(
        f"wage_site {wanted!r} is not one of the employee's sites ({chosen})", field="wage_site"
    )


def _backoffice_login(
    requires_backoffice: object,
    username: str | None,
    password: str | None,
    permission: object,
) -> _BackofficeLogin | None:
    """Step 1 for the linked Back Office user: None when none is asked for."""
    if not isinstance(requires_backoffice, bool):
        raise ValidationError(
            "requires_backoffice must be True or False", field="requires_backoffice"
        )
    if not requires_backoffice and username is not None:
        # A username the caller gave would otherwise be dropped without a word.
        raise ValidationError(
            "backoffice_username was given but requires_backoffice is False: pass "
            "requires_backoffice=True to create the Back Office user",
            field="requires_backoffice",
        )
    if not requires_backoffice:
        return None
    if username is None:
        raise ValidationError(
            "backoffice_username is required when requires_backoffice=True",
            field="backoffice_username",
        )
    name = validation.username(username, field="backoffice_username")
    if not isinstance(permission, str) or not permission.strip():
        raise ValidationError(
            "backoffice_permission must name a Back Office template",
            field="backoffice_permission",
        )
    validation.printable(permission, field="backoffice_permission")
    secret = Secret(
        validation.password(password, field="backoffice_password")
        if password is not None
        else validation.generate_password()
    )
    return _BackofficeLogin(name, secret, permission)
