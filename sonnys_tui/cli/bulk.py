"""Bulk runs and the roster export from the shell: ``bulk template`` (a header and an
example row), ``bulk plan`` (every row checked against the tenant, nothing written;
exit 1 when a row has an error), ``bulk apply`` (the plan, a question, then row by row
with a progress line; Ctrl+C finishes the row in flight) and ``export`` (the roster in
the bulk columns: an unchanged export plans as all "already done")."""

from __future__ import annotations

import argparse
import contextlib
import csv
import signal
import textwrap
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from sonnys_tui.cli.common import (
    EXIT_STATUS_HELP,
    AddCommand,
    CliError,
    Command,
    ExitStatus,
    confirm,
    confirm_options,
    from_cache,
    open_tenant,
    print_json,
    print_table,
)
from sonnys_tui.display import fit_name

if TYPE_CHECKING:
    from sonnys_tui.backoffice.models import EmployeeRow
    from sonnys_tui.bulk import BulkFile, BulkPlan, BulkProgress, BulkRun, RowOutcome, RowPlan
    from sonnys_tui.bulk.mapping import SyncFile
    from sonnys_tui.bulk.plan import Status
    from sonnys_tui.tenant import Tenant

ACTIONS = ("hire", "update", "wage", "offboard", "reinstate")
PLAN_WIDTHS = (5, 8, 24, 36)  # line, status, who, what: 79 columns with the gaps
_COUNT_WORDS: tuple[tuple[Status, str], ...] = (
    ("create", "to create"),
    ("change", "to change"),
    ("disable", "to disable"),
    ("enable", "to enable"),
    ("resume", "to resume"),
    ("skip", "already done"),
    ("error", "with errors"),
)
_STATUS_WORDS = {
    "create": "create",
    "change": "change",
    "disable": "disable",
    "enable": "enable",
    "skip": "done",
    "resume": "resume",
    "error": "ERROR",
}

BULK_HELP = """\
A bulk file is a CSV (UTF-8, comma or semicolon separated, as spreadsheets save
it) with a header of column names; `bulk template ACTION` writes one. Each row
has an action (an `action` column, or --action for the whole file): hire,
update, wage, offboard or reinstate. Existing people are found by pos_user_id,
else by first_name + last_name + phone. Lists (sites, departments) are
separated by commas inside quotes: "Demo Wash Fiesta, HARB".

Beside FILE, apply writes FILE.results.csv (each row's outcome), keeps
FILE.journal.jsonl (what was done: a rerun skips it and checks an interrupted
row against the server first) and, when it hires, FILE.credentials.csv
(the new PINs and passwords, mode 0600: the only place they are written).

With --sync the file is everyone who works there (an HR or payroll export):
each row is matched by --key (never by name) and hired, reinstated, updated
(only the columns the file has; an empty cell is not given) or offboarded
(status terminated); every active employee in --scope whom no row names is
offboarded. --map names the export's columns ("Work Email=email"); others are
ignored and listed. A plan that offboards more than --max-offboard people, or
whose file names fewer than --min-match % of the scope, is refused.

"""


