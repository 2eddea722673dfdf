"""The one registry of employee (and Back Office user) fields.

What a field is, said once: its name (the client's parameter and the record's
attribute), its label (the word every screen, the shell and the bulk help use), its
key(s) on each Back Office form page and what kind of control holds it there, its rule
(a function of :mod:`sonnys_tui.backoffice.validation`), its ``set`` option, its bulk
CSV column, and whether a hire, an edit (``update_employee`` / ``set`` / the edit form)
or a bulk update may set it. The app's forms, the review screen, ``show`` / ``set``,
the bulk columns and template, and the client's form mapping all read it from here;
the form checks (``formcheck``) read the form keys and kinds with :func:`fields_for`.

Adding a field is one :class:`Field` in :data:`EMPLOYEE_FIELDS` (and, for the client to
write it, an attribute of the record and its key on the edit page).

Pay sanity is one rule here too (:func:`unusual_pay`): a wage below 7.25 or above
100.00 an hour, or overtime above twice the wage, is more likely a slip of the keyboard
than a rate. The app asks before writing it; the shell and bulk refuse it unless
``--allow-unusual-pay`` is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, cast

from sonnys_tui.backoffice import field_rules as rules
from sonnys_tui.backoffice import validation
from sonnys_tui.backoffice.errors import ValidationError

if TYPE_CHECKING:  # models is imported when a diff is made: the shell starts without it
    from sonnys_tui.backoffice.models import FieldChange, FieldValue

# The Back Office pages a field is on (the form check reads them by these names).
Page = Literal[
    "employee_create",  # /employee/create: the hire form
    "employee_edit",  # /employee/edit/<id>: the update form
    "employee_compensation",  # /employee/compensation/<id>: the Add Wage form
    "user_create",  # /user/create
    "user_edit",  # /user/edit/<id>
]
PAGES: tuple[Page, ...] = (
    "employee_create",
    "employee_edit",
    "employee_compensation",
    "user_create",
    "user_edit",
)
# The control a form key is on the page: what a form check expects to find there.
FormKind = Literal["text", "checkbox", "select", "hidden", "site_tree"]
# What the value is, for the app's widgets and the shell's parsing.
FieldKind = Literal[
    "text",
    "phone",
    "email",
    "date",
    "number",
    "secret",
    "money",
    "select",
    "checkbox",
    "checkbox_list",
    "site_tree",
]
# Who may set a field: a hire, an edit of one employee (app, `set`, the client's
# update), a bulk update row.
Writer = Literal["hire", "edit", "bulk"]
# Where a field sits on the app's employee forms.
Section = Literal["Person", "POS", "Pay", "Sites and departments", "Other", "Back Office login"]

Check = rules.Check


@dataclass(frozen=True, slots=True)
class FormKey:
    """One key a field is posted under on one page. ``multiple``: a list key
    (``name[]``) posted once per chosen value. A ``site_tree`` key is the prefix of the
    tree's names (the tree itself is read by :mod:`sonnys_tui.backoffice.sites`)."""

    page: Page
    key: str
    kind: FormKind
    multiple: bool = False


