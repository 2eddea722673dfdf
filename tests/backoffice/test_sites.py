from __future__ import annotations

import itertools

import lxml.html
import pytest

from sonnys_tui.backoffice.errors import BackofficeServerError
from sonnys_tui.backoffice.forms import FormData, find_form, serialize_form
from sonnys_tui.backoffice.sites import SiteTree, parse_site_tree

from .snippets import employee_form, employee_tree, flat_tree

ALL = {17, 18, 1, 2}


def _parsed(html: str, form_id: str = "employee-create-edit-form") -> tuple[SiteTree, FormData]:
    form = find_form(lxml.html.document_fromstring(html), form_id)
    assert form is not None
    return parse_site_tree(form, page="test"), serialize_form(form, edit=True)


def _subsets() -> list[set[int]]:
    return [set(c) for r in range(1, 5) for c in itertools.combinations(sorted(ALL), r)]


@pytest.mark.parametrize("available", _subsets())
def test_decode_reads_the_inverted_tree(available: set[int]) -> None:
    tree, data = _parsed(employee_form(employee_tree(available=available)))
    assert tree.decode(data) == available


def test_structure_names_and_class_tokens() -> None:
    tree, _ = _parsed(employee_form(employee_tree(available={17})))
    assert tree.hierarchical
    assert [s.id for s in tree.sites] == [17, 18, 1, 2]
    assert tree.region_names == {1: "Region 1", 2: "Region 2"}
    assert tree.district_names == {1: "D1", 2: "D2"}
    assert tree.sites[0].name == "Wash 17" and tree.sites[0].region_id == 1


@pytest.mark.parametrize("insert", [False, True])
@pytest.mark.parametrize("wanted", _subsets())
def test_encode_then_decode_round_trips(wanted: set[int], insert: bool) -> None:
    tree, data = _parsed(employee_form(employee_tree(available={18, 2})))
    tree.encode(data, wanted, insert=insert)
    assert tree.decode(data) == wanted
    # The polarity earlier scrapers got backwards: wanted sites go as their hidden siteId.
    for site in wanted:
        assert (f"employee[sites][{site}][siteId]", str(site)) in data.pairs()
    denied_boxes = {k for k, _ in data if k.endswith("[isAvailable]")}
    expected = {f"employee[sites][{s}][isAvailable]" for s in ALL - wanted} if insert else set()
    assert denied_boxes == expected
    assert data.get("employee[nickname]") == "Ace"


def test_encode_all_uses_the_all_toggle() -> None:
    tree, data = _parsed(employee_form(employee_tree(available={18})))
    tree.encode(data, None, insert=False)
    assert "employee[isAllRegionsAllowed]" in data
    assert not [k for k, _ in data if "[sites]" in k or "disabled" in k]
    assert tree.decode(data) == ALL


def test_all_regions_rendered_decodes_to_everything() -> None:
    tree, data = _parsed(employee_form(employee_tree(available=set(), all_regions=True)))
    assert tree.decode(data) == ALL


def test_encode_rejects_unknown_site_ids() -> None:
    tree, data = _parsed(employee_form(employee_tree(available={18})))
    with pytest.raises(ValueError, match="99"):
        tree.encode(data, {99}, insert=False)


def test_bo_tree_without_prefix_uses_site_ids_allowlist() -> None:
    html = (
        '<form id="user-permissions-update-form">'
        + employee_tree(available={17, 2}, prefix="")
        + "</form>"
    )
    tree, data = _parsed(html, "user-permissions-update-form")
    assert sorted(data.get_all("siteIds[]")) == ["17", "2"]
    assert tree.decode(data) == {17, 2}
    tree.encode(data, {1}, insert=False)
    assert data.get_all("siteIds[]") == ["1"]
    assert tree.decode(data) == {1}


@pytest.mark.parametrize("wanted", [{3}, {3, 6}, {5}])
def test_flat_blocklist(wanted: set[int]) -> None:
    tree, data = _parsed(employee_form(flat_tree(available={5})))
    assert not tree.hierarchical
    assert tree.decode(data) == {5}
    tree.encode(data, wanted, insert=False)
    assert tree.decode(data) == wanted
    assert {int(v) for v in data.get_all("employee[siteIds][]")} == {3, 5, 6} - wanted
    tree.encode(data, None, insert=False)
    assert "employee[isAllSitesAllowed]" in data and not data.get_all("employee[siteIds][]")


def test_missing_tree_is_loud() -> None:
    with pytest.raises(BackofficeServerError, match="has no site tree"):
        _parsed(employee_form(""))
