"""The parsers the employee changes read: the compensation page (wage history, the Add
Wage form) and the POS permission page's template match. Synthetic pages, and the
scrubbed live-tenant captures when they are there (``pytest -m captures``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from sonnys_tui.backoffice import pages
from sonnys_tui.backoffice.errors import BackofficeServerError

CAPTURES = Path(__file__).resolve().parents[3] / "shared" / "backoffice" / "captures"
needs_captures = pytest.mark.skipif(not CAPTURES.is_dir(), reason="no captures here")


def _page(rows: str, *, table: bool = True, today: str = "04/13/2026") -> str:
    history = (
        f'<table class="table table-employee-compensation-history"><thead><tr>'
        f'<th class="employee-compensation-col-wage">Wage</th></tr></thead><tbody>{rows}'
        "</tbody></table>"
        if table
        else ""
    )
    return (
        '<html><body><form id="employee-compensation-edit-form" action="/x" method="post">'
        '<input type="hidden" name="employeeId" value="77">'
        f'<input type="text" name="wage[effectiveDate]" data-value="{today}"'
        ' data-pickadate-min="01/02/2026">'
        '<select name="wage[siteId]" disabled><option value=""></option>'
        '<option value="5">OAK</option></select>'
        f"</form>{history}</body></html>"
    )


def _row(kind: str, wage: str, eligible: bool, overtime: str, start: str, end: str = "") -> str:
    icon = "fa-check text-success" if eligible else "fa-times text-danger"
    return (
        f'<tr><td class="employee-compensation-col-wage-type">{kind}</td>'
        f'<td class="employee-compensation-col-wage">\n   {wage}</td>'
        f'<td class="employee-compensation-col-overtime-eligible"><i class="fa {icon}"></i></td>'
        f'<td class="employee-compensation-col-overtime-rate">{overtime}</td>'
        f'<td class="employee-compensation-col-effective-date">{start}</td>'
        f'<td class="employee-compensation-col-end-date">{end}</td></tr>'
    )


def test_the_history_is_newest_first_with_the_wage_in_effect_marked() -> None:
    rows = "".join(
        [
            _row("Hourly", "$11.00/hr", False, "", "09/02/2024", "02/11/2025"),
            _row("Salary", "$1,234.50/hr", True, "$1,851.75/hr", "05/01/2026"),  # future
            _row("Hourly", "$11.50/hr", True, "$17.25/hr", "02/11/2025", "05/01/2026"),
        ]
    )
    page = pages.parse_employee_compensation(pages.parse_html(_page(rows)))
    assert page.employee_id == 77 and page.site_codes == {5: "OAK"}
    assert page.today == date(2026, 4, 13)
    assert [w.effective_date for w in page.wages] == [
        date(2026, 5, 1),
        date(2025, 2, 11),
        date(2024, 9, 2),
    ]
    newest, current, oldest = page.wages
    assert (newest.hourly, newest.rate, newest.overtime_rate) == (
        False,
        Decimal("1234.50"),
        Decimal("1851.75"),
    )
    assert current.current and not newest.current and not oldest.current  # today: 04/13/2026
    assert oldest.overtime_rate is None and not oldest.overtime_eligible
    assert page.earliest == date(2026, 5, 2)  # a day after the latest, not after today


def test_before_the_first_wage_starts_the_first_is_current_and_none_means_none() -> None:
    future = _row("Hourly", "$15.00/hr", True, "$22.50/hr", "06/01/2026")
    page = pages.parse_employee_compensation(pages.parse_html(_page(future)))
    assert page.wages[0].current
    empty = pages.parse_employee_compensation(pages.parse_html(_page("")))
    assert empty.wages == () and empty.earliest is None and empty.latest is None


def test_changed_markup_is_loud() -> None:
    with pytest.raises(BackofficeServerError, match="table-employee-compensation-history"):
        pages.parse_employee_compensation(pages.parse_html(_page("", table=False)))
    broken = _row("Hourly", "n/a", False, "", "someday")
    with pytest.raises(BackofficeServerError, match="history row"):
        pages.parse_employee_compensation(pages.parse_html(_page(broken)))
    with pytest.raises(BackofficeServerError, match="employee-compensation-edit-form"):
        pages.parse_employee_compensation(pages.parse_html("<html><body><p>x</p></body></html>"))


@pytest.mark.captures
@needs_captures
def test_compensation_capture() -> None:
    doc = pages.parse_html((CAPTURES / "employee_compensation_54.html").read_bytes())
    page = pages.parse_employee_compensation(doc)
    assert page.employee_id == 54 and page.site_codes == {1: "FIESTA"}
    assert [(w.rate, w.overtime_rate, w.effective_date) for w in page.wages] == [
        (Decimal("12.00"), Decimal("18.00"), date(2025, 7, 7)),
        (Decimal("11.50"), Decimal("17.25"), date(2025, 2, 11)),
        (Decimal("11.00"), None, date(2024, 9, 2)),
    ]
    assert page.wages[0].current and page.wages[1].end_date == date(2025, 7, 7)
    # The page's own minimum for a new wage is the day after the latest: as computed.
    assert page.earliest == date(2025, 7, 8)


@pytest.mark.captures
@needs_captures
def test_permission_captures_match_no_template_or_none() -> None:
    custom = pages.parse_pos_permissions(
        pages.parse_html((CAPTURES / "employee_permissions_54.html").read_bytes())
    )
    assert custom.access.template is None and custom.access.access == "Custom"  # as the list
    assert 4 in custom.access.granted and 4 in custom.access.overrides
    new = pages.parse_pos_permissions(
        pages.parse_html((CAPTURES / "e2e_permissions_page_486_initial.html").read_bytes())
    )
    assert new.access.access == "None" and not new.access.granted


def test_the_first_template_with_equal_sets_is_the_match() -> None:
    """Manager and General Manager grant the same (as in the capture): the page's first."""
    doc = pages.parse_html(
        '<html><body><form id="employee-permission-update-form">'
        '<input type="hidden" name="employeeId" value="9">'
        '<select name="templateId"><option value=""></option>'
        '<option value="1" data-permissions-set="1,2">Manager</option>'
        '<option value="4" data-permissions-set="1,2">General Manager</option></select>'
        '<input type="hidden" name="permissions[1][id]" value="1">'
        '<input type="checkbox" name="permissions[1][hasGrantAccess]" value="1" checked>'
        '<input type="hidden" name="permissions[2][id]" value="2">'
        '<input type="checkbox" name="permissions[2][hasGrantAccess]" value="1" checked>'
        "</form></body></html>"
    )
    assert pages.parse_pos_permissions(doc).access.template == "Manager"
