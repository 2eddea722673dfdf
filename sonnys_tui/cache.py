"""The on-disk tenant cache: what one profile's tenant looked like when last seen
(employees, sites, departments, templates, Back Office users and the e-mails known to
be in use), so that the app and the shell commands can answer at once and refresh
in the background.

Only the tenant layer (:mod:`sonnys_tui.tenant`) reads and writes it. One JSON file per
profile in the platformdirs cache dir, under a versioned name, written atomically with
mode 0600. A missing, corrupt or other-version file is simply ignored: the cache is a
convenience, never a source of truth, and never holds secrets (no PINs, no passwords:
the models it stores have none).
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from sonnys_tui.backoffice.models import (
    BackofficeUserRow,
    Department,
    EmployeeRow,
    Permission,
    Site,
)
from sonnys_tui.locations import atomic_write_private, cache_dir

CACHE_VERSION = 2

__all__ = [
    "CACHE_VERSION",
    "RecordFacts",
    "RosterSnapshot",
    "cache_dir",
    "cache_path",
    "clear",
    "describe_age",
    "load",
    "load_records",
    "save",
    "save_records",
]


def cache_path(profile: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", profile) or "_"
    return cache_dir() / f"roster-v{CACHE_VERSION}-{safe}.json"


@dataclass(frozen=True)
class RosterSnapshot:
    """What one profile's tenant looked like at ``saved_at`` (UTC): the time of the
    oldest list in it."""

    saved_at: datetime
    employees: tuple[EmployeeRow, ...] = ()
    sites: tuple[Site, ...] = ()
    departments: tuple[Department, ...] = ()
    templates: tuple[Permission, ...] = ()
    backoffice_users: tuple[BackofficeUserRow, ...] = ()
    # Casefolded e-mails known to be in use (active employees', Back Office users', and
    # those of inactive employees whose records were read).
    emails: frozenset[str] = field(default_factory=frozenset)

    def age_seconds(self, now: datetime | None = None) -> float:
        return ((now or datetime.now(UTC)) - self.saved_at).total_seconds()


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


def _permission(p: Permission) -> dict[str, Any]:
    data = asdict(p)
    for key in ("grant_ids", "override_ids", "tokens"):
        data[key] = sorted(data[key])
    return data


def _write(out: IO[str], snapshot: RosterSnapshot) -> None:
    """Write the snapshot as one JSON object, the roster a row at a time: one
    big ``json.dumps`` of 10,000 rows would hold the whole text (and a dict
    per row) in memory at once, in a running app."""
    head = {
        "version": CACHE_VERSION,
        "saved_at": snapshot.saved_at.isoformat(),
        "sites": [asdict(s) for s in snapshot.sites],
        "departments": [asdict(d) for d in snapshot.departments],
        "templates": [_permission(p) for p in snapshot.templates],
        "backoffice_users": [asdict(u) for u in snapshot.backoffice_users],
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
        backoffice_users=tuple(BackofficeUserRow(**d) for d in data["backoffice_users"]),
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
    return atomic_write_private(cache_path(profile), lambda out: _write(out, snapshot))


def clear(profile: str | None = None) -> list[Path]:
    """Delete the cache of ``profile`` (or of every profile, any version); return what
    was removed."""
    directory = cache_dir()
    if profile is not None:
        candidates = [cache_path(profile), records_path(profile)]
    elif directory.is_dir():
        candidates = sorted([*directory.glob("roster-v*.json"), *directory.glob("records-v*.json")])
    else:
        candidates = []
    removed = []
    for path in candidates:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed.append(path)
    return removed


# ---------------------------------------------------------------- records read


RECORDS_VERSION = 1


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """What an employee's edit page shows and the roster does not: the e-mail and the
    ADP id (as read; never a PIN)."""

    email: str
    adp_employee_id: str


def records_path(profile: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", profile) or "_"
    return cache_dir() / f"records-v{RECORDS_VERSION}-{safe}.json"


def load_records(profile: str) -> dict[int, RecordFacts]:
    """Employee id -> the facts read from its record (empty when none are cached)."""
    try:
        data = json.loads(records_path(profile).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("version") != RECORDS_VERSION:
            return {}
        return {
            int(employee_id): RecordFacts(str(email), str(adp))
            for employee_id, (email, adp) in data["records"].items()
        }
    except (OSError, ValueError, TypeError, KeyError):
        return {}


def save_records(profile: str, records: dict[int, RecordFacts]) -> Path:
    """Write the records' facts atomically with mode 0600."""
    data = {
        "version": RECORDS_VERSION,
        "records": {str(k): [v.email, v.adp_employee_id] for k, v in sorted(records.items())},
    }
    text = json.dumps(data, separators=(",", ":"))

    def write(out: IO[str]) -> None:
        out.write(text)

    return atomic_write_private(records_path(profile), write)
