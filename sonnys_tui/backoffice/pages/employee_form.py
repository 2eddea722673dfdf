"""The employee create and edit pages (``/employee/create``,
``/employee/edit/<id>``): the form, the record it holds, and what a hire posts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lxml.html import HtmlElement

from sonnys_tui.backoffice import fields, formcheck
from sonnys_tui.backoffice.forms import FormData, FormPage
from sonnys_tui.backoffice.models import (
    Department,
    EmployeeRecord,
    Secret,
    Site,
)
from sonnys_tui.backoffice.pages.markup import (
    int_or_none,
    missing,
    numbered_options,
    parse_us_date,
    require_form,
    select_options,
    text_of,
)
from sonnys_tui.backoffice.sites import SiteTree, parse_site_tree
from sonnys_tui.backoffice.validation import NewEmployee


@dataclass(frozen=True, slots=True)
class EmployeeFormPage(FormPage):
    """``/employee/create`` or ``/employee/edit/<id>``: the form and what it offers."""

    tree: SiteTree
    sites: tuple[Site, ...]
    departments: tuple[Department, ...]


def parse_employee_form(doc: HtmlElement, *, page: str = "employee create") -> EmployeeFormPage:
    form = require_form(doc, formcheck.EMPLOYEE_EDIT.form_id, page)
    tree = parse_site_tree(form, page=page)
    codes = numbered_options(form.xpath(".//select[@name='wage[siteId]']/option"))
    sites = tuple(
        Site(
            id=site.id,
            name=site.name,
            code=codes.get(site.id, ""),
            region_id=site.region_id,
            region_name=tree.region_names.get(site.region_id) if site.region_id else None,
            district_id=site.district_id,
            district_name=tree.district_names.get(site.district_id) if site.district_id else None,
        )
        for site in tree.sites
    )
    options = select_options(form, "employee[departments][]", page, what="departments select")
    departments = tuple(
        Department(id=int(value), name=text_of(option))
        for value, option in options
        if value.isdigit()
    )
    return EmployeeFormPage(form=form, tree=tree, sites=sites, departments=departments)


@dataclass(frozen=True, slots=True)
class EmployeeEditPage:
    record: EmployeeRecord
    page: EmployeeFormPage


# The inputs of the edit form that hold the record, posted back on every update: the
# field registry's typed and hidden keys of the edit page (its id is checked apart).
EDIT_FIELDS = tuple(
    key.key
    for _field, key in fields.fields_for("employee_edit", fields.EMPLOYEE_FIELDS)
    if key.kind in ("text", "hidden") and key.key != "employee[id]"
)


def _key(page: fields.Page, name: str) -> str:
    """The registry's key of field ``name`` on ``page``."""
    return fields.form_keys(page)[name].key


def parse_employee_edit(doc: HtmlElement) -> EmployeeEditPage:
    page = "employee edit"
    form_page = parse_employee_form(doc, page=page)
    form = form_page.form
    data = form_page.serialize(edit=True)
    employee_id = int_or_none(data.get("employee[id]"))
    if employee_id is None:
        raise missing(page, "employee[id]")
    if not form.xpath(".//input[@name='employee[isActive]']"):
        raise missing(page, "employee[isActive] box")
    # An update is a full replace: a field the page no longer posts would be wiped.
    for name in EDIT_FIELDS:
        if name not in data:
            raise missing(page, name)
    site_ids = form_page.tree.decode(data)
    department_ids = tuple(int(v) for v in data.get_all("employee[departments][]") if v.isdigit())
    department_names = {d.id: d.name for d in form_page.departments}

    def text(name: str) -> str:
        return data.get(_key("employee_edit", name)) or ""

    record = EmployeeRecord(
        employee_id=employee_id,
        pos_credential_id=int_or_none(text("pos_credential_id")),
        first_name=text("first_name"),
        last_name=text("last_name"),
        phone=text("phone"),
        email=text("email"),
        department_ids=department_ids,
        departments=tuple(department_names.get(i, str(i)) for i in department_ids),
        start_date=parse_us_date(text("start_date")),
        site_ids=site_ids,
        sites=tuple(site.name for site in form_page.sites if site.id in site_ids),
        pos_user_id=int_or_none(text("pos_user_id")),
        pos_pin=Secret(text("pos_pin")),
        emergency_contact_name=text("emergency_contact_name"),
        emergency_contact_phone=text("emergency_contact_phone"),
        adp_employee_id=text("adp_employee_id"),
        active=_key("employee_edit", "active") in data,
    )
    return EmployeeEditPage(record=record, page=form_page)


def employee_insert_post(
    page: EmployeeFormPage,
    new: NewEmployee,
    sites: Sequence[Site] | None,
    departments: Sequence[Department],
) -> FormData:
    """The create form filled in as a person would (``sites=None``: every site)."""
    data = page.serialize(edit=False)
    typed: dict[str, str] = {
        "first_name": new.first_name,
        "last_name": new.last_name,
        "phone": new.phone,
        "email": new.email,
        "start_date": new.start_date.strftime("%m/%d/%Y"),
        "pos_user_id": str(new.pos_user_id),
        "pos_pin": str(new.pin),
        "emergency_contact_name": new.emergency_contact_name,
        "emergency_contact_phone": new.emergency_contact_phone,
        "adp_employee_id": new.adp_employee_id,
        "wage_rate": str(new.wage),
        "overtime_wage_rate": str(new.overtime),  # enabled once overtime is on
    }
    for name, value in typed.items():
        data.set(_key("employee_create", name), value)
    data.set_all(_key("employee_create", "departments"), [str(d.id) for d in departments])
    page.tree.encode(data, [s.id for s in sites] if sites is not None else None, insert=True)
    data.set(_key("employee_create", "overtime_eligible"), "1")  # a checkbox: presence means yes
    data.set("wage[isHourly]", "1")
    if sites:
        # The wage attribution (labor) site: the first of the employee's sites.
        data.set(_key("employee_create", "wage_site"), str(sites[0].id))
    return data