def register(add: AddCommand) -> dict[str, Command]:
    """Add this module's commands to the parser; return their handlers by name."""
    bulk = add(
        "bulk",
        help="hire, change and offboard from a CSV: template, plan, apply",
        description="Bulk runs from a spreadsheet.\n\n" + BULK_HELP + EXIT_STATUS_HELP,
        connection=False,
    )
    steps = bulk.add_subparsers(dest="bulk_command", metavar="STEP", required=True)
    add_step = add.under(steps)
    template = add_step(
        "template",
        help="print a header and an example row",
        description="Print a header and an example row of ACTION's columns.",
        epilog=_columns_help(),
        connection=False,
    )
    template.add_argument("action", choices=ACTIONS)
    for name, what in (
        ("plan", "check every row against the tenant; change nothing"),
        ("apply", "show the plan, ask, then apply it row by row"),
    ):
        step = add_step(name, help=what, description=BULK_HELP + EXIT_STATUS_HELP)
        step.add_argument("file", type=Path, metavar="FILE")
        step.add_argument("--action", choices=ACTIONS, help="the action of every row")
        step.add_argument(
            "--allow-unusual-pay",
            action="store_true",
            help="accept a wage below 7.25 or above 100.00, or overtime above twice the "
            "wage (else such a row is an error naming its column)",
        )
        _sync_options(step)
    apply = steps.choices["apply"]
    confirm_options(apply, dry_run=False)  # `bulk plan` is its dry run
    apply.add_argument(
        "--stop-on-error", action="store_true", help="stop at the first row that fails"
    )

    export = add(
        "export",
        help="print the roster in the bulk columns (no PINs)",
        description="The roster as a bulk file: edit it in a spreadsheet, then plan and\n"
        "apply it. Active employees are update rows, inactive ones offboard rows.",
    )
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    which = export.add_mutually_exclusive_group()
    which.add_argument("--active", dest="everyone", action="store_false", help="(default)")
    which.add_argument("--all", dest="everyone", action="store_true", help="inactive too")
    export.set_defaults(everyone=False)
    return {"bulk": cmd_bulk, "export": cmd_export}


def _columns_help() -> str:
    """Every column a bulk file may have, with the label the app and the shell use."""
    from sonnys_tui.backoffice import fields

    width = max(len(column) for column in fields.column_help())
    lines = [f"  {'action'.ljust(width)}  hire, update, wage, offboard or reinstate"]
    for column, text in fields.column_help().items():
        lines += textwrap.wrap(
            f"{column.ljust(width)}  {text}",
            77,
            initial_indent="  ",
            subsequent_indent=" " * (width + 4),
        )
    return "columns (label: what it holds):\n" + "\n".join(lines)


def _sync_options(step: argparse.ArgumentParser) -> None:
    from sonnys_tui.bulk.sync import DEFAULT_MIN_MATCH, KEYS

    group = step.add_argument_group("sync (the file is everyone: see --sync)")
    group.add_argument(
        "--sync", action="store_true", help="reconcile with the file: hire, update, offboard"
    )
    group.add_argument("--key", choices=KEYS, default="pos_user_id", help="match rows by this")
    group.add_argument(
        "--scope",
        default="all",
        metavar="SCOPE",
        help="who may be offboarded: all (default) or 'sites: A, B; departments: C'",
    )
    group.add_argument(
        "--map", metavar="MAP", help='column names: "Work Email=email,Cell=phone,Manager=-"'
    )
    group.add_argument("--map-file", type=Path, metavar="FILE", help="one Header=column a line")
    group.add_argument(
        "--max-offboard",
        type=int,
        metavar="N",
        help="refuse a plan offboarding more (default 5 or 10%% of the scope)",
    )
    group.add_argument(
        "--min-match",
        type=int,
        default=DEFAULT_MIN_MATCH,
        metavar="PCT",
        help="refuse a file naming fewer %% of the scope's active employees (default 50)",
    )


