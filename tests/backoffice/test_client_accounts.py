"""Back Office users: read one whole, disable/enable, template and sites, password reset.

Every write is checked against the simulator's store: what changed, and that nothing
else did (the edit form is a full replace with inverted toggles)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient as Client
from sonnys_tui.backoffice import user_pages
from sonnys_tui.backoffice.errors import (
    BackofficeServerError,
    NotFoundError,
    UnknownNameError,
    ValidationError,
)
from sonnys_tui.backoffice.forms import FormData
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import BoUser, Employee

from .conftest import make_client


def linked_user(sim: Simulator) -> BoUser:
    return next(u for u in sim.store.users.values() if u.employee_id is not None and u.active)


def add_user(sim: Simulator, employee: Employee | None, **overrides: Any) -> BoUser:
    """A Back Office user put straight into the store (as another manager would make it)."""
    number = len(sim.store.users) + 1
    fields: dict[str, Any] = {
        "id": sim.store.next_user_id(),
        "username": f"extra_login{number}",
        "email": employee.email if employee and employee.email else f"extra{number}@example.com",
        "password": "Orig-Password-1",
        "employee_id": employee.id if employee else None,
        "first_name": employee.first_name if employee else "Stand",
        "last_name": employee.last_name if employee else "Alone",
        "site_ids": set(employee.site_ids) if employee else {min(sim.store.sites)},
        "tokens": set(sim.store.bo_templates[3].tokens),
    }
    fields.update(overrides)
    return sim.store.add_user(BoUser(**fields))


def _user_state(user: BoUser) -> dict[str, object]:
    data = dataclasses.asdict(user)
    data.pop("active")
    return data


def _posts(sim: Simulator, path: str = "/user/update") -> list[list[tuple[str, str]]]:
    return [r.form for r in sim.requests if r.method == "POST" and r.path == path]


def _warm(client: Client) -> None:
    client.list_permissions(scope="backoffice")
    client.list_backoffice_users()
    client.list_employees()
    client.list_sites()


# ------------------------------------------------------------------------------ reads


def test_get_backoffice_user_by_every_key(sim: Simulator, client: Client) -> None:
    user = linked_user(sim)
    employee = sim.store.employees[user.employee_id or 0]
    _warm(client)
    before = len(sim.requests)
    record = client.get_backoffice_user(user_id=user.id)
    assert len(sim.requests) - before == 2  # the edit page and the permissions page
    assert (record.user_id, record.username, record.email, record.employee_id, record.active) == (
        user.id,
        user.username,
        user.email,
        employee.id,
        True,
    )
    assert (record.first_name, record.last_name) == (employee.first_name, employee.last_name)
    assert record.template == "manager"  # the seeded users have the Manager template's tokens
    assert record.site_ids == user.site_ids and not record.all_sites
    assert set(record.sites) == {sim.store.sites[i].name for i in user.site_ids}
    assert record.as_row() == next(
        r for r in client.list_backoffice_users() if r.user_id == user.id
    )
    assert client.get_backoffice_user(username=user.username.upper()) == record
    assert client.get_backoffice_user(employee_id=employee.id) == record
    assert client.get_backoffice_user(pos_user_id=employee.pos_user_id) == record


def test_template_custom_none_and_all_sites(demo_sim: Simulator, demo_client: Client) -> None:
    user = linked_user(demo_sim)
    user.tokens = {"employee.list"}
    assert demo_client.get_backoffice_user(user_id=user.id).template == "Custom"
    user.tokens = set()
    assert demo_client.get_backoffice_user(user_id=user.id).template == "None"
    bot = demo_sim.store.user_by_username(demo_sim.username)
    assert bot is not None
    record = demo_client.get_backoffice_user(user_id=bot.id)
    assert record.template == "admin" and record.access.template_description == "Administrator"
    assert record.all_sites and record.site_ids == set(demo_sim.store.sites)
    assert record.employee_id is None


def test_employee_with_two_or_no_users(demo_sim: Simulator, demo_client: Client) -> None:
    user = linked_user(demo_sim)
    employee = demo_sim.store.employees[user.employee_id or 0]
    second = add_user(demo_sim, employee, email="second.login@example.com")
    with pytest.raises(ValidationError) as info:
        demo_client.get_backoffice_user(employee_id=employee.id)
    assert user.username in str(info.value) and second.username in str(info.value)
    rows = demo_client.linked_backoffice_users(employee_id=employee.id)
    assert {r.user_id for r in rows} == {user.id, second.id}
    alone = next(
        e
        for e in demo_sim.store.employees.values()
        if e.site_ids and e.id not in {u.employee_id for u in demo_sim.store.users.values()}
    )
    with pytest.raises(NotFoundError):
        demo_client.get_backoffice_user(employee_id=alone.id)
    assert demo_client.linked_backoffice_users(pos_user_id=alone.pos_user_id) == []


def test_linked_users_are_found_fresh_and_namesakes_are_not_taken(
    demo_sim: Simulator, demo_client: Client
) -> None:
    """A login made after the list was cached is found; a same-named standalone user and a
    renamed employee do not fool the search."""
    _warm(demo_client)
    employee = next(
        e
        for e in demo_sim.store.employees.values()
        if e.active
        and e.site_ids
        and e.id not in {u.employee_id for u in demo_sim.store.users.values()}
    )
    late = add_user(demo_sim, employee)
    namesake = add_user(
        demo_sim, None, first_name=employee.first_name, last_name=employee.last_name
    )
    rows = demo_client.linked_backoffice_users(employee_id=employee.id)
    assert [r.user_id for r in rows] == [late.id]
    assert namesake.id not in {r.user_id for r in rows}
    employee.first_name = "Renamedfirst"
    assert [r.user_id for r in demo_client.linked_backoffice_users(employee_id=employee.id)] == [
        late.id
    ]


# ------------------------------------------------------------------------------ status


@pytest.mark.parametrize("variant", ["validate", "blank"])
def test_disable_and_enable_keep_everything_else(sim: Simulator, variant: str) -> None:
    """Under "blank" the server stores whatever password is posted: a client that left
    ``user[changePassword]`` out would blank the password, and this test would fail."""
    sim.settings.unchecked_change_password = variant  # type: ignore[assignment]
    user = linked_user(sim)
    before = _user_state(user)
    with make_client(sim) as client:
        _warm(client)
        count = len(sim.requests)
        result = client.disable_backoffice_user(user_id=user.id)
        assert len(sim.requests) - count == 3  # form, update, verify
        assert not user.active and _user_state(user) == before
        assert not result.already and result.username == user.username
        assert result.employee_id == user.employee_id and result.disabled_at.tzinfo is not None
        row = next(r for r in client.list_backoffice_users() if r.user_id == user.id)
        assert row == result.as_row() and not row.active
        enabled = client.enable_backoffice_user(username=user.username)
        assert user.active and _user_state(user) == before and enabled.as_row().active
    for form in _posts(sim):
        pairs = dict(form)
        assert pairs["user[changePassword]"] == "1"
        assert pairs["user[password]"] == pairs["user[confirmPassword]"] == ""
    disable, enable = _posts(sim)
    assert dict(disable)["user[isDeleted]"] == "1" and "user[isDeleted]" not in dict(enable)


def test_the_password_trap_is_live(demo_sim: Simulator, monkeypatch: pytest.MonkeyPatch) -> None:
    """Proof that the test above can fail: a client that drops the inverted box blanks
    the password on a server of the "blank" kind."""
    demo_sim.settings.unchecked_change_password = "blank"
    real = user_pages.user_status_post

    def careless(page: user_pages.UserEditPage, *, active: bool) -> FormData:
        data = real(page, active=active)
        data.remove(user_pages.CHANGE_PASSWORD)
        return data

    monkeypatch.setattr(user_pages, "user_status_post", careless)
    user = linked_user(demo_sim)
    with make_client(demo_sim) as client:
        client.disable_backoffice_user(user_id=user.id)
    assert user.password == ""


def test_already_so_is_not_written(sim: Simulator, client: Client) -> None:
    user = linked_user(sim)
    assert client.enable_backoffice_user(user_id=user.id).already
    user.active = False
    assert client.disable_backoffice_user(user_id=user.id).already
    assert _posts(sim) == []


def test_enable_needs_an_active_employee(sim: Simulator) -> None:
    user = linked_user(sim)
    user.active = False
    sim.store.employees[user.employee_id or 0].active = False
    with make_client(sim) as client:
        client.list_employees()
        with pytest.raises(ValidationError) as info:
            client.enable_backoffice_user(user_id=user.id)
        assert "inactive" in str(info.value) and "reinstate_employee" in str(info.value)
        assert info.value.wrote_nothing and not user.active
        # The roster it cached is not trusted over the server: enabled since, it works.
        sim.store.employees[user.employee_id or 0].active = True
        assert not client.enable_backoffice_user(user_id=user.id).already
    assert user.active


def test_the_clients_own_login_is_never_disabled(sim: Simulator, client: Client) -> None:
    with pytest.raises(ValidationError, match="lock the client out") as info:
        client.disable_backoffice_user(username=sim.username)
    assert info.value.wrote_nothing and _posts(sim) == []


def _own(sim: Simulator) -> BoUser:
    return next(u for u in sim.store.users.values() if u.username == sim.username)


def test_the_clients_own_password_is_never_reset_by_name_before_any_request(
    sim: Simulator, client: Client
) -> None:
    before, password = len(sim.requests), _own(sim).password
    with pytest.raises(ValidationError, match="lock the client out") as info:
        client.reset_backoffice_password(username=sim.username.upper())
    assert info.value.wrote_nothing and info.value.field == "username"
    assert len(sim.requests) == before and _own(sim).password == password


def test_the_clients_own_password_is_never_reset_by_id(sim: Simulator, client: Client) -> None:
    own = _own(sim)
    with pytest.raises(ValidationError, match="lock the client out") as cold:
        client.reset_backoffice_password(user_id=own.id)  # read first: known by id only
    assert cold.value.wrote_nothing and _posts(sim) == []
    _warm(client)
    before = len(sim.requests)
    with pytest.raises(ValidationError, match="resetting its password"):
        client.reset_backoffice_password(user_id=own.id)  # the list names it: no request
    assert len(sim.requests) == before and own.password == sim.password


def test_update_redirecting_to_the_edit_page_is_accepted(demo_sim: Simulator) -> None:
    demo_sim.settings.user_update_redirect = "edit"
    user = linked_user(demo_sim)
    with make_client(demo_sim) as client:
        assert not client.disable_backoffice_user(user_id=user.id).already
    assert not user.active


def test_unknown_user(sim: Simulator, client: Client) -> None:
    with pytest.raises(NotFoundError):
        client.disable_backoffice_user(user_id=9_999_999)
    with pytest.raises(NotFoundError):
        client.disable_backoffice_user(username="nobody_here")
    with pytest.raises(ValidationError):
        client.disable_backoffice_user(user_id=1, username="both_given")
    assert _posts(sim) == []


def test_an_update_that_changes_nothing_is_an_error(
    demo_sim: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 302 is not trusted: the status is read back."""
    real = user_pages.user_status_post
    monkeypatch.setattr(
        user_pages, "user_status_post", lambda page, *, active: real(page, active=not active)
    )
    user = linked_user(demo_sim)
    with make_client(demo_sim) as client, pytest.raises(BackofficeServerError) as info:
        client.disable_backoffice_user(user_id=user.id)
    assert user.active and "still active" in str(info.value) and info.value.wrote_nothing


