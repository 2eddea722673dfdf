"""Disable an employee and close every door (Ctrl+D), or re-enable them.

Disabling stops the POS login only; a Back Office login left open lets someone who left
still read reports and other people's records. So the dialog first reads the person's
Back Office logins (in a worker) and offers to deactivate them too, ticked by default;
re-enabling offers to restore them, unticked (granting web access again is a choice of
its own). The result lists each door; a stop part way says what is closed and what is
not, and that running it again finishes only what is missing.
"""

from __future__ import annotations

import contextlib

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from sonnys_tui.backoffice.errors import BackofficeError, IncompleteError
from sonnys_tui.backoffice.models import (
    BackofficeUserDisabled,
    BackofficeUserEnabled,
    BackofficeUserRow,
    EmployeeDisabled,
    EmployeeEnabled,
    EmployeeRow,
    Offboarded,
    Reinstated,
)
from sonnys_tui.display import terminal_safe
from sonnys_tui.tenant import Tenant
from sonnys_tui.tui.dialogs.confirmed_write import ConfirmedWriteScreen
from sonnys_tui.tui.errors import describe_error, describe_step_failure
from sonnys_tui.tui.widgets.ticks import Checkbox
from sonnys_tui.tui.workers import answer_in_place

CLOSED, OPEN = "✓", "✗"


def login_name(user: BackofficeUserRow | BackofficeUserDisabled | BackofficeUserEnabled) -> str:
    email = f" <{user.email}>" if user.email else ""
    return terminal_safe(f"Back Office login {user.username}{email}")


