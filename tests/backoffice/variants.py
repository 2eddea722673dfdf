"""Tenants whose pages differ from the simulator's own: each variant rewrites the pages
as served (the simulator's "rewrite" fault), as another tenant or a new Back Office
release would serve them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import html

from sonnys_tui.simulator import Simulator

Change = Callable[[html.HtmlElement], None]

EMPLOYEE_PAGES = ("/employee/create", "/employee/edit/*")


def _form(doc: html.HtmlElement, form_id: str) -> html.HtmlElement | None:
    found = doc.xpath(f"//form[@id='{form_id}']")
    return found[0] if found else None


def add_inputs(form_id: str, markup: str) -> Change:
    def change(doc: html.HtmlElement) -> None:
        form = _form(doc, form_id)
        if form is not None:
            for el in html.fragments_fromstring(markup):
                form.insert(0, el)

    return change


def rename(old: str, new: str) -> Change:
    def change(doc: html.HtmlElement) -> None:
        for el in doc.xpath(f"//*[@name='{old}']"):
            el.set("name", new)

    return change


def remove(xpath: str) -> Change:
    def change(doc: html.HtmlElement) -> None:
        for el in doc.xpath(xpath):
            el.getparent().remove(el)

    return change


def checkbox_to_select(name: str) -> Change:
    """The checkbox ``name`` becomes a Yes/No select (presence no longer means on)."""

    def change(doc: html.HtmlElement) -> None:
        for el in doc.xpath(f"//input[@type='checkbox'][@name='{name}']"):
            selected = " selected" if el.get("checked") is not None else ""
            select = html.fragment_fromstring(
                f'<select name="{name}"><option value="1"{selected}>Yes</option>'
                '<option value="0">No</option></select>'
            )
            el.getparent().replace(el, select)

    return change


def toggles_not_inverted(doc: html.HtmlElement) -> None:
    """The site toggles say "Yes" when checked: checked would now mean available."""
    for el in doc.xpath("//input[contains(@class, 'boac-permission-site-option')]"):
        el.set("data-on", "Yes")
        el.set("data-off", "No")


# An extra field of each kind, as a newer release might add: posted back as served.
EXTRA_FIELDS = (
    '<input type="text" name="employee[badgeColor]" value="teal">'
    '<input type="checkbox" name="employee[isKeyholder]" value="yes" checked>'
    '<input type="checkbox" name="employee[isMinor]" value="1">'
    '<select name="employee[shirtSize]"><option value="S">S</option>'
    '<option value="L" selected>L</option></select>'
)
EXTRA_PAIRS = [
    ("employee[badgeColor]", "teal"),
    ("employee[isKeyholder]", "yes"),
    ("employee[shirtSize]", "L"),
]
EXTRA_ABSENT = "employee[isMinor]"  # unchecked: a browser sends nothing


@dataclass(frozen=True)
class Variant:
    """A tenant variant: what the pages look like, and which field a write that needs it
    must name when it refuses."""

    name: str
    paths: tuple[str, ...]
    change: Change
    field: str

    def apply(self, sim: Simulator) -> Simulator:
        for path in self.paths:
            sim.faults.rewrite(path, self.change)
        return sim


EMPLOYEE_FORM = "employee-create-edit-form"

VARIANTS = {
    "extra required field": Variant(
        "extra required field",
        EMPLOYEE_PAGES,
        add_inputs(EMPLOYEE_FORM, '<input type="text" name="employee[badgeNumber]" required>'),
        "employee[badgeNumber]",
    ),
    "phone renamed": Variant(
        "phone renamed",
        EMPLOYEE_PAGES,
        rename("employee[phone]", "employee[phoneNumber]"),
        "employee[phone]",
    ),
    "siteId inputs gone": Variant(
        "siteId inputs gone",
        EMPLOYEE_PAGES,
        remove("//input[@type='hidden'][contains(@name, '][siteId]')]"),
        "][siteId]",
    ),
    "toggles not inverted": Variant(
        "toggles not inverted",
        EMPLOYEE_PAGES,
        toggles_not_inverted,
        "no longer inverted",
    ),
    "isActive a select": Variant(
        "isActive a select",
        ("/employee/edit/*",),
        checkbox_to_select("employee[isActive]"),
        "employee[isActive]",
    ),
    "overtime a select": Variant(
        "overtime a select",
        ("/employee/create", "/employee/compensation/*"),
        checkbox_to_select("wage[isOvertimeEligible]"),
        "wage[isOvertimeEligible]",
    ),
    "regularRate renamed": Variant(
        "regularRate renamed",
        ("/employee/create", "/employee/compensation/*"),
        rename("wage[regularRate]", "wage[rate]"),
        "wage[regularRate]",
    ),
    "isDeleted a select": Variant(
        "isDeleted a select",
        ("/user/edit/*",),
        checkbox_to_select("user[isDeleted]"),
        "user[isDeleted]",
    ),
    "siteIds gone": Variant(
        "siteIds gone",
        ("/user/permissions/*",),
        remove("//input[@type='hidden'][@name='siteIds[]']"),
        "siteIds[]",
    ),
    "permission box renamed": Variant(
        "permission box renamed",
        ("/employee/permissions/*",),
        rename("permissions[2][hasGrantAccess]", "permissions[2][granted]"),
        "permissions[2][hasGrantAccess]",
    ),
}
