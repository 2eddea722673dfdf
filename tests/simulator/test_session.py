from __future__ import annotations

import httpx
import pytest

from sonnys_tui.simulator import Simulator

from .browser import alerts, login
from .conftest import client_for


def test_login_success_redirects_home_with_session_cookie(sim: Simulator) -> None:
    with client_for(sim) as c:
        response = login(c, sim.username, sim.password)
        assert response.status_code == 302
        assert response.headers["location"] == "/"
        assert "PHPSESSID" in response.cookies
        home = c.get("/")
        assert home.status_code == 200
        assert home.headers["content-type"] == "text/html; charset=UTF-8"
        assert home.headers["cache-control"] == "no-store"


def test_bad_login_redirect_variant(sim: Simulator) -> None:
    with client_for(sim) as c:
        response = login(c, sim.username, "wrong")
        assert response.status_code == 302
        assert response.headers["location"] == "/login"
        page = c.get("/login")
        assert alerts(page.text) == ["Invalid credentials."]
        assert c.get("/employee").headers.get("location") == "/login"


def test_bad_login_page200_variant(sim: Simulator) -> None:
    sim.settings.bad_login = "page200"
    with client_for(sim) as c:
        response = login(c, sim.username, "wrong")
        assert response.status_code == 200
        assert 'name="_username"' in response.text
        assert alerts(response.text) == ["Invalid credentials."]


def test_logged_out_redirects_to_login_by_default(sim: Simulator) -> None:
    with client_for(sim) as c:
        response = c.get("/employee")
        assert response.status_code == 302
        assert response.headers["location"] == "/login"


def test_logged_out_login200_variant_serves_login_page_at_same_url(sim: Simulator) -> None:
    sim.settings.expired_session = "login200"
    with client_for(sim) as c:
        response = c.get("/employee")
        assert response.status_code == 200
        assert 'name="_password"' in response.text
        assert "table-employees-list" not in response.text


def test_expire_sessions_logs_everyone_out_and_blocks_writes(
    sim: Simulator, client: httpx.Client
) -> None:
    assert client.get("/employee").status_code == 200
    sim.faults.expire_sessions()
    before = dict(sim.store.employees)
    response = client.post("/employee/insert", data={"employee[firstName]": "X"})
    assert response.headers["location"] == "/login"
    assert sim.store.employees == before
    assert login(client, sim.username, sim.password).status_code == 302
    assert client.get("/employee").status_code == 200


def test_session_lifetime_in_requests(sim: Simulator, client: httpx.Client) -> None:
    sim.settings.session_lifetime_requests = 2
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 200
    assert client.get("/").status_code == 302


def test_logout_ends_the_session(client: httpx.Client) -> None:
    assert client.get("/logout").headers["location"] == "/login"
    assert client.get("/").status_code == 302


def test_unknown_path_404_and_wrong_method_405(client: httpx.Client) -> None:
    assert client.get("/no/such/page").status_code == 404
    assert client.get("/employee/insert").status_code == 405
    assert client.post("/employee").status_code == 405


def test_inactive_bo_user_cannot_log_in(sim: Simulator) -> None:
    auditor = sim.store.user_by_username("outside_auditor")
    assert auditor is not None and not auditor.active
    with client_for(sim) as c:
        assert login(c, auditor.username, auditor.password).headers["location"] == "/login"


@pytest.mark.parametrize("path", ["/", "/employee", "/user/create"])
def test_recorded_requests_mask_secrets_in_repr(sim: Simulator, path: str) -> None:
    with client_for(sim) as c:
        login(c, sim.username, sim.password)
        c.get(path)
    first = sim.requests[0]
    assert first.form == [("_username", sim.username), ("_password", sim.password)]
    assert sim.password not in repr(first)
    assert [r.path for r in sim.requests] == ["/login_check", path]
    assert sim.requests[-1].status == 200
