"""Does a form, as the server rendered it, still look like what a write knows?

One comparison serves two callers: every write runs :func:`require` on the form it is
about to post (fail closed: a difference refuses the write before the POST, naming the
page and the field), and ``sonnys-tui doctor`` runs :func:`check` on every page to say
which capabilities are ready on a tenant.

What is compared, per :class:`FormSpec`:

- the form's id (the page has the form at all);
- every field a write sets or relies on: present, and of the same kind (a checkbox
  that became a select is a different contract: presence no longer means on). The
  employee's and the Back Office user's fields come from the field registry
  (:func:`sonnys_tui.backoffice.fields.fields_for`); what else a page's write posts (the
  wage type, record ids, the permission forms) is listed here, beside the comparison;
- every enabled ``required`` control the write does not fill: it must carry a value
  as served (a browser would refuse to submit it empty, the server likely too);
- the site tree, when the form has one: hierarchical or flat, every site reachable
  (hierarchical: in a district of a region, with its hidden allow input; the toggles
  still inverted, "No" when checked);
- the permission matrix of the permission forms (each entry with its box).

A field the write does not know is none of its business: :func:`serialize_form`
posts it back exactly as served. The check costs no request and a few
hundred microseconds: one walk over the form's controls.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from lxml.html import FormElement, HtmlElement

from sonnys_tui.backoffice import fields
from sonnys_tui.backoffice.errors import NOTHING_WRITTEN, BackofficeServerError
from sonnys_tui.backoffice.forms import find_form
from sonnys_tui.backoffice.sites import SiteTree, has_class, parse_site_tree

# What a control is, as far as a posted form is concerned.
# "date": a date picker's field, typed text or the hidden input the picker posts
# (the live pages post a hidden ``employee[startDate]``; the simulator a text box).
Kind = Literal["text", "date", "password", "hidden", "checkbox", "radio", "select", "textarea"]
TreeMode = Literal["employee", "user"]

DOCTOR_HINT = "run `sonnys-tui doctor` to see what this tenant's pages differ in"

_TEXT_TYPES = frozenset(
    {"", "text", "tel", "email", "number", "date", "search", "url", "datetime-local", "time"}
)
# A text value may be typed into any of these: the write only needs "takes a string".
_TEXTUAL: frozenset[Kind] = frozenset({"text", "textarea"})


@dataclass(frozen=True, slots=True)
class Field:
    """One form key a write sets (or posts back and relies on), and its kind."""

    name: str
    kind: Kind
    optional: bool = False  # the write copes without it (sets it only if the form has it)


@dataclass(frozen=True, slots=True)
class FormSpec:
    """What one write expects of one page's form."""

    page: str  # "employee create": how errors name the page
    path: str  # "/employee/create", "/employee/edit/<id>": where to look
    form_id: str
    fields: tuple[Field, ...]
    tree: TreeMode | None = None
    matrix: Literal["pos", "backoffice"] | None = None

    @property
    def names(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields)


@dataclass(frozen=True, slots=True)
class Difference:
    """One way a served form differs from what a write knows."""

    page: str
    field: str  # the form key, or "form", "site tree", "permission matrix"
    what: str
    # True when reading the page goes wrong too (no form, a tree or matrix misread),
    # not only writing it.
    misreads: bool = False

    def __str__(self) -> str:
        return f"{self.page} page: {self.field}: {self.what}"


class FormChangedError(BackofficeServerError):
    """A write was refused before its POST: the form is not the one the write knows.

    Nothing was written. ``differences`` lists every difference found on the page."""

    def __init__(self, differences: Iterable[Difference], *, step: str) -> None:
        found = tuple(differences)
        first = found[0]
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        super().__init__(
            f"refused before saving: the {first.page} page differs from what this tool "
            f"knows: {first.field}: {first.what}{more}; {DOCTOR_HINT}",
            step=step,
            state=f"{NOTHING_WRITTEN}: the form was not posted",
        )
        self.field = first.field
        self.differences = found


# ---------------------------------------------------------------- the pages' contracts


def _last_part(name: str) -> str:
    """``wage[regularRate]`` -> ``regularrate``; ``employee[departments][]`` -> ``departments``."""
    parts = [p for p in re.split(r"[\[\]]+", name) if p]
    return parts[-1].casefold() if parts else ""


