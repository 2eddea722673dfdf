"""What the New employee and Edit employee forms share: the labelled, validated fields
of a person (built the same way in both), the live availability checks of a POS User
ID, e-mail or phone, how problems are pointed at, and the progress area under the form.

Each form is a :class:`EmployeeForm` screen: it composes the fields it needs with the
builders here and says, through :meth:`EmployeeForm.wants_availability`, which typed
values are worth asking about (the edit form skips the employee's own e-mail and phone).
"""

from __future__ import annotations

import re
import time
from collections.abc import Container, Iterable, Iterator, Mapping
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from sonnys_tui.backoffice import fields
from sonnys_tui.backoffice.errors import BackofficeError, DuplicateError, ValidationError
from sonnys_tui.backoffice.models import AvailabilityState
from sonnys_tui.display import safe_text
from sonnys_tui.tenant import Tenant
from sonnys_tui.tui.errors import in_words
from sonnys_tui.tui.validators import RULES, rule
from sonnys_tui.tui.widgets.form_field import FormField, TickList
from sonnys_tui.tui.widgets.safe_input import SafeInput
from sonnys_tui.tui.widgets.site_picker import HINT as SITES_HINT
from sonnys_tui.tui.widgets.site_picker import SitePicker
from sonnys_tui.tui.workers import ReportsWorkerErrors

AVAILABILITY_FIELDS = ("pos_user_id", "email", "phone")
# The form's labels, by the client's parameter names (messages use the words on
# screen): the field registry's, read when used (a test may add a field).
LABELS: Mapping[str, str] = fields.labels()
# The kinds of registry field the forms show as one typed line.
TYPED_KINDS = frozenset({"text", "phone", "email", "date", "number", "money", "secret"})
# Client error fields that name a form field differently.
FIELD_ALIASES = {
    "username": "backoffice_username",
    "password": "backoffice_password",
    "wage": "wage_rate",
    "pin": "pos_pin",
}
_TAKEN_WORDS = {"pos_user_id": "POS User ID", "email": "e-mail", "phone": "phone"}

ResultT = TypeVar("ResultT")


class Availability(Message):
    """What the client knows of a typed POS User ID, e-mail or phone: ``state`` is
    "free", "taken" or "unknown" (an e-mail no list has: an inactive employee may hold
    it); ``reason`` says why, when there is more to say."""

    def __init__(self, field: str, value: str, state: AvailabilityState, reason: str = "") -> None:
        super().__init__()
        self.field = field
        self.value = value
        self.state = state
        self.reason = reason


class Progress(Message):
    def __init__(self, step: str) -> None:
        super().__init__()
        self.step = step


