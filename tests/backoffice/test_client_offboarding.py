"""offboard_employee / reinstate_employee: every door closed (or reopened), each verified;
a stop part way says what is done, and a rerun finishes only what is missing."""

from __future__ import annotations

import dataclasses

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient as Client
from sonnys_tui.backoffice.errors import (
    BackofficeServerError,
    IncompleteError,
    NotFoundError,
    ValidationError,
)
from sonnys_tui.backoffice.models import BackofficeUserDisabled, EmployeeEnabled
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import BoUser, Employee

from .conftest import make_client
from .test_client_accounts import add_user


def _unlinked_employee(sim: Simulator, *, active: bool = True) -> Employee:
    linked = {u.employee_id for u in sim.store.users.values()}
    return next(
        e
        for e in sim.store.employees.values()
        if e.active == active and e.site_ids and e.email and e.id not in linked
    )


def _with_logins(sim: Simulator, count: int) -> tuple[Employee, list[BoUser]]:
    employee = _unlinked_employee(sim)
    logins = [
        add_user(sim, employee, email=employee.email if n == 0 else f"second{n}@example.com")
        for n in range(count)
    ]
    return employee, logins


def _writes(sim: Simulator, since: int = 0) -> list[str]:
    return [r.path for r in sim.requests[since:] if r.method == "POST" and r.path != "/login_check"]


def _others(sim: Simulator, employee: Employee, users: list[BoUser]) -> dict[str, object]:
    """Everything the offboarding must leave alone."""
    skip = {u.id for u in users}
    return {
        "employees": {
            i: dataclasses.asdict(e) for i, e in sim.store.employees.items() if i != employee.id
        },
        "users": {i: dataclasses.asdict(u) for i, u in sim.store.users.items() if i not in skip},
    }


@pytest.fixture
def warm_client(sim: Simulator) -> Client:
    client = make_client(sim)
    client.list_employees()
    client.list_backoffice_users()
    return client


@pytest.mark.parametrize("logins", [0, 1, 2])
def test_offboard_with_zero_one_two_logins(
    sim: Simulator, warm_client: Client, logins: int
) -> None:
    employee, users = _with_logins(sim, logins)
    passwords = [u.password for u in users]
    untouched = _others(sim, employee, users)
    before = len(sim.requests)
    result = warm_client.offboard_employee(pos_user_id=employee.pos_user_id)
    # the employee's edit page, the user search, 3 per login, the employee's update + verify
    assert len(sim.requests) - before == 1 + 1 + 3 * logins + 2
    assert not employee.active and not any(u.active for u in users)
    assert [u.password for u in users] == passwords
    assert _others(sim, employee, users) == untouched
    # Logins first, then the employee.
    assert _writes(sim, before) == ["/user/update"] * logins + ["/employee/update"]
    assert result.employee.employee_id == employee.id and not result.employee.already
    assert {u.user_id for u in result.backoffice_users} == {u.id for u in users}
    assert not result.already and result.backoffice_checked
    listed = {r.user_id: r for r in warm_client.list_backoffice_users()}
    assert result.rows() == tuple(listed[u.user_id] for u in result.backoffice_users)
    assert all(not row.active for row in result.rows())
    roster = {r.employee_id: r for r in warm_client.list_employees()}
    assert not roster[employee.id].active
    # A second run reads and writes nothing.
    again = warm_client.offboard_employee(employee_id=employee.id)
    assert again.already and _writes(sim, before) == _writes(sim, before)[: logins + 1]


def test_a_login_already_inactive_is_not_written(sim: Simulator, warm_client: Client) -> None:
    employee, (first, second) = _with_logins(sim, 2)
    second.active = False
    result = warm_client.offboard_employee(employee_id=employee.id)
    assert not first.active and not employee.active
    assert [u.already for u in result.backoffice_users] == [False, True]
    assert _writes(sim) == ["/user/update", "/employee/update"]


def test_employee_disabled_earlier_its_login_still_active(
    sim: Simulator, warm_client: Client
) -> None:
    """The state a plain disable_employee leaves (the issue): offboarding closes the login."""
    employee, (login,) = _with_logins(sim, 1)
    warm_client.disable_employee(employee_id=employee.id)
    assert login.active and not employee.active
    before = len(sim.requests)
    result = warm_client.offboard_employee(pos_user_id=employee.pos_user_id)
    assert result.employee.already and not result.backoffice_users[0].already
    assert not login.active and _writes(sim, before) == ["/user/update"]