# ------------------------------------------------------------------------------ permissions


def test_set_template_and_sites(sim: Simulator, client: Client) -> None:
    user = linked_user(sim)
    sites = sorted(sim.store.sites.values(), key=lambda s: s.id)[:2]
    password, email = user.password, user.email
    _warm(client)
    before = len(sim.requests)
    result = client.set_backoffice_permissions(
        user_id=user.id, template="General User", sites=[sites[0].name, sites[1].code.lower()]
    )
    assert len(sim.requests) - before == 3  # page, save, its landing (the read-back)
    assert user.tokens == set(sim.store.bo_templates[3].tokens)
    assert user.site_ids == {sites[0].id, sites[1].id} and not user.all_sites
    assert result.template == "user" and not result.already
    assert result.available_sites == (sites[0].name, sites[1].name)
    assert result.access.site_ids == user.site_ids
    assert (user.password, user.email, user.active) == (password, email, True)
    again = client.set_backoffice_permissions(user_id=user.id, template="user")
    assert again.already and len(_posts(sim, "/user/permissions/update")) == 1


def test_sites_only_keeps_the_tokens_and_all_sites(
    demo_sim: Simulator, demo_client: Client
) -> None:
    user = linked_user(demo_sim)
    user.tokens = {"employee.list", "report.all"}  # a custom set: kept as it is
    result = demo_client.set_backoffice_permissions(user_id=user.id, sites="all")
    assert user.all_sites and user.tokens == {"employee.list", "report.all"}
    assert result.available_sites == "all" and result.template == "Custom"
    result = demo_client.set_backoffice_permissions(user_id=user.id, template="Administrator")
    assert user.all_sites and user.tokens == set(demo_sim.store.bo_templates[1].tokens)
    assert result.template == "admin"


