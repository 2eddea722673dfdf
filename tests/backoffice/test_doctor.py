"""``sonnys-tui doctor``: every page read (GET only after the login), each capability
ready, refused (page, field) or not checked; the shell command's JSON and exit status."""

from __future__ import annotations

import io
import json
import re

import pytest

from sonnys_tui.backoffice.doctor import CAPABILITIES, run_doctor
from sonnys_tui.cli.main import main
from sonnys_tui.simulator import Simulator

from .conftest import make_client
from .variants import VARIANTS

ALL = {name for name, _pages in CAPABILITIES}


def _after_login(sim: Simulator) -> list[str]:
    login = max(
        i for i, r in enumerate(sim.requests) if r.path == "/login_check" and r.method == "POST"
    )
    return [r.method for r in sim.requests[login + 1 :]]


def test_the_simulator_tenants_are_all_ready_reading_only(sim: Simulator) -> None:
    with make_client(sim) as client:
        report = run_doctor(client)
        methods = _after_login(sim)
        roster = client.list_employees()
    assert {c.name: c.status for c in report.capabilities} == dict.fromkeys(ALL, "ready")
    assert report.exit_status == 0
    assert set(methods) == {"GET"}
    assert all(page.ok for page in report.pages)
    assert report.counts["employees"] == len(roster)
    assert report.counts["sites"] == len(sim.store.sites)
    assert report.shape.startswith("hierarchical" if sim.store.hierarchical else "flat")


def test_no_page_per_employee() -> None:
    small, big = Simulator.large(5), Simulator.large(400)
    for sim in (small, big):
        with make_client(sim) as client:
            run_doctor(client)
    assert len(small.requests) == len(big.requests)


# The capabilities each variant must refuse (others may be refused too).
REFUSES = {
    "extra required field": {"hire", "edit", "disable / enable", "bulk"},
    "phone renamed": {"hire", "edit", "bulk"},
    "siteId inputs gone": {"hire", "edit", "disable / enable", "offboarding"},
    "toggles not inverted": {"hire", "edit", "disable / enable", "bulk"},
    "isActive a select": {"edit", "disable / enable", "offboarding"},
    "overtime a select": {"hire", "wage", "bulk"},
    "regularRate renamed": {"hire", "wage"},
    "isDeleted a select": {"Back Office users", "offboarding"},
    "siteIds gone": {"Back Office users", "access review", "hire with a Back Office login"},
    "permission box renamed": {"POS template", "hire"},
}


@pytest.mark.parametrize("variant", sorted(REFUSES))
def test_a_variant_names_the_refused_capability_and_the_field(variant: str) -> None:
    sim = VARIANTS[variant].apply(Simulator.demo())
    with make_client(sim) as client:
        report = run_doctor(client)
    by_name = {c.name: c for c in report.capabilities}
    for name in REFUSES[variant]:
        assert by_name[name].status == "refused", name
        assert any(VARIANTS[variant].field in reason for reason in by_name[name].reasons), name
    assert by_name["lookups"].status == "ready"
    assert report.exit_status == 1
    assert set(_after_login(sim)) == {"GET"}


def test_a_tenant_without_employees_is_not_checked_there() -> None:
    sim = Simulator.flat()
    for user in sim.store.users.values():
        user.employee_id = None
    sim.store.employees.clear()
    with make_client(sim) as client:
        report = run_doctor(client)
    by_name = {c.name: c for c in report.capabilities}
    assert by_name["wage"].status == "not checked"
    assert "no employee" in by_name["wage"].reasons[0]
    assert by_name["lookups"].status == "ready"
    assert report.exit_status == 1


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(argv, out=out, err=err), out.getvalue(), err.getvalue()


def test_doctor_json_on_the_demo_is_exact_and_all_ready() -> None:
    status, out, _err = _run(["doctor", "--demo", "--json"])
    assert status == 0
    report = json.loads(out)
    assert set(report) == {"tenant", "capabilities", "pages"}
    assert isinstance(report["tenant"], str)
    for capability in report["capabilities"]:
        assert set(capability) == {"name", "status", "reasons"}
        assert capability["status"] == "ready"
    assert {c["name"] for c in report["capabilities"]} == ALL
    for page in report["pages"]:
        assert set(page) == {"path", "ms", "ok"}
        assert isinstance(page["ms"], int | float) and page["ok"] is True


def test_doctor_exit_1_and_the_table_names_the_field(monkeypatch: pytest.MonkeyPatch) -> None:
    demo = Simulator.demo
    monkeypatch.setattr(
        Simulator, "demo", classmethod(lambda cls: VARIANTS["phone renamed"].apply(demo()))
    )
    status, out, _err = _run(["doctor", "--demo"])
    assert status == 1
    assert "refused" in out and "employee[phone]" in out
    assert re.search(r"ready +lookups", out)


def test_doctor_exit_2_when_it_cannot_log_in(monkeypatch: pytest.MonkeyPatch) -> None:
    demo = Simulator.demo

    def wrong_password(cls: type[Simulator]) -> Simulator:
        sim = demo()
        sim.password = "not-the-password"
        return sim

    monkeypatch.setattr(Simulator, "demo", classmethod(wrong_password))
    status, out, err = _run(["doctor", "--demo", "--json"])
    assert status == 2
    assert out == ""
    assert "cannot check" in err
