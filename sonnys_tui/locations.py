"""Where sonnys-tui keeps its files, and the one way it writes a private file.

Every path comes from platformdirs (deferred: not needed for a first frame), each with
an environment override that tests and careful users set:

| what | folder | override |
|---|---|---|
| profiles (``profiles.toml``) | user config dir | ``SONNYS_TUI_CONFIG_DIR`` |
| roster caches | user cache dir | ``SONNYS_TUI_CACHE_DIR`` |
| audit log (``audit.jsonl``) | user data dir | ``SONNYS_TUI_DATA_DIR`` |
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Literal

APP_NAME = "sonnys-tui"
CONFIG_DIR_ENV = "SONNYS_TUI_CONFIG_DIR"
CACHE_DIR_ENV = "SONNYS_TUI_CACHE_DIR"
DATA_DIR_ENV = "SONNYS_TUI_DATA_DIR"


def _dir(env: str, kind: Literal["config", "cache", "data"]) -> Path:
    override = os.environ.get(env)
    if override:
        return Path(override)
    import platformdirs

    find = {
        "config": platformdirs.user_config_dir,
        "cache": platformdirs.user_cache_dir,
        "data": platformdirs.user_data_dir,
    }[kind]
    return Path(find(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return _dir(CONFIG_DIR_ENV, "config")


def cache_dir() -> Path:
    return _dir(CACHE_DIR_ENV, "cache")


def data_dir() -> Path:
    return _dir(DATA_DIR_ENV, "data")


def atomic_write_private(path: Path, write: Callable[[IO[str]], None]) -> Path:
    """Write ``path`` through ``write`` into a 0600 temp file beside it, then rename:
    readers never see half a file, and the file is never readable by others, not even
    for a moment. The folder is created 0700 when missing."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path
