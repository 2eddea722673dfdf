"""Import from a spreadsheet (CSV): plan a bulk file, see each row's plan, apply it.

The screen drives :mod:`sonnys_tui.bulk` as the shell's ``bulk`` commands do: the file
is read, the lists a plan needs are loaded once and every row is planned (a worker:
the load is network I/O); the plan is a table, one line per row of the file. Apply
asks first, then runs row by row in a worker, each row's outcome landing in the table
as it is written (the Home tables follow through the tenant layer). Esc (or Ctrl+C)
during a run asks to stop: the row in flight finishes, the rest is left for a rerun,
which the journal beside the file makes skip what is done. Quitting the app during a
run (Ctrl+Q twice, or the terminal closed) takes the same path: the row in flight is
written and recorded, then the app quits.

Ctrl+Y makes it a sync (:mod:`sonnys_tui.bulk.sync`): the file is everyone who works
there, matched by POS User ID, e-mail or ADP id (each press the next key, then off);
the plan hires, reinstates, updates and offboards who is missing, in the same table.
A sync the guards refuse shows why, and nothing can be applied.

Pay the registry calls unusual (:func:`~sonnys_tui.backoffice.fields.unusual_pay`) is a
row's error, as in ``bulk plan``. The plan worker then plans the same read of the file
again with the allowance (``allow_unusual_pay``, what ``--allow-unusual-pay`` gives):
the rows that plan only then are said under the table, and Ctrl+L asks, naming them,
before the plan shown becomes that one. The allowance is for that plan only: Ctrl+R,
a sync key or another file plans without it. Allowing writes nothing; Apply does.

Rows with errors are never applied: Apply applies the others and the confirmation
says which lines are skipped. PINs and passwords go only to the credentials file
(0600), which the end of the run names; none is shown here.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Label, ProgressBar, Static

from sonnys_tui.display import fit_name, safe_lines, safe_text, terminal_safe
from sonnys_tui.tui.keys import APPLY, REPLAN
from sonnys_tui.tui.widgets.footer import Footer
from sonnys_tui.tui.widgets.safe_input import SafeInput
from sonnys_tui.tui.workers import ReportsWorkerErrors

if TYPE_CHECKING:
    from collections.abc import Callable

    from sonnys_tui.bulk import BulkPlan, BulkProgress, BulkRun, RowOutcome, RowPlan, Status
    from sonnys_tui.bulk.sync import SyncKey
    from sonnys_tui.tenant import Tenant

# Short, so that Esc Close still fits beside it at 80 columns.
ALLOW_PAY = Binding(
    "ctrl+l", "allow_unusual_pay", "Allow pay", tooltip="Allow unusual pay for this plan"
)
State = Literal["idle", "planning", "planned", "applying", "stopping", "applied"]
# Ctrl+Y steps through these: a plain bulk file, then a sync by each key.
SYNC_MODES: tuple[SyncKey | None, ...] = (None, "pos_user_id", "email", "adp_employee_id")
SYNC_KEY_WORDS: dict[str, str] = {
    "pos_user_id": "POS User ID",
    "email": "e-mail",
    "adp_employee_id": "ADP id",
}

# How each plan status reads in the summary line, in this order.
PLAN_COUNT_WORDS: tuple[tuple[Status, str], ...] = (
    ("create", "would create"),
    ("change", "would change"),
    ("disable", "would disable"),
    ("enable", "would enable"),
    ("resume", "to resume"),
    ("skip", "already done"),
    ("error", "with errors"),
)
STATUS_STYLES: dict[str, str] = {
    "create": "green",
    "change": "yellow",
    "disable": "yellow",
    "enable": "green",
    "resume": "yellow",
    "skip": "dim",
    "error": "bold red",
}
OUTCOME_STYLES: dict[str, str] = {
    "done": "bold green",
    "skipped": "dim",
    "failed": "bold red",
    "error": "red",
}
WHO_WIDTH = 26
# The table's fixed columns (their widths); the plan takes the rest of the screen.
FIXED_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("line", "Line", 4),
    ("action", "Action", 9),
    ("who", "Who", WHO_WIDTH),
)
OUTCOME_MIN_WIDTH = 24
# Each column's padding (one cell either side) and the vertical scrollbar.
TABLE_CHROME = 2 * (len(FIXED_COLUMNS) + 1) + 2


class ImportFileError(Exception):
    """The path given cannot be planned (said before anything is read or requested)."""


def checked_path(text: str) -> Path:
    """The file a path input names, ``~`` expanded; ImportFileError naming why not."""
    text = text.strip()
    if not text:
        raise ImportFileError("File: give the path of a CSV file")
    path = Path(text).expanduser()
    if not path.exists():
        raise ImportFileError(f"File: no such file: {path}")
    if path.is_dir():
        raise ImportFileError(f"File: {path} is a folder, not a file")
    if not os.access(path, os.R_OK):
        raise ImportFileError(f"File: {path} cannot be read (permissions)")
    return path.resolve()  # the files a run writes beside it are named in full


def shown_path(path: Path) -> str:
    """A path as the screen names it: under the home folder as "~/…", else in full."""
    try:
        return f"~/{path.relative_to(Path.home())}"
    except ValueError:
        return str(path)


def shown_lines(text: str) -> Text:
    """Lines of words that quote the file or the server: made safe, never markup."""
    return Text(safe_lines(text))


def plan_counts(plan: BulkPlan) -> str:
    """The plan's counts in words: "5 rows: 3 would create, 1 with errors"."""
    counts = plan.counts()
    parts = [f"{counts[status]} {words}" for status, words in PLAN_COUNT_WORDS if counts[status]]
    return f"{len(plan.rows)} rows: " + (", ".join(parts) or "none")


