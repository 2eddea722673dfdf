"""``doctor --capture DIR``: the pages read, every personal or secret value replaced,
in a private folder; ``simulator --from-capture DIR`` serves a tenant built from it
that passes doctor and takes a hire made with the shell."""

from __future__ import annotations

import io
import json
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.cli.main import main
from sonnys_tui.config import Profile, save_profile
from sonnys_tui.simulator import Simulator
from sonnys_tui.tenant import Tenant
from sonnys_tui.tenant.doctor import check_tenant

PROFILE = Profile(name="east", subdomain="east", username="qzbotlogin", use_cache=False)


def _sentinel_tenant() -> tuple[Simulator, list[str]]:
    """The demo tenant with every person's values made recognisable: the sentinels."""
    sim = Simulator.demo()
    sentinels = ["qzfirst", "qzlast", "qzkin", "sentinel.test", "adpqz", "qzuser", "qzbot"]
    for i, employee in enumerate(sim.store.employees.values()):
        employee.first_name = f"Qzfirst{i}"
        employee.last_name = f"Qzlast{i}"
        employee.phone = f"(555) 867-{5000 + i}"
        employee.email = f"qz{i}@sentinel.test"
        employee.pos_pin = f"86420{i:02d}"
        employee.adp_employee_id = f"ADPQZ{i}"
        employee.emergency_contact_name = f"Qzkin{i}"
        employee.emergency_contact_phone = f"555.867.{6000 + i}"
        sentinels += [employee.phone, employee.emergency_contact_phone, employee.pos_pin]
    for i, user in enumerate(sim.store.users.values()):
        if user.username == sim.username:
            user.username = sim.username = "qzbotlogin"
            user.password = sim.password = "Qz-Secret-Password-1"
            sentinels.append(user.password)
        else:
            user.username = f"qzuser{i}"
        if user.employee_id is None:
            user.first_name, user.last_name = f"Qzfirst{i}u", f"Qzlast{i}u"
            user.email = f"qzu{i}@sentinel.test"
        else:
            employee = sim.store.employees[user.employee_id]
            user.first_name, user.last_name = employee.first_name, employee.last_name
            user.email = employee.email
    return sim, sentinels


@pytest.fixture
def captured(tmp_path: Path) -> Iterator[tuple[Path, Simulator, list[str]]]:
    sim, sentinels = _sentinel_tenant()
    directory = tmp_path / "capture"
    client = SonnysBackofficeClient(**sim.client_kwargs())
    with Tenant(PROFILE, client=client) as tenant:
        report = check_tenant(tenant, capture=directory)
    assert report.exit_status == 0
    sentinels += list(sim.wsgi_app.sessions)  # the session ids (the PHPSESSID cookie)
    yield directory, sim, sentinels


def test_the_capture_holds_no_personal_or_secret_value(
    captured: tuple[Path, Simulator, list[str]],
) -> None:
    directory, _sim, sentinels = captured
    files = sorted(directory.iterdir())
    assert len(files) == 12  # 11 pages and the manifest
    for file in files:
        text = file.read_text(encoding="utf-8").casefold()
        for sentinel in sentinels:
            pattern = rf"(?<![\w]){re.escape(sentinel.casefold())}"
            assert not re.search(pattern, text), (file.name, sentinel)


def test_the_capture_is_private_and_its_manifest_counts_without_values(
    captured: tuple[Path, Simulator, list[str]],
) -> None:
    directory, _sim, _sentinels = captured
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    for file in directory.iterdir():
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file.name
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    assert {p["path"] for p in manifest["pages"]} >= {"/employee", "/employee/create", "/user"}
    replaced = manifest["replaced"]
    for kind in ("names", "emails", "phones", "pins", "usernames", "adp ids"):
        assert isinstance(replaced[kind], int) and replaced[kind] > 0, kind
    assert replaced["pins"] == 1  # one employee's edit page shows a PIN


def test_the_structure_is_untouched_and_values_are_replaced_consistently(
    captured: tuple[Path, Simulator, list[str]],
) -> None:
    from lxml import html

    directory, sim, _sentinels = captured
    create = html.fromstring((directory / "employee_create.html").read_bytes())
    site_ids = {int(v) for v in create.xpath("//input[contains(@class,'site-option')]/@value")}
    assert site_ids == set(sim.store.sites)
    roster = (directory / "roster.html").read_text(encoding="utf-8")
    edit = html.fromstring((directory / "employee_edit.html").read_bytes())
    (first,) = edit.xpath("//input[@name='employee[firstName]']/@value")
    (phone,) = edit.xpath("//input[@name='employee[phone]']/@value")
    assert first in roster and phone in roster  # the same person, the same synthetic values


