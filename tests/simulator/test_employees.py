from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx
import pytest
from lxml import html

from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Employee

from .browser import alerts, form_pairs, post, replace, without

FORM = "employee-create-edit-form"


def _tree_pairs(sim: Simulator, wanted: set[int]) -> list[tuple[str, str]]:
    """What a browser posts for the tree after the user picked ``wanted`` sites."""
    store = sim.store
    pairs: list[tuple[str, str]] = []
    for region in store.regions.values():
        districts = store.districts_in_region(region.id)
        region_sites = {s.id for d in districts for s in store.sites_in_district(d.id)}
        if not region_sites & wanted:
            pairs.append(("employee[disabledRegions][]", str(region.id)))
            continue
        for district in districts:
            sites = {s.id for s in store.sites_in_district(district.id)}
            if not sites & wanted:
                pairs.append(("employee[disabledDistricts][]", str(district.id)))
            pairs.extend((f"employee[sites][{s}][siteId]", str(s)) for s in sorted(sites & wanted))
    return pairs


def _new_employee_pairs(
    sim: Simulator, client: httpx.Client, sites: set[int], **changes: str
) -> list[tuple[str, str]]:
    page = client.get("/employee/create").text
    pairs = [
        (k, v)
        for k, v in form_pairs(page, FORM)
        if not k.startswith(("employee[sites]", "employee[disabled", "employee[isAll"))
    ]
    defaults = {
        "employee__firstName": "Testy",
        "employee__lastName": "McFixture",
        "employee__phone": "(312) 555-0142",
        "employee__email": "testy.mcfixture@example.com",
        "employee__startDate": "04/13/2026",
        "posCredential__POSLoginID": "7777",
        "posCredential__POSLoginPassword": "24680",
        "wage__regularRate": "15.25",
    }
    pairs = replace(pairs, **{**defaults, **changes})
    pairs.append(("employee[departments][]", "3"))
    return pairs + _tree_pairs(sim, sites)


def _insert(sim: Simulator, client: httpx.Client, sites: set[int], **changes: str) -> Employee:
    response = post(client, "/employee/insert", _new_employee_pairs(sim, client, sites, **changes))
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.startswith("/employee/permissions/")
    return sim.store.employees[int(location.rsplit("/", 1)[1])]


def _rows(page: str) -> list[html.HtmlElement]:
    doc = html.document_fromstring(page)
    return doc.xpath("//table[contains(@class,'table-employees-list')]/tbody/tr")


def _cell(row: html.HtmlElement, col: str) -> str:
    return row.xpath(f"./td[contains(@class,'employees-col-{col}')]")[0].text_content().strip()


# --- insert ----------------------------------------------------------------------------------


def test_insert_stores_verbatim_and_redirects_to_permissions(
    sim: Simulator, client: httpx.Client
) -> None:
    response = post(client, "/employee/insert", _new_employee_pairs(sim, client, {17, 1}))
    assert response.status_code == 302
    assert "Redirecting to" in response.text
    new_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert response.headers["location"] == f"/employee/permissions/{new_id}"
    employee = sim.store.employees[new_id]
    assert employee.phone == "(312) 555-0142"  # verbatim, not normalised
    assert employee.site_ids == {17, 1}
    assert employee.department_ids == [3]
    assert employee.start_date == date(2026, 4, 13)
    assert employee.grant_ids == set() and employee.override_ids == set()
    assert employee.active
    assert employee.wages[0].regular_rate == Decimal("15.25")
    assert employee.wages[0].effective_date == date(2026, 4, 13)
    assert not employee.wages[0].overtime_eligible
    assert employee.id > max(i for i in sim.store.employees if i != new_id)


def test_new_employee_shows_access_none_in_the_list(sim: Simulator, client: httpx.Client) -> None:
    employee = _insert(sim, client, {17})
    page = client.get("/employee", params={"posUserId": str(employee.pos_user_id)}).text
    (row,) = _rows(page)
    assert _cell(row, "template") == "None"
    assert _cell(row, "sites") == "LAKE"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"employee__firstName": ""}, "First Name"),
        ({"posCredential__POSLoginID": "0"}, "POS User ID"),
        ({"posCredential__POSLoginID": "abc"}, "POS User ID"),
        ({"posCredential__POSLoginPassword": ""}, "PIN"),
        ({"wage__regularRate": ""}, "wage"),
    ],
)
def test_insert_rejections_redirect_back_with_an_alert(
    sim: Simulator, client: httpx.Client, changes: dict[str, str], message: str
) -> None:
    count = len(sim.store.employees)
    response = post(client, "/employee/insert", _new_employee_pairs(sim, client, {17}, **changes))
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith("/employee/create?actionXfer=")
    assert len(location.split("actionXfer=")[1]) == 8
    assert message in " ".join(alerts(client.get(location).text))
    assert len(sim.store.employees) == count