@dataclass(frozen=True, slots=True)
class Field:
    """One field of the registry (see the module docstring)."""

    name: str
    label: str
    kind: FieldKind
    section: Section
    keys: tuple[FormKey, ...] = ()
    check: Check | None = None  # the client's rule for a typed value
    parse: Check | None = None  # text as typed (form, shell, CSV) -> the typed value
    option: str | None = None  # `sonnys-tui set`'s option
    metavar: str | None = None
    help: str = ""  # one line: what it holds (shell help, bulk column help)
    column: str | None = None  # the bulk CSV column
    hire: bool = False
    edit: bool = False
    bulk: bool = False  # a bulk update row may set it
    clearable: bool = False  # on an edit, "" clears it
    placeholder: str = ""
    aliases: tuple[str, ...] = ()  # other names for it (a plan's part, a client error)

    def key_on(self, page: Page) -> FormKey | None:
        """The field's key on ``page`` (None: not on that page)."""
        return next((k for k in self.keys if k.page == page), None)

    def may(self, writer: Writer) -> bool:
        return {"hire": self.hire, "edit": self.edit, "bulk": self.bulk}[writer]

    def validate(self, value: object) -> object:
        """The clean typed value, by the client's rule (``""`` on a clearable field
        clears it); :class:`ValidationError` naming the field otherwise."""
        if self.clearable and isinstance(value, str) and not value.strip():
            return ""
        return value if self.check is None else self.check(value)

    def from_text(self, text: str) -> object:
        """The typed value of ``text`` as a form, the shell or a CSV cell gives it."""
        if self.clearable and not text.strip():
            return ""
        rule = self.parse or self.check
        return text.strip() if rule is None else rule(text)


# --------------------------------------------------------------------------- the registry

_CREATE: Page = "employee_create"
_EDIT: Page = "employee_edit"


def _on_both(key: str, kind: FormKind = "text", *, multiple: bool = False) -> tuple[FormKey, ...]:
    """A key the hire form and the edit form share."""
    return (FormKey(_CREATE, key, kind, multiple), FormKey(_EDIT, key, kind, multiple))


def _on_user_forms(*keys: str) -> tuple[FormKey, ...]:
    """Text keys the Back Office user create and edit forms share."""
    return tuple(
        FormKey(page, key, "text") for page in ("user_create", "user_edit") for key in keys
    )


