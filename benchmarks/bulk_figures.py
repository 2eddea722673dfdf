"""Bulk-run figures: planning 1,000 rows on a 10,000-employee tenant once its lists
are loaded (no request per row), and apply throughput on a slow link against the
requests each row needs."""

from __future__ import annotations

import argparse
import contextlib
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from common import Figure, best_of, ms, registry

from sonnys_tui import bulk
from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.config import Profile
from sonnys_tui.simulator import Simulator
from sonnys_tui.tenant import Tenant

BENCHMARKS, benchmark = registry()
HEADER = (
    "action,pos_user_id,first_name,last_name,phone,email,wage_rate,start_date,"
    "available_sites,departments,permission,effective_date"
)


@contextlib.contextmanager
def _private_dirs() -> Iterator[Path]:
    """The audit log and the cache of these writes go to a temp folder, not the user's."""
    names = ("SONNYS_TUI_DATA_DIR", "SONNYS_TUI_CACHE_DIR", "SONNYS_TUI_CONFIG_DIR")
    saved = {name: os.environ.get(name) for name in names}
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            os.environ[name] = str(Path(folder) / name)
        try:
            yield Path(folder)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def _tenant(sim: Simulator, **kwargs: object) -> Tenant:
    profile = Profile(name="bench", subdomain="bench", username=sim.username, use_cache=False)
    client = SonnysBackofficeClient(**sim.client_kwargs(**kwargs))
    return Tenant(profile, client=client)


def _hire(n: int, site: str) -> str:
    return (
        f"hire,{80_000 + n},Bulk,Hire{n},555{n:07d},bulk.hire{n}@example.com,15.50,"
        f'2026-12-01,"{site}",Cashier,Cashier,'
    )


def _mixed_file(tenant: Tenant, rows: int) -> str:
    """``rows`` rows: 40 % hires, 30 % updates, 20 % wages, 10 % offboards."""
    site = tenant.sites[0].name
    people = [e for e in tenant.employees() if e.active and e.pos_user_id is not None]
    lines = [HEADER]
    for n in range(rows):
        kind = n % 10
        person = people[n % len(people)].pos_user_id
        if kind < 4:
            lines.append(_hire(n, site))
        elif kind < 7:
            lines.append(f"update,{person},,,555{n:07d},,,,,,,")
        elif kind < 9:
            lines.append(f"wage,{person},,,,,16.25,,,,,2030-01-01")
        else:
            lines.append(f"offboard,{person},,,,,,,,,,")
    return "\n".join(lines) + "\n"


