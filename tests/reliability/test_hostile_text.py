"""Text from the server is data, never markup: Rich markup, HTML-looking text, control
characters and very long strings come through every parser exactly as stored.

Form values (the edit page) come back byte for byte; text shown in page content (list
cells, tree labels, alerts) comes back as a browser shows it: white space collapsed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient, validation
from sonnys_tui.backoffice.errors import BackofficeError, ValidationError
from sonnys_tui.display import escape
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import BoUser, Employee

from .conftest import employee_args, make_client, snapshot
from .hostile import (
    NOT_ROUND_TRIPPED,
    PAYLOADS,
    Terminal,
    running,
    settle,
    start_recording,
    unsafe_in,
)

HOSTILE = [
    "[bold]Eve[/]",
    "[@click=app.quit]Mallory[/]",
    "[/]",
    "[link=https://evil.example]x[/link]",
    "\x1b[31mRed\x1b[0m",
    "bell\x07tab\tnul-ish\x01",
    "<script>alert(1)</script>",
    "&lt;b&gt; &amp; &#x41;",
    "\u202eevil\u202c",
    "Zoë 日本 🚗",
    "L" * 5000,
]


@pytest.fixture(params=range(len(HOSTILE)), ids=lambda i: repr(HOSTILE[i])[:24])
def text(request: pytest.FixtureRequest) -> str:
    return HOSTILE[request.param]


def shown(text: str) -> str:
    """Page content as a browser shows it."""
    return " ".join(text.split())


def test_employee_names_come_back_literally(text: str) -> None:
    sim = Simulator.demo()
    employee = sim.store.add_employee(
        Employee(
            id=sim.store.next_employee_id(),
            first_name=text,
            last_name=text[::-1],
            phone=text[:20],
            email="hostile@example.com",
            department_ids=[1],
            site_ids={1},
            pos_user_id=777_001,
            pos_pin="12345",
            emergency_contact_name=text,
            adp_employee_id=text[:32],
        )
    )
    with make_client(sim) as client:
        row = next(r for r in client.list_employees() if r.employee_id == employee.id)
        assert (row.first_name, row.last_name) == (shown(text), shown(text[::-1]))
        assert row.phone == shown(text[:20])
        record = client.get_employee(employee.id)
        assert (record.first_name, record.last_name) == (text, text[::-1])
        assert record.emergency_contact_name == text
        assert record.adp_employee_id == text[:32]
        found = client.search_employees(pos_user_id=777_001)
        assert [r.first_name for r in found] == [shown(text)]
        client.disable_employee(employee_id=employee.id)
    assert employee.first_name == text and employee.emergency_contact_name == text


def test_catalogue_names_come_back_literally(text: str) -> None:
    sim = Simulator.demo()
    site = next(iter(sim.store.sites.values()))
    site.name = f"Site {text}"
    department = next(iter(sim.store.departments.values()))
    department.name = f"Dept {text}"
    pos_template = next(iter(sim.store.pos_templates.values()))
    pos_template.name = f"POS {text}"
    bo_template = next(iter(sim.store.bo_templates.values()))
    bo_template.description = f"BO {text}"
    user = sim.store.add_user(
        BoUser(
            id=sim.store.next_user_id(),
            username="hostile_user",
            email="hostile.user@example.com",
            password="irrelevant",
            first_name=text,
            last_name=text,
        )
    )
    with make_client(sim) as client:
        site_names = [s.name for s in client.list_sites()]
        assert f"Site {text}" in site_names or shown(f"Site {text}") in site_names
        assert shown(f"Dept {text}") in [d.name for d in client.list_departments()]
        assert shown(f"POS {text}") in [p.name for p in client.list_permissions(scope="pos")]
        descriptions = [p.description for p in client.list_permissions(scope="backoffice")]
        assert shown(f"BO {text}") in descriptions
        row = next(u for u in client.list_backoffice_users() if u.user_id == user.id)
        assert (row.first_name, row.last_name) == (shown(text), shown(text))


def test_alert_text_reaches_the_exception_literally(text: str) -> None:
    sim = Simulator.demo()
    with make_client(sim) as client:
        args = employee_args(client)
        sim.faults.add(path="/employee/insert", method="POST", kind="alert", alert_text=text)
        with pytest.raises(BackofficeError) as info:
            client.create_employee(**args)
    assert info.value.message == shown(text)
    assert shown(text) in str(info.value)
    assert sim.store.employee_by_pos_id(args["pos_user_id"]) is None


# --------------------------------------------------------------------------- issue 13
# Control, escape and invisible characters: kept exactly as stored on the way through
# the client, and refused (naming the field, before any request) on the way in.


@pytest.mark.parametrize("kind", PAYLOADS)
@pytest.mark.parametrize("key", ["employee_id", "pos_user_id"])
def test_disable_enable_posts_back_hostile_text_exactly(kind: str, key: str) -> None:
    """The edit form is posted back whole: the display boundary must not have touched
    the values underneath, so the store holds exactly the original characters."""
    payload = PAYLOADS[kind]
    assert not set(payload) & NOT_ROUND_TRIPPED
    sim = Simulator.demo()
    employee = sim.store.add_employee(
        Employee(
            id=sim.store.next_employee_id(),
            first_name=f"Dana{payload}",
            last_name=f"{payload}Re",
            phone=f"555{payload}0101",
            email=f"dana{payload}@example.com",
            department_ids=[1],
            site_ids={1},
            pos_user_id=777_002,
            pos_pin="12345",
            emergency_contact_name=f"Em{payload}",
            emergency_contact_phone=f"{payload}555",
            adp_employee_id=f"A{payload}"[:32],
            extra={"employee[notes]": f"n{payload}"},
        )
    )
    sim.settings.extra_edit_fields = {"employee[notes]": ""}
    before = snapshot(sim.store)
    lookup = {key: employee.id if key == "employee_id" else employee.pos_user_id}
    with make_client(sim) as client:
        client.disable_employee(**lookup)
        assert not employee.active
        client.enable_employee(**lookup)
    assert employee.active
    after = snapshot(sim.store)
    for state in (before, after):
        state["employees"][employee.id].pop("status_changed")
    assert after == before
    assert employee.first_name == f"Dana{payload}"  # byte for byte


# One of each kind, inside a value that is otherwise valid.
BAD_CHARS = {
    "esc-sgr": "\x1b[31m",
    "osc-title": "\x1b]0;x\x07",
    "bel": "\x07",
    "tab": "\t",
    "newline": "\n",
    "del": "\x7f",
    "c1-csi": "\x9b",
    "nel": "\x85",
    "nul": "\x00",
    "rlo": "\u202e",
    "isolate": "\u2066",
    "zwsp": "\u200b",
    "bom": "\ufeff",
    "line-sep": "\u2028",
    "tag": "\U000e0041",
    "hangul-filler": "\u3164",
}

EMPLOYEE = {
    "first_name": "Valid",
    "last_name": "Person",
    "phone": "(555) 010-0150",
    "email": "valid.person@example.com",
    "pos_user_id": 8850,
    "wage_rate": "15.00",
    "start_date": date(2026, 6, 1),
    "available_sites": "all",
    "permission": "Cashier",
    "departments": ["Greeter"],
}
BO_USER = {
    "username": "valid_user",
    "email": "valid.user@example.com",
    "permission": "user",
    "first_name": "Valid",
    "last_name": "User",
}
WITH_LOGIN = {"requires_backoffice": True, "backoffice_username": "valid_bo"}


def _with(bad: str) -> dict[str, Any]:
    """Every text argument of every client method, with ``bad`` inside: (method, the
    keyword arguments, the field the error must name)."""
    cases: dict[str, Any] = {
        "create_employee first_name": ("create_employee", {"first_name": f"Da{bad}na"}),
        "create_employee last_name": ("create_employee", {"last_name": f"Re{bad}x"}),
        "create_employee phone": ("create_employee", {"phone": f"(555) 010{bad}-0150"}),
        "create_employee email": ("create_employee", {"email": f"dana{bad}@example.com"}),
        "create_employee permission": ("create_employee", {"permission": f"Cash{bad}ier"}),
        "create_employee available_sites": (
            "create_employee", {"available_sites": [f"Demo{bad} Wash Fiesta"]}),
        "create_employee departments": ("create_employee", {"departments": [f"Gre{bad}eter"]}),
        "create_employee adp_employee_id": ("create_employee", {"adp_employee_id": f"A{bad}1"}),
        "create_employee emergency_contact_name": (
            "create_employee", {"emergency_contact_name": f"Em{bad}ma"}),
        "create_employee emergency_contact_phone": (
            "create_employee", {"emergency_contact_phone": f"(555) 010{bad}-0199"}),
        "create_employee backoffice_username": (
            "create_employee", {**WITH_LOGIN, "backoffice_username": f"dana{bad}_bo"}),
        "create_employee backoffice_password": (
            "create_employee", {**WITH_LOGIN, "backoffice_password": f"Secret-{bad}-Pw9"}),
        "create_employee backoffice_permission": (
            "create_employee", {**WITH_LOGIN, "backoffice_permission": f"us{bad}er"}),
        "create_backoffice_user username": ("create_backoffice_user", {"username": f"da{bad}na"}),
        "create_backoffice_user email": (
            "create_backoffice_user", {"email": f"dana{bad}@example.com"}),
        "create_backoffice_user password": (
            "create_backoffice_user", {"password": f"Secret-{bad}-Pw9"}),
        "create_backoffice_user first_name": (
            "create_backoffice_user", {"first_name": f"Da{bad}na"}),
        "create_backoffice_user last_name": (
            "create_backoffice_user", {"last_name": f"Re{bad}x"}),
        "create_backoffice_user available_sites": (
            "create_backoffice_user", {"available_sites": [f"Demo{bad} Wash Fiesta"]}),
        "create_backoffice_user permission": (
            "create_backoffice_user", {"permission": f"us{bad}er"}),
        "create_backoffice_user link_to_employee_email": (
            "create_backoffice_user",
            {"first_name": None, "last_name": None,
             "link_to_employee_email": f"dana{bad}@example.com"}),
        "create_backoffice_user link_to_employee_pos_user_id": (
            "create_backoffice_user",
            {"first_name": None, "last_name": None, "link_to_employee_pos_user_id": f"41{bad}01"}),
        "search_employees first_name": ("search_employees", {"first_name": f"Jor{bad}dan"}),
        "search_employees last_name": ("search_employees", {"last_name": f"Pi{bad}lot"}),
        "disable_employee email": ("disable_employee", {"email": f"dana{bad}@example.com"}),
        "enable_employee email": ("enable_employee", {"email": f"dana{bad}@example.com"}),
        "is_email_available email": ("is_email_available", {"email": f"dana{bad}@example.com"}),
        "is_phone_available phone": ("is_phone_available", {"phone": f"(555) 010{bad}-0150"}),
        "constructor username": ("__init__", {"username": f"bot{bad}"}),
        "constructor password": ("__init__", {"password": f"Secret-{bad}-Pw9"}),
        "constructor subdomain": ("__init__", {"subdomain": f"demo{bad}"}),
    }  # fmt: skip
    return cases


REFUSAL_CASES = [
    pytest.param(name, kind, id=f"{name}-{kind}") for name in _with("") for kind in BAD_CHARS
]


@pytest.mark.parametrize(("name", "kind"), REFUSAL_CASES)
def test_every_text_argument_refuses_control_and_format_characters(name: str, kind: str) -> None:
    bad = BAD_CHARS[kind]
    method, override = _with(bad)[name]
    field = name.split(" ", 1)[1]
    sim = Simulator.demo()
    client: SonnysBackofficeClient | None = None
    with pytest.raises(ValidationError) as info:
        if method == "__init__":
            client = make_client(sim, **override)
            client.list_sites()  # a constructor that lets it through sends it at login
        else:
            client = make_client(sim)
            base = {"create_employee": EMPLOYEE, "create_backoffice_user": BO_USER}.get(method, {})
            getattr(client, method)(**{**base, **override})
    error = info.value
    assert error.field == field, error
    assert "contains" in error.message or field == "subdomain", error.message
    assert unsafe_in(str(error)) == []  # the character is named, never repeated raw
    if "password" in field:
        assert "Secret" not in str(error) and "\\x" not in str(error)  # nothing of it
    elif field != "subdomain":
        assert any(escape(c) in error.message for c in bad), error.message
    assert sim.requests == []
    assert client is None or client.stats.requests == 0


@pytest.mark.parametrize("value", ["Dana Re", "José Ñ 山田", "Zoë O'Brien-Smith", "🚗 Wash"])
def test_printable_names_of_any_script_are_accepted(value: str) -> None:
    # Plain spaces and line breaks around a value are trimmed: inside, they are refused.
    assert validation.name(f"  {value}\n", field="first_name", max_length=50) == value
    assert validation.printable(value, field="first_name") == value


# The forms: what is typed or pasted is checked by the same rules, as you type.

FORM = {
    "first_name": "Valid",
    "last_name": "Person",
    "phone": "(555) 010-0144",
    "email": "valid.person@example.com",
    "pos_user_id": "8844",
    "wage_rate": "15.00",
    "start_date": "2026-03-02",
}
FORM_TEXT_FIELDS = [
    "first_name",
    "last_name",
    "phone",
    "email",
    "start_date",
    "adp_employee_id",
    "emergency_contact_name",
    "emergency_contact_phone",
    "backoffice_username",
    "backoffice_password",
]
# As a terminal that keeps a bracketed paste whole would deliver it, and as typed.
# (Every other kind is refused by the same validation: see the client cases above.)
PASTED = ["Dana\x1b[31m\x07", "Da\u202ena", "Da\u200bna\x9b"]
RESTRICTED_FIELDS = ["pos_user_id", "pos_pin", "wage_rate", "overtime_wage_rate"]
FORM_SIZE = (120, 40)


@pytest.fixture(scope="module")
def anyio_backend() -> str:
    # Module-wide: one event loop for the module, so that one app can serve many cases.
    return "asyncio"


def _message(screen: Any, name: str) -> str:
    from textual.widgets import Static

    from sonnys_tui.tui.widgets.form_field import FormField

    rendered = screen.query_one(f"#field-{name}", FormField).query_one(".field-message", Static)
    content = rendered.render()
    return getattr(content, "plain", str(content))


async def _paste(pilot: Any, text: str) -> None:
    from textual import events

    pilot.app.post_message(events.Paste(text))
    await pilot.pause()  # the paste, then the field's Changed message and its check
    await pilot.pause()


def _posts(sim: Simulator) -> list[str]:
    return [r.path for r in sim.requests if r.method == "POST" and r.path != "/login_check"]


@pytest.fixture(scope="module")
async def shared_form(
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[tuple[Simulator, Terminal, Any, Any]]:
    """One app on a terminal that records what is drawn, its New employee form filled
    with good values (and a Back Office login asked for), shared by the paste cases:
    starting the app and opening the form is most of a case's cost. Each case puts its
    field back as it found it."""
    from textual.widgets import Checkbox, Input, Select, SelectionList

    from sonnys_tui.tui.screens.new_employee import NewEmployeeScreen

    with pytest.MonkeyPatch.context() as patch:
        home = tmp_path_factory.mktemp("shared-form")
        for name in ("CONFIG", "CACHE", "DATA"):
            patch.setenv(f"SONNYS_TUI_{name}_DIR", str(home / name.lower()))
        patch.setattr(NewEmployeeScreen, "AVAILABILITY_DEBOUNCE", 0.0)
        terminal = start_recording(patch)
        sim = Simulator.demo()
        async with running(sim, size=FORM_SIZE) as (app, pilot):
            await pilot.press("ctrl+n")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, NewEmployeeScreen)
            for name, value in FORM.items():
                screen.query_one(f"#{name}", Input).value = value
            site = sorted(sim.store.sites.values(), key=lambda s: s.id)[0].name
            screen.query_one("#available_sites", SelectionList).select(site)
            screen.query_one("#departments", SelectionList).select("Cashier")
            screen.query_one("#permission", Select).value = "Cashier"
            screen.query_one("#requires_backoffice", Checkbox).value = True
            await settle(pilot)
            yield sim, terminal, pilot, screen


@pytest.mark.anyio
@pytest.mark.parametrize("name", FORM_TEXT_FIELDS)
async def test_new_employee_form_refuses_pasted_control_characters(
    shared_form: tuple[Simulator, Terminal, Any, Any], name: str
) -> None:
    from textual.widgets import Input

    from sonnys_tui.tui.screens.new_employee import LABELS

    sim, terminal, pilot, screen = shared_form
    widget = screen.query_one(f"#{name}", Input)
    good = widget.value
    try:
        for text in PASTED:
            widget.focus()
            widget.value = ""
            await _paste(pilot, text)
            assert widget.value == text, "Textual keeps a paste whole: the form must check"
            message = _message(screen, name)
            # Named as the form labels it ("POS User ID contains…"), not pos_user_id.
            assert "contains" in message and LABELS[name] in message, message
            if "password" in name:
                assert "\\x" not in message and "\\u" not in message  # nothing of it
        await pilot.press("ctrl+s")  # refused at once: nothing to wait for
        await pilot.pause()
        assert pilot.app.screen is screen, f"{name}={widget.value!r} was submitted"
    finally:
        widget.value = good
        await pilot.pause()
    assert _posts(sim) == []
    assert terminal.problems() == []  # shown as "�", never sent


@pytest.mark.anyio
async def test_new_employee_form_digit_fields_refuse_pasted_control_characters(
    shared_form: tuple[Simulator, Terminal, Any, Any],
) -> None:
    from textual.widgets import Input

    sim, terminal, pilot, screen = shared_form
    for name in RESTRICTED_FIELDS:  # digits only: a paste with anything else is refused
        widget = screen.query_one(f"#{name}", Input)
        widget.focus()
        before = widget.value
        await _paste(pilot, "12\x1b[31m")
        assert widget.value == before, name
    assert _posts(sim) == []
    assert terminal.problems() == []


@pytest.mark.anyio
async def test_a_real_bracketed_paste_into_first_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bytes a terminal sends, through Textual's own parser: ESC ends Textual's
    paste (the rest arrives as keys, ESC as "^"), but BEL, bidi and C1 characters
    arrive in the value; either way nothing raw reaches the screen or the server."""
    from textual._xterm_parser import XTermParser
    from textual.widgets import Input

    terminal = start_recording(monkeypatch)
    sim = Simulator.demo()
    async with running(sim, size=FORM_SIZE) as (app, pilot):
        await pilot.press("ctrl+n")
        await settle(pilot)
        widget = app.screen.query_one("#first_name", Input)
        for pasted in ["Dana\x1b[31m\x07", "Dana\x07\u202e\x9b"]:
            widget.focus()
            widget.value = ""
            for event in XTermParser().feed(f"\x1b[200~{pasted}\x1b[201~"):
                app.post_message(event)
            await settle(pilot)
            assert "\x1b" not in widget.value
            if unsafe_in(widget.value):
                assert "contains a control character" in _message(app.screen, "first_name")
            await pilot.press("ctrl+s")  # refused at once: nothing to wait for
            await pilot.pause()
    assert _posts(sim) == []
    assert terminal.problems() == []


