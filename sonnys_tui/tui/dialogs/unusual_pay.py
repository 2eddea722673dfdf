"""The question the app asks before writing pay the registry calls unusual
(:func:`sonnys_tui.backoffice.fields.unusual_pay`): the hire form and Add wage ask the
same way; the shell and bulk refuse instead, unless ``--allow-unusual-pay``."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from rich.text import Text

from sonnys_tui.backoffice import fields
from sonnys_tui.tui.dialogs.confirm import ConfirmScreen

DIALOG_ID = "confirm-pay"


def concerns(wage: Decimal | None, overtime: Decimal | None = None) -> list[str]:
    """What about the pay looks like a slip of the keyboard, in sentences."""
    return [concern.message for concern in fields.unusual_pay(wage, overtime)]


def ask(question: str, said: Sequence[str], *, yes: str) -> ConfirmScreen:
    """The confirmation ("No" focused: going back to correct it is the default)."""
    body = Text(f"{question}\n\n", style="bold")
    body.append("\n".join(said))
    body.append("\n\nNo goes back to the form to correct it.")
    return ConfirmScreen(body, yes=yes, no="No, correct it", id=DIALOG_ID)
