from __future__ import annotations

import httpx
from lxml import html

from sonnys_tui.simulator import Simulator

from .browser import post


def _rows(page: str) -> list[list[str]]:
    doc = html.document_fromstring(page)
    return [
        [td.text_content().strip() for td in tr.iter("td")] for tr in doc.xpath("//table/tbody/tr")
    ]


def test_pos_template_list_marks_built_ins_view_only(sim: Simulator, client: httpx.Client) -> None:
    page = client.get("/pos-permission-template/list").text
    names = [row[0] for row in _rows(page)]
    assert names[:3] == ["Manager", "Cashier", "General User"]
    assert set(names) == {t.name for t in sim.store.pos_templates.values()}
    doc = html.document_fromstring(page)
    assert doc.xpath("//a[@href='/pos-permission-template/edit/1']/@title") == ["View Only"]
    assert doc.xpath("//a[@href='/pos-permission-template/edit/4']/@title") == ["Edit"]


def test_bo_template_list_shows_short_names_and_descriptions(client: httpx.Client) -> None:
    rows = _rows(client.get("/bo-permission-template/list").text)
    assert rows[0][:2] == ["admin", "Administrator"]
    assert [r[0] for r in rows[:3]] == ["admin", "manager", "user"]


def test_departments_page(sim: Simulator, client: httpx.Client) -> None:
    rows = _rows(client.get("/employee/department").text)
    assert sorted(r[0] for r in rows) == sorted(d.name for d in sim.store.departments.values())


def test_check_unique(sim: Simulator, client: httpx.Client) -> None:
    taken = next(iter(sim.store.employees.values()))
    busy = post(
        client, "/employee/checkunique", [("posCredential[POSLoginID]", str(taken.pos_user_id))]
    )
    assert busy.json() == {"unique": False}
    free = post(client, "/employee/checkunique", [("posCredential[POSLoginID]", "99999")])
    assert free.json() == {"unique": True}
    own = post(
        client, "/employee/checkunique",
        [("employee[id]", str(taken.id)), ("posCredential[POSLoginID]", str(taken.pos_user_id))],
    )  # fmt: skip
    assert own.json() == {"unique": True}


def test_redirect_body_is_symfony_style_with_relative_location(client: httpx.Client) -> None:
    response = client.get("/logout")
    assert response.headers["location"] == "/login"
    assert 'Redirecting to <a href="/login">/login</a>.' in response.text
    assert response.headers["cache-control"] == "no-store"
