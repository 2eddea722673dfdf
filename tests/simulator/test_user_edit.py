"""The simulated user edit/update (CONTRACT §3, capture w45f_user_edit): full replace,
inverted toggles, the linked employee rule, and the switches for what is unknown."""

from __future__ import annotations

import httpx
import pytest
from lxml import html

from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import BoUser

from .browser import alerts, form_pairs, post, replace, without

FORM = "user-edit-edit-form"


def _linked(sim: Simulator) -> BoUser:
    return next(u for u in sim.store.users.values() if u.employee_id is not None and u.active)


def _edit_pairs(client: httpx.Client, user: BoUser) -> list[tuple[str, str]]:
    return form_pairs(client.get(f"/user/edit/{user.id}").text, FORM)


def test_edit_page_renders_the_user_with_its_inverted_toggles(
    sim: Simulator, client: httpx.Client
) -> None:
    user = _linked(sim)
    employee = sim.store.employees[user.employee_id or 0]
    page = client.get(f"/user/edit/{user.id}").text
    doc = html.document_fromstring(page)
    assert doc.get_element_by_id("page-title").text_content() == "Edit Back Office User"
    subtitle = doc.get_element_by_id("page-sub-title").text_content()
    assert subtitle == f"Name: {employee.first_name} {employee.last_name}"
    pairs = dict(form_pairs(page, FORM))
    assert pairs["user[employeeId]"] == pairs["employee[id]"] == str(employee.id)
    assert pairs["user[changePassword]"] == "1"  # checked: "Change Password: No"
    assert "user[isDeleted]" not in pairs  # active: "User is active?" box unchecked
    assert pairs["user[password]"] == pairs["user[confirmPassword]"] == ""
    user.active = False
    assert dict(_edit_pairs(client, user))["user[isDeleted]"] == "1"


@pytest.mark.parametrize("variant", ["validate", "blank"])
def test_unchecked_change_password(sim: Simulator, client: httpx.Client, variant: str) -> None:
    sim.settings.unchecked_change_password = variant  # type: ignore[assignment]
    user = _linked(sim)
    password = user.password
    response = post(
        client, "/user/update", without(_edit_pairs(client, user), "user[changePassword]")
    )
    if variant == "validate":
        assert response.headers["location"].startswith(f"/user/edit/{user.id}?actionXfer=")
        assert "at least 8" in alerts(client.get(response.headers["location"]).text)[0]
        assert user.password == password
    else:
        assert response.headers["location"] == "/user"
        assert user.password == ""  # the trap: a dropped box blanks the password
    new = replace(
        without(_edit_pairs(client, user), "user[changePassword]"),
        user__password="Brand-new-pw-1",
        user__confirmPassword="Brand-new-pw-1",
    )
    post(client, "/user/update", new)
    assert user.password == "Brand-new-pw-1"


def test_changed_password_must_match_when_validated(sim: Simulator, client: httpx.Client) -> None:
    user = _linked(sim)
    pairs = replace(
        without(_edit_pairs(client, user), "user[changePassword]"),
        user__password="Brand-new-pw-1",
        user__confirmPassword="Other-pw-2222",
    )
    response = post(client, "/user/update", pairs)
    assert "do not match" in alerts(client.get(response.headers["location"]).text)[0]


@pytest.mark.parametrize("rule", ["reactivate", "any", "never"])
def test_user_of_an_inactive_employee(sim: Simulator, client: httpx.Client, rule: str) -> None:
    sim.settings.inactive_employee_user_save = rule  # type: ignore[assignment]
    user = _linked(sim)
    sim.store.employees[user.employee_id or 0].active = False
    disable = post(client, "/user/update", [*_edit_pairs(client, user), ("user[isDeleted]", "1")])
    assert user.active == (rule == "any")
    if rule == "any":
        assert (
            "related employee is active" in alerts(client.get(disable.headers["location"]).text)[0]
        )
        user.active = False
    enable = post(client, "/user/update", without(_edit_pairs(client, user), "user[isDeleted]"))
    assert user.active == (rule == "never")
    if rule != "never":
        assert enable.headers["location"].startswith(f"/user/edit/{user.id}?actionXfer=")


def test_update_redirect_switch(sim: Simulator, client: httpx.Client) -> None:
    sim.settings.user_update_redirect = "edit"
    user = _linked(sim)
    response = post(client, "/user/update", [*_edit_pairs(client, user), ("user[isDeleted]", "1")])
    assert response.headers["location"] == f"/user/edit/{user.id}" and not user.active
    page = client.get(response.headers["location"]).text
    assert alerts(page, "success") == [f"{user.username} was updated successfully."]


def test_update_is_a_full_replace(sim: Simulator, client: httpx.Client) -> None:
    """Left out, universal site access is switched off: only a round trip keeps it."""
    user = _linked(sim)
    user.all_sites = True
    pairs = _edit_pairs(client, user)
    assert ("universalSiteAccess", "1") in pairs
    post(client, "/user/update", pairs)
    assert user.all_sites
    post(client, "/user/update", without(pairs, "universalSiteAccess"))
    assert not user.all_sites


def test_list_shows_a_linked_users_employee_name(sim: Simulator, client: httpx.Client) -> None:
    user = _linked(sim)
    employee = sim.store.employees[user.employee_id or 0]
    employee.first_name, employee.last_name = "Renamed", "Person"
    response = client.get(
        "/user", params={"firstNameSearch": "renamed", "lastNameSearch": "PERSON"}
    )
    doc = html.document_fromstring(response.text)
    cells = doc.xpath("//td[contains(@class,'users-col-username')]")
    assert [c.text_content().strip() for c in cells] == [user.username]
    assert doc.xpath("//td[contains(@class,'users-col-first-name')]")[0].text == "Renamed"


def test_large_tenant_with_backoffice_users_of_known_kinds() -> None:
    sim = Simulator.large(600, backoffice_users=120)
    store = sim.store
    users = list(store.users.values())
    assert len(users) >= 120
    employee_of = {u.id: store.employees.get(u.employee_id or 0) for u in users}
    assert any(
        u.active and e is not None and not e.active for u in users if (e := employee_of[u.id])
    )
    assert any(u.active and u.employee_id is None and u.username != sim.username for u in users)
    admin = store.bo_templates[1].tokens
    assert any(u.active and u.tokens == set(admin) and u.employee_id for u in users)
    assert any(
        u.active and e is not None and e.active and not u.site_ids <= e.site_ids
        for u in users
        if (e := employee_of[u.id])
    )
    linked = [u.employee_id for u in users if u.employee_id is not None]
    assert len(linked) == len(set(linked))  # one user per employee
    again = Simulator.large(600, backoffice_users=120).store.users
    assert {i: (u.username, u.employee_id) for i, u in again.items()} == {
        u.id: (u.username, u.employee_id) for u in users
    }
