"""The audit trail: one JSON line for every write the app or the CLI performs.

A line says when, on which profile and tenant, what operation on which target,
and how it ended (``ok``, ``failed`` or ``partial``), with the warnings and the
error message. It never holds secrets: callers pass a target such as
``pos_user_id=4411``, never the arguments of the call, and error messages of
the client never contain passwords or PINs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sonnys_tui.locations import data_dir


def audit_path() -> Path:
    """The log file, in the data folder (``SONNYS_TUI_DATA_DIR`` overrides it)."""
    return data_dir() / "audit.jsonl"


@dataclass
class AuditEvent:
    profile: str
    tenant: str
    operation: str
    target: str
    outcome: str = "ok"  # ok | failed | partial
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    time: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))


def record(event: AuditEvent) -> None:
    """Append ``event`` as one line; the file is created with mode 0600."""
    path = audit_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    line = json.dumps(asdict(event), ensure_ascii=False) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as out:
        out.write(line)


def read(limit: int | None = None) -> list[AuditEvent]:
    """The newest ``limit`` events (all when None), oldest first; bad lines are skipped."""
    try:
        lines = audit_path().read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    events = []
    for line in lines[-limit:] if limit else lines:
        try:
            events.append(AuditEvent(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return events


@contextmanager
def audited(profile: str, tenant: str, operation: str, target: str) -> Iterator[AuditEvent]:
    """Record the write done in the block; a failure is recorded, then re-raised.

    The block may set ``event.warnings`` and ``event.target`` (e.g. once the
    new employee's id is known). An exception whose ``state`` says part of the
    write happened is recorded as ``partial``.
    """
    event = AuditEvent(profile=profile, tenant=tenant, operation=operation, target=target)
    try:
        yield event
    except BaseException as exc:
        # Partial only when the tenant changed: client errors say so through
        # their state, and `wrote_nothing` when nothing was written.
        state = getattr(exc, "state", None)
        changed = state and not getattr(exc, "wrote_nothing", False)
        event.outcome = "partial" if changed else "failed"
        event.error = str(exc) or type(exc).__name__
        record(event)
        raise
    record(event)
