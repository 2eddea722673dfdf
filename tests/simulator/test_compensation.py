"""The compensation page and the wage post: what the client's wage changes rely on."""

from __future__ import annotations

from datetime import date

import httpx
from lxml import html

from sonnys_tui.simulator import Simulator

from .browser import alerts, post

HISTORY = "//table[contains(@class,'table-employee-compensation-history')]/tbody/tr"


def _wage(employee_id: int, day: str, rate: str) -> list[tuple[str, str]]:
    return [
        ("employeeId", str(employee_id)),
        ("wage[effectiveDate]", day),
        ("wage[isHourly]", "1"),
        ("wage[regularRate]", rate),
    ]


def test_an_employee_with_no_wage_has_an_empty_history(
    sim: Simulator, client: httpx.Client
) -> None:
    employee = next(e for e in sim.store.employees.values() if e.wages)
    employee.wages = []
    page = client.get(f"/employee/compensation/{employee.id}")
    assert page.status_code == 200
    doc = html.document_fromstring(page.text)
    assert doc.xpath(HISTORY) == []
    box = doc.get_element_by_id("wage-effective-date")
    assert box.get("data-pickadate-min") == ""  # no latest wage to come after


def test_the_page_redirect_variant_answers_alike_for_a_stored_and_an_ignored_wage(
    sim: Simulator, client: httpx.Client
) -> None:
    sim.settings.wage_redirect = "page"
    employee = next(e for e in sim.store.employees.values() if e.wages)
    count = len(employee.wages)
    stored = post(client, "/employee/compensation/update", _wage(employee.id, "01/02/2099", "30"))
    ignored = post(client, "/employee/compensation/update", _wage(employee.id, "01/01/2099", "31"))
    for answer in (stored, ignored):
        assert answer.status_code == 302
        assert answer.headers["location"].startswith(f"/employee/compensation/{employee.id}?")
        landing = client.get(answer.headers["location"])
        assert alerts(landing.text, "success") and not alerts(landing.text)
    assert len(employee.wages) == count + 1
    assert max(w.effective_date for w in employee.wages) == date(2099, 1, 2)
