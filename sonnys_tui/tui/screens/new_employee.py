"""New employee: every field of ``create_employee``, checked as you type, submitted in a
worker with one progress line per server step. On failure nothing typed is lost."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import (
    Button,
    Header,
    Input,
    Select,
    SelectionList,
    Static,
)

from sonnys_tui.backoffice import fields, validation
from sonnys_tui.backoffice.errors import ValidationError
from sonnys_tui.backoffice.models import EmployeeCreated, HireRequest, Permission
from sonnys_tui.display import safe_lines
from sonnys_tui.tenant import Tenant
from sonnys_tui.tui.dialogs import unusual_pay
from sonnys_tui.tui.errors import describe_error, error_title, in_words
from sonnys_tui.tui.keys import CANCEL
from sonnys_tui.tui.screens.employee_form import (
    AVAILABILITY_FIELDS,
    LABELS,
    Availability,
    EmployeeForm,
    Progress,
)
from sonnys_tui.tui.widgets.footer import Footer
from sonnys_tui.tui.widgets.form_field import FormField, fill, template_field
from sonnys_tui.tui.widgets.site_picker import SitePicker, site_label
from sonnys_tui.tui.widgets.ticks import Checkbox

__all__ = ["AVAILABILITY_FIELDS", "LABELS", "Availability", "NewEmployeeScreen", "Progress"]

REQUIRED = ("first_name", "last_name", "phone", "email", "pos_user_id", "wage_rate", "start_date")


def registry_template_field(name: str, templates: Iterable[Permission], prompt: str) -> FormField:
    """The registry's template field ``name``: its label, a choice of ``templates``."""
    return template_field(fields.label(name), templates, name=name, prompt=prompt)


class Hired(Message):
    def __init__(self, created: EmployeeCreated) -> None:
        super().__init__()
        self.created = created


class NextFreePosId(Message):
    def __init__(self, pos_user_id: int) -> None:
        super().__init__()
        self.pos_user_id = pos_user_id


