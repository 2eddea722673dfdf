"""Add wage: a new rate from a date, reviewed (old → new), applied, read back.

The Back Office silently ignores a wage dated on or before the latest one, so the form
opens on the earliest date it would keep (today, when that is later) and says why; an
earlier date is refused here, before any request. The overtime rate defaults to 1.5x
the rate, as on hire, and the overtime eligibility stays as the latest wage has it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input

from sonnys_tui.backoffice import fields, validation
from sonnys_tui.backoffice.errors import ValidationError
from sonnys_tui.backoffice.models import EmployeeRecord, Wage, WageAdded
from sonnys_tui.tenant import Tenant
from sonnys_tui.tui.dialogs import unusual_pay
from sonnys_tui.tui.dialogs.plan_dialog import Plan, PlanDialog
from sonnys_tui.tui.errors import in_words
from sonnys_tui.tui.widgets.form_field import FormField
from sonnys_tui.tui.widgets.pay_section import money
from sonnys_tui.tui.widgets.safe_input import SafeInput

FIELDS = ("rate", "effective_date", "overtime_rate")


def earliest_allowed(latest: Wage) -> date:
    """The first date the server keeps a new wage at: the day after the latest's."""
    return latest.effective_date + timedelta(days=1)


def why_earliest(latest: Wage) -> str:
    return (
        f"earliest {earliest_allowed(latest).isoformat()}: the server ignores a wage dated "
        f"on or before the latest, {latest.effective_date.isoformat()}"
    )


def now_paid(latest: Wage) -> str:
    return f"now {latest.wage_type} {money(latest.rate)} since {latest.effective_date}"