def test_insert_without_department_is_rejected(sim: Simulator, client: httpx.Client) -> None:
    pairs = without(_new_employee_pairs(sim, client, {17}), "employee[departments][]")
    response = post(client, "/employee/insert", pairs)
    assert "department" in alerts(client.get(response.headers["location"]).text)[0]


@pytest.mark.parametrize(
    ("wording", "expected"),
    [
        ("in use", "The POS User ID {} is already in use."),
        ("exists", "The POS User ID {} already exists."),
    ],
)
def test_duplicate_pos_id_wording(
    sim: Simulator, client: httpx.Client, wording: str, expected: str
) -> None:
    sim.settings.duplicate_wording = wording  # type: ignore[assignment]
    taken = next(iter(sim.store.employees.values())).pos_user_id
    pairs = _new_employee_pairs(sim, client, {17}, posCredential__POSLoginID=str(taken))
    response = post(client, "/employee/insert", pairs)
    assert alerts(client.get(response.headers["location"]).text) == [expected.format(taken)]


def test_email_must_be_unique_across_employees_and_bo_users(
    sim: Simulator, client: httpx.Client
) -> None:
    bot = sim.store.user_by_username(sim.username)
    assert bot is not None
    pairs = _new_employee_pairs(sim, client, {17}, employee__email=bot.email.upper())
    response = post(client, "/employee/insert", pairs)
    assert "already in use" in alerts(client.get(response.headers["location"]).text)[0]


def test_server_does_not_enforce_client_only_rules(sim: Simulator, client: httpx.Client) -> None:
    employee = _insert(
        sim, client, {17},
        employee__phone="12", employee__email="not-an-email",
        posCredential__POSLoginPassword="7", wage__isOvertimeEligible="1",
        wage__overtimeRate="99.99",
    )  # fmt: skip
    assert employee.phone == "12" and employee.pos_pin == "7"
    assert employee.wages[0].overtime_rate == Decimal("99.99")


def test_insert_with_no_site_is_accepted_but_hidden_from_the_list(
    sim: Simulator, client: httpx.Client
) -> None:
    employee = _insert(sim, client, set())
    assert employee.site_ids == set()
    page = client.get("/employee", params={"posUserId": str(employee.pos_user_id), "active": "all"})
    assert _rows(page.text) == []


# --- update ----------------------------------------------------------------------------------


def _edit_pairs(client: httpx.Client, employee_id: int) -> list[tuple[str, str]]:
    return form_pairs(client.get(f"/employee/edit/{employee_id}").text, FORM)


def _some_employee(sim: Simulator) -> Employee:
    return next(e for e in sim.store.employees.values() if e.active and e.site_ids and e.email)


def test_full_round_trip_changes_only_what_changed(sim: Simulator, client: httpx.Client) -> None:
    employee = _some_employee(sim)
    snapshot = (employee.site_ids.copy(), employee.department_ids.copy(), employee.start_date)
    pairs = replace(_edit_pairs(client, employee.id), employee__phone="312 555 0199")
    response = post(client, "/employee/update", pairs)
    assert response.status_code == 302
    assert response.headers["location"] == "/employee"
    assert employee.phone == "312 555 0199"
    assert (employee.site_ids, employee.department_ids, employee.start_date) == snapshot
    assert employee.active
    success = alerts(client.get("/employee").text, "success")
    assert success == [f"{employee.first_name} {employee.last_name} was updated successfully."]
    assert alerts(client.get("/employee").text, "success") == []  # shown once


