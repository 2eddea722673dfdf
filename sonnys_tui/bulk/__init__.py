"""Bulk runs from a spreadsheet: read a CSV, plan every row against the tenant with one
roster read, apply row by row through the tenant's verified writes, journal each
outcome so a rerun resumes without doing anything twice. Headless: the shell and the
app's Import screen both drive it.

Driving it from a UI (the shell's ``bulk`` commands do exactly this)::

    from sonnys_tui import bulk

    source = Path("hires.csv")
    data = bulk.read(source)                      # BulkFileError: the file as a whole
    files = bulk.RunFiles.beside(source)          # results, journal, credentials
    bulk.load(tenant, data)                       # network: the lists a plan needs, once
    journal = bulk.read_journal(files.journal, tenant.name)
    plan = bulk.plan(tenant, data, journal=journal)
    for row in plan.rows:                         # RowPlan: line, status, person,
        row.summary()                             #   changes, reason, column, notes
    stop = threading.Event()                      # set it to stop after the current row
    run = bulk.run_plan(tenant, plan, files, progress=on_progress, on_outcome=on_row,
                        stop=stop, stop_on_error=False)

* ``load`` and ``run_plan`` block and do network I/O: run them in a thread worker
  (``@work(thread=True, name="bulk-apply", exclusive=True)``), never on the UI thread.
  ``plan`` reads only the tenant's lists (no request): 1,000 rows in well under a
  second, yet still best off the UI thread for big files.
* ``progress(BulkProgress)`` is called on the worker's thread before and after each
  row (done/total, current row, elapsed, ETA, applied/skipped/failed) and
  ``on_outcome(RowOutcome)`` as each row lands: hand them to the UI thread
  (``app.call_from_thread``) and do nothing slow in them.
* ``stop`` is checked between rows: the row in flight always finishes, so a stop
  never leaves a half-made hire. A killed run is safe too: the journal (fsync'd per
  event) lets the next plan mark the interrupted row ``resume``, and the run checks
  it against the server before writing.
* A sync (:mod:`sonnys_tui.bulk.sync`: an HR export is the desired state) reads
  the file with :func:`sonnys_tui.bulk.mapping.read_sync` (mapped headers, unknown
  columns ignored and named), ``sync.load`` (the lists, and the records' e-mails or
  ADP ids when the key needs them, with ``progress(done, total)``) and ``sync.plan``,
  whose :class:`~sonnys_tui.bulk.sync.SyncPlan` is a ``BulkPlan``: run it as above.
  A plan the guards refused (``plan.refused``) has nothing to apply.
* Statuses: ``create`` / ``change`` / ``disable`` / ``enable`` / ``resume`` are applied,
  ``skip`` (already done) and ``error`` (reason + column) are not. The run writes every
  row's outcome to ``files.results``; new hires' PINs and passwords go only to
  ``files.credentials`` (0600) — never to a RowOutcome, the journal or the results.
"""

from sonnys_tui.bulk.columns import ACTIONS, COLUMNS, EXPORT_COLUMNS, Action, template
from sonnys_tui.bulk.journal import JournalState
from sonnys_tui.bulk.journal import read as read_journal
from sonnys_tui.bulk.plan import BulkPlan, Change, RowPlan, Status, load, plan
from sonnys_tui.bulk.reader import BulkFile, BulkFileError, InputRow, parse, read
from sonnys_tui.bulk.results import RunFiles
from sonnys_tui.bulk.run import BulkProgress, BulkRun, RowOutcome, run_plan

__all__ = [
    "ACTIONS",
    "COLUMNS",
    "EXPORT_COLUMNS",
    "Action",
    "BulkFile",
    "BulkFileError",
    "BulkPlan",
    "BulkProgress",
    "BulkRun",
    "Change",
    "InputRow",
    "JournalState",
    "RowOutcome",
    "RowPlan",
    "RunFiles",
    "Status",
    "load",
    "parse",
    "plan",
    "read",
    "read_journal",
    "run_plan",
    "template",
]
