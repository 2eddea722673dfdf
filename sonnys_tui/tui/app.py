"""The Textual app and the ``make_app`` factory used by the CLI and the tests."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import Provider
from textual.screen import Screen
from textual.theme import BUILTIN_THEMES

from sonnys_tui.config import Profile, open_client, resolve_password
from sonnys_tui.display import safe_lines, terminal_safe

if TYPE_CHECKING:
    from textual.content import Content
    from textual.notifications import SeverityLevel

    from sonnys_tui.backoffice.client import SonnysBackofficeClient
    from sonnys_tui.tenant import Tenant
    from sonnys_tui.tui.screens.bulk_import import BulkImportScreen

# How the Connect screen opens a client; tests inject one that mounts the simulator.
ClientFactory = Callable[[Profile, str], "SonnysBackofficeClient"]

ANSI_THEME = "textual-ansi"


def _employee_finder() -> type[Provider]:
    # Imported when the palette first opens, not at start-up.
    from sonnys_tui.tui.commands import EmployeeFinder

    return EmployeeFinder


class SonnysApp(App[None]):
    """Manage the employees of one Back Office tenant from the keyboard."""

    CSS_PATH = "app.tcss"
    TITLE = "Sonny's Back Office"
    COMMANDS = App.COMMANDS | {_employee_finder}
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("f7", "audit_log", "Audit log", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        *,
        profile: Profile | None = None,
        password: str | None = None,
        client_factory: ClientFactory | None = None,
        clock: Callable[[], date] = date.today,
        read_only: bool = False,
    ) -> None:
        super().__init__()
        _freeze_what_lives_on("start")
        self.read_only = read_only  # --read-only: every session read-only
        self.initial_profile = profile
        self.initial_password = password
        self.client_factory: ClientFactory = client_factory or open_client
        self.clock = clock
        self.tenant: Tenant | None = None
        self._quit_warned = False  # Ctrl+Q during a bulk run: warned once
        self._signals: dict[int, Any] = {}  # the quit signals' handlers before ours
        # Textual's ANSI theme: keeps the terminal's own 16 colours (few-colour terminals).
        self.register_theme(replace(BUILTIN_THEMES["ansi-dark"], name=ANSI_THEME))

    def get_default_screen(self) -> Screen[Any]:
        # The Connect screen is the first screen itself: no empty screen under it to build.
        from sonnys_tui.tui.screens.connect import ConnectScreen

        profile = self.initial_profile
        password = self.initial_password
        if profile is not None and password is None:
            password = resolve_password(profile)
        return ConnectScreen(
            client_factory=self.client_factory,
            on_login=self.start_session,
            profile=profile,
            password=password,
            read_only=self.read_only,
        )

    def start_session(self, tenant: Tenant) -> None:
        """Called by the Connect screen once the login worked."""
        from sonnys_tui.tui.screens.home import HomeScreen

        _freeze_what_lives_on("session")
        old, self.tenant = self.tenant, tenant
        if old is not None and old is not tenant:
            old.close()
        self.sub_title = f"{tenant.profile.username}@{tenant.profile.subdomain}"
        if tenant.read_only:  # said on every screen: no write is offered
            self.sub_title += " · READ-ONLY"
        # Home goes over the Connect screen, which "Switch profile" comes back to.
        self.push_screen(HomeScreen(tenant, today=self.clock))

    def format_title(self, title: str, sub_title: str) -> Content:
        # Every header's title: the sub-title names the profile's user and tenant, read
        # from the config file, and screens may put a name in theirs. Shown safe.
        return super().format_title(terminal_safe(title), terminal_safe(sub_title))

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast, whoever raises it (a screen, a pane, a failed worker), passes the
        display boundary here: a name or a server message quoted in it is shown, never
        sent to the terminal raw. Its line breaks are kept."""
        super().notify(
            safe_lines(message),
            title=terminal_safe(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from functools import partial

        from sonnys_tui.tui.screens.home import TABS, HomeScreen

        yield from super().get_system_commands(screen)
        if isinstance(screen, HomeScreen):
            read_only = screen.tenant.read_only  # no write offered: the screen says which
            if screen.check_action("new_employee", ()):
                yield SystemCommand("New employee", "hire someone", screen.action_new_employee)
            if screen.check_action("new_backoffice_user", ()):
                yield SystemCommand(
                    "New Back Office user",
                    "a web login, for an employee or someone else",
                    screen.action_new_backoffice_user,
                )
            yield SystemCommand(
                "Plan a spreadsheet (CSV)…" if read_only else "Import from a spreadsheet (CSV)…",
                "check every row of a file: read-only, nothing is written (Ctrl+O)"
                if read_only
                else "hire, change, pay or offboard people from a file: planned first (Ctrl+O)",
                screen.action_bulk_import,
            )
            yield SystemCommand(
                "Access review",
                "who still has Back Office access who should not, each fix at hand",
                screen.action_access_review,
            )
            yield SystemCommand(
                "Check this tenant",
                "what will work here: every page read and compared (writes nothing)",
                self.action_check_tenant,
            )
            yield SystemCommand(
                "Refresh from server", "reload employees, sites, templates", screen.action_refresh
            )
            if screen.active_tab == "employees":  # acts on the table shown, only
                if screen.employees.check_action("edit", (None,)):
                    yield SystemCommand(
                        "Edit employee",
                        "change the shown employee's details, reviewed first (F8 / e)",
                        screen.action_edit_employee,
                    )
                employees = screen.employees
                if employees.check_action("add_wage", ()):  # an employee shown, pay read
                    yield SystemCommand(
                        "Add wage",
                        "a new rate from a date for the shown employee, reviewed first (F9 / w)",
                        employees.action_add_wage,
                    )
                    yield SystemCommand(
                        "Change POS template",
                        "the shown employee's POS permissions, reviewed first (Ctrl+T / t)",
                        employees.action_change_template,
                    )
                yield SystemCommand(
                    "Show active / inactive / all",
                    "cycle the status filter (F2)",
                    screen.employees.action_cycle_active,
                )
            for tab, title in TABS:
                if tab != screen.active_tab:
                    yield SystemCommand(
                        f"Go to {title}",
                        "switch tabs (Ctrl+PgDn / Ctrl+PgUp)",
                        partial(screen.show_tab, tab),
                    )
        yield SystemCommand(
            "Audit log",
            "every write made from here on this tenant, newest first (F7)",
            self.action_audit_log,
        )
        # Not while a bulk run is writing: switching closes the screens and the tenant under it.
        if self.tenant is not None and not getattr(screen, "running", False):
            yield SystemCommand(
                "Switch profile", "connect to another tenant", self.action_switch_profile
            )
        yield SystemCommand(
            "Use the ANSI theme",
            "the terminal's own colours (for terminals with few colours)",
            lambda: setattr(self, "theme", ANSI_THEME),
        )

    def action_help(self) -> None:
        from sonnys_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            read_only = self.tenant is not None and self.tenant.read_only
            self.push_screen(HelpScreen(read_only=read_only))

    def action_check_tenant(self) -> None:
        from sonnys_tui.tui.screens.doctor import DoctorScreen

        if self.tenant is not None and not isinstance(self.screen, DoctorScreen):
            self.push_screen(DoctorScreen(self.tenant))

    def action_audit_log(self) -> None:
        from sonnys_tui.tui.screens.audit_log import AuditLogScreen

        if not isinstance(self.screen, AuditLogScreen):
            self.push_screen(AuditLogScreen(self.tenant))

    def _bulk_run(self) -> BulkImportScreen | None:
        """The Import screen whose run is writing, wherever it is in the stack."""
        from sonnys_tui.tui.screens.bulk_import import BulkImportScreen

        return next(
            (s for s in self.screen_stack if isinstance(s, BulkImportScreen) and s.running),
            None,
        )

    async def action_quit(self) -> None:
        # A bulk run writing (the Import screen): quitting now would leave its row
        # half-made and the worker thread writing on unseen. Said once; Ctrl+Q again
        # quits once the row in flight is written and recorded.
        run = self._bulk_run()
        if run is None:
            await super().action_quit()
        elif not self._quit_warned:
            self._quit_warned = True
            self.notify(
                "A bulk run is writing: Ctrl+Q again quits after the row in flight is"
                " written and recorded; Esc stops the run and stays here.",
                severity="warning",
            )
        else:
            run.quit_after_row("Quitting")

    def _hung_up(self) -> None:
        """The terminal closed (SIGHUP) or the process was asked to end (SIGTERM): as a
        quit, so a bulk run stops after its row in flight, recorded, before the exit."""
        run = self._bulk_run()
        if run is not None:
            run.quit_after_row("The terminal was closed")
        else:
            self.exit()

    def _terminal_gone(self) -> None:
        """SIGHUP, at once (before the SIGCONT a hang-up brings, which Textual answers by
        setting the closed terminal up again): nothing is drawn to it any more. Else the
        output thread dies writing to it and the exit, after the row in flight, waits for
        ever on that thread's queue: a process left running with no terminal."""
        driver = self._driver
        if driver is None or self.is_headless:
            return  # no terminal of ours (tests): nothing to close off
        driver._auto_restart = False  # no "resume" on the SIGCONT that follows
        with contextlib.suppress(OSError):
            sink = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(sink, fd)  # what is still written goes nowhere, without error
            os.close(sink)

    def on_mount(self) -> None:
        self._signals = _catch_signals(self._hung_up, self._terminal_gone)

    def on_unmount(self) -> None:
        _release_signals(self._signals)
        if self.tenant is not None:
            self.tenant.close()

    def action_switch_profile(self) -> None:
        from sonnys_tui.tui.screens.connect import ConnectScreen

        while len(self.screen_stack) > 1:
            self.pop_screen()
        if isinstance(self.screen, ConnectScreen):
            self.screen.ready_for_another_login()


_FROZEN: set[str] = set()  # the stages of the process's start already frozen


def _freeze_what_lives_on(stage: str) -> None:
    """Leave what exists now out of the cyclic collector's full passes (gc.freeze), once
    per process and stage: the modules imported to start the app, then to start its
    first session (the client's, the tenant's, the Home screen's), live as long as the
    process. Else a full pass while the first Home frame is drawn walks them all
    (20-40 ms), as does the one at exit. Once only: a later session's (or, in tests, a
    later app's) would freeze the garbage of the one before, never to be freed."""
    if stage not in _FROZEN:
        _FROZEN.add(stage)
        gc.freeze()


# The signals that end the app as a quit does (never mid-row): SIGHUP when the terminal
# closes, SIGTERM from a service manager or `kill`. Not on Windows (no such signals).
_QUIT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM") if hasattr(signal, name)
)


def _catch_signals(handler: Callable[[], None], hang_up: Callable[[], None]) -> dict[int, Any]:
    """Route the quit signals to ``handler`` on the app's event loop; the handlers they
    had, to put back (only the main thread can catch signals). SIGHUP also runs
    ``hang_up`` at once, in the signal handler: before the SIGCONT that comes with it."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    loop = asyncio.get_running_loop()
    previous: dict[int, Any] = {}
    for number in _QUIT_SIGNALS:
        try:
            previous[number] = signal.getsignal(number)
            if number == getattr(signal, "SIGHUP", None):

                def on_hang_up(*_: object) -> None:
                    hang_up()
                    loop.call_soon_threadsafe(handler)

                signal.signal(number, on_hang_up)
            else:
                loop.add_signal_handler(number, handler)
        except (NotImplementedError, RuntimeError, ValueError):
            previous.pop(number, None)
    return previous


def _release_signals(previous: dict[int, Any]) -> None:
    with contextlib.suppress(RuntimeError):
        loop = asyncio.get_running_loop()
        for number, handler in previous.items():
            loop.remove_signal_handler(number)  # False for SIGHUP: set with signal.signal
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)


def make_app(
    *,
    profile: Profile | None = None,
    password: str | None = None,
    client_factory: Callable[[Profile, str], SonnysBackofficeClient] | None = None,
    clock: Callable[[], date] = date.today,
    read_only: bool = False,
) -> SonnysApp:
    """The app; connects at once when ``profile`` and a password are known.
    ``read_only``: every session read-only (as the profile's ``read_only`` and
    ``SONNYS_TUI_READ_ONLY=1`` make it too)."""
    return SonnysApp(
        profile=profile,
        password=password,
        client_factory=client_factory,
        clock=clock,
        read_only=read_only,
    )
