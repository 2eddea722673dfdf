"""One client shared by several threads: one login, exact stats, caches filled once
and never left stale by a write made during a download, independent reads side by side."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import httpx
import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient as Client
from sonnys_tui.backoffice.errors import AuthenticationError
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Employee

from .conftest import make_client

T = TypeVar("T")
THREADS = 8
WAIT = 10.0  # seconds: far more than any step here needs, so only a deadlock hits it


class Gate(httpx.BaseTransport):
    """The simulator's transport with a byte count and a gate.

    The first request that ``hold`` picks waits at the gate until ``release`` is
    set: before the simulator answers it, or (``after=True``) once it has answered,
    so that the page holds the tenant as it was then.
    """

    def __init__(
        self,
        inner: httpx.BaseTransport,
        hold: Callable[[httpx.Request], bool] = lambda _request: False,
        *,
        after: bool = False,
    ) -> None:
        self.inner = inner
        self.hold = hold
        self.after = after
        self.held = threading.Event()
        self.release = threading.Event()
        self.bytes = 0
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            held = not self.held.is_set() and self.hold(request)
            if held:
                self.held.set()
        if held and not self.after:
            assert self.release.wait(WAIT), "the gate was never opened"
        response = self.inner.handle_request(request)
        body = response.read()
        response.close()
        with self._lock:
            self.bytes += len(body)
        if held and self.after:
            assert self.release.wait(WAIT), "the gate was never opened"
        return httpx.Response(
            response.status_code, headers=response.headers, content=body, request=request
        )


def _is_roster(request: httpx.Request) -> bool:
    params = request.url.params
    return (
        request.url.path == "/employee"
        and params.get("active") == "all"
        and "posUserId" not in params
        and params.get("limit") == "10000"
    )


@pytest.fixture
def gated() -> Iterator[tuple[Simulator, Gate, Client]]:
    sim = Simulator.demo()
    gate = Gate(sim.transport(), _is_roster)
    with make_client(sim, transport=gate) as client:
        yield sim, gate, client
        gate.release.set()  # never leave a thread at the gate


def _at_once(count: int, task: Callable[[int], T]) -> list[T]:
    """Run ``task(0..count-1)`` on ``count`` threads released together."""
    start = threading.Barrier(count)

    def run(index: int) -> T:
        start.wait(WAIT)
        return task(index)

    with ThreadPoolExecutor(count) as pool:
        return [f.result(WAIT * 2) for f in [pool.submit(run, i) for i in range(count)]]


def _paths(sim: Simulator, path: str, method: str = "GET") -> int:
    return sum(1 for r in sim.requests if r.path == path and r.method == method)


def _listed(sim: Simulator) -> set[int]:
    """The employees the list page shows the bot (those with a site it sees)."""
    return {e.id for e in sim.store.employees.values() if e.site_ids}


def _people(sim: Simulator, count: int) -> list[Employee]:
    found = [e for e in sim.store.employees.values() if e.active and e.site_ids][:count]
    assert len(found) == count
    return found


# ------------------------------------------------------------------ login and stats


def test_threads_log_in_once_and_stats_count_every_request_and_byte() -> None:
    sim = Simulator.demo()
    gate = Gate(sim.transport())
    sim.faults.latency_ms = 30  # every request takes a while: the threads overlap
    people = _people(sim, THREADS)
    with make_client(sim, transport=gate) as client:
        records = _at_once(THREADS, lambda i: client.get_employee(people[i].id))
        assert [r.employee_id for r in records] == [p.id for p in people]
        assert [r.pos_user_id for r in records] == [p.pos_user_id for p in people]
        assert _paths(sim, "/login_check", "POST") == 1
        assert client.stats.requests == len(sim.requests) == 3 * THREADS + 1
        assert client.stats.bytes_received == gate.bytes > 0


def test_threads_log_in_again_once_when_the_session_ends() -> None:
    sim = Simulator.demo()
    sim.faults.latency_ms = 30
    people = _people(sim, THREADS)
    with make_client(sim) as client:
        client.get_employee(people[0].id)
        assert _paths(sim, "/login_check", "POST") == 1
        sim.faults.expire_sessions()  # every thread's next request meets the login page
        records = _at_once(THREADS, lambda i: client.get_employee(people[i].id))
    assert [r.employee_id for r in records] == [p.id for p in people]
    assert _paths(sim, "/login_check", "POST") == 2


@pytest.mark.parametrize("operation", ["list_sites", "get_employee"])
def test_a_refused_login_is_sent_once_for_the_threads_waiting_for_it(operation: str) -> None:
    """Through a cache fill (list_sites) or straight to the session (get_employee)."""
    sim = Simulator.demo()
    sim.faults.latency_ms = 200  # the threads all wait while the one login is refused
    employee_id = next(iter(sim.store.employees))
    with make_client(sim, password="not-the-password") as client:

        def attempt(_index: int) -> str:
            with pytest.raises(AuthenticationError) as info:
                if operation == "list_sites":
                    client.list_sites()
                else:
                    client.get_employee(employee_id)
            assert "not-the-password" not in str(info.value)
            return info.value.step or ""

        assert _at_once(4, attempt) == ["login"] * 4
        assert _paths(sim, "/login_check", "POST") == 1  # a wrong password, sent once
        assert {r.path for r in sim.requests} <= {"/login_check", "/login"}  # and its redirect
        # A later call tries again (the password may have been fixed on the server).
        with pytest.raises(AuthenticationError):
            client.list_sites()
        assert _paths(sim, "/login_check", "POST") == 2


# ------------------------------------------------------------------ caches


def test_a_cache_is_filled_once_for_threads_that_need_it_at_once() -> None:
    sim = Simulator.demo()
    sim.faults.latency_ms = 30
    with make_client(sim) as client:
        client.get_employee(next(iter(sim.store.employees)))  # logged in
        sites = _at_once(THREADS, lambda _i: client.list_sites())
        roster = _at_once(THREADS, lambda _i: len(client.list_employees()))
    assert all(s == sites[0] for s in sites) and sites[0]
    assert _paths(sim, "/employee/create") == 1
    assert roster == [len(_listed(sim))] * THREADS
    assert sum(1 for r in sim.requests if r.path == "/employee" and r.query.get("limit")) == 1


def test_a_refresh_fetches_again_even_while_another_fill_is_in_flight() -> None:
    sim = Simulator.demo()
    gate = Gate(sim.transport(), _is_roster, after=True)
    renamed = _people(sim, 1)[0]
    with make_client(sim, transport=gate) as client, ThreadPoolExecutor(2) as pool:
        client.list_sites()  # logged in
        first = pool.submit(client.list_employees)
        assert gate.held.wait(WAIT)  # its page is rendered: it shows the old name
        sim.store.employees[renamed.id].first_name = "Renamed"
        second = pool.submit(client.list_employees, refresh=True)
        gate.release.set()
        old = {r.employee_id: r.first_name for r in first.result(WAIT)}
        new = {r.employee_id: r.first_name for r in second.result(WAIT)}
    # The refresh did not settle for the download that started before it.
    assert old[renamed.id] != "Renamed" and new[renamed.id] == "Renamed"
    assert sum(1 for r in sim.requests if _roster_query(r.query)) == 2


def _roster_query(query: dict[str, str]) -> bool:
    return (
        query.get("limit") == "10000" and query.get("active") == "all" and "posUserId" not in query
    )


def test_a_roster_download_holds_up_no_search_read_or_other_cache(
    gated: tuple[Simulator, Gate, Client],
) -> None:
    sim, gate, client = gated
    client.list_sites()  # logged in
    searched, read = _people(sim, 2)
    with ThreadPoolExecutor(4) as pool:
        roster = pool.submit(client.list_employees)
        assert gate.held.wait(WAIT)  # the roster download is in flight, and stays so
        search = pool.submit(client.search_employees, pos_user_id=searched.pos_user_id)
        record = pool.submit(client.get_employee, read.id)
        users = pool.submit(client.list_backoffice_users)
        # All three finish while the roster is still held at the gate.
        assert [r.employee_id for r in search.result(WAIT)] == [searched.id]
        assert record.result(WAIT).pos_user_id == read.pos_user_id
        assert {u.user_id for u in users.result(WAIT)} == set(sim.store.users)
        assert not roster.done()
        gate.release.set()
        rows = roster.result(WAIT)
    assert {r.employee_id for r in rows} == _listed(sim)


def test_a_disable_during_a_roster_download_is_not_undone_by_it() -> None:
    sim = Simulator.demo()
    gate = Gate(sim.transport(), _is_roster, after=True)
    target = _people(sim, 1)[0]
    with make_client(sim, transport=gate) as client, ThreadPoolExecutor(1) as pool:
        client.list_sites()  # logged in
        roster = pool.submit(client.list_employees)
        assert gate.held.wait(WAIT)  # the page is rendered: it shows the target active
        try:
            client.disable_employee(pos_user_id=target.pos_user_id)
        finally:
            gate.release.set()
        rows = {r.employee_id: r for r in roster.result(WAIT)}
        assert not sim.store.employees[target.id].active
        # The download landed after the disable, with the old status; the cache
        # replayed the disable on it.
        assert rows[target.id].active is False
        assert target.id in {r.employee_id for r in client.list_employees(active="inactive")}


def test_concurrent_disables_of_different_employees_all_take_effect() -> None:
    sim = Simulator.demo()
    people = [e for e in _people(sim, 20) if e.email][:6]
    with make_client(sim) as client:
        client.list_employees()
        client.is_email_available("warm@example.com")
        results = _at_once(
            len(people), lambda i: client.disable_employee(pos_user_id=people[i].pos_user_id)
        )
        assert [r.employee_id for r in results] == [p.id for p in people]
        assert not any(r.already for r in results)
        assert not any(sim.store.employees[p.id].active for p in people)
        before = len(sim.requests)
        # Every change reached the caches (none lost to another thread's update).
        inactive = {r.employee_id for r in client.list_employees(active="inactive")}
        assert {p.id for p in people} <= inactive
        assert not any(client.is_email_available(p.email) for p in people)
        assert len(sim.requests) == before
    assert _paths(sim, "/employee/update", "POST") == len(people)
