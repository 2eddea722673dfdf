"""disable_employee / enable_employee: lookups, full-form round trip, verification."""

from __future__ import annotations

import dataclasses

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient as Client
from sonnys_tui.backoffice.errors import (
    BackofficeConnectionError,
    BackofficeServerError,
    NotFoundError,
    ValidationError,
)
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Employee

from .conftest import make_client, new_employee

_STATUS_FIELDS = {"active", "status_changed"}


def _snapshot(employee: Employee) -> dict[str, object]:
    data = dataclasses.asdict(employee)
    for name in _STATUS_FIELDS:
        data.pop(name)
    return data


def _active(sim: Simulator) -> Employee:
    return next(e for e in sim.store.employees.values() if e.active and e.site_ids and e.email)


def _updates(sim: Simulator) -> int:
    return sum(1 for r in sim.requests if r.path == "/employee/update")


def test_disable_keeps_every_other_field(sim: Simulator, client: Client) -> None:
    target = _active(sim)
    before = _snapshot(target)
    result = client.disable_employee(pos_user_id=target.pos_user_id)
    assert not target.active
    assert _snapshot(target) == before
    assert (result.employee_id, result.pos_user_id, result.already) == (
        target.id,
        target.pos_user_id,
        False,
    )
    assert result.disabled_at.tzinfo is not None
    posted = next(r for r in sim.requests if r.path == "/employee/update")
    assert "employee[isActive]" not in dict(posted.form)


def test_enable_mirrors_disable(sim: Simulator, client: Client) -> None:
    target = next(e for e in sim.store.employees.values() if not e.active and e.site_ids)
    before = _snapshot(target)
    result = client.enable_employee(employee_id=target.id)
    assert target.active and not result.already
    assert _snapshot(target) == before
    posted = next(r for r in sim.requests if r.path == "/employee/update")
    assert dict(posted.form)["employee[isActive]"] == "1"


def test_disable_by_email_and_cached_row_follows(sim: Simulator, client: Client) -> None:
    target = _active(sim)
    client.list_employees()
    result = client.disable_employee(email=target.email.upper())
    assert result.email == target.email.upper() and not target.active
    before = len(sim.requests)
    row = next(r for r in client.list_employees() if r.employee_id == target.id)
    assert not row.active and len(sim.requests) == before


def test_already_inactive_is_not_written(sim: Simulator, client: Client) -> None:
    target = next(e for e in sim.store.employees.values() if not e.active and e.site_ids)
    result = client.disable_employee(pos_user_id=target.pos_user_id)
    assert result.already and _updates(sim) == 0
    active = _active(sim)
    assert client.enable_employee(pos_user_id=active.pos_user_id).already
    assert _updates(sim) == 0


def test_inactive_employee_by_email_is_not_found(sim: Simulator, client: Client) -> None:
    target = next(e for e in sim.store.employees.values() if not e.active and e.email)
    with pytest.raises(NotFoundError, match="only for active employees"):
        client.enable_employee(email=target.email)


@pytest.mark.parametrize("keys", [{}, {"pos_user_id": 1, "email": "a@example.com"}])
def test_exactly_one_key(demo_sim: Simulator, keys: dict[str, object]) -> None:
    with make_client(demo_sim) as client, pytest.raises(ValidationError):
        client.disable_employee(**keys)  # type: ignore[arg-type]
    assert demo_sim.requests == []


def test_unknown_pos_user_id(sim: Simulator, client: Client) -> None:
    with pytest.raises(NotFoundError, match="987654"):
        client.disable_employee(pos_user_id=987654)


def test_unknown_fields_survive_the_round_trip(demo_sim: Simulator) -> None:
    demo_sim.settings.extra_edit_fields = {"employee[nickname]": "Ace"}
    target = _active(demo_sim)
    with make_client(demo_sim) as client:
        client.disable_employee(employee_id=target.id)
    assert target.extra == {"employee[nickname]": "Ace"}


def test_unverified_disable_is_an_error(demo_sim: Simulator) -> None:
    """A 302 that changed nothing (e.g. changed markup) must not pass as a disable."""
    target = _active(demo_sim)
    demo_sim.faults.add(path="/employee/update", method="POST", kind="login200", nth=None)
    with make_client(demo_sim) as client, pytest.raises(Exception) as info:
        client.disable_employee(employee_id=target.id)
    assert target.active
    assert "was not disabled" in str(info.value) or "session" in str(info.value)


def test_refused_update_reads_the_alert(demo_sim: Simulator) -> None:
    target = _active(demo_sim)
    demo_sim.faults.add(path="/employee/update", method="POST", kind="alert", alert_text="Nope.")
    with make_client(demo_sim) as client, pytest.raises(ValidationError, match=r"Nope\."):
        client.disable_employee(employee_id=target.id)
    assert target.active


