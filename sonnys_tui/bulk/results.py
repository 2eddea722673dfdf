"""What a bulk run writes beside its input: the results CSV (every row's input
columns and its outcome, written as rows finish) and the credentials file (the PINs
and passwords of new hires: 0600, and the only place they are ever written)."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from sonnys_tui.backoffice.models import EmployeeCreated, Secret

RESULT_COLUMNS = ("line", "outcome", "employee_id", "warnings", "error")
CREDENTIAL_COLUMNS = (
    "pos_user_id",
    "employee_id",
    "first_name",
    "last_name",
    "pos_pin",
    "backoffice_username",
    "backoffice_password",
)


@dataclass(frozen=True, slots=True)
class RunFiles:
    """Where one input file's run writes: next to the input, named after it."""

    results: Path
    journal: Path
    credentials: Path

    @classmethod
    def beside(cls, source: Path) -> RunFiles:
        stem = source.with_suffix("")
        return cls(
            results=Path(f"{stem}.results.csv"),
            journal=Path(f"{stem}.journal.jsonl"),
            credentials=Path(f"{stem}.credentials.csv"),
        )


class ResultsWriter:
    """The results CSV: a header, then one line per finished row, flushed at once."""

    def __init__(self, path: Path, columns: tuple[str, ...]) -> None:
        self.path = path
        self.columns = tuple(c for c in columns if c not in RESULT_COLUMNS)
        self._file: IO[str] = path.open("w", encoding="utf-8", newline="")
        self._csv = csv.writer(self._file)
        self._csv.writerow([*self.columns, *RESULT_COLUMNS])
        self._file.flush()

    def write(
        self,
        values: dict[str, str],
        *,
        line: int,
        outcome: str,
        employee_id: int | None = None,
        warnings: tuple[str, ...] = (),
        error: str = "",
    ) -> None:
        cells = [values.get(column, "") for column in self.columns]
        ident = "" if employee_id is None else str(employee_id)
        self._csv.writerow([*cells, str(line), outcome, ident, "; ".join(warnings), error])
        self._file.flush()

    def close(self) -> None:
        self._file.close()


class CredentialsWriter:
    """Appends a new hire's PIN (and Back Office password) to a 0600 file, created on
    the first hire only, fsync'd per line: a PIN shown nowhere else must not be lost."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.written = 0

    def write(
        self,
        *,
        pos_user_id: int | None,
        employee_id: int,
        first_name: str,
        last_name: str,
        pin: Secret,
        username: str = "",
        password: Secret | None = None,
    ) -> None:
        new = not self.path.exists()
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.fchmod(fd, 0o600)  # even a file made by someone else becomes private
        with os.fdopen(fd, "a", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            if new:
                writer.writerow(CREDENTIAL_COLUMNS)
            writer.writerow(
                [
                    "" if pos_user_id is None else str(pos_user_id),
                    str(employee_id),
                    first_name,
                    last_name,
                    pin.reveal(),
                    username,
                    password.reveal() if password is not None else "",
                ]
            )
            out.flush()
            os.fsync(out.fileno())
        self.written += 1

    def has_password(self, username: str) -> bool:
        """True when the file already holds a password for the Back Office login
        ``username`` (an earlier run's line)."""
        try:
            with self.path.open(encoding="utf-8", newline="") as file:
                rows = list(csv.DictReader(file))
        except FileNotFoundError:
            return False
        wanted = username.casefold()
        return any(
            (row.get("backoffice_username") or "").casefold() == wanted
            and row.get("backoffice_password")
            for row in rows
        )

    def hired(self, created: EmployeeCreated) -> None:
        user = created.backoffice_user
        self.write(
            pos_user_id=created.pos_user_id,
            employee_id=created.employee_id,
            first_name=created.first_name,
            last_name=created.last_name,
            pin=created.pos_pin,
            username=user.username if user is not None else "",
            password=user.password if user is not None else None,
        )
