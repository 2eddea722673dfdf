"""A tenant built from a scrubbed capture (``sonnys-tui doctor --capture DIR``).

``sonnys-tui simulator --from-capture DIR`` serves it: the captured site tree (regions,
districts, sites and their codes), departments, POS and Back Office templates with
their permission matrices, the employee edit form's extra fields (round-tripped per
employee, as the real server keeps them) and a synthetic roster of the captured size.
No person of the capture is in it: the people are made up here.

Parsed with lxml only: the simulator imports nothing of the client.
"""

from __future__ import annotations

import json
import random
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from lxml import html

from . import tenants
from .bot import BOT_PASSWORD, BOT_USERNAME
from .store import (
    BoTemplate,
    BoUser,
    Department,
    District,
    Employee,
    PosPermission,
    PosTemplate,
    Region,
    Site,
    Store,
    Wage,
)

MANIFEST = "manifest.json"
_LABEL = re.compile(r"\((.*)\)\s*$", re.S)
_POS_KEY = re.compile(r"^permissions\[(\d+)\]\[(label|description)\]$")
_BO_TOKEN = re.compile(r"^perms\[(\d+)\]\[token\]$")
# The employee edit form's own fields (the simulator renders them): anything else the
# captured form has is a field of that tenant, kept and posted back per employee.
_KNOWN = re.compile(
    r"^(?:employee\[(?:id|firstName|lastName|phone|email|departments|startDate|isActive|"
    r"emergencyContactName|emergencyContactPhone|adpEmployeeId|isAllRegionsAllowed|"
    r"disabledRegions|isAllDistrictsAllowedByRegion|disabledDistricts|"
    r"isAllSitesAllowedByDistrict|isAllSitesAllowed|sites|siteIds)\]|posCredential\[|wage\[)"
)


class CaptureError(ValueError):
    """The folder is not a capture this simulator can serve."""


def _page(directory: Path, pages: dict[str, str], name: str) -> html.HtmlElement:
    file = pages.get(name)
    if file is None or not (directory / file).is_file():
        raise CaptureError(f"the capture has no {name} page")
    return html.document_fromstring((directory / file).read_bytes())


def _form(doc: html.HtmlElement, form_id: str, page: str) -> html.HtmlElement:
    found = doc.xpath(f"//form[@id='{form_id}']")
    if not found:
        raise CaptureError(f"the {page} page has no form #{form_id}")
    return found[0]


def _label(form: html.HtmlElement, element_id: str) -> str:
    labels = form.xpath(f".//label[@for='{element_id}']")
    if not labels:
        return ""
    strong = labels[0].xpath(".//strong")
    text = (strong[0] if strong else labels[0]).text_content().strip()
    match = _LABEL.search(text)
    return (match.group(1) if match else text).strip()


