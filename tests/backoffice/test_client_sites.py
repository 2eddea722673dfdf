"""Site-access polarity in both directions, checked against the simulator's store."""

from __future__ import annotations

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient as Client
from sonnys_tui.simulator import Simulator

from .conftest import new_employee


def test_every_edit_page_decodes_to_the_stored_sites(sim: Simulator, client: Client) -> None:
    for employee in list(sim.store.employees.values())[:40]:
        assert client.get_employee(employee.id).site_ids == employee.site_ids, employee.id


def _choices(sim: Simulator) -> list[set[int]]:
    ids = sorted(sim.store.sites)
    choices = [{ids[0]}, {ids[-1]}, set(ids[:-1]), set(ids[::2])]
    if sim.store.hierarchical:
        district = next(iter(sim.store.districts))
        region = next(iter(sim.store.regions))
        choices.append({s.id for s in sim.store.sites_in_district(district)})
        choices.append(
            {
                s.id
                for d in sim.store.districts_in_region(region)
                for s in sim.store.sites_in_district(d.id)
            }
        )
    return choices


@pytest.mark.parametrize("choice", range(6))
def test_created_employee_and_user_get_exactly_the_wanted_sites(
    sim: Simulator, client: Client, choice: int
) -> None:
    choices = _choices(sim)
    if choice >= len(choices):
        pytest.skip("flat tenants have no region/district groups")
    wanted = choices[choice]
    names = [sim.store.sites[i].name for i in sorted(wanted)]
    created = client.create_employee(
        **new_employee(client, available_sites=names),
        requires_backoffice=True,
        backoffice_username=f"sites_{choice}",
    )
    assert sim.store.employees[created.employee_id].site_ids == wanted
    assert client.get_employee(created.employee_id).site_ids == wanted
    assert created.backoffice_user is not None
    user = sim.store.users[created.backoffice_user.user_id]
    assert user.site_ids == wanted and not user.all_sites
