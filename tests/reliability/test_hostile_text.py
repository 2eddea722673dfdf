"""Text from the server is data, never markup: Rich markup, HTML-looking text, control
characters and very long strings come through every parser exactly as stored.

Form values (the edit page) come back byte for byte; text shown in page content (list
cells, tree labels, alerts) comes back as a browser shows it: white space collapsed.
"""

from __future__ import annotations

import pytest

from sonnys_tui.backoffice.errors import BackofficeError
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import BoUser, Employee

from .conftest import employee_args, make_client

HOSTILE = [
    "[bold]Eve[/]",
    "[@click=app.quit]Mallory[/]",
    "[/]",
    "[link=https://evil.example]x[/link]",
    "\x1b[31mRed\x1b[0m",
    "bell\x07tab\tnul-ish\x01",
    "<script>alert(1)</script>",
    "&lt;b&gt; &amp; &#x41;",
    "\u202eevil\u202c",
    "Zoë 日本 🚗",
    "L" * 5000,
]


@pytest.fixture(params=range(len(HOSTILE)), ids=lambda i: repr(HOSTILE[i])[:24])
def text(request: pytest.FixtureRequest) -> str:
    return HOSTILE[request.param]


def shown(text: str) -> str:
    """Page content as a browser shows it."""
    return " ".join(text.split())


def test_employee_names_come_back_literally(text: str) -> None:
    sim = Simulator.demo()
    employee = sim.store.add_employee(
        Employee(
            id=sim.store.next_employee_id(),
            first_name=text,
            last_name=text[::-1],
            phone=text[:20],
            email="hostile@example.com",
            department_ids=[1],
            site_ids={1},
            pos_user_id=777_001,
            pos_pin="12345",
            emergency_contact_name=text,
            adp_employee_id=text[:32],
        )
    )
    with make_client(sim) as client:
        row = next(r for r in client.list_employees() if r.employee_id == employee.id)
        assert (row.first_name, row.last_name) == (shown(text), shown(text[::-1]))
        assert row.phone == shown(text[:20])
        record = client.get_employee(employee.id)
        assert (record.first_name, record.last_name) == (text, text[::-1])
        assert record.emergency_contact_name == text
        assert record.adp_employee_id == text[:32]
        found = client.search_employees(pos_user_id=777_001)
        assert [r.first_name for r in found] == [shown(text)]
        client.disable_employee(employee_id=employee.id)
    assert employee.first_name == text and employee.emergency_contact_name == text


def test_catalogue_names_come_back_literally(text: str) -> None:
    sim = Simulator.demo()
    site = next(iter(sim.store.sites.values()))
    site.name = f"Site {text}"
    department = next(iter(sim.store.departments.values()))
    department.name = f"Dept {text}"
    pos_template = next(iter(sim.store.pos_templates.values()))
    pos_template.name = f"POS {text}"
    bo_template = next(iter(sim.store.bo_templates.values()))
    bo_template.description = f"BO {text}"
    user = sim.store.add_user(
        BoUser(
            id=sim.store.next_user_id(),
            username="hostile_user",
            email="hostile.user@example.com",
            password="irrelevant",
            first_name=text,
            last_name=text,
        )
    )
    with make_client(sim) as client:
        site_names = [s.name for s in client.list_sites()]
        assert f"Site {text}" in site_names or shown(f"Site {text}") in site_names
        assert shown(f"Dept {text}") in [d.name for d in client.list_departments()]
        assert shown(f"POS {text}") in [p.name for p in client.list_permissions(scope="pos")]
        descriptions = [p.description for p in client.list_permissions(scope="backoffice")]
        assert shown(f"BO {text}") in descriptions
        row = next(u for u in client.list_backoffice_users() if u.user_id == user.id)
        assert (row.first_name, row.last_name) == (shown(text), shown(text))


def test_alert_text_reaches_the_exception_literally(text: str) -> None:
    sim = Simulator.demo()
    with make_client(sim) as client:
        args = employee_args(client)
        sim.faults.add(path="/employee/insert", method="POST", kind="alert", alert_text=text)
        with pytest.raises(BackofficeError) as info:
            client.create_employee(**args)
    assert info.value.message == shown(text)
    assert shown(text) in str(info.value)
    assert sim.store.employee_by_pos_id(args["pos_user_id"]) is None