# The employee record's fields, in the order forms, `show` and reviews list them.
EMPLOYEE_FIELDS: tuple[Field, ...] = (
    Field(
        "first_name",
        "First name",
        "text",
        "Person",
        _on_both("employee[firstName]"),
        check=rules.name("first_name", validation.FIRST_NAME_MAX),
        option="--first-name",
        metavar="NAME",
        column="first_name",
        hire=True,
        edit=True,
        bulk=True,
    ),
    Field(
        "last_name",
        "Last name",
        "text",
        "Person",
        _on_both("employee[lastName]"),
        check=rules.name("last_name", validation.LAST_NAME_MAX),
        option="--last-name",
        metavar="NAME",
        column="last_name",
        hire=True,
        edit=True,
        bulk=True,
    ),
    Field(
        "phone",
        "Phone",
        "phone",
        "Person",
        _on_both("employee[phone]"),
        check=rules.phone("phone"),
        option="--phone",
        metavar="PHONE",
        help="9-10 digits, e.g. (555) 010-0101",
        column="phone",
        hire=True,
        edit=True,
        bulk=True,
        placeholder="(555) 010-0101",
    ),
    Field(
        "email",
        "E-mail",
        "email",
        "Person",
        _on_both("employee[email]"),
        check=rules.email,
        option="--email",
        metavar="EMAIL",
        help="e-mail address",
        column="email",
        hire=True,
        edit=True,
        bulk=True,
        clearable=True,
        placeholder="name@example.com",
    ),
    Field(
        "pos_user_id",
        "POS User ID",
        "number",
        "POS",
        _on_both("posCredential[POSLoginID]"),
        check=lambda value: validation.pos_user_id(value),
        parse=rules.whole("pos_user_id", "a whole number >= 1", validation.pos_user_id),
        help="the key of an existing employee; the new one's on hire",
        column="pos_user_id",
        hire=True,
        edit=True,  # the client's update, as new_pos_user_id; the app shows it read-only
        aliases=("new_pos_user_id",),
    ),
    Field(
        "pos_pin",
        "PIN",
        "secret",
        "POS",
        _on_both("posCredential[POSLoginPassword]"),
        check=validation.pin,
        parse=rules.whole("pos_pin", "5 digits, 10000-99999", validation.pin),
        hire=True,
        edit=True,
        aliases=("pin",),
    ),
    Field(
        "wage_rate",
        "Wage / hour",
        "money",
        "Pay",
        (
            FormKey(_CREATE, "wage[regularRate]", "text"),
            FormKey("employee_compensation", "wage[regularRate]", "text"),
        ),
        check=rules.money("wage_rate"),
        option="--wage",
        metavar="RATE",
        help="hourly rate, e.g. 15.50",
        column="wage_rate",
        hire=True,
        placeholder="15.00",
        aliases=("rate", "wage"),
    ),
    Field(
        "overtime_wage_rate",
        "Overtime / hour",
        "money",
        "Pay",
        (
            FormKey(_CREATE, "wage[overtimeRate]", "text"),
            FormKey("employee_compensation", "wage[overtimeRate]", "text"),
        ),
        check=rules.money("overtime_wage_rate"),
        option="--overtime-rate",
        metavar="RATE",
        help="overtime rate (default 1.5 x the wage)",
        column="overtime_wage_rate",
        hire=True,
        placeholder="1.5x wage",
        aliases=("overtime_rate",),
    ),
    Field(
        "overtime_eligible",
        "Overtime eligible",
        "checkbox",
        "Pay",
        (
            FormKey(_CREATE, "wage[isOvertimeEligible]", "checkbox"),
            FormKey("employee_compensation", "wage[isOvertimeEligible]", "checkbox"),
        ),
    ),
    Field(
        "effective_date",
        "Effective date",
        "date",
        "Pay",
        (FormKey("employee_compensation", "wage[effectiveDate]", "text"),),
        check=rules.iso_date("effective_date"),
        option="--effective",
        metavar="YYYY-MM-DD",
        help="the new wage's date, YYYY-MM-DD, after the latest (default today)",
        column="effective_date",
    ),
    Field(
        "start_date",
        "Start date",
        "date",
        "POS",
        _on_both("employee[startDate]"),
        check=lambda value: validation.start_date(value),
        parse=rules.iso_date("start_date"),
        option="--start-date",
        metavar="YYYY-MM-DD",
        help="hire date, YYYY-MM-DD",
        column="start_date",
        hire=True,
        edit=True,
    ),
    Field(
        "available_sites",
        "Sites",
        "site_tree",
        "Sites and departments",
        _on_both("employee[", "site_tree"),
        check=rules.sites,
        parse=rules.sites_text,
        option="--sites",
        metavar="A,B|all",
        help="site names or codes separated by commas, or 'all'",
        column="available_sites",
        hire=True,
        edit=True,
        bulk=True,
        aliases=("sites",),
    ),
    Field(
        "wage_site",
        "Wage site",
        "select",
        "Sites and departments",
        (FormKey(_CREATE, "wage[siteId]", "select"),),
        check=rules.site_name,
        help="the wage's labor site (default the first site)",
        column="wage_site",
        hire=True,
    ),
    Field(
        "departments",
        "Departments",
        "checkbox_list",
        "Sites and departments",
        _on_both("employee[departments][]", "select", multiple=True),
        check=rules.departments,
        parse=lambda value: rules.departments(rules.list_text(value)),
        option="--departments",
        metavar="A,B",
        help="department names separated by commas",
        column="departments",
        hire=True,
        edit=True,
        bulk=True,
    ),
    Field(
        "permission",
        "POS template",
        "select",
        "POS",
        (),  # set on the permissions page, after the hire
        check=rules.template("permission"),
        option="--template",
        metavar="NAME",
        help="e.g. Cashier",
        column="permission",
        hire=True,
        bulk=True,
        aliases=("template", "pos_template"),
    ),
    Field(
        "adp_employee_id",
        "ADP ID",
        "text",
        "Other",
        _on_both("employee[adpEmployeeId]"),
        check=rules.optional("adp_employee_id", validation.ADP_ID_MAX),
        option="--adp-id",
        metavar="ID",
        help="the ADP employee ID",
        hire=True,
        edit=True,
        clearable=True,
    ),
    Field(
        "emergency_contact_name",
        "Emergency name",
        "text",
        "Other",
        _on_both("employee[emergencyContactName]"),
        check=rules.optional("emergency_contact_name", validation.EMERGENCY_NAME_MAX),
        option="--emergency-name",
        metavar="NAME",
        help="who to call in an emergency",
        hire=True,
        edit=True,
        clearable=True,
    ),
    Field(
        "emergency_contact_phone",
        "Emergency phone",
        "phone",
        "Other",
        _on_both("employee[emergencyContactPhone]"),
        check=rules.phone("emergency_contact_phone"),
        option="--emergency-phone",
        metavar="PHONE",
        help="their phone",
        hire=True,
        edit=True,
        clearable=True,
    ),
    Field(
        "active",
        "Status",
        "checkbox",
        "Other",
        (FormKey(_EDIT, "employee[isActive]", "checkbox"),),  # offboard / reinstate only
    ),
    Field(
        "employee_id", "Employee ID", "number", "Other", (FormKey(_EDIT, "employee[id]", "hidden"),)
    ),
    Field(
        "pos_credential_id",
        "POS credential",
        "number",
        "Other",
        (FormKey(_EDIT, "posCredential[id]", "hidden"),),
    ),
    # What a wage plan and a template plan rest on (a conflict names them).
    Field("wage_history", "Wage history", "text", "Pay"),
    Field("pos_access", "POS permissions", "text", "POS"),
    Field(
        "requires_backoffice",
        "Back Office login",
        "checkbox",
        "Back Office login",
        help="yes/no: hire with one; offboard or reinstate it too",
        column="backoffice",
        hire=True,
        aliases=("backoffice",),
    ),
    Field(
        "backoffice_username",
        "Username",
        "text",
        "Back Office login",
        check=rules.username("backoffice_username"),
        help="the username of a new Back Office login (with backoffice yes)",
        column="backoffice_username",
        hire=True,
        aliases=("username",),
    ),
    Field(
        "backoffice_password",
        "Password",
        "secret",
        "Back Office login",
        check=rules.password("backoffice_password"),
        hire=True,
        placeholder="auto",
        aliases=("password",),
    ),
    Field(
        "backoffice_permission",
        "BO template",
        "select",
        "Back Office login",
        check=rules.template("backoffice_permission"),
        help="the Back Office template of a new login (default user)",
        column="backoffice_permission",
        hire=True,
    ),
)

