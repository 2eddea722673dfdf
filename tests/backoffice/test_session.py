from __future__ import annotations

import logging
from collections.abc import Callable

import httpx
import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.backoffice.errors import (
    AuthenticationError,
    BackofficeConnectionError,
    BackofficeServerError,
    ValidationError,
)
from sonnys_tui.backoffice.forms import FormData
from sonnys_tui.backoffice.session import Session

LOGIN_PAGE = (
    '<html><body><form action="/login_check"><input name="_username">'
    '<input type="password" name="_password"></form></body></html>'
)
HOME = "<html><body><h1>Dashboard</h1></body></html>"
PASSWORD = "s3cret-Passw0rd"


class FakeServer:
    """Just enough of the login behaviour to exercise the session."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self.logged_in = False
        self.expire_next = 0  # number of protected requests answered as "logged out"
        self.expired_with_200 = False
        self.refuse_login = False
        self.fail: Callable[[httpx.Request], httpx.Response | None] | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((request.method, request.url.path))
        if self.fail is not None and (answer := self.fail(request)) is not None:
            return answer
        if request.url.path == "/login_check":
            body = request.content.decode()
            ok = f"_password={PASSWORD}" in body and not self.refuse_login
            self.logged_in = ok
            return httpx.Response(302, headers={"Location": "/" if ok else "/login"})
        if request.url.path == "/login":
            return httpx.Response(200, text=LOGIN_PAGE)
        if not self.logged_in or (self.expire_next and request.url.path != "/"):
            if self.expire_next:
                self.expire_next -= 1
                self.logged_in = False
            if self.expired_with_200:
                return httpx.Response(200, text=LOGIN_PAGE)
            return httpx.Response(302, headers={"Location": "/login"})
        if request.url.path == "/":
            return httpx.Response(200, text=HOME)
        if request.method == "POST":
            return httpx.Response(302, headers={"Location": "/employee?actionXfer=abcdefgh"})
        return httpx.Response(200, text=f"<html><body><p>{request.url.path}</p></body></html>")

    def logins(self) -> int:
        return sum(1 for _, path in self.requests if path == "/login_check")


def _session(server: FakeServer, password: str = PASSWORD) -> Session:
    return Session(
        base_url="http://bo.test",
        username="bot",
        password=password,
        timeout=5,
        user_agent="tests",
        transport=httpx.MockTransport(server),
    )


def test_login_is_lazy_then_once() -> None:
    server = FakeServer()
    session = _session(server)
    assert server.requests == []
    page = session.get("/employee")
    assert "/employee" in page.text
    session.get("/user")
    assert server.logins() == 1
    # The login's redirect to the dashboard is not fetched: login, two pages.
    assert session.stats.requests == len(server.requests) == 3
    assert session.stats.bytes_received > 0
    session.stats.reset()
    assert (session.stats.requests, session.stats.bytes_received) == (0, 0)


def test_wrong_password_sends_exactly_one_login() -> None:
    server = FakeServer()
    session = _session(server, password="wrong-password")
    with pytest.raises(AuthenticationError) as info:
        session.get("/employee")
    assert server.logins() == 1
    assert "wrong-password" not in str(info.value)
    assert not any(path == "/employee" for _, path in server.requests)


@pytest.mark.parametrize("with_200", [False, True])
def test_expired_session_relogs_once_and_repeats(with_200: bool) -> None:
    server = FakeServer()
    server.expired_with_200 = with_200
    session = _session(server)
    session.get("/employee")
    server.expire_next = 1
    page = session.post("/employee/update", FormData([("employee[id]", "1")]))
    assert page.redirects == ("/employee?actionXfer=abcdefgh",)
    assert server.logins() == 2
    assert [r for r in server.requests if r == ("POST", "/employee/update")] == [
        ("POST", "/employee/update"),
        ("POST", "/employee/update"),
    ]


def test_login_page_after_relogin_is_an_error_not_a_loop() -> None:
    server = FakeServer()
    session = _session(server)
    session.get("/employee")
    server.expire_next = 10
    with pytest.raises(AuthenticationError, match="lost again"):
        session.get("/employee")
    assert server.logins() == 2


def test_server_errors_and_transport_errors_are_mapped() -> None:
    server = FakeServer()
    session = _session(server)
    server.fail = lambda r: httpx.Response(503) if r.url.path == "/boom" else None
    with pytest.raises(BackofficeServerError) as info:
        session.get("/boom", step="read boom")
    assert info.value.status_code == 503 and info.value.url == "/boom"
    assert not isinstance(info.value, BackofficeConnectionError)

    def timeout(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/slow":
            raise httpx.ReadTimeout("slow", request=request)
        if request.url.path == "/drop":
            raise httpx.RemoteProtocolError("dropped", request=request)
        return None

    server.fail = timeout
    with pytest.raises(BackofficeConnectionError, match="connection was lost") as dropped:
        session.post("/drop", FormData([("a", "b")]))
    assert "its outcome is unknown" in str(dropped.value)  # a write may have happened
    assert "Error" not in str(dropped.value)  # in words, not an exception class


def test_a_failed_read_never_says_its_outcome_is_unknown() -> None:
    """Only a write can have an unknown outcome: a read, streamed or not, changed nothing."""
    server = FakeServer()
    session = _session(server)

    def timeout(request: httpx.Request) -> httpx.Response | None:
        if request.url.path in ("/slow", "/employee"):
            raise httpx.ReadTimeout("slow", request=request)
        return None

    session.get("/")  # logged in: the failures below are the reads'
    server.fail = timeout
    for read in (lambda: session.get("/slow"), lambda: session.get_streamed("/employee")):
        with pytest.raises(BackofficeConnectionError) as info:
            read()
        assert "timed out" in str(info.value)
        assert "unknown" not in str(info.value) and "changed nothing" in str(info.value)


def test_a_failed_login_never_says_its_outcome_is_unknown() -> None:
    server = FakeServer()
    session = _session(server)

    def timeout(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/login_check":
            raise httpx.ReadTimeout("slow", request=request)
        return None

    server.fail = timeout
    with pytest.raises(BackofficeConnectionError) as info:
        session.get("/")
    assert "unknown" not in str(info.value) and "changed nothing" in str(info.value)


def test_logs_carry_method_and_path_but_never_bodies(caplog: pytest.LogCaptureFixture) -> None:
    server = FakeServer()
    session = _session(server)
    with caplog.at_level(logging.DEBUG, logger="sonnys_tui.backoffice"):
        session.post("/employee/insert", FormData([("posCredential[POSLoginPassword]", "97531")]))
    assert "POST /employee/insert" in caplog.text
    assert PASSWORD not in caplog.text and "97531" not in caplog.text


def test_client_refuses_plain_http_off_loopback() -> None:
    with pytest.raises(ValidationError, match="http://"):
        SonnysBackofficeClient(
            subdomain="demo", username="bot", password=PASSWORD, base_url="http://bo.example.com"
        )
    for url in ("http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9"):
        SonnysBackofficeClient(subdomain="demo", username="bot", password=PASSWORD, base_url=url)
    transport = httpx.MockTransport(FakeServer())
    SonnysBackofficeClient(
        subdomain="demo",
        username="bot",
        password=PASSWORD,
        base_url="http://sim.test",
        transport=transport,
    )
    with pytest.raises(ValidationError, match="subdomain"):
        SonnysBackofficeClient(subdomain="Bad.Sub", username="bot", password=PASSWORD)


def test_client_defaults_to_the_tenant_https_url_and_hides_the_password() -> None:
    client = SonnysBackofficeClient(subdomain="mywash", username="bot", password=PASSWORD)
    with client:
        assert client.base_url == "https://mywash.sonnyscontrols.com"
        assert PASSWORD not in repr(client)
        assert PASSWORD not in repr(client.__dict__)


def test_a_processed_write_is_never_resent_after_a_relogin() -> None:
    """The POST redirected (it was processed); only the page after it found the session gone."""
    server = FakeServer()
    session = _session(server)
    session.get("/employee")
    landing_hits = {"n": 0}

    def expire_on_landing(request: httpx.Request) -> httpx.Response | None:
        if request.url.path == "/employee" and request.url.params.get("actionXfer"):
            landing_hits["n"] += 1
            if landing_hits["n"] == 1:
                return httpx.Response(302, headers={"Location": "/login"})
        return None

    server.fail = expire_on_landing
    page = session.post("/employee/update", FormData([("employee[id]", "1")]))
    posts = [r for r in server.requests if r == ("POST", "/employee/update")]
    assert len(posts) == 1
    assert page.first_redirect == "/employee?actionXfer=abcdefgh"
    assert "/employee" in page.text and server.logins() == 2


def test_page_repr_leaves_the_body_out() -> None:
    from sonnys_tui.backoffice.session import Page

    page = Page(url="/employee/edit/1", status_code=200, content=b"PIN 97531")
    assert "97531" not in repr(page)
