"""Shared test set-up: never read or write the user's real config or cache, no
debounce sleeps in the app (tests await the workers those timers would start), and the
pilot's wait for the screen without a round through its idle widgets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.pilot import Pilot

from .waiting import wait_for_screen


@pytest.fixture(autouse=True, scope="session")
def _quick_screen_wait() -> Iterator[None]:
    # Every pilot pause and key press waits for the screen: the same wait without a
    # message round through each idle widget (see tests/waiting.py).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Pilot, "_wait_for_screen", wait_for_screen)
        yield


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SONNYS_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SONNYS_TUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SONNYS_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SONNYS_PASSWORD", raising=False)


@pytest.fixture(autouse=True)
def _no_debounce(monkeypatch: pytest.MonkeyPatch) -> None:
    # A debounce is a sleep in a worker thread: each row the cursor rests on, each field
    # typed, would idle the test for a quarter of a second while `settle` waits for it.
    # The work still runs in its worker; a test about the debounce itself sets its own.
    monkeypatch.setattr("sonnys_tui.tui.panes.employees.EmployeesPane.PAY_DEBOUNCE", 0.0)
    monkeypatch.setattr("sonnys_tui.tui.panes.employees.EmployeesPane.SERVER_SEARCH_DEBOUNCE", 0.0)
    monkeypatch.setattr(
        "sonnys_tui.tui.screens.employee_form.EmployeeForm.AVAILABILITY_DEBOUNCE", 0.0
    )
