"""Client figures: index load, availability checks, round trips, slow link."""

from __future__ import annotations

import argparse
import itertools
import time
import timeit
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import httpx
import lxml.html
from common import Figure, ReplayTransport, best_of, ms, registry, us

from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.simulator import Simulator

BENCHMARKS, benchmark = registry()
_serial = itertools.count(1)


def _client(
    sim: Simulator, transport: httpx.BaseTransport | None = None, base_url: str | None = None
) -> SonnysBackofficeClient:
    """In-process through ``transport`` (the simulator's by default), or over ``base_url``."""
    if base_url is not None:
        return SonnysBackofficeClient(**sim.client_kwargs(base_url=base_url, transport=None))
    return SonnysBackofficeClient(**sim.client_kwargs(transport=transport or sim.transport()))


def _warm(client: SonnysBackofficeClient) -> None:
    """Fill every cache an operation may use."""
    client.list_sites()
    client.list_permissions(scope="pos")
    client.list_permissions(scope="backoffice")
    client.is_pos_user_id_available(1)
    client.is_phone_available("5550100000")
    client.is_email_available("nobody@example.com")


def _hire(client: SonnysBackofficeClient, *, backoffice: bool = False) -> int:
    n = next(_serial)
    sites = [s.name for s in client.list_sites()[:2]]
    pos_id = client.next_free_pos_user_id(70_000)
    created = client.create_employee(
        first_name="Bench",
        last_name=f"Hire{n}",
        phone=f"555017{n:04d}",
        email=f"bench.hire{n}@example.com",
        pos_user_id=pos_id,
        wage_rate=Decimal("15.00"),
        start_date=date(2026, 11, 2),
        available_sites=sites,
        permission="Cashier",
        departments=["Cashier"],
        requires_backoffice=backoffice,
        backoffice_username=f"bench_hire{n}" if backoffice else None,
    )
    return created.pos_user_id


@benchmark("index_load")
def index_load(args: argparse.Namespace) -> list[Figure]:
    sim = Simulator.large(args.employees, seed=1)
    replay = ReplayTransport(sim.transport())
    client = _client(sim, replay)
    # Record every page once (this also measures the simulator's own rendering).
    started = time.perf_counter()
    client.list_employees(refresh=True)
    client.is_email_available("x@example.com", refresh=True)
    render = time.perf_counter() - started
    replay.replaying = True
    list_url = next(url for url in replay.recorded if "/employee?" in url)
    body = replay.recorded[list_url][2]

    def load() -> None:
        client.list_employees(refresh=True)
        client.is_pos_user_id_available(1, refresh=False)
        client.is_phone_available("5550100000", refresh=False)
        client.is_email_available("x@example.com", refresh=True)

    measured = best_of(args.repeat, load)
    baseline = best_of(args.repeat, lambda: lxml.html.fromstring(body))
    ratio = measured / baseline
    return [
        Figure(
            f"index load ({args.employees} employees, {len(body) / 1e6:.1f} MB list page)",
            ms(measured),
            f"{ms(baseline)} lxml parse",
            f"{ratio:.2f}",
            "≤ 2.0 and < 1 s",
            ratio <= 2.0 and measured < 1.0,
        ),
        Figure("  (first load incl. simulator rendering)", ms(render), "-", "-", "info", None),
    ]


@benchmark("availability")
def availability(args: argparse.Namespace) -> list[Figure]:
    sim = Simulator.large(args.employees, seed=1)
    client = _client(sim)
    _warm(client)
    number = 20_000
    checks = {
        "is_pos_user_id_available": lambda: client.is_pos_user_id_available(4411),
        "is_email_available": lambda: client.is_email_available("dana.reyes@example.com"),
        "is_phone_available": lambda: client.is_phone_available("(555) 010-0199"),
    }
    empty = min(timeit.repeat(lambda: None, number=number, repeat=5)) / number
    figures = []
    for name, check in checks.items():
        per_call = min(timeit.repeat(check, number=number, repeat=5)) / number
        figures.append(
            Figure(
                f"{name} (warm)",
                us(per_call),
                f"{us(empty)} empty call",
                f"{per_call / empty:.0f}",
                "≤ 50 µs",
                per_call <= 50e-6,
            )
        )
    return figures


