"""Employees the roster hides: an active employee with no available site is on no page
of the employee list, yet their POS login works. The client finds them through the
Back Office user form's list of active employees and their edit pages, reaches them by
POS User ID, and the access review lists them."""

from __future__ import annotations

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient as Client
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import BoUser

from .conftest import make_client


@pytest.fixture
def hidden(demo_sim: Simulator) -> list[int]:
    """The demo tenant's active employees with no site (Val Trialson 4106, Zion
    Prototype 4107), as POS User IDs."""
    found = sorted(
        e.pos_user_id for e in demo_sim.store.employees.values() if e.active and not e.site_ids
    )
    assert found == [4106, 4107]
    return found


def test_the_list_hides_them_and_the_client_finds_them(
    demo_sim: Simulator, demo_client: Client, hidden: list[int]
) -> None:
    listed = {row.pos_user_id for row in demo_client.list_employees()}
    assert not listed & set(hidden)  # the simulator hides them as the Back Office does
    rows = demo_client.hidden_employees()
    assert sorted(row.pos_user_id for row in rows) == hidden
    assert all(row.active and row.site_codes == () for row in rows)
    before = len(demo_sim.requests)
    assert demo_client.hidden_employees() == rows  # their pages are read once
    assert len(demo_sim.requests) == before


def test_reached_by_pos_user_id_and_offboarded(
    demo_sim: Simulator, demo_client: Client, hidden: list[int]
) -> None:
    record = demo_client.get_employee(pos_user_id=hidden[0])
    assert record.pos_user_id == hidden[0] and not record.site_ids
    assert demo_client.find_hidden_employee(hidden[1]) is not None
    result = demo_client.offboard_employee(pos_user_id=hidden[1])
    assert not result.employee.already
    employee = demo_sim.store.employee_by_pos_id(hidden[1])
    assert employee is not None and not employee.active
    assert [r.pos_user_id for r in demo_client.hidden_employees(refresh=True)] == [hidden[0]]


def test_the_access_review_lists_them_and_links_their_logins(
    demo_sim: Simulator, hidden: list[int]
) -> None:
    val = demo_sim.store.employee_by_pos_id(hidden[0])
    assert val is not None
    login = demo_sim.store.add_user(
        BoUser(
            id=demo_sim.store.next_user_id(), username="VTrialson", email=val.email,
            password="Orig-Password-1", employee_id=val.id, first_name=val.first_name,
            last_name=val.last_name, site_ids={min(demo_sim.store.sites)},
        )
    )  # fmt: skip
    with make_client(demo_sim) as client:
        review = client.review_access()
    assert sorted(row.pos_user_id for row in review.hidden) == hidden
    assert review.risks == len(review.findings) + 2
    # The login of a hidden employee is theirs, not "linked to no employee".
    assert login.id not in {f.user_id for f in review.of_rule("not_linked")}
