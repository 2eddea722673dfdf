"""Pure input validation and generation of PINs and passwords (no I/O).

The rules here are the client's, not the server's (CONTRACT §2.2): the Back Office
stores phones verbatim and accepts any positive PIN, but the business wants
9-10 digit phones and 5-digit PINs. Every failure is a :class:`ValidationError`
naming the field and saying how to fix it.

No text argument may hold a control character (ESC, BEL, a tab or a line break inside),
a bidirectional override or another invisible format character: stored in a name, such
text would reach every terminal that shows it (:mod:`sonnys_tui.display` escapes it on
screen, but what cannot be shown as typed is refused here, before any request).
"""

from __future__ import annotations

import re
import secrets
import string
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

from sonnys_tui.backoffice.errors import ValidationError
from sonnys_tui.backoffice.text import escape, first_unsafe

PIN_MIN = 10000
PIN_MAX = 99999
FIRST_NAME_MAX = 50
LAST_NAME_MAX = 100
PASSWORD_MIN = 8
POS_USER_ID_MAX = 2_147_483_647  # a signed 32-bit column; beyond it the server cannot store it
PHONE_MAX = 20  # the form's maxlength (CONTRACT §2.2)
ADP_ID_MAX = 32
EMERGENCY_NAME_MAX = 100
GENERATED_PASSWORD_LENGTH = 16
_CENT = Decimal("0.01")
_OVERTIME_FACTOR = Decimal("1.5")
# Matched with fullmatch: `$` alone would let a trailing line break through.
_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_USERNAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{2,63}")
_SUBDOMAIN_RE = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_PASSWORD_SYMBOLS = "!#%+-=?@_"


_NON_DIGITS = re.compile(r"[^0-9]+")
# Spaces, tabs and line breaks around a value are trimmed (as every form does); anywhere
# else they, like every other control character, are refused.
_OUTER_SPACE = " \t\r\n"


def label(field: str) -> str:
    """``first_name`` as messages name it: "first name"."""
    return field.replace("_", " ")


