"""Give a Back Office login a new, generated password: asked ("No" focused), set through
the tenant in a worker, then shown in the same dialog masked until ``r``, copied with
``w`` (OSC 52 works over SSH). The password is in this dialog only: the tenant audits
the reset, never the password, and the dialog's text never holds it unasked."""

from __future__ import annotations

from rich.text import Text

from sonnys_tui.backoffice.models import BackofficeUserRow, PasswordReset
from sonnys_tui.display import terminal_safe
from sonnys_tui.tenant import Tenant
from sonnys_tui.tui.dialogs.backoffice_user import user_text
from sonnys_tui.tui.dialogs.confirmed_write import ConfirmedWriteScreen
from sonnys_tui.tui.keys import COPY_PASSWORD, REVEAL

MASK = "••••••••"


class PasswordResetScreen(ConfirmedWriteScreen):
    BINDINGS = [
        REVEAL,
        COPY_PASSWORD,
    ]

    yes_label = "Yes, new password"
    working_text = "Setting a new password…"

    def __init__(self, tenant: Tenant, user: BackofficeUserRow) -> None:
        super().__init__()
        self.tenant = tenant
        self.user = user
        self.reset: PasswordReset | None = None
        self.revealed = False

    def question(self) -> Text:
        return user_text(
            self.user,
            "Give this Back Office login a new password?",
            "A strong password is generated; the old one stops working at once. The new "
            "one is shown once, here, masked until you ask.",
        )

    def write(self) -> PasswordReset:
        return self.tenant.reset_backoffice_password(self.user)

    def outcome(self, result: object) -> Text:
        assert isinstance(result, PasswordReset)
        self.reset = result
        return self._shown()

    def _shown(self) -> Text:
        reset = self.reset
        assert reset is not None
        text = Text(f"✓ New password set for {terminal_safe(reset.username)}.\n\n")
        text.append("Password  ", style="bold")
        text.append(reset.password.reveal() if self.revealed else MASK)
        text.append("\n\nr shows it, w copies it. It is shown only here: copy or note it now.")
        return text

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("reveal", "copy_password"):
            return self.reset is not None
        return super().check_action(action, parameters)

    def action_reveal(self) -> None:
        if self.reset is not None:
            self.revealed = not self.revealed
            self.show_status(self._shown())

    def action_copy_password(self) -> None:
        if self.reset is not None:
            self.app.copy_to_clipboard(self.reset.password.reveal())
            self.notify("Password copied to the clipboard.", timeout=3)