def test_minimal_post_is_accepted_and_wipes_the_rest(sim: Simulator, client: httpx.Client) -> None:
    employee = _some_employee(sim)
    response = post(
        client, "/employee/update",
        [("employee[id]", str(employee.id)), ("employee[firstName]", employee.first_name)],
    )  # fmt: skip
    assert response.status_code == 302
    assert not employee.active
    assert employee.last_name == "" and employee.email == "" and employee.phone == ""
    assert employee.site_ids == set() and employee.department_ids == []
    assert employee.start_date is None


def test_start_date_without_value_attribute_is_lost_by_a_naive_serializer(
    sim: Simulator, client: httpx.Client
) -> None:
    employee = _some_employee(sim)
    page = client.get(f"/employee/edit/{employee.id}").text
    pairs = form_pairs(page, FORM, use_data_value=False)
    post(client, "/employee/update", pairs)
    assert employee.start_date is None


def test_disable_is_the_full_form_without_is_active(sim: Simulator, client: httpx.Client) -> None:
    employee = _some_employee(sim)
    before = employee.status_changed
    post(
        client, "/employee/update", without(_edit_pairs(client, employee.id), "employee[isActive]")
    )
    assert not employee.active
    assert employee.status_changed != before
    page = client.get(f"/employee/edit/{employee.id}").text
    assert "employee[isActive]" not in dict(form_pairs(page, FORM))
    post(client, "/employee/update", replace(form_pairs(page, FORM), employee__isActive="1"))
    assert employee.active


def test_is_active_zero_still_counts_as_active(sim: Simulator, client: httpx.Client) -> None:
    employee = _some_employee(sim)
    post(
        client,
        "/employee/update",
        replace(_edit_pairs(client, employee.id), employee__isActive="0"),
    )
    assert employee.active


def test_pos_id_stays_reserved_after_disable(sim: Simulator, client: httpx.Client) -> None:
    employee = _some_employee(sim)
    post(
        client, "/employee/update", without(_edit_pairs(client, employee.id), "employee[isActive]")
    )
    assert not employee.active
    pairs = _new_employee_pairs(
        sim, client, {17}, posCredential__POSLoginID=str(employee.pos_user_id)
    )
    response = post(client, "/employee/insert", pairs)
    assert response.headers["location"].startswith("/employee/create?actionXfer=")


def test_update_rejects_another_employees_pos_id(sim: Simulator, client: httpx.Client) -> None:
    first, second = list(sim.store.employees.values())[:2]
    pairs = replace(
        _edit_pairs(client, first.id), posCredential__POSLoginID=str(second.pos_user_id)
    )
    response = post(client, "/employee/update", pairs)
    assert response.headers["location"].startswith(f"/employee/edit/{first.id}?actionXfer=")
    assert first.pos_user_id != second.pos_user_id


def test_extra_edit_fields_survive_only_a_full_round_trip(
    sim: Simulator, client: httpx.Client
) -> None:
    sim.settings.extra_edit_fields = {"employee[payrollGroup]": "B-7"}
    employee = _some_employee(sim)
    pairs = _edit_pairs(client, employee.id)
    assert ("employee[payrollGroup]", "B-7") in pairs
    post(client, "/employee/update", replace(pairs, employee__payrollGroup="C-9"))
    assert employee.extra == {"employee[payrollGroup]": "C-9"}
    post(
        client,
        "/employee/update",
        without(_edit_pairs(client, employee.id), "employee[payrollGroup]"),
    )
    assert employee.extra == {"employee[payrollGroup]": ""}


# --- permissions -----------------------------------------------------------------------------


def test_permissions_store_exactly_what_is_posted(sim: Simulator, client: httpx.Client) -> None:
    employee = _insert(sim, client, {17})
    page = client.get(f"/employee/permissions/{employee.id}").text
    pairs = form_pairs(page, "employee-permission-update-form")
    assert pairs.count(("permissions[1][requiresOverride]", "0")) == 1
    assert sum(1 for k, _ in pairs if k == "permissions[1][id]") == 2
    # templateId alone grants nothing.
    response = post(client, "/employee/permissions/update", replace(pairs, templateId="2"))
    assert response.headers["location"] == "/employee"
    assert employee.grant_ids == set()
    cashier = sim.store.pos_templates[2]
    chosen = list(pairs)
    for pid in sorted(cashier.grant_ids):
        chosen.append((f"permissions[{pid}][hasGrantAccess]", "1"))
    for pid in sorted(cashier.override_ids):
        chosen.append((f"permissions[{pid}][requiresOverride]", "1"))
    post(client, "/employee/permissions/update", chosen)
    assert employee.grant_ids == set(cashier.grant_ids)
    assert employee.override_ids == set(cashier.override_ids)
    row = _rows(client.get("/employee", params={"posUserId": str(employee.pos_user_id)}).text)[0]
    assert _cell(row, "template") == "Cashier"


