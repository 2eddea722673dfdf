"""The Import screen (Ctrl+O): plan a CSV against the demo simulator, apply it with
progress, stop a run part way. Synthetic people only."""

from __future__ import annotations

import contextlib
import csv
import os
import signal
import stat
import threading
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from sonnys_tui import bulk
from sonnys_tui.simulator import Simulator
from sonnys_tui.tenant import Tenant
from sonnys_tui.tui.screens.bulk_import import BulkImportScreen, ImportFileError, checked_path

from ..waiting import wait_until
from .conftest import MakeApp, on_screen, screen_lines, settle, shown, type_ahead, type_text

pytestmark = pytest.mark.anyio

HEADER = (
    "action,pos_user_id,first_name,last_name,phone,email,wage_rate,start_date,"
    "available_sites,departments,permission,effective_date"
)


def hire(pos: int, first: str, last: str, phone: str, *, sites: str = "Demo Wash Fiesta") -> str:
    email = f"{first}.{last}@example.com".lower()
    return f'hire,{pos},{first},{last},{phone},{email},15.50,2026-03-02,"{sites}",Cashier,Cashier'


def write(tmp_path: Path, *rows: str, name: str = "people.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


async def open_import(pilot: Pilot[object], path: Path | str) -> BulkImportScreen:
    await settle(pilot)
    await pilot.press("ctrl+o")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BulkImportScreen)
    await type_text(pilot, "#import-path", str(path))
    await pilot.press("enter")
    await settle(pilot)
    return screen


def outcomes(screen: BulkImportScreen) -> list[str]:
    table = screen.query_one("#import-table", DataTable)
    return [str(table.get_cell_at((row, 3))) for row in range(table.row_count)]


def test_a_path_is_checked_before_anything_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(ImportFileError, match="File: give the path"):
        checked_path("  ")
    with pytest.raises(ImportFileError, match="no such file"):
        checked_path(str(tmp_path / "missing.csv"))
    with pytest.raises(ImportFileError, match="is a folder"):
        checked_path(str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "hires.csv").write_text(HEADER + "\n", encoding="utf-8")
    assert checked_path(" ~/hires.csv ") == tmp_path / "hires.csv"


async def test_the_plan_shows_each_row_and_an_error_with_its_column_and_reason(
    make: MakeApp, sim: Simulator, tmp_path: Path
) -> None:
    taken = min(e.pos_user_id for e in sim.store.employees.values() if e.active)
    path = write(
        tmp_path,
        hire(7101, "Rowan", "Planwell", "5550107101"),
        hire(taken, "Tess", "Takenid", "5550107102"),
        hire(7103, "Uma", "Nosite", "5550107103", sites="Nowhere Wash"),
        hire(7104, "Eve\x1b]0;owned\x07", "Escape", "5550107104"),  # shown, never sent raw
    )
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        palette = {command.title for command in app.get_system_commands(app.screen)}
        assert "Import from a spreadsheet (CSV)…" in palette
        screen = await open_import(pilot, tmp_path / "missing.csv")
        assert "no such file" in shown(screen.query_one("#import-error", Static))
        assert screen.plan is None and screen.query_one("#import-path").has_focus

        await type_text(pilot, "#import-path", str(path))
        await pilot.press("enter")
        await settle(pilot)
        assert not screen.query_one("#import-error", Static).display
        words = outcomes(screen)
        assert words[0].startswith("would create")
        assert words[1].startswith(f"error: pos_user_id: POS User ID {taken} is taken by")
        assert words[2] == "error: available_sites: unknown site 'Nowhere Wash'"
        assert words[3].startswith("error: first_name: ")
        who = str(screen.query_one("#import-table", DataTable).get_cell_at((3, 2)))
        assert "\\x1b" in who and "\x1b" not in who
        summary = shown(screen.query_one("#import-summary", Static))
        assert "4 rows: 1 would create, 3 with errors" in summary
        assert on_screen(app, "^s Apply") and on_screen(app, "^r Re-plan")
        assert sim.store.employee_by_pos_id(7101) is None  # planning writes nothing

        # Fixed in the file, planned again with Ctrl+R: the error is gone.
        path.write_text(
            "\n".join([HEADER, hire(7101, "Rowan", "Planwell", "5550107101")]) + "\n",
            encoding="utf-8",
        )
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert len(outcomes(screen)) == 1 and not screen.plan.has_errors  # type: ignore[union-attr]