# A Back Office user's own fields (the create and edit forms of /user).
USER_NAME_MAX = 64  # the user forms' maxlength
BACKOFFICE_USER_FIELDS: tuple[Field, ...] = (
    Field(
        "username",
        "Username",
        "text",
        "Back Office login",
        _on_user_forms("user[username]"),
        check=rules.username("username"),
        hire=True,
        edit=True,
    ),
    Field(
        "email",
        "E-mail",
        "email",
        "Back Office login",
        _on_user_forms("employee[email]"),
        check=rules.email,
        hire=True,
        edit=True,
    ),
    Field(
        "first_name",
        "First name",
        "text",
        "Back Office login",
        _on_user_forms("employee[firstName]"),
        check=rules.name("first_name", USER_NAME_MAX),
        hire=True,
    ),
    Field(
        "last_name",
        "Last name",
        "text",
        "Back Office login",
        _on_user_forms("employee[lastName]"),
        check=rules.name("last_name", USER_NAME_MAX),
        hire=True,
    ),
    Field(
        "password",
        "Password",
        "secret",
        "Back Office login",
        _on_user_forms("user[password]", "user[confirmPassword]"),
        check=rules.password("password"),
        hire=True,
    ),
    Field(
        "link_to_employee",
        "Login for",
        "select",
        "Back Office login",
        (
            FormKey("user_create", "user[employeeId]", "select"),
            FormKey("user_edit", "user[employeeId]", "hidden"),
        ),
        aliases=("link_to_employee_pos_user_id", "link_to_employee_email"),
    ),
    Field(
        "change_password",
        "Change password",
        "checkbox",
        "Back Office login",
        (FormKey("user_edit", "user[changePassword]", "checkbox"),),  # INVERTED: checked keeps it
    ),
    Field(
        "active",
        "Active",
        "checkbox",
        "Back Office login",
        (FormKey("user_edit", "user[isDeleted]", "checkbox"),),  # INVERTED: checked is inactive
    ),
    Field(
        "universal_site_access",
        "All sites",
        "checkbox",
        "Back Office login",
        (FormKey("user_edit", "universalSiteAccess", "checkbox"),),
    ),
    Field(
        "permission",
        "Template",
        "select",
        "Back Office login",
        (),  # set on the user's permissions page
        check=rules.template("permission"),
        hire=True,
        edit=True,
    ),
    Field(
        "available_sites",
        "Sites",
        "site_tree",
        "Back Office login",
        (),  # the permissions page's hidden siteIds[] (sites.py reads them)
        check=rules.sites,
        hire=True,
        edit=True,
    ),
    Field(
        "user_id",
        "User ID",
        "number",
        "Back Office login",
        (FormKey("user_edit", "user[userId]", "hidden"),),
    ),
)


