from __future__ import annotations

import httpx
import pytest

from sonnys_tui.simulator import Simulator

from .browser import alerts, form_pairs, login, post, replace
from .conftest import client_for


def _edit(client: httpx.Client, employee_id: int, **changes: str) -> list[tuple[str, str]]:
    page = client.get(f"/employee/edit/{employee_id}").text
    return replace(form_pairs(page, "employee-create-edit-form"), **changes)


def _first(sim: Simulator) -> int:
    return next(e.id for e in sim.store.employees.values() if e.active and e.site_ids and e.email)


def test_500_before_means_no_write(sim: Simulator, client: httpx.Client) -> None:
    employee_id = _first(sim)
    pairs = _edit(client, employee_id, employee__phone="312-555-0177")
    sim.faults.add(path="/employee/update", method="POST", kind="500")
    response = post(client, "/employee/update", pairs)
    assert response.status_code == 500
    assert sim.store.employees[employee_id].phone != "312-555-0177"
    assert post(client, "/employee/update", pairs).status_code == 302  # nth=1 only
    assert sim.store.employees[employee_id].phone == "312-555-0177"


def test_drop_via_transport_raises_remote_protocol_error(
    sim: Simulator, client: httpx.Client
) -> None:
    employee_id = _first(sim)
    pairs = _edit(client, employee_id, employee__phone="312-555-0178")
    sim.faults.add(path="/employee/update", kind="drop")
    with pytest.raises(httpx.RemoteProtocolError):
        post(client, "/employee/update", pairs)
    assert sim.store.employees[employee_id].phone != "312-555-0178"
    assert sim.requests[-1].status == 0


def test_timeout_after_means_the_write_happened(sim: Simulator, client: httpx.Client) -> None:
    employee_id = _first(sim)
    pairs = _edit(client, employee_id, employee__phone="312-555-0179")
    sim.faults.add(path="/employee/update", kind="timeout", when="after")
    with pytest.raises(httpx.ReadTimeout):
        post(client, "/employee/update", pairs)
    assert sim.store.employees[employee_id].phone == "312-555-0179"


def test_login200_serves_the_login_page_in_place(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.add(path="/employee", method="GET", kind="login200")
    response = client.get("/employee")
    assert response.status_code == 200
    assert 'name="_username"' in response.text and "table-employees-list" not in response.text
    assert "table-employees-list" in client.get("/employee").text


def test_alert_redirects_to_the_form_with_the_text(sim: Simulator, client: httpx.Client) -> None:
    employee_id = _first(sim)
    pairs = _edit(client, employee_id, employee__phone="312-555-0180")
    sim.faults.add(path="/employee/update", kind="alert", alert_text="Database is busy.")
    response = post(client, "/employee/update", pairs)
    location = response.headers["location"]
    assert location.startswith(f"/employee/edit/{employee_id}?actionXfer=")
    assert alerts(client.get(location).text) == ["Database is busy."]
    assert sim.store.employees[employee_id].phone != "312-555-0180"


def test_markup_removes_the_selected_element(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.add(path="/employee", kind="markup", remove_selector="#pager-employees")
    assert 'id="pager-employees"' not in client.get("/employee").text
    assert 'id="pager-employees"' in client.get("/employee").text
    sim.faults.add(path="/employee", kind="markup", remove_selector=".table-employees-list")
    assert "table-employees-list" not in client.get("/employee").text


def test_nth_every_match_prefix_and_method(sim: Simulator, client: httpx.Client) -> None:
    sim.faults.add(path="/employee/edit/*", method="GET", nth=2, kind="500")
    employee_id = _first(sim)
    statuses = [client.get(f"/employee/edit/{employee_id}").status_code for _ in range(3)]
    assert statuses == [200, 500, 200]
    sim.faults.clear()
    sim.faults.add(path="/user*", nth=None, kind="500")
    assert [client.get("/user").status_code for _ in range(2)] == [500, 500]
    assert client.get("/employee").status_code == 200
    sim.faults.clear()
    sim.faults.add(path="/user", method="POST", nth=None, kind="500")
    assert client.get("/user").status_code == 200


def test_latency_sleeps_before_handling(
    sim: Simulator, client: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sonnys_tui.simulator import app as app_module

    naps: list[float] = []
    monkeypatch.setattr(app_module.time, "sleep", naps.append)
    sim.faults.latency_ms = 150
    client.get("/")
    assert naps == [0.15]


def test_markup_fault_needs_a_selector(sim: Simulator) -> None:
    with pytest.raises(ValueError, match="remove_selector"):
        sim.faults.add(path="/employee", kind="markup")


# --- served on a loopback port ---------------------------------------------------------------


def test_served_login_list_and_relative_redirects(sim: Simulator) -> None:
    with sim.serve() as base_url, httpx.Client(base_url=base_url) as c:
        assert base_url.startswith("http://127.0.0.1:")
        response = login(c, sim.username, sim.password)
        assert response.status_code == 302 and response.headers["location"] == "/"
        page = c.get("/employee")
        assert page.status_code == 200 and "table-employees-list" in page.text


def test_served_drop_and_timeout(sim: Simulator) -> None:
    sim.faults.timeout_seconds = 0.5
    with sim.serve() as base_url, httpx.Client(base_url=base_url, timeout=0.2) as c:
        sim.faults.add(path="/login", kind="drop")
        with pytest.raises(httpx.RemoteProtocolError):
            c.get("/login")
        sim.faults.add(path="/logout", kind="timeout")
        with pytest.raises(httpx.ReadTimeout):
            c.get("/logout")
        assert c.get("/login").status_code == 200


def test_in_process_and_served_answer_alike(sim: Simulator) -> None:
    with client_for(sim) as local:
        login(local, sim.username, sim.password)
        local_page = local.get("/employee/create").text
    with sim.serve() as base_url, httpx.Client(base_url=base_url) as served:
        login(served, sim.username, sim.password)
        served_page = served.get("/employee/create").text
    assert form_pairs(local_page, "employee-create-edit-form") == form_pairs(
        served_page, "employee-create-edit-form"
    )