def _registry(page: fields.Page, *, optional: frozenset[str] = frozenset()) -> tuple[Field, ...]:
    """The keys the field registry puts on ``page``, and their kinds (the site tree is
    checked as a whole: :func:`check_tree`)."""
    found = []
    for field_, key in fields.fields_for(page):
        if key.kind == "site_tree":
            continue
        kind: Kind = key.kind
        if key.kind == "text" and field_.kind == "date":
            kind = "date"
        elif key.kind == "text" and _last_part(key.key) in ("password", "confirmpassword"):
            kind = "password"
        found.append(Field(key.key, kind, key.key in optional))
    return tuple(found)


# Each page's form id is said here once: the page parsers (pages/, user_pages.py) take it
# from these specs.
# What the writes post that is no field of an employee or a user (the registry's): the
# wage type, the record ids the pages carry, the user form's "employee of the wash".
EMPLOYEE_CREATE = FormSpec(
    page="employee create",
    path="/employee/create",
    form_id="employee-create-edit-form",
    fields=(*_registry("employee_create"), Field("wage[isHourly]", "select")),
    tree="employee",
)
EMPLOYEE_EDIT = FormSpec(
    page="employee edit",
    path="/employee/edit/<id>",
    form_id="employee-create-edit-form",
    fields=_registry("employee_edit"),
    tree="employee",
)
COMPENSATION = FormSpec(
    page="employee compensation",
    path="/employee/compensation/<id>",
    form_id="employee-compensation-edit-form",
    fields=(
        Field("employeeId", "hidden"),
        *_registry("employee_compensation"),
        Field("wage[isHourly]", "select"),
    ),
)
POS_PERMISSIONS = FormSpec(
    page="POS permissions",
    path="/employee/permissions/<id>",
    form_id="employee-permission-update-form",
    fields=(
        Field("employeeId", "hidden"),
        Field("templateId", "select"),
        Field("hasActionApprovalAuthority", "hidden", optional=True),
    ),
    matrix="pos",
)
USER_CREATE = FormSpec(
    page="user create",
    path="/user/create",
    form_id="user-create-edit-form",
    fields=(Field("employee[isOnSiteEmployee]", "checkbox"), *_registry("user_create")),
)
USER_EDIT = FormSpec(
    page="user edit",
    path="/user/edit/<id>",
    form_id="user-edit-edit-form",
    # A linked user's name is its employee's: the form shows no name inputs then.
    fields=_registry(
        "user_edit", optional=frozenset({"employee[firstName]", "employee[lastName]"})
    ),
)
USER_PERMISSIONS = FormSpec(
    page="user permissions",
    path="/user/permissions/<id>",
    form_id="user-permissions-update-form",
    fields=(Field("userId", "hidden"), Field("template", "select")),
    tree="user",
    matrix="backoffice",
)

SPECS = (
    EMPLOYEE_CREATE,
    EMPLOYEE_EDIT,
    COMPENSATION,
    POS_PERMISSIONS,
    USER_CREATE,
    USER_EDIT,
    USER_PERMISSIONS,
)


# ---------------------------------------------------------------- the comparison


def kind_of(el: HtmlElement) -> Kind:
    tag = el.tag
    if tag == "select":
        return "select"
    if tag == "textarea":
        return "textarea"
    kind = (el.get("type") or "").strip().lower()
    if kind in ("checkbox", "radio", "hidden", "password"):
        return kind  # type: ignore[return-value]
    return "text"


def _controls(form: FormElement) -> dict[str, list[HtmlElement]]:
    found: dict[str, list[HtmlElement]] = {}
    for el in form.iter("input", "select", "textarea"):
        name = el.get("name")
        if name:
            found.setdefault(name, []).append(el)
    return found