class NewEmployeeScreen(EmployeeForm[EmployeeCreated | None]):
    BINDINGS = [
        Binding("ctrl+s", "submit", "Hire"),
        Binding("ctrl+f", "next_free", "Next free POS ID"),
        CANCEL,
    ]
    REQUIRED = REQUIRED
    FORM_ID = "hire-form"
    STATUS_ID = "hire-status"
    PROGRESS_ID = "hire-progress"

    def __init__(
        self,
        tenant: Tenant,
        *,
        today: date,
    ) -> None:
        super().__init__(tenant)
        self.pos_templates = list(tenant.templates("pos"))
        self.backoffice_templates = list(tenant.templates("backoffice"))
        self.today = today
        self._submitting = False
        self._wants_next_free = False  # Ctrl+F: replace the POS ID with the next free one
        self._wage_sites_offered: list[str] = []
        self._cancel_armed = False  # a first Esc on a typed form only warns

    @property
    def submitting(self) -> bool:
        return self._submitting

    @submitting.setter
    def submitting(self, value: bool) -> None:
        self._submitting = value
        self.refresh_bindings()  # Hire and Next free are dimmed while a hire runs

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("submit", "next_free", "cancel") and self.submitting:
            return None
        return True

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="hire-form", classes="form"):
            yield from self.person_fields()
            yield Static("POS", classes="section")
            yield self.typed_field(
                fields.field("pos_user_id"),
                restrict=r"\d*",
                max_length=9,
                hint="Ctrl+F: next free ID",
            )
            # Masked like a password: a PIN on screen ends up in screenshots.
            yield self.typed_field(
                fields.field("pos_pin"),
                restrict=r"\d*",
                max_length=5,
                placeholder="auto",
                password=True,
                hint="blank: a random 5-digit PIN",
            )
            yield registry_template_field("permission", self.pos_templates, "Choose a template")
            yield Static("Pay", classes="section")
            yield self.typed_field(fields.field("wage_rate"), restrict=r"[\d.]*")
            yield self.typed_field(
                fields.field("overtime_wage_rate"), restrict=r"[\d.]*", hint="blank: 1.5x wage"
            )
            yield self.start_date_field(self.today.isoformat())
            yield Static("Sites and departments", classes="section")
            yield self.sites_field()
            yield FormField(
                fields.label("wage_site"),
                Select[str]([], prompt="choose the sites first", compact=True, id="wage_site"),
                name="wage_site",
                hint="the site whose labor the wage counts in",
            )
            yield self.departments_field()
            yield from self.other_fields()
            yield Static("Back Office login", classes="section")
            yield Checkbox(
                "Also create a Back Office login", id="requires_backoffice", compact=True
            )
            with VerticalScroll(id="backoffice-fields"):
                yield self.typed_field(fields.field("backoffice_username"))
                yield self.typed_field(
                    fields.field("backoffice_password"),
                    password=True,
                    hint="blank: a generated password, shown once",
                )
                yield registry_template_field(
                    "backoffice_permission", self.backoffice_templates, "user (General User)"
                )
            with Horizontal(classes="form-buttons"):
                yield Button("Hire", variant="primary", id="submit", compact=True)
                yield Button("Cancel", id="cancel", compact=True)
        yield self.status_area()
        yield Footer()

    def on_mount(self) -> None:
        self.title = "New employee"
        self.query_one("#backoffice-fields").display = False
        self.query_one("#hire-status").display = False
        self.query_one("#first_name", Input).focus()
        self._find_next_free(None)

    # ------------------------------------------------------------------ as you type

    def input_changed(self, name: str, problem: str) -> None:
        self._cancel_armed = False
        if name == "wage_rate":
            self._show_overtime_default()
        if name in ("wage_rate", "overtime_wage_rate") and not problem:
            self._check_overtime()

    def _show_overtime_default(self) -> None:
        overtime = self.query_one("#overtime_wage_rate", Input)
        try:
            wage = validation.money(self._value("wage_rate"), field="wage_rate")
        except ValidationError:
            overtime.placeholder = "1.5x wage"
        else:
            overtime.placeholder = f"{validation.default_overtime(wage)} (1.5x wage)"

    def _check_overtime(self) -> None:
        """Overtime below the wage: said as soon as both are typed (the client refuses it)."""
        try:
            wage = validation.money(self._value("wage_rate"), field="wage_rate")
            overtime = validation.money(self._value("overtime_wage_rate"), field="x")
        except ValidationError:
            return  # one is blank or not an amount: its own message says so
        problem = ""
        try:
            validation.overtime(wage, overtime)
        except ValidationError as exc:
            problem = in_words(exc.message, fields.labels())
        self._field("overtime_wage_rate").set_message(problem)

    @on(Checkbox.Changed, "#requires_backoffice")
    def _backoffice_toggled(self, event: Checkbox.Changed) -> None:
        self.query_one("#backoffice-fields").display = event.value
        if event.value and not self._value("backoffice_username"):
            suggestion = "".join(
                ch
                for ch in (self._value("first_name")[:1] + self._value("last_name")).lower()
                if ch.isalnum()
            )
            if suggestion:
                fill(self.query_one("#backoffice_username", Input), suggestion)

    @on(SelectionList.SelectedChanged, "#available_sites")
    def _sites_changed(self) -> None:
        self._offer_wage_sites()
        field = self._field("available_sites")
        problem = self._sites_problem() if self.tried_submit else ""
        field.set_message(problem or self._site_picker.summary(), error=bool(problem))

    @property
    def _site_picker(self) -> SitePicker:
        return self.query_one("#available_sites", SitePicker)

    def _offer_wage_sites(self) -> None:
        """The wage site is one of the chosen sites: the first unless another is picked."""
        select: Select[str] = self.query_one("#wage_site", Select)
        current = select.value
        offered = self._site_picker.chosen_sites()
        names = [s.name for s in offered]
        if names == self._wage_sites_offered:
            return
        self._wage_sites_offered = names
        select.set_options((site_label(s), s.name) for s in offered)
        if offered:
            select.value = current if isinstance(current, str) and current in names else names[0]

    @work(thread=True, exclusive=True, exit_on_error=False, name="next-free", group="next-free")
    def _find_next_free(self, start: int | None) -> None:
        self.post_message(NextFreePosId(self.tenant.next_free_pos_user_id(start)))

    def on_next_free_pos_id(self, message: NextFreePosId) -> None:
        pos = self.query_one("#pos_user_id", Input)
        if not pos.value or "pos_user_id" in self.taken or self._wants_next_free:
            fill(pos, str(message.pos_user_id))  # the cursor after it, to type on
        self._wants_next_free = False
        self._field("pos_user_id").set_message(
            f"next free ID is {message.pos_user_id} (Ctrl+F)", error=False
        )

    def action_next_free(self) -> None:
        self._wants_next_free = True
        self._find_next_free(None)

    # ------------------------------------------------------------------ submit

    def _sites_problem(self) -> str:
        chosen = self.query_one("#available_sites", SelectionList).selected
        return "" if chosen else "choose at least one site (or All sites)"

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The ``create_employee`` arguments and the problems found, by field."""
        backoffice = self.query_one("#requires_backoffice", Checkbox).value
        values, problems = self.check_inputs(
            (
                widget
                for widget in self.query(Input)
                if backoffice or not (widget.id or "").startswith("backoffice_")
            ),
            {*REQUIRED, "backoffice_username"},
        )
        if problem := self._sites_problem():
            problems["available_sites"] = problem
        values["available_sites"] = self._site_picker.choice() or []
        values["departments"] = list(self.query_one("#departments", SelectionList).selected)
        if not values["departments"]:
            problems["departments"] = "choose at least one department"
        wage_site = self.query_one("#wage_site", Select).value
        if isinstance(wage_site, str):
            values["wage_site"] = wage_site
        elif "available_sites" not in problems:
            problems["wage_site"] = "choose the site the wage is paid at"
        permission = self.query_one("#permission", Select).value
        if not isinstance(permission, str):
            problems["permission"] = "choose a POS template"
        else:
            values["permission"] = permission
        values["requires_backoffice"] = backoffice
        if backoffice:
            bo_permission = self.query_one("#backoffice_permission", Select).value
            if isinstance(bo_permission, str):
                values["backoffice_permission"] = bo_permission
            # else: the client's default, "user" (General User)
        # The rules return typed values (int, Decimal, date); make sure of the numbers.
        for name in ("pos_user_id", "pos_pin"):
            if name in values:
                values[name] = int(values[name])
        for name in ("wage_rate", "overtime_wage_rate"):
            if name in values:
                values[name] = Decimal(values[name])
        if "wage_rate" in values and "overtime_wage_rate" in values:
            try:
                validation.overtime(values["wage_rate"], values["overtime_wage_rate"])
            except ValidationError as exc:
                problems["overtime_wage_rate"] = exc.message
        return values, problems

    @staticmethod
    def wage_concerns(values: dict[str, Any]) -> list[str]:
        """What about the pay looks like a slip of the keyboard (confirmed, not refused):
        the registry's one rule."""
        return unusual_pay.concerns(values.get("wage_rate"), values.get("overtime_wage_rate"))

    @staticmethod
    def _request(values: dict[str, Any]) -> HireRequest:
        """The checked values as the hire's typed arguments (mypy checks the keys against
        ``create_employee``)."""
        request = HireRequest(
            first_name=values["first_name"],
            last_name=values["last_name"],
            phone=values["phone"],
            email=values["email"],
            pos_user_id=values["pos_user_id"],
            wage_rate=values["wage_rate"],
            start_date=values["start_date"],
            available_sites=values["available_sites"],
            permission=values["permission"],
            departments=values["departments"],
            pos_pin=values.get("pos_pin"),
            overtime_wage_rate=values.get("overtime_wage_rate"),
            adp_employee_id=values.get("adp_employee_id"),
            emergency_contact_name=values.get("emergency_contact_name"),
            emergency_contact_phone=values.get("emergency_contact_phone"),
            requires_backoffice=values["requires_backoffice"],
            wage_site=values.get("wage_site"),
        )
        if values["requires_backoffice"]:
            request["backoffice_username"] = values["backoffice_username"]
            request["backoffice_password"] = values.get("backoffice_password")
            if "backoffice_permission" in values:
                request["backoffice_permission"] = values["backoffice_permission"]
        return request

    def action_submit(self) -> None:
        if self.submitting:
            return
        self.tried_submit = True
        # A new attempt: the last one's "Not hired" is not news (nor under the pay question).
        self.query_one(f"#{self.STATUS_ID}").display = False
        values, problems = self.collect()
        if self.show_problems(problems):
            return
        request = self._request(values)
        if concerns := self.wage_concerns(values):
            self._confirm_pay(concerns, request)
            return
        self._hire(request)

    def _confirm_pay(self, concerns: list[str], request: HireRequest) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self._hire(request)
            else:
                self._focus_field("wage_rate")

        self.app.push_screen(
            unusual_pay.ask("Hire with this pay?", concerns, yes="Yes, hire"), answered
        )

    def _hire(self, request: HireRequest) -> None:
        self.submitting = True
        self.query_one("#submit", Button).disabled = True
        self.progress_lines = ["Hiring…"]
        self.show_progress()
        self._create(request)

    @work(thread=True, exclusive=True, exit_on_error=False, name="create", group="create")
    def _create(self, request: HireRequest) -> None:
        def progress(step: str) -> None:
            self.post_message(Progress(step))

        self.post_message(Hired(self.tenant.hire(request, progress=progress)))

    def on_hired(self, message: Hired) -> None:
        self.submitting = False
        self.dismiss(message.created)

    def on_progress(self, message: Progress) -> None:
        self.progress_lines.append(f"… {safe_lines(message.step)}")
        self.show_progress()

    def worker_failed(self, name: str, error: BaseException) -> bool:
        if name != "create":
            return False
        self.submitting = False
        self.query_one("#submit", Button).disabled = False
        # Terminal safe (it may quote the server), in the form's words.
        text = in_words(describe_error(error), fields.labels())
        # "Hiring…" and each "… step" said what was under way: now what happened.
        steps = [line[2:] for line in self.progress_lines if line.startswith("… ")]
        self.progress_lines = [f"Not hired: {text}"]
        self.progress_lines += [f"✓ {step}" for step in steps[:-1]]
        if steps:
            self.progress_lines.append(f"✗ {steps[-1]}: stopped here")
        self.show_progress()
        self.point_at(error, fallback=True)
        self.notify(text, title=error_title(error), severity="error", markup=False)
        return True

    # ------------------------------------------------------------------ leave

    def action_cancel(self) -> None:
        if self.submitting:
            return
        typed = any(self._value(name) for name in ("first_name", "last_name", "phone", "email"))
        if typed and not self._cancel_armed:
            # One stray Esc must not throw away a half-typed hire.
            self._cancel_armed = True
            self.notify("Press Esc again to discard this form.", severity="warning", timeout=3)
            return
        self.dismiss(None)
