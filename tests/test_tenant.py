"""The tenant layer: one owner of a tenant's state for the app and the shell.

Among these, the three cases where the app, the shell and the cache used to disagree
(each failed before the tenant layer): a shell refresh saved a cache without templates,
the cache's e-mails were never filled, and a hire's row was built twice with two rules.
"""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from sonnys_tui import audit, cache
from sonnys_tui.backoffice import BackofficeServerError, SonnysBackofficeClient
from sonnys_tui.backoffice.errors import IncompleteError
from sonnys_tui.backoffice.models import EmployeeRow, HireRequest
from sonnys_tui.cli import main
from sonnys_tui.config import Profile, save_profile
from sonnys_tui.simulator import Simulator
from sonnys_tui.tenant import (
    LISTS,
    EmployeeChanged,
    ListsReplaced,
    RefreshFailed,
    RefreshStarted,
    Tenant,
    TenantChange,
)

PROFILE = Profile(name="east", subdomain="east", username="bot", base_url="http://sim.test")
FIXED_NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def client_for(sim: Simulator) -> SonnysBackofficeClient:
    return SonnysBackofficeClient(**sim.client_kwargs())


def tenant_for(sim: Simulator, profile: Profile = PROFILE) -> Tenant:
    return Tenant(profile, client=client_for(sim), clock=lambda: FIXED_NOW)


def hire_request(sim: Simulator, pos_user_id: int, *sites: str) -> HireRequest:
    return HireRequest(
        first_name="Testy",
        last_name="Tenantson",
        phone="(555) 010-0177",
        email="testy.tenantson@example.com",
        pos_user_id=pos_user_id,
        wage_rate=Decimal("15.50"),
        start_date=date(2026, 12, 1),
        available_sites=list(sites),
        permission="Cashier",
        departments=["Line"],
    )


def listed(sim: Simulator, employee_id: int) -> EmployeeRow:
    """The row the server's employee list shows (the truth a refresh brings)."""
    with client_for(sim) as client:
        rows = client.list_employees(refresh=True)
    return next(r for r in rows if r.employee_id == employee_id)


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[Simulator]:
    sim = Simulator.demo()
    with sim.serve() as base_url:
        save_profile(
            Profile(name="east", subdomain="east", username=sim.username, base_url=base_url)
        )
        monkeypatch.setenv("SONNYS_PASSWORD", sim.password)
        yield sim


# --------------------------------------------------------------------------- drift cases


def test_a_shell_refresh_saves_every_list_templates_included(served: Simulator) -> None:
    status, _, _ = run_cli("find", "jordan", "--refresh", "--profile", "east")
    assert status == 0
    saved = cache.load("east")
    assert saved is not None
    scopes = {p.scope for p in saved.templates}
    assert scopes == {"pos", "backoffice"}
    assert {u.username for u in saved.backoffice_users} == {
        u.username for u in served.store.users.values()
    }
    hidden = [e for e in served.store.employees.values() if not e.site_ids]  # the list hides them
    assert len(saved.employees) == len(served.store.employees) - len(hidden)


def test_the_cache_holds_the_emails_known_to_be_in_use() -> None:
    sim = Simulator.demo()
    active = next(e for e in sim.store.employees.values() if e.active and e.email)
    user = next(u for u in sim.store.users.values() if u.email)
    with tenant_for(sim) as tenant:
        tenant.refresh()
    saved = cache.load(PROFILE.name)
    assert saved is not None
    assert active.email.casefold() in saved.emails
    assert user.email.casefold() in saved.emails


def test_a_hire_looks_the_same_in_the_tenant_the_cache_and_the_servers_list() -> None:
    sim = Simulator.demo()
    sites = sorted(sim.store.sites.values(), key=lambda s: s.code, reverse=True)[:3]
    sites[0].code = ""  # a site without a short code: the list shows none for it
    with tenant_for(sim) as tenant:
        tenant.refresh()
        pos_id = tenant.client.next_free_pos_user_id()
        created = tenant.hire(hire_request(sim, pos_id, *(s.name for s in sites)))
        row = tenant.employee(created.employee_id)
    truth = listed(sim, created.employee_id)
    assert row == created.as_row()
    # What the server lists after a refresh: codes only (none for the code-less site),
    # in the list's order; only the status time is the server's own.
    assert row == replace(truth, status_changed_utc=None)
    saved = cache.load(PROFILE.name)
    assert saved is not None
    assert next(r for r in saved.employees if r.employee_id == created.employee_id) == row


# --------------------------------------------------------------------------- behaviour


