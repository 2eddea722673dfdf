"""An edit page that lost an input must stop a disable/enable, never post without it:
an update is a full replace, so the server would wipe whatever the form left out."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from sonnys_tui.backoffice import pages
from sonnys_tui.backoffice.errors import BackofficeServerError
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Employee

from .conftest import make_client

SELECTORS = [
    *(f"[name={name}]" for name in pages.EDIT_FIELDS),
    "[name=employee[id]]",
    "[name=employee[isActive]]",
    "[name=employee[departments][]]",
    "#boac-region-options-list",
    "#boac-permission-type-region",
    ".boac-permission-site-option",
]


def _snapshot(employee: Employee) -> dict[str, Any]:
    data = dataclasses.asdict(employee)
    data.pop("active")
    data.pop("status_changed")
    return data


@pytest.mark.parametrize("flat", [False, True], ids=["hierarchical", "flat"])
@pytest.mark.parametrize("verb", ["disable", "enable"])
@pytest.mark.parametrize("selector", SELECTORS)
def test_an_edit_page_without_an_input_writes_nothing(selector: str, verb: str, flat: bool) -> None:
    sim = Simulator.flat() if flat else Simulator.demo()
    wanted_active = verb == "disable"
    target = next(
        e for e in sim.store.employees.values() if e.active == wanted_active and e.site_ids
    )
    target.emergency_contact_name, target.emergency_contact_phone = "Kin Example", "555-010-0111"
    target.adp_employee_id, target.start_date = "ADP-7", target.start_date or None
    before = _snapshot(target)
    fault = sim.faults.add(
        path=f"/employee/edit/{target.id}", method="GET", kind="markup", remove_selector=selector
    )
    with make_client(sim) as client:
        try:
            getattr(client, f"{verb}_employee")(employee_id=target.id)
        except BackofficeServerError as exc:
            assert exc.wrote_nothing, str(exc)
            assert target.active == wanted_active
            assert not [r for r in sim.requests if r.path == "/employee/update"]
        else:  # the page still held everything the record needs (e.g. an optional box)
            assert target.active != wanted_active
    assert fault.seen >= 1
    assert _snapshot(target) == before


@pytest.mark.parametrize("rejection", ["redirect", "page200"])
def test_a_disable_the_server_refuses_is_loud_and_writes_nothing(rejection: str) -> None:
    """A real refusal (the record's e-mail clashes with another's), both ways the server
    may answer it: a redirect to the form with an alert, or the form itself (200)."""
    from sonnys_tui.backoffice.errors import BackofficeError

    sim = Simulator.demo()
    sim.settings.rejection = rejection  # type: ignore[assignment]
    active = [e for e in sim.store.employees.values() if e.active and e.site_ids and e.email]
    target, other = active[0], active[1]
    target.email = other.email.upper()
    before = _snapshot(target)
    with make_client(sim) as client, pytest.raises(BackofficeError) as info:
        client.disable_employee(employee_id=target.id)
    assert other.email.upper() in str(info.value) or "already" in str(info.value)
    assert info.value.wrote_nothing and info.value.step == "disable employee"
    assert target.active and _snapshot(target) == before


def test_a_permissions_page_missing_some_permissions_is_a_warning_on_the_hire() -> None:
    """The page lost a whole group of permissions the template grants: the hire goes
    through (a browser could not grant them either) but the result says what is missing."""
    from .conftest import employee_args

    sim = Simulator.demo()
    with make_client(sim) as client:
        args = employee_args(client)
        client.list_permissions(scope="pos")  # templates read from an intact page
        sim.faults.add(
            path="/employee/permissions/*",
            method="GET",
            kind="markup",
            remove_selector="#sbox-permission-groupdiscount",
            nth=None,
        )
        created = client.create_employee(**args)
    employee = sim.store.employees[created.employee_id]
    discount = {p.id for p in sim.store.pos_permissions if p.group == "Discount"}
    cashier = next(t for t in sim.store.pos_templates.values() if t.name == created.permission)
    assert discount <= cashier.grant_ids
    assert employee.grant_ids == cashier.grant_ids - discount
    [warning] = created.warnings
    assert "not granted" in warning and all(str(i) in warning for i in discount)
