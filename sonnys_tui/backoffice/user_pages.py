"""The Back Office user edit page (``/user/edit/<id>``) and what its update posts;
what a user's permissions page says about its access. No I/O here.

The edit form (CONTRACT §3, capture ``w45f_user_edit``) posts to ``/user/update`` and
replaces the whole user: hidden ``employee[id]``, ``user[employeeId]`` (the linked
employee, empty for a standalone user), ``user[userId]``, ``user[cognitoIdentityEmail]``;
``employee[email]``, ``user[username]``; the standalone user's ``employee[firstName]``/
``employee[lastName]``; ``universalSiteAccess``; and two toggles labelled INVERTED:

- ``user[changePassword]`` is rendered checked, which the page shows as "Change
  Password: No". Posted, the password is kept; left out, the server takes the posted
  ``user[password]``/``user[confirmPassword]`` as the new password (an empty one may
  be refused or stored, CONTRACT unknown). Every post but a password reset keeps it.
- ``user[isDeleted]`` checked means "User is active?: No", i.e. inactive.

Like every parser here, a page that lacks an element the round trip relies on raises
:class:`BackofficeServerError` instead of posting a form that would wipe something.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from sonnys_tui.backoffice import formcheck
from sonnys_tui.backoffice.errors import BackofficeServerError
from sonnys_tui.backoffice.forms import FormData, FormPage, find_form, serialize_form
from sonnys_tui.backoffice.models import BackofficeAccess, Permission, Secret, Site
from sonnys_tui.backoffice.pages import UserPermissionsPage

CHANGE_PASSWORD = "user[changePassword]"  # checked = keep the password
IS_DELETED = "user[isDeleted]"  # checked = inactive
PASSWORD = "user[password]"
CONFIRM_PASSWORD = "user[confirmPassword]"
UNIVERSAL_SITE_ACCESS = "universalSiteAccess"

# Posted back on every update: a field the page no longer has would be stored empty.
_EDIT_FIELDS = ("user[userId]", "user[username]", "employee[email]", PASSWORD, CONFIRM_PASSWORD)
_PAGE = "user edit"


def _missing(element: str) -> BackofficeServerError:
    return BackofficeServerError(
        f"{_PAGE} page has no {element} ({formcheck.DOCTOR_HINT})", step=_PAGE
    )


@dataclass(frozen=True, slots=True)
class UserEditPage(FormPage):
    """One user's edit form as the server rendered it, and what it says."""

    user_id: int
    employee_id: int | None  # the linked employee; None for a standalone user
    username: str
    email: str
    first_name: str  # a standalone user's own name fields ("" for a linked user)
    last_name: str
    full_name: str  # the page's "Name:" line (a linked user's is its employee's)
    active: bool
    universal_site_access: bool


def parse_user_edit(doc: HtmlElement) -> UserEditPage:
    form = find_form(doc, formcheck.USER_EDIT.form_id)
    if form is None:
        raise _missing(f"form #{formcheck.USER_EDIT.form_id}")
    data = serialize_form(form)
    for name in _EDIT_FIELDS:
        if name not in data:
            raise _missing(name)
    boxes = {el.get("name"): el for el in form.xpath(".//input[@type='checkbox'][@name]")}
    for name in (CHANGE_PASSWORD, IS_DELETED):
        if name not in boxes:
            raise _missing(f"{name} box")
    if CHANGE_PASSWORD not in data:
        # Rendered unchecked, a round trip would ask for a new (empty) password: the
        # page no longer works as the client knows it, so nothing is posted.
        raise BackofficeServerError(
            f"{_PAGE} page no longer renders {CHANGE_PASSWORD} checked ('keep the password')",
            step=_PAGE,
        )
    user_id = _int(data.get("user[userId]"))
    if user_id is None:
        raise _missing("user[userId] value")
    employee_id = _int(data.get("user[employeeId]")) or _int(data.get("employee[id]"))
    subtitle = doc.xpath("//*[@id='page-sub-title']//strong")
    full_name = " ".join(subtitle[0].text_content().split()) if subtitle else ""
    first = (data.get("employee[firstName]") or "").strip()
    last = (data.get("employee[lastName]") or "").strip()
    return UserEditPage(
        form=form,
        user_id=user_id,
        employee_id=employee_id,
        username=(data.get("user[username]") or "").strip(),
        email=(data.get("employee[email]") or "").strip(),
        first_name=first,
        last_name=last,
        full_name=full_name or f"{first} {last}".strip(),
        active=IS_DELETED not in data,
        universal_site_access=UNIVERSAL_SITE_ACCESS in data,
    )


def _int(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def user_status_post(page: UserEditPage, *, active: bool) -> FormData:
    """The form as rendered, the "User is active?" toggle set: ``user[isDeleted]``
    present (inactive) or absent (active); the password kept (``changePassword`` on,
    both password fields empty, as a browser sends them)."""
    data = _keeping_password(page)
    if active:
        data.remove(IS_DELETED)
    else:
        data.set(IS_DELETED, "1")
    return data


def user_password_post(page: UserEditPage, password: Secret) -> FormData:
    """The form as rendered with "Change Password" switched to Yes (``changePassword``
    left out) and the new password typed twice."""
    data = page.serialize()
    data.remove(CHANGE_PASSWORD)
    data.set(PASSWORD, password.reveal())
    data.set(CONFIRM_PASSWORD, password.reveal())
    return data


def _keeping_password(page: UserEditPage) -> FormData:
    data = page.serialize()
    data.set(CHANGE_PASSWORD, "1")
    data.set(PASSWORD, "")
    data.set(CONFIRM_PASSWORD, "")
    return data


def matching_template(
    enabled: frozenset[str], page_tokens: frozenset[str], templates: tuple[Permission, ...]
) -> Permission | None:
    """The template whose tokens (those the page offers) are exactly ``enabled``."""
    for template in templates:
        if template.tokens & page_tokens == enabled:
            return template
    return None


def access_of(
    page: UserPermissionsPage, templates: tuple[Permission, ...], sites: tuple[Site, ...]
) -> BackofficeAccess:
    """A user's access as its permissions page shows it: the template it matches (the
    tenant's ``templates``, short names), "Custom", or "None" when nothing is enabled."""
    data = page.serialize()
    all_field = page.tree.all_field
    all_sites = all_field is not None and all_field.present_in(data)
    template = matching_template(page.enabled, frozenset(page.tokens), templates)
    if not page.enabled:
        name, description = "None", ""
    elif template is None:
        name, description = "Custom", ""
    else:
        name, description = template.name, template.description.strip()
    names = {site.id: site.name for site in sites}
    return BackofficeAccess(
        user_id=page.user_id,
        template=name,
        template_description=description,
        tokens=page.enabled,
        all_sites=all_sites,
        site_ids=page.site_ids,
        sites=tuple(
            names.get(site.id) or site.name for site in page.tree.sites if site.id in page.site_ids
        ),
    )