# --------------------------------------------------------------------------- lookups


def employee_fields() -> tuple[Field, ...]:
    """The employee registry as it is now (read at call time: a test may add a field)."""
    return EMPLOYEE_FIELDS


def field(name: str) -> Field:
    """The employee field called ``name`` (or known by it: ``rate`` is the wage)."""
    found = find(name)
    if found is None:
        raise KeyError(name)
    return found


def find(name: str) -> Field | None:
    for candidate in EMPLOYEE_FIELDS:
        if candidate.name == name:
            return candidate
    return next((f for f in EMPLOYEE_FIELDS if name in f.aliases), None)


def label(name: str) -> str:
    """The one word for a field everywhere (a name the registry lacks: made readable)."""
    found = find(name)
    return found.label if found is not None else name.replace("_", " ").capitalize()


def labels(registry: Sequence[Field] | None = None) -> dict[str, str]:
    """Every field's and alias's label, by name (for message rewording): the
    employee's, or ``registry``'s (:data:`BACKOFFICE_USER_FIELDS`)."""
    chosen = EMPLOYEE_FIELDS if registry is None else registry
    out: dict[str, str] = {}
    for f in chosen:
        for alias in f.aliases:
            out.setdefault(alias, f.label)
    out.update({f.name: f.label for f in chosen})
    return out


def settable(writer: Writer) -> tuple[Field, ...]:
    """The employee fields a hire, an edit or a bulk update may set, in order."""
    return tuple(f for f in EMPLOYEE_FIELDS if f.may(writer))


def fields_for(
    page: Page, fields: Sequence[Field] | None = None
) -> tuple[tuple[Field, FormKey], ...]:
    """Every (field, key) the registry expects on ``page``: what a form check compares
    with the live form (a key of kind ``site_tree`` is the tree's name prefix)."""
    chosen = fields if fields is not None else (*EMPLOYEE_FIELDS, *BACKOFFICE_USER_FIELDS)
    return tuple((f, k) for f in chosen for k in f.keys if k.page == page)


def form_keys(page: Page) -> dict[str, FormKey]:
    """Employee field name -> its key on ``page`` (one key per field: the first)."""
    out: dict[str, FormKey] = {}
    for f, key in fields_for(page, EMPLOYEE_FIELDS):
        out.setdefault(f.name, key)
    return out


def options() -> Iterator[Field]:
    """The fields `sonnys-tui set` takes an option for, to change the record."""
    return (f for f in EMPLOYEE_FIELDS if f.edit and f.option is not None)


