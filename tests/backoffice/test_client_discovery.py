"""Discovery, caches and availability against the simulator (both tenant shapes)."""

from __future__ import annotations

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient as Client
from sonnys_tui.backoffice.errors import DuplicateError, NotFoundError, ValidationError
from sonnys_tui.simulator import Simulator

from .conftest import new_employee


def _requests(sim: Simulator) -> int:
    return len(sim.requests)


def test_nothing_is_sent_before_the_first_call(sim: Simulator, client: Client) -> None:
    assert sim.requests == []


def test_sites_match_the_store_and_are_cached(sim: Simulator, client: Client) -> None:
    sites = client.list_sites()
    store = sim.store
    assert {s.id: (s.name, s.code) for s in sites} == {
        s.id: (s.name, s.code) for s in store.sites.values()
    }
    for site in sites:
        stored = store.sites[site.id]
        if store.hierarchical:
            assert stored.district_id is not None
            district = store.districts[stored.district_id]
            assert (site.district_id, site.district_name) == (district.id, district.name)
            assert site.region_name == store.regions[district.region_id].name
        else:
            assert site.region_id is None and site.district_name is None
    before = _requests(sim)
    departments = client.list_departments()  # same page: no new request
    assert client.list_sites() == sites
    assert _requests(sim) == before
    assert {d.id: d.name for d in departments} == {d.id: d.name for d in store.departments.values()}
    client.list_sites(refresh=True)
    assert _requests(sim) == before + 1


def test_pos_and_bo_templates(sim: Simulator, client: Client) -> None:
    pos = client.list_permissions(scope="pos")
    assert {(t.name, t.grant_ids, t.override_ids) for t in pos} == {
        (t.name, t.grant_ids, t.override_ids) for t in sim.store.pos_templates.values()
    }
    bo = client.list_permissions(scope="backoffice")
    assert {t.name: t.tokens for t in bo} == {
        t.name: t.tokens for t in sim.store.bo_templates.values()
    }
    before = _requests(sim)
    client.list_permissions(scope="pos")
    client.list_permissions(scope="backoffice")
    assert _requests(sim) == before
    with pytest.raises(ValidationError):
        client.list_permissions(scope="nope")  # type: ignore[arg-type]


def test_pos_templates_on_an_empty_tenant(sim: Simulator, client: Client) -> None:
    sim.store.employees.clear()
    with pytest.raises(NotFoundError, match="no employee"):
        client.list_permissions(scope="pos")


def test_employee_list_is_complete_cached_and_filtered(sim: Simulator, client: Client) -> None:
    rows = client.list_employees()
    # An employee with no available site is not listed by the server (CONTRACT §2.1).
    listed = {e.id for e in sim.store.employees.values() if e.site_ids}
    assert {r.employee_id for r in rows} == listed
    for row in rows:
        stored = sim.store.employees[row.employee_id]
        assert (row.first_name, row.last_name, row.pos_user_id, row.active) == (
            stored.first_name,
            stored.last_name,
            stored.pos_user_id,
            stored.active,
        )
        assert set(row.site_codes) == {sim.store.sites[s].code for s in stored.site_ids}
    before = _requests(sim)
    active = client.list_employees(active="active")
    inactive = client.list_employees(active="inactive")
    assert _requests(sim) == before
    assert {r.employee_id for r in active} | {r.employee_id for r in inactive} == listed
    assert all(r.active for r in active) and not any(r.active for r in inactive)
    assert inactive  # the seeded tenants have inactive staff
    client.list_employees(refresh=True)
    assert _requests(sim) > before


def test_search_is_server_side(sim: Simulator, client: Client) -> None:
    target = next(e for e in sim.store.employees.values() if e.site_ids)
    before = _requests(sim)
    found = client.search_employees(pos_user_id=target.pos_user_id)
    assert [r.employee_id for r in found] == [target.id]
    by_name = client.search_employees(first_name=target.first_name[:3].lower())
    assert target.id in {r.employee_id for r in by_name}
    assert all(r.first_name.lower().startswith(target.first_name[:3].lower()) for r in by_name)
    assert client.search_employees(pos_user_id=987654) == []
    searches = [r for r in sim.requests[before:] if r.path == "/employee"]
    assert searches[0].query.get("posUserId") == str(target.pos_user_id)


def test_get_employee_reads_the_edit_page(sim: Simulator, client: Client) -> None:
    stored = next(e for e in sim.store.employees.values() if e.site_ids and e.email)
    record = client.get_employee(stored.id)
    assert record.site_ids == stored.site_ids
    assert set(record.department_ids) == set(stored.department_ids)
    assert record.pos_user_id == stored.pos_user_id
    assert record.pos_pin.reveal() == stored.pos_pin and stored.pos_pin not in repr(record)
    assert (record.email, record.phone, record.active) == (
        stored.email,
        stored.phone,
        stored.active,
    )
    assert record.start_date == stored.start_date
    with pytest.raises(NotFoundError):
        client.get_employee(999_999)


