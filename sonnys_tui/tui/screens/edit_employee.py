"""Edit employee: the New employee form's fields filled from the record, saved as a
reviewed plan (only the fields that differ from what was read), applied through the
tenant layer. On any error the form keeps what was typed; on a conflict (the record
moved since it was read) Ctrl+R plans again on the record as it is now."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Header, Input, SelectionList, Static

from sonnys_tui.backoffice import fields, validation
from sonnys_tui.backoffice.errors import ConflictError
from sonnys_tui.backoffice.models import (
    EmployeeChangePlan,
    EmployeeRecord,
    EmployeeRow,
    EmployeeUpdated,
)
from sonnys_tui.display import safe_lines, safe_text
from sonnys_tui.tenant import Tenant
from sonnys_tui.tui.errors import describe_error, describe_unwritten, error_title, in_words
from sonnys_tui.tui.keys import CANCEL, REPLAN
from sonnys_tui.tui.screens.employee_form import TYPED_KINDS, EmployeeForm
from sonnys_tui.tui.screens.review_changes import ReviewChangesScreen, ReviewOutcome
from sonnys_tui.tui.widgets.footer import Footer
from sonnys_tui.tui.widgets.form_field import FormField
from sonnys_tui.tui.widgets.site_picker import SitePicker

Plan = EmployeeChangePlan[EmployeeUpdated]


class RecordLoaded(Message):
    def __init__(self, record: EmployeeRecord) -> None:
        super().__init__()
        self.record = record


class Planned(Message):
    def __init__(self, plan: Plan, record: EmployeeRecord | None = None) -> None:
        super().__init__()
        self.plan = plan
        self.record = record  # a re-plan's fresh read: the form's new baseline


def text_fields() -> tuple[str, ...]:
    """The typed fields the form changes, as the registry names them (the update's
    arguments): the person's, the start date, the others."""
    typed = (
        f.name
        for f in fields.employee_fields()
        if f.edit and f.kind in TYPED_KINDS and f.section in ("Person", "Other")
    )
    return (*typed, "start_date")


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else str(value)


def _texts(record: EmployeeRecord) -> dict[str, str]:
    """The record's fields as the form shows them (the baseline of "changed"; the form
    strips what is typed, so the baseline is stripped too). A field the record does
    not have yet shows blank."""
    return {name: _text(getattr(record, name, "")).strip() for name in text_fields()}