def _count(sim: Simulator, client: SonnysBackofficeClient, op: object) -> tuple[int, int, str]:
    client.stats.reset()
    before = len(sim.requests)
    op()  # type: ignore[operator]
    trail = ", ".join(f"{r.method} {r.path}" for r in sim.requests[before:])
    return client.stats.requests, client.stats.bytes_received, trail


_CHANGE_MINIMUM = {
    "get_employee (edit page, wages, POS access)": 3,
    "update_employee": 2,
    "apply_change(update plan, conflict check included)": 2,
    "add_wage": 2,
    "set_pos_permissions": 2,
}


def _change_ops(sim: Simulator, client: SonnysBackofficeClient) -> dict[str, Callable[[], object]]:
    """The changes to one seeded employee, keyed as ``_CHANGE_MINIMUM``. The update plan
    is made here, before anything is measured: its apply is counted alone."""
    employee = next(e for e in sim.store.employees.values() if e.active and e.site_ids)
    n = next(_serial)
    plan = client.plan_update_employee(employee_id=employee.id, first_name=f"Planned{n}")
    return {
        "get_employee (edit page, wages, POS access)": lambda: client.get_employee(employee.id),
        "update_employee": lambda: client.update_employee(
            employee_id=employee.id, last_name=f"Changed{n}", departments=["Cashier", "Line"]
        ),
        "apply_change(update plan, conflict check included)": lambda: client.apply_change(plan),
        "add_wage": lambda: client.add_wage(employee_id=employee.id, rate=Decimal(f"{16 + n}.25")),
        "set_pos_permissions": lambda: client.set_pos_permissions(
            employee_id=employee.id, template="Shift Leader" if n % 2 else "CSA"
        ),
    }


@benchmark("round_trips")
def round_trips(args: argparse.Namespace) -> list[Figure]:
    sim = Simulator.demo()
    client = _client(sim)
    _warm(client)
    minimum = {
        # What the server cannot do without. Inserts need no form first (no CSRF
        # token): the insert and the permission save (a new employee has none);
        # with a Back Office login, its insert and permission save too. An update
        # replaces the whole record, so a disable must read the form it posts back.
        "create_employee": 2,
        "create_employee(requires_backoffice=True)": 4,
        "disable_employee": 2,
        "create_backoffice_user": 2,
        # Each of its two records (the login, the employee): the form and the update.
        "offboard_employee(1 login)": 4,
        "review_access(lists only, cached)": 0,
        # Changing an employee: the page that holds what is changed, then the post (an
        # update posts the whole form back; a wage needs the history, since one dated on
        # or before the latest is silently ignored; the POS post echoes the page's
        # matrix). One part per page for a full record.
        **_CHANGE_MINIMUM,
    }
    pos_ids: list[int] = []
    linked: list[int] = []  # hired with a Back Office login
    ops = {
        "create_employee": lambda: pos_ids.append(_hire(client)),
        "create_employee(requires_backoffice=True)": lambda: linked.append(
            _hire(client, backoffice=True)
        ),
        "disable_employee": lambda: client.disable_employee(pos_user_id=pos_ids[0]),
        "offboard_employee(1 login)": lambda: client.offboard_employee(pos_user_id=linked[0]),
        "review_access(lists only, cached)": lambda: client.review_access(),
        **_change_ops(sim, client),
        "create_backoffice_user": lambda: client.create_backoffice_user(
            username=f"bench_user{next(_serial)}",
            email=f"bench.user{next(_serial)}@example.com",
            permission="manager",
            first_name="Bench",
            last_name="Standalone",
        ),
    }
    figures = []
    for name, op in ops.items():
        requests, received, trail = _count(sim, client, op)
        figures.append(
            Figure(
                f"round trips: {name}",
                f"{requests} req, {received / 1024:.0f} KiB",
                f"min {minimum[name]} req",
                f"{requests / minimum[name]:.1f}" if minimum[name] else "-",
                "minimum + verification",
                None,
                note=f"{name}: {trail}",
            )
        )
    return figures


