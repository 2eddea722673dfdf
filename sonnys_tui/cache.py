"""The on-disk roster cache: the last full employee list, sites, departments and
templates of each profile, so that the app and the shell commands can answer
at once and refresh in the background.

One JSON file per profile in the platformdirs cache dir, under a versioned name.
Written atomically with mode 0600. A missing, corrupt or other-version file is
simply ignored: the cache is a convenience, never a source of truth, and never
holds secrets (no PINs, no passwords: the models it stores have none).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from sonnys_tui.backoffice.models import Department, EmployeeRow, Permission, Site

CACHE_VERSION = 1
_ENV_DIR = "SONNYS_TUI_CACHE_DIR"


def cache_dir() -> Path:
    """Where roster caches live (``SONNYS_TUI_CACHE_DIR`` overrides it)."""
    override = os.environ.get(_ENV_DIR)
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("sonnys-tui", appauthor=False))


def cache_path(profile: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", profile) or "_"
    return cache_dir() / f"roster-v{CACHE_VERSION}-{safe}.json"


@dataclass(frozen=True)
class RosterSnapshot:
    """What one profile's tenant looked like at ``saved_at`` (UTC)."""

    saved_at: datetime
    employees: tuple[EmployeeRow, ...] = ()
    sites: tuple[Site, ...] = ()
    departments: tuple[Department, ...] = ()
    templates: tuple[Permission, ...] = ()
    emails: frozenset[str] = field(default_factory=frozenset)

    def age_seconds(self, now: datetime | None = None) -> float:
        return ((now or datetime.now(UTC)) - self.saved_at).total_seconds()

    def with_employee(self, row: EmployeeRow) -> RosterSnapshot:
        """A copy with ``row`` added or replacing the row of the same employee."""
        rows = [r for r in self.employees if r.employee_id != row.employee_id]
        rows.append(row)
        return replace(self, employees=tuple(rows))


def describe_age(seconds: float) -> str:
    """'as of 12 min ago' style wording for a cache age."""
    if seconds < 60:
        return "as of just now"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"as of {minutes} min ago"
    hours = minutes // 60
    if hours < 48:
        return f"as of {hours} h ago"
    return f"as of {hours // 24} days ago"


_ROW_FIELDS = tuple(f.name for f in fields(EmployeeRow))


def _write(out: TextIO, snapshot: RosterSnapshot) -> None:
    """Write the snapshot as one JSON object, the roster a row at a time: one
    big ``json.dumps`` of 10,000 rows would hold the whole text (and a dict
    per row) in memory at once, in a running app."""

    def permission(p: Permission) -> dict[str, Any]:
        data = asdict(p)
        for key in ("grant_ids", "override_ids", "tokens"):
            data[key] = sorted(data[key])
        return data

    head = {
        "version": CACHE_VERSION,
        "saved_at": snapshot.saved_at.isoformat(),
        "sites": [asdict(s) for s in snapshot.sites],
        "departments": [asdict(d) for d in snapshot.departments],
        "templates": [permission(p) for p in snapshot.templates],
        "emails": sorted(snapshot.emails),
    }
    out.write(json.dumps(head, separators=(",", ":"))[:-1])
    out.write(',"employees":[')
    for index, row in enumerate(snapshot.employees):
        if index:
            out.write(",")
        out.write(json.dumps({name: getattr(row, name) for name in _ROW_FIELDS}))
    out.write("]}")


def _decode(data: dict[str, Any]) -> RosterSnapshot:
    def row(d: dict[str, Any]) -> EmployeeRow:
        d = dict(d)
        d["site_codes"] = tuple(d["site_codes"])
        d["departments"] = tuple(d["departments"])
        return EmployeeRow(**d)

    def permission(d: dict[str, Any]) -> Permission:
        d = dict(d)
        d["grant_ids"] = frozenset(d["grant_ids"])
        d["override_ids"] = frozenset(d["override_ids"])
        d["tokens"] = frozenset(d["tokens"])
        return Permission(**d)

    saved_at = datetime.fromisoformat(data["saved_at"])
    if saved_at.tzinfo is None:
        raise ValueError("saved_at has no time zone")
    return RosterSnapshot(
        saved_at=saved_at,
        employees=tuple(row(d) for d in data["employees"]),
        sites=tuple(Site(**d) for d in data["sites"]),
        departments=tuple(Department(**d) for d in data["departments"]),
        templates=tuple(permission(d) for d in data["templates"]),
        emails=frozenset(data["emails"]),
    )


def load(profile: str) -> RosterSnapshot | None:
    """The cached snapshot of ``profile``, or None when there is none usable."""
    try:
        data = json.loads(cache_path(profile).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
            return None
        return _decode(data)
    except (OSError, ValueError, TypeError, KeyError):
        # Corrupt, truncated, from another version or unreadable: start without it.
        return None


def save(profile: str, snapshot: RosterSnapshot) -> Path:
    """Write ``snapshot`` atomically with mode 0600 and return its path."""
    path = cache_path(profile)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            _write(out, snapshot)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def clear(profile: str | None = None) -> list[Path]:
    """Delete the cache of ``profile`` (or of every profile); return what was removed."""
    directory = cache_dir()
    if profile is not None:
        candidates = [cache_path(profile)]
    elif directory.is_dir():
        candidates = sorted(directory.glob("roster-v*.json"))
    else:
        candidates = []
    removed = []
    for path in candidates:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed
