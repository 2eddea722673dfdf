"""Regenerate the README's screenshots: one SVG per screen, from the demo tenant.

    python screenshots/make.py

The app runs headless against the in-process demo simulator (synthetic people
only), with a fixed date and a throw-away config, cache and data folder, so the
pictures are the same on every machine and never show anyone's real profiles.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZE = (120, 36)
TODAY = date(2026, 3, 2)

Step = Callable[..., Awaitable[None]]


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def shoot(name: str, *steps: Step, connect: bool = True) -> None:
    from textual.widgets import Input

    from sonnys_tui.backoffice import SonnysBackofficeClient
    from sonnys_tui.config import Profile
    from sonnys_tui.simulator import Simulator
    from sonnys_tui.tui.app import make_app

    sim = Simulator.demo()

    def client_factory(profile: Profile, password: str) -> SonnysBackofficeClient:
        return SonnysBackofficeClient(**sim.client_kwargs(password=password))

    profile = Profile(name="demo", subdomain="demo", username=sim.username, use_cache=False)
    app = make_app(
        profile=profile if connect else None,
        password=sim.password if connect else None,
        client_factory=client_factory,
        clock=lambda: TODAY,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for step in steps:
            await step(pilot, sim)
            await settle(pilot)
        for widget in app.screen.query(Input):
            widget.cursor_blink = False
        app.clear_notifications()
        await pilot.pause()
        app.save_screenshot(filename=f"{name}.svg", path=str(HERE))
    print(f"screenshots/{name}.svg")


def keys(*pressed: str) -> Step:
    async def run(pilot, sim) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(*pressed)

    return run


def tab(name: str) -> Step:
    async def run(pilot, sim) -> None:  # type: ignore[no-untyped-def]
        from textual.widgets import TabbedContent

        pilot.app.screen.query_one("#tabs", TabbedContent).active = name

    return run


def type_into(selector: str, text: str) -> Step:
    async def run(pilot, sim) -> None:  # type: ignore[no-untyped-def]
        from textual.widgets import Input

        widget = pilot.app.screen.query_one(selector, Input)
        widget.focus()
        widget.value = ""
        widget.insert_text_at_cursor(text)

    return run


def fill_new_employee() -> Step:
    async def run(pilot, sim) -> None:  # type: ignore[no-untyped-def]
        from textual.widgets import Input, Select, SelectionList

        screen = pilot.app.screen
        for selector, text in (
            ("#first_name", "Robin"),
            ("#last_name", "Example"),
            ("#phone", "(555) 010-0188"),
            ("#email", "robin.example@example.com"),
            ("#wage_rate", "15.50"),
        ):
            widget = screen.query_one(selector, Input)
            widget.value = text
        first_site = sorted(sim.store.sites.values(), key=lambda s: s.id)[0].name
        screen.query_one("#available_sites", SelectionList).select(first_site)
        screen.query_one("#departments", SelectionList).select("Cashier")
        screen.query_one("#permission", Select).value = "Cashier"
        screen.query_one("#first_name", Input).focus()

    return run


def tick_another_site() -> Step:
    async def run(pilot, sim) -> None:  # type: ignore[no-untyped-def]
        from textual.widgets import SelectionList

        sites = pilot.app.screen.query_one("#available_sites", SelectionList)
        ordered = sorted(sim.store.sites.values(), key=lambda s: s.id)
        sites.select(next(s.name for s in ordered if s.name not in sites.selected))

    return run


def show_tab(name: str) -> Step:
    async def run(pilot, sim) -> None:  # type: ignore[no-untyped-def]
        pilot.app.screen.show_tab(name)  # and focus its list: the tab's keys work

    return run


def leave_a_login_open() -> Step:
    async def run(pilot, sim) -> None:  # type: ignore[no-untyped-def]
        # Jordan Pilot disabled elsewhere (POS only): their Back Office login still open.
        login = next(u for u in sim.store.users.values() if u.username == "JPilot")
        sim.store.employees[login.employee_id].active = False

    return run


def plan_an_import_file() -> Step:
    async def run(pilot, sim) -> None:  # type: ignore[no-untyped-def]
        from textual.widgets import Input

        # Two hires, a raise, a leaver and a row with an error, in the scratch folder
        # as the home folder: the screen shows "~/hires.csv", the same on every machine.
        home = Path(os.environ["SONNYS_TUI_DATA_DIR"]).parent
        os.environ["HOME"] = str(home)
        taken = min(e.pos_user_id for e in sim.store.employees.values() if e.active)
        hire = (
            "hire,{},{},{},{},{}.{}@example.com,15.50,2026-03-02,Demo Wash Fiesta,Cashier,Cashier"
        )
        rows = [
            "action,pos_user_id,first_name,last_name,phone,email,wage_rate,start_date,"
            "available_sites,departments,permission",
            hire.format(7101, "Robin", "Example", "5550107101", "robin", "example"),
            hire.format(7102, "Sam", "Sample", "5550107102", "sam", "sample"),
            hire.format(taken, "Alex", "Taken", "5550107103", "alex", "taken"),
            f"wage,{taken + 1},,,,,16.25,,,,",
            f"offboard,{taken},,,,,,,,,",
        ]
        (home / "hires.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        field = pilot.app.screen.query_one("#import-path", Input)
        field.value = "~/hires.csv"
        await pilot.press("enter")

    return run


async def main() -> None:
    await shoot("connect", connect=False)
    await shoot("employees", type_into("#filter", "jor"), keys("enter"))
    await shoot("new-employee", keys("ctrl+n"), fill_new_employee())
    await shoot("disable", type_into("#filter", "4101"), keys("ctrl+d"))
    await shoot("sites", tab("sites"))
    await shoot("templates", tab("templates"))
    await shoot("help", keys("f1"))
    # A raise applied (so the history has two wages), then the next one under review.
    add_wage = (
        type_into("#filter", "4102"),
        keys("enter"),
        keys("f9"),
        type_into("#rate", "16.25"),
    )
    await shoot("pay", *add_wage, keys("ctrl+s"), keys("ctrl+s"))
    await shoot("add-wage", *add_wage, keys("ctrl+s"))
    edit = (type_into("#filter", "4101"), keys("f8"))
    await shoot("edit-employee", *edit)
    change = (type_into("#phone", "(555) 010-0142"), tick_another_site())
    await shoot("review-changes", *edit, *change, keys("ctrl+s"))
    await shoot("offboard", type_into("#filter", "4101"), keys("ctrl+d"), keys("y"))
    await shoot("access-review", leave_a_login_open(), show_tab("bo-users"), keys("ctrl+a"))
    await shoot("import", keys("ctrl+o"), plan_an_import_file(), keys("ctrl+s"), keys("y"))
    await shoot(
        "audit-log",
        type_into("#filter", "4101"),
        keys("ctrl+d"),
        keys("y"),
        keys("enter"),
        keys("f7"),
    )


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as scratch:
        for variable in ("CONFIG", "CACHE", "DATA"):
            os.environ[f"SONNYS_TUI_{variable}_DIR"] = str(Path(scratch) / variable.lower())
        os.environ.pop("SONNYS_PASSWORD", None)
        asyncio.run(main())