def check(
    doc_or_form: HtmlElement,
    spec: FormSpec,
    *,
    tree: SiteTree | None = None,
    fill: Iterable[str] = (),
) -> list[Difference]:
    """Every difference between the served form and ``spec`` (empty: the write may go).

    ``tree`` is the site tree already parsed from this form (saves parsing it again);
    ``fill`` names more keys the write fills (exempt from the ``required`` check)."""
    form = doc_or_form if isinstance(doc_or_form, FormElement) else None
    if form is None or form.get("id") != spec.form_id:
        form = find_form(doc_or_form, spec.form_id)
    if form is None:
        return [Difference(spec.page, "form", f"there is no form #{spec.form_id}", True)]
    controls = _controls(form)
    found: list[Difference] = []
    for expected in spec.fields:
        els = controls.get(expected.name)
        if not els:
            if not expected.optional:
                found.append(_missing(spec, expected, controls))
            continue
        kinds = {kind_of(el) for el in els}
        if not _kind_fits(expected.kind, kinds):
            shown = ", ".join(sorted(kinds))
            found.append(
                Difference(
                    spec.page,
                    expected.name,
                    f"is a {shown} on the page, the write expects a {expected.kind}",
                )
            )
    found.extend(_required_unfilled(spec, controls, spec.names | set(fill)))
    if spec.tree is not None:
        found.extend(check_tree(form, spec, tree))
    if spec.matrix is not None:
        found.extend(_check_matrix(spec, controls))
    return found


def require(
    doc_or_form: HtmlElement,
    spec: FormSpec,
    *,
    step: str,
    tree: SiteTree | None = None,
    fill: Iterable[str] = (),
) -> None:
    """Refuse the write (:class:`FormChangedError`, nothing posted) on any difference."""
    differences = check(doc_or_form, spec, tree=tree, fill=fill)
    if differences:
        raise FormChangedError(differences, step=step)


def _kind_fits(expected: Kind, found: set[Kind]) -> bool:
    if expected in _TEXTUAL:
        return found <= _TEXTUAL
    if expected == "date":
        return found <= {"text", "hidden"}
    if expected == "checkbox":
        # A checkbox may come with a hidden companion of the same name (a default "0").
        return "checkbox" in found and found <= {"checkbox", "hidden"}
    return found == {expected}


def _missing(
    spec: FormSpec, expected: Field, controls: Mapping[str, list[HtmlElement]]
) -> Difference:
    """ "missing", and the likely new name when one field of the kind appeared."""
    unknown = [
        name
        for name, els in controls.items()
        if name not in spec.names and _kind_fits(expected.kind, {kind_of(el) for el in els})
    ]
    # A hint only when one unknown field's last part contains the missing one's or is
    # contained in it ("phone" / "phoneNumber"): a wrong guess would mislead.
    want = _last_part(expected.name)
    near = [n for n in unknown if (part := _last_part(n)) and (part in want or want in part)]
    hint = f" (renamed to {near[0]}?)" if len(near) == 1 else ""
    return Difference(spec.page, expected.name, f"missing or renamed{hint}")


def _required_unfilled(
    spec: FormSpec, controls: Mapping[str, list[HtmlElement]], filled: frozenset[str] | set[str]
) -> list[Difference]:
    found = []
    for name, els in controls.items():
        if name in filled:
            continue
        required = [el for el in els if el.get("required") is not None]
        enabled = [el for el in required if el.get("disabled") is None]
        if enabled and not any(_served_value(el) for el in els if el.get("disabled") is None):
            found.append(
                Difference(
                    spec.page,
                    name,
                    "is required and empty, and the write does not know how to fill it",
                )
            )
    return found


def _served_value(el: HtmlElement) -> str:
    kind = kind_of(el)
    if kind in ("checkbox", "radio"):
        return (el.get("value") or "on") if el.get("checked") is not None else ""
    if kind == "select":
        options = el.xpath(".//option[@selected]") or (
            [] if el.get("multiple") is not None else el.xpath(".//option[1]")
        )
        return "".join(_option_value(option) for option in options).strip()
    if kind == "textarea":
        return (el.text or "").strip()
    return (el.get("value") or el.get("data-value") or "").strip()


def _option_value(option: HtmlElement) -> str:
    value = option.get("value")
    return str(value if value is not None else option.text_content())


_BOX_PREFIXES = ("region", "district", "site")


