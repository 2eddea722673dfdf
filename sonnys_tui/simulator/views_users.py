"""Back Office user pages: list, create/insert, edit/update, permissions."""

from __future__ import annotations

import dataclasses
import functools
import re

from werkzeug.wrappers import Response

from . import catalog
from .alerts import Alert
from .context import App, Ctx, Routes, found
from .phpform import children, present, to_int, value
from .sites import tree_view, user_sites
from .store import BoUser, Employee, Store

ROUTES = Routes()

USERNAME_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_]{2,63}")
INACTIVE_EMPLOYEE = (
    "Unable to save the user information. Please make sure that the related employee is active "
    "and try again."
)
NO_SITE = "Accessible Sites requires no less than 1 valid selection."
PAGE_SIZE = 25


@ROUTES.on("GET", "/user", "/user/<int:page>")
def user_list(app: App, ctx: Ctx, page: int = 1) -> Response:
    q = ctx.query
    wanted = {
        "first_name": value(q, "firstNameSearch").strip().casefold(),
        "last_name": value(q, "lastNameSearch").strip().casefold(),
        "username": value(q, "userNameSearch").strip().casefold(),
        "email": value(q, "emailSearch").strip().casefold(),
    }
    status = value(q, "statusSearch") or "all"
    users = []
    for user in map(functools.partial(_as_listed, app.store), app.store.users.values()):
        if (status == "active" and not user.active) or (status == "inactive" and user.active):
            continue
        if any(
            text and text not in getattr(user, attr).casefold() for attr, text in wanted.items()
        ):
            continue
        users.append(user)
    sort_type = "active" if value(q, "sort_type") == "active" else "username"
    sort_dir = -1 if value(q, "sort_dir") == "-1" else 1
    if sort_type == "active":
        users.sort(
            key=lambda u: (not u.active, u.username.casefold(), u.id), reverse=sort_dir == -1
        )
    else:
        users.sort(key=lambda u: (u.username.casefold(), u.id), reverse=sort_dir == -1)
    pages = max(1, -(-len(users) // PAGE_SIZE))
    keep = [("sort_type", sort_type), ("sort_dir", str(sort_dir)), ("statusSearch", status)]
    for name in ("firstNameSearch", "lastNameSearch", "userNameSearch", "emailSearch"):
        if value(q, name):
            keep.append((name, value(q, name)))
    return app.render(
        ctx, "user_list.html", title="Back Office Users",
        users=users[(page - 1) * PAGE_SIZE : page * PAGE_SIZE], page=page, pages=pages,
        query=keep, status_filter=status, sort_type=sort_type, sort_dir=sort_dir,
        filters={k: value(q, k) for k in ("firstNameSearch", "lastNameSearch", "userNameSearch",
                                          "emailSearch")},
    )  # fmt: skip


def _as_listed(store: Store, user: BoUser) -> BoUser:
    """The user as the list shows it: a linked user's name and phone are its employee's
    (one person record), so they follow an employee's edit."""
    employee = store.employees.get(user.employee_id) if user.employee_id is not None else None
    if employee is None:
        return user
    return dataclasses.replace(
        user, first_name=employee.first_name, last_name=employee.last_name, phone=employee.phone
    )


def _active_employees(store: Store) -> list[Employee]:
    return sorted(
        (e for e in store.employees.values() if e.active),
        key=lambda e: (e.first_name.casefold(), e.last_name.casefold(), e.id),
    )


@ROUTES.on("GET", "/user/create")
def user_create(app: App, ctx: Ctx) -> Response:
    return app.render(
        ctx, "user_create.html", title="Create Back Office User",
        employees=_active_employees(app.store),
    )  # fmt: skip


def _credentials_error(app: App, username: str, password: str, confirm: str) -> str | None:
    if not USERNAME_PATTERN.fullmatch(username):
        return (
            "The username must start with a letter and contain 3 to 64 letters, digits "
            "or underscores."
        )
    if len(password) < 8:
        return "The password must be at least 8 characters long."
    if password != confirm:
        return "The passwords do not match."
    return None


@ROUTES.on("POST", "/user/insert")
def user_insert(app: App, ctx: Ctx) -> Response:
    store = app.store
    form = ctx.form
    linked = present(form, "employee", "isOnSiteEmployee")
    email = value(form, "employee", "email").strip()
    username = value(form, "user", "username")
    password = value(form, "user", "password")
    typed = {"email": value(form, "employee", "email"), "username": username}
    employee = None
    error: str | None = None
    first = value(form, "employee", "firstName")
    last = value(form, "employee", "lastName")
    if linked:
        employee = store.employees.get(to_int(value(form, "user", "employeeId")) or -1)
        if employee is None:
            error = "Please select an employee."
        elif not employee.active:
            error = INACTIVE_EMPLOYEE
        else:
            # A linked user takes the employee's name and (when it has one) e-mail.
            first, last = employee.first_name, employee.last_name
            email = employee.email.strip() or email
    elif not (2 <= len(first.strip()) <= 64 and 2 <= len(last.strip()) <= 64):
        error = "First and last name must be between 2 and 64 characters."
    if error is None and not email:
        error = "The email is required."
    if error is None:
        error = _credentials_error(app, username, password, value(form, "user", "confirmPassword"))
    if error is None and store.user_by_username(username) is not None:
        error = app.duplicate("username", username)
    if error is None and store.email_taken(
        email, except_employee=employee.id if employee else None
    ):
        error = app.duplicate("email", email)
    if error is not None:
        return app.redirect_with_alert(ctx, "/user/create", Alert("danger", error), typed)
    user = store.add_user(
        BoUser(
            id=store.next_user_id(), username=username, email=email, password=password,
            employee_id=employee.id if employee else None, first_name=first, last_name=last,
            phone=employee.phone if employee else "",
        )
    )  # fmt: skip
    return app.redirect(f"/user/permissions/{user.id}?userIsNew=1")


@ROUTES.on("GET", "/user/edit/<int:user_id>")
def user_edit(app: App, ctx: Ctx, user_id: int) -> Response:
    user = found(app.store.users, user_id, "User not found")
    shown = _as_listed(app.store, user)
    return app.render(
        ctx, "user_edit.html", title="Edit Back Office User", user=user,
        full_name=f"{shown.first_name} {shown.last_name}".strip(),
    )  # fmt: skip


@ROUTES.on("POST", "/user/update")
def user_update(app: App, ctx: Ctx) -> Response:
    """Full replace of the edit form, with its inverted boxes: ``user[changePassword]``
    present = keep the password (the toggle reads "No"), absent = set the posted one
    (``settings.unchecked_change_password``: validated, or stored even when empty);
    ``user[isDeleted]`` present = inactive. A user linked to an inactive employee cannot
    be left active (``settings.inactive_employee_user_save``)."""
    store = app.store
    settings = app.settings
    form = ctx.form
    user = store.users.get(to_int(value(form, "user", "userId")) or -1)
    if user is None:
        return app.redirect_with_alert(ctx, "/user", Alert("danger", "User not found."))
    username = value(form, "user", "username")
    email = value(form, "employee", "email").strip()
    keep_password = present(form, "user", "changePassword")
    password = value(form, "user", "password")
    active = not present(form, "user", "isDeleted")
    employee = store.employees.get(user.employee_id) if user.employee_id is not None else None
    error: str | None = None
    if not email:
        error = "The email is required."
    elif not USERNAME_PATTERN.fullmatch(username):
        error = _credentials_error(app, username, "x" * 8, "x" * 8)
    elif not keep_password and settings.unchecked_change_password == "validate":
        error = _credentials_error(app, username, password, value(form, "user", "confirmPassword"))
    if error is None and employee is not None and not employee.active:
        rule = settings.inactive_employee_user_save
        if rule == "any" or (rule == "reactivate" and active):
            error = INACTIVE_EMPLOYEE
    if error is None:
        other = store.user_by_username(username)
        if other is not None and other.id != user.id:
            error = app.duplicate("username", username)
    if error is None and store.email_taken(
        email, except_user=user.id, except_employee=user.employee_id
    ):
        error = app.duplicate("email", email)
    if error is not None:
        return app.redirect_with_alert(ctx, f"/user/edit/{user.id}", Alert("danger", error))
    user.username = username
    user.email = email
    if not keep_password:
        user.password = password
    if user.employee_id is None:
        user.first_name = value(form, "employee", "firstName")
        user.last_name = value(form, "employee", "lastName")
    user.active = active
    user.all_sites = present(form, "universalSiteAccess")
    app.flash(ctx, Alert("success", f"{user.username} was updated successfully."))
    if settings.user_update_redirect == "edit":
        return app.redirect(f"/user/edit/{user.id}")
    return app.redirect("/user")


@ROUTES.on("GET", "/user/permissions/<int:user_id>")
def user_permissions(app: App, ctx: Ctx, user_id: int) -> Response:
    store = app.store
    user = found(store.users, user_id, "User not found")
    available = set(store.sites) if user.all_sites else user.site_ids
    groups: dict[str, list[tuple[int, str, str]]] = {}
    for index, token in enumerate(store.bo_tokens):
        groups.setdefault(catalog.bo_token_group(token), []).append(
            (index, token, catalog.bo_token_label(token))
        )
    return app.render(
        ctx, "user_permissions.html", title=f"{user.first_name} {user.last_name} Permissions",
        user=user, user_is_new=value(ctx.query, "userIsNew"),
        tree=tree_view(store, available, all_allowed=user.all_sites),
        templates=sorted(store.bo_templates.values(), key=lambda t: t.id), groups=groups,
    )  # fmt: skip


@ROUTES.on("POST", "/user/permissions/update")
def user_permissions_update(app: App, ctx: Ctx) -> Response:
    store = app.store
    form = ctx.form
    user = store.users.get(to_int(value(form, "userId")) or -1)
    if user is None:
        return app.redirect_with_alert(ctx, "/user", Alert("danger", "User not found."))
    is_new = value(form, "userIsNew")
    all_sites, site_ids = user_sites(store, form)
    if not site_ids:
        return app.redirect_with_alert(
            ctx, f"/user/permissions/{user.id}", Alert("danger", NO_SITE), userIsNew=is_new
        )
    known = set(store.bo_tokens)
    tokens: set[str] = set()
    for entry in children(form, "perms").values():
        if isinstance(entry, dict) and "isEnabled" in entry:
            token = entry.get("token")
            if isinstance(token, str) and token in known:
                tokens.add(token)
    user.all_sites = all_sites
    user.site_ids = site_ids
    user.tokens = tokens
    alert = Alert("success", f"{user.username} permissions were updated successfully.")
    return app.redirect_with_alert(ctx, f"/user/permissions/{user.id}", alert, userIsNew="")
