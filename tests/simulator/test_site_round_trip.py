"""Property: whatever sites are stored, a browser round trip of the page stores the same."""

from __future__ import annotations

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sonnys_tui.simulator import Simulator

from .browser import form_pairs, login, post
from .conftest import client_for

DEMO = Simulator.demo()
SITE_IDS = sorted(DEMO.store.sites)


def _logged_in(sim: Simulator) -> httpx.Client:
    client = client_for(sim)
    login(client, sim.username, sim.password)
    return client


# One tenant per test, reused across examples: each example sets the state it checks.
DEMO_CLIENT = _logged_in(DEMO)
FLAT = Simulator.flat()
FLAT_CLIENT = _logged_in(FLAT)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(available=st.sets(st.sampled_from(SITE_IDS)))
def test_employee_tree_round_trip(available: set[int]) -> None:
    employee = next(iter(DEMO.store.employees.values()))
    employee.site_ids = set(available)
    page = DEMO_CLIENT.get(f"/employee/edit/{employee.id}").text
    post(DEMO_CLIENT, "/employee/update", form_pairs(page, "employee-create-edit-form"))
    assert employee.site_ids == available


@settings(max_examples=15, deadline=None)
@given(available=st.sets(st.sampled_from(sorted(FLAT.store.sites))))
def test_flat_employee_tree_round_trip(available: set[int]) -> None:
    employee = next(iter(FLAT.store.employees.values()))
    employee.site_ids = set(available)
    page = FLAT_CLIENT.get(f"/employee/edit/{employee.id}").text
    post(FLAT_CLIENT, "/employee/update", form_pairs(page, "employee-create-edit-form"))
    assert employee.site_ids == available


@settings(max_examples=25, deadline=None)
@given(available=st.sets(st.sampled_from(SITE_IDS), min_size=1), every=st.booleans())
def test_user_tree_round_trip(available: set[int], every: bool) -> None:
    user = next(u for u in DEMO.store.users.values() if u.employee_id is not None)
    user.all_sites = every
    user.site_ids = set(SITE_IDS) if every else set(available)
    expected = set(user.site_ids)
    page = DEMO_CLIENT.get(f"/user/permissions/{user.id}").text
    form = form_pairs(page, "user-permissions-update-form")
    response = post(DEMO_CLIENT, "/user/permissions/update", form)
    assert response.status_code == 302
    assert (user.all_sites, user.site_ids) == (every, expected)