def test_a_server_that_refuses_any_save_of_such_a_login(demo_sim: Simulator) -> None:
    """Where the server will not save a user of an inactive employee at all, the error
    says so and what to do; the login is still active and nothing was written."""
    demo_sim.settings.inactive_employee_user_save = "any"
    employee, (login,) = _with_logins(demo_sim, 1)
    employee.active = False
    with make_client(demo_sim) as client, pytest.raises(ValidationError) as info:
        client.offboard_employee(employee_id=employee.id)
    text = str(info.value)
    assert info.value.wrote_nothing and login.active
    assert f"Back Office user {login.username} ({login.id}) is not disabled" in text
    assert "enable the employee first" in text
    # Logins first: on such a server an offboarding of an active employee still works.
    other, (other_login,) = _with_logins(demo_sim, 1)
    with make_client(demo_sim) as client:
        client.offboard_employee(employee_id=other.id)
    assert not other.active and not other_login.active


def test_stop_after_the_logins_before_the_employee_then_rerun(
    sim: Simulator, warm_client: Client
) -> None:
    employee, users = _with_logins(sim, 2)
    sim.faults.add(path="/employee/update", method="POST", kind="500")
    with pytest.raises(IncompleteError) as info:
        warm_client.offboard_employee(employee_id=employee.id)
    error = info.value
    text = str(error)
    assert employee.active and not any(u.active for u in users)
    for user in users:
        assert f"Back Office user {user.username} ({user.id}) is disabled" in text
    name = f"employee {employee.id} ({employee.full_name}, POS User ID {employee.pos_user_id})"
    assert f"{name} is not disabled" in text
    assert "run offboard_employee again" in text and not error.wrote_nothing
    assert error.step == "disable employee" and isinstance(error.__cause__, BackofficeServerError)
    assert {r.user_id for r in error.done if isinstance(r, BackofficeUserDisabled)} == {
        u.id for u in users
    }
    before = len(sim.requests)
    result = warm_client.offboard_employee(employee_id=employee.id)
    assert _writes(sim, before) == ["/employee/update"]  # only what was missing
    assert not employee.active and all(u.already for u in result.backoffice_users)


def test_stop_between_two_logins_then_rerun(sim: Simulator, warm_client: Client) -> None:
    employee, (first, second) = _with_logins(sim, 2)
    sim.faults.add(path="/user/update", method="POST", kind="drop", nth=2)
    with pytest.raises(IncompleteError) as info:
        warm_client.offboard_employee(employee_id=employee.id)
    text = str(info.value)
    assert not first.active and second.active and employee.active
    assert f"{first.username} ({first.id}) is disabled" in text
    assert f"{second.username} ({second.id}) is not disabled" in text
    assert f"employee {employee.id} (" in text and "is not disabled" in text
    before = len(sim.requests)
    warm_client.offboard_employee(employee_id=employee.id)
    assert _writes(sim, before) == ["/user/update", "/employee/update"]
    assert not second.active and not employee.active


def test_a_stop_names_a_part_inactive_before_the_run_as_already_disabled(
    sim: Simulator, warm_client: Client
) -> None:
    """The employee was disabled earlier, its second login fails: the error must not
    claim the employee "is not disabled"."""
    employee, (first, second) = _with_logins(sim, 2)
    warm_client.disable_employee(employee_id=employee.id)
    sim.faults.add(path="/user/update", method="POST", kind="500", nth=2)
    with pytest.raises(IncompleteError) as info:
        warm_client.offboard_employee(employee_id=employee.id)
    text = str(info.value)
    assert f"{first.username} ({first.id}) is disabled" in text
    assert f"{second.username} ({second.id}) is not disabled" in text
    assert f"employee {employee.id} (" in text and "was already disabled" in text
    assert "is not disabled" not in text.split(f"employee {employee.id} (")[1]


