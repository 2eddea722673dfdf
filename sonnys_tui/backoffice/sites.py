"""The site-access tree of a form: read its structure, decode and encode site sets.

Two tenant shapes (CONTRACT §2.6). Hierarchical: Region → District → Site with
INVERTED toggles (a checked box denies), an available site posted as its hidden
``…siteId`` input. Flat: ``isAllSitesAllowed`` or a blocklist of site boxes.
The employee forms prefix every name with ``employee[``; the Back Office user
permissions page does not and posts available sites as hidden ``siteIds[]``.

The server's rule, which :meth:`SiteTree.decode` applies to the pairs a browser
would post: a site S in district D, region R is available when "all" is
present, or R is not denied and (all districts of R are allowed, or D is not
denied and (all sites of D are allowed, or S's allow field is present and its
deny field absent)).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml.html import HtmlElement

from sonnys_tui.backoffice.errors import BackofficeServerError
from sonnys_tui.backoffice.forms import FormData


def has_class(token: str) -> str:
    """XPath predicate matching a WHOLE class token (not a prefix of a longer one)."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {token} ')"


@dataclass(frozen=True, slots=True)
class TreeField:
    """One posted pair. List keys (``a[]``) match by name and value; others by name."""

    name: str
    value: str

    def present_in(self, data: FormData) -> bool:
        if self.name.endswith("[]"):
            return data.has_pair(self.name, self.value)
        return self.name in data


@dataclass(frozen=True, slots=True)
class TreeSite:
    id: int
    name: str
    district_id: int | None
    region_id: int | None
    allow: TreeField | None  # present ⇒ available (hierarchical hidden input)
    deny: TreeField | None  # present ⇒ denied (inverted toggle / flat blocklist box)


@dataclass(frozen=True, slots=True)
class SiteTree:
    all_field: TreeField | None
    region_fields: dict[int, TreeField]  # disabledRegions[] boxes
    all_districts_fields: dict[int, TreeField]  # isAllDistrictsAllowedByRegion[]
    district_fields: dict[int, TreeField]  # disabledDistricts[] boxes
    all_sites_fields: dict[int, TreeField]  # isAllSitesAllowedByDistrict[D]
    region_names: dict[int, str]
    district_names: dict[int, str]
    district_regions: dict[int, int]
    sites: tuple[TreeSite, ...]

    @property
    def hierarchical(self) -> bool:
        return bool(self.region_fields or self.district_fields)

    @property
    def site_ids(self) -> frozenset[int]:
        return frozenset(site.id for site in self.sites)

    def _field_names(self) -> set[str]:
        fields: list[TreeField | None] = [self.all_field]
        for group in (
            self.region_fields,
            self.all_districts_fields,
            self.district_fields,
            self.all_sites_fields,
        ):
            fields.extend(group.values())
        for site in self.sites:
            fields.extend((site.allow, site.deny))
        return {field.name for field in fields if field is not None}

    def decode(self, data: FormData) -> frozenset[int]:
        """The available site ids the server binds from these pairs."""
        if self.all_field is not None and self.all_field.present_in(data):
            return self.site_ids
        available: set[int] = set()
        for site in self.sites:
            if self._group_allows(site, data) or (
                not self._group_denies(site, data) and self._site_allows(site, data)
            ):
                available.add(site.id)
        return frozenset(available)

    def _group_allows(self, site: TreeSite, data: FormData) -> bool:
        region, district = site.region_id, site.district_id
        if region is not None and self._present(self.region_fields, region, data):
            return False
        if region is not None and self._present(self.all_districts_fields, region, data):
            return True
        if district is not None and self._present(self.district_fields, district, data):
            return False
        return district is not None and self._present(self.all_sites_fields, district, data)

    def _group_denies(self, site: TreeSite, data: FormData) -> bool:
        return (
            site.region_id is not None and self._present(self.region_fields, site.region_id, data)
        ) or (
            site.district_id is not None
            and self._present(self.district_fields, site.district_id, data)
        )

    @staticmethod
    def _site_allows(site: TreeSite, data: FormData) -> bool:
        if site.deny is not None and site.deny.present_in(data):
            return False
        return site.allow.present_in(data) if site.allow is not None else True

    @staticmethod
    def _present(fields: dict[int, TreeField], key: int, data: FormData) -> bool:
        field = fields.get(key)
        return field is not None and field.present_in(data)

    def encode(self, data: FormData, wanted: Iterable[int] | None, *, insert: bool) -> None:
        """Replace the tree's pairs in ``data`` so that exactly ``wanted`` is available.

        ``wanted=None`` means every site ("all"). On inserts the denied sites'
        toggles are sent as the create form does; edit posts leave them out as
        the browser's scripts do (the missing allow field already denies).
        """
        names = self._field_names()
        data.remove_where(lambda key, _value: key in names)
        if wanted is None:
            if self.all_field is not None:
                data.add(self.all_field.name, self.all_field.value)
                return
            wanted = self.site_ids
        wanted_ids = set(wanted)
        unknown = wanted_ids - self.site_ids
        if unknown:
            raise ValueError(f"site ids not in the tree: {sorted(unknown)}")
        for site in self.sites:
            if site.id in wanted_ids:
                if site.allow is not None:
                    data.add(site.allow.name, site.allow.value)
            elif site.deny is not None and (insert or site.allow is None):
                data.add(site.deny.name, site.deny.value)


