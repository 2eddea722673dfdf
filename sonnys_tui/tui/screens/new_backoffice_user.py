"""New Back Office user: linked to an existing (active) employee, or standalone.

Nothing typed is changed behind the user's back: a linked login takes the employee's own
e-mail (the Back Office replaces any other), so the form shows that e-mail, read-only,
instead of letting one be typed. The sites are chosen, for both kinds. The result (the
password masked until asked for) is a screen of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioSet, Select, SelectionList, Static

from sonnys_tui.backoffice import fields
from sonnys_tui.backoffice.errors import BackofficeError, ValidationError
from sonnys_tui.backoffice.models import (
    BackofficeUserCreated,
    BackofficeUserRequest,
    EmployeeRecord,
    EmployeeRow,
)
from sonnys_tui.display import safe_lines, safe_text
from sonnys_tui.tenant import Tenant
from sonnys_tui.tui.errors import describe_error, error_title, in_words
from sonnys_tui.tui.keys import CANCEL
from sonnys_tui.tui.validators import RULES, ClientRule
from sonnys_tui.tui.widgets.footer import Footer
from sonnys_tui.tui.widgets.form_field import FormField, fill, template_field
from sonnys_tui.tui.widgets.safe_input import SafeInput
from sonnys_tui.tui.widgets.site_picker import HINT as SITES_HINT
from sonnys_tui.tui.widgets.site_picker import SitePicker
from sonnys_tui.tui.widgets.ticks import RadioButton
from sonnys_tui.tui.workers import ReportsWorkerErrors

STANDALONE_ONLY = ("first_name", "last_name")
# The form's labels, by the client's parameter names (messages use the words on
# screen): the field registry's for a Back Office user.
LABELS = fields.labels(fields.BACKOFFICE_USER_FIELDS)
EMAIL_HINT = "the employee's e-mail: a linked login always uses it"


def linkable(employee: EmployeeRow | None) -> bool:
    """Can this employee have a login? Active, with a POS User ID to link by."""
    return employee is not None and employee.active and employee.pos_user_id is not None


def link_label(employee: EmployeeRow | None) -> str:
    if employee is None:
        return "Login for an employee (select one on the Employees tab first)"
    who = f"{employee.full_name} (POS {employee.pos_user_id})"
    if employee.pos_user_id is None:
        return f"Login for {employee.full_name}: no POS User ID to link by"
    if not employee.active:
        return f"Login for {who}: inactive, enable them first (Ctrl+D)"
    return f"Login for {who}"


class NewBackofficeUserScreen(ReportsWorkerErrors, ModalScreen[BackofficeUserCreated | None]):
    # What this screen's own workers post back to it.

    @dataclass
    class UserCreated(Message):
        """The user created and verified."""

        user: BackofficeUserCreated

    @dataclass
    class EmployeeRead(Message):
        """The linked employee's record (its sites and e-mail)."""

        record: EmployeeRecord

    @dataclass
    class Progress(Message):
        """The step the creation starts now."""

        step: str

    BINDINGS = [
        Binding("ctrl+s", "submit", "Create"),
        CANCEL,
    ]

    def __init__(
        self,
        tenant: Tenant,
        *,
        employee: EmployeeRow | None,
    ) -> None:
        super().__init__()
        self.tenant = tenant
        self.employee = employee
        self.templates = list(tenant.templates("backoffice"))
        self.sites = list(tenant.sites)
        self.record: EmployeeRecord | None = None  # the linked employee's, once read
        self.created: BackofficeUserCreated | None = None
        self.creating = False
        self.progress_lines: list[str] = []

    def _input(self, name: str, *, required: bool = True, **kwargs: Any) -> Input:
        validators = [ClientRule(RULES[name], required=required)] if name in RULES else []
        return SafeInput(
            id=name, validators=validators, validate_on=["changed"], compact=True, **kwargs
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="bo-dialog", classes="dialog"):
            yield Static(Text("New Back Office user", style="bold"))
            with VerticalScroll(id="bo-form", classes="form"):
                with RadioSet(id="mode"):
                    yield RadioButton(
                        safe_text(link_label(self.employee)),
                        id="linked",
                        value=linkable(self.employee),
                        disabled=not linkable(self.employee),
                    )
                    yield RadioButton(
                        "Someone who is not an employee",
                        id="standalone",
                        value=not linkable(self.employee),
                    )
                yield FormField("First name", self._input("first_name"), name="first_name")
                yield FormField("Last name", self._input("last_name"), name="last_name")
                yield FormField("Username", self._input("username"), name="username")
                yield FormField(
                    "E-mail", self._input("email", placeholder="name@example.com"), name="email"
                )
                yield FormField(
                    "Password",
                    self._input("password", required=False, password=True, placeholder="auto"),
                    name="password",
                    hint="blank: a generated password, shown once",
                )
                yield template_field(
                    "Template", self.templates, name="permission", prompt="user (General User)"
                )
                yield FormField(
                    "Sites",
                    SitePicker(self.sites, id="available_sites"),
                    name="available_sites",
                    hint=SITES_HINT,
                )
                with Horizontal(classes="dialog-buttons"):
                    yield Button("Create", variant="primary", id="submit", compact=True)
                    yield Button("Cancel", id="cancel", compact=True)
            # Outside the scrolling form: progress and outcome are always in view.
            yield Static("", id="bo-result", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#bo-result").display = False
        self._mode_changed()
        # The first field to type in: the names come first for someone who is not one.
        self.query_one("#username" if self.linked else "#first_name", Input).focus()
        if linkable(self.employee) and self.employee is not None:
            self._read_employee(self.employee.employee_id)

    @property
    def linked(self) -> bool:
        return self.query_one("#linked", RadioButton).value

    @on(RadioSet.Changed)
    def _mode_changed(self) -> None:
        linked = self.linked
        for name in STANDALONE_ONLY:
            self.query_one(f"#field-{name}").display = not linked
        self._show_email()

    # ------------------------------------------------------------------ the linked employee

    @work(thread=True, exclusive=True, exit_on_error=False, name="read-employee")
    def _read_employee(self, employee_id: int) -> None:
        record = self.tenant.read_employee(employee_id, wages=False, pos_access=False)
        self.post_message(self.EmployeeRead(record))

    def on_new_backoffice_user_screen_employee_read(
        self, message: NewBackofficeUserScreen.EmployeeRead
    ) -> None:
        self.record = record = message.record
        picker = self.query_one("#available_sites", SitePicker)
        if not picker.selected:  # the employee's own sites, unless some were ticked
            known = {s.name for s in self.sites}
            picker.choose(name for name in record.sites if name in known)
            self._sites_changed()
        self._show_email()

    def _show_email(self) -> None:
        """Linked: the employee's e-mail, read-only (the server would use it anyway)."""
        email = self.query_one("#email", Input)
        field = self.query_one("#field-email", FormField)
        own = self.record.email.strip() if self.record is not None else ""
        if self.linked and own:
            fill(email, own)
            email.disabled = True
            field.set_message(EMAIL_HINT, error=False)
        elif self.linked and self.record is None and linkable(self.employee):
            email.disabled = True
            email.placeholder = "reading the employee's e-mail…"
        else:
            if email.disabled and email.value == own:
                email.value = ""  # the employee's, shown for the link: not this person's
            email.disabled = False
            email.placeholder = "name@example.com"
            missing = self.linked and self.record is not None
            field.set_message("the employee has no e-mail: type the login's" if missing else "")

    # ------------------------------------------------------------------ as you type

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        if name == "email" and event.input.disabled:
            return  # the employee's, filled in
        result = event.validation_result
        problem = ""
        if result is not None and not result.is_valid and event.value:
            problem = in_words(result.failure_descriptions[0], LABELS)
        if name:
            self.query_one(f"#field-{name}", FormField).set_message(problem)

    @on(SelectionList.SelectedChanged, "#available_sites")
    def _sites_changed(self) -> None:
        picker = self.query_one("#available_sites", SitePicker)
        self.query_one("#field-available_sites", FormField).set_message(
            picker.summary() or SITES_HINT, error=False
        )

    # ------------------------------------------------------------------ submit

    def collect(self) -> tuple[BackofficeUserRequest, dict[str, str]]:
        """The ``create_backoffice_user`` arguments (typed: mypy checks the keys against
        the client's parameters) and the problems found, by field."""
        values: dict[str, str] = {}
        problems: dict[str, str] = {}
        linked = self.linked
        own_email = self.record.email.strip() if linked and self.record is not None else ""
        names = ["username"] + ([] if own_email else ["email"])
        names += [] if linked else list(STANDALONE_ONLY)
        for name in names:
            value = self.query_one(f"#{name}", Input).value.strip()
            if not value:
                problems[name] = "required"
                continue
            try:
                RULES[name](value)
            except ValidationError as exc:
                problems[name] = exc.message
            values[name] = value
        password = self.query_one("#password", Input).value
        if password:
            try:
                RULES["password"](password)
            except ValidationError as exc:
                problems["password"] = exc.message
            values["password"] = password
        sites = self.query_one("#available_sites", SitePicker).choice()
        if sites is None:
            problems["available_sites"] = "choose at least one site (or All sites)"
        permission = self.query_one("#permission", Select).value
        request = BackofficeUserRequest(
            username=values.get("username", ""),
            email=own_email or values.get("email", ""),
            # Unchosen: "user" (General User), the client's default for linked logins too.
            permission=permission if isinstance(permission, str) else "user",
            password=values.get("password"),
            available_sites=sites or [],
        )
        if linked and self.employee is not None:
            request["link_to_employee_pos_user_id"] = self.employee.pos_user_id
        else:
            request["first_name"] = values.get("first_name")
            request["last_name"] = values.get("last_name")
        return request, problems

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit" and self.creating:
            return None
        return True

    def action_submit(self) -> None:
        if self.creating:
            return
        if self.linked and self.record is None:
            self.notify("Still reading the employee's record…", timeout=3)
            return
        values, problems = self.collect()
        for field in self.query(FormField):
            name = (field.id or "").removeprefix("field-")
            if name in problems:
                field.set_message(in_words(problems[name], LABELS))
        if problems:
            self.query_one(f"#{next(iter(problems))}").focus()
            named = ", ".join(LABELS.get(name, name) for name in problems)
            self.notify(
                f"{len(problems)} field(s) need attention: {named}",
                severity="warning",
                markup=False,
            )
            return
        self._set_creating(True)
        self.progress_lines = ["Creating…"]
        self._show_progress()
        self._create(values)

    def _set_creating(self, creating: bool) -> None:
        self.creating = creating
        self.query_one("#submit", Button).disabled = creating
        self.refresh_bindings()

    def _show_progress(self) -> None:
        result = self.query_one("#bo-result", Static)
        result.display = True
        result.update(Text("\n".join(self.progress_lines)))

    @work(thread=True, exclusive=True, exit_on_error=False, name="create-bo", group="create-bo")
    def _create(self, request: BackofficeUserRequest) -> None:
        def progress(step: str) -> None:
            self.post_message(self.Progress(step))

        user = self.tenant.create_backoffice_user(request, progress=progress)
        self.post_message(self.UserCreated(user))

    def on_new_backoffice_user_screen_progress(
        self, message: NewBackofficeUserScreen.Progress
    ) -> None:
        self.progress_lines.append(f"… {safe_lines(message.step)}")
        self._show_progress()

    def on_new_backoffice_user_screen_user_created(
        self, message: NewBackofficeUserScreen.UserCreated
    ) -> None:
        # The tenant applied it: the BO users tab shows the new row. The password is on
        # the result screen, masked until asked for.
        self.created = message.user
        self.dismiss(message.user)

    def worker_failed(self, name: str, error: BaseException) -> bool:
        text = in_words(describe_error(error), LABELS)
        if name == "read-employee":
            self.record = None
            self.employee = None  # cannot link without the record: someone else, then
            self.query_one("#standalone", RadioButton).value = True
            self.query_one("#field-email", FormField).set_message(
                f"could not read the employee's e-mail: {text}"
            )
            return False
        if name != "create-bo":
            return False
        self._set_creating(False)
        self.progress_lines.append(f"Not created: {text}")
        self._show_progress()
        if isinstance(error, BackofficeError) and error.field:
            fields = self.query(f"#field-{error.field}")
            if fields:
                fields.first(FormField).set_message(in_words(error.message, LABELS))
        self.notify(text, title=error_title(error), severity="error", markup=False)
        return True

    @on(Button.Pressed, "#submit")
    def _submit(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        if not self.creating:
            self.dismiss(None)
