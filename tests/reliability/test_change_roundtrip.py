"""Property: an update of one field leaves every other stored field exactly as it was.

The update is a full replace of the record (CONTRACT §2.3): the client posts the edit
form back whole with one field changed. Whatever the record holds — odd characters, a
phone in any format, any site subset on either tenant shape, inputs the client does not
know — must come back byte for byte, and the one field must hold exactly what was asked.
"""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Employee

from .conftest import make_client
from .test_roundtrip import _NAME, _NAME_CHARS, EXTRA_NAMES, _text, employees

_serial = itertools.count(1)


def _stored(employee: Employee) -> dict[str, Any]:
    return dataclasses.asdict(employee)


# argument -> (the stored attribute, a strategy of (argument value, stored value))
def _cases(sim: Simulator) -> dict[str, tuple[str, st.SearchStrategy[tuple[Any, Any]]]]:
    store = sim.store
    sites = sorted(store.sites)
    departments = sorted(store.departments)
    digits = st.integers(5_550_000_000, 5_559_999_999).map(str)
    plain = _text(30, chars=_NAME_CHARS).map(str.strip)
    return {
        "first_name": ("first_name", _NAME.map(lambda v: (v, v))),
        "last_name": ("last_name", _NAME.map(lambda v: (v, v))),
        "phone": ("phone", digits.map(lambda v: (f"({v[:3]}) {v[3:6]}-{v[6:]}",) * 2)),
        "email": (
            "email",
            st.just(None).map(lambda _: (f"prop.{next(_serial)}@example.com",) * 2),
        ),
        "available_sites": (
            "site_ids",
            st.sets(st.sampled_from(sites), min_size=1).map(
                lambda ids: ([store.sites[i].name for i in ids], ids)
            ),
        ),
        "departments": (
            "department_ids",
            st.sets(st.sampled_from(departments), min_size=1).map(
                lambda ids: ([store.departments[i].name for i in ids], sorted(ids))
            ),
        ),
        "start_date": ("start_date", st.dates(date(2000, 1, 1), date(2030, 12, 31)).map(
            lambda d: (d, d))),
        "pos_pin": ("pos_pin", st.integers(10000, 99999).map(lambda p: (p, str(p)))),
        "new_pos_user_id": (
            "pos_user_id",
            st.integers(2_000_001, 2_100_000).map(lambda p: (p, p)),
        ),
        "emergency_contact_name": ("emergency_contact_name", plain.map(lambda v: (v, v))),
        "emergency_contact_phone": (
            "emergency_contact_phone",
            digits.map(lambda v: (f"{v[:3]}.{v[3:6]}.{v[6:]}",) * 2),
        ),
        "adp_employee_id": ("adp_employee_id", _text(32, chars=_NAME_CHARS).map(str.strip).map(
            lambda v: (v, v))),
    }  # fmt: skip


def _one_field(sim: Simulator, data: st.DataObject) -> None:
    employee, extra_fields = data.draw(employees(sim))
    sim.settings.extra_edit_fields = dict.fromkeys(EXTRA_NAMES, "") | extra_fields
    for name in EXTRA_NAMES:  # every extra input exists; unset ones stay empty
        employee.extra.setdefault(name, "")
    sim.store.add_employee(employee)
    cases = _cases(sim)
    argument = data.draw(st.sampled_from(sorted(cases)), label="field")
    attribute, values = cases[argument]
    new, stored = data.draw(values, label="value")
    before = {i: _stored(e) for i, e in sim.store.employees.items()}
    assume(before[employee.id][attribute] != stored)  # a change, not a no-op
    with make_client(sim) as client:
        if argument == "phone":
            assume(client.is_phone_available(new))
        result = client.update_employee(employee_id=employee.id, **{argument: new})
    field = "pos_user_id" if argument == "new_pos_user_id" else argument
    assert [c.field for c in result.changes] == [field]
    after = {i: _stored(e) for i, e in sim.store.employees.items()}
    assert after[employee.id][attribute] == stored
    expected = {**before[employee.id], attribute: stored}
    assert after[employee.id] == expected  # every other field exactly as it was
    assert {i: v for i, v in after.items() if i != employee.id} == {
        i: v for i, v in before.items() if i != employee.id
    }


_SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(data=st.data())
def test_an_update_of_one_field_changes_nothing_else_hierarchical(data: st.DataObject) -> None:
    _one_field(Simulator.demo(), data)


@_SETTINGS
@given(data=st.data())
def test_an_update_of_one_field_changes_nothing_else_flat(data: st.DataObject) -> None:
    _one_field(Simulator.flat(), data)
