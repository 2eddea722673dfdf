"""Passwords and PINs never leak: logs (every logger at DEBUG), exceptions, reprs,
results, the audit log, the roster cache and the config file. Transport safety:
no plain http off loopback, TLS verification always on."""

from __future__ import annotations

import logging
import os
import re
import ssl
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from sonnys_tui import audit, cache, config
from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.backoffice.errors import AuthenticationError, BackofficeError, ValidationError
from sonnys_tui.simulator import Simulator

from .conftest import SENTINEL_PASSWORD, SENTINEL_PIN, employee_args, make_client

BO_SENTINEL = "Sentinel-BoPw-27kZ"
RESET_SENTINEL = "Sentinel-Reset-58qT"
PIN_TEXT = str(SENTINEL_PIN)
SECRETS = (SENTINEL_PASSWORD, BO_SENTINEL, PIN_TEXT, RESET_SENTINEL)


@pytest.fixture
def sim() -> Simulator:
    sim = Simulator.demo()
    bot = sim.store.user_by_username(sim.username)
    assert bot is not None
    bot.password = sim.password = SENTINEL_PASSWORD
    return sim


@pytest.fixture
def client(sim: Simulator) -> Iterator[SonnysBackofficeClient]:
    with make_client(sim) as c:
        yield c


def _clean(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"a secret leaked into {where}: {text[:300]!r}"


def _exception_text(exc: BaseException) -> str:
    return "\n".join(
        [str(exc), repr(exc), repr(exc.args), "".join(traceback.format_exception(exc))]
    )


def _all_records_clean(caplog: pytest.LogCaptureFixture) -> None:
    assert caplog.records, "nothing was logged: is DEBUG capture on?"
    for record in caplog.records:
        text = record.getMessage() + repr(record.args) + (record.exc_text or "")
        _clean(text, f"log record of {record.name}")


def _run_flows(sim: Simulator, client: SonnysBackofficeClient, tmp_path: Path) -> list[str]:
    """Login, hire with a BO user, read back, disable, and failures with faults.
    Returns every text the flows produced (reprs, exception texts)."""
    texts: list[str] = [repr(client)]
    args = employee_args(
        client,
        pos_pin=SENTINEL_PIN,
        requires_backoffice=True,
        backoffice_username="sentinel_bo",
        backoffice_password=BO_SENTINEL,
    )
    with audit.audited("p", "demo", "create_employee", f"pos_user_id={args['pos_user_id']}"):
        created = client.create_employee(**args)
    texts += [repr(created), str(created), repr(created.backoffice_user), repr(created.pos_pin)]
    assert created.pos_pin.reveal() == PIN_TEXT  # the secret is there, only never shown
    record = client.get_employee(created.employee_id)
    texts += [repr(record), str(record)]
    # A password reset, and a failed one (its outcome unknown).
    reset = client.reset_backoffice_password(username="sentinel_bo", password=RESET_SENTINEL)
    texts += [repr(reset), str(reset), repr(client.get_backoffice_user(username="sentinel_bo"))]
    sim.faults.add(path="/user/update", method="POST", kind="drop")
    with pytest.raises(BackofficeError) as info:
        client.reset_backoffice_password(username="sentinel_bo", password=RESET_SENTINEL)
    texts.append(_exception_text(info.value))
    with audit.audited("p", "demo", "disable_employee", f"pos_user_id={created.pos_user_id}"):
        texts.append(repr(client.disable_employee(pos_user_id=created.pos_user_id)))
    # The Back Office user writes: offboarding, and a reinstatement stopped part way.
    texts.append(repr(client.offboard_employee(pos_user_id=created.pos_user_id)))
    sim.faults.add(path="/user/update", method="POST", kind="500")
    with pytest.raises(BackofficeError) as info:  # stopped after the employee: incomplete
        client.reinstate_employee(pos_user_id=created.pos_user_id, backoffice=True)
    texts.append(_exception_text(info.value))

    # Failures with faults, each through the audit trail too.
    failures: list[tuple[str, str, str, dict[str, Any]]] = [
        ("/employee/insert", "POST", "500", {"pos_user_id": 8802, "email": "f2@example.com",
                                             "phone": "555-010-0102"}),
        ("/employee/permissions/update", "POST", "drop", {"pos_user_id": 8803,
                                                          "email": "f3@example.com",
                                                          "phone": "555-010-0103"}),
        ("/user/insert", "POST", "alert", {"pos_user_id": 8804, "email": "f4@example.com",
                                           "phone": "555-010-0104",
                                           "backoffice_username": "sentinel_bo4"}),
    ]  # fmt: skip
    for path, method, kind, override in failures:
        sim.faults.add(path=path, method=method, kind=kind)  # type: ignore[arg-type]
        attempt = {**args, "backoffice_username": "sentinel_bo_x", **override}
        with (
            pytest.raises(BackofficeError) as info,
            audit.audited("p", "demo", "create_employee", "x"),
        ):
            client.create_employee(**attempt)
        texts.append(_exception_text(info.value))
    with pytest.raises(BackofficeError) as info:
        client.create_backoffice_user(
            username="sentinel_bo",  # taken: a DuplicateError
            email="dup@example.com",
            permission="user",
            password=BO_SENTINEL,
            first_name="Dup",
            last_name="User",
        )
    texts.append(_exception_text(info.value))
    with pytest.raises(ValidationError) as bad:
        client.create_employee(**{**args, "backoffice_password": BO_SENTINEL[:5]})
    texts.append(_exception_text(bad.value))
    texts.append(repr(client))
    return texts


def test_no_secret_anywhere_after_the_flows(
    sim: Simulator, client: SonnysBackofficeClient, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # the root logger: httpx, httpcore and ours propagate
    for name in ("httpx", "httpcore", "sonnys_tui"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    texts = _run_flows(sim, client, tmp_path)
    for text in texts:
        _clean(text, "a repr or an exception")
    _all_records_clean(caplog)
    assert any(r.name.startswith("httpx") for r in caplog.records), "httpx logs not captured"
    # Sanity: the flows did send the secrets to the server, so absence above means something.
    posted = [v for r in sim.requests for _k, v in r.form]
    assert SENTINEL_PASSWORD in posted and BO_SENTINEL in posted and PIN_TEXT in posted
    assert RESET_SENTINEL in posted

    audit_text = audit.audit_path().read_text(encoding="utf-8")
    assert audit_text.count("\n") == 5
    _clean(audit_text, "the audit log")

    snapshot = cache.RosterSnapshot(
        saved_at=datetime.now(UTC),
        employees=tuple(client.list_employees()),
        sites=tuple(client.list_sites()),
        departments=tuple(client.list_departments()),
        templates=tuple(client.list_permissions(scope="pos")),
        emails=frozenset(r.email for r in client.list_backoffice_users()),
    )
    _clean(cache.save("p", snapshot).read_text(encoding="utf-8"), "the roster cache")


def test_wrong_password_never_echoes(sim: Simulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    sim.store.user_by_username(sim.username).password = "something-else"  # type: ignore[union-attr]
    with make_client(sim, password=SENTINEL_PASSWORD) as client:
        with pytest.raises(AuthenticationError) as info:
            client.list_sites()
        _clean(_exception_text(info.value), "the authentication error")
        _clean(repr(client), "repr(client)")
    _all_records_clean(caplog)


class _MemoryKeyring:
    """Stands in for the user's real keyring, which a test must never touch."""

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, account: str, password: str) -> None:
        self.store[service, account] = password

    def get_password(self, service: str, account: str) -> str | None:
        return self.store.get((service, account))


def test_config_file_never_holds_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    keyring = _MemoryKeyring()
    monkeypatch.setattr(config, "_keyring", lambda: keyring)
    monkeypatch.setenv(config.PASSWORD_ENV, SENTINEL_PASSWORD)
    profile = config.Profile(
        name="sentinel", subdomain="demo", username="bot", remember_password=True
    )
    config.save_profile(profile)
    assert config.resolve_password(profile) == SENTINEL_PASSWORD
    assert config.remember_password(profile, SENTINEL_PASSWORD)  # the keyring, never the file
    monkeypatch.delenv(config.PASSWORD_ENV)
    assert config.resolve_password(profile) == SENTINEL_PASSWORD
    text = config.config_path().read_text(encoding="utf-8")
    assert "sentinel" in text
    _clean(text, "the config file")
    _clean(repr(profile), "repr(profile)")


def test_session_and_client_reprs_hide_the_password() -> None:
    client = SonnysBackofficeClient(subdomain="demo", username="bot", password=SENTINEL_PASSWORD)
    texts = [repr(client), str(client), repr(vars(client)), repr(client._session)]
    client.close()
    for text in texts:
        _clean(text, "a client repr")


# ------------------------------------------------------------------------- transport safety


@pytest.mark.parametrize(
    "url",
    [
        "http://demo.sonnyscontrols.com",
        "http://localhost.evil.example",
        "http://127.0.0.1.nip.io",
        "http://10.0.0.5",
        "http://0x7f.0.0.1",
        "http://[::ffff:8.8.8.8]",
    ],
)
def test_plain_http_off_loopback_is_refused(url: str) -> None:
    with pytest.raises(ValidationError) as info:
        SonnysBackofficeClient(subdomain="demo", username="bot", password="pw", base_url=url)
    assert info.value.field == "base_url"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9"])
def test_plain_http_on_loopback_is_allowed(url: str) -> None:
    SonnysBackofficeClient(subdomain="demo", username="bot", password="pw", base_url=url).close()


def _ssl_context(client: SonnysBackofficeClient) -> ssl.SSLContext:
    transport = client._session._http._transport
    assert isinstance(transport, httpx.HTTPTransport)
    context = transport._pool._ssl_context
    assert isinstance(context, ssl.SSLContext)
    return context


def test_tls_is_verified() -> None:
    with SonnysBackofficeClient(subdomain="demo", username="bot", password="pw") as client:
        assert client.base_url == "https://demo.sonnyscontrols.com"
        context = _ssl_context(client)
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert context.check_hostname is True


def test_plain_http_on_loopback_verifies_too_and_trusts_no_certificate() -> None:
    """The loopback http:// client (the demo) never speaks TLS, so it loads no CA
    bundle; its context still verifies, and would accept no server at all."""
    url = "http://127.0.0.1:8080"
    with SonnysBackofficeClient(subdomain="demo", username="bot", password="pw", base_url=url) as c:
        context = _ssl_context(c)
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert context.check_hostname is True
        assert context.get_ca_certs() == []


def test_no_source_turns_tls_verification_off() -> None:
    package = Path(__file__).resolve().parents[2] / "sonnys_tui"
    pattern = re.compile(
        r"verify\s*=\s*False|CERT_NONE|check_hostname\s*=\s*False|_create_unverified"
    )
    offenders = [
        f"{path}:{number}"
        for path in package.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []


def test_redirects_never_leave_the_tenant(sim: Simulator) -> None:
    """A Location to another host is refused, not followed with the session cookie."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/login_check":
            return httpx.Response(302, headers={"Location": "https://evil.example/steal"})
        return httpx.Response(200, text="<html></html>")

    client = SonnysBackofficeClient(
        subdomain="demo",
        username="bot",
        password=SENTINEL_PASSWORD,
        transport=httpx.MockTransport(handler),
    )
    with client, pytest.raises(BackofficeError) as info:
        client.list_sites()
    assert "evil.example" in str(info.value)
    _clean(_exception_text(info.value), "the redirect error")


def _traceback_with_locals(exc: BaseException) -> str:
    """What a crash screen (Textual prints rich tracebacks with locals) would show."""
    from rich.console import Console
    from rich.traceback import Traceback

    console = Console(width=250, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(
        Traceback.from_exception(
            # From the client's frames down: the test's own frame holds what it checks.
            type(exc),
            exc,
            exc.__traceback__.tb_next,
            show_locals=True,
            locals_max_length=100,
        )
    )
    console.file.close()
    return console.export_text()


@pytest.mark.parametrize("kind", ["drop", "timeout"])
def test_a_failed_password_reset_carries_no_password(sim: Simulator, kind: str) -> None:
    """Not in the error, nor in a traceback printed with every frame's locals."""
    user = next(u for u in sim.store.users.values() if u.employee_id is not None)
    sim.faults.add(path="/user/update", method="POST", kind=kind)  # type: ignore[arg-type]
    with make_client(sim) as client, pytest.raises(BackofficeError) as info:
        client.reset_backoffice_password(user_id=user.id, password=RESET_SENTINEL)
    posted = next(r for r in sim.requests if r.path == "/user/update" and r.status == 0)
    assert ("user[password]", RESET_SENTINEL) in posted.form  # sent: the test means something
    assert "unknown" in (info.value.state or "")
    text = _traceback_with_locals(info.value) + _exception_text(info.value)
    assert RESET_SENTINEL not in text


@pytest.mark.parametrize("path", ["/login_check", "/employee/insert", "/user/insert"])
@pytest.mark.parametrize("kind", ["drop", "timeout"])
def test_connection_failures_carry_no_request_body(sim: Simulator, path: str, kind: str) -> None:
    """Not even in a traceback printed with every frame's locals."""
    with make_client(sim) as client:
        args = employee_args(client, requires_backoffice=True, backoffice_username="tb_user")
        sim.faults.add(path=path, method="POST", kind=kind)  # type: ignore[arg-type]
        if path == "/login_check":
            client.close()
            client = make_client(sim)
        with pytest.raises(BackofficeError) as info:
            client.create_employee(**args)
        client.close()
    posted = next(r for r in sim.requests if r.path == path and r.status == 0)
    secrets = [v for k, v in posted.form if "assword" in k]
    assert secrets, "the failed request carried no secret: the test proves nothing"
    assert info.value.__cause__ is None and info.value.__suppress_context__ is False
    text = _traceback_with_locals(info.value)
    assert "Traceback" in text or "create_employee" in text
    for secret in secrets:
        assert secret not in text
