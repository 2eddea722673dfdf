"""Changing Back Office users: read one whole, disable or enable it, change its template
and accessible sites, reset its password; find the users linked to an employee.

Every write is a full round trip of a form exactly as a browser posts it: the user's
edit form (``GET /user/edit/<id>`` → ``POST /user/update``, which replaces the whole
user) or its permissions form. The edit form's toggles are inverted
(:mod:`~sonnys_tui.backoffice.user_pages`): ``user[isDeleted]`` checked = inactive, and
``user[changePassword]`` checked = keep the password, so every post but a password reset
sends it exactly as rendered. Each write is verified by reading the page back; a
dropped connection or a 5xx answer is reconciled by reading before anything else is
sent, and never sent blindly again.

The user list shows no link between a user and an employee: the link is on the user's
edit page (``user[employeeId]``). The users linked to an employee are found by the
server's own search of the user list by the employee's name (a linked user is listed
under its employee's name) plus what the client already knows (links read from edit
pages, the cached users with the employee's e-mail), each confirmed by its edit page.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from sonnys_tui.backoffice import formcheck, names, pages, user_pages, validation
from sonnys_tui.backoffice.core import (
    ALL_ROWS,
    Part,
    RecordPage,
    SiteChoice,
    answer_doc,
    check_employee_id,
    logger,
    outcome_unknown,
    rejection,
    tenant_state,
)
from sonnys_tui.backoffice.discovery import Discovery
from sonnys_tui.backoffice.errors import (
    NOTHING_WRITTEN,
    BackofficeError,
    BackofficeServerError,
    NotFoundError,
    ValidationError,
)
from sonnys_tui.backoffice.forms import FormData, serialize_form
from sonnys_tui.backoffice.models import (
    BackofficeAccess,
    BackofficePermissionsSet,
    BackofficeUser,
    BackofficeUserDisabled,
    BackofficeUserEnabled,
    BackofficeUserRow,
    PasswordReset,
    Permission,
    Secret,
)
from sonnys_tui.backoffice.session import Page
from sonnys_tui.backoffice.user_pages import UserEditPage
from sonnys_tui.backoffice.users import BackofficeUsers

_INACTIVE_EMPLOYEE_WORDS = ("related employee", "employee is active")
_RESET = "resetting its password"
_USER_EDIT = RecordPage(
    "/user/edit/{}",
    formcheck.USER_EDIT.form_id,
    user_pages.parse_user_edit,
    "no Back Office user with id {}",
)


@dataclass(frozen=True, slots=True)
class Person:
    """What finding an employee's Back Office users needs to know of the employee."""

    employee_id: int
    first_name: str
    last_name: str
    email: str


def _who(edit: UserEditPage) -> str:
    return f"Back Office user {edit.username} ({edit.user_id})"


def _same_name(row: BackofficeUserRow, person: Person) -> bool:
    def key(text: str) -> str:
        return " ".join(text.split()).casefold()

    return (key(row.first_name), key(row.last_name)) == (
        key(person.first_name),
        key(person.last_name),
    )


