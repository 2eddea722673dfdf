"""The documented columns of a bulk file: the same field names as the shell and the
app (``HireRequest``'s keys), the actions, and the example file each action's
``bulk template`` writes."""

from __future__ import annotations

from typing import Literal, get_args

Action = Literal["hire", "update", "wage", "offboard", "reinstate"]
ACTIONS: tuple[Action, ...] = get_args(Action)

# Column -> what it holds, in the order a template or an export writes them.
COLUMNS: dict[str, str] = {
    "action": "hire, update, wage, offboard or reinstate (or one action for the whole file)",
    "pos_user_id": "the POS User ID: the key of an existing employee, the new one's on hire",
    "first_name": "first name (with last_name and phone: finds someone without a POS ID)",
    "last_name": "last name",
    "phone": "phone, 9-10 digits, e.g. (555) 010-0101",
    "email": "e-mail address",
    "wage_rate": "hourly rate, e.g. 15.50 (hire, wage)",
    "overtime_wage_rate": "overtime rate (default 1.5 x the wage)",
    "start_date": "hire date, YYYY-MM-DD",
    "effective_date": "the new wage's date, YYYY-MM-DD, after the latest (default today)",
    "available_sites": "site names or codes separated by commas, or 'all'",
    "wage_site": "the wage's labor site (default the first site)",
    "departments": "department names separated by commas",
    "permission": "the POS template, e.g. Cashier",
    "backoffice": "yes/no: hire with a Back Office login; offboard or reinstate it too",
    "backoffice_username": "the username of a new Back Office login (with backoffice yes)",
    "backoffice_permission": "the Back Office template of a new login (default user)",
}

# Which columns each action reads (any other column given is left alone).
ACTION_COLUMNS: dict[Action, tuple[str, ...]] = {
    "hire": (
        "pos_user_id",
        "first_name",
        "last_name",
        "phone",
        "email",
        "wage_rate",
        "overtime_wage_rate",
        "start_date",
        "available_sites",
        "wage_site",
        "departments",
        "permission",
        "backoffice",
        "backoffice_username",
        "backoffice_permission",
    ),
    "update": (
        "pos_user_id",
        "first_name",
        "last_name",
        "phone",
        "email",
        "available_sites",
        "departments",
        "permission",
    ),
    "wage": (
        "pos_user_id",
        "first_name",
        "last_name",
        "phone",
        "wage_rate",
        "overtime_wage_rate",
        "effective_date",
    ),
    "offboard": ("pos_user_id", "first_name", "last_name", "phone", "backoffice"),
    "reinstate": ("pos_user_id", "first_name", "last_name", "phone", "backoffice"),
}

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
    header = ["action", *ACTION_COLUMNS[action]]
    example = _EXAMPLES[action]
    return [header, [action, *(example.get(column, "") for column in header[1:])]]