def test_a_first_step_that_writes_nothing_is_its_own_error(
    sim: Simulator, warm_client: Client
) -> None:
    employee, (login,) = _with_logins(sim, 1)
    sim.faults.add(path="/user/update", method="POST", kind="alert", alert_text="Not now.")
    with pytest.raises(ValidationError) as info:
        warm_client.offboard_employee(employee_id=employee.id)
    assert not isinstance(info.value, IncompleteError) and info.value.wrote_nothing
    assert f"{login.username} ({login.id}) is not disabled" in str(info.value)
    assert login.active and employee.active


def test_backoffice_false_leaves_the_logins(sim: Simulator, warm_client: Client) -> None:
    employee, (login,) = _with_logins(sim, 1)
    before = len(sim.requests)
    result = warm_client.offboard_employee(employee_id=employee.id, backoffice=False)
    assert not employee.active and login.active
    assert result.backoffice_users == () and not result.backoffice_checked
    assert not any(r.path.startswith("/user") for r in sim.requests[before:])


def test_offboarding_the_clients_own_login_is_refused(demo_sim: Simulator) -> None:
    employee = _unlinked_employee(demo_sim)
    bot = demo_sim.store.user_by_username(demo_sim.username)
    assert bot is not None
    bot.employee_id = employee.id
    bot.first_name, bot.last_name = employee.first_name, employee.last_name
    with make_client(demo_sim) as client, pytest.raises(ValidationError) as info:
        client.offboard_employee(employee_id=employee.id)
    assert info.value.wrote_nothing and employee.active and bot.active
    assert _writes(demo_sim) == []


def test_offboard_arguments(sim: Simulator, client: Client) -> None:
    with pytest.raises(ValidationError):
        client.offboard_employee()
    with pytest.raises(ValidationError):
        client.offboard_employee(pos_user_id=1, employee_id=1)
    with pytest.raises(NotFoundError):
        client.offboard_employee(pos_user_id=987654)
    assert _writes(sim) == []


# ------------------------------------------------------------------------------ reinstate


def test_reinstate_employee_then_logins(sim: Simulator, warm_client: Client) -> None:
    employee, (first, second) = _with_logins(sim, 2)
    warm_client.offboard_employee(employee_id=employee.id)
    passwords = (first.password, second.password)
    only = warm_client.reinstate_employee(employee_id=employee.id)
    assert employee.active and not first.active and not second.active
    assert only.backoffice_users == () and not only.employee.already
    some = warm_client.reinstate_employee(employee_id=employee.id, backoffice=[second.id])
    assert second.active and not first.active and some.employee.already
    assert [u.user_id for u in some.backoffice_users] == [second.id]
    both = warm_client.reinstate_employee(pos_user_id=employee.pos_user_id, backoffice=True)
    assert first.active and [u.already for u in both.backoffice_users] == [False, True]
    assert (first.password, second.password) == passwords
    assert all(row.active for row in both.rows())
    with pytest.raises(ValidationError, match="not linked"):
        warm_client.reinstate_employee(
            employee_id=employee.id, backoffice=[sim.store.next_user_id()]
        )


def test_reinstate_enables_the_employee_first(sim: Simulator, warm_client: Client) -> None:
    employee, (login,) = _with_logins(sim, 1)
    warm_client.offboard_employee(employee_id=employee.id)
    before = len(sim.requests)
    warm_client.reinstate_employee(employee_id=employee.id, backoffice=True)
    assert _writes(sim, before) == ["/employee/update", "/user/update"]
    assert employee.active and login.active


def test_reinstate_stopped_after_the_employee_then_rerun(
    sim: Simulator, warm_client: Client
) -> None:
    employee, (login,) = _with_logins(sim, 1)
    warm_client.offboard_employee(employee_id=employee.id)
    sim.faults.add(path="/user/update", method="POST", kind="500")
    with pytest.raises(IncompleteError) as info:
        warm_client.reinstate_employee(employee_id=employee.id, backoffice=True)
    text = str(info.value)
    assert employee.active and not login.active
    assert f"employee {employee.id} (" in text and "is enabled" in text
    assert f"{login.username} ({login.id}) is not enabled" in text
    assert "run reinstate_employee again" in text
    assert [type(r) for r in info.value.done] == [EmployeeEnabled]
    before = len(sim.requests)
    result = warm_client.reinstate_employee(employee_id=employee.id, backoffice=True)
    assert _writes(sim, before) == ["/user/update"] and login.active
    assert result.employee.already and not result.backoffice_users[0].already
