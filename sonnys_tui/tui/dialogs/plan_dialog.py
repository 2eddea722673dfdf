"""What Add wage and Change template share: a small form, then a plan made in a worker
(no write), a review of it (old → new), and the apply through the tenant layer (audited,
verified by the client's read-back), the dialog dismissed with the result.

Nothing is retried behind the user's back: a failed apply goes back to the form with
what was typed, and a conflict (the record moved since the plan) offers a re-plan, which
is reviewed again before anything is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Select, Static

from sonnys_tui.backoffice.errors import BackofficeError, ConflictError
from sonnys_tui.backoffice.models import (
    EmployeeChangePlan,
    EmployeeRecord,
    FieldChange,
    FieldValue,
)
from sonnys_tui.display import safe_text
from sonnys_tui.tenant import Tenant
from sonnys_tui.tui.errors import describe_unwritten, error_title, in_words
from sonnys_tui.tui.keys import APPLY, BACK, CANCEL, REPLAN, REVIEW
from sonnys_tui.tui.widgets.footer import Footer
from sonnys_tui.tui.widgets.form_field import FormField
from sonnys_tui.tui.workers import ReportsWorkerErrors

Stage = Literal["form", "planning", "review", "applying", "conflict"]
Plan = EmployeeChangePlan[Any]


def shown(value: FieldValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return "(none)" if value in ("", None) else str(value)


def change_line(change: FieldChange, labels: Mapping[str, str]) -> Text:
    """One review line, "Rate  19.50 → 20.00", the values shown safe (a template's
    name is the server's text)."""
    line = Text(f"{labels.get(change.field, change.field):<18}", style="bold")
    line.append_text(safe_text(shown(change.old)))
    line.append(" → ")
    line.append_text(safe_text(shown(change.new)))
    return line


class PlanDialog(ReportsWorkerErrors, ModalScreen[object]):
    """Subclasses compose the form (:meth:`compose_form`), check it (:meth:`collect`, on
    the UI thread, no request) and make the plan (:meth:`make_plan`, in a worker)."""

    @dataclass
    class PlanReady(Message):
        """The plan made in the worker, to review."""

        plan: Plan

    @dataclass
    class ApplyStep(Message):
        """The step the apply starts now (the client says it before each request)."""

        step: str

    @dataclass
    class RecordRead(Message):
        """The record read again whole, after a conflict."""

        record: EmployeeRecord

    @dataclass
    class ChangeApplied(Message):
        """The change written and verified: the dialog closes with it."""

        result: object

    BINDINGS = [
        # Not priority: a priority key is handled before the keys typed ahead of it
        # reach the Input (a fast typist's last characters would be missed). One of each
        # pair applies in each stage (check_action), so the footer names what it does now.
        REVIEW,
        APPLY,
        REPLAN,
        BACK,
        CANCEL,
    ]
    HEADING = ""
    LABELS: Mapping[str, str] = {}
    DIALOG_ID = ""
    FIRST = ""  # the control focused when the form opens or comes back

    def __init__(self, tenant: Tenant, record: EmployeeRecord) -> None:
        super().__init__()
        self.tenant = tenant
        self.record = record  # read with its wages and POS access: the plan's base
        self.stage: Stage = "form"
        self.plan: Plan | None = None
        # True once the server may hold other than what the dialog opened on: an apply
        # done or of unknown outcome, or a conflict (someone else changed it). The
        # caller then reads the record again.
        self.server_changed = False
        self.steps = Text()  # the apply's progress, one line per step
        self._problem_said = False  # "Not planned: …" shown: typing clears it
        self._cancel_armed = False  # Esc once with something typed: the next one discards
        self._opened_with: tuple[object, ...] = ()  # the form's values as it opened

    # ------------------------------------------------------------------ for subclasses

    def compose_form(self) -> ComposeResult:
        raise NotImplementedError

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The plan's arguments and the problems found, by field (label words)."""
        raise NotImplementedError

    def make_plan(self, arguments: dict[str, Any]) -> Plan:
        """Called in a worker thread."""
        raise NotImplementedError

    def empty_text(self) -> str:
        return "Nothing to change."

    def concerns(self, arguments: dict[str, Any]) -> list[str]:
        """What to confirm before planning (unusual pay), in sentences; none: plan."""
        return []

    def confirm_concerns(self, said: list[str], arguments: dict[str, Any]) -> None:
        """Ask about ``said``; plan on yes, back to the form on no."""
        raise NotImplementedError

    def record_changed(self) -> None:
        """:attr:`record` was read again (after a conflict): redraw what the form says
        about it (the latest wage, the current template)."""

    def done_text(self, result: object) -> str:
        """The confirmation toast once the change is applied and read back."""
        return "Saved and read back."

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Vertical(id=self.DIALOG_ID, classes="dialog plan-dialog"):
            heading = Text(self.HEADING, style="bold")
            heading.append_text(safe_text(f" · {self.record.full_name}"))
            yield Static(heading)
            with Vertical(classes="plan-form"):
                yield from self.compose_form()
            yield Static("", classes="plan-review", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Review", variant="primary", id="review", compact=True)
                yield Button("Apply", variant="success", id="apply", compact=True)
                yield Button("Re-plan", variant="warning", id="replan", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self._say("")
        self._set_stage("form")
        self._opened_with = self._form_values()

    def _form_values(self) -> tuple[object, ...]:
        """What the form holds now: compared with how it opened, it tells typing."""
        form = self.query_one(".plan-form")
        return tuple(getattr(w, "value", None) for w in form.query("Input, Select"))

    @on(Input.Changed)
    @on(Select.Changed)
    def _form_edited(self) -> None:
        # A problem said for what was typed before is stale once the field changes:
        # the field's own message says what is wrong now.
        self._cancel_armed = False
        if self.stage == "form" and self._problem_said:
            self._problem_said = False
            self._say("")

    def _set_stage(self, stage: Stage) -> None:
        self.stage = stage
        editing = stage == "form"
        # The whole form at once: a field disabled of its own (overtime, when the
        # employee is not eligible) stays so when the form is enabled again.
        self.query_one(".plan-form").disabled = not editing
        buttons = {"review": editing, "apply": stage == "review", "replan": stage == "conflict"}
        for name, visible in buttons.items():
            self.query_one(f"#{name}", Button).display = visible
        if buttons.get(stage):
            self.query_one(f"#{stage}", Button).focus()
        elif editing and self.FIRST:
            self.query_one(self.FIRST).focus()
        self.refresh_bindings()

    def _say_after_steps(self, text: str) -> None:
        """The apply's outcome under the steps it got to: which one failed shows."""
        said = self.steps.copy()
        said.append("\n")
        said.append_text(safe_text(text))
        self._say(said)

    def _say(self, text: Text | str) -> None:
        review = self.query_one(".plan-review", Static)
        review.update(text if isinstance(text, Text) else safe_text(text))
        review.display = bool(str(text))

    # ------------------------------------------------------------------ keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "review":
            return self.stage == "form"
        if action == "apply":
            return self.stage == "review"
        if action == "replan":
            return self.stage == "conflict"
        if action == "back":
            return self.stage in ("review", "conflict")
        if action == "cancel":
            return self.stage in ("form", "planning", "applying") or None
        return True

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        action = event.button.id or ""
        if action in ("review", "apply", "replan", "cancel"):
            getattr(self, f"action_{action}")()

    def action_review(self) -> None:
        if self.stage != "form":
            return
        arguments, problems = self.collect()
        for field in self.query(FormField):
            name = (field.id or "").removeprefix("field-")
            field.set_message(problems.get(name, ""))
        if problems:
            first = next(iter(problems))
            self._say(f"Not planned: {problems[first]}")
            self._problem_said = True
            self.query_one(f"#{first}").focus()
            return
        if said := self.concerns(arguments):
            self.confirm_concerns(said, arguments)
            return
        self.plan_now(arguments)

    def plan_now(self, arguments: dict[str, Any]) -> None:
        self._say("Planning (no change is written yet)…")
        self._set_stage("planning")
        self._plan(arguments)

    def action_apply(self) -> None:
        if self.stage != "review" or self.plan is None:
            return
        self.steps = Text(f"Applying ({len(self.plan.requests)} requests)…", style="bold")
        self._say(self.steps)
        self._set_stage("applying")
        self._apply(self.plan)

    def action_replan(self) -> None:
        if self.stage != "conflict" or self.plan is None:
            return
        self._say("Planning again on the record as it is now…")
        self._set_stage("planning")
        self._replan(self.plan)

    def action_back(self) -> None:
        if self.stage in ("review", "conflict"):
            self.plan = None
            self._say("")
            self._set_stage("form")

    def action_cancel(self) -> None:
        if self.stage == "applying":
            self.notify("Still applying: wait for the read-back.", timeout=3)
            return
        if (
            self.stage == "form"
            and not self._cancel_armed
            and self._form_values() != self._opened_with
        ):
            # One stray Esc must not throw away what was typed (as Edit asks).
            self._cancel_armed = True
            self.notify("Press Esc again to discard what you typed.", severity="warning")
            return
        self.dismiss(None)

    # ------------------------------------------------------------------ workers

    @work(thread=True, exclusive=True, exit_on_error=False, name="plan", group="plan-change")
    def _plan(self, arguments: dict[str, Any]) -> None:
        self.post_message(self.PlanReady(self.make_plan(arguments)))

    @work(thread=True, exclusive=True, exit_on_error=False, name="replan", group="plan-change")
    def _replan(self, plan: Plan) -> None:
        # The whole record, not only the page the plan rests on (2 requests more): the
        # form's hints follow what moved, and a later Review plans on it.
        fresh = self.tenant.read_employee(plan.employee_id)
        self.post_message(self.RecordRead(fresh))
        self.post_message(self.PlanReady(self.tenant.replan(plan, current=fresh)))

    def on_plan_dialog_record_read(self, message: PlanDialog.RecordRead) -> None:
        self.record = message.record
        self.record_changed()

    @work(thread=True, exclusive=True, exit_on_error=False, name="apply", group="plan-change")
    def _apply(self, plan: Plan) -> None:
        def progress(step: str) -> None:
            self.post_message(self.ApplyStep(step))

        self.post_message(self.ChangeApplied(self.tenant.write_change(plan, progress=progress)))

    def on_plan_dialog_apply_step(self, message: PlanDialog.ApplyStep) -> None:
        # A step may name a template: the server's text, shown safe.
        self.steps.append("\n… ")
        self.steps.append_text(safe_text(message.step))
        self._say(self.steps)

    def on_plan_dialog_plan_ready(self, message: PlanDialog.PlanReady) -> None:
        plan = message.plan
        if plan.is_empty:
            self.plan = None
            self._say(self.empty_text())
            self._set_stage("form")
            return
        self.plan = plan
        review = Text("Review: nothing is written until you apply\n", style="bold")
        for change in plan.changes:
            review.append_text(change_line(change, self.LABELS))
            review.append("\n")
        for warning in plan.warnings:
            review.append_text(safe_text(f"warning: {warning}"))
            review.append("\n")
        review.append(f"{len(plan.requests)} requests, the last one verifies.", style="dim")
        self._say(review)
        self._set_stage("review")

    def on_plan_dialog_change_applied(self, message: PlanDialog.ChangeApplied) -> None:
        self.server_changed = True
        self.notify(self.done_text(message.result), markup=False)
        self.dismiss(message.result)

    def worker_failed(self, name: str, error: BaseException) -> bool:
        if name not in ("plan", "replan", "apply"):
            return False
        # "Nothing was written" is said once, in the outcome line, never again in the
        # error's own words (nor in the toast).
        text = in_words(describe_unwritten(error), self.LABELS)
        if name == "apply" and isinstance(error, ConflictError):
            self.server_changed = True  # someone else's change: the pane shows it after
            moved = ", ".join(self.LABELS.get(f, f) for f in error.fields) or "the record"
            self._say_after_steps(
                f"Not applied: {moved} changed since the plan was made (in the web UI or "
                "another terminal). Nothing was written. Re-plan to review the change on "
                "the record as it is now."
            )
            self._set_stage("conflict")
            return True
        if name != "apply":
            self._say(f"Not planned: {text}")
            self._problem_said = True
        elif isinstance(error, BackofficeError) and error.wrote_nothing:
            self._say_after_steps(f"Not applied, nothing was written: {text}")
        else:
            # The outcome may be unknown (the error says what is known): never retried
            # here. Applying again re-reads first and refuses (a conflict, then a
            # re-plan on what the server holds) if this one did land.
            self.server_changed = True
            self._say_after_steps(f"The apply failed: {text}")
        field = error.field if isinstance(error, BackofficeError) else None
        self._set_stage("form")  # what was typed is kept
        if field and self.query(f"#field-{field}"):
            self.query_one(f"#field-{field}", FormField).set_message(
                in_words(error.message if isinstance(error, BackofficeError) else text, self.LABELS)
            )
            self.query_one(f"#{field}").focus()
        self.notify(text, title=error_title(error), severity="error", markup=False)
        return True
