"""Every write the app performs lands in the audit trail (never a secret), F7 shows it;
and a client failure of any type is a toast, never Textual's crash screen."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual.widgets import DataTable, Input, Static

import sonnys_tui.tui
from sonnys_tui import audit, cache
from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.config import Profile
from sonnys_tui.simulator import Simulator
from sonnys_tui.tui.app import SonnysApp, make_app
from sonnys_tui.tui.dialogs.offboard import OffboardScreen
from sonnys_tui.tui.screens.audit_log import AuditLogScreen
from sonnys_tui.tui.screens.hire_result import HireResultScreen
from sonnys_tui.tui.screens.home import HomeScreen

from .conftest import FIXED_TODAY, MakeApp, open_new_employee, settle, shown, type_text
from .test_flows import _active_with_pos, _fill_hire_form

pytestmark = pytest.mark.anyio

PIN = "24680"  # what _fill_hire_form types
BO_PASSWORD = "Sup3r-Secret!"


def record_toasts(app: SonnysApp) -> list[tuple[str, str]]:
    toasts: list[tuple[str, str]] = []
    notify = app.notify

    def recording(message: str, **kwargs: Any) -> None:
        toasts.append((kwargs.get("severity", "information"), message))
        notify(message, **kwargs)

    app.notify = recording  # type: ignore[method-assign]
    return toasts


def audit_text() -> str:
    return audit.audit_path().read_text(encoding="utf-8")


def cells(table: DataTable[Any], row: int) -> list[str]:
    return [c.plain if isinstance(c, Text) else str(c) for c in table.get_row_at(row)]


async def test_hire_and_disable_are_recorded_and_shown_newest_first(make: MakeApp, sim: Simulator):
    target = _active_with_pos(sim)
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_new_employee(pilot)
        pos_id = int(screen.query_one("#pos_user_id", Input).value)
        await _fill_hire_form(pilot, sim, pos_id=pos_id)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, HireResultScreen)
        await pilot.press("escape")
        await settle(pilot)
        await type_text(pilot, "#filter", str(target.pos_user_id))
        await pilot.press("ctrl+d")
        await settle(pilot)
        assert isinstance(app.screen, OffboardScreen)
        await pilot.press("y")
        await settle(pilot)
        await pilot.press("enter")  # the result dialog, each door, read and closed
        await settle(pilot)

        events = audit.read()
        hired = sim.store.employee_by_pos_id(pos_id)
        assert hired is not None
        assert [(e.operation, e.outcome) for e in events] == [("hire", "ok"), ("offboard", "ok")]
        assert events[0].target == f"employee_id={hired.id} pos_user_id={pos_id}"
        assert events[1].target == f"employee_id={target.id} pos_user_id={target.pos_user_id}"
        assert {(e.profile, e.tenant) for e in events} == {("demo", "demo")}

        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, AuditLogScreen)
        table = app.screen.query_one("#audit-table", DataTable)
        assert table.row_count == 2
        newest, oldest = cells(table, 0), cells(table, 1)
        # Who, as the roster names them: never the stored employee_id=….
        target_name = f"{target.first_name} {target.last_name} (POS {target.pos_user_id})"
        hired_name = f"{hired.first_name} {hired.last_name} (POS {pos_id})"
        assert newest[1:] == ["offboard", "ok", target_name]
        assert oldest[1:] == ["hire", "ok", hired_name]
        notes = shown(app.screen.query_one("#audit-notes", Static))
        assert events[1].target in notes and "tenant demo" in notes
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    assert PIN not in audit_text()
    # The roster cache has the new hire and the disable, and no PIN either.
    saved = cache.load("demo")
    assert saved is not None
    by_id = {r.employee_id: r for r in saved.employees}
    assert hired.id in by_id and by_id[target.id].active is False
    assert PIN not in cache.cache_path("demo").read_text(encoding="utf-8")


async def test_viewer_shows_outcomes_and_text_literally(make: MakeApp):
    audit.record(
        audit.AuditEvent("demo", "demo", "hire", "pos_user_id=4411", "failed", [], "[b]No site")
    )
    audit.record(
        audit.AuditEvent("demo", "demo", "disable", "employee_id=7", "ok", ["[red]warn"], "")
    )
    app = make(profile=None)  # F7 works from the Connect screen too: no login needed
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(app.screen, AuditLogScreen)
        table = app.screen.query_one("#audit-table", DataTable)
        # No tenant connected: every tenant's writes, the tenant a column.
        assert cells(table, 0)[1:] == ["disable", "ok", "employee 7", "demo"]
        assert cells(table, 1)[1:] == ["hire", "failed", "POS 4411", "demo"]
        outcome = table.get_row_at(1)[2]
        assert isinstance(outcome, Text) and "red" in str(outcome.style)
        assert "[red]warn" in shown(app.screen.query_one("#audit-notes", Static))
        await pilot.press("down")
        await settle(pilot)
        assert "[b]No site" in shown(app.screen.query_one("#audit-notes", Static))


async def test_new_backoffice_user_is_recorded_by_username_only(make: MakeApp, sim: Simulator):
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+b")
        await settle(pilot)
        for selector, text in (
            ("#username", "auditbot"),
            ("#email", "audit.bot@example.com"),
            ("#first_name", "Audit"),
            ("#last_name", "Botson"),
            ("#password", BO_PASSWORD),
        ):
            if app.screen.query(selector):
                await type_text(pilot, selector, text)
        await pilot.press("ctrl+s")
        await settle(pilot)
    (event,) = audit.read()
    assert event.operation == "new backoffice user"
    assert event.target.startswith("username=auditbot"), event
    assert event.outcome == "ok", event
    assert BO_PASSWORD not in audit_text()


# ---------------------------------------------------------------------- crash safety


def failing_factory(sim: Simulator, method: str) -> Callable[[Profile, str], Any]:
    """The real client, except ``method`` raises a RuntimeError (not a BackofficeError)
    with a secret in its frame locals, as create_employee's PIN would be."""

    def factory(profile: Profile, password: str) -> SonnysBackofficeClient:
        client = SonnysBackofficeClient(
            subdomain=profile.subdomain,
            username=profile.username,
            password=password,
            base_url="http://sim.test",
            transport=sim.transport(),
        )

        def explode(*args: object, pos_pin: str = PIN, **kwargs: object) -> None:
            secret = f"pin={pos_pin} password={password}"  # noqa: F841 - a local on purpose
            raise RuntimeError("socket went away")

        setattr(client, method, explode)
        return client

    return factory


