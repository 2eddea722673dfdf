"""Adding a wage to an employee's history: :meth:`WageChanges.plan_add_wage` (a plan to
review) and :meth:`WageChanges.add_wage` (one call), verified on the history read back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from typing import cast
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from sonnys_tui.backoffice import formcheck, pages, validation
from sonnys_tui.backoffice.core import (
    Progress,
    answer_doc,
    logger,
    rejection,
    tenant_state,
    write_attempt,
)
from sonnys_tui.backoffice.employee_read import Change, Target, current_part
from sonnys_tui.backoffice.errors import (
    NOTHING_WRITTEN,
    BackofficeServerError,
    ValidationError,
)
from sonnys_tui.backoffice.forms import FormData, find_form
from sonnys_tui.backoffice.models import (
    EmployeeChangePlan,
    EmployeeRecord,
    FieldChange,
    PlannedRequest,
    Wage,
    WageAdded,
)
from sonnys_tui.backoffice.plan_checks import conflict, us_date
from sonnys_tui.backoffice.session import Page

WAGE_HISTORY = "wage_history"  # the field a wage plan rests on


def _history(wages: Sequence[Wage]) -> tuple[tuple[object, ...], ...]:
    """A wage history as a comparable value (what a wage plan rests on)."""
    return tuple(
        (w.effective_date, w.hourly, w.rate, w.overtime_eligible, w.overtime_rate) for w in wages
    )


def _wage_arguments(
    rate: object, effective_date: object, overtime_rate: object, overtime_eligible: object
) -> dict[str, object]:
    out: dict[str, object] = {"rate": validation.money(rate, field="rate")}
    if effective_date is not None:
        out["effective_date"] = validation.day(effective_date, field="effective_date")
    if overtime_eligible is not None:
        if not isinstance(overtime_eligible, bool):
            raise ValidationError(
                "overtime_eligible must be True, False or None (keep)", field="overtime_eligible"
            )
        out["overtime_eligible"] = overtime_eligible
    if overtime_rate is not None:
        if overtime_eligible is False:
            raise ValidationError(
                "overtime_rate was given but overtime_eligible is False", field="overtime_rate"
            )
        out["overtime_rate"] = validation.money(overtime_rate, field="overtime_rate")
    return out


@dataclass(frozen=True)
class _WageDraft:
    wage: Wage
    changes: tuple[FieldChange, ...]


@dataclass(eq=False)
class WageChanges(Change[WageAdded, pages.CompensationPage]):
    """Adding a wage to an existing employee."""

    operation = "add wage"
    refused = "no wage was added"

    # ------------------------------------------------------------ wage

    def plan_add_wage(
        self,
        *,
        employee_id: int | None = None,
        pos_user_id: int | None = None,
        current: EmployeeRecord | None = None,
        rate: Decimal | float | int | str,
        effective_date: date | datetime | None = None,
        overtime_rate: Decimal | float | int | str | None = None,
        overtime_eligible: bool | None = None,
    ) -> EmployeeChangePlan[WageAdded]:
        """The wage :meth:`add_wage` would add, computed without writing.

        Reads the compensation page (1 request), or nothing when ``current`` (from
        :meth:`get_employee`, with its wages) is given: a date on or before the latest
        wage's is then refused before any request. The plan fixes the effective date
        (the default included: the server's today, or the local date with
        ``current``), so the apply writes exactly what was reviewed.
        """
        arguments = partial(_wage_arguments, rate, effective_date, overtime_rate, overtime_eligible)
        return self._planned(Target(employee_id, pos_user_id, current), arguments)[0]

    def add_wage(
        self,
        *,
        employee_id: int | None = None,
        pos_user_id: int | None = None,
        rate: Decimal | float | int | str,
        effective_date: date | datetime | None = None,
        overtime_rate: Decimal | float | int | str | None = None,
        overtime_eligible: bool | None = None,
    ) -> WageAdded:
        """Add a wage to one employee's history (exactly one lookup key).

        ``rate`` is the (effective) hourly rate. ``effective_date`` defaults to the
        server's today and must be AFTER the latest wage's date: the Back Office
        silently ignores any other, so such a date is refused (ValidationError naming
        the earliest allowed date) before the wage is sent. The wage type
        (hourly/salary) and the overtime eligibility stay as the latest wage has them
        unless told (``overtime_eligible``; an ``overtime_rate`` means eligible); an
        eligible wage's overtime rate defaults to 1.5 x ``rate``, as on hire. The salary
        schedule fields keep the form's defaults ("use clock-ins").

        Requests: the compensation page, the wage post, the history read back = 3. A
        wage the read-back does not show (the server ignored it) raises
        :class:`BackofficeServerError` whose ``wrote_nothing`` is true.
        """
        arguments = partial(_wage_arguments, rate, effective_date, overtime_rate, overtime_eligible)
        return self._apply(*self._planned(Target(employee_id, pos_user_id), arguments))

    # ------------------------------------------------------------ wage, private

    def _plan(
        self, target: Target, args: Mapping[str, object]
    ) -> tuple[EmployeeChangePlan[WageAdded], pages.CompensationPage | None]:
        with tenant_state(f"{NOTHING_WRITTEN}: {self.refused}"):
            page: pages.CompensationPage | None = None
            if (current := target.checked_current()) is not None:
                history = current_part(current.wages, "wage history", "wages")
                record, today = current, date.today()
            else:
                internal = self.employees._employee_id_of(target.employee_id, target.pos_user_id)
                page = self.employees._compensation_page(internal, step="read wages")
                record, history = self.employees._stand_in(internal), page.wages
                today = page.today or date.today()
            draft = _draft_wage(record.employee_id, history, today, args)
        path = f"/employee/compensation/{record.employee_id}"
        requests = (
            PlannedRequest("GET", path, "re-read the wage history: the conflict check"),
            PlannedRequest("POST", "/employee/compensation/update", "the Add Wage form"),
            PlannedRequest("GET", path, "read back: the new wage must be in the history"),
        )
        expected = ((WAGE_HISTORY, _history(history)),)
        arguments = {**args, "effective_date": draft.wage.effective_date}
        return self._plan_of(record, draft.changes, requests, expected, arguments), page

    def _write(
        self,
        plan: EmployeeChangePlan[WageAdded],
        page: pages.CompensationPage | None,
        report: Progress,
    ) -> WageAdded:
        employee_id = plan.employee_id
        step = "add wage"
        nothing = f"{NOTHING_WRITTEN}: no wage was added to employee {employee_id}"
        with tenant_state(nothing):
            if page is None:
                report("Reading the wage history (has it changed since the plan?)")
                page = self.employees._compensation_page(employee_id, step="read wages")
                planned = dict(plan.expected).get(WAGE_HISTORY)
                if _history(page.wages) != planned:
                    moved = (WAGE_HISTORY, _wage_dates(planned), _wage_dates(_history(page.wages)))
                    raise conflict(employee_id, [moved], "a wage was added or changed")
            draft = _draft_wage(
                employee_id, page.wages, page.today or date.today(), dict(plan.arguments)
            )
            formcheck.require(page.form, formcheck.COMPENSATION, step=step)
            data = _wage_post(page, draft.wage)
        wage = draft.wage
        when = wage.effective_date.isoformat()
        landed: pages.CompensationPage | None = None
        report(f"Saving the wage of {draft.wage.rate} from {draft.wage.effective_date}")
        with write_attempt(nothing) as attempt:
            answer = self._session.post(
                "/employee/compensation/update", data, step=step, follow=False
            )
            doc = answer_doc(answer)
            if doc is not None and pages.parse_alerts(doc).danger:
                raise rejection(answer, step=step, what="wage")
            landed = _landed_history(answer, doc, employee_id) if doc is not None else None
        unknown = attempt.unknown
        # Where the post redirects is unknown, and even a success redirect does not mean
        # the wage was stored (one not after the latest is ignored): the history decides.
        if landed is not None:
            history = landed.wages  # it redirected to the history: that is the read-back
        else:
            with tenant_state(
                f"whether the wage of {when} was added to employee {employee_id} is unknown: "
                "read the wage history before trying again"
            ):
                report("Reading the wage history back to verify")
                history = self.employees._compensation_page(
                    employee_id, step=step if unknown else "verify wage"
                ).wages
        stored = _stored(history, wage)
        if stored is None:
            if unknown is not None:
                unknown.state = nothing
                raise unknown
            latest = history[0].effective_date.isoformat() if history else "none"
            raise BackofficeServerError(
                f"the server ignored the wage of {when} for employee {employee_id}: the "
                f"history read back does not show it (latest wage: {latest}; a new wage "
                "must take effect after it)",
                step=step,
                state=nothing,
            )
        if unknown is not None:
            logger.debug("wage outcome reconciled: it was stored")
        return WageAdded(
            employee_id=employee_id, wage=stored, history=history, changes=draft.changes
        )


def _draft_wage(
    employee_id: int, history: Sequence[Wage], today: date, args: Mapping[str, object]
) -> _WageDraft:
    if not history:
        raise ValidationError(
            f"employee {employee_id} has no wage yet: the first wage is set on hire (it is "
            "locked to the start date)",
            field="effective_date",
        )
    latest = history[0]
    earliest = date.fromordinal(latest.effective_date.toordinal() + 1)
    effective = cast("date | None", args.get("effective_date")) or today
    if effective < earliest:
        raise ValidationError(
            f"effective_date {effective} is on or before the latest wage's "
            f"({latest.effective_date}): the Back Office would silently ignore it; the "
            f"earliest allowed date is {earliest}",
            field="effective_date",
        )
    rate = cast("Decimal", args["rate"])
    keep = True if "overtime_rate" in args else latest.overtime_eligible
    eligible = cast("bool", args.get("overtime_eligible", keep))
    overtime = cast("Decimal | None", args.get("overtime_rate"))
    if eligible and overtime is None:
        overtime = validation.default_overtime(rate)
    wage = Wage(
        hourly=latest.hourly,
        rate=rate,
        overtime_eligible=eligible,
        overtime_rate=overtime if eligible else None,
        effective_date=effective,
    )
    changes = [FieldChange("rate", latest.rate, rate)]
    if eligible != latest.overtime_eligible:
        changes.append(FieldChange("overtime_eligible", latest.overtime_eligible, eligible))
    if latest.overtime_rate is not None or wage.overtime_rate is not None:
        changes.append(FieldChange("overtime_rate", latest.overtime_rate, wage.overtime_rate))
    changes.append(FieldChange("effective_date", latest.effective_date, effective))
    return _WageDraft(wage, tuple(changes))


def _wage_post(page: pages.CompensationPage, wage: Wage) -> FormData:
    """The Add Wage form as a browser posts it with ``wage`` typed in."""
    data = page.serialize()
    data.set("employeeId", str(page.employee_id))
    data.set("wage[effectiveDate]", us_date(wage.effective_date))
    data.set("wage[isHourly]", "1" if wage.hourly else "0")
    data.set("wage[regularRate]", str(wage.rate))
    data.remove("wage[isOvertimeEligible]")
    data.remove("wage[overtimeRate]")
    if wage.overtime_eligible and wage.overtime_rate is not None:
        data.add("wage[isOvertimeEligible]", "1")  # a checkbox: presence means yes
        data.add("wage[overtimeRate]", str(wage.overtime_rate))  # enabled once it is on
    return data


def _landed_history(
    answer: Page, doc: HtmlElement, employee_id: int
) -> pages.CompensationPage | None:
    """The history the wage post landed on, when it redirected to the employee's
    compensation page (one variant of the unknown redirect): it spares the read-back."""
    path = urlsplit(answer.url).path.rstrip("/")
    if not answer.redirects or path != f"/employee/compensation/{employee_id}":
        return None
    if find_form(doc, formcheck.COMPENSATION.form_id) is None:
        return None
    try:
        return pages.parse_employee_compensation(doc)
    except BackofficeServerError:
        return None  # read it again, whole


def _stored(history: Sequence[Wage], wage: Wage) -> Wage | None:
    """The history's row that is ``wage`` (same date, type, rate and overtime)."""
    return next(
        (
            w
            for w in history
            if w.effective_date == wage.effective_date
            and w.hourly == wage.hourly
            and w.rate == wage.rate
            and w.overtime_eligible == wage.overtime_eligible
            and (not wage.overtime_eligible or w.overtime_rate == wage.overtime_rate)
        ),
        None,
    )


def _wage_dates(history: object) -> tuple[str, ...]:
    """A wage history value as the conflict shows it: "YYYY-MM-DD $rate" per wage."""
    rows = cast("tuple[tuple[object, ...], ...]", history or ())
    return tuple(f"{cast('date', row[0]).isoformat()} ${row[2]}" for row in rows)