def _int(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def _class(token: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {token} ')"


def _ids(text: str | None) -> frozenset[int]:
    return frozenset(int(p) for p in (text or "").split(",") if p.strip().isdigit())


def load(directory: Path) -> tuple[Store, dict[str, str]]:
    """The tenant of the capture in ``directory`` and the employee edit form's extra
    fields (name -> the value a new employee gets)."""
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CaptureError(f"{directory} has no readable {MANIFEST}: {exc}") from None
    pages = {str(p["name"]): str(p["file"]) for p in manifest.get("pages", [])}
    counts = {str(k): int(v) for k, v in manifest.get("tenant counts", {}).items()}
    store = Store()
    create = _form(
        _page(directory, pages, "employee create"), "employee-create-edit-form", "employee create"
    )
    _tree(store, create)
    store.departments = {
        value: Department(value, option.text_content().strip())
        for option in create.xpath(".//select[@name='employee[departments][]']//option")
        if (value := _int(option.get("value"))) is not None
    }
    if not store.departments:
        raise CaptureError("the employee create page offers no department")
    _pos_catalogue(store, directory, pages)
    _bo_catalogue(store, directory, pages)
    extras = _extras(directory, pages)
    _bot(store)
    rng = random.Random(len(store.sites) * 7919 + counts.get("employees", 0))
    _people(store, counts.get("employees", 20), rng)
    _users(store, max(counts.get("Back Office users", 3) - 1, 0))
    return store, extras


def _tree(store: Store, form: html.HtmlElement) -> None:
    codes = {
        value: option.text_content().strip()
        for option in form.xpath(".//select[@name='wage[siteId]']//option")
        if (value := _int(option.get("value"))) is not None
    }
    for box in form.xpath(f".//input[{_class('boac-permission-region-option')}]"):
        region = _int(box.get("data-region-id"))
        if region is not None:
            store.regions[region] = Region(region, _label(form, box.get("id", "")))
    for box in form.xpath(f".//input[{_class('boac-permission-district-option')}]"):
        district, region = _int(box.get("data-district-id")), _int(box.get("data-region-id"))
        if district is not None and region is not None:
            store.districts[district] = District(district, _label(form, box.get("id", "")), region)
    for box in form.xpath(f".//input[{_class('boac-permission-site-option')}]"):
        site = _int(box.get("value")) or _int(box.get("id", "").rsplit("-", 1)[-1])
        if site is None:
            continue
        district = _int(box.get("data-district-id")) if store.regions else None
        name = _label(form, box.get("id", "")) or f"Site {site}"
        store.sites[site] = Site(site, name, codes.get(site) or f"S{site}", district)
    if not store.sites:
        raise CaptureError("the employee create page has no site tree")


def _pos_catalogue(store: Store, directory: Path, pages: dict[str, str]) -> None:
    form = _form(
        _page(directory, pages, "POS permissions"),
        "employee-permission-update-form",
        "POS permissions",
    )
    fields: dict[int, dict[str, str]] = {}
    for el in form.xpath(".//input[@type='hidden'][starts-with(@name, 'permissions[')]"):
        match = _POS_KEY.match(el.get("name", ""))
        if match:
            fields.setdefault(int(match.group(1)), {})[match.group(2)] = el.get("value", "")
    groups: dict[int, str] = {}
    for heading in form.xpath(f".//h3[{_class('sbox-collapse-title')}]"):
        group = (heading.text or "").strip() or "General"
        for el in heading.xpath(
            "following-sibling::*[1]//input[starts-with(@name,'permissions[')]"
        ):
            match = re.match(r"^permissions\[(\d+)\]", el.get("name", ""))
            if match:
                groups.setdefault(int(match.group(1)), group)
    store.pos_permissions = [
        PosPermission(pid, f.get("label", ""), f.get("description", ""), groups.get(pid, "General"))
        for pid, f in fields.items()
    ]
    names = _template_names(directory, pages, "POS template list")
    for option in form.xpath(".//select[@name='templateId']//option"):
        template = _int(option.get("value"))
        if template is None:
            continue
        name, description = names.get(template, (option.text_content().strip(), ""))
        store.pos_templates[template] = PosTemplate(
            template,
            name,
            description,
            _ids(option.get("data-permissions-set")),
            _ids(option.get("data-manager-override-permissions-set")),
        )


def _bo_catalogue(store: Store, directory: Path, pages: dict[str, str]) -> None:
    form = _form(
        _page(directory, pages, "user permissions"),
        "user-permissions-update-form",
        "user permissions",
    )
    tokens: dict[int, str] = {}
    for el in form.xpath(".//input[@type='hidden'][starts-with(@name, 'perms[')]"):
        match = _BO_TOKEN.match(el.get("name", ""))
        if match:
            tokens[int(match.group(1))] = el.get("value", "")
    store.bo_tokens = [tokens[i] for i in sorted(tokens)]
    names = _template_names(directory, pages, "Back Office template list")
    for option in form.xpath(".//select[@name='template']//option"):
        template = _int(option.get("value"))
        if template is None:
            continue
        description = option.text_content().strip()
        name = names.get(template, (description, ""))[0]
        store.bo_templates[template] = BoTemplate(
            template,
            name,
            description + " ",
            frozenset(t for t in (option.get("data-permissions-set") or "").split(",") if t),
        )
    if not store.bo_templates:
        raise CaptureError("the user permissions page offers no template")


def _template_names(
    directory: Path, pages: dict[str, str], name: str
) -> dict[int, tuple[str, str]]:
    if name not in pages:
        return {}
    names: dict[int, tuple[str, str]] = {}
    for tr in _page(directory, pages, name).xpath("//table//tbody/tr"):
        cells = tr.xpath("./td")
        hrefs = tr.xpath(".//a[contains(@href, '-permission-template/edit/')]/@href")
        match = re.search(r"/(\d+)(?:[/?#]|$)", str(hrefs[0])) if hrefs else None
        if len(cells) >= 2 and match:
            names[int(match.group(1))] = (
                cells[0].text_content().strip(),
                cells[1].text_content().strip(),
            )
    return names


def _extras(directory: Path, pages: dict[str, str]) -> dict[str, str]:
    if "employee edit" not in pages:
        return {}
    form = _form(_page(directory, pages, "employee edit"), "employee-create-edit-form", "edit")
    extras: dict[str, str] = {}
    for name, value in form.form_values():
        if not _KNOWN.match(name) and name not in extras:
            extras[name] = value
    return extras


def _bot(store: Store) -> None:
    every = frozenset(store.bo_tokens)
    store.add_user(
        BoUser(
            id=store.next_user_id(), username=BOT_USERNAME, email="bot@example.com",
            password=BOT_PASSWORD, first_name="Wrapper", last_name="Bot",
            all_sites=True, tokens=set(every),
        )
    )  # fmt: skip


def _people(store: Store, count: int, rng: random.Random) -> None:
    """``count`` synthetic employees at the captured sites, with its templates."""
    site_ids = sorted(store.sites)
    department_ids = sorted(store.departments)
    templates: list[PosTemplate | None] = [t for t in store.pos_templates.values() if t.grant_ids]
    templates = templates or [None]
    for index in range(count):
        number = index + 1
        first, last = rng.choice(tenants._FIRST), rng.choice(tenants._LAST)
        start = date(2023, 1, 2) + timedelta(days=rng.randrange(0, 900))
        template = rng.choice(templates)
        rate = Decimal(rng.randrange(1100, 2200)) / 100
        store.add_employee(
            Employee(
                id=store.next_employee_id(), first_name=first, last_name=f"{last}{number}",
                phone=f"312-555-{number % 10000:04d}",
                email=f"{first.lower()}.{last.lower()}{number}@example.com",
                department_ids=[rng.choice(department_ids)], start_date=start,
                site_ids=set(rng.sample(site_ids, min(len(site_ids), rng.choice([1, 1, 2])))),
                pos_credential_id=store.next_credential_id(), pos_user_id=1001 + index,
                pos_pin=str(10000 + rng.randrange(90000)), active=rng.random() > 0.1,
                grant_ids=set(template.grant_ids) if template else set(),
                override_ids=set(template.override_ids) if template else set(),
                wages=[Wage(effective_date=start, is_hourly=True, regular_rate=rate)],
            )
        )  # fmt: skip


def _users(store: Store, count: int) -> None:
    """``count`` Back Office logins, linked to active employees with an e-mail."""
    linked = [e for e in store.employees.values() if e.active and e.email][:count]
    tokens = min(store.bo_templates.values(), key=lambda t: len(t.tokens)).tokens
    for employee in linked:
        store.add_user(
            BoUser(
                id=store.next_user_id(), username=f"login{employee.pos_user_id}",
                email=employee.email, password="not-a-real-password", employee_id=employee.id,
                first_name=employee.first_name, last_name=employee.last_name,
                site_ids=set(employee.site_ids), tokens=set(tokens),
            )
        )  # fmt: skip
