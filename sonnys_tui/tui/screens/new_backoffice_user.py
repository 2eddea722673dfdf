"""New Back Office user: linked to an existing (active) employee, or standalone."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Select, Static

from sonnys_tui.backoffice.errors import BackofficeError, ValidationError
from sonnys_tui.backoffice.models import (
    BackofficeUserCreated,
    BackofficeUserRequest,
    EmployeeRow,
)
from sonnys_tui.display import safe_lines, safe_text
from sonnys_tui.tenant import Tenant
from sonnys_tui.tui.errors import describe_error
from sonnys_tui.tui.screens.hire_result import _backoffice_rows, _grid
from sonnys_tui.tui.validators import RULES, ClientRule
from sonnys_tui.tui.widgets.footer import Footer
from sonnys_tui.tui.widgets.form_field import FormField
from sonnys_tui.tui.widgets.safe_input import SafeInput
from sonnys_tui.tui.workers import ReportsWorkerErrors

STANDALONE_ONLY = ("first_name", "last_name")


class UserCreated(Message):
    def __init__(self, user: BackofficeUserCreated) -> None:
        super().__init__()
        self.user = user


class NewBackofficeUserScreen(ReportsWorkerErrors, ModalScreen[BackofficeUserCreated | None]):
    BINDINGS = [
        Binding("ctrl+s", "submit", "Create", priority=True),
        Binding("escape", "cancel", "Cancel"),
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
        self.created: BackofficeUserCreated | None = None

    def _input(self, name: str, *, required: bool = True, **kwargs: Any) -> Input:
        validators = [ClientRule(RULES[name], required=required)] if name in RULES else []
        return SafeInput(
            id=name, validators=validators, validate_on=["changed"], compact=True, **kwargs
        )

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="bo-dialog", classes="dialog form"):
            yield Static(Text("New Back Office user", style="bold"))
            with RadioSet(id="mode"):
                label = (
                    f"Login for {self.employee.full_name} (POS {self.employee.pos_user_id})"
                    if self.employee is not None and self.employee.pos_user_id is not None
                    else "Login for the selected employee (none selected)"
                )
                yield RadioButton(
                    safe_text(label),
                    id="linked",
                    value=self.employee is not None,
                    disabled=self.employee is None or self.employee.pos_user_id is None,
                )
                yield RadioButton(
                    "Someone who is not an employee", id="standalone", value=self.employee is None
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
            yield FormField(
                "Template",
                Select(
                    [(safe_text(p.name), p.name) for p in self.templates],
                    prompt="user (General User)",
                    compact=True,
                    id="permission",
                ),
                name="permission",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Create", variant="primary", id="submit", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
            yield Static("", id="bo-result")
        yield Footer()

    def on_mount(self) -> None:
        self._mode_changed()
        self.query_one("#username", Input).focus()

    @property
    def linked(self) -> bool:
        return self.query_one("#linked", RadioButton).value

    @on(RadioSet.Changed)
    def _mode_changed(self) -> None:
        for name in STANDALONE_ONLY:
            self.query_one(f"#field-{name}").display = not self.linked

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        result = event.validation_result
        problem = ""
        if result is not None and not result.is_valid and event.value:
            problem = result.failure_descriptions[0]
        if name:
            self.query_one(f"#field-{name}", FormField).set_message(problem)

    def collect(self) -> tuple[BackofficeUserRequest, dict[str, str]]:
        """The ``create_backoffice_user`` arguments (typed: mypy checks the keys against
        the client's parameters) and the problems found, by field."""
        values: dict[str, str] = {}
        problems: dict[str, str] = {}
        names = ["username", "email"] + ([] if self.linked else list(STANDALONE_ONLY))
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
        permission = self.query_one("#permission", Select).value
        request = BackofficeUserRequest(
            username=values.get("username", ""),
            email=values.get("email", ""),
            # Unchosen: "user" (General User), the client's default for linked logins too.
            permission=permission if isinstance(permission, str) else "user",
            password=values.get("password"),
        )
        if self.linked and self.employee is not None:
            request["link_to_employee_pos_user_id"] = self.employee.pos_user_id
        else:
            request["first_name"] = values.get("first_name")
            request["last_name"] = values.get("last_name")
        return request, problems

    def action_submit(self) -> None:
        if self.created is not None:
            self.dismiss(self.created)
            return
        values, problems = self.collect()
        for field in self.query(FormField):
            name = (field.id or "").removeprefix("field-")
            field.set_message(problems.get(name, ""))
        if problems:
            self.query_one(f"#{next(iter(problems))}").focus()
            return
        self.query_one("#submit", Button).disabled = True
        self._create(values)

    @work(thread=True, exclusive=True, exit_on_error=False, name="create-bo", group="create-bo")
    def _create(self, request: BackofficeUserRequest) -> None:
        self.post_message(UserCreated(self.tenant.create_backoffice_user(request)))

    def on_user_created(self, message: UserCreated) -> None:
        self.created = user = message.user
        body = _grid(_backoffice_rows(user, reveal=True))  # shown once, in this dialog only
        result = self.query_one("#bo-result", Static)
        result.update(body)
        if user.warnings:
            warnings = "\n".join(safe_lines(w) for w in user.warnings)
            self.notify(warnings, severity="warning", markup=False, timeout=10)
        button = self.query_one("#submit", Button)
        button.label = "Done"
        button.disabled = False
        self.notify("Created. Note the password now: it is shown only once.")
        button.focus()

    def worker_failed(self, name: str, error: BaseException) -> bool:
        if name != "create-bo":
            return False
        self.query_one("#submit", Button).disabled = False
        self.query_one("#bo-result", Static).update(
            safe_text(f"Not created: {describe_error(error)}")
        )
        if isinstance(error, BackofficeError) and error.field:
            fields = self.query(f"#field-{error.field}")
            if fields:
                fields.first(FormField).set_message(error.message)
        return False

    @on(Button.Pressed, "#submit")
    def _submit(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(self.created)
