"""The field registry itself: every field well formed, the keys the client's pages
post, the pay-sanity rule."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sonnys_tui.backoffice import fields, pages
from sonnys_tui.backoffice.errors import ValidationError


def test_names_and_aliases_are_unique() -> None:
    names = [f.name for f in fields.EMPLOYEE_FIELDS]
    aliases = [a for f in fields.EMPLOYEE_FIELDS for a in f.aliases]
    assert len(set(names)) == len(names)
    assert not set(aliases) & set(names)
    assert len(set(aliases)) == len(aliases)


def test_the_edit_page_keys_are_the_ones_its_parser_requires() -> None:
    keys = {key.key for _field, key in fields.fields_for("employee_edit")}
    assert set(pages.EDIT_FIELDS) <= keys


@pytest.mark.parametrize("page", fields.PAGES)
def test_every_page_has_keys_of_known_kinds(page: fields.Page) -> None:
    found = fields.fields_for(page)
    assert found
    assert {key.kind for _f, key in found} <= {"text", "checkbox", "select", "hidden", "site_tree"}


def test_labels_are_one_word_each_and_emergency_name_is_one_of_them() -> None:
    assert fields.label("emergency_contact_name") == "Emergency name"
    assert fields.label("rate") == fields.label("wage_rate")  # an alias: the same word


@pytest.mark.parametrize(
    ("wage", "overtime", "concerned"),
    [
        ("15.00", None, ()),
        ("7.25", "14.50", ()),
        ("100.00", None, ()),
        ("7.24", None, ("wage_rate",)),
        ("100.01", None, ("wage_rate",)),
        ("14.00", "28.01", ("overtime_wage_rate",)),
        ("2.00", "30.00", ("wage_rate", "overtime_wage_rate")),
    ],
)
def test_unusual_pay(wage: str, overtime: str | None, concerned: tuple[str, ...]) -> None:
    found = fields.unusual_pay(Decimal(wage), None if overtime is None else Decimal(overtime))
    assert tuple(c.field for c in found) == concerned


def test_refuse_unusual_pay_names_the_field_and_the_flag_unless_allowed() -> None:
    with pytest.raises(ValidationError) as caught:
        fields.refuse_unusual_pay(Decimal("500.00"))
    assert caught.value.field == "wage_rate"
    assert fields.ALLOW_UNUSUAL_PAY in str(caught.value)
    fields.refuse_unusual_pay(Decimal("500.00"), allowed=True)


def test_an_update_request_has_a_key_for_every_field_an_edit_may_set() -> None:
    from sonnys_tui.backoffice import UpdateRequest

    keys = {"pos_user_id" if k == "new_pos_user_id" else k for k in UpdateRequest.__optional_keys__}
    assert keys == {f.name for f in fields.settable("edit")}


def test_an_update_is_one_typed_value_checked_by_the_registry() -> None:
    from sonnys_tui.backoffice import SonnysBackofficeClient, UpdateRequest
    from sonnys_tui.simulator import Simulator

    sim = Simulator.demo()
    with SonnysBackofficeClient(**sim.client_kwargs()) as client:
        record = client.get_employee(pos_user_id=4101, wages=False, pos_access=False)
        request = UpdateRequest(phone="(555) 010-0142", emergency_contact_name="Sam Pilot")
        plan = client.plan_update_employee(current=record, **request)
        assert plan.fields == ("phone", "emergency_contact_name")  # the registry's order
        assert [fields.label(c.field) for c in plan.changes] == ["Phone", "Emergency name"]
        with pytest.raises(ValidationError) as caught:
            client.plan_update_employee(current=record, email="not-an-email")
        assert caught.value.field == "email"
        with pytest.raises(TypeError, match="unexpected keyword argument 'nickname'"):
            client.plan_update_employee(current=record, nickname="x")  # type: ignore[call-arg]