def test_override_is_read_by_value_and_grant_by_presence(
    sim: Simulator, client: httpx.Client
) -> None:
    employee = _some_employee(sim)
    post(
        client, "/employee/permissions/update",
        [
            ("employeeId", str(employee.id)),
            ("permissions[5][hasGrantAccess]", "0"),
            ("permissions[5][requiresOverride]", "0"),
            ("permissions[7][hasGrantAccess]", "1"),
            ("permissions[7][requiresOverride]", "1"),
            ("permissions[1][requiresOverride]", "0"),
        ],
    )  # fmt: skip
    assert employee.grant_ids == {5, 7}
    assert employee.override_ids == {7}
    assert not employee.action_approval_authority
    page = client.get(f"/employee/permissions/{employee.id}").text
    pairs = form_pairs(page, "employee-permission-update-form")
    assert ("permissions[5][hasGrantAccess]", "1") in pairs
    assert ("permissions[7][requiresOverride]", "1") in pairs
    row = _rows(client.get("/employee", params={"posUserId": str(employee.pos_user_id)}).text)[0]
    assert _cell(row, "template") == "Custom"


def test_round_trip_of_permissions_page_keeps_the_sets(
    sim: Simulator, client: httpx.Client
) -> None:
    employee = next(e for e in sim.store.employees.values() if 1 in e.grant_ids and e.override_ids)
    grants, overrides = set(employee.grant_ids), set(employee.override_ids)
    page = client.get(f"/employee/permissions/{employee.id}").text
    post(
        client, "/employee/permissions/update", form_pairs(page, "employee-permission-update-form")
    )
    assert (employee.grant_ids, employee.override_ids) == (grants, overrides)


# --- compensation ----------------------------------------------------------------------------


def test_wage_history_newest_first_and_stale_wages_silently_ignored(
    sim: Simulator, client: httpx.Client
) -> None:
    employee = _insert(sim, client, {17})
    base = [
        ("employeeId", str(employee.id)),
        ("wage[isHourly]", "1"),
        ("wage[regularRate]", "16.00"),
    ]
    ok = post(
        client, "/employee/compensation/update", [*base, ("wage[effectiveDate]", "05/01/2026")]
    )
    assert ok.status_code == 302
    stale = post(
        client, "/employee/compensation/update", [*base, ("wage[effectiveDate]", "04/13/2026")]
    )
    assert stale.status_code == 302 and stale.headers["location"] == ok.headers["location"]
    assert [w.effective_date for w in employee.wages] == [date(2026, 4, 13), date(2026, 5, 1)]
    doc = html.document_fromstring(client.get(f"/employee/compensation/{employee.id}").text)
    dates = doc.xpath(
        "//table[contains(@class,'table-employee-compensation-history')]"
        "//td[contains(@class,'employee-compensation-col-effective-date')]/text()"
    )
    assert dates == ["05/01/2026", "04/13/2026"]


# --- list ------------------------------------------------------------------------------------


def test_list_defaults_to_active_25_per_page_and_hides_siteless(
    sim: Simulator, client: httpx.Client
) -> None:
    page = client.get("/employee").text
    rows = _rows(page)
    assert len(rows) == 25
    listed = {
        int(r.xpath(".//a[starts-with(@id,'link-edit-employee-')]/@id")[0].rsplit("-", 1)[1])
        for r in rows
    }
    assert all(sim.store.employees[i].active and sim.store.employees[i].site_ids for i in listed)
    doc = html.document_fromstring(page)
    assert doc.get_element_by_id("pager-employees-next").get("href").startswith("/employee/2?")
    assert "employees-col-email" not in page
    everyone = _rows(client.get("/employee", params={"active": "all", "limit": "1000"}).text)
    visible = [e for e in sim.store.employees.values() if e.site_ids]
    assert len(everyone) == len(visible) < len(sim.store.employees)


