"""The Home screen starts from the on-disk roster cache, refreshes behind it, and asks
the server while there is no roster at all (the roster download held on a gate)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from textual.widgets import Static

from sonnys_tui import cache
from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.backoffice.models import EmployeeRow, Site
from sonnys_tui.config import Profile
from sonnys_tui.lookup import Query, search_rows
from sonnys_tui.simulator import Simulator
from sonnys_tui.tui.app import SonnysApp, make_app
from sonnys_tui.tui.dialogs.offboard import OffboardScreen
from sonnys_tui.tui.panes.employees import EmployeesPane
from sonnys_tui.tui.panes.templates import TemplatesPane
from sonnys_tui.tui.screens.home import HomeScreen
from sonnys_tui.tui.widgets.employee_detail import EmployeeDetail
from sonnys_tui.tui.widgets.employee_table import EmployeeTable

from ..waiting import wait_until
from .conftest import DEMO_PROFILE, FIXED_TODAY, settle, shown, type_text

pytestmark = pytest.mark.anyio

SEARCH_PARAMS = ("first_name", "last_name", "posUserId")


class RosterGate(httpx.BaseTransport):
    """Holds the full roster download (``GET /employee?limit=10000`` without search
    filters) until the test opens the gate; every other request goes straight through."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.opened = threading.Event()
        self.roster_requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        if (
            request.method == "GET"
            and request.url.path.rstrip("/").endswith("/employee")
            and params.get("limit") == "10000"
            and not any(name in params for name in SEARCH_PARAMS)
        ):
            self.roster_requests += 1
            self.opened.wait(timeout=30)
        return self.inner.handle_request(request)


@pytest.fixture
def gate(sim: Simulator) -> Iterator[RosterGate]:
    gate = RosterGate(sim.transport())
    yield gate
    gate.opened.set()  # never leave a worker thread waiting


def gated_app(sim: Simulator, gate: RosterGate, profile: Profile = DEMO_PROFILE) -> SonnysApp:
    def factory(profile: Profile, password: str) -> SonnysBackofficeClient:
        return SonnysBackofficeClient(
            subdomain=profile.subdomain,
            username=profile.username,
            password=password,
            base_url="http://sim.test",
            transport=gate,
        )

    return make_app(
        profile=profile, password=sim.password, client_factory=factory, clock=lambda: FIXED_TODAY
    )


def home_ready(app: SonnysApp) -> bool:
    screen = app.screen
    return isinstance(screen, HomeScreen) and bool(screen.query("#roster-status"))


def home_of(app: SonnysApp) -> HomeScreen:
    screen = app.screen
    assert isinstance(screen, HomeScreen), screen
    return screen


def status_of(home: HomeScreen) -> str:
    return shown(home.query_one("#roster-status", Static))


def ids(table: EmployeeTable) -> set[int]:
    return {row.employee_id for row in table.rows}


def listed_rows(sim: Simulator) -> list[EmployeeRow]:
    client = SonnysBackofficeClient(
        subdomain="demo",
        username=sim.username,
        password=sim.password,
        base_url="http://sim.test",
        transport=sim.transport(),
    )
    with client:
        return client.list_employees(refresh=True)


def cached_only_row() -> EmployeeRow:
    return EmployeeRow(
        990001, "Cachey", "Oldrow", 99001, "555-0142", ("ZZ9",), (), "None", "Hourly", True
    )


def save_cache(rows: list[EmployeeRow], *, minutes_old: int) -> None:
    snapshot = cache.RosterSnapshot(
        saved_at=datetime.now(UTC) - timedelta(minutes=minutes_old),
        employees=tuple(rows),
        sites=(Site(id=1, name="Cached Site Nine", code="ZZ9"),),
    )
    cache.save(DEMO_PROFILE.name, snapshot)


async def test_cached_roster_shows_at_once_then_the_servers_replaces_it(
    sim: Simulator, gate: RosterGate
):
    server_rows = listed_rows(sim)
    target = next(r for r in server_rows if r.active and r.pos_user_id)
    stale = replace(target, active=False)  # the cache still has them disabled
    save_cache([cached_only_row(), stale], minutes_old=12)
    app = gated_app(sim, gate)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: home_ready(app))
        home = home_of(app)
        table = home.query_one("#table", EmployeeTable)
        await wait_until(pilot, lambda: home.employees.roster_shown and gate.roster_requests == 1)
        assert not gate.opened.is_set() and not home.employees.roster_loaded  # still downloading
        assert ids(table) == {990001, target.employee_id}
        assert "2 of 2 · as of 12 min ago · refreshing…" in status_of(home)
        assert not table.loading
        # The cache answers the filter at once; the cursor sits on that person.
        await type_text(pilot, "#filter", target.last_name[:3])
        assert target.employee_id in ids(table)
        assert table.current is not None and table.current.employee_id == target.employee_id

        gate.opened.set()
        await settle(pilot)
        # Replaced in place: same filter, same employee under the cursor, fresh rows.
        assert home.query_one("#filter").value == target.last_name[:3]  # type: ignore[attr-defined]
        expected = {
            r.employee_id for r in search_rows(server_rows, Query.parse(target.last_name[:3]))
        }
        assert ids(table) == expected and 990001 not in ids(table)
        assert table.current is not None and table.current.employee_id == target.employee_id
        assert table.current.active is True
        status = status_of(home)
        assert "current" in status and "refreshing" not in status

    saved = cache.load(DEMO_PROFILE.name)
    assert saved is not None
    assert {r.employee_id for r in saved.employees} == {r.employee_id for r in server_rows}
    assert {s.code for s in saved.sites} == {s.code for s in sim_sites(sim)}
    assert saved.templates  # the POS templates too, for the next start


