"""The journal of bulk runs: one JSON line per event, appended and fsync'd before the
run moves on, so that a killed process leaves a true record.

Before a row's first write the run records ``started`` (the row's key and, for a wage,
the date it will carry); after it, the outcome (``done``, ``skipped`` or ``failed``,
with the employee id). A rerun reads the journal: a finished row is skipped, a row
started without an outcome is checked against the server first (see
:mod:`sonnys_tui.bulk.run`). The journal never holds a PIN or a password: only
keys, ids, outcomes and error messages (which the client keeps free of secrets).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

Event = Literal["started", "done", "skipped", "failed"]


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """The last thing the journal says about one row."""

    key: str
    event: Event
    at: str
    employee_id: int | None = None
    effective_date: str | None = None  # a wage's date, fixed when it was started

    @property
    def finished(self) -> bool:
        return self.event != "started"

    @property
    def outcome(self) -> Event:
        return self.event


class JournalState(dict[str, JournalEntry]):
    """Row key -> its last entry, as read from a journal file."""


def read(path: Path, tenant: str | None = None) -> JournalState:
    """What ``path`` records (empty when there is none yet) about ``tenant`` (None:
    every tenant): a file applied to two tenants keeps two records. A torn last line
    (the process killed mid-write) is ignored: the fsync'd lines before it stand."""
    state = JournalState()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return state
    for line in text.splitlines():
        try:
            item = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(item, dict) or "key" not in item:
            continue
        if tenant is not None and item.get("tenant") != tenant:
            continue
        previous = state.get(item["key"])
        entry = JournalEntry(
            key=item["key"],
            event=item.get("event", "started"),
            at=item.get("at", ""),
            employee_id=item.get("employee_id"),
            effective_date=item.get("effective_date")
            or (previous.effective_date if previous else None),
        )
        state[entry.key] = entry
    return state


class Journal:
    """An open journal file, appended to (created 0600: it names people)."""

    def __init__(self, path: Path, tenant: str) -> None:
        self.path = path
        self.tenant = tenant
        path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def record(
        self,
        key: str,
        event: Event,
        *,
        line: int,
        employee_id: int | None = None,
        effective_date: str | None = None,
        error: str | None = None,
    ) -> None:
        """Append one event and fsync it before returning."""
        item: dict[str, object] = {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "tenant": self.tenant,
            "key": key,
            "line": line,
            "event": event,
        }
        if employee_id is not None:
            item["employee_id"] = employee_id
        if effective_date is not None:
            item["effective_date"] = effective_date
        if error is not None:
            item["error"] = error
        data = (json.dumps(item, ensure_ascii=False) + "\n").encode("utf-8")
        os.write(self._fd, data)
        os.fsync(self._fd)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