def test_changes_are_told_in_order_and_a_failure_keeps_what_was_known() -> None:
    sim = Simulator.demo()
    seen: list[TenantChange] = []
    with tenant_for(sim) as tenant:
        tenant.subscribe(seen.append)
        tenant.refresh()
        assert isinstance(seen[0], RefreshStarted) and seen[0].lists == frozenset(LISTS)
        replaced = [c for c in seen if isinstance(c, ListsReplaced)]
        assert frozenset().union(*(c.lists for c in replaced)) == frozenset(LISTS)
        assert replaced[-1].lists == {"employees"}  # the roster last: lists first
        count = len(tenant.employees())
        seen.clear()
        sim.faults.add(path="/employee", method="GET", nth=None, kind="500")
        with pytest.raises(BackofficeServerError):
            tenant.refresh(["employees"])
        assert isinstance(seen[-1], RefreshFailed) and seen[-1].lists == {"employees"}
        assert len(tenant.employees()) == count


def test_a_write_during_a_roster_download_survives_it() -> None:
    """A disable made while the roster downloads must not be undone by the download's
    older row."""
    sim = Simulator.demo()
    with tenant_for(sim) as tenant:
        tenant.refresh()
        target = next(r for r in tenant.employees() if r.active and r.pos_user_id)
        started, release = threading.Event(), threading.Event()
        original = tenant.client.list_employees

        def slow_list(**kwargs: object) -> list[EmployeeRow]:
            rows = original(**kwargs)  # type: ignore[arg-type]
            started.set()
            release.wait(10)
            return rows

        tenant.client.list_employees = slow_list  # type: ignore[method-assign]
        worker = threading.Thread(target=tenant.refresh, args=(["employees"],))
        worker.start()
        assert started.wait(10)
        tenant.client.list_employees = original  # type: ignore[method-assign]
        tenant.disable(target)
        release.set()
        worker.join(10)
        row = tenant.employee(target.employee_id)
        assert row is not None and row.active is False


def test_writes_are_audited_by_the_tenant() -> None:
    sim = Simulator.demo()
    with tenant_for(sim) as tenant:
        tenant.refresh()
        target = next(r for r in tenant.employees() if r.active and r.pos_user_id)
        tenant.disable(target)
    [event] = audit.read()
    assert (event.operation, event.outcome, event.profile, event.tenant) == (
        "disable",
        "ok",
        "east",
        "east",
    )
    assert event.target == f"employee_id={target.employee_id} pos_user_id={target.pos_user_id}"


def test_no_cache_profile_writes_no_file() -> None:
    sim = Simulator.demo()
    profile = Profile(
        name="nocache", subdomain="x", username="bot", base_url="http://sim.test", use_cache=False
    )
    with tenant_for(sim, profile) as tenant:
        tenant.refresh()
        assert tenant.load_cache() is None
    assert not cache.cache_path("nocache").exists()


def test_the_cache_fills_only_what_the_server_has_not_answered() -> None:
    sim = Simulator.demo()
    with tenant_for(sim) as tenant:
        tenant.refresh()
    rows = json.loads(cache.cache_path(PROFILE.name).read_text(encoding="utf-8"))["employees"]
    assert rows
    with tenant_for(sim) as tenant:
        tenant.refresh(["sites", "departments"])
        snapshot = tenant.load_cache()
        assert snapshot is not None
        assert tenant.source("sites") == "server"
        assert tenant.source("employees") == "cache"
        assert len(tenant.employees()) == len(rows)


def test_employee_changes_reach_listeners_with_the_new_row() -> None:
    sim = Simulator.demo()
    seen: list[TenantChange] = []
    with tenant_for(sim) as tenant:
        tenant.refresh()
        target = next(r for r in tenant.employees() if r.active and r.pos_user_id)
        tenant.subscribe(seen.append)
        tenant.disable(target)
    [change] = [c for c in seen if isinstance(c, EmployeeChanged)]
    assert change.operation == "disable"
    assert change.row == target.with_status(False, FIXED_NOW.strftime("%Y-%m-%d %H:%M:%S"))


# --------------------------------------------------------------------------- more writes


def test_an_offboarding_closes_both_doors_in_memory_on_disk_and_in_the_audit() -> None:
    sim = Simulator.demo()
    user = next(
        u
        for u in sim.store.users.values()
        if u.employee_id and u.active and sim.store.employees[u.employee_id].active
    )
    seen: list[TenantChange] = []
    with tenant_for(sim) as tenant:
        tenant.refresh()
        row = tenant.employee(user.employee_id)
        assert row is not None
        tenant.subscribe(seen.append)
        result = tenant.offboard(row)
        assert [u.user_id for u in result.backoffice_users] == [user.id]
        after = tenant.employee(row.employee_id)
        assert after is not None and after.active is False
        [login] = [u for u in tenant.backoffice_users() if u.user_id == user.id]
        assert login.active is False
    assert not sim.store.employees[row.employee_id].active and not user.active
    kinds = [(type(c).__name__, getattr(c, "operation", "")) for c in seen]
    assert ("EmployeeChanged", "disable") in kinds
    assert ("BackofficeUserChanged", "offboard") in kinds
    saved = cache.load(PROFILE.name)
    assert saved is not None
    assert not next(u for u in saved.backoffice_users if u.user_id == user.id).active
    assert not next(r for r in saved.employees if r.employee_id == row.employee_id).active
    [event] = audit.read()
    assert (event.operation, event.outcome) == ("offboard", "ok")