def _kind(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Cc":
        return "a control character"
    if category == "Cs":
        return "a broken character (half of a surrogate pair)"
    if category == "Cn":
        return "an unassigned character"
    if category in ("Zl", "Zp"):
        return "a line separator"
    return "an invisible formatting character" if category == "Cf" else "an invisible character"


def printable(value: str, *, field: str, secret: bool = False, whole: bool = False) -> str:
    """``value`` unchanged if it holds no control, escape or invisible format character
    (plain spaces, tabs and line breaks around it are allowed: callers trim them).

    The ValidationError names the field and the character, e.g. "first name contains
    a control character (\\x1b) — remove it": an escape, never the character itself. A
    ``secret`` (a password: used as typed, never trimmed) is checked whole, and no
    character of it is repeated; ``whole`` checks a value that is sent untrimmed.
    """
    bad = first_unsafe(value if secret or whole else value.strip(_OUTER_SPACE))
    if bad is None:
        return value
    what = _kind(bad) if secret else f"{_kind(bad)} ({escape(bad)})"
    raise ValidationError(f"{label(field)} contains {what} — remove it", field=field)


def digits_only(text: str) -> str:
    # A regex, not a per-character loop: the phone index runs this 10,000 times.
    return _NON_DIGITS.sub("", text)


def phone_digits(text: str) -> str:
    """The digits that identify a US phone: its digits, less the country code of an
    11-digit number that starts with 1, so that "+1 312 555 0199", "1-312-555-0199"
    and "(312) 555-0199" are one phone. What availability checks compare."""
    digits = _NON_DIGITS.sub("", text)
    return digits[1:] if len(digits) == 11 and digits[0] == "1" else digits


def phone(value: object, *, field: str = "phone") -> str:
    """Return the phone as given (stripped) after checking it has 9-10 digits, not
    counting a leading US country code ("+1 312 555 0199" is valid)."""
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be text, e.g. '(555) 010-0101'", field=field)
    printable(value, field=field)
    digits = phone_digits(value)
    if not 9 <= len(digits) <= 10:
        raise ValidationError(
            f"{field} must have 9 or 10 digits, or 11 starting with the country code 1 "
            f"(got {len(digits_only(value))}); e.g. '(555) 010-0101'",
            field=field,
        )
    if len(value.strip()) > PHONE_MAX:
        raise ValidationError(f"{field} must have at most {PHONE_MAX} characters", field=field)
    return value.strip()


def pin(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("pos_pin must be a whole number 10000-99999", field="pos_pin")
    if not PIN_MIN <= value <= PIN_MAX:
        raise ValidationError("pos_pin must be a 5-digit number 10000-99999", field="pos_pin")
    return value


def generate_pin() -> int:
    """A random 5-digit PIN.

    PINs are shown only on each employee's edit page, so checking a new PIN
    against every existing one would cost one request per employee; the
    server does not require PINs to be unique, so a random one is used.
    """
    return PIN_MIN + secrets.randbelow(PIN_MAX - PIN_MIN + 1)


def pos_user_id(value: object, *, field: str = "pos_user_id") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{field} must be a whole number >= 1", field=field)
    if not 1 <= value <= POS_USER_ID_MAX:
        raise ValidationError(f"{field} must be between 1 and {POS_USER_ID_MAX}", field=field)
    return value


def email(value: object, *, field: str = "email") -> str:
    if isinstance(value, str):
        printable(value, field=field)
    if not isinstance(value, str) or not _EMAIL_RE.fullmatch(value.strip()):
        raise ValidationError(
            f"{field} must be an e-mail address like name@example.com", field=field
        )
    return value.strip()


def username(value: object, *, field: str = "username") -> str:
    if isinstance(value, str):
        printable(value, field=field)
    if not isinstance(value, str) or not _USERNAME_RE.fullmatch(value):
        raise ValidationError(
            f"{field} must start with a letter and have 3-64 letters, digits or '_'",
            field=field,
        )
    return value


def password(value: object, *, field: str = "password") -> str:
    if isinstance(value, str):
        printable(value, field=field, secret=True)
    if not isinstance(value, str) or len(value) < PASSWORD_MIN:
        raise ValidationError(f"{field} must have at least {PASSWORD_MIN} characters", field=field)
    return value


def generate_password() -> str:
    """16 characters from ``secrets``: letters and digits plus at least one symbol."""
    alphabet = string.ascii_letters + string.digits
    while True:
        chars = [secrets.choice(alphabet) for _ in range(GENERATED_PASSWORD_LENGTH - 1)]
        chars.insert(secrets.randbelow(len(chars) + 1), secrets.choice(_PASSWORD_SYMBOLS))
        candidate = "".join(chars)
        if (
            any(c.islower() for c in candidate)
            and any(c.isupper() for c in candidate)
            and any(c.isdigit() for c in candidate)
        ):
            return candidate


def name(value: object, *, field: str, max_length: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{field} must not be empty", field=field)
    stripped = printable(value, field=field).strip()
    if len(stripped) > max_length:
        raise ValidationError(
            f"{field} must have at most {max_length} characters (got {len(stripped)})",
            field=field,
        )
    return stripped


def optional_text(value: object, *, field: str, max_length: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{field} must be text", field=field)
    stripped = printable(value, field=field).strip()
    if len(stripped) > max_length:
        raise ValidationError(f"{field} must have at most {max_length} characters", field=field)
    return stripped


def money(value: object, *, field: str) -> Decimal:
    """A non-negative amount with at most 2 decimals (floats go through ``str``)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        raise ValidationError(f"{field} must be an amount like 15.50", field=field)
    try:
        amount = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise ValidationError(f"{field} must be an amount like 15.50", field=field) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError(f"{field} must be a non-negative amount", field=field)
    if amount != amount.quantize(_CENT):
        raise ValidationError(f"{field} must have at most 2 decimals (cents)", field=field)
    return amount.quantize(_CENT)


def default_overtime(wage: Decimal) -> Decimal:
    return (wage * _OVERTIME_FACTOR).quantize(_CENT, rounding=ROUND_HALF_UP)


def overtime(wage: Decimal, value: object) -> Decimal:
    """The overtime rate (``None``: 1.5x ``wage``); never below the wage itself: an hour
    of overtime paid less than a regular hour is a typing mistake, not a rate."""
    if value is None:
        return default_overtime(wage)
    rate = money(value, field="overtime_wage_rate")
    if rate < wage:
        raise ValidationError(
            f"overtime_wage_rate ({rate}) must not be below wage_rate ({wage})",
            field="overtime_wage_rate",
        )
    return rate


def day(value: object, *, field: str, expected: str = "a date") -> date:
    """A date, or the day of a datetime (its time of day dropped); else an error
    naming ``field``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise ValidationError(f"{field} must be {expected}", field=field)


def start_date(value: object) -> date:
    return day(value, field="start_date", expected="a date or datetime")


def subdomain(value: object) -> str:
    if not isinstance(value, str) or not _SUBDOMAIN_RE.fullmatch(value):
        raise ValidationError(
            "subdomain must be lowercase letters, digits and '-', e.g. 'mywash'",
            field="subdomain",
        )
    return value


def exactly_one(**keys: object) -> tuple[str, object]:
    """The one key given a value; ValidationError if none or several are."""
    given = [(key, value) for key, value in keys.items() if value is not None]
    if len(given) != 1:
        names = ", ".join(keys)
        raise ValidationError(f"give exactly one of {names}", field=names)
    return given[0]


def names_list(value: object, *, field: str) -> list[str]:
    """A list of non-empty names (sites, departments)."""
    if isinstance(value, str) or not isinstance(value, Collection):
        raise ValidationError(f"{field} must be a list of names", field=field)
    result: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise ValidationError(f"{field} must contain non-empty names", field=field)
        result.append(printable(item, field=field).strip())
    return result


@dataclass(frozen=True, slots=True)
class NewEmployee:
    """The validated input of ``create_employee`` (names of sites etc. still unresolved)."""

    first_name: str
    last_name: str
    phone: str
    email: str
    pos_user_id: int
    pin: int = field(repr=False)
    wage: Decimal
    overtime: Decimal
    start_date: date
    site_names: list[str] | Literal["all"]
    wage_site: str | None  # the labor site's name or code; None: the first of the sites
    department_names: list[str]
    permission: str
    adp_employee_id: str
    emergency_contact_name: str
    emergency_contact_phone: str


def new_employee(
    *,
    first_name: object,
    last_name: object,
    phone: object,
    email: object,
    pos_user_id: object,
    wage_rate: object,
    start_date: object,
    available_sites: object,
    permission: object,
    pos_pin: object = None,
    overtime_wage_rate: object = None,
    departments: object = None,
    adp_employee_id: object = None,
    emergency_contact_name: object = None,
    emergency_contact_phone: object = None,
    wage_site: object = None,
) -> NewEmployee:
    """Validate every ``create_employee`` input; a PIN is generated when none is given."""
    wage = money(wage_rate, field="wage_rate")
    # The form's departments select is `required`: a browser never posts none.
    department_names = names_list(departments or [], field="departments")
    if not department_names:
        raise ValidationError(
            "departments must name at least one department (e.g. ['Greeter'])",
            field="departments",
        )
    if not isinstance(permission, str) or not permission.strip():
        raise ValidationError("permission must name a POS template", field="permission")
    printable(permission, field="permission")
    return NewEmployee(
        first_name=name(first_name, field="first_name", max_length=FIRST_NAME_MAX),
        last_name=name(last_name, field="last_name", max_length=LAST_NAME_MAX),
        phone=phone_number(phone),
        email=email_address(email),
        pos_user_id=pos_user_id_number(pos_user_id),
        pin=pin(pos_pin) if pos_pin is not None else generate_pin(),
        wage=wage,
        overtime=overtime(wage, overtime_wage_rate),
        start_date=start_date_value(start_date),
        site_names=site_choice(available_sites, field="available_sites"),
        wage_site=None if wage_site is None else _site_name(wage_site, field="wage_site"),
        department_names=department_names,
        permission=permission.strip(),
        adp_employee_id=optional_text(
            adp_employee_id, field="adp_employee_id", max_length=ADP_ID_MAX
        ),
        emergency_contact_name=optional_text(
            emergency_contact_name, field="emergency_contact_name", max_length=EMERGENCY_NAME_MAX
        ),
        emergency_contact_phone=(
            phone_number(emergency_contact_phone, field="emergency_contact_phone")
            if emergency_contact_phone
            else ""
        ),
    )


def site_choice(value: object, *, field: str) -> list[str] | Literal["all"]:
    """``"all"`` or a non-empty list of site names/codes."""
    if isinstance(value, str):
        if value.strip().casefold() == "all":
            return "all"
        raise ValidationError(f"{field} must be a list of site names or 'all'", field=field)
    sites = names_list(value, field=field)
    if not sites:
        raise ValidationError(f"{field} must name at least one site (or 'all')", field=field)
    return sites


def _site_name(value: object, *, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{field} must name a site (its name or code)", field=field)
    return printable(value, field=field).strip()


# Aliases so that NewEmployee's field names do not shadow the validators above.
phone_number = phone
email_address = email
pos_user_id_number = pos_user_id
start_date_value = start_date