def test_list_filters(sim: Simulator, client: httpx.Client) -> None:
    target = _some_employee(sim)
    rows = _rows(client.get("/employee", params={"posUserId": str(target.pos_user_id)}).text)
    assert [_cell(r, "pos-user-id") for r in rows] == [str(target.pos_user_id)]
    prefix = target.first_name[:2].lower()
    rows = _rows(client.get("/employee", params={"first_name": prefix, "limit": "500"}).text)
    assert rows and all(_cell(r, "first-name").lower().startswith(prefix) for r in rows)
    inactive = _rows(client.get("/employee", params={"active": "inactive", "limit": "500"}).text)
    assert inactive and all("fa-times" in html.tostring(r, encoding="unicode") for r in inactive)
    rows = _rows(client.get("/employee?sites%5B0%5D=17&limit=500").text)
    assert rows and all("LAKE" in _cell(r, "sites").split(", ") for r in rows)


def test_list_sorting_by_last_name_descending(client: httpx.Client) -> None:
    rows = _rows(
        client.get(
            "/employee", params={"sort_type": "last_name", "sort_dir": "-1", "limit": "500"}
        ).text
    )
    names = [_cell(r, "last-name").casefold() for r in rows]
    assert names == sorted(names, reverse=True)


def test_list_cells_markup(sim: Simulator, client: httpx.Client) -> None:
    target = _some_employee(sim)
    (row,) = _rows(client.get("/employee", params={"posUserId": str(target.pos_user_id)}).text)
    assert row.xpath(".//td[contains(@class,'employees-col-phone')]/a/@href") == [
        f"tel:{target.phone}"
    ]
    assert row.xpath(".//td[contains(@class,'employees-col-departments')]//li/text()")
    active = row.xpath(".//td[contains(@class,'employees-col-active')]")[0]
    assert active.get("data-date-utc") == target.status_changed.strftime("%Y-%m-%d %H:%M:%S")
    for link in ("employee-compensation", "employee-permission", "employee-timesheet"):
        assert row.xpath(f".//a[@id='link-{link}-{target.id}']")
    assert row.xpath(f".//a[@id='link-edit-employee-{target.id}']/@href") == [
        f"/employee/edit/{target.id}"
    ]


def test_create_page_site_options_and_disabled_wage_fields(
    sim: Simulator, client: httpx.Client
) -> None:
    doc = html.document_fromstring(client.get("/employee/create").text)
    site_select = doc.get_element_by_id("employee-compensation-salary-wage-site")
    assert site_select.get("disabled") is not None
    options = {o.get("value"): o.text for o in site_select.iter("option") if o.get("value")}
    assert options == {str(s.id): s.code for s in sim.store.sites.values()}
    assert doc.get_element_by_id("employee-compensation-overtime-rate").get("disabled") is not None
    start = doc.get_element_by_id("employee-start-date")
    assert start.get("value") is None and start.get("data-value") == ""


def test_list_shows_only_the_logged_in_users_sites(sim: Simulator) -> None:
    from .browser import login
    from .conftest import client_for

    manager = next(u for u in sim.store.users.values() if u.employee_id is not None)
    manager.all_sites, manager.site_ids = False, {17}
    manager.password = "manager-password"
    with client_for(sim) as c:
        login(c, manager.username, manager.password)
        page = c.get("/employee", params={"active": "all", "limit": "500"}).text
        rows = _rows(page)
        expected = [e for e in sim.store.employees.values() if 17 in e.site_ids]
        assert len(rows) == len(expected) > 0
        doc = html.document_fromstring(page)
        assert doc.xpath("//select[@id='employee-filter-sites']/option/@value") == ["17"]
        assert _rows(c.get("/employee", params={"sites[]": "1"}).text) == []


def test_rejection_page200_variant_serves_the_form_in_place(
    sim: Simulator, client: httpx.Client
) -> None:
    sim.settings.rejection = "page200"
    taken = next(iter(sim.store.employees.values())).pos_user_id
    pairs = _new_employee_pairs(sim, client, {17}, posCredential__POSLoginID=str(taken))
    response = post(client, "/employee/insert", pairs)
    assert response.status_code == 200
    assert alerts(response.text) == [f"The POS User ID {taken} is already in use."]
    assert 'action="/employee/insert"' in response.text
