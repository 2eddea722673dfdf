"""Time to first answer for quick lookups (issue: answers in about a second).

Against ``Simulator.large(n)`` served on loopback with 150 ms per request: a name
lookup and a POS User ID check, cold (no roster cache: the server's own search)
and warm (the on-disk roster cache), against the naive way of downloading the
whole roster first.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

from common import Figure, ms, registry

from sonnys_tui import cache
from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.lookup import Query, search_rows, search_server
from sonnys_tui.simulator import Simulator

BENCHMARKS, benchmark = registry()


@benchmark("first_answer")
def first_answer(args: argparse.Namespace) -> list[Figure]:
    import os
    import tempfile

    sim = Simulator.large(args.employees, seed=1)
    someone = next(e for e in sim.store.employees.values() if e.site_ids)
    name_query = Query.parse(f"{someone.first_name} {someone.last_name[:3]}")
    with sim.serve() as base_url, tempfile.TemporaryDirectory() as tmp:
        os.environ["SONNYS_TUI_CACHE_DIR"] = tmp
        sim.faults.latency_ms = args.latency_ms

        def client() -> SonnysBackofficeClient:
            return SonnysBackofficeClient(
                subdomain="bench", username=sim.username, password=sim.password, base_url=base_url
            )

        # Baseline: the naive answer, after downloading the whole roster.
        with client() as c:
            started = time.perf_counter()
            rows = c.list_employees()
            search_rows(rows, name_query)
            naive = time.perf_counter() - started
            cache.save("bench", cache.RosterSnapshot(datetime.now(UTC), tuple(rows)))

        with client() as c:
            started = time.perf_counter()
            found = search_server(c, name_query)
            cold_name = time.perf_counter() - started
            assert any(r.pos_user_id == someone.pos_user_id for r in found)
        with client() as c:
            started = time.perf_counter()
            taken = bool(c.search_employees(pos_user_id=someone.pos_user_id))
            cold_pos = time.perf_counter() - started
            assert taken

        started = time.perf_counter()
        snapshot = cache.load("bench")
        assert snapshot is not None
        found = search_rows(snapshot.employees, name_query)
        warm_name = time.perf_counter() - started
        assert found
        with client() as c:
            c.search_employees(pos_user_id=1)  # logged in already: a warm session
            started = time.perf_counter()
            c.search_employees(pos_user_id=someone.pos_user_id)
            warm_pos = time.perf_counter() - started
        sim.faults.latency_ms = 0
        del os.environ["SONNYS_TUI_CACHE_DIR"]

    def figure(label: str, seconds: float) -> Figure:
        return Figure(
            f"first answer: {label}",
            ms(seconds),
            f"{ms(naive)} full roster",
            f"{seconds / naive:.2f}",
            "≈ 1 s",
            seconds <= 1.2,
        )

    return [
        figure("name, cold (server search, incl. login)", cold_name),
        figure("name, warm (disk cache)", warm_name),
        figure("POS ID, cold (exact search, incl. login)", cold_pos),
        figure("POS ID, warm session", warm_pos),
    ]