@dataclass(eq=False)
class BackofficeAccounts(Part):
    """The Back Office user changes of :class:`SonnysBackofficeClient`."""

    reads: Discovery
    users: BackofficeUsers

    # ------------------------------------------------------------ reads

    def get_backoffice_user(
        self,
        *,
        user_id: int | None = None,
        username: str | None = None,
        employee_id: int | None = None,
        pos_user_id: int | None = None,
    ) -> BackofficeUser:
        """One Back Office user, whole: username, e-mail, linked employee, active, the
        template it matches and its accessible sites. Give exactly one key: the user's
        ``user_id`` or ``username``, or the linked employee's ``employee_id`` or
        ``pos_user_id`` (an employee with several users is an error that lists them:
        ask by ``user_id``).

        Costs 2 requests (the edit page and the permissions page), plus the user list
        for a ``username`` the client has not listed yet, or for an employee the
        search of its users (:meth:`linked_backoffice_users`).

        Raises :class:`NotFoundError` when no user matches, :class:`ValidationError`
        for a bad key or an employee with several users.
        """
        validation.exactly_one(
            user_id=user_id, username=username, employee_id=employee_id, pos_user_id=pos_user_id
        )
        step = "read Back Office user"
        if employee_id is not None or pos_user_id is not None:
            person = self._person(pos_user_id, employee_id, step=step)
            linked = self._linked_edit_pages(person, step=step)
            if not linked:
                raise NotFoundError(
                    f"employee {person.employee_id} has no Back Office user", step=step
                )
            if len(linked) > 1:
                listed = ", ".join(f"{e.username} (user_id={e.user_id})" for e in linked)
                raise ValidationError(
                    f"employee {person.employee_id} has {len(linked)} Back Office users: "
                    f"{listed}; ask for one by user_id",
                    field="employee_id" if employee_id is not None else "pos_user_id",
                )
            edit = linked[0]
        else:
            edit = self._user_edit_page(self._user_id(user_id, username), step=step)
        access = self._user_access(edit.user_id, step=step)
        return BackofficeUser(**self._user_fields(edit), active=edit.active, access=access)

    def linked_backoffice_users(
        self, *, employee_id: int | None = None, pos_user_id: int | None = None
    ) -> list[BackofficeUserRow]:
        """Every Back Office user linked to the employee (active or not), as the user
        list shows them, each confirmed by its edit page: what an offboarding would
        close. Costs the employee's edit page (none when the roster is cached), one
        search of the user list by the employee's name, and one edit page per user
        found (a same-named user linked elsewhere is read once and then known)."""
        validation.exactly_one(employee_id=employee_id, pos_user_id=pos_user_id)
        step = "find linked Back Office users"
        person = self._person(pos_user_id, employee_id, step=step)
        return [self._row_of(edit) for edit in self._linked_edit_pages(person, step=step)]

    def _person(self, pos_user_id: int | None, employee_id: int | None, *, step: str) -> Person:
        if employee_id is not None:
            check_employee_id(employee_id)
        if pos_user_id is not None:
            validation.pos_user_id(pos_user_id)
        roster = self._caches.roster.peek() or {}
        internal = employee_id or next(
            (row.employee_id for row in roster.values() if row.pos_user_id == pos_user_id), None
        )
        row = roster.get(internal) if internal is not None else None
        if row is not None and internal is not None:
            email = self._caches.read_emails().get(internal, "")
            if not email:
                email = next(
                    (
                        e.email
                        for e in self._caches.linkable.peek() or ()
                        if e.employee_id == internal
                    ),
                    "",
                )
            return Person(internal, row.first_name, row.last_name, email)
        internal = internal or self.reads._resolve_employee_id(pos_user_id, None, None)
        record = self.reads._edit_page(internal, step=step).record
        return Person(record.employee_id, record.first_name, record.last_name, record.email)

    def _linked_edit_pages(self, person: Person, *, step: str) -> list[UserEditPage]:
        """The edit pages of every user linked to ``person`` (their link read there)."""
        found: list[UserEditPage] = []
        for user_id in sorted(self._login_candidates(person, step=step)):
            try:
                edit = self._user_edit_page(user_id, step=step)
            except NotFoundError:
                continue  # listed a moment ago, gone now
            if edit.employee_id == person.employee_id:
                found.append(edit)
        return found

    def _login_candidates(self, person: Person, *, step: str) -> set[int]:
        links = self._caches.user_links()
        found = {user for user, employee in links.items() if employee == person.employee_id}
        if person.first_name or person.last_name:
            # Fresh from the server: a login made since the list was cached is found too.
            rows = self._search_users(person.first_name, person.last_name, step=step)
            found |= {row.user_id for row in rows if _same_name(row, person)}
        email = person.email.strip().casefold()
        if email:
            cached = self._caches.bo_users.peek() or {}
            found |= {u.user_id for u in cached.values() if u.email.strip().casefold() == email}
        # A user whose edit page showed another link (or none) is not read again.
        return {user for user in found if links.get(user, person.employee_id) == person.employee_id}

    def _search_users(self, first: str, last: str, *, step: str) -> list[BackofficeUserRow]:
        """The user list filtered on the server (every status), pager followed; the rows
        found refresh the cached list."""
        params: dict[str, str | int] = {"statusSearch": "all", "limit": ALL_ROWS}
        if first:
            params["firstNameSearch"] = first
        if last:
            params["lastNameSearch"] = last
        rows = self.reads._user_list(params, step=step)
        for row in rows.values():
            self._caches.remember_bo_user(row)
        return list(rows.values())

    def _user_id(self, user_id: int | None, username: str | None) -> int:
        if user_id is not None:
            if isinstance(user_id, bool) or not isinstance(user_id, int) or user_id < 1:
                raise ValidationError("user_id must be a positive whole number", field="user_id")
            return user_id
        name = validation.username(username).casefold()
        for refresh in (False, True):  # a user made since the list was cached: read it again
            users = self.reads._bo_users(refresh)
            match = [u.user_id for u in users.values() if u.username.casefold() == name]
            if match:
                return match[0]
        raise NotFoundError(f"no Back Office user is named {username}", field="username")

    def _user_edit_page(self, user_id: int, *, step: str) -> UserEditPage:
        """A user's edit page; the link it shows is remembered."""
        edit = self._form_page(_USER_EDIT, user_id, step=step)
        if edit.user_id != user_id:
            raise BackofficeServerError(
                f"the edit page of user {user_id} shows user {edit.user_id}", step=step
            )
        self._caches.learn_link(user_id, edit.employee_id)
        return edit

    def _user_access(self, user_id: int, *, step: str) -> BackofficeAccess:
        page = self._session.get(f"/user/permissions/{user_id}", step=step)
        return self._access_of(pages.parse_user_permissions(page.doc()))

    def _access_of(self, page: pages.UserPermissionsPage) -> BackofficeAccess:
        templates = tuple(self.reads.list_permissions(scope="backoffice"))
        return user_pages.access_of(page, templates, ())

    def _row_of(self, edit: UserEditPage) -> BackofficeUserRow:
        """The user as the user list shows it, from the cached row and the edit page."""
        cached = (self._caches.bo_users.peek() or {}).get(edit.user_id)
        if cached is not None:
            return dataclasses.replace(
                cached, username=edit.username, email=edit.email, active=edit.active
            )
        first, last, phone = edit.first_name, edit.last_name, ""
        if edit.employee_id is not None:
            first, last = self.users._linked_names(edit.employee_id)
            roster_row = (self._caches.roster.peek() or {}).get(edit.employee_id)
            phone = roster_row.phone if roster_row is not None else ""
        if not (first or last):
            first, _space, last = edit.full_name.partition(" ")
        return BackofficeUserRow(
            edit.user_id, first, last, edit.username, phone, edit.email, edit.active
        )

    # ------------------------------------------------------------ status

    def disable_backoffice_user(
        self, *, user_id: int | None = None, username: str | None = None
    ) -> BackofficeUserDisabled:
        """Make a Back Office user inactive (it can no longer log in), by a full round
        trip of its edit form with ``user[isDeleted]`` on and the password kept; verified
        by reading the edit page back. 3 requests (form, update, verify), plus the user
        list for a ``username`` not listed yet. Already inactive: nothing is written,
        ``already=True``. The user this client logs in as is refused."""
        return self._disabled(*self._set_user_active(False, user_id, username))

    def enable_backoffice_user(
        self, *, user_id: int | None = None, username: str | None = None
    ) -> BackofficeUserEnabled:
        """Make a Back Office user active again (mirror of
        :meth:`disable_backoffice_user`). A user linked to an inactive employee cannot be
        re-enabled (the server refuses it): enable the employee first, or use
        :meth:`reinstate_employee`. Its template and sites are as they were."""
        return self._enabled(*self._set_user_active(True, user_id, username))

    def _set_user_active(
        self, active: bool, user_id: int | None, username: str | None
    ) -> tuple[UserEditPage, bool]:
        """Read the user of exactly one key and write its status (:meth:`_write_user_status`)."""
        validation.exactly_one(user_id=user_id, username=username)
        verb = "enable" if active else "disable"
        with tenant_state(f"{NOTHING_WRITTEN}: the Back Office user was not {verb}d"):
            edit = self._user_edit_page(
                self._user_id(user_id, username), step=f"{verb} Back Office user"
            )
        return self._write_user_status(edit, active=active)

    def _user_fields(self, after: UserEditPage) -> dict[str, Any]:
        """What a user's record and both status results say of it: its edit page (read
        back), and the list's names and phone (the edit page shows neither for a linked
        user)."""
        row = self._row_of(after)
        return {
            "user_id": after.user_id,
            "username": after.username,
            "email": after.email,
            "first_name": row.first_name,
            "last_name": row.last_name,
            "phone": row.phone,
            "employee_id": after.employee_id,
        }

    def _enabled(self, after: UserEditPage, already: bool) -> BackofficeUserEnabled:
        return BackofficeUserEnabled(
            **self._user_fields(after), enabled_at=datetime.now(UTC), already=already
        )

    def _disabled(self, after: UserEditPage, already: bool) -> BackofficeUserDisabled:
        return BackofficeUserDisabled(
            **self._user_fields(after), disabled_at=datetime.now(UTC), already=already
        )

    def is_own_login(self, username: str) -> bool:
        """True for the login this client itself uses (the one every script needs)."""
        return username.strip().casefold() == self.core.username.strip().casefold()

    def _refuse_own_login(
        self, who: str, username: str, *, doing: str = "disabling it", undone: str = "disabled"
    ) -> None:
        """The client's own login is never disabled nor given a new password: either
        would lock out the client and every script that uses the same login."""
        if self.is_own_login(username):
            raise ValidationError(
                f"{who} is the login this client uses: {doing} would lock the client out "
                "(and every script that logs in as it)",
                field="username",
                state=f"{NOTHING_WRITTEN}: {who} was not {undone}",
            )

    def _refuse_own_password(self, user_id: int | None, username: str | None) -> None:
        """Refused before any request when the login is known by name (given, or the
        cached list's row of ``user_id``)."""
        if username is not None:
            self._refuse_own_login(
                f"Back Office user {username}", username, doing=_RESET, undone="changed"
            )
        row = (self._caches.bo_users.peek() or {}).get(user_id) if user_id is not None else None
        if row is not None:
            self._refuse_own_login(
                f"Back Office user {row.username} ({row.user_id})",
                row.username,
                doing=_RESET,
                undone="changed",
            )

    def _write_user_status(self, edit: UserEditPage, *, active: bool) -> tuple[UserEditPage, bool]:
        """Post ``edit`` back with the status set; the page read back, and whether it was
        already so (nothing written)."""
        verb = "enable" if active else "disable"
        step = f"{verb} Back Office user"
        who = _who(edit)
        not_done = f"{NOTHING_WRITTEN}: {who} was not {verb}d"
        if edit.active == active:
            return edit, True
        if not active:
            self._refuse_own_login(who, edit.username)
        # No check of the linked employee's status from the cached roster: it may be
        # stale. The server refuses a re-enable it does not allow, and the refusal is
        # explained (_explained).
        formcheck.require(edit.form, formcheck.USER_EDIT, step=step)
        data = user_pages.user_status_post(edit, active=active)
        unknown = self._post_user(
            edit, data, step=step, what="Back Office user status", not_done=not_done
        )
        if unknown is not None:
            with tenant_state(f"whether {who} was {verb}d is unknown: read it before retrying"):
                now = self._user_edit_page(edit.user_id, step=step)
            if now.active != active:
                unknown.state = not_done
                raise unknown
            logger.debug("Back Office user %s outcome reconciled: it took effect", verb)
        with tenant_state(f"{who} was {verb}d (the server accepted it) but reading back failed"):
            after = self._user_edit_page(edit.user_id, step=f"verify {verb} Back Office user")
        if after.active != active:
            raise BackofficeServerError(
                f"{who} is still {'inactive' if active else 'active'} after the {verb} was "
                "accepted (the form may have changed)",
                step=step,
                state=not_done,
            )
        self._check_unchanged(edit, after, step=step, done=f"{who} was {verb}d")
        self._caches.remember_bo_user(self._row_of(after))
        return after, False

    def _post_user(
        self, edit: UserEditPage, data: FormData, *, step: str, what: str, not_done: str
    ) -> BackofficeServerError | None:
        """POST ``edit``'s form with ``data``: None when the server accepted it, the error
        when its outcome is unknown (for the caller to reconcile); a refusal is raised,
        explained, with the state ``not_done``."""
        try:
            result = self._session.post("/user/update", data, step=step, follow=False)
            self._check_user_update(result, edit, step=step, what=what)
        except BackofficeError as exc:
            if not isinstance(exc, BackofficeServerError) or not outcome_unknown(exc):
                raise self._explained(exc, edit, not_done) from None
            return exc
        return None

    @staticmethod
    def _check_user_update(page: Page, edit: UserEditPage, *, step: str, what: str) -> None:
        """Accepted: a redirect to the user list or to the user's edit page, no red alert."""
        location = urlsplit(page.first_redirect or "").path.rstrip("/")
        accepted = location in ("/user", f"/user/edit/{edit.user_id}")
        doc = answer_doc(page)
        if not accepted or (doc is not None and pages.parse_alerts(doc).danger):
            raise rejection(page, step=step, what=what)

    @staticmethod
    def _explained(exc: BackofficeError, edit: UserEditPage, state: str) -> BackofficeError:
        """A refused update, with the state; the inactive-employee refusal says what to do."""
        exc.state = state
        lowered = exc.message.casefold()
        if (
            isinstance(exc, ValidationError)
            and edit.employee_id is not None
            and any(words in lowered for words in _INACTIVE_EMPLOYEE_WORDS)
        ):
            return ValidationError(
                f"{exc.message} ({_who(edit)} is linked to employee {edit.employee_id}, which "
                "is inactive: enable the employee first, e.g. with reinstate_employee)",
                field=exc.field,
                step=exc.step,
                state=state,
            )
        return exc

    @staticmethod
    def _check_unchanged(
        before: UserEditPage, after: UserEditPage, *, step: str, done: str
    ) -> None:
        """The round trip must change nothing but what it set."""
        moved = [
            name
            for name in ("username", "email", "employee_id", "universal_site_access")
            if getattr(before, name) != getattr(after, name)
        ]
        if moved:
            raise BackofficeServerError(
                f"{', '.join(moved)} changed in the round trip (the form may have changed)",
                step=step,
                state=f"{done}, but its {', '.join(moved)} changed: check /user/edit/"
                f"{after.user_id}",
            )

    # ------------------------------------------------------------ password

    def reset_backoffice_password(
        self,
        *,
        user_id: int | None = None,
        username: str | None = None,
        password: str | None = None,
    ) -> PasswordReset:
        """Give a Back Office user a new password: ``password``, or a generated strong
        one (16 characters from :mod:`secrets`), returned as a :class:`Secret`. A full
        round trip of the edit form with "Change Password" switched on and the password
        typed twice; 3 requests (form, update, read-back). A password cannot be read
        back, so the check is the server's acceptance and the rest of the user reading
        back unchanged. When the outcome is unknown (a dropped connection), nothing is
        re-sent: reset it again (a new password)."""
        validation.exactly_one(user_id=user_id, username=username)
        secret = Secret(
            validation.password(password)
            if password is not None
            else validation.generate_password()
        )
        del password  # a traceback printed with its locals must not show it
        step = "reset Back Office password"
        self._refuse_own_password(user_id, username)
        with tenant_state(f"{NOTHING_WRITTEN}: the password was not changed"):
            edit = self._user_edit_page(self._user_id(user_id, username), step=step)
        who = _who(edit)
        self._refuse_own_login(who, edit.username, doing=_RESET, undone="changed")
        not_done = f"{NOTHING_WRITTEN}: the password of {who} was not changed"
        formcheck.require(edit.form, formcheck.USER_EDIT, step=step)
        data = user_pages.user_password_post(edit, secret)
        unknown = self._post_user(edit, data, step=step, what="password", not_done=not_done)
        if unknown is not None:
            unknown.state = (
                f"whether the password of {who} was changed is unknown (a password cannot be "
                "read back): reset it again"
            )
            raise unknown
        with tenant_state(f"the password of {who} was changed but reading the user back failed"):
            after = self._user_edit_page(edit.user_id, step="verify password reset")
        done = f"the password of {who} was changed"
        if after.active != edit.active:
            raise BackofficeServerError(
                "the user's status changed in the round trip", step=step, state=done
            )
        self._check_unchanged(edit, after, step=step, done=done)
        return PasswordReset(
            user_id=after.user_id,
            username=after.username,
            password=secret,
            reset_at=datetime.now(UTC),
        )

    # ------------------------------------------------------------ template and sites

    def set_backoffice_permissions(
        self,
        *,
        user_id: int | None = None,
        username: str | None = None,
        template: str | None = None,
        sites: SiteChoice | None = None,
    ) -> BackofficePermissionsSet:
        """Change a Back Office user's template (its permission tokens) and accessible
        sites on its permissions page, the same form as on creation; verified by the
        page the save lands on. ``template`` names a Back Office template (short name or
        description, any case); ``sites`` is a list of site names or short codes, or
        ``"all"``; leave one out (None) to keep it as it is. Already so: nothing is
        written, ``already=True``. 3 requests (page, save, its landing = the read-back).
        """
        validation.exactly_one(user_id=user_id, username=username)
        if template is None and sites is None:
            raise ValidationError("give a template, sites or both", field="template")
        site_names = validation.site_choice(sites, field="sites") if sites is not None else None
        step = "set Back Office permissions"
        with tenant_state(f"{NOTHING_WRITTEN}: the permissions were not changed"):
            chosen = self._template_named(template) if template is not None else None
            wanted_sites = (
                names.resolve_sites(site_names, self.reads.list_sites(), field="sites")
                if site_names is not None
                else None
            )
            uid = self._user_id(user_id, username)
            landing = self._session.get(f"/user/permissions/{uid}", step=step)
            page = pages.parse_user_permissions(landing.doc())
            current = self._access_of(page)
        username_now = self._username_of(uid)
        if sites is None:
            site_ids = None if current.all_sites else current.site_ids
        else:
            site_ids = None if wanted_sites is None else frozenset(s.id for s in wanted_sites)
        if chosen is None:
            form_template = serialize_form(page.form).get("template") or ""
            chosen = Permission(
                scope="backoffice", id=form_template, name=current.template, tokens=page.enabled
            )
        tokens = chosen.tokens & frozenset(page.tokens)
        same_sites = (site_ids is None and current.all_sites) or (
            site_ids is not None and not current.all_sites and site_ids == current.site_ids
        )
        shown_sites: tuple[str, ...] | Literal["all"] = (
            "all"
            if site_ids is None
            else tuple(site.name for site in page.tree.sites if site.id in site_ids)
        )
        if tokens == page.enabled and same_sites:
            return BackofficePermissionsSet(
                uid, username_now, current.template, shown_sites, current, already=True
            )
        check = self.users._apply_bo_permissions(uid, landing, chosen, site_ids)
        access = self._access_of(check)
        return BackofficePermissionsSet(uid, username_now, access.template, shown_sites, access)

    def _template_named(self, template: str) -> Permission:
        try:
            return self.reads._resolve_bo_template(template)
        except ValidationError as exc:
            exc.field = "template"
            raise

    def _username_of(self, user_id: int) -> str:
        row = (self._caches.bo_users.peek() or {}).get(user_id)
        return row.username if row is not None else ""
