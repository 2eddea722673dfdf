"""Creating Back Office users: standalone, or linked to an employee (a hire with a
Back Office login goes through here too), with their template and site access."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Literal

from sonnys_tui.backoffice import formcheck, names, pages, validation
from sonnys_tui.backoffice.core import (
    SAVED_UNVERIFIED,
    Insert,
    Part,
    Progress,
    SiteChoice,
    check_write,
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
    ValidationError,
)
from sonnys_tui.backoffice.forms import FormData, find_form
from sonnys_tui.backoffice.models import (
    BackofficeUserCreated,
    BackofficeUserRow,
    Permission,
    Secret,
)
from sonnys_tui.backoffice.session import Page

_USER_INSERT = Insert(
    "/user/insert",
    "/user/permissions/",
    "Back Office user",
    "whether Back Office user {} was created is unknown: look it up before trying again",
    f"{NOTHING_WRITTEN}: the Back Office user was not created",
    f"{NOTHING_WRITTEN}: the Back Office user was not created",
)


@dataclass(eq=False)
class BackofficeUsers(Part):
    """The Back Office user operations of :class:`SonnysBackofficeClient`."""

    reads: Discovery

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
        report = progress or no_progress
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

        with tenant_state(f"{NOTHING_WRITTEN}: the Back Office user was not created"):
            report("Resolving template and sites")
            template = self.reads._resolve_bo_template(permission)
            wanted = names.resolve_sites(
                site_names, self.reads.list_sites(), field="available_sites"
            )
            employee_id: int | None = None
            if linked:
                if link_to_employee_pos_user_id is not None:
                    pos_id = _as_pos_id(link_to_employee_pos_user_id)
                    employee_id = self.reads._resolve_employee_id(
                        pos_id, None, None, prefix="link_to_employee_"
                    )
                else:
                    employee_id = self.reads._resolve_employee_id(
                        None, link_to_employee_email, None, prefix="link_to_employee_"
                    )
            report("Checking for duplicates")
            if self.reads._username_taken(name):
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
        if self.reads.is_email_available(email):
            return True
        if employee_id is None:
            return False
        wanted = email.casefold()
        own = any(
            e.employee_id == employee_id and e.email.casefold() == wanted
            for e in self.reads._linkable_employees(refresh=False)
        )
        in_users = any(u.email.casefold() == wanted for u in self.reads.list_backoffice_users())
        # An edit page read earlier may show another (say inactive) employee with it.
        elsewhere = any(
            other != employee_id and read == wanted
            for other, read in self._caches.read_emails().items()
        )
        return own and not in_users and not elsewhere

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
        with tenant_state(f"{NOTHING_WRITTEN}: the Back Office user was not created"):
            form = pages.parse_user_create(self._session.get("/user/create", step=step).doc())
            formcheck.require(form.form, formcheck.USER_CREATE, step=step)
        data = form.serialize()
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
        user_id, landing = self._insert_bo_user(data, username, linked_employee_id)
        if first_name == "" and linked_employee_id is not None:
            first_name, last_name = self._linked_names(linked_employee_id)
        self._caches.remember_bo_user(
            BackofficeUserRow(user_id, first_name, last_name, username, "", email, True)
        )
        self._caches.learn_link(user_id, linked_employee_id)

        progress("Applying Back Office permissions")
        warnings: list[str] = []
        applied = True
        try:
            self._apply_bo_permissions(user_id, landing, template, site_ids)
        except BackofficeError as exc:
            applied = False
            outcome = (
                "were saved but could not be read back to verify them"
                if exc.state == SAVED_UNVERIFIED
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
        self, data: FormData, username: str, linked_employee_id: int | None
    ) -> tuple[int, Page | None]:
        """POST the user form once (:meth:`_insert_once`), reconciled by username."""
        try:
            return self._insert_once(_USER_INSERT, data, username, partial(self._named, username))
        except ValidationError as error:
            if linked_employee_id is None:
                raise
            # e.g. "…make sure that the related employee is active…"
            raise BackofficeServerError(error.message, step=error.step, state=error.state) from None

    def _named(self, username: str) -> int | None:
        """The id of the user named ``username`` (any case), if the server has one."""
        users = self.reads.list_backoffice_users(refresh=True)
        match = [u for u in users if u.username.casefold() == username.casefold()]
        return match[0].user_id if match else None

    def _linked_names(self, employee_id: int) -> tuple[str, str]:
        roster = self._caches.roster.peek()
        if roster is not None and employee_id in roster:
            row = roster[employee_id]
            return row.first_name, row.last_name
        for employee in self._caches.linkable.peek() or ():
            if employee.employee_id == employee_id:
                return employee.first_name, employee.last_name
        return "", ""

    def _apply_bo_permissions(
        self,
        user_id: int,
        landing: Page | None,
        template: Permission,
        site_ids: frozenset[int] | None,
    ) -> pages.UserPermissionsPage:
        """Post ``template``'s tokens and ``site_ids`` (None: every site) on the user's
        permissions page (``landing`` when it is that page), verified; the page read back."""
        step = "save Back Office permissions"
        doc = landing.doc() if landing is not None else None
        if doc is None or find_form(doc, formcheck.USER_PERMISSIONS.form_id) is None:
            doc = self._session.get(f"/user/permissions/{user_id}", step=step).doc()
        page = pages.parse_user_permissions(doc)
        formcheck.require(page.form, formcheck.USER_PERMISSIONS, step=step, tree=page.tree)
        data = pages.user_permissions_post(page, template, site_ids)
        landed: Page | None = None
        unknown: BackofficeServerError | None = None
        try:
            landed = self._session.post("/user/permissions/update", data, step=step)
            check_write(
                landed,
                expect_path=f"/user/permissions/{user_id}",
                step=step,
                what="Back Office permission set",
            )
        except BackofficeServerError as exc:
            if not outcome_unknown(exc):
                exc.state = (
                    exc.state or f"{NOTHING_WRITTEN}: the Back Office permission set was not saved"
                )
                raise
            landed, unknown = None, exc  # the read-back decides
        # The success redirect lands on this user's permissions page: it is the read-back.
        with tenant_state(
            SAVED_UNVERIFIED if unknown is None else "whether they were saved is unknown"
        ):
            landed_doc = landed.doc() if landed is not None else None
            if (
                landed_doc is None
                or find_form(landed_doc, formcheck.USER_PERMISSIONS.form_id) is None
            ):
                landed_doc = self._session.get(f"/user/permissions/{user_id}", step=step).doc()
            check = pages.parse_user_permissions(landed_doc)
            if check.user_id != user_id:
                doc = self._session.get(f"/user/permissions/{user_id}", step=step).doc()
                check = pages.parse_user_permissions(doc)
        wanted_tokens = template.tokens & set(page.tokens)
        wanted_sites = site_ids if site_ids is not None else page.tree.site_ids
        if check.enabled != wanted_tokens or check.site_ids != wanted_sites:
            if unknown is not None:
                unknown.state = f"{NOTHING_WRITTEN}: the Back Office permission set was not saved"
                raise unknown
            raise BackofficeServerError(
                "the saved permissions differ from the template after saving",
                step=step,
                state=(
                    "the server accepted them but reads back other permissions: check "
                    f"/user/permissions/{user_id}"
                ),
            )
        return check


def _as_pos_id(value: int | str) -> int:
    field = "link_to_employee_pos_user_id"
    if isinstance(value, str):
        validation.printable(value, field=field)
    if isinstance(value, str) and value.strip().isdigit():
        return validation.pos_user_id(int(value.strip()), field=field)
    return validation.pos_user_id(value, field=field)