def sync_words(key: SyncKey | None) -> str:
    """What the sync toggle says (empty: not a sync)."""
    if key is None:
        return ""
    return (
        f"Sync by {SYNC_KEY_WORDS[key]}: the file is everyone who works here. Who is missing"
        " is offboarded, who is new hired (Ctrl+Y: the next key, or off)."
    )


def plan_notes(plan: BulkPlan) -> str:
    """A sync's notes and the reasons it was refused, a line each."""
    lines = [f"Refused: {reason}." for reason in plan.refused]
    lines += [f"Note: {note}" for note in getattr(plan, "notes", ())]
    return "\n".join(lines)


def who(row: RowPlan) -> str:
    """The person a row is about, as the plan resolved them, else as the file names them."""
    if row.person:
        return row.person
    cells = row.row
    name = f"{cells.get('first_name')} {cells.get('last_name')}".strip()
    pos = cells.get("pos_user_id")
    return f"{name} (POS {pos})" if name and pos else name or (f"POS {pos}" if pos else "")


def outcome_words(outcome: RowOutcome) -> str:
    """How a row ended, in the table's words: "done: hired", "failed: <why>"."""
    if outcome.outcome == "error":
        return outcome.error  # the plan's "error: column: reason", unchanged
    if outcome.outcome == "failed":
        return f"failed: {outcome.error}"
    if outcome.outcome == "skipped":
        return f"skipped: {outcome.detail}" if outcome.detail else "skipped"
    return f"done: {outcome.detail}" if outcome.detail else "done"


def clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def progress_words(progress: BulkProgress) -> str:
    """The run's progress under the bar: rows, the row in flight, time, counts."""
    parts = [f"{progress.done}/{progress.total} rows", f"{clock(progress.elapsed)} elapsed"]
    if progress.eta is not None:
        parts.append(f"ETA {clock(progress.eta)}")
    counts = f"{progress.applied} done · {progress.skipped} skipped · {progress.failed} failed"
    now = ""
    if progress.current is not None:
        now = f"\nNow: line {progress.current.line} {who(progress.current)}"
    return " · ".join(parts) + "\n" + counts + now


def run_words(run: BulkRun) -> str:
    """What the end of a run says: its counts and the files it wrote."""
    head = "Stopped" if run.stopped else "Done"
    text = (
        f"{head}: {run.count('done')} done, {run.count('skipped')} skipped,"
        f" {run.count('failed')} failed in {clock(run.elapsed)}."
    )
    failed = [str(o.row.line) for o in run.outcomes if o.outcome == "failed"]
    if failed:
        text += f" Failed: line {', '.join(failed[:12])}{', …' if len(failed) > 12 else ''}."
    text += f"\nResults: {shown_path(run.files.results)}"
    if run.credentials:
        text += (
            f"\nPINs and passwords of {run.credentials} new hire(s):"
            f" {shown_path(run.files.credentials)}"
            " (mode 0600: give them to each person, then delete the file)"
        )
    if run.stopped:
        text += (
            f"\n{len(run.not_reached)} row(s) not applied: Ctrl+R plans again, and applying"
            " again goes on (what is done is skipped)."
        )
    return text