def columns() -> tuple[Field, ...]:
    """The fields a bulk file has a column for (the POS User ID, its key, first)."""
    found = (f for f in EMPLOYEE_FIELDS if f.column is not None)
    return tuple(sorted(found, key=lambda f: f.name != "pos_user_id"))


def column_help() -> dict[str, str]:
    """Bulk column -> its label and what it holds, in the order a template writes them."""
    return {
        f.column: f"{f.label}: {f.help}" if f.help else f.label
        for f in columns()
        if f.column is not None
    }


# --------------------------------------------------------------------------- the diff


def _same(_name: str, value: object) -> object:
    return value


def _as_is(_name: str, value: object) -> FieldValue:
    return cast("FieldValue", value)


def diff(
    before: Mapping[str, object],
    after: Mapping[str, object],
    *,
    key: Callable[[str, object], object] = _same,
    shown: Callable[[str, object], FieldValue] = _as_is,
) -> tuple[FieldChange, ...]:
    """The one diff of a record: a :class:`FieldChange` (old -> new, as ``shown``) for
    each field of ``after`` whose value differs from ``before``'s (compared by ``key``),
    in the registry's order (names it lacks after, in their own order). The client's
    update plans and bulk's update rows both make their changes here."""
    from sonnys_tui.backoffice.models import FieldChange

    position = {f.name: n for n, f in enumerate(EMPLOYEE_FIELDS)}
    order = sorted(after, key=lambda name: position.get(name, len(position)))
    return tuple(
        FieldChange(name, shown(name, before.get(name)), shown(name, after[name]))
        for name in order
        if key(name, before.get(name)) != key(name, after[name])
    )


# --------------------------------------------------------------------------- pay sanity

WAGE_LOW = Decimal("7.25")  # the US federal minimum wage
WAGE_HIGH = Decimal("100.00")
OVERTIME_HIGH_FACTOR = Decimal("2")  # overtime above twice the wage
ALLOW_UNUSUAL_PAY = "--allow-unusual-pay"
PAY_FIELDS = ("wage_rate", "overtime_wage_rate")  # the fields a PayConcern may name


@dataclass(frozen=True, slots=True)
class PayConcern:
    """Pay that looks like a slip of the keyboard: ``field`` is the wage's or the
    overtime's registry name, ``message`` says why in a sentence."""

    field: str
    message: str


def unusual_pay(wage: Decimal | None, overtime: Decimal | None = None) -> tuple[PayConcern, ...]:
    """The one pay-sanity rule: a wage below :data:`WAGE_LOW` or above
    :data:`WAGE_HIGH`, or overtime above twice the wage (empty: nothing unusual)."""
    concerns: list[PayConcern] = []
    if wage is None:
        return ()
    if wage < WAGE_LOW:
        concerns.append(PayConcern("wage_rate", f"The wage, {wage} / hour, is below {WAGE_LOW}."))
    elif wage > WAGE_HIGH:
        concerns.append(
            PayConcern("wage_rate", f"The wage, {wage:,} / hour, is above {WAGE_HIGH}.")
        )
    if overtime is not None and wage > 0 and overtime > wage * OVERTIME_HIGH_FACTOR:
        concerns.append(
            PayConcern(
                "overtime_wage_rate",
                f"Overtime, {overtime:,} / hour, is more than twice the wage.",
            )
        )
    return tuple(concerns)


def refuse_unusual_pay(
    wage: Decimal | None, overtime: Decimal | None = None, *, allowed: bool = False
) -> None:
    """For the shell and bulk: :class:`ValidationError` naming the field unless
    ``allowed`` (``--allow-unusual-pay``)."""
    if allowed:
        return
    concerns = unusual_pay(wage, overtime)
    if concerns:
        first = concerns[0]
        said = " ".join(c.message for c in concerns)
        raise ValidationError(
            f"unusual pay: {said} Check it, or give {ALLOW_UNUSUAL_PAY} if it is right",
            field=first.field,
        )
