"""Every text argument of the change operations refuses control, escape and invisible
characters before any request (the sweep of ``test_hostile_text.py``, for the changes):
the error names the field and the character as an escape, never the character itself."""

from __future__ import annotations

from typing import Any

import pytest

from sonnys_tui.backoffice.errors import ValidationError
from sonnys_tui.display import escape
from sonnys_tui.simulator import Simulator

from .conftest import make_client
from .hostile import unsafe_in
from .test_hostile_text import BAD_CHARS


def _with(bad: str) -> dict[str, tuple[str, dict[str, Any]]]:
    """(method, keyword arguments) per "method field" with ``bad`` inside a valid value."""
    texts: dict[str, Any] = {
        "first_name": f"Da{bad}na",
        "last_name": f"Re{bad}x",
        "phone": f"(555) 010{bad}-0150",
        "email": f"dana{bad}@example.com",
        "available_sites": [f"Demo{bad} Wash Fiesta"],
        "departments": [f"Gre{bad}eter"],
        "adp_employee_id": f"A{bad}1",
        "emergency_contact_name": f"Em{bad}ma",
        "emergency_contact_phone": f"(555) 010{bad}-0199",
    }
    cases: dict[str, tuple[str, dict[str, Any]]] = {}
    for method in ("update_employee", "plan_update_employee"):
        for field, value in texts.items():
            cases[f"{method} {field}"] = (method, {"employee_id": 401, field: value})
    for method in ("set_pos_permissions", "plan_set_pos_permissions"):
        cases[f"{method} template"] = (method, {"employee_id": 401, "template": f"Cash{bad}ier"})
    return cases


CASES = [pytest.param(name, kind, id=f"{name}-{kind}") for name in _with("") for kind in BAD_CHARS]


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_every_text_argument_of_a_change_refuses_unsafe_characters(name: str, kind: str) -> None:
    bad = BAD_CHARS[kind]
    method, kwargs = _with(bad)[name]
    field = name.split(" ", 1)[1]
    sim = Simulator.demo()
    with make_client(sim) as client, pytest.raises(ValidationError) as info:
        getattr(client, method)(**kwargs)
    error = info.value
    assert error.field == field, error
    assert "contains" in error.message, error.message
    assert unsafe_in(str(error)) == []  # the character is named, never repeated raw
    assert any(escape(c) in error.message for c in bad), error.message
    assert error.wrote_nothing
    assert sim.requests == []
