"""Deactivate or reactivate a Back Office login: asked with "No" focused, written
through the tenant in a worker, the outcome read in place.

Used by the BO users tab and by the access review (each finding's fix)."""

from __future__ import annotations

from rich.text import Text

from sonnys_tui.backoffice.models import (
    BackofficeUserDisabled,
    BackofficeUserEnabled,
    BackofficeUserRow,
)
from sonnys_tui.display import terminal_safe
from sonnys_tui.tenant import Tenant
from sonnys_tui.tui.dialogs.confirmed_write import ConfirmedWriteScreen


def user_text(user: BackofficeUserRow, question: str, consequence: str) -> Text:
    """The question, then who exactly (the server's text, shown safe)."""
    text = Text()
    text.append(f"{question}\n\n", style="bold")
    for label, value in (
        ("Name", f"{user.first_name} {user.last_name}".strip()),
        ("Username", user.username),
        ("E-mail", user.email),
        ("Phone", user.phone),
        ("Status", "active" if user.active else "inactive"),
    ):
        text.append(f"{label:<10} ", style="bold")
        text.append(f"{terminal_safe(value)}\n")
    text.append(f"\n{consequence}")
    return text


class UserStatusScreen(ConfirmedWriteScreen):
    """Deactivate (``enable=False``) or reactivate one Back Office login."""

    def __init__(self, tenant: Tenant, user: BackofficeUserRow, *, enable: bool) -> None:
        super().__init__()
        self.tenant = tenant
        self.user = user
        self.enable = enable
        self.yes_label = "Yes, reactivate" if enable else "Yes, deactivate"
        self.yes_variant = "success" if enable else "error"
        self.working_text = "Reactivating…" if enable else "Deactivating…"

    def question(self) -> Text:
        if self.enable:
            return user_text(
                self.user,
                "Reactivate this Back Office login?",
                "They will be able to sign in to the Back Office again (its linked "
                "employee must be active).",
            )
        return user_text(
            self.user,
            "Deactivate this Back Office login?",
            "They will no longer be able to sign in to the Back Office. Their POS "
            "login, if any, is not changed.",
        )

    def write(self) -> BackofficeUserDisabled | BackofficeUserEnabled:
        if self.enable:
            return self.tenant.enable_backoffice_user(self.user)
        return self.tenant.disable_backoffice_user(self.user)

    def outcome(self, result: object) -> Text:
        assert isinstance(result, BackofficeUserDisabled | BackofficeUserEnabled)
        name = terminal_safe(result.username)
        state = "active" if self.enable else "inactive"
        if result.already:
            return Text(f"✓ {name} was already {state}: nothing written.")
        verb = "reactivated" if self.enable else "deactivated"
        return Text(f"✓ {name} {verb} (verified: its page reads {state}).")
