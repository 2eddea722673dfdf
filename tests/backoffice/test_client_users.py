"""create_backoffice_user: both modes, template tokens and sites applied, refusals."""

from __future__ import annotations

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient as Client
from sonnys_tui.backoffice.errors import (
    BackofficeServerError,
    DuplicateError,
    NotFoundError,
    UnknownNameError,
    ValidationError,
)
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Employee

from .conftest import make_client


def _template_tokens(sim: Simulator, name: str) -> set[str]:
    return set(next(t for t in sim.store.bo_templates.values() if t.name == name).tokens)


def _unlinked_active(sim: Simulator) -> Employee:
    linked = {u.employee_id for u in sim.store.users.values()}
    return next(
        e
        for e in sim.store.employees.values()
        if e.active and e.email and e.site_ids and e.id not in linked
    )


def test_standalone_user_gets_template_and_sites(sim: Simulator, client: Client) -> None:
    sites = client.list_sites()
    created = client.create_backoffice_user(
        username="standalone_1",
        email="standalone.one@example.com",
        permission="General User",  # the description works as well as the name
        first_name="Stan",
        last_name="Dalone",
        available_sites=[sites[1].name, sites[3].code],
    )
    user = sim.store.users[created.user_id]
    assert user.employee_id is None and (user.first_name, user.last_name) == ("Stan", "Dalone")
    assert user.tokens == _template_tokens(sim, "user")
    assert user.site_ids == {sites[1].id, sites[3].id} and not user.all_sites
    assert created.permission == "user" and created.permission_applied
    assert created.available_sites == (sites[1].name, sites[3].name)
    assert user.password == created.password.reveal()
    assert created.password.reveal() not in repr(created)
    rows = {u.user_id: u for u in client.list_backoffice_users()}
    assert rows[created.user_id].username == "standalone_1"


def test_linked_user_with_all_sites(sim: Simulator, client: Client) -> None:
    employee = _unlinked_active(sim)
    created = client.create_backoffice_user(
        username="linked_1",
        email=employee.email,
        permission="ADMIN",
        password="correct-horse-9",
        link_to_employee_pos_user_id=employee.pos_user_id,
    )
    user = sim.store.users[created.user_id]
    assert user.employee_id == employee.id == created.linked_employee_id
    assert user.tokens == _template_tokens(sim, "admin")
    assert user.all_sites or user.site_ids == set(sim.store.sites)
    assert user.password == "correct-horse-9"
    assert created.first_name == employee.first_name


def test_linked_by_email(sim: Simulator, client: Client) -> None:
    employee = _unlinked_active(sim)
    created = client.create_backoffice_user(
        username="linked_2",
        email=employee.email,
        permission="manager",
        link_to_employee_email=employee.email.upper(),
    )
    assert sim.store.users[created.user_id].employee_id == employee.id


def test_linked_to_an_inactive_employee_is_refused_by_the_server(
    sim: Simulator, client: Client
) -> None:
    employee = next(e for e in sim.store.employees.values() if not e.active and e.site_ids)
    with pytest.raises(BackofficeServerError, match="active"):
        client.create_backoffice_user(
            username="linked_3",
            email="linked.three@example.com",
            permission="user",
            link_to_employee_pos_user_id=employee.pos_user_id,
        )
    assert sim.store.user_by_username("linked_3") is None


@pytest.mark.parametrize(
    "mode",
    [
        {},
        {"link_to_employee_pos_user_id": 1, "first_name": "A", "last_name": "B"},
        {"link_to_employee_pos_user_id": 1, "link_to_employee_email": "a@example.com"},
    ],
)
def test_exactly_one_mode(demo_sim: Simulator, mode: dict[str, object]) -> None:
    with make_client(demo_sim) as client, pytest.raises(ValidationError):
        client.create_backoffice_user(
            username="nobody",
            email="n@example.com",
            permission="user",
            **mode,  # type: ignore[arg-type]
        )
    assert demo_sim.requests == []


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"username": "1x"}, "username"),
        ({"email": "x"}, "email"),
        ({"password": "short"}, "password"),
    ],
)
def test_bad_input_sends_nothing(demo_sim: Simulator, override: dict[str, str], field: str) -> None:
    args = {"username": "valid_name", "email": "v@example.com", "permission": "user"} | override
    with make_client(demo_sim) as client, pytest.raises(ValidationError) as info:
        client.create_backoffice_user(**args, first_name="Val", last_name="Id")  # type: ignore[arg-type]
    assert info.value.field == field
    assert demo_sim.requests == []


def test_duplicates_and_unknown_names(sim: Simulator, client: Client) -> None:
    existing = next(iter(sim.store.users.values()))
    common = {"permission": "user", "first_name": "Dup", "last_name": "Licate"}
    with pytest.raises(DuplicateError) as info:
        client.create_backoffice_user(
            username=existing.username.upper(), email="d@example.com", **common
        )
    assert info.value.field == "username"
    with pytest.raises(DuplicateError) as info:
        client.create_backoffice_user(username="fresh_name", email=existing.email, **common)
    assert info.value.field == "email"
    with pytest.raises(UnknownNameError, match="Overlord"):
        client.create_backoffice_user(
            username="fresh_name", email="f@example.com", permission="Overlord",
            first_name="A", last_name="B",
        )  # fmt: skip
    with pytest.raises(NotFoundError):
        client.create_backoffice_user(
            username="fresh_name", email="f@example.com", permission="user",
            link_to_employee_pos_user_id=987654,
        )  # fmt: skip
    assert not [r for r in sim.requests if r.path == "/user/insert"]


def test_server_side_duplicate_username(sim: Simulator, client: Client) -> None:
    client.list_backoffice_users()
    existing = next(iter(sim.store.users.values()))
    existing.username = "came_later"  # the cached list no longer knows it
    with pytest.raises(DuplicateError) as info:
        client.create_backoffice_user(
            username="came_later", email="c@example.com", permission="user",
            first_name="Came", last_name="Later",
        )  # fmt: skip
    assert info.value.field == "username"


def test_failed_permission_step_is_a_warning(sim: Simulator, client: Client) -> None:
    sim.faults.add(path="/user/permissions/update", method="POST", kind="500")
    created = client.create_backoffice_user(
        username="warned_1", email="warned@example.com", permission="user",
        first_name="Warned", last_name="One",
    )  # fmt: skip
    assert not created.permission_applied
    assert created.warnings and "/user/permissions/" in created.warnings[0]
    assert sim.store.users[created.user_id].username == "warned_1"


def test_dropped_user_insert_is_reconciled(sim: Simulator, client: Client) -> None:
    sim.faults.add(path="/user/insert", method="POST", kind="drop", when="after")
    created = client.create_backoffice_user(
        username="dropped_1", email="dropped@example.com", permission="user",
        first_name="Dropped", last_name="One",
    )  # fmt: skip
    assert sim.store.users[created.user_id].username == "dropped_1"
    assert created.permission_applied
    assert sum(1 for r in sim.requests if r.path == "/user/insert") == 1


def test_500_after_a_processed_user_insert_is_reconciled(sim: Simulator, client: Client) -> None:
    sim.faults.add(path="/user/insert", method="POST", kind="500", when="after")
    created = client.create_backoffice_user(
        username="late_500", email="late500@example.com", permission="user",
        first_name="Late", last_name="Answer",
    )  # fmt: skip
    assert sim.store.users[created.user_id].tokens == _template_tokens(sim, "user")
    assert sum(1 for r in sim.requests if r.path == "/user/insert") == 1
