from __future__ import annotations

import httpx
from lxml import html

from sonnys_tui.simulator import Simulator

from .browser import login
from .conftest import client_for


def test_demo_tenant_shape() -> None:
    store = Simulator.demo().store
    assert len(store.regions) == 2 and len(store.districts) >= 3
    assert 18 <= len(store.sites) <= 22
    ids = sorted(store.sites)
    assert ids != list(range(ids[0], ids[0] + len(ids)))  # gaps like a real tenant
    assert {d.name: d.id for d in store.departments.values()} == {
        "Cashier": 1, "Line": 2, "Greeter": 3, "Management": 4,
    }  # fmt: skip
    employees = list(store.employees.values())
    assert 50 <= len(employees) <= 70
    assert any(not e.active for e in employees)
    assert sum(1 for e in employees if not e.site_ids) >= 2
    assert all(1000 <= e.pos_user_id <= 9999 and len(e.pos_pin) == 5 for e in employees)
    access = {store.template_name_for(e.grant_ids, e.override_ids) for e in employees}
    assert {"Custom", "None"} < access and len(access) >= 4
    assert len(store.pos_permissions) == 34
    assert store.pos_permissions[0].id == 1
    assert 100 <= len(store.bo_tokens) <= 110
    assert {1, 2, 3} <= set(store.bo_templates) and {1, 2, 3} <= set(store.pos_templates)
    assert any(u.employee_id is not None for u in store.users.values())
    assert all(e.email.endswith(("@example.com", ".invalid")) for e in employees if e.email)


def test_tenants_are_deterministic() -> None:
    def summary(sim: Simulator) -> list[tuple[str, str, int, str]]:
        return [
            (e.first_name, e.last_name, e.pos_user_id, e.phone)
            for e in sim.store.employees.values()
        ]

    assert summary(Simulator.demo()) == summary(Simulator.demo())
    assert summary(Simulator.large(500, seed=3)) == summary(Simulator.large(500, seed=3))
    assert summary(Simulator.large(500, seed=3)) != summary(Simulator.large(500, seed=4))


def test_flat_tenant_has_no_hierarchy_and_renders_flat_tree(
    flat_sim: Simulator, flat_client: httpx.Client
) -> None:
    assert flat_sim.store.regions == {} and flat_sim.store.districts == {}
    assert all(s.district_id is None for s in flat_sim.store.sites.values())
    page = flat_client.get("/employee/create").text
    assert 'name="employee[isAllSitesAllowed]"' in page
    assert "disabledRegions" not in page


def test_large_tenant_builds_and_lists_everything_on_one_page() -> None:
    sim = Simulator.large(10_000, seed=1)
    assert len(sim.store.employees) == 10_000
    assert len({e.pos_user_id for e in sim.store.employees.values()}) == 10_000
    with client_for(sim) as c:
        login(c, sim.username, sim.password)
        page = c.get("/employee", params={"limit": "20000", "active": "all"}).text
    doc = html.document_fromstring(page)
    rows = doc.xpath("//table[contains(@class,'table-employees-list')]/tbody/tr")
    assert len(rows) == sum(1 for e in sim.store.employees.values() if e.site_ids)
    assert doc.xpath("//nav[@id='pager-employees']") == []
