from __future__ import annotations

import httpx
import pytest
from lxml import html

from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import BoUser, Employee

from .browser import alerts, form_pairs, post, replace, without

CREATE_FORM = "user-create-edit-form"
PERMS_FORM = "user-permissions-update-form"


def _create_pairs(client: httpx.Client, **changes: str) -> list[tuple[str, str]]:
    pairs = form_pairs(client.get("/user/create").text, CREATE_FORM)
    defaults = {
        "user__username": "new_person",
        "user__password": "long-enough-1",
        "user__confirmPassword": "long-enough-1",
        "employee__email": "new.person@example.com",
    }
    return replace(pairs, **{**defaults, **changes})


def _active_employee(sim: Simulator) -> Employee:
    linked = {u.employee_id for u in sim.store.users.values()}
    return next(
        e for e in sim.store.employees.values() if e.active and e.email and e.id not in linked
    )


def _created(sim: Simulator, response: httpx.Response) -> BoUser:
    assert response.status_code == 302, response.text
    location = response.headers["location"]
    assert location.endswith("?userIsNew=1")
    return sim.store.users[int(location.split("?")[0].rsplit("/", 1)[1])]


def test_create_page_lists_only_active_employees_with_their_emails(
    sim: Simulator, client: httpx.Client
) -> None:
    doc = html.document_fromstring(client.get("/user/create").text)
    options = [o for o in doc.get_element_by_id("user-employee").iter("option") if o.get("value")]
    ids = {int(o.get("value")) for o in options}
    assert ids == {e.id for e in sim.store.employees.values() if e.active}
    for option in options:
        employee = sim.store.employees[int(option.get("value"))]
        assert option.get("data-email") == employee.email
        assert option.get("data-first-name") == employee.first_name
    toggle = doc.get_element_by_id("employee-of-the-wash-toggle")
    assert toggle.get("checked") is not None


def test_linked_user_takes_the_employees_name(sim: Simulator, client: httpx.Client) -> None:
    employee = _active_employee(sim)
    pairs = _create_pairs(client, user__employeeId=str(employee.id), employee__email=employee.email)
    user = _created(sim, post(client, "/user/insert", pairs))
    assert (user.first_name, user.last_name, user.email) == (
        employee.first_name,
        employee.last_name,
        employee.email,
    )
    assert user.employee_id == employee.id and user.active
    assert user.tokens == set() and not user.all_sites


def test_standalone_user_needs_names_of_2_to_64_chars(sim: Simulator, client: httpx.Client) -> None:
    base = without(_create_pairs(client), "employee[isOnSiteEmployee]")
    bad = post(
        client, "/user/insert", replace(base, employee__firstName="X", employee__lastName="Ok")
    )
    assert bad.headers["location"].startswith("/user/create?actionXfer=")
    good = replace(base, employee__firstName="Outside", employee__lastName="Helper")
    user = _created(sim, post(client, "/user/insert", good))
    assert user.employee_id is None and user.first_name == "Outside"


def test_linked_to_inactive_employee_is_refused_and_form_refilled(
    sim: Simulator, client: httpx.Client
) -> None:
    employee = next(e for e in sim.store.employees.values() if not e.active)
    pairs = _create_pairs(client, user__employeeId=str(employee.id))
    response = post(client, "/user/insert", pairs)
    location = response.headers["location"]
    assert location.startswith("/user/create?actionXfer=")
    page = client.get(location).text
    assert alerts(page)[0].startswith("Unable to save the user information.")
    refilled = dict(form_pairs(page, CREATE_FORM))
    assert refilled["user[username]"] == "new_person"
    assert refilled["employee[email]"] == "new.person@example.com"
    assert refilled["user[password]"] == ""


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"user__username": "bot"}, "username bot"),
        ({"user__username": "9lives"}, "username must start"),
        ({"user__password": "short", "user__confirmPassword": "short"}, "at least 8"),
        ({"user__confirmPassword": "different-1"}, "do not match"),
        ({"employee__email": "bot@example.com"}, "email bot@example.com"),
    ],
)
def test_insert_validation(
    sim: Simulator, client: httpx.Client, changes: dict[str, str], fragment: str
) -> None:
    employee = _active_employee(sim)
    if "employee__email" in changes:  # a linked user only types an e-mail its employee lacks
        employee = next(e for e in sim.store.employees.values() if e.active and not e.email)
    count = len(sim.store.users)
    pairs = _create_pairs(client, user__employeeId=str(employee.id), **changes)
    response = post(client, "/user/insert", pairs)
    assert response.headers["location"].startswith("/user/create?actionXfer=")
    assert fragment in alerts(client.get(response.headers["location"]).text)[0]
    assert len(sim.store.users) == count


