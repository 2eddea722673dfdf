"""Employees the roster hides: an active employee with no available site is on no page
of the employee list, yet their POS login works. The client finds them through the
Back Office user form's list of active employees and their edit pages, reaches them by
POS User ID, and the access review lists them."""

from __future__ import annotations

import dataclasses
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient as Client
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import BoUser

from .conftest import make_client

VAL_PHONE, ZION_PHONE = "312.555.0106", "(312) 555-0107"  # the demo's hidden two


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
    # Inactive with no site, they are on no page now; their id stays reserved all the same.
    assert not demo_client.is_pos_user_id_available(hidden[1])
    assert not demo_client.is_phone_available(ZION_PHONE)


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


# ------------------------------------------------------------------ availability


def test_their_pos_user_ids_and_phones_are_taken(demo_client: Client, hidden: list[int]) -> None:
    for pos_id in hidden:
        assert not demo_client.is_pos_user_id_available(pos_id)
    assert not demo_client.is_phone_available(VAL_PHONE)
    assert not demo_client.is_phone_available("+1 312 555 0107")  # Zion's, any spelling
    assert demo_client.next_free_pos_user_id(hidden[0]) == 4161  # 4108-4160 are listed
    # Their e-mails were taken already: /user/create lists every active employee's.
    assert demo_client.email_availability("val.trialson6@example.com").state == "taken"


def test_the_hidden_lookup_is_read_once_not_per_call(
    demo_sim: Simulator, demo_client: Client, hidden: list[int]
) -> None:
    assert not demo_client.is_pos_user_id_available(hidden[0])
    # The roster, /user/create and the two edit pages, nothing more.
    assert demo_client.stats.requests == 1 + 4  # the login first
    demo_client.stats.reset()
    for pos_id in (*hidden, 4101, 9999):
        demo_client.is_pos_user_id_available(pos_id)
    demo_client.is_phone_available(ZION_PHONE)
    demo_client.next_free_pos_user_id()
    demo_client.next_free_pos_user_id(hidden[0])
    assert demo_client.hidden_employees() and demo_client.find_hidden_employee(hidden[1])
    assert demo_client.stats.requests == 0
    # refresh re-reads: the roster, /user/create and both edit pages again.
    assert not demo_client.is_pos_user_id_available(hidden[1], refresh=True)
    assert demo_client.stats.requests == 4


def test_an_employee_newer_than_the_roster_is_taken_and_read_once(
    demo_sim: Simulator, demo_client: Client, hidden: list[int]
) -> None:
    """An employee /user/create lists that the roster lacks but who has a site (hired
    in the Back Office after the roster was read) holds their id and phone too, and
    their page is read once, not on every check."""
    demo_client.list_employees()  # the roster, before the hire below
    someone = demo_sim.store.employee_by_pos_id(4101)
    assert someone is not None
    late = demo_sim.store.add_employee(
        dataclasses.replace(
            someone, id=demo_sim.store.next_employee_id(), pos_user_id=4998,
            email="late.hire@example.com", phone="5550109998",
        )
    )  # fmt: skip
    assert late.site_ids
    assert sorted(r.pos_user_id for r in demo_client.hidden_employees()) == hidden
    demo_client.stats.reset()
    assert sorted(r.pos_user_id for r in demo_client.hidden_employees()) == hidden
    assert not demo_client.is_pos_user_id_available(4998)
    assert not demo_client.is_phone_available("5550109998")
    assert demo_client.stats.requests == 0


def test_the_compat_client_says_their_ids_exist(demo_client: Client, hidden: list[int]) -> None:
    from sonnys_tui.backoffice.compat import SonnysBackofficeClient as Compat

    compat = Compat.wrap(demo_client)
    for pos_id in hidden:
        assert compat.pos_user_id_exists(pos_id)
        assert not compat.is_pos_user_id_available(pos_id)
    assert not compat.pos_user_id_exists(9999)
    assert not compat.is_phone_available(VAL_PHONE)


def test_threads_checking_at_once_read_their_pages_once(
    demo_sim: Simulator, demo_client: Client, hidden: list[int]
) -> None:
    """The app's live checks and Ctrl+F run in worker threads side by side."""
    start = threading.Barrier(4)

    def check(pos_id: int) -> bool:
        start.wait(timeout=10)
        return demo_client.is_pos_user_id_available(pos_id)

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(check, [*hidden, *hidden]))
    assert answers == [False] * 4
    edit_pages = [r.path for r in demo_sim.requests if r.path.startswith("/employee/edit/")]
    ids = [e.id for e in demo_sim.store.employees.values() if e.pos_user_id in hidden]
    assert sorted(edit_pages) == sorted(f"/employee/edit/{i}" for i in ids)
