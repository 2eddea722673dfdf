"""The site availability rule (CONTRACT §2.6), every branch, and the mirror-image render."""

from __future__ import annotations

import httpx
import pytest

from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.phpform import parse_pairs
from sonnys_tui.simulator.sites import employee_sites, user_sites

from .browser import form_pairs, post


def _emp(sim: Simulator, pairs: list[tuple[str, str]]) -> set[int]:
    return employee_sites(sim.store, parse_pairs(pairs))


def _sites_of_district(sim: Simulator, district_id: int) -> set[int]:
    return {s.id for s in sim.store.sites_in_district(district_id)}


def _sites_of_region(sim: Simulator, region_id: int) -> set[int]:
    return {
        s.id
        for s in sim.store.sites.values()
        if s.district_id is not None and sim.store.districts[s.district_id].region_id == region_id
    }


def test_all_regions_allows_everything_whatever_else_is_posted(sim: Simulator) -> None:
    pairs = [("employee[isAllRegionsAllowed]", "on"), ("employee[disabledRegions][]", "1")]
    assert _emp(sim, pairs) == set(sim.store.sites)


def test_nothing_posted_means_no_site(sim: Simulator) -> None:
    assert _emp(sim, []) == set()


def test_selected_site_is_its_hidden_site_id_without_is_available(sim: Simulator) -> None:
    assert _emp(sim, [("employee[sites][17][siteId]", "17")]) == {17}
    denied = [("employee[sites][17][siteId]", "17"), ("employee[sites][17][isAvailable]", "17")]
    assert _emp(sim, denied) == set()
    assert _emp(sim, [("employee[sites][17][isAvailable]", "17")]) == set()


def test_disabled_region_denies_its_sites_even_when_selected_or_all_districts(
    sim: Simulator,
) -> None:
    pairs = [
        ("employee[disabledRegions][]", "1"),
        ("employee[isAllDistrictsAllowedByRegion][]", "1"),
        ("employee[sites][17][siteId]", "17"),
        ("employee[sites][1][siteId]", "1"),
    ]
    assert _emp(sim, pairs) == {1}


def test_all_districts_of_a_region_allows_the_region_despite_disabled_districts(
    sim: Simulator,
) -> None:
    pairs = [
        ("employee[isAllDistrictsAllowedByRegion][]", "2"),
        ("employee[disabledDistricts][]", "2"),
    ]
    assert _emp(sim, pairs) == _sites_of_region(sim, 2)


def test_disabled_district_denies_its_sites_even_when_selected(sim: Simulator) -> None:
    pairs = [
        ("employee[disabledDistricts][]", "2"),
        ("employee[isAllSitesAllowedByDistrict][2]", "on"),
        ("employee[sites][1][siteId]", "1"),
        ("employee[sites][6][siteId]", "6"),
    ]
    assert _emp(sim, pairs) == {6}


def test_all_sites_of_a_district(sim: Simulator) -> None:
    pairs = [("employee[isAllSitesAllowedByDistrict][3]", "on")]
    assert _emp(sim, pairs) == _sites_of_district(sim, 3)


def test_flat_tenant_all_sites_or_blocklist(flat_sim: Simulator) -> None:
    every = set(flat_sim.store.sites)
    assert (
        _emp(flat_sim, [("employee[isAllSitesAllowed]", "on"), ("employee[siteIds][]", "3")])
        == every
    )
    assert _emp(flat_sim, [("employee[siteIds][]", "3"), ("employee[siteIds][]", "5")]) == every - {
        3,
        5,
    }
    assert _emp(flat_sim, []) == every


def test_user_tree_names_have_no_prefix_and_site_ids_are_an_allowlist(
    sim: Simulator, flat_sim: Simulator
) -> None:
    assert user_sites(sim.store, parse_pairs([("isAllRegionsAllowed", "on")])) == (
        True,
        set(sim.store.sites),
    )
    picked = parse_pairs([("siteIds[]", "17"), ("siteIds[]", "1"), ("disabledRegions[]", "2")])
    assert user_sites(sim.store, picked) == (False, {17})
    # Prefixed names mean nothing on the user form.
    assert user_sites(sim.store, parse_pairs([("employee[isAllRegionsAllowed]", "on")])) == (
        False,
        set(),
    )
    flat = parse_pairs([("siteIds[]", "3"), ("siteIds[]", "10")])
    assert user_sites(flat_sim.store, flat) == (False, {3, 10})


@pytest.mark.parametrize(
    "available",
    [
        {17},  # one site; region 2 entirely denied -> its districts rendered locked
        {1, 2, 6, 17, 18, 19, 21},
        {23, 24},
    ],
)
def test_edit_page_renders_the_mirror_image_and_round_trips(
    sim: Simulator, client: httpx.Client, available: set[int]
) -> None:
    employee = next(e for e in sim.store.employees.values() if e.active and e.site_ids)
    employee.site_ids = set(available)
    page = client.get(f"/employee/edit/{employee.id}").text
    pairs = form_pairs(page, "employee-create-edit-form")
    hidden = {int(v) for k, v in pairs if k.endswith("[siteId]")}
    assert hidden == available  # denied sites' hidden inputs are disabled
    denied_boxes = {int(v) for k, v in pairs if k.endswith("[isAvailable]")}
    assert denied_boxes == set(sim.store.sites) - available  # checked and enabled
    assert post(client, "/employee/update", pairs).status_code == 302
    assert employee.site_ids == available


def test_denied_region_renders_its_districts_disabled_and_checked(
    sim: Simulator, client: httpx.Client
) -> None:
    from lxml import html

    employee = next(iter(sim.store.employees.values()))
    employee.site_ids = {17}
    doc = html.document_fromstring(client.get(f"/employee/edit/{employee.id}").text)
    region2 = doc.get_element_by_id("boac-permission-region-2")
    assert region2.get("checked") is not None and region2.get("disabled") is None
    for district_id in (2, 3, 4):
        box = doc.get_element_by_id(f"boac-permission-district-{district_id}")
        assert box.get("checked") is not None and box.get("disabled") is not None
    assert doc.get_element_by_id("boac-permission-region-1").get("checked") is None
    assert doc.get_element_by_id("boac-permission-district-5").get("checked") is not None


def test_flat_edit_page_round_trips_the_blocklist(
    flat_sim: Simulator, flat_client: httpx.Client
) -> None:
    employee = next(e for e in flat_sim.store.employees.values() if e.active and e.site_ids)
    employee.site_ids = {5, 9}
    page = flat_client.get(f"/employee/edit/{employee.id}").text
    pairs = form_pairs(page, "employee-create-edit-form")
    blocked = {int(v) for k, v in pairs if k == "employee[siteIds][]"}
    assert blocked == set(flat_sim.store.sites) - {5, 9}
    assert "employee[isAllSitesAllowed]" not in dict(pairs)
    post(flat_client, "/employee/update", pairs)
    assert employee.site_ids == {5, 9}
    # Unblocking one site in the browser makes it available.
    post(flat_client, "/employee/update", [p for p in pairs if p != ("employee[siteIds][]", "3")])
    assert employee.site_ids == {3, 5, 9}