def check_tree(form: FormElement, spec: FormSpec, tree: SiteTree | None = None) -> list[Difference]:
    """The site tree is one this client can read and write: every site reachable, each
    with the inputs its shape needs, the toggles still inverted."""
    page = spec.page
    if tree is None:
        try:
            tree = parse_site_tree(form, page=page)
        except BackofficeServerError as exc:
            return [Difference(page, "site tree", exc.message.removeprefix(f"{page} page "), True)]
    found: list[Difference] = []
    ids = [site.id for site in tree.sites]
    if len(set(ids)) != len(ids):
        found.append(Difference(page, "site tree", "a site appears twice", misreads=True))
    for kind in _BOX_PREFIXES:
        for el in form.xpath(f".//input[{has_class(f'boac-permission-{kind}-option')}]"):
            on = (el.get("data-on") or "No").strip().casefold()
            if kind_of(el) != "checkbox":
                found.append(
                    Difference(
                        page, el.get("name") or f"{kind} toggle", "is not a checkbox", misreads=True
                    )
                )
                return found
            if on != "no":
                found.append(
                    Difference(
                        page,
                        el.get("name") or f"{kind} toggle {el.get('value', '')}".strip(),
                        f"a {kind} toggle reads {el.get('data-on')!r} when checked: no longer "
                        "inverted (checked meant 'not available')",
                        misreads=True,
                    )
                )
                return found
    problems: dict[tuple[str, str], list[int]] = {}  # (field, what) -> the sites
    if tree.hierarchical:
        allow = "employee[sites][<id>][siteId]" if spec.tree == "employee" else "siteIds[]"
        for site in tree.sites:
            if site.district_id is None or site.district_id not in tree.district_names:
                problem = ("site tree", "in no district")
            elif site.region_id is None or site.region_id not in tree.region_names:
                problem = ("site tree", "in a district of no region")
            elif site.allow is None:
                problem = (allow, "no hidden input to keep the site available")
            elif spec.tree == "employee" and site.deny is None:
                problem = ("site tree", "a toggle without a name")
            else:
                continue
            problems.setdefault(problem, []).append(site.id)
    else:
        for site in tree.sites:
            if site.allow is None and site.deny is None:
                problems.setdefault(("site tree", "no input to post"), []).append(site.id)
    for (name, what), ids in problems.items():
        shown = ", ".join(map(str, sorted(ids)[:8])) + (", …" if len(ids) > 8 else "")
        said = f"{what}: {len(ids)} of {len(tree.sites)} sites (ids {shown})"
        found.append(Difference(page, name, said, misreads=True))
    return found


_POS_ID = re.compile(r"^permissions\[(\d+)\]\[id\]$")
_POS_GRANT = re.compile(r"^permissions\[(\d+)\]\[hasGrantAccess\]$")
_BO_TOKEN = re.compile(r"^perms\[(\d+)\]\[token\]$")


def _check_matrix(spec: FormSpec, controls: Mapping[str, list[HtmlElement]]) -> list[Difference]:
    """Each permission of the matrix comes with the box a write ticks."""
    if spec.matrix == "pos":
        entry, box = _POS_ID, "permissions[{}][hasGrantAccess]"
    else:
        entry, box = _BO_TOKEN, "perms[{}][isEnabled]"
    keys = [m.group(1) for name in controls if (m := entry.match(name))]
    if not keys:
        return [
            Difference(spec.page, "permission matrix", "no permissions on the page", misreads=True)
        ]
    found = []
    for key in keys:
        name = box.format(key)
        els = controls.get(name)
        if not els:
            found.append(Difference(spec.page, name, "missing or renamed", misreads=True))
        elif not _kind_fits("checkbox", {kind_of(el) for el in els}):
            kinds = ", ".join(sorted({kind_of(el) for el in els}))
            found.append(
                Difference(spec.page, name, f"is a {kinds}, expected a checkbox", misreads=True)
            )
    return found


@dataclass(frozen=True, slots=True)
class TemplateFit:
    """A template's permissions that the page's matrix does not offer."""

    name: str
    unknown: tuple[str, ...] = field(default=())


def templates_against_matrix(
    templates: Iterable[tuple[str, Iterable[str]]], offered: Iterable[str]
) -> list[TemplateFit]:
    """Each template whose permissions are not all in ``offered`` (ids or tokens)."""
    known = set(offered)
    return [
        TemplateFit(name, tuple(sorted(set(items) - known)))
        for name, items in templates
        if set(items) - known
    ]
