"""Shared test set-up: never read or write the user's real config or cache."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SONNYS_TUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SONNYS_TUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SONNYS_TUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SONNYS_PASSWORD", raising=False)
