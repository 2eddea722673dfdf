"""An employee's POS permissions page (``/employee/permissions/<id>``): the
templates, the permission matrix, and the form a template change posts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from sonnys_tui.backoffice import formcheck
from sonnys_tui.backoffice.forms import FormData, FormPage, serialize_form
from sonnys_tui.backoffice.models import (
    Permission,
    PosAccess,
)
from sonnys_tui.backoffice.pages.markup import (
    comma_items,
    missing,
    require_form,
    required_id,
    select_options,
    text_of,
)

_PERMISSION_KEY = re.compile(r"^permissions\[(\d+)\]\[(\w+)\]$")


@dataclass(frozen=True, slots=True)
class PosPermissionDef:
    id: int
    label: str
    description: str


@dataclass(frozen=True, slots=True)
class PosPermissionsPage(FormPage):
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
    return frozenset(int(item) for item in comma_items(text) if item.isdigit())


def parse_pos_permissions(doc: HtmlElement) -> PosPermissionsPage:
    page = "POS permissions"
    form = require_form(doc, formcheck.POS_PERMISSIONS.form_id, page)
    templates = tuple(
        Permission(
            scope="pos",
            id=value,
            name=text_of(option),
            grant_ids=_id_set(option.get("data-permissions-set")),
            override_ids=_id_set(option.get("data-manager-override-permissions-set")),
        )
        for value, option in select_options(form, "templateId", page, what="templateId select")
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
        raise missing(page, "permission matrix")
    data = serialize_form(form)
    employee_id = required_id(data, "employeeId", page)
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
    data = page.serialize()
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
