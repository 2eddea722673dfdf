"""The "Available To Work" / "Accessible Sites" tree: reading posts, building views.

Toggles are inverted: a checked region/district/site box means "No". The server
rule (CONTRACT §2.6) for site S in district D, region R: available when
``isAllRegionsAllowed`` is present, or R is not disabled and (R is in
``isAllDistrictsAllowedByRegion`` or D is not disabled and
(``isAllSitesAllowedByDistrict[D]`` is present or the site is selected)).
"""

from __future__ import annotations

from dataclasses import dataclass

from .phpform import PhpValue, children, int_set, present, values
from .store import Store


def employee_sites(store: Store, form: dict[str, PhpValue]) -> set[int]:
    """Sites an employee insert/update post makes available (``employee[...]`` names)."""
    tree = children(form, "employee")
    if not store.hierarchical:
        if present(tree, "isAllSitesAllowed"):
            return set(store.sites)
        return set(store.sites) - int_set(values(tree, "siteIds"))
    posted = children(tree, "sites")
    selected = {
        sid
        for sid in store.sites
        if present(posted, str(sid), "siteId") and not present(posted, str(sid), "isAvailable")
    }
    return _hierarchical(store, tree, selected)


def user_sites(store: Store, form: dict[str, PhpValue]) -> tuple[bool, set[int]]:
    """(all sites?, accessible sites) of a BO user permissions post (names without prefix)."""
    if not store.hierarchical:
        if present(form, "isAllSitesAllowed"):
            return True, set(store.sites)
        return False, int_set(values(form, "siteIds")) & set(store.sites)
    if present(form, "isAllRegionsAllowed"):
        return True, set(store.sites)
    selected = int_set(values(form, "siteIds"))
    return False, _hierarchical(store, form, selected)


def _hierarchical(store: Store, tree: dict[str, PhpValue], selected: set[int]) -> set[int]:
    if present(tree, "isAllRegionsAllowed"):
        return set(store.sites)
    disabled_regions = int_set(values(tree, "disabledRegions"))
    all_districts = int_set(values(tree, "isAllDistrictsAllowedByRegion"))
    disabled_districts = int_set(values(tree, "disabledDistricts"))
    all_sites_by_district = children(tree, "isAllSitesAllowedByDistrict")
    available: set[int] = set()
    for site in store.sites.values():
        if site.district_id is None:
            continue
        district = store.districts[site.district_id]
        region_id = district.region_id
        if region_id in disabled_regions:
            continue
        if region_id in all_districts or (
            district.id not in disabled_districts
            and (str(district.id) in all_sites_by_district or site.id in selected)
        ):
            available.add(site.id)
    return available


@dataclass
class SiteView:
    id: int
    name: str
    code: str
    denied: bool


@dataclass
class DistrictView:
    id: int
    name: str
    region_id: int
    denied: bool
    locked: bool  # rendered disabled because its region is denied
    sites: list[SiteView]


@dataclass
class RegionView:
    id: int
    name: str
    denied: bool
    districts: list[DistrictView]


@dataclass
class TreeView:
    hierarchical: bool
    all_allowed: bool
    regions: list[RegionView]
    flat_sites: list[SiteView]


def tree_view(store: Store, available: set[int], *, all_allowed: bool = False) -> TreeView:
    """How the server renders a tree: denied groups/sites checked, all-toggles unchecked
    (except a BO user with every site, whose page shows everything under "all" disabled)."""
    if not store.hierarchical:
        flat = [
            SiteView(s.id, s.name, s.code, s.id not in available)
            for s in sorted(store.sites.values(), key=lambda s: s.id)
        ]
        return TreeView(False, all_allowed, [], flat)
    regions: list[RegionView] = []
    for region in sorted(store.regions.values(), key=lambda r: r.id):
        districts: list[DistrictView] = []
        for group in sorted(store.districts_in_region(region.id), key=lambda d: d.id):
            sites = [
                SiteView(s.id, s.name, s.code, s.id not in available)
                for s in sorted(store.sites_in_district(group.id), key=lambda s: s.id)
            ]
            denied = all(s.denied for s in sites)
            districts.append(DistrictView(group.id, group.name, region.id, denied, False, sites))
        region_denied = all(d.denied for d in districts)
        for view in districts:
            view.locked = region_denied
            view.denied = view.denied or region_denied
        regions.append(RegionView(region.id, region.name, region_denied, districts))
    return TreeView(True, all_allowed, regions, [])