def cmd_bulk(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.bulk_command == "template":
        from sonnys_tui.bulk import template

        _write_csv(out, template(args.action))
        return ExitStatus.OK
    return cmd_apply(args, out, err) if args.bulk_command == "apply" else cmd_plan(args, out, err)


def _write_csv(out: TextIO, rows: Sequence[Sequence[str]]) -> None:
    # "\n", not csv's "\r\n": every line passes the display boundary, which shows a CR.
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(rows)


# --------------------------------------------------------------------------- plan


def _read(path: Path) -> BulkFile:
    from sonnys_tui.bulk import BulkFileError, read

    try:
        return read(path)
    except FileNotFoundError:
        raise CliError(f"no such file: {path}", ExitStatus.USAGE) from None
    except BulkFileError as exc:
        raise CliError(f"{path.name}: {exc}", ExitStatus.USAGE) from None


def _read_sync(args: argparse.Namespace) -> SyncFile:
    from sonnys_tui.bulk import BulkFileError
    from sonnys_tui.bulk.mapping import parse_map, read_map, read_sync

    try:
        mapping = read_map(args.map_file) if args.map_file else {}
        mapping.update(parse_map(args.map or ""))
        return read_sync(args.file, mapping)
    except FileNotFoundError:
        raise CliError(f"no such file: {args.file}", ExitStatus.USAGE) from None
    except BulkFileError as exc:
        raise CliError(f"{args.file.name}: {exc}", ExitStatus.USAGE) from None


def _read_file(args: argparse.Namespace) -> BulkFile | SyncFile:
    if args.sync:
        if args.action:
            raise CliError("--sync decides each row's action: leave out --action", ExitStatus.USAGE)
        if not 0 <= args.min_match <= 100:
            raise CliError("--min-match is a percentage: 0 to 100", ExitStatus.USAGE)
        if args.max_offboard is not None and args.max_offboard < 0:
            raise CliError("--max-offboard is a number of people: 0 or more", ExitStatus.USAGE)
        return _read_sync(args)
    return _read(args.file)


def _planned(
    args: argparse.Namespace, tenant: Tenant, data: BulkFile | SyncFile, err: TextIO
) -> BulkPlan:
    from sonnys_tui import bulk
    from sonnys_tui.bulk import sync
    from sonnys_tui.bulk.mapping import SyncFile

    journal_path = bulk.RunFiles.beside(args.file).journal
    if isinstance(data, SyncFile):
        options = sync.SyncOptions(args.key, args.scope, args.max_offboard, args.min_match)
        try:
            sync.load(tenant, data, options, progress=RecordsLine(err).show)
            return sync.plan(
                tenant,
                data,
                options,
                journal=bulk.read_journal(journal_path, tenant.name),
                allow_unusual_pay=args.allow_unusual_pay,
            )
        except sync.SyncError as exc:
            raise CliError(f"{args.file.name}: {exc}", ExitStatus.USAGE) from None
    bulk.load(tenant, data, args.action)  # one fresh read of each list: never the cache
    journal = bulk.read_journal(journal_path, tenant.name)
    return bulk.plan(
        tenant,
        data,
        action=args.action,
        journal=journal,
        allow_unusual_pay=args.allow_unusual_pay,
    )


class RecordsLine:
    """How the one-time read of employee records goes (the roster has no e-mails or
    ADP ids): redrawn in place on a terminal, a line at the start and end otherwise."""

    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.tty = bool(getattr(err, "isatty", lambda: False)())

    def show(self, done: int, total: int) -> None:
        text = f"Reading employee records (once, then cached): {done}/{total}"
        if self.tty:
            stream = getattr(self.err, "stream", self.err)
            stream.write("\r" + text + ("\n" if done == total else ""))
            stream.flush()
        elif done in (1, total):
            print(text, file=self.err)


def _plan_notes(plan: BulkPlan, err: TextIO) -> bool:
    """A sync's notes and, when refused, why: True when the plan is refused."""
    for note in getattr(plan, "notes", ()):
        print(f"Note: {note}", file=err)
    for reason in plan.refused:
        print(f"Refused: {reason}. Nothing was changed.", file=err)
    return bool(plan.refused)


def cmd_plan(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    data = _read_file(args)
    with open_tenant(args) as tenant:
        plan = _planned(args, tenant, data, err)
    if args.json:
        print_json(out, [_row_json(row) for row in plan.rows])
    else:
        print_plan(out, plan)
    if _plan_notes(plan, err):
        return ExitStatus.PLAN_ERRORS
    if plan.has_errors:
        print("Some rows have errors: fix the file and plan again.", file=err)
        return ExitStatus.PLAN_ERRORS
    return ExitStatus.OK


def print_plan(out: TextIO, plan: BulkPlan) -> None:
    """The plan as a table of 80 columns; a long reason wraps in its column."""
    rows: list[list[str]] = []
    width = PLAN_WIDTHS[-1]
    # A note many rows share (the e-mail rechecked at apply, say) is said once under
    # the table, each row marked with its number, not repeated in every row.
    notes: list[str] = []
    for row in plan.rows:
        summary = row.summary()
        if row.notes and row.status in ("create", "change", "disable", "enable"):
            if row.notes[0] not in notes:
                notes.append(row.notes[0])
            summary += f" [{notes.index(row.notes[0]) + 1}]"
        lines = textwrap.wrap(summary, width) or [""]
        who = fit_name(row.person or row.row.get("pos_user_id"), PLAN_WIDTHS[2])
        rows.append([str(row.line), _STATUS_WORDS[row.status], who, lines[0]])
        rows += [["", "", "", more] for more in lines[1:]]
    print_table(out, ["line", "status", "who", "plan"], rows, PLAN_WIDTHS)
    for number, note in enumerate(notes, 1):
        for n, line in enumerate(textwrap.wrap(note, 79 - 5)):
            print(f"{f'[{number}]' if n == 0 else '':<5}{line}", file=out)
    print(_counts(plan), file=out)


def _counts(plan: BulkPlan) -> str:
    counts = plan.counts()
    parts = [f"{counts[status]} {words}" for status, words in _COUNT_WORDS if counts[status]]
    return f"{len(plan.rows)} rows: " + (", ".join(parts) or "none")


def _row_json(row: RowPlan) -> dict[str, object]:
    return {
        "line": row.line,
        "action": row.action,
        "status": row.status,
        "who": row.person,
        "employee_id": row.employee.employee_id if row.employee else None,
        "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in row.changes],
        "reason": row.reason,
        "column": row.column,
        "notes": list(row.notes),
    }


# --------------------------------------------------------------------------- apply


def cmd_apply(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sonnys_tui import bulk

    data = _read_file(args)
    files = bulk.RunFiles.beside(args.file)
    with open_tenant(args) as tenant:
        # Read-only: refused before any request (exit 6); `bulk plan` still checks the file.
        tenant.ensure_writable(
            "`bulk apply`", instead="`bulk plan` checks the file without writing."
        )
        plan = _planned(args, tenant, data, err)
        print_plan(out, plan)
        if _plan_notes(plan, err):
            return ExitStatus.PLAN_ERRORS
        if plan.has_errors:
            print(
                "Some rows have errors: fix the file and plan again. Nothing was changed.", file=err
            )
            return ExitStatus.PLAN_ERRORS
        todo = len(plan.to_apply)
        if todo and not confirm(
            f"Apply {todo} row(s)?",
            err,
            assume_yes=args.yes,
            look_only="`sonnys-tui bulk plan FILE` only prints the plan",
        ):
            print("Nothing was changed.", file=err)
            return ExitStatus.NO
        stop = threading.Event()
        line = ProgressLine(err)
        with _signals_stop(stop, err):
            run = bulk.run_plan(
                tenant,
                plan,
                files,
                progress=line.show,
                on_outcome=line.landed,
                stop=stop,
                stop_on_error=args.stop_on_error,
            )
        line.end()
    return _report(run, out, err)


def _report(run: BulkRun, out: TextIO, err: TextIO) -> int:
    for outcome in run.outcomes:
        if outcome.outcome == "failed":
            print(f"line {outcome.row.line}: failed: {outcome.error}", file=err)
    print(
        f"{run.count('done')} done, {run.count('skipped')} skipped, {run.count('failed')} failed"
        f" in {_clock(run.elapsed)}. Results: {run.files.results}",
        file=out,
    )
    if run.credentials:
        print(
            f"PINs and passwords of {run.credentials} new hire(s): {run.files.credentials}"
            " (mode 0600; give them to each person, then delete the file)",
            file=out,
        )
    if run.stopped:
        print(
            f"Stopped: {len(run.not_reached)} row(s) not applied. Run the same command"
            " again to go on (what is done is skipped).",
            file=err,
        )
        return ExitStatus.INTERRUPTED if not run.count("failed") else ExitStatus.FAILED
    return ExitStatus.FAILED if run.count("failed") else ExitStatus.OK


# The signals that stop a run after its row in flight: Ctrl+C, the terminal closing
# (SIGHUP), a service manager or `kill` (SIGTERM). Not all exist on every system.
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGHUP", "SIGTERM") if hasattr(signal, name)
)


@contextlib.contextmanager
def _signals_stop(stop: threading.Event, err: TextIO) -> Iterator[None]:
    """While the block runs, the first of :data:`STOP_SIGNALS` sets ``stop`` (the row in
    flight finishes and is recorded); a second Ctrl+C interrupts at once."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals reach only the main thread: nothing to install
        return

    def on_signal(signum: int, frame: object) -> None:
        if stop.is_set():
            if signum == signal.SIGINT:
                raise KeyboardInterrupt
            return  # a repeated hang-up or terminate: already stopping
        stop.set()
        with contextlib.suppress(OSError):  # the terminal may be gone (SIGHUP)
            print("\nStopping after the row in flight (Ctrl+C again to quit at once).", file=err)

    previous = {number: signal.signal(number, on_signal) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


class ProgressLine:
    """The run's progress on stderr: one line redrawn in place on a terminal, a plain
    line per finished row otherwise (a log file, a CI job)."""

    BAR = 20

    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.tty = bool(getattr(err, "isatty", lambda: False)())
        self.drawn = False
        self.gone = False  # the terminal closed under the run: nothing more is shown

    def show(self, progress: BulkProgress) -> None:
        if not self.tty:
            return
        from sonnys_tui.display import terminal_safe

        filled = self.BAR * progress.done // max(progress.total, 1)
        bar = "#" * filled + "." * (self.BAR - filled)
        eta = f" ETA {_clock(progress.eta)}" if progress.eta is not None else ""
        now = (
            f" line {progress.current.line} {terminal_safe(progress.current.person)}"
            if progress.current is not None
            else ""
        )
        counts = f"{progress.applied} done {progress.skipped} skip {progress.failed} fail"
        text = f"[{bar}] {progress.done}/{progress.total} {_clock(progress.elapsed)}{eta} {counts}"
        text = (text + now)[:79]
        # A raw carriage return: Shown would print it visibly (the text is made safe above).
        self.drawn = self._write("\r" + text.ljust(79))

    def _write(self, text: str) -> bool:
        """Write to the terminal; once it is gone (closed: SIGHUP) stay quiet, so the
        run goes on to stop cleanly after its row instead of breaking off here."""
        if self.gone:
            return False
        stream = getattr(self.err, "stream", self.err)
        try:
            stream.write(text)
            stream.flush()
        except OSError:
            self.gone = True
            return False
        return True

    def landed(self, outcome: RowOutcome) -> None:
        if self.tty:
            return
        detail = outcome.error or outcome.detail
        who = outcome.row.person or "?"
        if not self.gone:
            try:
                print(f"line {outcome.row.line}: {outcome.outcome} {who}: {detail}", file=self.err)
            except OSError:
                self.gone = True

    def end(self) -> None:
        if self.drawn:
            self._write("\n")


# --------------------------------------------------------------------------- export


def export_rows(rows: Sequence[EmployeeRow], everyone: bool) -> list[dict[str, str]]:
    """The roster in the bulk columns: an active employee an update row that changes
    nothing, an inactive one an offboard row already done. A permission set that is
    no template ("Custom", "None") is left blank: blank leaves it as it is."""
    out: list[dict[str, str]] = []
    for row in sorted(rows, key=lambda r: (r.last_name.casefold(), r.first_name.casefold())):
        if not (row.active or everyone):
            continue
        out.append(
            {
                "action": "update" if row.active else "offboard",
                "pos_user_id": "" if row.pos_user_id is None else str(row.pos_user_id),
                "first_name": row.first_name,
                "last_name": row.last_name,
                "phone": row.phone,
                "available_sites": ", ".join(row.site_codes),
                "departments": ", ".join(row.departments),
                "permission": "" if row.access in ("Custom", "None") else row.access,
            }
        )
    return out


def cmd_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sonnys_tui.bulk import EXPORT_COLUMNS

    with open_tenant(args) as tenant:
        if not from_cache(args, tenant, err, lambda t: t.knows("employees")):
            tenant.refresh(["employees"])
        rows = export_rows(tenant.employees(), args.everyone)
    if args.format == "json" or args.json:
        print_json(out, rows)
    else:
        _write_csv(out, [list(EXPORT_COLUMNS)] + [[r[c] for c in EXPORT_COLUMNS] for r in rows])
    return ExitStatus.OK
