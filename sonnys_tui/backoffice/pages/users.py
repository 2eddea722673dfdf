"""The Back Office user create and permissions pages (``/user/create``,
``/user/permissions/<id>``). The user edit page is :mod:`sonnys_tui.backoffice.user_pages`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from sonnys_tui.backoffice import formcheck
from sonnys_tui.backoffice.forms import FormData, FormPage, serialize_form
from sonnys_tui.backoffice.models import (
    Permission,
)
from sonnys_tui.backoffice.pages.markup import (
    comma_items,
    gc_paused,
    missing,
    require_form,
    required_id,
    select_options,
    text_of,
)
from sonnys_tui.backoffice.sites import SiteTree, parse_site_tree

_PERM_TOKEN_KEY = re.compile(r"^perms\[(\d+)\]\[token\]$")


@dataclass(frozen=True, slots=True)
class LinkableEmployee:
    employee_id: int
    email: str
    first_name: str
    last_name: str


@dataclass(frozen=True, slots=True)
class UserCreatePage(FormPage):
    employees: tuple[LinkableEmployee, ...]


@gc_paused
def parse_user_create(doc: HtmlElement) -> UserCreatePage:
    page = "user create"
    form = require_form(doc, formcheck.USER_CREATE.form_id, page)
    selects = form.xpath(".//select[@name='user[employeeId]']")
    if not selects:
        raise missing(page, "user[employeeId] select")
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
class UserPermissionsPage(FormPage):
    user_id: int
    tree: SiteTree
    templates: tuple[Permission, ...]
    tokens: tuple[str, ...]  # in page order; perms[i][token]
    enabled: frozenset[str]
    site_ids: frozenset[int]


def parse_user_permissions(doc: HtmlElement) -> UserPermissionsPage:
    page = "user permissions"
    form = require_form(doc, formcheck.USER_PERMISSIONS.form_id, page)
    tree = parse_site_tree(form, page=page)
    templates = tuple(
        Permission(
            scope="backoffice",
            id=value,
            name=text_of(option),
            description=text_of(option),
            tokens=frozenset(comma_items(option.get("data-permissions-set"))),
        )
        for value, option in select_options(form, "template", page, what="template select")
    )
    data = serialize_form(form)
    index_tokens: dict[str, str] = {}
    for key, value in data:
        match = _PERM_TOKEN_KEY.match(key)
        if match:
            index_tokens[match.group(1)] = value
    if not index_tokens:
        raise missing(page, "permission matrix")
    enabled = frozenset(tok for i, tok in index_tokens.items() if f"perms[{i}][isEnabled]" in data)
    user_id = required_id(data, "userId", page)
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
    data = page.serialize()
    data.remove_where(lambda key, _value: key.startswith("perms[") and key.endswith("[isEnabled]"))
    data.set("template", template.id)
    for key, token in list(data):
        match = _PERM_TOKEN_KEY.match(key)
        if match and token in template.tokens:
            data.add(f"perms[{match.group(1)}][isEnabled]", "1")
    page.tree.encode(data, site_ids, insert=False)
    return data
