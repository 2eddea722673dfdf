"""An employee's compensation page (``/employee/compensation/<id>``): the wage
history and the Add Wage form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from lxml import etree
from lxml.html import HtmlElement

from sonnys_tui.backoffice import formcheck
from sonnys_tui.backoffice.forms import FormPage, serialize_form
from sonnys_tui.backoffice.models import (
    Wage,
)
from sonnys_tui.backoffice.pages.markup import (
    classes,
    missing,
    numbered_options,
    parse_us_date,
    require_form,
    required_id,
    text_of,
)
from sonnys_tui.backoffice.sites import has_class

COMPENSATION_TABLE_CLASS = "table-employee-compensation-history"

_AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")


@dataclass(frozen=True, slots=True)
class CompensationPage(FormPage):
    """``/employee/compensation/<id>``: the "Add Wage" form and the wage history."""

    employee_id: int
    wages: tuple[Wage, ...]  # newest first, the current one marked
    today: date | None  # the form's default effective date: the server's today
    earliest: date | None  # the first date a new wage may take (None: no wage yet)
    site_codes: dict[int, str]  # the labor-site select: the employee's sites

    @property
    def latest(self) -> Wage | None:
        return self.wages[0] if self.wages else None


def _amount(text: str) -> Decimal | None:
    match = _AMOUNT.search(text)
    if match is None:
        return None
    try:
        return Decimal(match.group(0).replace(",", ""))
    except InvalidOperation:
        return None


def parse_employee_compensation(doc: HtmlElement, *, today: date | None = None) -> CompensationPage:
    """The wage history (newest first) and the Add Wage form.

    ``current`` marks the wage in effect on ``today`` (default: the form's default
    effective date, which is the server's today; else the local date), or the first
    wage while every wage still lies ahead.
    """
    page = "employee compensation"
    form = require_form(doc, formcheck.COMPENSATION.form_id, page)
    data = serialize_form(form)
    employee_id = required_id(data, "employeeId", page)
    date_inputs = form.xpath(".//input[@data-pickadate-min]") or form.xpath(
        ".//input[@name='wage[effectiveDate]']"
    )
    if not date_inputs:
        raise missing(page, "wage[effectiveDate] input")
    server_today = parse_us_date(date_inputs[0].get("data-value"))
    tables = doc.xpath(f"//table[{has_class(COMPENSATION_TABLE_CLASS)}]")
    if not tables:
        raise missing(page, f"table.{COMPENSATION_TABLE_CLASS}")
    parsed: list[tuple[bool, Decimal, bool, Decimal | None, date, date | None]] = []
    for tr in tables[0].iter("tr"):
        cells = {
            token: td
            for td in tr.iterchildren("td")
            for token in classes(td)
            if token.startswith("employee-compensation-col-")
        }
        if not cells:
            continue  # the header row

        def cell(column: str, cells: dict[str, etree._Element] = cells) -> str:
            el = cells.get(f"employee-compensation-col-{column}")
            return text_of(el) if el is not None else ""

        rate = _amount(cell("wage"))
        effective = parse_us_date(cell("effective-date"))
        if rate is None or effective is None:
            raise missing(page, "wage and effective date in a history row")
        eligible_cell = cells.get("employee-compensation-col-overtime-eligible")
        eligible = eligible_cell is not None and any(
            "fa-check" in classes(i) for i in eligible_cell.iter("i")
        )
        kind = cell("wage-type").casefold()
        parsed.append(
            (
                not kind.startswith("salar"),
                rate,
                eligible,
                _amount(cell("overtime-rate")),
                effective,
                parse_us_date(cell("end-date")),
            )
        )
    parsed.sort(key=lambda row: row[4], reverse=True)  # newest first, whatever the page order
    on = today or server_today or date.today()
    in_effect = [i for i, row in enumerate(parsed) if row[4] <= on]
    current = in_effect[0] if in_effect else len(parsed) - 1
    wages = tuple(
        Wage(
            hourly=hourly,
            rate=rate,
            overtime_eligible=eligible,
            overtime_rate=overtime,
            effective_date=effective,
            end_date=end,
            current=index == current,
        )
        for index, (hourly, rate, eligible, overtime, effective, end) in enumerate(parsed)
    )
    earliest = wages[0].effective_date + timedelta(days=1) if wages else None
    codes = numbered_options(form.xpath(".//select[@name='wage[siteId]']/option"))
    return CompensationPage(
        form=form,
        employee_id=employee_id,
        wages=wages,
        today=server_today,
        earliest=earliest,
        site_codes=codes,
    )
