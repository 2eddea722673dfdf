"""The app writes through the tenant layer exactly as a script does: the same hire,
disable and enable leave byte-identical cache files."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from textual.widgets import Input

from sonnys_tui import cache
from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.backoffice.models import HireRequest
from sonnys_tui.simulator import Simulator
from sonnys_tui.tenant import REFERENCE_LISTS, Tenant
from sonnys_tui.tenant import store as tenant_store
from sonnys_tui.tui.dialogs.offboard import OffboardScreen
from sonnys_tui.tui.screens.hire_result import HireResultScreen

from .conftest import DEMO_PROFILE, FIXED_TODAY, MakeApp, open_new_employee, settle, type_text
from .test_flows import _active_with_pos, _fill_hire_form

pytestmark = pytest.mark.anyio

FIXED_NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


async def _confirm_toggle(pilot, pos_user_id: int) -> None:  # type: ignore[no-untyped-def]
    await type_text(pilot, "#filter", str(pos_user_id))
    await pilot.press("ctrl+d")
    await settle(pilot)  # the dialog reads the Back Office logins first
    assert isinstance(pilot.app.screen, OffboardScreen)
    await pilot.press("y")
    await settle(pilot)
    await pilot.press("enter")  # the result, each door, stays until read
    await settle(pilot)


async def test_app_and_script_leave_byte_identical_caches(
    make: MakeApp, sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tenant_store, "_utcnow", lambda: FIXED_NOW)
    script_sim = Simulator.demo()  # the same tenant, untouched, for the script
    target = _active_with_pos(sim)

    # From the app: hire through the form, offboard and reinstate with Ctrl+D.
    monkeypatch.setenv("SONNYS_TUI_CACHE_DIR", str(tmp_path / "app-cache"))
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
        await _confirm_toggle(pilot, target.pos_user_id)
        await _confirm_toggle(pilot, target.pos_user_id)
    assert sim.store.employees[target.id].active
    from_app = cache.cache_path(DEMO_PROFILE.name).read_bytes()

    # From a script: the same writes through the tenant layer.
    monkeypatch.setenv("SONNYS_TUI_CACHE_DIR", str(tmp_path / "script-cache"))
    client = SonnysBackofficeClient(
        subdomain="demo",
        username=script_sim.username,
        password=script_sim.password,
        base_url="http://sim.test",
        transport=script_sim.transport(),
    )
    with Tenant(DEMO_PROFILE, client=client) as tenant:
        tenant.refresh([*REFERENCE_LISTS, "employees"])  # what the app loads
        site = sorted(script_sim.store.sites.values(), key=lambda s: s.id)[0]
        tenant.hire(
            HireRequest(
                first_name="Testy",
                last_name="McHireface",
                phone="(555) 010-0142",
                email="testy.mchireface@example.com",
                pos_user_id=pos_id,
                pos_pin=24680,
                wage_rate=Decimal("15.50"),
                start_date=FIXED_TODAY,
                available_sites=[site.name],
                permission="Cashier",
                departments=["Line"],
            )
        )
        row = tenant.employee(target.id)
        assert row is not None
        tenant.offboard(row)  # Ctrl+D: the POS and the Back Office login
        row = tenant.employee(target.id)
        assert row is not None
        tenant.reinstate(row)  # Ctrl+D again: the login stays closed unless ticked
    from_script = cache.cache_path(DEMO_PROFILE.name).read_bytes()

    assert from_app == from_script
    assert b"McHireface" in from_app and b"24680" not in from_app