def sim_sites(sim: Simulator) -> list[Site]:
    client = SonnysBackofficeClient(
        subdomain="demo",
        username=sim.username,
        password=sim.password,
        base_url="http://sim.test",
        transport=sim.transport(),
    )
    with client:
        return client.list_sites()


async def test_cache_off_reads_and_writes_no_file(sim: Simulator, gate: RosterGate):
    save_cache([cached_only_row()], minutes_old=5)
    before = cache.cache_path(DEMO_PROFILE.name).read_bytes()
    gate.opened.set()
    app = gated_app(sim, gate, replace(DEMO_PROFILE, use_cache=False))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = home_of(app)
        assert 990001 not in ids(home.query_one("#table", EmployeeTable))
        assert "as of" not in status_of(home) and "current" not in status_of(home)
    assert cache.cache_path(DEMO_PROFILE.name).read_bytes() == before


async def test_a_disable_made_in_the_app_goes_into_the_cache(sim: Simulator, gate: RosterGate):
    gate.opened.set()
    app = gated_app(sim, gate)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        saved = cache.load(DEMO_PROFILE.name)
        assert saved is not None  # the full refresh was saved
        target = next(r for r in saved.employees if r.active and r.pos_user_id)
        await type_text(pilot, "#filter", str(target.pos_user_id))
        await pilot.press("ctrl+d")
        await settle(pilot)  # the dialog reads the Back Office logins first
        assert isinstance(app.screen, OffboardScreen)
        await pilot.press("y")
        await settle(pilot)
    after = cache.load(DEMO_PROFILE.name)
    assert after is not None
    row = next(r for r in after.employees if r.employee_id == target.employee_id)
    assert row.active is False
    assert len(after.employees) == len(saved.employees)


async def test_no_cache_the_filter_asks_the_server_until_the_roster_arrives(
    sim: Simulator, gate: RosterGate, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(EmployeesPane, "SERVER_SEARCH_DEBOUNCE", 0.0)
    server_rows = listed_rows(sim)
    target = next(r for r in server_rows if r.active and r.pos_user_id)
    word = target.last_name.split()[0][:4].lower()
    app = gated_app(sim, gate)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: home_ready(app))
        home = home_of(app)
        table = home.query_one("#table", EmployeeTable)
        await wait_until(pilot, lambda: gate.roster_requests == 1)
        await type_text(pilot, "#filter", word)
        await wait_until(pilot, lambda: "server search" in status_of(home))
        assert not home.employees.roster_shown and not gate.opened.is_set()
        assert "server search (roster still loading)" in status_of(home)
        expected = {r.employee_id for r in search_rows(server_rows, Query.parse(word))}
        assert target.employee_id in expected
        assert ids(table) == expected

        # A late answer to an older text is dropped.
        home.employees.post_message(EmployeesPane.ServerSearchDone("zz", [cached_only_row()]))
        await pilot.pause()
        assert ids(table) == expected

        # Enter opens the detail while the roster is still held.
        table.cursor = [r.employee_id for r in table.rows].index(target.employee_id)
        await type_text(pilot, "#filter", word)  # focus back on the filter, same text
        await wait_until(pilot, lambda: "server search" in status_of(home))
        await pilot.press("enter")
        detail = home.query_one("#detail", EmployeeDetail)
        await wait_until(pilot, lambda: detail.display and detail.employee_id is not None)
        await wait_until(pilot, lambda: target.first_name in shown_detail(detail))

        gate.opened.set()
        await settle(pilot)
        assert home.employees.roster_loaded
        assert "server search" not in status_of(home)
        assert f"{len(expected)} of {len(server_rows)}" in status_of(home)
        assert ids(table) == expected  # the instant filter took over with the same rules


def shown_detail(detail: EmployeeDetail) -> str:
    return " ".join(shown(static) for static in detail.query(Static))


async def test_a_failed_refresh_keeps_the_cached_rows_and_says_so(sim: Simulator, gate: RosterGate):
    save_cache([cached_only_row()], minutes_old=180)
    sim.faults.add(path="/employee", method="GET", nth=None, kind="500")
    gate.opened.set()
    app = gated_app(sim, gate)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = home_of(app)
        assert not home.employees.roster_loaded
        assert ids(home.query_one("#table", EmployeeTable)) == {990001}
        assert "1 of 1 · as of 3 h ago · refresh failed" in status_of(home)
    saved = cache.load(DEMO_PROFILE.name)
    assert saved is not None and [r.employee_id for r in saved.employees] == [990001]


async def test_templates_from_the_cache_replaced_by_none_from_the_server() -> None:
    """An empty tenant has no record to read templates from: the cached templates
    are replaced by none, and a highlight of the old list must not crash the app."""
    from textual.widgets import OptionList
    from textual.widgets.option_list import Option

    from sonnys_tui.backoffice.models import Permission

    sim = Simulator.large(0, seed=1)
    templates = tuple(
        Permission("pos", str(n), name, grant_ids=frozenset({1}))
        for n, name in enumerate(("Manager", "Cashier", "General User"), start=1)
    )
    cache.save(
        DEMO_PROFILE.name,
        cache.RosterSnapshot(saved_at=datetime.now(UTC), templates=templates),
    )
    gate = RosterGate(sim.transport())
    gate.opened.set()
    app = gated_app(sim, gate)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = home_of(app)
        home.query_one("#tabs").active = "templates"
        await settle(pilot)
        pane = home.query_one(TemplatesPane)
        assert pane.tenant.templates("pos") == ()
        # The highlight of the cached list's third template, arriving after the refill.
        options = home.query_one("#template-list", OptionList)
        stale = OptionList.OptionHighlighted(options, Option("  General User", id="pos:2"), 2)
        pane._template_highlighted(stale)
        assert app.is_running
