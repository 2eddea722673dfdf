"""The documented columns of a bulk file: the same field names as the shell and the
app (``HireRequest``'s keys), the actions, and the example file each action's
``bulk template`` writes. Which columns there are, what each holds and its label come
from the field registry (:mod:`sonnys_tui.backoffice.fields`)."""

from __future__ import annotations

from typing import Literal, get_args

from sonnys_tui.backoffice import fields

Action = Literal["hire", "update", "wage", "offboard", "reinstate"]
ACTIONS: tuple[Action, ...] = get_args(Action)
ACTION_HELP = "hire, update, wage, offboard or reinstate (or one action for the whole file)"
# Who a row is about: the POS User ID, else the name and phone.
KEY_COLUMNS = ("pos_user_id", "first_name", "last_name", "phone")
_WAGE = ("wage_rate", "overtime_wage_rate", "effective_date")


def columns() -> dict[str, str]:
    """Column -> its label and what it holds, in the order a template writes them."""
    return {"action": ACTION_HELP, **fields.column_help()}


def action_columns(action: Action) -> tuple[str, ...]:
    """The columns ``action`` reads (any other column given is left alone)."""
    if action == "hire":
        hired = (f.column for f in fields.settable("hire") if f.column)
        return ("pos_user_id", *(c for c in hired if c != "pos_user_id"))
    if action == "update":
        changed = (f.column for f in fields.settable("bulk") if f.column)
        return (*KEY_COLUMNS, *(c for c in changed if c not in KEY_COLUMNS))
    if action == "wage":
        return (*KEY_COLUMNS, *_WAGE)
    return (*KEY_COLUMNS, fields.field("requires_backoffice").column or "backoffice")


# Column -> what it holds (as the registry is on import; columns() reads it now).
COLUMNS: dict[str, str] = columns()
# Which columns each action reads, as on import (action_columns() reads it now).
ACTION_COLUMNS: dict[Action, tuple[str, ...]] = {a: action_columns(a) for a in ACTIONS}

# What `sonnys-tui export` writes: an update file that changes nothing as it is.
EXPORT_COLUMNS: tuple[str, ...] = (
    "action",
    "pos_user_id",
    "first_name",
    "last_name",
    "phone",
    "available_sites",
    "departments",
    "permission",
)

# One synthetic example row per action (demo tenant names).
_EXAMPLES: dict[Action, dict[str, str]] = {
    "hire": {
        "pos_user_id": "4411",
        "first_name": "Dana",
        "last_name": "Reyes",
        "phone": "(555) 010-0199",
        "email": "dana.reyes@example.com",
        "wage_rate": "15.50",
        "start_date": "2026-12-01",
        "available_sites": "Demo Wash Fiesta, HARB",
        "departments": "Cashier, Greeter",
        "permission": "Cashier",
        "backoffice": "no",
    },
    "update": {
        "pos_user_id": "4411",
        "phone": "(555) 010-0142",
        "available_sites": "HARB",
        "permission": "Shift Leader",
    },
    "wage": {"pos_user_id": "4411", "wage_rate": "16.25", "effective_date": "2027-01-01"},
    "offboard": {"pos_user_id": "4411", "backoffice": "yes"},
    "reinstate": {"pos_user_id": "4411", "backoffice": "no"},
}

LIST_SEPARATOR = ","
YES = frozenset({"yes", "y", "true", "1", "x"})
NO = frozenset({"no", "n", "false", "0", ""})


def template(action: Action) -> list[list[str]]:
    """The header and one example row of a file for ``action`` (rows of cells)."""
    header = ["action", *action_columns(action)]
    example = _EXAMPLES[action]
    return [header, [action, *(example.get(column, "") for column in header[1:])]]