class EmployeeForm(ReportsWorkerErrors, Screen[ResultT], Generic[ResultT]):
    """A form of employee fields (see the module docstring)."""

    AVAILABILITY_DEBOUNCE = 0.3  # seconds of no typing before asking the index
    REQUIRED: ClassVar[Container[str]] = ()
    WRITER: ClassVar[fields.Writer] = "hire"  # which registry fields the form offers
    FORM_ID: ClassVar[str] = "employee-form"  # the scrolling form
    STATUS_ID: ClassVar[str] = "employee-status"  # under it, always in view
    PROGRESS_ID: ClassVar[str] = "employee-progress"

    def __init__(self, tenant: Tenant) -> None:
        super().__init__()
        self.tenant = tenant
        # The choices as they were when the form opened: a refresh must not move them.
        self.sites = list(tenant.sites)
        self.departments = list(tenant.departments)
        self.taken: dict[str, str] = {}  # field -> the value the index says is in use
        self.tried_submit = False
        self.progress_lines: list[str] = []

    # ------------------------------------------------------------------ building

    def _input(self, name: str, **kwargs: Any) -> Input:
        required = name in self.REQUIRED
        validators = [rule(name, required=required)] if name in RULES else []
        return SafeInput(
            id=name, validators=validators, validate_on=["changed"], compact=True, **kwargs
        )

    def typed_field(self, field: fields.Field, value: str = "", **kwargs: Any) -> FormField:
        """One registry field as a labelled input: its label, its rule, its placeholder."""
        hint = kwargs.pop("hint", "")
        if field.placeholder:
            kwargs.setdefault("placeholder", field.placeholder)
        control = self._input(field.name, value=value, **kwargs)
        return FormField(field.label, control, name=field.name, hint=hint)

    def typed_fields(self, section: fields.Section) -> list[fields.Field]:
        """The registry's typed fields of ``section`` this form's writer may set."""
        return [
            f
            for f in fields.employee_fields()
            if f.section == section and f.kind in TYPED_KINDS and f.may(self.WRITER)
        ]

    def person_fields(self) -> Iterator[Widget]:
        yield Static("Person", classes="section")
        for field in self.typed_fields("Person"):
            yield self.typed_field(field)

    def start_date_field(self, value: str = "") -> FormField:
        return self.typed_field(fields.field("start_date"), value)

    def sites_field(self) -> FormField:
        return FormField(
            fields.label("available_sites"),
            SitePicker(self.sites, id="available_sites"),
            name="available_sites",
            hint=SITES_HINT,
        )

    def departments_field(self) -> FormField:
        return FormField(
            fields.label("departments"),
            TickList(
                *((safe_text(d.name), d.name) for d in self.departments),
                id="departments",
                compact=True,
            ),
            name="departments",
        )

    def other_fields(self) -> Iterator[Widget]:
        yield Static("Other", classes="section")
        for field in self.typed_fields("Other"):
            yield self.typed_field(field)

    def status_area(self) -> VerticalScroll:
        """Outside the scrolling form: progress and outcome are always in view."""
        return VerticalScroll(
            Static("", id=self.PROGRESS_ID, markup=False), id=self.STATUS_ID, classes="form-status"
        )

    # ------------------------------------------------------------------ as you type

    def _field(self, name: str) -> FormField:
        return self.query_one(f"#field-{name}", FormField)

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value.strip()

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        result = event.validation_result
        problem = ""
        if result is not None and not result.is_valid:
            problem = in_words(result.failure_descriptions[0], fields.labels())
            if problem == "required" and not self.tried_submit:
                problem = ""
        if name:
            self._field(name).set_message(problem)
        self.input_changed(name, problem)
        if name in AVAILABILITY_FIELDS:
            self.taken.pop(name, None)
            field = self._field(name)
            value = event.value.strip()
            valid = result is None or result.is_valid
            if value and valid and self.wants_availability(name, value):
                field.set_status("checking…")
                self._check_availability(name, value)
            else:
                field.set_status("")

    def input_changed(self, name: str, problem: str) -> None:
        """A field's value changed (its own message already set): more checks here."""

    def wants_availability(self, name: str, value: str) -> bool:
        """Whether a valid typed POS User ID, e-mail or phone is asked about."""
        return True

    def _check_availability(self, name: str, value: str) -> None:
        self.run_worker(
            lambda: self._availability_job(name, value),
            thread=True,
            exclusive=True,
            exit_on_error=False,
            name=f"available-{name}",
            group=f"available-{name}",
        )

    def _availability_job(self, name: str, value: str) -> None:
        # Debounce inside the worker: a newer keystroke cancels this one (exclusive group).
        time.sleep(self.AVAILABILITY_DEBOUNCE)
        if get_current_worker().is_cancelled:
            return
        tenant = self.tenant
        state: AvailabilityState
        reason = ""
        if name == "email":
            # Three states: an inactive employee's e-mail is listed nowhere, so an
            # e-mail no list has is "unknown", never "free".
            answer = tenant.email_availability(value)
            state, reason = answer.state, answer.reason
        elif name == "pos_user_id":
            state = "free" if tenant.is_pos_user_id_available(int(value)) else "taken"
        else:
            state = "free" if tenant.is_phone_available(value) else "taken"
        if not get_current_worker().is_cancelled:
            self.post_message(Availability(name, value, state, reason))

    def on_availability(self, message: Availability) -> None:
        if self._value(message.field) != message.value:
            return  # the user typed on: a stale answer
        field = self._field(message.field)
        if message.state == "free":
            self.taken.pop(message.field, None)
            field.set_status("✓ free", ok=True)
        elif message.state == "unknown":
            self.taken.pop(message.field, None)
            field.set_status("? unsure")
            field.set_message(message.reason, error=False)  # not an error: not known
        else:
            self._mark_taken(message.field, message.value)

    def _mark_taken(self, name: str, value: str) -> None:
        """The value is in use (the index says so, or the server refused it)."""
        self.taken[name] = value
        field = self._field(name)
        field.set_status("✗ taken", ok=False)
        field.set_message(f"this {_TAKEN_WORDS[name]} is already in use")

    # ------------------------------------------------------------------ checking

    def check_inputs(
        self, inputs: Iterable[Input], required: Container[str]
    ) -> tuple[dict[str, Any], dict[str, str]]:
        """The typed values checked by the client's rules, and the problems, by field."""
        problems: dict[str, str] = {}
        values: dict[str, Any] = {}
        for input_widget in inputs:
            name = input_widget.id or ""
            value = input_widget.value.strip()
            if not value:
                if name in required:
                    problems[name] = "required"
                continue
            try:
                values[name] = RULES[name](value) if name in RULES else value
            except ValidationError as exc:
                problems[name] = exc.message
        for name, value in self.taken.items():
            if values.get(name) is not None and self._value(name) == value:
                problems.setdefault(name, "already in use")
        return values, problems

    def show_problems(self, problems: Mapping[str, str]) -> bool:
        """Each problem next to its field (other messages cleared), the first focused and
        all named in a toast; False when there is none."""
        for field in self.query(FormField):
            name = (field.id or "").removeprefix("field-")
            if name in problems:
                field.set_message(in_words(problems[name], fields.labels()))
            elif name not in AVAILABILITY_FIELDS or name not in self.taken:
                field.set_message("")
        if not problems:
            return False
        self._focus_field(next(iter(problems)))
        named = ", ".join(fields.label(name) for name in problems)
        self.notify(
            f"{len(problems)} field(s) need attention: {named}", severity="warning", markup=False
        )
        return True

    def point_at(self, error: BaseException, *, fallback: bool = False) -> None:
        """A client error that names a field: said next to it, and focused. With
        ``fallback``, an error that names none focuses the field its message names
        (the Back Office's own refusal names a label: "Phone is invalid"), else the
        first field: never a button left disabled under the failure."""
        if not isinstance(error, BackofficeError):
            return
        field = error.field or (self._named_field(error.message) if fallback else None)
        if not field:
            if fallback:
                first = next(iter(self.query(f"#{self.FORM_ID} Input")), None)
                if first is not None:
                    first.focus()
            return
        field_name = FIELD_ALIASES.get(field, field)
        if isinstance(error, DuplicateError) and field_name in AVAILABILITY_FIELDS:
            # The server's answer overrides what the index said ("? unsure").
            self._mark_taken(field_name, self._value(field_name))
        found = self.query(f"#field-{field_name}")
        if found:
            found.first(FormField).set_message(in_words(error.message, fields.labels()))
        self._focus_field(field_name)

    @staticmethod
    def _named_field(message: str) -> str | None:
        """The field a message names by its label or its name, longest first."""
        lowered = message.casefold()
        named = [
            (len(word), name)
            for name, label in LABELS.items()
            for word in (label.casefold(), name.replace("_", " "))
            if word and re.search(rf"\b{re.escape(word)}\b", lowered)
        ]
        return max(named)[1] if named else None

    def _focus_field(self, name: str) -> None:
        name = FIELD_ALIASES.get(name, name)
        matches = self.query(f"#{name}")
        if matches:
            widget = matches.first()
            widget.focus()
            self.query_one(f"#{self.FORM_ID}", VerticalScroll).scroll_to_widget(widget)

    def show_progress(self) -> None:
        """The steps so far and the outcome, under the form and never scrolled away."""
        status = self.query_one(f"#{self.STATUS_ID}", VerticalScroll)
        status.display = True
        self.query_one(f"#{self.PROGRESS_ID}", Static).update(Text("\n".join(self.progress_lines)))
        status.scroll_end(animate=False, immediate=True)