BO_FORM = {
    "username": "valid_login",
    "email": "valid.login@example.com",
    "first_name": "Valid",
    "last_name": "Login",
    "password": "",
}


@pytest.mark.anyio
async def test_new_backoffice_user_form_refuses_pasted_control_characters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from textual.widgets import Input, RadioButton

    from sonnys_tui.tui.screens.new_backoffice_user import NewBackofficeUserScreen

    terminal = start_recording(monkeypatch)
    sim = Simulator.demo()
    async with running(sim, size=FORM_SIZE) as (app, pilot):
        await pilot.press("ctrl+b")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, NewBackofficeUserScreen)
        screen.query_one("#standalone", RadioButton).value = True
        for name, value in BO_FORM.items():
            screen.query_one(f"#{name}", Input).value = value
        await settle(pilot)
        for name in BO_FORM:
            widget = screen.query_one(f"#{name}", Input)
            good = widget.value
            for text in PASTED:
                widget.focus()
                widget.value = ""
                await _paste(pilot, f"Secret-Pw-{text}" if name == "password" else text)
                message = _message(screen, name)
                assert "contains" in message, f"{name}: {message!r}"
            await pilot.press("ctrl+s")  # refused at once: nothing to wait for
            await pilot.pause()
            assert app.screen is screen, f"{name}={widget.value!r} was submitted"
            widget.value = good
            await pilot.pause()
    assert _posts(sim) == []
    assert terminal.problems() == []