async def test_apply_hires_everyone_and_each_row_says_done(
    make: MakeApp, sim: Simulator, tmp_path: Path
) -> None:
    someone = min(e.pos_user_id for e in sim.store.employees.values() if e.active)
    path = write(
        tmp_path,
        hire(7201, "Avery", "Bulkhire", "5550107201"),
        hire(7202, "Blake", "Bulkhire", "5550107202"),
        # Refused at apply (the history is read then): recorded, and the run goes on.
        f"wage,{someone},,,,,16.25,,,,,2000-01-01",
    )
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_import(pilot, path)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.id == "import-confirm"
        await pilot.press("y")
        await settle(pilot)
        assert screen.state == "applied"
        done = outcomes(screen)
        assert done[:2] == ["done: hired", "done: hired"]
        assert done[2].startswith("failed: ") and "on or before the latest wage" in done[2]
        for pos in (7201, 7202):
            assert sim.store.employee_by_pos_id(pos) is not None
        summary = shown(screen.query_one("#import-summary", Static))
        files = bulk.RunFiles.beside(path)
        assert "Done: 2 done, 0 skipped, 1 failed in " in summary
        assert "Failed: line 4." in summary
        assert str(files.results) in summary.replace("\n", "")
        assert str(files.credentials) in summary.replace("\n", "")
        assert stat.S_IMODE(files.credentials.stat().st_mode) == 0o600
        pins = [sim.store.employee_by_pos_id(p).pos_pin for p in (7201, 7202)]  # type: ignore[union-attr]
        # The PINs reached the credentials file, and are nowhere on the screen.
        assert all(pin in files.credentials.read_text(encoding="utf-8") for pin in pins)
        text = "\n".join(screen_lines(app))
        assert not any(pin in text for pin in pins)

        # The Home table has the new people through the tenant, with no refresh.
        await pilot.press("escape")
        await settle(pilot)
        assert any(row.pos_user_id == 7201 for row in app.tenant.employees())  # type: ignore[union-attr]