def test_a_simulator_from_the_capture_passes_doctor_and_takes_a_shell_hire(
    captured: tuple[Path, Simulator, list[str]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    directory, original, _sentinels = captured
    sim = Simulator.from_capture(directory)
    assert set(sim.store.sites) == set(original.store.sites)
    assert {d.name for d in sim.store.departments.values()} == {
        d.name for d in original.store.departments.values()
    }
    assert {t.id: t.grant_ids for t in sim.store.pos_templates.values()} == {
        t.id: t.grant_ids for t in original.store.pos_templates.values()
    }
    assert {t.id: t.tokens for t in sim.store.bo_templates.values()} == {
        t.id: t.tokens for t in original.store.bo_templates.values()
    }
    code = next(iter(sim.store.sites.values())).code
    with sim.serve() as base_url:
        save_profile(
            Profile(name="east", subdomain="east", username=sim.username, base_url=base_url)
        )
        monkeypatch.setenv("SONNYS_PASSWORD", sim.password)
        mark = len(sim.requests)
        status, out, err = _run("doctor", "--profile", "east", "--json")
        assert status == 0, out + err
        methods = [(r.method, r.path) for r in sim.requests[mark:]]
        assert methods[0] == ("POST", "/login_check")
        assert {method for method, _path in methods[1:]} == {"GET"}  # reads only
        rows = tmp_path / "hire.csv"
        rows.write_text(
            "action,pos_user_id,first_name,last_name,phone,email,wage_rate,start_date,"
            "available_sites,departments,permission\n"
            f"hire,7701,Replay,Hire,5550107701,replay.hire@example.com,15.50,2026-12-01,"
            f"{code},Cashier,Cashier\n",
            encoding="utf-8",
        )
        status, out, err = _run("bulk", "apply", "--profile", "east", "--yes", str(rows))
    assert status == 0, out + err
    hired = sim.store.employee_by_pos_id(7701)
    assert hired is not None and hired.first_name == "Replay"


def test_the_extra_fields_of_a_captured_edit_form_round_trip(tmp_path: Path) -> None:
    sim = Simulator.demo()
    sim.settings.extra_edit_fields["employee[badgeColor]"] = "teal"
    with Tenant(PROFILE, client=SonnysBackofficeClient(**sim.client_kwargs())) as tenant:
        check_tenant(tenant, capture=tmp_path / "c")
    replayed = Simulator.from_capture(tmp_path / "c")
    assert replayed.settings.extra_edit_fields == {"employee[badgeColor]": "teal"}
    with SonnysBackofficeClient(**replayed.client_kwargs()) as client:
        target = next(e for e in replayed.store.employees.values() if e.active)
        client.disable_employee(pos_user_id=target.pos_user_id)
    (posted,) = [r for r in replayed.requests if r.path == "/employee/update"]
    assert ("employee[badgeColor]", "teal") in posted.form


def test_simulator_from_capture_command(
    captured: tuple[Path, Simulator, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    directory, sim, _sentinels = captured
    served: list[Simulator] = []

    def serve_forever(self: Simulator, host: str, port: int, ready: object = None) -> None:
        served.append(self)
        assert callable(ready)
        ready(f"http://{host}:{port}")

    monkeypatch.setattr(Simulator, "serve_forever", serve_forever)
    status, out, _err = _run("simulator", "--from-capture", str(directory), "--port", "0")
    assert status == 0 and "captured tenant" in out
    assert set(served[0].store.sites) == set(sim.store.sites)
    status, _out, err = _run("simulator", "--from-capture", str(directory / "nope"))
    assert status == 2 and "manifest" in err


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()


def test_a_flat_tenant_replays_flat(tmp_path: Path) -> None:
    from sonnys_tui.backoffice.doctor import run_doctor

    flat = Simulator.flat()
    with Tenant(PROFILE, client=SonnysBackofficeClient(**flat.client_kwargs())) as tenant:
        check_tenant(tenant, capture=tmp_path / "flat")
    replayed = Simulator.from_capture(tmp_path / "flat")
    assert not replayed.store.hierarchical
    assert {s.id: s.code for s in replayed.store.sites.values()} == {
        s.id: s.code for s in flat.store.sites.values()
    }
    with SonnysBackofficeClient(**replayed.client_kwargs()) as client:
        report = run_doctor(client)
    assert report.exit_status == 0 and report.shape == "flat"