CONNECT_FIELDS = ["subdomain", "username", "password", "base-url", "profile-name"]


@pytest.mark.anyio
async def test_connect_form_refuses_pasted_control_characters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from textual.widgets import Input, Static

    terminal = start_recording(monkeypatch)
    sim = Simulator.demo()
    async with running(sim, size=FORM_SIZE, profile=None, password=None) as (app, pilot):
        screen = app.screen
        good = {"subdomain": "demo", "username": "bot", "password": sim.password,
                "base-url": "http://sim.test", "profile-name": "demo"}  # fmt: skip
        for name, value in good.items():
            screen.query_one(f"#{name}", Input).value = value
        await settle(pilot)
        for name in CONNECT_FIELDS:
            widget = screen.query_one(f"#{name}", Input)
            for text in PASTED:
                widget.focus()
                widget.value = good[name]
                await _paste(pilot, text)
                error = screen.query_one("#connect-error", Static).render()
                shown = getattr(error, "plain", str(error))
                label = {"base-url": "base url", "profile-name": "profile name"}.get(name, name)
                assert f"{label} contains" in shown, shown
                if name == "password":
                    assert "\\x" not in shown and "\\u" not in shown
            await pilot.press("ctrl+s")  # refused at once: nothing to wait for
            await pilot.pause()
            assert app.screen is screen
            widget.value = good[name]
            await pilot.pause()
        assert "contains" not in str(screen.query_one("#connect-error", Static).render())
    assert sim.requests == []  # no login was tried with any of it
    assert terminal.problems() == []
