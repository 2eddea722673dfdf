"""Reading a bulk file: CSV as spreadsheet programs save it (UTF-8 with or without a
BOM, comma or semicolon separated, quoted cells holding either), blank lines skipped,
each row keeping the line it starts on so that the plan can point at it."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sonnys_tui.bulk.columns import COLUMNS


class BulkFileError(ValueError):
    """The file cannot be read as a bulk file at all (not one row's fault)."""


@dataclass(frozen=True, slots=True)
class InputRow:
    """One row of the file: ``line`` is where it starts (1 = the header's line);
    ``values`` maps each column of the header to its cell, stripped."""

    line: int
    values: dict[str, str] = field(default_factory=dict)

    def get(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass(frozen=True, slots=True)
class BulkFile:
    columns: tuple[str, ...]
    rows: tuple[InputRow, ...]
    delimiter: str


def column_name(text: str) -> str:
    """A header cell as a column name: "POS User ID" and "pos_user_id" are one."""
    return "_".join(text.strip().casefold().replace("-", " ").split())


def sniff_delimiter(first_line: str) -> str:
    """``;`` when the header has more semicolons than commas outside quotes, else ``,``."""
    counts = {",": 0, ";": 0}
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


# Header cells (and the header's line) -> the column of each cell ("" drops a cell).
HeaderReader = Callable[[list[str], int], list[str]]


def parse(text: str, *, header_reader: HeaderReader | None = None) -> BulkFile:
    """The rows of ``text`` (already decoded). BulkFileError when there is no header,
    a column is unknown or repeated, or a row has more cells than the header.
    ``header_reader`` names the columns another way (a sync's mapped, partly ignored header)."""
    read_header = header_reader or _header
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), None)
    if first is None:
        raise BulkFileError("the file is empty: it needs a header line of column names")
    delimiter = sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[InputRow] = []
    start = 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, or a row of empty cells
        if header is None:
            header = read_header(cells, line)
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            raise BulkFileError(
                f"line {line}: {len(cells)} cells but the header has {len(header)} columns"
                " (a comma inside a value needs quotes)"
            )
        values = {
            column: cell.strip() for column, cell in zip(header, cells, strict=False) if column
        }
        rows.append(InputRow(line, values))
    assert header is not None
    return BulkFile(tuple(c for c in header if c), tuple(rows), delimiter)


def _header(cells: list[str], line: int) -> list[str]:
    header = [column_name(cell) for cell in cells]
    while header and not header[-1]:
        header.pop()  # a spreadsheet's trailing empty columns
    # Every wrong column at once: fixing the file one error per run is slow.
    unknown = [name for name in header if name not in COLUMNS]
    twice = sorted({name for name in header if name in COLUMNS and header.count(name) > 1})
    problems: list[str] = []
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        columns = "column" if len(unknown) == 1 else "columns"
        problems.append(f"unknown {columns} {names} (columns: {', '.join(COLUMNS)})")
    if twice:
        names = ", ".join(repr(name) for name in twice)
        problems.append(
            f"column {names} appears twice" if len(twice) == 1 else f"columns {names} appear twice"
        )
    if problems:
        raise BulkFileError(f"line {line}: " + "; ".join(problems))
    return header


def read(path: Path, *, header_reader: HeaderReader | None = None) -> BulkFile:
    """Read and parse ``path`` (UTF-8; a BOM is skipped)."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BulkFileError(
            f"{path.name} is not UTF-8 (byte {exc.start}): save it as 'CSV UTF-8'"
        ) from None
    return parse(text, header_reader=header_reader)