@benchmark("bulk_plan")
def bulk_plan(args: argparse.Namespace) -> list[Figure]:
    rows = 1_000
    sim = Simulator.large(args.employees, seed=1)
    with _private_dirs(), _tenant(sim) as tenant:
        text = _mixed_file(_loaded(tenant), rows)
        before = len(sim.requests)
        elapsed = best_of(max(3, args.repeat // 3), lambda: bulk.plan(tenant, bulk.parse(text)))
        requests = len(sim.requests) - before
        plan = bulk.plan(tenant, bulk.parse(text))
    counts = ", ".join(f"{n} {status}" for status, n in sorted(plan.counts().items()))
    return [
        Figure(
            f"bulk plan: {rows:,} rows (read + plan), {args.employees:,} employees loaded",
            ms(elapsed),
            f"{requests} requests",
            "",
            "≤ 1 s, no request",
            elapsed <= 1.0 and requests == 0,
            note=f"bulk plan of {rows:,} rows: {counts}",
        )
    ]


SYNC_HEADER = (
    "pos_user_id,first_name,last_name,phone,email,wage_rate,start_date,"
    "available_sites,departments,permission,status"
)


def _sync_file(tenant: Tenant, rows: int) -> str:
    """An HR export of ``rows`` people by POS User ID: everyone listed (the inactive
    marked terminated), one in 20 with a new phone, one in 50 terminated, one absent in
    500, and new hires to make up the count."""
    site = tenant.sites[0].name
    lines = [SYNC_HEADER]
    listed = sorted(
        (e for e in tenant.employees() if e.pos_user_id is not None), key=lambda e: e.employee_id
    )
    for n, e in enumerate(listed[:rows]):
        if n % 500 == 499:
            continue  # left: offboarded as absent
        phone = f"556{n:07d}" if n % 20 == 0 else e.phone
        status = "terminated" if not e.active or n % 50 == 1 else "active"
        sites = ", ".join(e.site_codes)
        departments = ", ".join(e.departments)
        lines.append(
            f'{e.pos_user_id},{e.first_name},{e.last_name},{phone},,,,"{sites}","{departments}",'
            f",{status}"
        )
    for n in range(rows - len(lines) + 1):
        lines.append(
            f"{90_000 + n},Sync,Hire{n},557{n:07d},sync.hire{n}@example.com,15.50,2026-12-01,"
            f'"{site}",Cashier,Cashier,active'
        )
    return "\n".join(lines) + "\n"


@benchmark("bulk_sync_plan")
def bulk_sync_plan(args: argparse.Namespace) -> list[Figure]:
    """A sync of an export the size of the tenant, by POS User ID, once the roster is
    loaded: the whole plan (reading the file too) against no request at all."""
    from sonnys_tui.bulk import mapping, sync

    rows = args.employees
    sim = Simulator.large(args.employees, seed=1)
    with _private_dirs(), _tenant(sim) as tenant:
        text = _sync_file(_loaded(tenant), rows)
        options = sync.SyncOptions(max_offboard=rows)
        before = len(sim.requests)

        def plan() -> sync.SyncPlan:
            return sync.plan(tenant, mapping.parse_sync(text), options)

        elapsed = best_of(max(3, args.repeat // 3), plan)
        requests = len(sim.requests) - before
        planned = plan()
    counts = ", ".join(f"{n} {status}" for status, n in sorted(planned.counts().items()))
    return [
        Figure(
            f"bulk sync plan: {rows:,} rows by POS User ID (read + plan), roster loaded",
            ms(elapsed),
            f"{requests} requests",
            "",
            "≤ 1 s, no request",
            elapsed <= 1.0 and requests == 0 and not planned.refused,
            note=f"bulk sync plan of {rows:,} rows: {counts}",
        )
    ]


def _loaded(tenant: Tenant) -> Tenant:
    tenant.refresh()  # every list a plan reads, once (the "after the roster is loaded")
    return tenant


@benchmark("bulk_apply")
def bulk_apply(args: argparse.Namespace) -> list[Figure]:
    """A mixed file on a 150 ms link: each row's time against its requests × 150 ms."""
    latency = args.latency_ms / 1000
    each = 1 if args.employees < 10_000 else 3  # hires, updates and offboards
    sim = Simulator.demo()
    with _private_dirs() as folder, sim.serve() as base_url:
        tenant = _tenant(sim, base_url=base_url, transport=None)
        with tenant:
            _loaded(tenant)
            site = tenant.sites[0].name
            people = [e.pos_user_id for e in tenant.employees() if e.active and e.pos_user_id]
            lines = [_hire(n, site) for n in range(each)]
            lines += [f"update,{people[n]},,,556{n:07d},,,,,,," for n in range(each)]
            lines += [f"offboard,{people[each + n]},,,,,,,,,," for n in range(each)]
            path = folder / "mixed.csv"
            path.write_text(HEADER + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
            plan = bulk.plan(tenant, bulk.read(path))
            sim.faults.latency_ms = args.latency_ms
            client = tenant.client
            client.stats.reset()
            started = time.perf_counter()
            run = bulk.run_plan(tenant, plan, bulk.RunFiles.beside(path))
            elapsed = time.perf_counter() - started
            sim.faults.latency_ms = 0
            requests = client.stats.requests
    rows = len(lines)
    assert run.count("done") == rows, [o.error for o in run.outcomes]
    per_row, bound = elapsed / rows, requests * latency / rows
    ratio = per_row / bound
    return [
        Figure(
            f"bulk apply, {args.latency_ms} ms link: {rows} rows (hire, update, offboard), per row",
            ms(per_row),
            f"{requests / rows:.1f} req × {args.latency_ms} ms = {ms(bound)}",
            f"{ratio:.2f}",
            "≤ 1.10",
            ratio <= 1.10,
            note=f"bulk apply: {requests} requests for {rows} rows (hire 6, update 4, offboard 4+)",
        )
    ]