@pytest.mark.parametrize("method", ["create_employee", "offboard_employee"])
async def test_an_unexpected_client_error_is_reported_not_a_crash(sim: Simulator, method: str):
    profile = Profile(name="demo", subdomain="demo", username="bot", base_url="http://sim.test")
    app = make_app(
        profile=profile,
        password=sim.password,
        client_factory=failing_factory(sim, method),
        clock=lambda: FIXED_TODAY,
    )
    toasts = record_toasts(app)
    target = _active_with_pos(sim)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        if method == "create_employee":
            await pilot.press("ctrl+n")
            await settle(pilot)
            pos_id = int(app.screen.query_one("#pos_user_id", Input).value)
            await _fill_hire_form(pilot, sim, pos_id=pos_id)
            await pilot.press("ctrl+s")
        else:
            await type_text(pilot, "#filter", str(target.pos_user_id))
            await pilot.press("ctrl+d")
            await settle(pilot)
            await pilot.press("y")
        await settle(pilot)
        assert app.is_running and app.return_code is None
        errors = [m for severity, m in toasts if severity == "error"]
        if isinstance(app.screen, OffboardScreen):  # a write's error is shown in its dialog
            errors.append(shown(app.screen.query_one("#write-status", Static)))
        assert errors and "socket went away" in errors[-1]
        assert all(PIN not in m and sim.password not in m for _s, m in toasts)
    (event,) = audit.read()
    assert event.outcome == "failed" and "socket went away" in event.error
    assert PIN not in audit_text() and sim.password not in audit_text()


def test_every_worker_in_the_app_reports_errors_instead_of_exiting() -> None:
    """A worker without exit_on_error=False would end the app on the crash screen,
    which prints frame locals (PINs, passwords): @work methods and run_worker calls."""
    root = Path(sonnys_tui.tui.__file__).parent
    workers = 0
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "run_worker":
                started = [(node, node.lineno)]
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                started = [
                    (decorator, node.name)
                    for decorator in node.decorator_list
                    if isinstance(decorator, ast.Call)
                    and getattr(decorator.func, "id", "") == "work"
                ]
            else:
                continue
            for call, where in started:
                workers += 1
                value = {k.arg: k.value for k in call.keywords}.get("exit_on_error")
                assert isinstance(value, ast.Constant) and value.value is False, (
                    f"{path.name}:{where} lets errors exit the app"
                )
    assert workers >= 8


async def test_the_palette_describes_the_audit_log_as_f1_does(make: MakeApp) -> None:
    """The trial: the palette said "every hire, disable, enable and new user made here",
    from before edits, wages, templates and passwords were audited too, and no key."""
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        (help_text,) = [
            c.help for c in app.get_system_commands(app.screen) if c.title == "Audit log"
        ]
        assert "every write" in help_text and "(F7)" in help_text
