"""create_employee's wage against the simulator: the labor site asked for, and an overtime
rate below the wage refused before any write."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient as Client
from sonnys_tui.backoffice.errors import UnknownNameError, ValidationError
from sonnys_tui.simulator import Simulator

from .conftest import new_employee


def _writes(sim: Simulator) -> list[str]:
    return [r.path for r in sim.requests if r.method == "POST" and r.path != "/login_check"]


def _stored_wage_site(sim: Simulator, employee_id: int) -> int | None:
    wage = sim.store.employees[employee_id].latest_wage()
    assert wage is not None
    return wage.site_id


def test_wage_site_by_name_or_code_among_the_chosen_sites(sim: Simulator, client: Client) -> None:
    sites = client.list_sites()
    second = sites[2]
    created = client.create_employee(**new_employee(client, wage_site=second.code.lower()))
    assert created.wage_site == second.code
    assert _stored_wage_site(sim, created.employee_id) == second.id

    other = {"email": "other.one@example.com", "phone": "(555) 010-0143"}
    again = client.create_employee(**new_employee(client, **other, wage_site=sites[0].name))
    assert again.wage_site == sites[0].code
    assert _stored_wage_site(sim, again.employee_id) == sites[0].id


def test_wage_site_defaults_to_the_first_chosen_site(sim: Simulator, client: Client) -> None:
    sites = client.list_sites()
    created = client.create_employee(**new_employee(client))
    assert created.wage_site == sites[0].code
    assert _stored_wage_site(sim, created.employee_id) == sites[0].id


def test_wage_site_with_all_sites_may_be_any_site(sim: Simulator, client: Client) -> None:
    last = client.list_sites()[-1]
    created = client.create_employee(
        **new_employee(client, available_sites="all", wage_site=last.name)
    )
    assert created.wage_site == last.code
    assert _stored_wage_site(sim, created.employee_id) == last.id


def test_a_wage_site_outside_the_chosen_sites_is_refused_before_any_write(
    sim: Simulator, client: Client
) -> None:
    outside = client.list_sites()[1]  # new_employee chooses sites 0 and 2
    with pytest.raises(UnknownNameError) as caught:
        client.create_employee(**new_employee(client, wage_site=outside.name))
    assert caught.value.field == "wage_site"
    assert outside.name in caught.value.message
    assert _writes(sim) == []


@pytest.mark.parametrize("bad", ["", "  ", 7])
def test_a_wage_site_that_names_nothing_is_refused(client: Client, bad: object) -> None:
    with pytest.raises(ValidationError) as caught:
        client.create_employee(**new_employee(client, wage_site=bad))
    assert caught.value.field == "wage_site"


def test_overtime_below_the_wage_is_refused_before_any_write(
    sim: Simulator, client: Client
) -> None:
    with pytest.raises(ValidationError) as caught:
        client.create_employee(
            **new_employee(client, wage_rate="16.50", overtime_wage_rate="10.00")
        )
    assert caught.value.field == "overtime_wage_rate"
    assert "16.50" in caught.value.message and "10.00" in caught.value.message
    assert _writes(sim) == []


def test_overtime_equal_to_the_wage_is_accepted(sim: Simulator, client: Client) -> None:
    created = client.create_employee(
        **new_employee(client, wage_rate="16.50", overtime_wage_rate="16.50")
    )
    assert created.overtime_wage_rate == Decimal("16.50")