def _hold_hires(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """Each hire waits (bounded) once it is in flight, until released: the first row
    stays in flight while the test stops or quits the run."""
    in_flight, release = threading.Event(), threading.Event()
    real_hire = Tenant.hire

    def slow_hire(self: Tenant, request: object) -> object:
        in_flight.set()
        release.wait(10)
        return real_hire(self, request)  # type: ignore[arg-type]

    monkeypatch.setattr(Tenant, "hire", slow_hire)
    return in_flight, release


async def _run_to_first_row(
    pilot: Pilot[object], path: Path, in_flight: threading.Event
) -> BulkImportScreen:
    """Plan ``path``, apply it (confirmed) and wait until its first row is in flight."""
    screen = await open_import(pilot, path)
    await pilot.press("ctrl+s")
    await pilot.pause()
    await pilot.press("y")
    await wait_until(pilot, in_flight.is_set)
    await pilot.pause()
    return screen


async def test_stop_mid_run_finishes_the_row_in_flight_and_leaves_a_resumable_journal(
    make: MakeApp, sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, *(hire(7300 + i, "Stop", f"Row{i}", f"555010730{i}") for i in range(3)))
    real_hire = Tenant.hire  # put back for the re-plan below
    in_flight, release = _hold_hires(monkeypatch)
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _run_to_first_row(pilot, path, in_flight)
        assert on_screen(app, "Stop")
        await pilot.press("ctrl+q")  # not while a row is being written: said first
        await pilot.pause()
        assert app.screen is screen and screen.state == "applying"
        await pilot.press("ctrl+c")  # asks first; Esc there keeps the run going
        await pilot.pause()
        assert app.screen.id == "import-stop"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and not screen.stop.is_set()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.id == "import-stop"
        await pilot.press("y")
        await pilot.pause()
        assert screen.state == "stopping"
        release.set()
        await settle(pilot)
        assert screen.state == "applied"
        assert outcomes(screen)[0] == "done: hired"
        assert sim.store.employee_by_pos_id(7300) is not None
        assert sim.store.employee_by_pos_id(7301) is None
        assert "Stopped: 1 done" in shown(screen.query_one("#import-summary", Static))

        # Re-planned: the journal and the roster say the first row is done, the rest to do.
        monkeypatch.setattr(Tenant, "hire", real_hire)
        await pilot.press("ctrl+r")
        await settle(pilot)
        words = outcomes(screen)
        assert words[0].startswith("already done") and all(
            w.startswith("would create") for w in words[1:]
        )
    assert bulk.read_journal(bulk.RunFiles.beside(path).journal)


@contextlib.asynccontextmanager
async def _fallback_handler(how: str) -> AsyncIterator[None]:
    """A signal the app fails to catch is noted here instead of ending pytest."""
    if not how.startswith("SIG"):
        yield
        return
    number = getattr(signal, how)
    previous = signal.signal(number, lambda *_: None)
    try:
        yield
    finally:
        signal.signal(number, previous)


@pytest.mark.parametrize("how", ["ctrl+q twice", "SIGHUP", "SIGTERM"])
async def test_quitting_mid_run_waits_for_the_row_in_flight_records_it_and_writes_no_more(
    make: MakeApp, sim: Simulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """Quitting (or the terminal closing) during a run: the row in flight is finished,
    journalled and in the results; no later row is written; only then does the app end."""
    path = write(tmp_path, *(hire(7400 + i, "Quit", f"Row{i}", f"555010740{i}") for i in range(3)))
    in_flight, release = _hold_hires(monkeypatch)
    app = make()
    async with _fallback_handler(how), app.run_test(size=(80, 24)) as pilot:
        screen = await _run_to_first_row(pilot, path, in_flight)
        if how == "ctrl+q twice":
            await pilot.press("ctrl+q")  # warned first
            await pilot.pause()
            assert screen.state == "applying"
            await pilot.press("ctrl+q")
        else:
            os.kill(os.getpid(), getattr(signal, how))
        await pilot.pause()
        await pilot.pause()
        assert app.is_running and screen.state == "stopping" and screen.stop.is_set()
        assert on_screen(app, "stopping after row 1 of 3 (line 2")
        release.set()
        # The worker finishes its row, then the app exits.
        await wait_until(pilot, lambda: not app.is_running, what="the app to exit")
    assert sim.store.employee_by_pos_id(7400) is not None  # the row in flight, finished
    assert sim.store.employee_by_pos_id(7401) is None  # nothing written after the quit
    assert sim.store.employee_by_pos_id(7402) is None
    files = bulk.RunFiles.beside(path)
    journal = bulk.read_journal(files.journal)
    assert [entry.event for entry in journal.values()] == ["done"]
    with files.results.open(encoding="utf-8") as file:
        results = {row["line"]: row["outcome"] for row in csv.DictReader(file)}
    assert results["2"].startswith("done") and results["3"] == "not applied: stopped"


async def test_enter_typed_ahead_plans_the_whole_path(make: MakeApp, tmp_path: Path) -> None:
    """The path typed and Enter sent at once (a paste of keystrokes, tmux): the plan is
    of the file named, not of a path cut short."""
    path = write(tmp_path, hire(7001, "Quick", "Typist", "(555) 010-0171"))
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, BulkImportScreen)
        await type_ahead(pilot, *str(path), "enter")
        assert screen.planned_path == path.resolve()
        assert [o.startswith("would create") for o in outcomes(screen)] == [True]


async def test_unusual_pay_is_allowed_for_this_plan_only_after_asking(
    make: MakeApp, sim: Simulator, tmp_path: Path
) -> None:
    """A wage of 150.00 is an error naming wage_rate, as in `bulk plan`; Ctrl+L asks,
    naming the row, and yes plans it as `--allow-unusual-pay` does (nothing written);
    Apply hires at 150.00; a plan of the edited file starts without the allowance."""
    high = hire(7501, "Hana", "Highwage", "5550107501").replace(",15.50,", ",150.00,")
    path = write(tmp_path, high)
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_import(pilot, path)
        assert outcomes(screen)[0].startswith("error: wage_rate: unusual pay: The wage, 150.00")
        note = screen.query_one("#import-unusual", Static)
        assert note.display and "refused only for unusual pay (line 2)" in shown(note)
        assert on_screen(app, "^l Allow pay") and on_screen(app, "esc Close")  # at 80 columns

        await pilot.press("ctrl+l")
        await settle(pilot)
        assert app.screen.id == "confirm-pay"
        asked = shown(app.screen.query_one("#confirm-text", Static))
        assert "Line 2, Hana Highwage (POS 7501): wage_rate 150.00" in asked
        await pilot.press("n")  # no: the plan stays as it was
        await settle(pilot)
        assert app.screen is screen and not screen.pay_allowed
        assert outcomes(screen)[0].startswith("error: wage_rate: unusual pay")

        await pilot.press("ctrl+l")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen and screen.pay_allowed
        assert outcomes(screen)[0].startswith("would create")
        assert "Unusual pay allowed on line 2" in shown(note)
        assert not on_screen(app, "Allow pay")  # asked once, for this plan
        assert sim.store.employee_by_pos_id(7501) is None  # allowing writes nothing

        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert screen.state == "applied" and outcomes(screen) == ["done: hired"]
        hired = sim.store.employee_by_pos_id(7501)
        assert hired is not None
        latest = hired.latest_wage()
        assert latest is not None and latest.regular_rate == Decimal("150.00")

        # The file edited and planned again: without the allowance, as `bulk plan` without
        # the flag. Line 2's hire is made (no pay written again: skipped); line 3's is new.
        other = hire(7502, "Ira", "Highwage", "5550107502").replace(",15.50,", ",160.00,")
        write(tmp_path, high, other)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert not screen.pay_allowed
        assert screen.plan is not None
        first, second = screen.plan.rows
        assert first.status == "skip"
        assert second.status == "error" and "The wage, 160.00" in (second.reason or "")
        assert "(line 3)" in shown(note) and on_screen(app, "^l Allow pay")
    assert sim.store.employee_by_pos_id(7502) is None