class EditEmployeeScreen(EmployeeForm[EmployeeUpdated | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        REPLAN,
        CANCEL,
    ]
    REQUIRED = ("first_name", "last_name", "phone", "start_date")
    WRITER = "edit"
    FORM_ID = "edit-form"
    STATUS_ID = "edit-status"
    PROGRESS_ID = "edit-progress"

    def __init__(self, tenant: Tenant, row: EmployeeRow) -> None:
        super().__init__(tenant)
        self.row = row
        self.record: EmployeeRecord | None = None  # what the form was filled from
        self.reviewed_plan: Plan | None = None  # the plan last shown for review
        self.conflicted: Plan | None = None  # a plan refused for a conflict: re-plan it
        self.busy = False  # loading, planning or re-planning: Save waits
        self._cancel_armed = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(safe_text(f"Loading {self.row.full_name}…"), id="edit-loading")
        # At the top, above the scrolling form: an error or a conflict is seen first.
        yield self.status_area()
        with VerticalScroll(id=self.FORM_ID, classes="form"):
            yield from self.person_fields()
            yield Static("POS", classes="section")
            yield FormField(
                fields.label("pos_user_id"),
                Static("", id="pos_user_id_shown", markup=False),
                name="pos_user_id",
                hint="read-only here",
            )
            yield self.start_date_field()
            yield Static("Sites and departments", classes="section")
            yield self.sites_field()
            yield self.departments_field()
            yield from self.other_fields()
            with Horizontal(classes="form-buttons"):
                yield Button("Save", variant="primary", id="save", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Edit employee"
        self.sub_title = safe_text(self.row.full_name).plain
        self.query_one(f"#{self.FORM_ID}").display = False
        self.query_one(f"#{self.STATUS_ID}").display = False
        self.busy = True
        self._load(self.row.employee_id)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "replan":
            return self.conflicted is not None  # offered only after a conflict
        if action == "save":
            return None if self.busy or self.record is None else True
        return True

    # ------------------------------------------------------------------ load

    @work(thread=True, exclusive=True, exit_on_error=False, name="edit-load", group="edit")
    def _load(self, employee_id: int) -> None:
        # The edit page is all an update rests on: wages and permissions are not read.
        record = self.tenant.read_employee(employee_id, wages=False, pos_access=False)
        self.post_message(RecordLoaded(record))

    def on_record_loaded(self, message: RecordLoaded) -> None:
        self.busy = False
        self._fill(message.record, only_untouched=False)
        self.query_one("#edit-loading").display = False
        self.query_one(f"#{self.FORM_ID}").display = True
        self.query_one("#first_name", Input).focus()
        self.refresh_bindings()

    def _fill(self, record: EmployeeRecord, *, only_untouched: bool) -> None:
        """Show ``record``; with ``only_untouched`` (a re-plan) keep what was typed."""
        previous = _texts(self.record) if self.record is not None else {}
        before_sites = self._recorded_sites()
        before_departments = self._recorded_departments()
        texts = _texts(record)
        self.record = record  # first: the Changed events compare with it
        for name, value in texts.items():
            widget = self.query_one(f"#{name}", Input)
            if only_untouched and widget.value.strip() != previous.get(name, ""):
                continue
            widget.value = value
            widget.cursor_position = len(value)
        picker = self._site_picker
        if not only_untouched or frozenset(picker.selected) == before_sites:
            picker.choose(self._recorded_sites())
        departments = self.query_one("#departments", SelectionList)
        if not only_untouched or frozenset(departments.selected) == before_departments:
            departments.deselect_all()
            for name in self._recorded_departments():
                departments.select(name)
        self._field("available_sites").set_message(self._sites_summary(), error=False)
        pos = "(none)" if record.pos_user_id is None else str(record.pos_user_id)
        self.query_one("#pos_user_id_shown", Static).update(pos)

    @property
    def _site_picker(self) -> SitePicker:
        return self.query_one("#available_sites", SitePicker)

    # The record's sites and departments that the lists offer (the lists as they were
    # when the form opened): what the form shows, so what "unchanged" is compared with.
    def _recorded_sites(self) -> frozenset[str]:
        record = self.record.sites if self.record is not None else ()
        return frozenset(record) & {s.name for s in self.sites}

    def _recorded_departments(self) -> frozenset[str]:
        record = self.record.departments if self.record is not None else ()
        return frozenset(record) & {d.name for d in self.departments}

    # ------------------------------------------------------------------ as you type

    def input_changed(self, name: str, problem: str) -> None:
        self._cancel_armed = False

    def wants_availability(self, name: str, value: str) -> bool:
        """The employee's own e-mail or phone is not "taken": only a new one is asked."""
        if self.record is None:
            return False
        if name == "email":
            return value.casefold() != self.record.email.casefold()
        if name == "phone":
            return validation.phone_digits(value) != validation.phone_digits(self.record.phone)
        return False  # the POS User ID is not changed here

    @on(SelectionList.SelectedChanged, "#available_sites")
    def _sites_changed(self) -> None:
        problem = "" if self._site_picker.selected else "choose at least one site (or All sites)"
        field = self._field("available_sites")
        field.set_message(problem or self._sites_summary(), error=bool(problem))

    def _sites_summary(self) -> str:
        """The count, and which: a long list scrolls the ticked sites out of view."""
        picker = self._site_picker
        chosen = picker.chosen_sites()
        if picker.all_sites or not chosen:
            return picker.summary()
        return f"{picker.summary()}: " + ", ".join(s.code or s.name for s in chosen)

    # ------------------------------------------------------------------ save

    def changes(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The ``plan_update_employee`` arguments of what differs from the record read,
        and the problems found, by field."""
        assert self.record is not None
        baseline = _texts(self.record)
        values, problems = self.check_inputs(self.query(Input), self.REQUIRED)
        # Only what the user changed is checked: a field left as read (blank, or a value
        # the server holds that the form's rules would refuse) is posted back as it is.
        problems = {
            name: problem
            for name, problem in problems.items()
            if name not in baseline or self._value(name) != baseline[name]
        }
        changed: dict[str, Any] = {}
        for name in text_fields():
            typed = self._value(name)
            if typed != baseline[name] and name not in problems:
                changed[name] = values.get(name, typed)  # "" clears an optional field
        choice = self._site_picker.choice()
        if choice is None:
            problems["available_sites"] = "choose at least one site (or All sites)"
        elif choice == "all":
            if self._recorded_sites() != {s.name for s in self.sites}:
                changed["available_sites"] = "all"
        elif frozenset(choice) != self._recorded_sites():
            changed["available_sites"] = choice
        departments = list(self.query_one("#departments", SelectionList).selected)
        if not departments:
            problems["departments"] = "choose at least one department"
        elif frozenset(departments) != self._recorded_departments():
            changed["departments"] = departments
        return changed, problems

    def action_save(self) -> None:
        if self.busy or self.record is None:
            return
        self.tried_submit = True
        changed, problems = self.changes()
        if self.show_problems(problems):
            return
        if not changed:
            self.notify("Nothing to save: the form is as it was read.", timeout=3)
            return
        self.busy = True
        self.query_one(f"#{self.STATUS_ID}").display = False  # an old error is not news
        # After a conflict the record read is stale: plan on a fresh read instead.
        reread, self.conflicted = self.conflicted is not None, None
        self.refresh_bindings()
        self._plan(self.record, changed, reread=reread)

    @work(thread=True, exclusive=True, exit_on_error=False, name="edit-plan", group="edit")
    def _plan(self, record: EmployeeRecord, changed: dict[str, Any], *, reread: bool) -> None:
        tenant = self.tenant
        fresh = None
        if reread:
            fresh = tenant.read_employee(record.employee_id, wages=False, pos_access=False)
        # On a record already read: no request (the apply re-reads and compares).
        plan = tenant.plan_update_employee(
            employee_id=record.employee_id, current=fresh or record, **changed
        )
        self.post_message(Planned(plan, fresh))

    def on_planned(self, message: Planned) -> None:
        self.busy = False
        if message.record is not None:
            self._fill(message.record, only_untouched=True)
        self.refresh_bindings()
        plan = message.plan
        if plan.is_empty:
            self.notify("Nothing changes: the record already has these values.", timeout=4)
            return
        self.reviewed_plan = plan
        self.app.push_screen(ReviewChangesScreen(self.tenant, plan), self._reviewed)

    def _reviewed(self, outcome: ReviewOutcome[EmployeeUpdated] | None) -> None:
        if outcome is None:
            return  # back to edit: nothing written, everything typed still there
        if outcome.result is not None:
            self.dismiss(outcome.result)
        elif outcome.error is not None:
            self._failed(outcome.error)

    # ------------------------------------------------------------------ errors and re-plan

    def _failed(self, error: BaseException) -> None:
        text = in_words(describe_error(error), fields.labels())
        self.progress_lines = [f"Not saved: {text}"]
        if isinstance(error, ConflictError):
            self.conflicted = self.reviewed_plan
            self.progress_lines.append(
                "Ctrl+R: plan again on the record as it is now (what you typed is kept)."
            )
        else:
            self.point_at(error)
        self.show_progress()
        self.refresh_bindings()
        # The line above says "nothing was written" (when so): the toast does not again.
        toast = in_words(describe_unwritten(error), fields.labels())
        self.notify(toast, title=error_title(error), severity="error", markup=False)

    def action_replan(self) -> None:
        plan = self.conflicted
        if plan is None or self.busy:
            return
        self.busy = True
        self.conflicted = None
        self.refresh_bindings()
        self.progress_lines.append("Re-planning on the record as it is now…")
        self.show_progress()
        self._replan(plan)

    @work(thread=True, exclusive=True, exit_on_error=False, name="edit-replan", group="edit")
    def _replan(self, plan: Plan) -> None:
        tenant = self.tenant
        # One read, kept: the form's baseline moves to it, so a later save diffs from it.
        fresh = tenant.read_employee(plan.employee_id, wages=False, pos_access=False)
        self.post_message(Planned(tenant.replan(plan, current=fresh), fresh))

    def worker_failed(self, name: str, error: BaseException) -> bool:
        if name == "edit-load":
            self.busy = False
            text = describe_error(error)
            loading = self.query_one("#edit-loading", Static)
            loading.update(
                Text(safe_lines(f"Could not read {self.row.full_name}: {text}\nEsc: back"))
            )
            self.notify(text, title=error_title(error), severity="error", markup=False)
            return True
        if name in ("edit-plan", "edit-replan"):
            self.busy = False
            self._failed(error)
            return True
        return False

    # ------------------------------------------------------------------ leave

    def action_cancel(self) -> None:
        if self.record is not None and not self._cancel_armed:
            changed, _problems = self.changes()
            if changed:
                # One stray Esc must not throw away what was typed.
                self._cancel_armed = True
                self.notify("Press Esc again to discard your changes.", severity="warning")
                return
        self.dismiss(None)
