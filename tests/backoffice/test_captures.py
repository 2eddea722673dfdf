"""Parse the scrubbed live-tenant captures (local only: ``pytest -m captures``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml.html import HtmlElement

from sonnys_tui.backoffice import pages
from sonnys_tui.backoffice.forms import serialize_form

CAPTURES = Path(__file__).resolve().parents[3] / "shared" / "backoffice" / "captures"

pytestmark = [
    pytest.mark.captures,
    pytest.mark.skipif(not CAPTURES.is_dir(), reason="captures are not available here"),
]


def _doc(name: str) -> HtmlElement:
    return pages.parse_html((CAPTURES / name).read_bytes())


def test_employee_list() -> None:
    parsed = pages.parse_employee_list(_doc("employee_list.html"))
    assert len(parsed.rows) == 6
    first = parsed.rows[0]
    assert (first.employee_id, first.pos_user_id, first.site_codes) == (54, 9001, ("FIESTA",))
    assert first.access == "Custom" and first.departments == ("Greeter",) and first.active
    assert all(row.site_codes for row in parsed.rows)
    assert parsed.next_url is not None and parsed.next_url.startswith("/employee/2")
    assert parsed.site_codes[12] == "BERWYN"


def test_employee_create_page() -> None:
    page = pages.parse_employee_form(_doc("employee_create.html"))
    assert len(page.sites) == 19
    by_id = {s.id: s for s in page.sites}
    assert by_id[1].name == "Demo Wash Fiesta" and by_id[1].region_name == "Demo Wash Illinois"
    assert by_id[1].district_name == "Quinn's District"
    assert by_id[12].code == "BERWYN"
    assert [d.name for d in page.departments] == ["Cashier", "Greeter", "Line", "Management"]
    data = page.serialize(edit=False)
    assert data.get("employee[startDate]") == "04/13/2026"
    assert page.tree.decode(data) == frozenset()  # every toggle starts on "No"


@pytest.mark.parametrize(
    ("name", "active"),
    [
        ("e2e_employee_edit_486_before_disable.html", True),
        ("e2e_employee_edit_486_after_disable.html", False),
    ],
)
def test_e2e_edit_page_486(name: str, active: bool) -> None:
    edit = pages.parse_employee_edit(_doc(name))
    record = edit.record
    assert record.employee_id == 486 and record.pos_credential_id == 429
    assert record.site_ids == {17, 18, 19}  # site 20 and region 2 are denied
    assert record.active is active
    assert record.pos_user_id == 99003 and record.departments == ("Greeter",)
    data = edit.page.serialize(edit=True)
    # What a browser posts: no [isAvailable] pairs, no district box of the denied region.
    assert not [k for k, _ in data if k.endswith("[isAvailable]")]
    assert data.get_all("employee[disabledRegions][]") == ["2"]
    assert data.get_all("employee[disabledDistricts][]") == []
    assert data.get("employee[startDate]") == "04/13/2026"


def test_employee_edit_54() -> None:
    record = pages.parse_employee_edit(_doc("employee_edit_54.html")).record
    assert record.employee_id == 54 and record.site_ids == {1}


@pytest.mark.parametrize(
    ("name", "granted"),
    [("employee_permissions_54.html", True), ("e2e_permissions_page_486_initial.html", False)],
)
def test_pos_permissions(name: str, granted: bool) -> None:
    page = pages.parse_pos_permissions(_doc(name))
    assert len(page.catalogue) == 34
    assert [t.name for t in page.templates] == [
        "Manager", "Cashier", "General User", "General Manager",
        "Assistant Manager", "Shift Leader", "CSA",
    ]  # fmt: skip
    manager = page.templates[0]
    assert manager.grant_ids == frozenset(range(1, 35)) and not manager.override_ids
    assert page.templates[2].grant_ids == {22}
    assert 18 in page.templates[5].override_ids
    assert bool(page.granted) is granted


def test_user_pages() -> None:
    users = pages.parse_user_list(_doc("user_list.html"))
    assert len(users.rows) == 5 and not users.rows[-1].active
    assert users.next_url is not None
    create = pages.parse_user_create(_doc("user_create.html"))
    assert create.employees[0] == pages.LinkableEmployee(
        54, "avery.tester@example.com", "avery", "tester"
    )
    data = serialize_form(create.form)
    assert data.get("employee[isOnSiteEmployee]") == "1"
    permissions = pages.parse_user_permissions(_doc("w45f_user_permissions_2944451.html"))
    assert permissions.site_ids == {
        1,
        2,
        4,
        5,
        6,
        7,
        8,
        9,
        10,
        11,
        12,
        13,
        14,
        15,
        16,
        17,
        18,
        19,
        20,
    }
    assert [t.name for t in permissions.templates][:3] == [
        "Administrator",
        "Manager",
        "General User",
    ]
    assert "employee.list" in permissions.templates[2].tokens


def test_alerts_and_login() -> None:
    landed = pages.parse_alerts(_doc("w45_user_insert_landed.html"))
    assert "related employee is active" in landed.danger[0]
    after = pages.parse_alerts(_doc("e2e_employee_edit_486_after_disable.html"))
    assert after.success and "updated successfully" in after.success[0]
    assert pages.is_login_page(_doc("login_page.html"))
    assert not pages.is_login_page(_doc("employee_list.html"))


def test_template_lists() -> None:
    bo = pages.parse_template_list(_doc("w45f_bo-permission-template_list.html"), kind="bo")
    assert [(t.id, t.name, t.description) for t in bo[:3]] == [
        ("1", "admin", "Administrator"),
        ("2", "manager", "Manager"),
        ("3", "user", "General User"),
    ]
    pos = pages.parse_template_list(_doc("w45f_pos-permission-template_list.html"), kind="pos")
    assert [t.id for t in pos] == ["1", "2", "3", "4", "5", "6", "8"]


def test_insert_redirect_body() -> None:
    text = (CAPTURES / "employee_insert_response.html").read_text()
    assert pages.id_from_location("/employee/permissions/484", "/employee/permissions/") == 484
    assert "/employee/permissions/484" in text


@pytest.mark.parametrize(
    ("name", "spec"),
    [
        ("employee_create.html", "EMPLOYEE_CREATE"),
        ("employee_edit_54.html", "EMPLOYEE_EDIT"),
        ("employee_compensation_54.html", "COMPENSATION"),
        ("employee_permissions_54.html", "POS_PERMISSIONS"),
        ("user_create.html", "USER_CREATE"),
        ("w45f_user_edit_3312060.html", "USER_EDIT"),
        ("w45f_user_permissions_2944451.html", "USER_PERMISSIONS"),
    ],
)
def test_the_live_forms_are_what_the_writes_know(name: str, spec: str) -> None:
    # A write refuses a form that differs (formcheck): the live pages must not.
    from sonnys_tui.backoffice import formcheck

    assert formcheck.check(_doc(name), getattr(formcheck, spec)) == []