def test_permissions_need_an_accessible_site(sim: Simulator, client: httpx.Client) -> None:
    employee = _active_employee(sim)
    user = _created(
        sim, post(client, "/user/insert", _create_pairs(client, user__employeeId=str(employee.id)))
    )
    page = client.get(f"/user/permissions/{user.id}?userIsNew=1").text
    pairs = form_pairs(page, PERMS_FORM)
    assert ("userIsNew", "1") in pairs
    response = post(client, "/user/permissions/update", pairs)
    assert response.headers["location"].startswith(f"/user/permissions/{user.id}?userIsNew=1&")
    assert (
        "no less than 1 valid selection" in alerts(client.get(response.headers["location"]).text)[0]
    )
    # The user now switches region 1 and district 1 on and picks site 17.
    chosen = [
        *without(pairs, "disabledRegions[]", "disabledDistricts[]"),
        ("siteIds[]", "17"),
        ("perms[0][isEnabled]", "1"),
        ("template", "1"),
    ]
    ok = post(client, "/user/permissions/update", chosen)
    assert ok.headers["location"].startswith(f"/user/permissions/{user.id}?userIsNew=&actionXfer=")
    assert user.site_ids == {17} and not user.all_sites
    first_token = dict(pairs)["perms[0][token]"]
    assert user.tokens == {first_token}  # the template select granted nothing
    assert alerts(client.get(ok.headers["location"]).text, "success")


def test_all_regions_user_page_renders_everything_below_disabled(
    sim: Simulator, client: httpx.Client
) -> None:
    bot = sim.store.user_by_username(sim.username)
    assert bot is not None and bot.all_sites
    page = client.get(f"/user/permissions/{bot.id}").text
    doc = html.document_fromstring(page)
    assert doc.get_element_by_id("boac-permission-type-region").get("checked") is not None
    for site_id in sim.store.sites:
        hidden = doc.get_element_by_id(f"boac-permission-site-option-hidden-input-{site_id}")
        assert hidden.get("disabled") is not None and hidden.get("name") == "siteIds[]"
        assert doc.get_element_by_id(f"boac-permission-site-{site_id}").get("name") is None
    tokens = set(bot.tokens)
    post(client, "/user/permissions/update", form_pairs(page, PERMS_FORM))
    assert bot.all_sites and bot.tokens == tokens


def test_flat_tenant_user_permissions(flat_sim: Simulator, flat_client: httpx.Client) -> None:
    user = next(u for u in flat_sim.store.users.values() if u.employee_id is not None)
    page = flat_client.get(f"/user/permissions/{user.id}").text
    pairs = form_pairs(page, PERMS_FORM)
    assert {int(v) for k, v in pairs if k == "siteIds[]"} == user.site_ids
    post(flat_client, "/user/permissions/update", [*pairs, ("siteIds[]", "14")])
    assert 14 in user.site_ids


def test_user_edit_inverted_toggles_and_full_replace(sim: Simulator, client: httpx.Client) -> None:
    user = next(u for u in sim.store.users.values() if u.employee_id is not None)
    password = user.password
    page = client.get(f"/user/edit/{user.id}").text
    pairs = form_pairs(page, "user-edit-edit-form")
    assert ("user[changePassword]", "1") in pairs  # checked = "No, keep the password"
    assert "user[isDeleted]" not in dict(pairs)  # active user: box unchecked
    post(client, "/user/update", [*pairs, ("user[isDeleted]", "1")])
    assert not user.active and user.password == password
    # Leaving out changePassword asks for a new one; empty passwords are refused.
    response = post(client, "/user/update", without(pairs, "user[changePassword]"))
    assert response.headers["location"].startswith(f"/user/edit/{user.id}?actionXfer=")
    assert user.password == password
    post(client, "/user/update", pairs)
    assert user.active


def test_user_list_filters_and_columns(sim: Simulator, client: httpx.Client) -> None:
    doc = html.document_fromstring(client.get("/user", params={"statusSearch": "inactive"}).text)
    rows = doc.xpath("//table[contains(@class,'table-users-list')]/tbody/tr")
    usernames = [
        r.xpath("./td[contains(@class,'users-col-username')]")[0].text_content().strip()
        for r in rows
    ]
    assert usernames == ["outside_auditor"]
    auditor = sim.store.user_by_username("outside_auditor")
    assert auditor is not None
    assert rows[0].xpath(f".//a[@id='link-edit-permissions-user-{auditor.id}']")
    assert rows[0].xpath(f".//a[@id='link-edit-user-{auditor.id}']/@href") == [
        f"/user/edit/{auditor.id}"
    ]
    doc = html.document_fromstring(client.get("/user", params={"userNameSearch": "BOT"}).text)
    assert len(doc.xpath("//table[contains(@class,'table-users-list')]/tbody/tr")) == 1
