"""The question the app asks before writing pay the registry calls unusual
(:func:`sonnys_tui.backoffice.fields.unusual_pay`): the hire form and Add wage ask the
same way; the shell and bulk refuse instead, unless ``--allow-unusual-pay``."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rich.text import Text

from sonnys_tui.backoffice import fields
from sonnys_tui.display import terminal_safe
from sonnys_tui.tui.dialogs.confirm import ConfirmScreen

DIALOG_ID = "confirm-pay"


def concerns(wage: Decimal | None, overtime: Decimal | None = None) -> list[str]:
    """What about the pay looks like a slip of the keyboard, in sentences."""
    return [concern.message for concern in fields.unusual_pay(wage, overtime)]


def ask(
    question: str,
    said: Sequence[str],
    *,
    yes: str,
    after: str = "No goes back to the form to correct it.",
    no: str = "No, correct it",
) -> ConfirmScreen:
    """The confirmation ("No" focused: going back to correct it is the default).
    ``said`` may quote a file: it is made safe for the terminal here."""
    body = Text(f"{question}\n\n", style="bold")
    body.append("\n".join(terminal_safe(line) for line in said))
    body.append(f"\n\n{after}")
    return ConfirmScreen(body, yes=yes, no=no, id=DIALOG_ID)