def unusual_only(plan: BulkPlan, allowed: BulkPlan) -> tuple[RowPlan, ...]:
    """The rows of ``plan`` that are errors only for unusual pay: ``allowed`` (the same
    file planned with the allowance) plans them."""
    planned = {row.line: row.status for row in allowed.rows}
    return tuple(
        row
        for row in plan.rows
        if row.status == "error" and planned.get(row.line, "error") != "error"
    )


def unusual_rows_words(rows: tuple[RowPlan, ...]) -> list[str]:
    """Each row allowing would plan, as the question names it: line, who, column, value."""
    return [
        f"Line {row.line}, {who(row) or '?'}: {row.column} {row.row.get(row.column or '')}"
        for row in rows
    ]


def unusual_note(rows: tuple[RowPlan, ...], *, allowed: bool) -> str:
    """The line under the table about rows refused only for unusual pay."""
    lines = ", ".join(str(row.line) for row in rows[:12]) + (", …" if len(rows) > 12 else "")
    if allowed:
        return (
            f"Unusual pay allowed on line {lines}, for this plan only: Ctrl+R plans the file"
            " again without it."
        )
    return (
        f"{len(rows)} row(s) refused only for unusual pay (line {lines}). If the pay is"
        " right, Ctrl+L allows it for this plan (it asks first; nothing is written)."
    )


def confirm_text(plan: BulkPlan, tenant_name: str) -> Text:
    """The question before a run: how many rows, what they do, which are left alone."""
    counts: Counter[Status] = plan.counts()
    todo = plan.to_apply
    body = Text()
    body.append(f"Apply {len(todo)} row(s) to {terminal_safe(tenant_name)}?\n\n", style="bold")
    for status, words in PLAN_COUNT_WORDS:
        if counts[status] and status not in ("skip", "error"):
            body.append(f"  {counts[status]} {words}\n")
    if counts["skip"]:
        body.append(f"  {counts['skip']} already done: left alone\n")
    errors = [row.line for row in plan.rows if row.status == "error"]
    if errors:
        lines = ", ".join(str(line) for line in errors[:12]) + (", …" if len(errors) > 12 else "")
        body.append(
            f"\n{len(errors)} row(s) with errors are skipped, not written (line {lines}):"
            " fix them and plan again to apply them later.\n",
            style="bold yellow",
        )
    body.append(
        "\nEach row is written and verified in turn. Esc stops after the row in flight;"
        " applying the same file again goes on where it stopped."
    )
    return body


def _who_cell(row: RowPlan) -> Text:
    """The Who column's cell: one line, the name cut before the POS ID is."""
    cell = safe_text(fit_name(who(row), WHO_WIDTH))  # the name is cut, never the POS ID
    cell.no_wrap, cell.overflow = True, "ellipsis"
    return cell


def _outcome_cell(row: RowPlan, outcome: RowOutcome | None = None) -> Text:
    """The Outcome column's cell: the row's plan, or what applying it did."""
    if outcome is not None:
        cell = safe_text(outcome_words(outcome), OUTCOME_STYLES.get(outcome.outcome, ""))
    else:
        cell = safe_text(row.summary(), STATUS_STYLES.get(row.status, ""))
    # Cut short with a mark: the line under the table has the whole of it.
    cell.no_wrap, cell.overflow = True, "ellipsis"
    return cell


# --------------------------------------------------------------------------- the screen


class PathInput(SafeInput):
    """The file's path: Enter plans it (Input.Submitted), and the footer says so."""

    BINDINGS = [Binding("enter", "submit", "Plan")]