_LABEL_NAME = re.compile(r"\((.*)\)\s*$", re.S)


def _label_name(form: HtmlElement, element_id: str) -> str:
    labels = form.xpath(f".//label[@for='{element_id}']")
    if not labels:
        return ""
    strong = labels[0].xpath(".//strong")
    text = (strong[0] if strong else labels[0]).text_content().strip()
    match = _LABEL_NAME.search(text)
    return (match.group(1) if match else text).strip()


def _fields_by(form: HtmlElement, css_class: str, id_attribute: str) -> dict[int, TreeField]:
    """The boxes of ``css_class`` by the id each names in ``id_attribute`` (a box
    without a readable id or field is skipped)."""
    fields: dict[int, TreeField] = {}
    for el in form.xpath(f".//input[{has_class(css_class)}]"):
        key, field = _int(el.get(id_attribute)), _field(el)
        if key is not None and field is not None:
            fields[key] = field
    return fields


def _field(el: HtmlElement | None) -> TreeField | None:
    if el is None:
        return None
    name = el.get("name")
    if not name:
        return None
    return TreeField(name, el.get("value") or "on")


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.strip().isdigit() else None


def parse_site_tree(form: HtmlElement, *, page: str) -> SiteTree:
    """Read the tree's structure (not its state) from a form."""
    site_boxes = form.xpath(f".//input[{has_class('boac-permission-site-option')}]")
    if not site_boxes:
        raise BackofficeServerError(f"{page} page has no site tree", step=page)

    def first(xpath: str) -> HtmlElement | None:
        found = form.xpath(xpath)
        return found[0] if found else None

    all_field = _field(first(f".//input[{has_class('boac-permission-type-region')}]"))
    if all_field is None:
        # Flat tenants: the one "all sites" toggle (not the per-district ones).
        all_field = _field(
            first(
                ".//input[contains(@name, 'isAllSitesAllowed')][not(contains(@name, 'ByDistrict'))]"
            )
        )
    region_fields: dict[int, TreeField] = {}
    region_names: dict[int, str] = {}
    for el in form.xpath(f".//input[{has_class('boac-permission-region-option')}]"):
        region = _int(el.get("data-region-id"))
        field = _field(el)
        if region is None:
            continue
        region_names[region] = _label_name(form, el.get("id", ""))
        if field is not None:
            region_fields[region] = field
    # The "all districts of region R" boxes.
    all_districts = _fields_by(form, "boac-permission-type-district", "data-region-id")
    district_fields: dict[int, TreeField] = {}
    district_names: dict[int, str] = {}
    district_regions: dict[int, int] = {}
    for el in form.xpath(f".//input[{has_class('boac-permission-district-option')}]"):
        district, region = _int(el.get("data-district-id")), _int(el.get("data-region-id"))
        if district is None:
            continue
        district_names[district] = _label_name(form, el.get("id", ""))
        if region is not None:
            district_regions[district] = region
        field = _field(el)
        if field is not None:
            district_fields[district] = field
    # The "all sites of district D" boxes.
    all_sites = _fields_by(form, "boac-permission-type-site", "data-district-id")
    sites: list[TreeSite] = []
    for box in site_boxes:
        site_id = _int(box.get("value")) or _int(box.get("id", "").rsplit("-", 1)[-1])
        if site_id is None:
            raise BackofficeServerError(f"{page} page has a site box without an id", step=page)
        district = _int(box.get("data-district-id"))
        hidden = first(f".//input[@id='boac-permission-site-option-hidden-input-{site_id}']")
        sites.append(
            TreeSite(
                id=site_id,
                name=_label_name(form, box.get("id", "")),
                district_id=district,
                region_id=district_regions.get(district) if district is not None else None,
                allow=_field(hidden),
                deny=_field(box),
            )
        )
    return SiteTree(
        all_field=all_field,
        region_fields=region_fields,
        all_districts_fields=all_districts,
        district_fields=district_fields,
        all_sites_fields=all_sites,
        region_names=region_names,
        district_names=district_names,
        district_regions=district_regions,
        sites=tuple(sites),
    )
