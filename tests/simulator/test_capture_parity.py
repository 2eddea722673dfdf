"""Local-only: the simulator's forms carry the same control names and key ids as the captures.

Run with ``pytest -m captures``; never in CI (reads ../shared).
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from lxml import html

from sonnys_tui.simulator import Simulator

CAPTURES = Path("/work/shared/backoffice/captures")

pytestmark = pytest.mark.captures


def _shape(page: str, form_id: str) -> set[str]:
    """Control names of a form with numbers folded (tenants differ in ids)."""
    doc = html.document_fromstring(page)
    form = doc.get_element_by_id(form_id)
    names = {el.get("name") for el in form.iter("input", "select", "textarea") if el.get("name")}
    return {re.sub(r"\d+", "N", n) for n in names if n}


def _ids(page: str, form_id: str) -> set[str]:
    doc = html.document_fromstring(page)
    form = doc.get_element_by_id(form_id)
    controls = form.iter("input", "select", "textarea", "button", "table")
    return {re.sub(r"\d+", "N", el.get("id")) for el in controls if el.get("id")}


EDIT = "employee-create-edit-form"


@pytest.mark.parametrize(
    ("capture", "path", "form_id"),
    [
        ("e2e_employee_edit_486_before_disable.html", "/employee/edit/{employee}", EDIT),
        ("employee_create.html", "/employee/create", EDIT),
        ("e2e_permissions_page_486_initial.html", "/employee/permissions/{employee}",
         "employee-permission-update-form"),
        ("employee_compensation_54.html", "/employee/compensation/{employee}",
         "employee-compensation-edit-form"),
        ("employee_list.html", "/employee", "frm-employee-list-search"),
        ("user_list.html", "/user", "frm-user-list-search"),
        ("user_create.html", "/user/create", "user-create-edit-form"),
        ("w45f_user_edit_3312060.html", "/user/edit/{user}", "user-edit-edit-form"),
        ("w45f_user_permissions_2944451.html", "/user/permissions/{user}",
         "user-permissions-update-form"),
        ("login_page.html", "/login", "login-form"),
    ],
)  # fmt: skip
def test_forms_match_the_captures(capture: str, path: str, form_id: str) -> None:
    sim = Simulator.demo()
    employee = next(e for e in sim.store.employees.values() if e.active and e.site_ids)
    user = next(u for u in sim.store.users.values() if u.employee_id is not None)
    with httpx.Client(transport=sim.transport(), base_url="http://sim.test") as client:
        client.post("/login_check", data={"_username": sim.username, "_password": sim.password})
        page = client.get(path.format(employee=employee.id, user=user.id)).text
    real = (CAPTURES / capture).read_text(encoding="utf-8")
    # The DOM captures hide the date's name in a picker; compare what the server sends.
    missing = _shape(real, form_id) - _shape(page, form_id) - {""}
    missing = {n for n in missing if not (n.startswith("perms[") and "N" not in n)}
    assert missing == set()
    # Clear-field buttons and date-picker tables are browser chrome the client never reads.
    missing_ids = {
        i for i in _ids(real, form_id) - _ids(page, form_id)
        if not i.startswith("btn-clear-") and not i.endswith("_table")
    }  # fmt: skip
    assert sorted(missing_ids) == []


def _table_shape(page: str, table_class: str) -> set[str]:
    """Cell classes and link-id patterns of a table (numbers folded)."""
    doc = html.document_fromstring(page)
    (table,) = doc.xpath(f"//table[contains(concat(' ', @class, ' '), ' {table_class} ')]")
    shape = {f"cell:{c}" for el in table.iter("th", "td") for c in (el.get("class") or "").split()}
    shape |= {f"id:{re.sub(r'[0-9]+', 'N', a.get('id'))}" for a in table.iter("a") if a.get("id")}
    shape |= {f"href:{re.sub(r'[0-9]+', 'N', a.get('href'))}" for a in table.iter("a")
              if a.get("href", "").startswith(("tel:", "/employee/", "/user/"))
              and "?" not in a.get("href", "")}  # fmt: skip
    return {re.sub(r"tel:.*", "tel:", s) for s in shape}


@pytest.mark.parametrize(
    ("capture", "path", "table_class"),
    [
        ("employee_list.html", "/employee", "table-employees-list"),
        ("user_list.html", "/user", "table-users-list"),
        ("employee_compensation_54.html", "/employee/compensation/{employee}",
         "table-employee-compensation-history"),
    ],
)  # fmt: skip
def test_tables_match_the_captures(capture: str, path: str, table_class: str) -> None:
    sim = Simulator.demo()
    employee = next(e for e in sim.store.employees.values() if e.active and e.site_ids)
    with httpx.Client(transport=sim.transport(), base_url="http://sim.test") as client:
        client.post("/login_check", data={"_username": sim.username, "_password": sim.password})
        page = client.get(path.format(employee=employee.id)).text
    real = (CAPTURES / capture).read_text(encoding="utf-8")
    assert sorted(_table_shape(real, table_class) - _table_shape(page, table_class)) == []
