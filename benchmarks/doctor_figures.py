"""Doctor figures: the whole check of a large tenant on a slow link, and the cost of the
fail-closed comparison a write makes before its POST."""

from __future__ import annotations

import argparse
import time

from common import Figure, best_of, ms, registry

from sonnys_tui.backoffice import SonnysBackofficeClient, formcheck, pages
from sonnys_tui.backoffice.doctor import run_doctor
from sonnys_tui.backoffice.forms import serialize_form
from sonnys_tui.simulator import Simulator

BENCHMARKS, benchmark = registry()


@benchmark("doctor")
def doctor(args: argparse.Namespace) -> list[Figure]:
    """``sonnys-tui doctor`` on a large tenant at 150 ms per request, login included: a
    fixed set of pages whatever the roster's size (no page per employee)."""
    latency = args.latency_ms / 1000
    sim = Simulator.large(args.employees)
    with sim.serve() as base_url:
        client = SonnysBackofficeClient(**sim.client_kwargs(base_url=base_url, transport=None))
        sim.faults.latency_ms = args.latency_ms
        started = time.perf_counter()
        report = run_doctor(client)
        elapsed = time.perf_counter() - started
        sim.faults.latency_ms = 0
        requests = client.stats.requests
        client.close()
    per_employee = sum(1 for r in sim.requests if r.path.startswith("/employee/edit/"))
    ready = all(c.status == "ready" for c in report.capabilities)
    return [
        Figure(
            f"doctor, {args.employees} employees, {args.latency_ms} ms link (incl. login)",
            ms(elapsed),
            f"{requests} req × {args.latency_ms} ms",
            f"{elapsed / (requests * latency):.2f}",
            "≤ 5 s, all ready",
            elapsed <= 5.0 and ready and per_employee <= 1,
            note=f"doctor: {requests} requests for {args.employees} employees "
            f"({per_employee} employee edit page)",
        )
    ]


@benchmark("formcheck")
def formcheck_cost(args: argparse.Namespace) -> list[Figure]:
    """The comparison a write makes before its POST, on the pages it already holds
    (no request): against serializing the same form, which every write does anyway."""
    sim = Simulator.demo()
    with SonnysBackofficeClient(**sim.client_kwargs()) as client:
        employee = next(iter(sim.store.employees))
        edit = pages.parse_employee_edit(client._session.get(f"/employee/edit/{employee}").doc())
        create = pages.parse_employee_form(client._session.get("/employee/create").doc())
        before = len(sim.requests)
        spec_pages = (
            (edit.page.form, formcheck.EMPLOYEE_EDIT, edit.page.tree),
            (create.form, formcheck.EMPLOYEE_CREATE, create.tree),
        )
        figures = []
        for form, spec, tree in spec_pages:
            check = best_of(args.repeat * 10, lambda f=form, s=spec, t=tree: formcheck.require(
                f, s, step="bench", tree=t
            ))  # fmt: skip
            serialize = best_of(args.repeat * 10, lambda f=form: serialize_form(f))
            figures.append(
                Figure(
                    f"fail-closed check before a write: {spec.page} form",
                    ms(check),
                    f"{ms(serialize)} serializing the form",
                    f"{check / serialize:.2f}",
                    "< 5 ms, no request",
                    check < 0.005 and len(sim.requests) == before,
                )
            )
    return figures