@benchmark("slow_link")
def slow_link(args: argparse.Namespace) -> list[Figure]:
    latency = args.latency_ms / 1000
    sim = Simulator.demo()
    figures = []
    with sim.serve() as base_url:
        client = _client(sim, base_url=base_url)
        _warm(client)
        sim.faults.latency_ms = args.latency_ms
        pos_ids: list[int] = []
        linked: list[int] = []
        ops = {
            "create_employee": lambda: pos_ids.append(_hire(client)),
            "disable_employee": lambda: client.disable_employee(pos_user_id=pos_ids[0]),
            "create_employee(requires_backoffice=True)": lambda: linked.append(
                _hire(client, backoffice=True)
            ),
            "offboard_employee(1 login)": lambda: client.offboard_employee(pos_user_id=linked[0]),
            **_change_ops(sim, client),
        }
        for name, op in ops.items():
            client.stats.reset()
            started = time.perf_counter()
            op()
            elapsed = time.perf_counter() - started
            budget = client.stats.requests * latency + 0.100
            figures.append(
                Figure(
                    f"slow link {args.latency_ms} ms: {name}",
                    ms(elapsed),
                    f"{client.stats.requests} req × {args.latency_ms} ms",
                    f"{elapsed / (client.stats.requests * latency):.2f}",
                    f"≤ {ms(budget)}",
                    elapsed <= budget,
                )
            )
        sim.faults.latency_ms = 0
        client.close()
    return figures


@benchmark("access_review")
def access_review(args: argparse.Namespace) -> list[Figure]:
    """The review of a large tenant with a few hundred Back Office users: from the lists
    (cold: downloaded; warm: cached), and the rules alone on the typed rows."""
    users = 300 if args.employees >= 10_000 else 60
    sim = Simulator.large(args.employees, seed=1, backoffice_users=users)
    client = _client(sim)
    client.list_permissions(scope="backoffice")  # not part of a lists-only review
    client.stats.reset()
    before = len(sim.requests)
    started = time.perf_counter()
    first = client.review_access()
    cold = time.perf_counter() - started
    cold_requests = client.stats.requests
    per_user = sum(
        1 for r in sim.requests[before:] if r.path.startswith(("/user/edit/", "/user/permissions/"))
    )
    listed = len(client.list_backoffice_users())
    warm = best_of(args.repeat, client.review_access)
    from sonnys_tui.backoffice import review

    employees = client.list_employees()
    rows = client.list_backoffice_users()
    rules = best_of(args.repeat, lambda: review.review_access(employees, rows))
    client.stats.reset()
    mark = len(sim.requests)
    started = time.perf_counter()
    deep = client.review_access(permission_pages=50, confirm_links=50)
    deep_time = time.perf_counter() - started
    deep_pages = sum(
        1 for r in sim.requests[mark:] if r.path.startswith(("/user/edit/", "/user/permissions/"))
    )
    page_budget = 1 + -(-listed // 25) + 1  # roster, user list pages, /user/create
    client.close()
    return [
        Figure(
            f"access review, cold ({args.employees} employees, {listed} BO users)",
            ms(cold),
            f"{cold_requests} req",
            "-",
            f"≤ {page_budget} req, none per user",
            cold_requests <= page_budget and per_user == 0,
            note=f"access review: {len(first.findings)} findings from the lists, "
            f"{cold_requests} requests cold, {per_user} per-user pages",
        ),
        Figure("access review, lists cached", ms(warm), "0 req", "-", "< 100 ms", warm < 0.100),
        Figure("  (the rules alone on the typed rows)", ms(rules), "-", "-", "info", None),
        Figure(
            "access review + 50 permission pages + 50 edit pages",
            ms(deep_time),
            f"{client.stats.requests} req",
            "-",
            "100 per-user pages (+ the site list)",
            deep_pages == 100
            and client.stats.requests <= 101
            and len(deep.findings) >= len(first.findings),
        ),
    ]