def test_availability_index(sim: Simulator, client: Client) -> None:
    store = sim.store
    employee = next(e for e in store.employees.values() if e.active and e.email and e.site_ids)
    inactive = next(e for e in store.employees.values() if not e.active and e.site_ids)
    user = next(u for u in store.users.values() if u.email)
    assert not client.is_pos_user_id_available(employee.pos_user_id)
    assert not client.is_pos_user_id_available(inactive.pos_user_id)  # ids stay reserved
    assert client.is_pos_user_id_available(987_654)
    assert not client.is_email_available(employee.email.upper())
    assert not client.is_email_available(user.email)
    assert client.is_email_available("nobody.at.all@example.com")
    digits = "".join(ch for ch in employee.phone if ch.isdigit())
    assert not client.is_phone_available(f"({digits[:3]}) {digits[3:6]}-{digits[6:]}")
    assert client.is_phone_available("(555) 019-9999")
    before = _requests(sim)
    for _ in range(50):
        client.is_pos_user_id_available(employee.pos_user_id)
        client.is_email_available(employee.email)
    assert _requests(sim) == before  # O(1) lookups in the cached index
    # Listed, or active with no site (hidden from the list, but found): both taken.
    used = {e.pos_user_id for e in store.employees.values() if e.site_ids or e.active}
    assert client.next_free_pos_user_id() == max(used) + 1
    low = min(used)
    free = client.next_free_pos_user_id(low)
    assert free >= low and free not in used
    assert all(i in used for i in range(low, free))


def test_refresh_sees_changes_made_elsewhere(sim: Simulator, client: Client) -> None:
    assert client.is_email_available("late.comer@example.com")
    user = next(iter(sim.store.users.values()))
    user.email = "late.comer@example.com"
    assert client.is_email_available("late.comer@example.com")  # cached
    assert not client.is_email_available("late.comer@example.com", refresh=True)


def test_bo_user_list(sim: Simulator, client: Client) -> None:
    users = client.list_backoffice_users()
    assert {u.user_id: (u.username, u.active) for u in users} == {
        u.id: (u.username, u.active) for u in sim.store.users.values()
    }
    assert all(u.active for u in client.list_backoffice_users(status="active"))
    assert not any(u.active for u in client.list_backoffice_users(status="inactive"))


def test_taken_emails_learns_an_inactive_employees_email_from_its_edit_page(
    sim: Simulator, client: Client
) -> None:
    active = next(e for e in sim.store.employees.values() if e.active and e.email and e.site_ids)
    inactive = next(e for e in sim.store.employees.values() if not e.active and e.email)
    user = next(u for u in sim.store.users.values() if u.email)
    taken = client.taken_emails()
    assert isinstance(taken, frozenset)
    assert {active.email.casefold(), user.email.casefold()} <= taken
    assert all(email == email.casefold() for email in taken)
    # The lists show no inactive employee's e-mail: not known yet.
    assert inactive.email.casefold() not in taken
    assert client.is_email_available(inactive.email)

    before = len(sim.requests)
    assert client.taken_emails() == taken  # cached
    assert len(sim.requests) == before

    record = client.get_employee(inactive.id, wages=False, pos_access=False)
    assert not record.active
    assert inactive.email.casefold() in client.taken_emails()
    assert not client.is_email_available(inactive.email.upper())
    assert len(sim.requests) == before + 1  # only the edit page
    # A refresh re-reads the lists and keeps what the edit page taught.
    assert inactive.email.casefold() in client.taken_emails(refresh=True)
    assert len(sim.requests) == before + 3


def test_taken_emails_follows_an_edit_page_whose_email_changed(
    demo_sim: Simulator, demo_client: Client
) -> None:
    inactive = next(e for e in demo_sim.store.employees.values() if not e.active and e.email)
    old = inactive.email
    demo_client.get_employee(inactive.id)
    assert old.casefold() in demo_client.taken_emails()
    inactive.email = "Moved.On@Example.com"
    demo_client.get_employee(inactive.id)
    taken = demo_client.taken_emails()
    assert "moved.on@example.com" in taken and old.casefold() not in taken


def test_taken_emails_include_a_hire_and_a_new_backoffice_user(
    demo_sim: Simulator, demo_client: Client
) -> None:
    demo_client.taken_emails()
    created = demo_client.create_employee(
        **new_employee(demo_client, email="Hired.Now@Example.com")
    )
    bo = demo_client.create_backoffice_user(
        username="fresh_user",
        email="fresh.user@example.com",
        permission="user",
        first_name="Fresh",
        last_name="User",
    )
    before = len(demo_sim.requests)
    taken = demo_client.taken_emails()
    assert {created.email.casefold(), bo.email.casefold()} <= taken
    assert len(demo_sim.requests) == before


def test_a_hire_with_an_inactive_employees_email_the_client_read_is_refused_early(
    demo_sim: Simulator, demo_client: Client
) -> None:
    inactive = next(e for e in demo_sim.store.employees.values() if not e.active and e.email)
    demo_client.get_employee(inactive.id)
    with pytest.raises(DuplicateError) as info:
        demo_client.create_employee(**new_employee(demo_client, email=inactive.email.upper()))
    assert info.value.field == "email"
    assert not [r for r in demo_sim.requests if r.method == "POST" and r.path != "/login_check"]