class AddWageDialog(PlanDialog):
    HEADING = "Add wage"
    DIALOG_ID = "wage-dialog"
    FIRST = "#rate"
    # The field registry's words, by the plan's names for a wage's parts.
    LABELS = {name: fields.label(name) for name in (*FIELDS, "overtime_eligible", "wage_history")}

    def __init__(self, tenant: Tenant, record: EmployeeRecord, *, today: date) -> None:
        super().__init__(tenant, record)
        if not record.wages:
            raise ValueError("add a wage to an employee with a wage history only")
        self.latest = record.wages[0]  # newest first
        self.earliest = earliest_allowed(self.latest)
        # Never a back-dated raise by default: today, unless the server needs later.
        self.prefilled = max(today, self.earliest)

    def _input(self, name: str, **kwargs: Any) -> SafeInput:
        return SafeInput(id=name, compact=True, **kwargs)

    def compose_form(self) -> ComposeResult:
        latest = self.latest
        yield FormField(
            self.LABELS["rate"],
            self._input("rate", placeholder="e.g. 16.25"),
            name="rate",
            hint=now_paid(latest),
        )
        yield FormField(
            self.LABELS["effective_date"],
            self._input("effective_date", value=self.prefilled.isoformat()),
            name="effective_date",
            hint=why_earliest(latest),
        )
        eligible = latest.overtime_eligible
        yield FormField(
            self.LABELS["overtime_rate"],
            self._input(
                "overtime_rate",
                placeholder="1.5 × rate" if eligible else "not eligible",
                disabled=not eligible,
            ),
            name="overtime_rate",
            hint=self._overtime_hint(""),
        )

    def record_changed(self) -> None:
        if not self.record.wages:
            return
        self.latest = self.record.wages[0]
        self.earliest = earliest_allowed(self.latest)
        rate = self.query_one("#rate", Input).value
        overtime = self.query_one("#overtime_rate", Input)
        overtime.disabled = not self.latest.overtime_eligible
        hints = {
            "rate": now_paid(self.latest),
            "effective_date": why_earliest(self.latest),
            "overtime_rate": self._overtime_hint(rate),
        }
        for name, hint in hints.items():
            field = self.query_one(f"#field-{name}", FormField)
            field.hint = hint
            field.set_message("")

    def _overtime_hint(self, rate_text: str) -> str:
        if not self.latest.overtime_eligible:
            return "not eligible for overtime (kept as the latest wage has it)"
        try:
            rate = validation.money(rate_text, field="rate")
        except ValidationError:
            return "blank: 1.5 × the rate, as on hire"
        return f"blank: 1.5 × the rate = {money(validation.default_overtime(rate))}, as on hire"

    # ------------------------------------------------------------------ checks

    def _checks(self) -> dict[str, Callable[[str], object]]:
        return {
            "rate": lambda text: validation.money(text, field="rate"),
            "effective_date": self._effective,
            "overtime_rate": lambda text: validation.money(text, field="overtime_rate"),
        }

    def _effective(self, text: str) -> date:
        validation.printable(text, field="effective_date")
        try:
            day = date.fromisoformat(text.strip())
        except ValueError:
            raise ValidationError(
                f"effective_date must be a date like {self.prefilled.isoformat()}",
                field="effective_date",
            ) from None
        if day < self.earliest:
            raise ValidationError(
                f"effective_date {day} is on or before the latest wage's "
                f"({self.latest.effective_date}): the server would silently ignore it; the "
                f"earliest allowed is {self.earliest}",
                field="effective_date",
            )
        return day

    def _problem(self, name: str, text: str) -> str:
        try:
            self._checks()[name](text)
        except ValidationError as exc:
            return in_words(exc.message, self.LABELS)
        return ""

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        name = event.input.id or ""
        if name not in FIELDS:
            return
        problem = self._problem(name, event.value) if event.value.strip() else ""
        self.query_one(f"#field-{name}", FormField).set_message(problem)
        if name == "rate":
            overtime = self.query_one("#field-overtime_rate", FormField)
            overtime.hint = self._overtime_hint(event.value)
            if not self.query_one("#overtime_rate", Input).value.strip():
                overtime.set_message("")

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        texts = {name: self.query_one(f"#{name}", Input).value.strip() for name in FIELDS}
        problems: dict[str, str] = {}
        for name in ("rate", "effective_date"):
            if not texts[name]:
                problems[name] = f"{self.LABELS[name]} is required"
            elif problem := self._problem(name, texts[name]):
                problems[name] = problem
        overtime: Decimal | None = None
        if self.latest.overtime_eligible and texts["overtime_rate"]:
            if problem := self._problem("overtime_rate", texts["overtime_rate"]):
                problems["overtime_rate"] = problem
            else:
                overtime = validation.money(texts["overtime_rate"], field="overtime_rate")
                if "rate" not in problems and overtime < Decimal(texts["rate"]):
                    problems["overtime_rate"] = "Overtime must not be below the rate"
        if problems:
            return {}, problems
        arguments = {
            "rate": validation.money(texts["rate"], field="rate"),
            "effective_date": self._effective(texts["effective_date"]),
            "overtime_rate": overtime,
        }
        return arguments, problems

    def concerns(self, arguments: dict[str, Any]) -> list[str]:
        return unusual_pay.concerns(arguments["rate"], arguments.get("overtime_rate"))

    def confirm_concerns(self, said: list[str], arguments: dict[str, Any]) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.plan_now(arguments)
            else:
                self.query_one(self.FIRST).focus()

        self.app.push_screen(
            unusual_pay.ask("Add a wage with this pay?", said, yes="Yes, review it"), answered
        )

    def done_text(self, result: object) -> str:
        assert isinstance(result, WageAdded)
        wage = result.wage
        return (
            f"Wage {money(wage.rate)} from {wage.effective_date.isoformat()} saved for "
            f"{self.record.full_name}, read back from the wage history."
        )

    def make_plan(self, arguments: dict[str, Any]) -> Plan:
        # On the record already read: no request; the apply re-reads (the conflict check).
        return self.tenant.plan_add_wage(current=self.record, **arguments)