def test_dropped_disable_is_reconciled(demo_sim: Simulator) -> None:
    target = _active(demo_sim)
    demo_sim.faults.add(path="/employee/update", method="POST", kind="drop", when="after")
    with make_client(demo_sim) as client:
        assert not client.disable_employee(employee_id=target.id).already
    assert not target.active and _updates(demo_sim) == 1


def test_dropped_disable_that_did_not_happen(demo_sim: Simulator) -> None:
    target = _active(demo_sim)
    demo_sim.faults.add(path="/employee/update", method="POST", kind="drop", when="before")
    with make_client(demo_sim) as client, pytest.raises(BackofficeConnectionError) as info:
        client.disable_employee(employee_id=target.id)
    assert info.value.state == f"nothing was written: employee {target.id} was not disabled"
    assert target.active and _updates(demo_sim) == 1


def test_changed_markup_is_loud(demo_sim: Simulator) -> None:
    target = _active(demo_sim)
    demo_sim.faults.add(
        path=f"/employee/edit/{target.id}", method="GET", kind="markup",
        remove_selector="#employee-create-edit-form",
    )  # fmt: skip
    with make_client(demo_sim) as client, pytest.raises(BackofficeServerError, match="has no"):
        client.disable_employee(employee_id=target.id)
    assert target.active


def test_disable_an_employee_with_a_linked_bo_user(demo_sim: Simulator) -> None:
    with make_client(demo_sim) as client:
        created = client.create_employee(
            **new_employee(client), requires_backoffice=True, backoffice_username="linkedone"
        )
        client.disable_employee(employee_id=created.employee_id)
    assert not demo_sim.store.employees[created.employee_id].active


def test_500_after_a_processed_disable_is_reconciled(demo_sim: Simulator) -> None:
    target = _active(demo_sim)
    demo_sim.faults.add(path="/employee/update", method="POST", kind="500", when="after")
    with make_client(demo_sim) as client:
        assert not client.disable_employee(employee_id=target.id).already
    assert not target.active and _updates(demo_sim) == 1


def test_500_before_the_disable_keeps_its_status_code(demo_sim: Simulator) -> None:
    target = _active(demo_sim)
    demo_sim.faults.add(path="/employee/update", method="POST", kind="500")
    with make_client(demo_sim) as client, pytest.raises(BackofficeServerError) as info:
        client.disable_employee(employee_id=target.id)
    assert info.value.status_code == 500 and target.active
    assert info.value.state == f"nothing was written: employee {target.id} was not disabled"


def test_the_plain_success_redirect_is_not_fetched(demo_sim: Simulator) -> None:
    target = _active(demo_sim)
    with make_client(demo_sim) as client:
        client.disable_employee(employee_id=target.id)
    after = [r.path for r in demo_sim.requests[-2:]]
    assert after == ["/employee/update", f"/employee/edit/{target.id}"]  # no list page between


def test_warm_roster_spares_the_lookup_and_is_checked_against_the_edit_page() -> None:
    sim = Simulator.demo()
    target = next(e for e in sim.store.employees.values() if e.active and e.site_ids)
    with make_client(sim) as client:
        client.list_employees()
        before = len(sim.requests)
        client.disable_employee(pos_user_id=target.pos_user_id)
        trail = [(r.method, r.path) for r in sim.requests[before:]]
        assert trail == [
            ("GET", f"/employee/edit/{target.id}"),
            ("POST", "/employee/update"),
            ("GET", f"/employee/edit/{target.id}"),
        ]
        assert not sim.store.employees[target.id].active

        # A stale cache entry (this POS ID now points at another record) is caught on
        # the edit page, and the server is asked instead: the right person is changed.
        other = next(
            e for e in sim.store.employees.values() if e.active and e.site_ids and e is not target
        )
        client._caches.roster.change(
            lambda rows: {
                **rows,
                other.id: dataclasses.replace(rows[other.id], pos_user_id=target.pos_user_id),
                target.id: dataclasses.replace(rows[target.id], pos_user_id=None),
            }
        )
        client.enable_employee(pos_user_id=target.pos_user_id)
    assert sim.store.employees[target.id].active
    assert sim.store.employees[other.id].active


def test_status_change_updates_the_email_caches_in_place() -> None:
    sim = Simulator.demo()
    target = next(e for e in sim.store.employees.values() if e.active and e.site_ids and e.email)
    with make_client(sim) as client:
        client.list_employees()
        assert not client.is_email_available(target.email)
        client.disable_employee(pos_user_id=target.pos_user_id)
        before = len(sim.requests)
        # Still taken (the server keeps a disabled employee's e-mail), and known without
        # re-reading /user/create, whose list no longer shows the employee.
        assert not client.is_email_available(target.email)
        assert len(sim.requests) == before
        with pytest.raises(NotFoundError):
            client.enable_employee(email=target.email)  # e-mail lookups see active ones only
        client.enable_employee(pos_user_id=target.pos_user_id)
        assert not client.is_email_available(target.email)
        assert client.disable_employee(email=target.email).employee_id == target.id