def test_permission_arguments(sim: Simulator, client: Client) -> None:
    user = linked_user(sim)
    with pytest.raises(ValidationError):
        client.set_backoffice_permissions(user_id=user.id)
    with pytest.raises(UnknownNameError) as info:
        client.set_backoffice_permissions(user_id=user.id, template="Overlord")
    assert info.value.field == "template"
    with pytest.raises(UnknownNameError):
        client.set_backoffice_permissions(user_id=user.id, sites=["Nowhere Wash"])
    assert _posts(sim, "/user/permissions/update") == []


# ------------------------------------------------------------------------------ password


def test_reset_password(sim: Simulator, client: Client) -> None:
    user = linked_user(sim)
    before = _user_state(user)
    _warm(client)
    count = len(sim.requests)
    reset = client.reset_backoffice_password(user_id=user.id)
    assert len(sim.requests) - count == 3
    secret = reset.password.reveal()
    assert user.password == secret and len(secret) >= 16
    assert any(c.isdigit() for c in secret) and any(c.isupper() for c in secret)
    assert secret not in repr(reset) and secret not in str(reset)
    assert {k: v for k, v in _user_state(user).items() if k != "password"} == {
        k: v for k, v in before.items() if k != "password"
    }
    assert user.active
    (form,) = _posts(sim)
    assert "user[changePassword]" not in dict(form)  # "Change Password: Yes"
    chosen = client.reset_backoffice_password(username=user.username, password="Chosen-Pass-77")
    assert user.password == "Chosen-Pass-77" == chosen.password.reveal()


def test_reset_password_refusals(sim: Simulator, client: Client) -> None:
    user = linked_user(sim)
    password = user.password
    with pytest.raises(ValidationError):
        client.reset_backoffice_password(user_id=user.id, password="short")
    assert sim.requests == []
    sim.faults.add(path="/user/update", method="POST", kind="alert", alert_text="Refused.")
    with pytest.raises(ValidationError) as info:
        client.reset_backoffice_password(user_id=user.id)
    assert info.value.wrote_nothing and user.password == password