def test_an_offboarding_stopped_part_way_still_applies_what_it_closed() -> None:
    """The login closed, the employee's update refused: the tenant shows the login
    inactive (memory and disk), the employee still active, the audit says partial, and
    progress was told each step."""
    sim = Simulator.demo()
    user = next(
        u
        for u in sim.store.users.values()
        if u.employee_id and u.active and sim.store.employees[u.employee_id].active
    )
    sim.faults.add(path="/employee/update", method="POST", kind="500")
    steps: list[str] = []
    with tenant_for(sim) as tenant:
        tenant.refresh()
        row = tenant.employee(user.employee_id)
        assert row is not None
        with pytest.raises(IncompleteError):
            tenant.offboard(row, progress=steps.append)
        [login] = [u for u in tenant.backoffice_users() if u.user_id == user.id]
        after = tenant.employee(row.employee_id)
    assert login.active is False and after is not None and after.active
    saved = cache.load(PROFILE.name)
    assert saved is not None
    assert not next(u for u in saved.backoffice_users if u.user_id == user.id).active
    assert any(step.startswith("Disabling") for step in steps), steps
    [event] = audit.read()
    assert (event.operation, event.outcome) == ("offboard", "partial")


def test_an_applied_change_plan_updates_the_row_everywhere() -> None:
    sim = Simulator.demo()
    with tenant_for(sim) as tenant:
        tenant.refresh()
        row = next(r for r in tenant.employees() if r.active and r.pos_user_id)
        plan = tenant.client.plan_update_employee(
            employee_id=row.employee_id, phone="(555) 010-0188"
        )
        assert [c.field for c in plan.changes] == ["phone"]
        tenant.write_change(plan)
        after = tenant.employee(row.employee_id)
    assert after is not None and after.phone == sim.store.employees[row.employee_id].phone
    assert after.phone != row.phone
    assert replace(after, phone=row.phone) == row  # nothing else moved
    saved = cache.load(PROFILE.name)
    assert saved is not None
    assert next(r for r in saved.employees if r.employee_id == row.employee_id) == after
    [event] = audit.read()
    assert (event.operation, event.outcome) == ("change", "ok")


def test_a_backoffice_user_disabled_and_enabled_through_the_tenant() -> None:
    sim = Simulator.demo()
    with tenant_for(sim) as tenant:
        tenant.refresh()
        user = next(u for u in tenant.backoffice_users() if u.active and u.username != "bot")
        tenant.disable_backoffice_user(user)
        assert not next(u for u in tenant.backoffice_users() if u.user_id == user.user_id).active
        tenant.enable_backoffice_user(replace(user, active=False))
        assert next(u for u in tenant.backoffice_users() if u.user_id == user.user_id).active
    assert [e.operation for e in audit.read()] == [
        "disable backoffice user",
        "enable backoffice user",
    ]


def test_backoffice_permissions_and_password_reset_through_the_tenant_are_audited() -> None:
    sim = Simulator.demo()
    with tenant_for(sim) as tenant:
        tenant.refresh()
        user = next(u for u in tenant.backoffice_users() if u.active and u.username != "bot")
        template = tenant.templates("backoffice")[0].name
        site = tenant.sites[0].name
        changed = tenant.set_backoffice_permissions(user, template=template, sites=[site])
        assert changed.available_sites == (site,)
        again = tenant.set_backoffice_permissions(user, template=template, sites=[site])
        assert again.already
        reset = tenant.reset_backoffice_password(user)
        secret = reset.password.reveal()
        assert len(secret) >= 12
    events = audit.read()
    assert [e.operation for e in events] == [
        "set backoffice permissions",
        "set backoffice permissions",
        "reset backoffice password",
    ]
    assert events[1].warnings == ["already so: nothing written"]
    assert secret not in json.dumps([e.__dict__ for e in events], default=str)


def test_the_access_review_through_the_tenant_finds_a_login_of_a_disabled_employee() -> None:
    sim = Simulator.demo()
    with tenant_for(sim) as tenant:
        tenant.refresh()
        before = tenant.review_access()
        linked = next(
            (row, users)
            for row in tenant.employees()
            if row.active
            and (users := tenant.client.linked_backoffice_users(employee_id=row.employee_id))
        )
        tenant.disable(linked[0])  # the POS login only: the Back Office login stays open
        after = tenant.review_access(refresh=True)
    assert len(after.findings) > len(before.findings)


def test_a_result_the_operations_table_does_not_know_is_refused_not_ignored() -> None:
    # A new write whose result type has no row in OPERATIONS would otherwise reach
    # nothing: no listener told, the lists stale, and nothing says so.
    sim = Simulator.demo()
    told: list[TenantChange] = []
    with tenant_for(sim) as tenant:
        tenant.refresh(["employees"])
        tenant.subscribe(told.append)
        with pytest.raises(TypeError, match="EmployeeRow"):
            tenant.land(tenant.employees()[0])
    assert told == []
