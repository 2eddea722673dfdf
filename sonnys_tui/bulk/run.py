"""Running a bulk plan (:func:`run_plan`): row by row through the tenant's verified
writes, each one journalled before and after, its outcome written to the results as
it lands.

A failed row is recorded and the run goes on (``stop_on_error`` stops it); ``stop``
(a ``threading.Event``: Ctrl+C in the shell, a Stop key in the app) is checked
between rows, so the row in flight always finishes. A row the journal says was
started and never finished (a killed run) is first checked against the server:
a hire whose employee now exists with the row's names is completed (its POS
permissions saved when missing, its PIN read back into the credentials file, its Back
Office login made or finished), never hired twice; a wage the history already shows
is done.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from sonnys_tui.backoffice.errors import BackofficeError, NotFoundError
from sonnys_tui.bulk import journal as journals
from sonnys_tui.bulk.plan import BulkPlan, RowPlan, WageIntent
from sonnys_tui.bulk.results import CredentialsWriter, ResultsWriter, RunFiles
from sonnys_tui.lookup import fold

if TYPE_CHECKING:
    from sonnys_tui.backoffice.models import EmployeeRecord, Secret
    from sonnys_tui.tenant import Tenant

Outcome = Literal["done", "skipped", "failed", "error"]


@dataclass(frozen=True, slots=True)
class BulkProgress:
    """Where a run is: ``done`` of ``total`` rows to apply, the row being applied
    (None between rows and at the end), seconds since the start and the estimate of
    those left (None before the first row is done), and the counts so far (skipped
    includes the rows the plan had found done)."""

    done: int
    total: int
    current: RowPlan | None
    elapsed: float
    eta: float | None
    applied: int
    skipped: int
    failed: int


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """How one row ended: ``done`` (written, or an interrupted row completed),
    ``skipped`` (nothing to do), ``failed`` (the error says what was and was not
    written), ``error`` (the plan refused the row: not applied)."""

    row: RowPlan
    outcome: Outcome
    employee_id: int | None = None
    detail: str = ""
    warnings: tuple[str, ...] = ()
    error: str = ""


@dataclass(frozen=True, slots=True)
class BulkRun:
    outcomes: tuple[RowOutcome, ...]
    files: RunFiles
    stopped: bool = False  # the stop flag, or stop_on_error, ended it early
    credentials: int = 0  # how many new hires' PINs the credentials file received
    elapsed: float = 0.0
    not_reached: tuple[RowPlan, ...] = field(default=())

    def count(self, outcome: Outcome) -> int:
        return sum(1 for o in self.outcomes if o.outcome == outcome)


ProgressCallback = Callable[[BulkProgress], None]
OutcomeCallback = Callable[[RowOutcome], None]


def run_plan(
    tenant: Tenant,
    plan: BulkPlan,
    files: RunFiles,
    *,
    progress: ProgressCallback | None = None,
    on_outcome: OutcomeCallback | None = None,
    stop: threading.Event | None = None,
    stop_on_error: bool = False,
    clock: Callable[[], float] = time.monotonic,
) -> BulkRun:
    """Write every row of ``plan`` that has something to do, in file order.

    Blocking and doing network I/O: call it from a worker thread in an app.
    ``progress`` and ``on_outcome`` are called on that thread (before each row and
    after it; with each finished row). Rows the plan skipped or refused are written
    to the results as such and not touched.
    """
    if plan.refused:
        raise ValueError("this plan was refused: " + "; ".join(plan.refused))
    stop = stop or threading.Event()
    started = clock()
    todo = plan.to_apply
    outcomes: list[RowOutcome] = []
    counts = {"applied": 0, "skipped": 0, "failed": 0}
    credentials = CredentialsWriter(files.credentials)
    results = ResultsWriter(files.results, plan.columns)
    stopped = False
    done = 0
    landed: set[int] = set()

    def tell(current: RowPlan | None) -> None:
        if progress is None:
            return
        elapsed = clock() - started
        eta = elapsed / done * (len(todo) - done) if done else None
        progress(BulkProgress(done, len(todo), current, elapsed, eta, **counts))

    def land(outcome: RowOutcome) -> None:
        outcomes.append(outcome)
        results.write(
            outcome.row.row.values,
            line=outcome.row.line,
            outcome=outcome.outcome
            if not outcome.detail
            else f"{outcome.outcome}: {outcome.detail}",
            employee_id=outcome.employee_id,
            warnings=outcome.warnings,
            error=outcome.error,
        )
        if outcome.outcome == "done":
            counts["applied"] += 1
        elif outcome.outcome == "skipped":
            counts["skipped"] += 1
        elif outcome.outcome == "failed":
            counts["failed"] += 1
        if on_outcome is not None:
            on_outcome(outcome)

    with journals.Journal(files.journal, tenant.name) as journal:
        state = journals.read(files.journal, tenant.name)
        try:
            tell(None)
            for row in plan.rows:  # in file order, so the results follow the file
                if row.status == "skip":
                    employee_id = row.employee.employee_id if row.employee else None
                    land(RowOutcome(row, "skipped", employee_id, detail=row.reason))
                    continue
                if row.status == "error":
                    land(RowOutcome(row, "error", error=row.summary()))
                    continue
                if stop.is_set():
                    stopped = True
                    break
                tell(row)
                runner = _RowRunner(tenant, journal, credentials, row, state.get(row.key))
                outcome = runner.run()
                done += 1
                land(outcome)
                tell(None)
                if outcome.outcome == "failed" and stop_on_error:
                    stopped = done < len(todo)
                    break
            # The results list every row of the file: those a stop left untouched too.
            landed = {o.row.line for o in outcomes}
            for row in plan.rows:
                if row.line not in landed:
                    results.write(row.row.values, line=row.line, outcome="not applied: stopped")
        finally:
            results.close()
    return BulkRun(
        tuple(outcomes),
        files,
        stopped=stopped,
        credentials=credentials.written,
        elapsed=clock() - started,
        not_reached=tuple(row for row in todo if row.line not in landed),
    )


@dataclass
class _RowRunner:
    tenant: Tenant
    journal: journals.Journal
    credentials: CredentialsWriter
    row: RowPlan
    earlier: journals.JournalEntry | None

    def run(self) -> RowOutcome:
        row = self.row
        try:
            if row.action == "hire":
                return self._hire()
            if row.action == "update":
                return self._update()
            if row.action == "wage":
                return self._wage()
            return self._status()
        except BackofficeError as exc:
            self.journal.record(row.key, "failed", line=row.line, error=str(exc))
            employee_id = row.employee.employee_id if row.employee else None
            return RowOutcome(row, "failed", employee_id, error=str(exc))

    def _start(self, effective_date: str | None = None) -> None:
        self.journal.record(
            self.row.key, "started", line=self.row.line, effective_date=effective_date
        )

    def _finish(
        self,
        outcome: Literal["done", "skipped"],
        employee_id: int | None,
        detail: str = "",
        warnings: tuple[str, ...] = (),
    ) -> RowOutcome:
        event: journals.Event = "done" if outcome == "done" else "skipped"
        self.journal.record(self.row.key, event, line=self.row.line, employee_id=employee_id)
        return RowOutcome(self.row, outcome, employee_id, detail=detail, warnings=warnings)

    # ------------------------------------------------------------ hire

    def _hire(self) -> RowOutcome:
        request = self.row.hire
        assert request is not None
        if self.row.status == "resume":
            record = self._existing(request["pos_user_id"])
            if record is not None:
                return self._complete_hire(record)
        self._start()
        created = self.tenant.hire(request)
        self.credentials.hired(created)
        return self._finish("done", created.employee_id, "hired", created.warnings)

    def _existing(self, pos_user_id: int) -> EmployeeRecord | None:
        try:
            return self.tenant.read_employee(pos_user_id=pos_user_id, wages=False)
        except NotFoundError:
            return None

    def _complete_hire(self, record: EmployeeRecord) -> RowOutcome:
        """An interrupted hire found on the server: same person, so finish it."""
        request = self.row.hire
        assert request is not None
        if (fold(record.first_name), fold(record.last_name)) != (
            fold(request["first_name"]),
            fold(request["last_name"]),
        ):
            raise BackofficeError(
                f"POS User ID {record.pos_user_id} now belongs to {record.full_name}:"
                " nothing written"
            )
        self._start()
        warnings: list[str] = []
        access = record.pos_access
        if access is None or access.access == "None":
            plan = self.tenant.plan_set_pos_permissions(
                employee_id=record.employee_id, template=request["permission"]
            )
            if not plan.is_empty:
                self.tenant.write_change(plan)
                warnings.append("the interrupted hire's POS permissions were saved now")
        username, password = "", None
        if request.get("requires_backoffice"):
            username, password = self._complete_login(record, warnings)
        self.credentials.write(
            pos_user_id=record.pos_user_id,
            employee_id=record.employee_id,
            first_name=record.first_name,
            last_name=record.last_name,
            pin=record.pos_pin,
            username=username if password is not None else "",
            password=password,
        )
        return self._finish(
            "done", record.employee_id, "completed an interrupted hire", tuple(warnings)
        )

    def _complete_login(
        self, record: EmployeeRecord, warnings: list[str]
    ) -> tuple[str, Secret | None]:
        """The interrupted hire's Back Office login: made when missing, its template and
        sites saved when not as asked, and a new password when none reached the
        credentials file (a login made just before the kill: its password is lost).
        A login of that name linked to anyone else is left alone: the row fails."""
        from sonnys_tui.backoffice.models import BackofficeUserRequest

        request = self.row.hire
        assert request is not None
        username = request.get("backoffice_username") or ""
        template = request.get("backoffice_permission") or "user"
        sites = request["available_sites"]
        try:
            user = self.tenant.read_backoffice_user(username=username)
        except NotFoundError:
            created = self.tenant.create_backoffice_user(
                BackofficeUserRequest(
                    username=username,
                    email=record.email,
                    permission=template,
                    link_to_employee_pos_user_id=record.pos_user_id,
                    available_sites=sites,
                )
            )
            warnings.append("the interrupted hire's Back Office login was made now")
            warnings.extend(created.warnings)
            return created.username, created.password
        if user.employee_id != record.employee_id:
            owner = f"employee {user.employee_id}" if user.employee_id else "no employee"
            raise BackofficeError(
                f"Back Office username {username} is linked to {owner}, not to employee"
                f" {record.employee_id}: nothing more written"
            )
        row = user.as_row()
        if not self.tenant.set_backoffice_permissions(row, template=template, sites=sites).already:
            warnings.append("the interrupted hire's Back Office template and sites were saved now")
        if self.credentials.has_password(user.username):
            return user.username, None
        reset = self.tenant.reset_backoffice_password(row)
        warnings.append(
            "the interrupted hire's Back Office password never reached the credentials file:"
            " a new one was set"
        )
        return user.username, reset.password

    # ------------------------------------------------------------ update

    def _update(self) -> RowOutcome:
        employee = self.row.employee
        assert employee is not None
        changed, warnings = self._write_update(started=False)
        if not changed:
            return self._finish("skipped", employee.employee_id, "nothing differs on the server")
        return self._finish("done", employee.employee_id, "changed", tuple(warnings))

    def _write_update(self, *, started: bool) -> tuple[bool, list[str]]:
        """The row's update, each part planned on the record as it is now: (whether
        anything was written, the warnings)."""
        intent, employee = self.row.update, self.row.employee
        assert intent is not None and employee is not None
        tenant = self.tenant
        changed = False
        warnings: list[str] = []
        if intent.has_fields:
            plan = tenant.plan_update_employee(employee_id=employee.employee_id, **intent.changes)
            if not plan.is_empty:
                if not started:
                    self._start()
                started = True
                warnings += self.tenant.write_change(plan).warnings
                changed = True
        if intent.template is not None:
            template_plan = tenant.plan_set_pos_permissions(
                employee_id=employee.employee_id, template=intent.template
            )
            if not template_plan.is_empty:
                if not started:
                    self._start()
                warnings += self.tenant.write_change(template_plan).warnings
                changed = True
        return changed, warnings

    # ------------------------------------------------------------ wage

    def _wage(self) -> RowOutcome:
        intent, employee = self.row.wage, self.row.employee
        assert intent is not None and employee is not None
        earlier = self.earlier.effective_date if self.earlier else None
        if (
            self.row.status == "resume"
            and earlier
            and self._wage_there(intent, date.fromisoformat(earlier))
        ):
            return self._finish("done", employee.employee_id, "the interrupted wage is there")
        plan = self.tenant.plan_add_wage(
            employee_id=employee.employee_id,
            rate=intent.rate,
            effective_date=intent.effective_date,
            overtime_rate=intent.overtime_rate,
        )
        fixed = dict(plan.arguments).get("effective_date")
        self._start(fixed.isoformat() if isinstance(fixed, date) else None)
        added = self.tenant.write_change(plan)
        return self._finish("done", employee.employee_id, "wage added", added.warnings)

    def _wage_there(self, intent: WageIntent, effective: date) -> bool:
        employee = self.row.employee
        assert employee is not None
        record = self.tenant.read_employee(employee.employee_id, pos_access=False)
        return any(
            wage.effective_date == effective and wage.rate == intent.rate
            for wage in record.wages or ()
        )

    # ------------------------------------------------------------ offboard, reinstate

    def _status(self) -> RowOutcome:
        employee = self.row.employee
        assert employee is not None
        self._start()
        if self.row.action == "offboard":
            off = self.tenant.offboard(employee, backoffice=self.row.backoffice)
            if off.already:
                return self._finish("skipped", employee.employee_id, "already inactive")
            logins = sum(1 for user in off.backoffice_users if not user.already)
            extra = f" and {logins} Back Office login(s)" if logins else ""
            return self._finish("done", employee.employee_id, "disabled" + extra)
        back = self.tenant.reinstate(employee, backoffice=self.row.backoffice)
        # A sync's reinstate may carry the changes its file gives the person too.
        changed, warnings = (
            self._write_update(started=True) if self.row.update is not None else (False, [])
        )
        if back.already and not changed:
            return self._finish("skipped", employee.employee_id, "already active")
        detail = ("enabled" if not back.already else "already active") + (
            " and changed" if changed else ""
        )
        return self._finish("done", employee.employee_id, detail, tuple(warnings))