class BulkImportScreen(ReportsWorkerErrors, Screen[None]):
    """Ctrl+O on Home, or the palette's "Import from a spreadsheet (CSV)…"."""

    # What this screen's own workers post back to it.

    @dataclass
    class Planned(Message):
        """The file planned, ready to review."""

        plan: BulkPlan
        path: Path
        # The same read planned with the allowance, when that plans rows this one refuses.
        allowed: BulkPlan | None = None

    @dataclass
    class PlanFailed(Message):
        """The file could not be read or planned."""

        reason: str

    @dataclass
    class RecordsRead(Message):
        """How a sync's first read of the employee records goes."""

        done: int
        total: int

    @dataclass
    class Progressed(Message):
        """Where the run is (before and after each row)."""

        progress: BulkProgress

    @dataclass
    class RowLanded(Message):
        """One row's outcome, as it lands."""

        outcome: RowOutcome

    @dataclass
    class Applied(Message):
        """The run ended (done, stopped or failed part way)."""

        run: BulkRun

    BINDINGS = [
        # Enter in the path plans it (PathInput, Input.Submitted): not a priority binding
        # here, which would run before the path's last typed characters reach the Input.
        REPLAN,
        APPLY,
        Binding("ctrl+y", "toggle_sync", "Sync"),
        ALLOW_PAY,  # shown only while the plan has rows refused only for unusual pay
        Binding("escape", "close", "Close"),
        Binding("escape", "ask_stop", "Stop"),
        # In a terminal Ctrl+C is the habit for "stop": here it asks the same question.
        Binding("ctrl+c", "ask_stop", "Stop", show=False, priority=True),
    ]

    def __init__(self, tenant: Tenant, *, path: str = "") -> None:
        super().__init__()
        self.tenant = tenant
        self.initial_path = path
        self.state: State = "idle"
        self.plan: BulkPlan | None = None
        self.planned_path: Path | None = None
        # This plan's file planned with the allowance, and the rows only it plans.
        self.allowed_plan: BulkPlan | None = None
        self.unusual: tuple[RowPlan, ...] = ()
        self.pay_allowed = False  # the plan shown is the allowed one
        self.stop = threading.Event()
        # Each row's outcome as it lands (by line): the table and the detail show it.
        self.landed: dict[int, RowOutcome] = {}
        self.sync_key: SyncKey | None = None  # a sync by this key (None: a bulk file)
        self.closing = threading.Event()
        self.progress: BulkProgress | None = None  # the run's latest: its row in flight
        # Quit asked during a run (Ctrl+Q twice, the terminal closed): the app exits once
        # the row in flight is written and recorded, never before.
        self.quit_when_stopped = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Read-only: Enter plans a CSV file, every row checked against the tenant;"
            " nothing is written and the plan is not applied here."
            if self.tenant.read_only
            else "Hire, change, pay or offboard people from a CSV file: Enter plans it"
            " (nothing is written), Ctrl+S applies the plan after a confirmation.",
            id="import-intro",
        )
        with Horizontal(id="import-file-row"):
            yield Label("File", id="import-file-label")
            yield PathInput(
                self.initial_path, placeholder="~/people.csv", id="import-path", compact=True
            )
        yield Static("", id="import-sync")
        yield Static("", id="import-error")
        yield Static("", id="import-summary")
        yield ProgressBar(id="import-progress", show_eta=False)
        yield Static("", id="import-progress-text")
        yield DataTable(id="import-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="import-unusual")  # rows refused only for unusual pay
        yield Static("", id="import-detail")  # the highlighted row's plan, wrapped in full
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#import-progress").display = False
        self.query_one("#import-progress-text").display = False
        self.query_one("#import-error").display = False
        self.query_one("#import-sync").display = False
        self.query_one("#import-unusual").display = False
        self._columns(self.size.width or self.app.size.width)
        self.query_one("#import-path", Input).focus()

    def _columns(self, width: int) -> None:
        table = self.query_one("#import-table", DataTable)
        table.clear(columns=True)
        for key, title, size in FIXED_COLUMNS:
            table.add_column(title, key=key, width=size)
        fixed = sum(size for _key, _title, size in FIXED_COLUMNS)
        table.add_column(
            "Plan", key="outcome", width=max(OUTCOME_MIN_WIDTH, width - fixed - TABLE_CHROME)
        )

    def on_resize(self) -> None:
        self._columns(self.size.width)
        if self.plan is not None:
            self._fill(self.plan)

    # ------------------------------------------------------------------ keys per state

    @property
    def running(self) -> bool:
        """A run is under way: the screen must stay (its worker reports to it)."""
        return self.state in ("applying", "stopping")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        busy = self.state in ("planning", "applying", "stopping")
        if action in ("plan", "toggle_sync"):
            return not busy
        if action == "replan":
            return self.planned_path is not None and not busy
        if action == "apply":
            if self.tenant.read_only:
                return False  # read-only: a file is planned, never applied
            if self.state != "planned" or self.plan is None:
                return False
            return bool(self.plan.to_apply) or None  # shown, greyed: nothing to apply
        if action == "allow_unusual_pay":
            return (
                self.state == "planned"
                and self.allowed_plan is not None
                and not self.pay_allowed
                and not self.tenant.read_only
            )
        if action == "close":
            return not self.running
        if action == "ask_stop":
            return self.state == "applying"
        return True

    def _set_state(self, state: State) -> None:
        self.state = state
        self.refresh_bindings()

    # ------------------------------------------------------------------ plan

    def action_toggle_sync(self) -> None:
        """A plain bulk file, then a sync by each key in turn (a plan there is redone)."""
        if self.check_action("toggle_sync", ()) is not True:
            return
        self.sync_key = SYNC_MODES[(SYNC_MODES.index(self.sync_key) + 1) % len(SYNC_MODES)]
        line = self.query_one("#import-sync", Static)
        line.update(sync_words(self.sync_key))
        line.display = self.sync_key is not None
        if self.planned_path is not None:
            self.action_replan()
        elif self.query_one("#import-error").display:  # the file failed as the other kind
            self.action_plan()

    @on(Input.Submitted, "#import-path")
    def _submitted(self) -> None:
        self.action_plan()

    def action_plan(self) -> None:
        self._plan_path(self.query_one("#import-path", Input).value)

    def action_replan(self) -> None:
        if self.planned_path is not None:
            self._plan_path(str(self.planned_path))

    def _plan_path(self, text: str) -> None:
        if self.check_action("plan", ()) is not True:
            return
        try:
            path = checked_path(text)
        except ImportFileError as exc:
            self._show_error(str(exc))
            self.query_one("#import-path", Input).focus()
            return
        self._show_error("")
        self._set_state("planning")
        self.query_one("#import-summary", Static).update(
            safe_text(f"Planning {path.name}: reading the tenant's lists…")
        )
        self.query_one("#import-table", DataTable).loading = True
        self._plan_worker(path)

    @work(thread=True, exclusive=True, exit_on_error=False, name="bulk-plan", group="bulk")
    def _plan_worker(self, path: Path) -> None:
        from sonnys_tui import bulk

        if self.sync_key is not None:
            self._plan_sync(path, self.sync_key)
            return
        try:
            data = bulk.read(path)
        except (bulk.BulkFileError, OSError) as exc:
            self._unreadable(path, exc)
            return
        bulk.load(self.tenant, data)  # network: one fresh read of each list a plan needs
        journal = bulk.read_journal(bulk.RunFiles.beside(path).journal, self.tenant.name)
        planned = bulk.plan(self.tenant, data, journal=journal)
        allowed = self._allowed(
            planned, lambda: bulk.plan(self.tenant, data, journal=journal, allow_unusual_pay=True)
        )
        self.post_message(self.Planned(planned, path, allowed))

    def _allowed(self, plan: BulkPlan, replan: Callable[[], BulkPlan]) -> BulkPlan | None:
        """The plan worker's second plan of the same read, with the allowance (no
        request): kept when it plans rows ``plan`` refuses, to be asked about. Made only
        when a row is refused on a pay column: other errors cost no second plan."""
        from sonnys_tui.backoffice import fields  # loaded with bulk already

        if self.tenant.read_only or not any(
            row.status == "error" and row.column in fields.PAY_FIELDS for row in plan.rows
        ):
            return None
        allowed = replan()
        return allowed if unusual_only(plan, allowed) else None

    def _unreadable(self, path: Path, exc: Exception) -> None:
        """The file could not be read: say why (the system's reason for an OSError)."""
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        self.post_message(self.PlanFailed(f"{path.name}: {reason}"))

    def _plan_sync(self, path: Path, key: SyncKey) -> None:
        """The plan worker's sync: the file's columns as a sync reads them (those it
        does not know are ignored, and said), the records read when the key needs them."""
        from sonnys_tui import bulk
        from sonnys_tui.bulk import mapping, sync

        try:
            data = mapping.read_sync(path)
        except (bulk.BulkFileError, OSError) as exc:
            self._unreadable(path, exc)
            return
        options = sync.SyncOptions(key)
        journal_path = bulk.RunFiles.beside(path).journal

        def read(done: int, total: int) -> None:  # on this thread: handed to the UI
            self.post_message(self.RecordsRead(done, total))

        try:
            # Closing the screen stops a long first read of the records (kept, resumable).
            sync.load(self.tenant, data, options, progress=read, stop=self.closing)
            if self.closing.is_set():
                return  # the screen is gone: what was read is kept for the next plan
            journal = bulk.read_journal(journal_path, self.tenant.name)
            planned = sync.plan(self.tenant, data, options, journal=journal)
            allowed = self._allowed(
                planned,
                lambda: sync.plan(
                    self.tenant, data, options, journal=journal, allow_unusual_pay=True
                ),
            )
            self.post_message(self.Planned(planned, path, allowed))
        except sync.SyncError as exc:
            self.post_message(self.PlanFailed(f"{path.name}: {exc}"))

    def on_bulk_import_screen_records_read(self, message: BulkImportScreen.RecordsRead) -> None:
        self.query_one("#import-summary", Static).update(
            f"Reading employee records (once, then cached): {message.done}/{message.total}…"
        )

    def on_bulk_import_screen_planned(self, message: BulkImportScreen.Planned) -> None:
        # A new plan (Ctrl+R, a sync key, another file) starts without the allowance.
        self.planned_path, self.allowed_plan, self.pay_allowed = (
            message.path,
            message.allowed,
            False,
        )
        self.unusual = unusual_only(message.plan, message.allowed) if message.allowed else ()
        self._show_plan(message.plan)
        self.query_one("#import-progress").display = False
        self.query_one("#import-progress-text").display = False
        self._set_state("planned")
        table = self.query_one("#import-table", DataTable)
        if message.plan.rows:
            table.focus()

    def _show_plan(self, plan: BulkPlan) -> None:
        """The plan in the table, its counts above, and what is said of unusual pay."""
        self.plan, self.landed = plan, {}
        self._fill(plan)
        summary = plan_counts(plan)
        if self.tenant.read_only:
            summary += ". Read-only: nothing is applied."
        elif plan.has_errors:
            summary += ". Fix the file and Ctrl+R plans again; Ctrl+S applies the rest."
        elif not plan.to_apply:
            summary += ". Nothing to apply."
        notes = plan_notes(plan)
        self.query_one("#import-summary", Static).update(
            shown_lines(f"{summary}\n{notes}" if notes else summary)
        )
        note = self.query_one("#import-unusual", Static)
        note.update(unusual_note(self.unusual, allowed=self.pay_allowed) if self.unusual else "")
        note.display = bool(self.unusual)

    def action_allow_unusual_pay(self) -> None:
        """Ask, naming the rows refused only for unusual pay; yes shows the plan made
        with the allowance (``--allow-unusual-pay``). Nothing is written here."""
        plan, allowed = self.plan, self.allowed_plan
        if self.check_action("allow_unusual_pay", ()) is not True or allowed is None:
            return
        from sonnys_tui.tui.dialogs import unusual_pay

        def answered(yes: bool | None) -> None:
            # Still this plan, still not allowed (nothing re-planned or run meanwhile).
            still = self.plan is plan and self.allowed_plan is allowed
            if yes and still and self.check_action("allow_unusual_pay", ()) is True:
                self.pay_allowed = True
                self._show_plan(allowed)
                self.refresh_bindings()

        self.app.push_screen(
            unusual_pay.ask(
                f"Allow unusual pay on {len(self.unusual)} row(s) of this plan?",
                unusual_rows_words(self.unusual),
                yes="Yes, allow it",
                no="No",
                after=(
                    "Yes plans them as the file has them (as bulk plan --allow-unusual-pay"
                    " does), for this plan of this file only. Nothing is written: Ctrl+S"
                    " applies, after its own confirmation."
                ),
            ),
            answered,
        )

    def on_bulk_import_screen_plan_failed(self, message: BulkImportScreen.PlanFailed) -> None:
        self._plan_stopped(message.reason)

    def _plan_stopped(self, reason: str) -> None:
        self.query_one("#import-table", DataTable).loading = False
        self._show_error(reason)
        self.query_one("#import-summary", Static).update("")
        self._set_state("planned" if self.plan is not None else "idle")
        self.query_one("#import-path", Input).focus()

    def _show_error(self, reason: str) -> None:
        """Why the file was not planned, in place under it (no line at all when none)."""
        error = self.query_one("#import-error", Static)
        error.update(safe_text(reason))
        error.display = bool(reason)

    def _fill(self, plan: BulkPlan) -> None:
        table = self.query_one("#import-table", DataTable)
        table.loading = False
        table.clear()
        for row in plan.rows:
            outcome = self.landed.get(row.line)
            table.add_row(
                str(row.line),
                safe_text(row.action or row.row.get("action") or "?"),
                _who_cell(row),
                _outcome_cell(row, outcome),
                key=str(row.line),
            )
        self._show_detail(0)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail(event.cursor_row)

    def _show_detail(self, index: int) -> None:
        detail = self.query_one("#import-detail", Static)
        plan = self.plan
        if plan is None or not 0 <= index < len(plan.rows):
            detail.update("")
            return
        row = plan.rows[index]
        lines = [f"Line {row.line}: {row.summary()}"]
        outcome = self.landed.get(row.line)
        if outcome is not None:
            lines.append(f"Outcome: {outcome_words(outcome)}")
            lines += [f"Warning: {warning}" for warning in outcome.warnings]
        lines += [f"({note})" for note in row.notes]
        detail.update(shown_lines("\n".join(lines)))

    # ------------------------------------------------------------------ apply

    def action_apply(self) -> None:
        plan = self.plan
        if plan is None or self.check_action("apply", ()) is not True:
            return
        from sonnys_tui.tui.dialogs.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes and self.plan is plan and self.state == "planned":
                self._start_apply(plan)

        self.app.push_screen(
            ConfirmScreen(
                confirm_text(plan, self.tenant.name),
                yes=f"Yes, apply {len(plan.to_apply)}",
                yes_variant="warning",
                id="import-confirm",
            ),
            answered,
        )

    def _start_apply(self, plan: BulkPlan) -> None:
        assert self.planned_path is not None
        self.stop = threading.Event()
        self._set_state("applying")
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=len(plan.to_apply), progress=0)
        bar.display = True
        text = self.query_one("#import-progress-text", Static)
        text.display = True
        text.update("Starting…")
        self.query_one("#import-summary", Static).update(
            safe_text(f"Applying {len(plan.to_apply)} row(s) of {self.planned_path.name}…")
        )
        self._apply_worker(plan, self.planned_path, self.stop)

    @work(thread=True, exclusive=True, exit_on_error=False, name="bulk-apply", group="bulk")
    def _apply_worker(self, plan: BulkPlan, path: Path, stop: threading.Event) -> None:
        from sonnys_tui import bulk

        # Called on this thread: handed to the UI as messages, never waited for here.
        def progressed(progress: BulkProgress) -> None:
            self.post_message(self.Progressed(progress))

        def landed(outcome: RowOutcome) -> None:
            self.post_message(self.RowLanded(outcome))

        files = bulk.RunFiles.beside(path)
        run = bulk.run_plan(
            self.tenant, plan, files, progress=progressed, on_outcome=landed, stop=stop
        )
        self.post_message(self.Applied(run))

    def on_bulk_import_screen_progressed(self, message: BulkImportScreen.Progressed) -> None:
        progress = message.progress
        self.progress = progress
        self.query_one("#import-progress", ProgressBar).update(
            total=max(progress.total, 1), progress=progress.done
        )
        words = progress_words(progress)
        if self.state == "stopping":
            words += "\n" + self._stopping_words()
        self.query_one("#import-progress-text", Static).update(shown_lines(words))
        current = progress.current
        if current is not None and self.plan is not None:
            table = self.query_one("#import-table", DataTable)
            key = str(current.line)
            table.update_cell(key, "outcome", safe_text("applying…", "bold"))
            table.move_cursor(row=table.get_row_index(key))  # the row in flight, in view

    def on_bulk_import_screen_row_landed(self, message: BulkImportScreen.RowLanded) -> None:
        outcome = message.outcome
        self.landed[outcome.row.line] = outcome
        table = self.query_one("#import-table", DataTable)
        table.update_cell(str(outcome.row.line), "outcome", _outcome_cell(outcome.row, outcome))

    def on_bulk_import_screen_applied(self, message: BulkImportScreen.Applied) -> None:
        run = message.run
        if self.quit_when_stopped:
            self.app.exit()  # the row in flight is written and recorded: nothing runs on
            return
        self._dismiss_stop_question()
        self._set_state("applied")
        self.query_one("#import-progress-text", Static).display = False
        self.query_one("#import-summary", Static).update(shown_lines(run_words(run)))
        self._show_detail(self.query_one("#import-table", DataTable).cursor_row)

    def action_ask_stop(self) -> None:
        if self.state != "applying":
            return
        from sonnys_tui.tui.dialogs.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes and self.state == "applying":
                self.stop.set()
                self._set_state("stopping")
                self.query_one("#import-progress-text", Static).update(
                    shown_lines(self._stopping_words())
                )

        body = Text()
        body.append("Stop the run after the row in flight?\n\n", style="bold")
        body.append(
            "The row being written finishes (never half-made); the rest is not applied."
            " What is done stays done: applying the same file again goes on from there."
        )
        self.app.push_screen(
            ConfirmScreen(body, yes="Yes, stop", no="Keep going", id="import-stop"), answered
        )

    def quit_after_row(self, why: str) -> None:
        """Quit once the row in flight is written and recorded (journal and results);
        said on screen while it waits. ``why``: "Quitting", "The terminal was closed"."""
        self.quit_when_stopped = why
        self._dismiss_stop_question()
        self.stop.set()
        self._set_state("stopping")
        self.query_one("#import-progress-text", Static).update(shown_lines(self._stopping_words()))

    def _stopping_words(self) -> str:
        """What the screen says while the row in flight finishes: which row, and what
        comes after it (the app quits, or the run stops here)."""
        progress = self.progress
        current = progress.current if progress is not None else None
        if progress is not None and current is not None:
            row = (
                f"row {progress.done + 1} of {progress.total} (line {current.line}, {who(current)})"
            )
        else:
            row = "the row in flight"
        if self.quit_when_stopped:
            return (
                f"{self.quit_when_stopped}: stopping after {row}… it is written and recorded"
                " first, then the app quits. Applying the same file again goes on from there."
            )
        return f"Stopping after {row}…"

    def on_unmount(self) -> None:
        # However the screen goes (the app exiting for any reason), a run stops after
        # its row in flight: the worker thread would otherwise go on writing unseen.
        self.stop.set()

    def _dismiss_stop_question(self) -> None:
        """The run ended while the stop question was open: there is nothing to stop."""
        top = self.app.screen
        if top.id == "import-stop" and isinstance(top, Screen):
            top.dismiss(False)

    def action_close(self) -> None:
        if not self.running:
            self.closing.set()
            self.dismiss(None)

    def worker_failed(self, name: str, error: BaseException) -> bool:
        from sonnys_tui.tui.errors import describe_error

        if name == "bulk-plan":
            self._plan_stopped(f"Could not plan: {describe_error(error)}")
            return True
        if name == "bulk-apply":
            if self.quit_when_stopped:
                self.app.exit()
                return True
            # Not a row's failure (those are in the table): the run itself broke off.
            self._dismiss_stop_question()
            self._set_state("applied")
            self.query_one("#import-summary", Static).update(
                safe_text(
                    f"The run broke off: {describe_error(error)}. What landed is in the table;"
                    " Ctrl+R plans again (the journal skips what is done)."
                )
            )
            return True
        return False