class OffboardScreen(ConfirmedWriteScreen):
    """Disable (``enable=False``: offboard) or re-enable (reinstate) one employee."""

    BINDINGS = [Binding("b", "toggle_backoffice", "BO logins")]

    def __init__(self, tenant: Tenant, row: EmployeeRow, *, enable: bool) -> None:
        super().__init__()
        self.tenant = tenant
        self.row = row
        self.enable = enable
        self.logins: list[BackofficeUserRow] | None = None  # None: not read (yet)
        self.ready = False  # "Yes" waits for the logins: the question is not whole yet
        self._with_backoffice = False  # the box, as it was when "Yes" was given
        verb = "Re-enable" if enable else "Disable"
        self.yes_label = f"Yes, {verb.lower()}"
        self.yes_variant = "success" if enable else "error"

    # ------------------------------------------------------------------ question

    def question(self) -> Text:
        verb = "Re-enable" if self.enable else "Disable"
        if not self.enable and not self.row.active:
            verb = "Finish offboarding"  # from the access review: a login left open
        return status_text(self.row, verb, enable=self.enable)

    def compose_extra(self) -> ComposeResult:
        yield Static(Text("Checking Back Office logins…"), id="offboard-logins")
        verb = "restore (reactivate)" if self.enable else "deactivate"
        box = Checkbox(
            f"Also {verb} the Back Office login(s)", not self.enable, id="also-bo", compact=True
        )
        box.display = False  # shown once there is a login it would change
        yield box

    def on_mount(self) -> None:
        super().on_mount()
        answer_in_place(
            self,
            "logins",
            lambda: self.tenant.linked_backoffice_users(self.row.employee_id),
            self._show_logins,
            self._logins_unknown,
        )

    def _to_change(self) -> list[BackofficeUserRow]:
        # The logins the box would write: active ones to close, inactive ones to restore.
        return [u for u in self.logins or () if u.active != self.enable]

    def _show_logins(self, users: list[BackofficeUserRow]) -> None:
        self.logins = users
        text = Text()
        if not users:
            text.append("No Back Office login is linked to this employee.")
        else:
            text.append("Back Office logins:\n", style="bold")
            for user in users:
                text.append(f"  {login_name(user)}: {'active' if user.active else 'inactive'}\n")
            if not self._to_change():
                text.append("Already inactive." if not self.enable else "Already active.")
        self.query_one("#offboard-logins", Static).update(text)
        self.query_one("#also-bo", Checkbox).display = bool(self._to_change())
        self.set_ready(True)

    def _logins_unknown(self, error: BaseException) -> None:
        # The write searches for the logins itself: the choice can still be offered.
        text = Text(f"Could not check the Back Office logins: {describe_error(error)}")
        self.query_one("#offboard-logins", Static).update(text)
        self.query_one("#also-bo", Checkbox).display = True
        self.set_ready(True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_backoffice":
            boxes = self.query("#also-bo")  # none yet while the dialog is composed
            return self.phase == "ask" and bool(boxes) and boxes.first().display
        return super().check_action(action, parameters)

    def action_toggle_backoffice(self) -> None:
        self.query_one("#also-bo", Checkbox).toggle()

    @property
    def backoffice(self) -> bool:
        box = self.query_one("#also-bo", Checkbox)
        return bool(box.display and box.value)

    # ------------------------------------------------------------------ write

    def action_answer(self, yes: bool) -> None:
        self._with_backoffice = self.backoffice  # read on the UI thread, used by the worker
        # What is under way, in the run's order, until the client tells its first step.
        logins = len(self._to_change()) if self._with_backoffice else 0
        some = f"{logins} Back Office login(s)" if logins else "the Back Office login(s)"
        if self.enable:
            also = f", then reactivating {some}" if self._with_backoffice else ""
            self.working_text = f"Enabling the POS login{also}, each verified…"
        elif self._with_backoffice:
            self.working_text = f"Deactivating {some}, then the POS login, each verified…"
        else:
            self.working_text = "Disabling the POS login, verified…"
        super().action_answer(yes)

    def write(self) -> Offboarded | Reinstated:
        try:
            if self.enable:
                return self.tenant.reinstate(
                    self.row, backoffice=self._with_backoffice, progress=self.progress
                )
            return self.tenant.offboard(
                self.row, backoffice=self._with_backoffice, progress=self.progress
            )
        except BackofficeError as exc:
            if not exc.wrote_nothing and not isinstance(exc, IncompleteError):
                # The outcome of a write is unknown (the tenant applies what a stop part
                # way verified, not this): re-read the lists, so the tabs show what is
                # closed now (a read; failures ignored).
                with contextlib.suppress(Exception):
                    self.tenant.refresh(["employees", "backoffice_users"])
            raise

    def outcome(self, result: object) -> Text:
        assert isinstance(result, Offboarded | Reinstated)
        # In the run's order: an offboarding closes the logins first, a reinstatement
        # enables the employee first.
        pos = [f"{CLOSED} {self._pos_line(result.employee)}"]
        logins: list[str] = []
        for user in result.backoffice_users:
            verb = "reactivated" if self.enable else "deactivated"
            state = f"already {'active' if self.enable else 'inactive'}" if user.already else verb
            logins.append(f"{CLOSED} {login_name(user)}: {state}")
        written = {u.user_id for u in result.backoffice_users}
        for login in self._to_change():
            if login.user_id not in written:
                left = "left inactive" if self.enable else "left ACTIVE (not asked)"
                logins.append(f"{OPEN} {login_name(login)}: {left}")
        lines = [*pos, *logins] if self.enable else [*logins, *pos]
        title = "Done, verified:" if not result.already else "Nothing to do:"
        return Text("\n".join([title, *lines]))

    def _pos_line(self, employee: EmployeeDisabled | EmployeeEnabled) -> str:
        who = terminal_safe(f"{self.row.full_name} (POS {self.row.pos_user_id})")
        if self.enable:
            return f"POS login of {who}: {'already ' if employee.already else ''}enabled"
        return f"POS login of {who}: {'already ' if employee.already else ''}disabled"

    def failure(self, error: BaseException) -> Text:
        if not isinstance(error, IncompleteError):
            text = super().failure(error)
            if not text.plain.startswith("Nothing was changed"):
                text.append("\nRun it again (Ctrl+D) to finish: it writes only what is missing.")
            return text
        # Part way: each part in the run's order (logins, then the POS login), what is
        # closed (verified) and what is not, why it stopped, and how to finish.
        text = Text("Stopped part way.\n", style="bold")
        users = (BackofficeUserDisabled, BackofficeUserEnabled)
        done_users = {d.user_id for d in error.done if isinstance(d, users)}
        employee_done = any(isinstance(d, EmployeeDisabled | EmployeeEnabled) for d in error.done)
        verb = "enabled" if self.enable else "disabled"
        pos = terminal_safe(f"POS login of {self.row.full_name} (POS {self.row.pos_user_id})")
        pos_line = f"{CLOSED if employee_done else OPEN} {pos}: "
        pos_line += f"{verb}\n" if employee_done else f"not {verb}\n"
        if self.enable:
            text.append(pos_line)  # a reinstatement enables the employee first
        for user in self._to_change() if self._with_backoffice else ():
            done = user.user_id in done_users
            state = ("reactivated" if self.enable else "deactivated") if done else "not changed"
            text.append(f"{CLOSED if done else OPEN} {login_name(user)}: {state}\n")
        if not self.enable:
            text.append(pos_line)
        # The failed step's own error says that step wrote nothing: not the run, which
        # closed the doors ticked above.
        text.append(f"Why: {describe_step_failure(error.__cause__ or error)}\n", style="dim")
        text.append("Run it again (Ctrl+D) to finish: it writes only what is missing.")
        return text


def status_text(row: EmployeeRow, verb: str, *, enable: bool) -> Text:
    """Who the dialog acts on: name, POS User ID, sites and phone, and what it does to them."""
    who = Text()
    who.append(f"{verb} this employee?\n\n", style="bold")
    for label, value in (
        ("Name", row.full_name),
        ("POS User ID", "" if row.pos_user_id is None else str(row.pos_user_id)),
        ("Sites", ", ".join(row.site_codes) or "(none)"),
        ("Phone", row.phone),
    ):
        who.append(f"{label:<12} ", style="bold")
        who.append(f"{terminal_safe(value)}\n")
    if enable:
        who.append("\nThey will be able to clock in and log in to the POS again.")
    else:
        who.append("\nThey will no longer be able to clock in or log in to the POS.")
    return who
