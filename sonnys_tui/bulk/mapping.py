"""The columns of a sync file: an HR or payroll export names its columns its own way.

A header cell is a column when its name (as :func:`~sonnys_tui.bulk.reader.column_name`
reads it: "Work Email" is ``work_email``) is one of :data:`SYNC_COLUMNS`, or when a
mapping names its column (``--map "Work Email=email,Cell=phone"``, or a mapping file
of such lines). Any other column is ignored, and the plan names it: an export carries
many columns a sync has no use for (manager, pay group, cost centre).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sonnys_tui.bulk.columns import COLUMNS
from sonnys_tui.bulk.reader import BulkFile, BulkFileError, column_name, parse

# What a sync reads: the bulk columns (``action`` only as `sonnys-tui export` writes it:
# "offboard" is an inactive person), the status an export gives each person and the ADP
# id (a key, and a field an update sets).
SYNC_COLUMNS: dict[str, str] = {
    **COLUMNS,
    "action": "as `sonnys-tui export` writes it: offboard reads as terminated, else active",
    "adp_employee_id": "the ADP employee id (a key with --key adp_employee_id)",
    "status": "active, or terminated (offboarded when active here); empty: active",
}
IGNORE = "-"  # "Manager=-" in a mapping: ignore the column without naming it ignored


@dataclass(frozen=True, slots=True)
class SyncFile:
    """A sync file read: its rows in the sync columns, and the header cells ignored."""

    bulk: BulkFile
    ignored: tuple[str, ...] = ()


def parse_map(text: str) -> dict[str, str]:
    """``"Employee ID=adp_employee_id, Work Email=email"`` as header -> column (the
    header as :func:`column_name` reads it). BulkFileError naming a bad pair."""
    mapping: dict[str, str] = {}
    for pair in text.replace("\n", ",").split(","):
        if not pair.strip():
            continue
        mapping.update(_pair(pair, "--map"))
    return mapping


def read_map(path: Path) -> dict[str, str]:
    """A mapping file: one ``Header=column`` a line (``#`` starts a comment)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BulkFileError(f"no such mapping file: {path}") from None
    except UnicodeDecodeError:
        raise BulkFileError(f"{path.name} is not UTF-8") from None
    mapping: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0]
        if line.strip():
            mapping.update(_pair(line, f"{path.name} line {number}"))
    return mapping


def _pair(text: str, where: str) -> dict[str, str]:
    header, sep, column = text.partition("=")
    if not sep or not header.strip():
        raise BulkFileError(f"{where}: {text.strip()!r} is not Header=column")
    target = column_name(column) if column.strip() != IGNORE else IGNORE
    if target != IGNORE and target not in SYNC_COLUMNS:
        known = ", ".join(SYNC_COLUMNS)
        raise BulkFileError(f"{where}: unknown column {column.strip()!r} (columns: {known})")
    return {column_name(header): target}


@dataclass
class SyncHeader:
    """Reads a sync file's header (see :func:`~sonnys_tui.bulk.reader.parse`): each
    cell's column, "" for a column ignored (listed in ``ignored`` as the file names it)."""

    mapping: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    def __call__(self, cells: list[str], line: int) -> list[str]:
        out: list[str] = []
        for cell in cells:
            name = column_name(cell)
            column = self.mapping.get(name, name)
            if column == IGNORE or column not in SYNC_COLUMNS:
                if column != IGNORE and cell.strip():
                    self.ignored.append(cell.strip())
                out.append("")
                continue
            if column in out:
                raise BulkFileError(f"line {line}: two columns give {column!r} (one is {cell!r})")
            out.append(column)
        return out


def parse_sync(text: str, mapping: dict[str, str] | None = None) -> SyncFile:
    header = SyncHeader(dict(mapping or {}))
    bulk = parse(text, header_reader=header)
    return SyncFile(bulk, tuple(header.ignored))


def read_sync(path: Path, mapping: dict[str, str] | None = None) -> SyncFile:
    """Read ``path`` as a sync file (UTF-8; a BOM is skipped)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BulkFileError(
            f"{path.name} is not UTF-8 (byte {exc.start}): save it as 'CSV UTF-8'"
        ) from None
    return parse_sync(text, mapping)
