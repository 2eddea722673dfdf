"""Connect: pick a saved profile or type a tenant and login; the login runs in a worker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Label, Static

from sonnys_tui.config import (
    ConfigError,
    Profile,
    keyring_available,
    load_profiles,
    remember_password,
    save_profile,
)
from sonnys_tui.display import first_unsafe, safe_lines, safe_text, terminal_safe
from sonnys_tui.tui.errors import describe_error
from sonnys_tui.tui.widgets.footer import Footer
from sonnys_tui.tui.widgets.safe_input import SafeInput
from sonnys_tui.tui.widgets.ticks import Checkbox
from sonnys_tui.tui.workers import ReportsWorkerErrors

if TYPE_CHECKING:
    from textual.widgets import Select

    from sonnys_tui.backoffice.client import SonnysBackofficeClient
    from sonnys_tui.tenant import Tenant


# The typed fields, as the client's messages name them.
TEXT_FIELDS = {
    "subdomain": "subdomain",
    "username": "username",
    "password": "password",
    "base-url": "base_url",
    "profile-name": "profile_name",
}


class ConnectScreen(ReportsWorkerErrors, Screen[None]):
    # What this screen's own workers post back to it.

    @dataclass
    class Connected(Message):
        """Logged in: the session starts on this tenant."""

        tenant: Tenant

    BINDINGS = [Binding("ctrl+s", "connect", "Connect")]
    # on_mount focuses the first field to type in; Textual's auto-focus would focus another
    # widget first, and each focus change restyles the form (a slower first frame).
    AUTO_FOCUS = ""

    def __init__(
        self,
        *,
        client_factory: Callable[[Profile, str], SonnysBackofficeClient],
        on_login: Callable[[Tenant], None],
        profile: Profile | None = None,
        password: str | None = None,
        autoconnect: bool = True,
        read_only: bool = False,
    ) -> None:
        super().__init__()
        self._read_only = read_only  # the app's --read-only
        self._client_factory = client_factory
        self._on_login = on_login
        self._profile = profile
        self._password = password
        self._autoconnect = autoconnect
        self._profiles: dict[str, Profile] = {}
        self._config_error: str | None = None
        self._showing_typing_problem = False
        # The name of the profile the form was filled from: typing another one means save.
        self._loaded_name = ""
        try:
            self._profiles = load_profiles()
        except ConfigError as exc:
            self._config_error = str(exc)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="connect-form", can_focus=False):
            yield Static("Connect to a Back Office tenant", classes="title")
            yield Static("", id="connect-error", markup=False)
            if self._profiles:  # a Select is costly to build: only when there is a choice
                from textual.widgets import Select

                yield Select(
                    # Names from the config file: shown safe, looked up exactly.
                    [(safe_text(name), name) for name in sorted(self._profiles)],
                    prompt="Saved profiles",
                    id="profile-select",
                    compact=True,
                )
            # One grid rather than a row container per field: fewer widgets, faster first frame.
            with Container(id="connect-fields"):
                yield Label("Subdomain")
                yield SafeInput(placeholder="mywash", id="subdomain", compact=True)
                yield Label("Username")
                yield SafeInput(id="username", compact=True)
                yield Label("Password")
                yield SafeInput(password=True, id="password", compact=True)
                yield Label("Server URL")
                yield SafeInput(placeholder="(optional) https://…", id="base-url", compact=True)
                yield Label("Profile name")
                yield SafeInput(placeholder="(to save it)", id="profile-name", compact=True)
            yield Checkbox("Save profile", id="save-profile", compact=True)
            yield Static("", id="save-note", markup=False)
            yield Checkbox(
                "Remember password (keyring)",
                id="remember",
                disabled=not keyring_available(),
                compact=True,
            )
            yield Button("Connect", variant="primary", id="connect", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        if self._config_error:
            self._show_error(self._config_error)
        if self._profile is not None:
            self._fill(self._profile)
        self._say_saving()
        if self._password:
            self.query_one("#password", Input).value = self._password
        first_empty = next(
            (i for i in self.query(Input) if not i.value and i.id != "base-url"), None
        )
        (first_empty or self.query_one("#connect", Button)).focus()
        if self._autoconnect and self._profile is not None and self._password:
            self.action_connect()

    def ready_for_another_login(self) -> None:
        """Back from a session: keep the tenant fields, ask for the password again."""
        self.query_one("#connect-form").loading = False
        self.query_one("#connect", Button).disabled = False
        self.query_one("#password", Input).value = ""
        self._show_error("")
        self.query_one("#password", Input).focus()

    def _fill(self, profile: Profile) -> None:
        self._loaded_name = profile.name
        self.query_one("#subdomain", Input).value = profile.subdomain
        self.query_one("#username", Input).value = profile.username
        self.query_one("#base-url", Input).value = profile.base_url or ""
        self.query_one("#profile-name", Input).value = profile.name
        self.query_one("#remember", Checkbox).value = profile.remember_password

    def _show_error(self, text: str) -> None:
        # The server's reason for a failed login, or the config file's problem: shown safe.
        label = self.query_one("#connect-error", Static)
        label.update(safe_lines(text))
        label.set_class(bool(text), "visible")

    def _typing_problem(self) -> str:
        """The client's message for a field holding a control or invisible character
        (typed, pasted or filled from the config file); "" when there is none."""
        for widget_id, field in TEXT_FIELDS.items():
            value = self.query_one(f"#{widget_id}", Input).value
            if first_unsafe(value) is None:
                continue
            # Deferred: the first frame needs neither the client's rules nor its errors.
            from sonnys_tui.backoffice.errors import ValidationError
            from sonnys_tui.backoffice.validation import printable

            try:
                printable(value, field=field, secret=field == "password")
            except ValidationError as exc:
                return exc.message
        return ""

    @on(Input.Changed, "#profile-name")
    def _name_typed(self, event: Input.Changed) -> None:
        # A name typed means save (the box follows it; it can still be unticked); the
        # profile the form was filled from is already saved.
        name = event.value.strip()
        self.query_one("#save-profile", Checkbox).value = bool(name) and name != self._loaded_name
        self._say_saving()

    @on(Checkbox.Changed, "#save-profile")
    def _say_saving(self) -> None:
        name = self.query_one("#profile-name", Input).value.strip()
        subdomain = self.query_one("#subdomain", Input).value.strip()
        if self.query_one("#save-profile", Checkbox).value:
            note = f"Connecting saves profile '{name or subdomain}' (never its password)."
        elif name and name in self._profiles:
            note = f"Profile '{name}' is saved: tick Save profile to save changes to it."
        else:
            note = "Not saved: type a profile name (or tick Save profile) to keep it."
        self.query_one("#save-note", Static).update(safe_text(note))

    @on(Input.Changed)
    def _typed(self) -> None:
        problem = self._typing_problem()
        if problem or self._showing_typing_problem:  # a config error shown stays shown
            self._show_error(problem)
        self._showing_typing_problem = bool(problem)

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str) and event.value in self._profiles:
            self._fill(self._profiles[event.value])
            self.query_one("#password", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "password":
            self.action_connect()
        else:
            self.focus_next()

    @on(Button.Pressed, "#connect")
    def _pressed(self) -> None:
        self.action_connect()

    def _profile_from_form(self) -> Profile:
        def value(widget_id: str) -> str:
            return self.query_one(f"#{widget_id}", Input).value.strip()

        subdomain, username = value("subdomain"), value("username")
        name = value("profile-name") or subdomain
        # The saved profile of that name keeps what the form does not show (read_only,
        # timeout, cache), whether it was given at start or picked from the list.
        base = (
            self._profiles.get(name)
            or self._profile
            or Profile(name="", subdomain=subdomain, username=username)
        )
        return Profile(
            name=name,
            subdomain=subdomain,
            username=username,
            base_url=value("base-url") or None,
            remember_password=self.query_one("#remember", Checkbox).value,
            timeout=base.timeout,
            use_cache=base.use_cache,
            read_only=base.read_only,
        )

    def action_connect(self) -> None:
        if problem := self._typing_problem():
            self._show_error(problem)  # nothing is sent
            return
        profile = self._profile_from_form()
        password = self.query_one("#password", Input).value
        missing = [
            label
            for label, text in (
                ("subdomain", profile.subdomain),
                ("username", profile.username),
                ("password", password),
            )
            if not text
        ]
        if missing:
            self._show_error(f"Please enter the {' and '.join(missing)}.")
            return
        self._show_error("")
        self.query_one("#connect", Button).disabled = True
        self.query_one("#connect-form").loading = True
        self._connect(profile, password)

    @work(thread=True, exclusive=True, exit_on_error=False, name="connect", group="connect")
    def _connect(self, profile: Profile, password: str) -> None:
        client = self._client_factory(profile, password)
        try:
            client.list_sites()  # logs in; the sites are needed anyway
        except BaseException:
            client.close()
            raise
        from sonnys_tui.tenant import Tenant  # deferred: not needed for the first frame

        self.post_message(self.Connected(Tenant(profile, client=client, read_only=self._read_only)))

    def worker_failed(self, name: str, error: BaseException) -> bool:
        if name != "connect":
            return False
        self.query_one("#connect-form").loading = False
        self.query_one("#connect", Button).disabled = False
        self._show_error(describe_error(error))
        self.query_one("#password", Input).focus()
        return True

    def on_connect_screen_connected(self, event: ConnectScreen.Connected) -> None:
        self.query_one("#connect-form").loading = False
        self.query_one("#connect", Button).disabled = False
        profile = event.tenant.profile
        password = self.query_one("#password", Input).value
        if self.query_one("#save-profile", Checkbox).value:
            try:
                save_profile(profile)
            except (ConfigError, OSError) as exc:
                self.notify(
                    f"Profile not saved: {terminal_safe(exc)}", severity="warning", markup=False
                )
            else:
                self.notify(f"Profile '{terminal_safe(profile.name)}' saved.", markup=False)
        if profile.remember_password and not remember_password(profile, password):
            self.notify("The keyring refused the password.", severity="warning")
        self._on_login(event.tenant)
