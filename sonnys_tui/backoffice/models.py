"""Result types returned by :class:`SonnysBackofficeClient`.

All results are frozen dataclasses. Money is :class:`~decimal.Decimal`. Secrets
(PINs, passwords) are wrapped in :class:`Secret`, whose ``str``/``repr`` never
show the value: call :meth:`Secret.reveal` where the value is really needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar, Generic, Literal, NotRequired, TypedDict, TypeVar

Scope = Literal["pos", "backoffice"]
ActiveFilter = Literal["active", "inactive", "all"]


class Secret:
    """A secret string (PIN or password) that never prints itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret value itself."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        # Pickling a secret by accident (e.g. into a cache) must not leak it.
        raise TypeError("Secret values cannot be pickled")


@dataclass(frozen=True, slots=True)
class Site:
    """A car-wash site. ``name`` is the long name shown in the site tree;
    ``code`` is the short code shown in lists, wage sites and filters.
    ``region_*``/``district_*`` are None on a flat tenant."""

    id: int
    name: str
    code: str
    region_id: int | None = None
    region_name: str | None = None
    district_id: int | None = None
    district_name: str | None = None


@dataclass(frozen=True, slots=True)
class Department:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Permission:
    """A role template.

    POS templates carry the permission ids they grant (``grant_ids``) and
    those that require manager approval (``override_ids``); Back Office
    templates carry permission tokens (``tokens``, e.g. ``employee.list``).
    """

    scope: Scope
    id: str
    name: str
    description: str = ""
    grant_ids: frozenset[int] = frozenset()
    override_ids: frozenset[int] = frozenset()
    tokens: frozenset[str] = frozenset()

    # The public sonnys_backoffice package's names (see compat.py).
    @property
    def grants(self) -> frozenset[int]:
        return self.grant_ids

    @property
    def overrides(self) -> frozenset[int]:
        return self.override_ids


class _Person:
    """What an employee's row and record both answer of the person."""

    __slots__ = ()
    first_name: str
    last_name: str
    active: bool

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_active(self) -> bool:
        """``active``, by the public sonnys_backoffice package's name."""
        return self.active


@dataclass(frozen=True, slots=True)
class EmployeeRow(_Person):
    """One row of the employee list page (``/employee``)."""

    employee_id: int
    first_name: str
    last_name: str
    pos_user_id: int | None
    phone: str
    site_codes: tuple[str, ...]
    departments: tuple[str, ...]
    access: str  # a POS template name, "Custom" or "None"
    wage_type: str  # "Hourly" / "Salary" / ""
    active: bool
    status_changed_utc: str | None = None

    def with_status(self, active: bool, changed_utc: str | None) -> EmployeeRow:
        """This row after a disable or enable (``changed_utc`` as the list shows it)."""
        return replace(self, active=active, status_changed_utc=changed_utc)


@dataclass(frozen=True, slots=True)
class EmployeeRecord(_Person):
    """The full record of one employee, read from its edit page."""

    employee_id: int
    pos_credential_id: int | None
    first_name: str
    last_name: str
    phone: str
    email: str
    department_ids: tuple[int, ...]
    departments: tuple[str, ...]
    start_date: date | None
    site_ids: frozenset[int]
    sites: tuple[str, ...]  # long names of the available sites
    pos_user_id: int | None
    pos_pin: Secret
    emergency_contact_name: str
    emergency_contact_phone: str
    adp_employee_id: str
    active: bool
    # Read by get_employee beyond the edit page (see its docstring for the cost): the
    # short codes of ``sites`` (a site without a code has none), the wage history
    # (newest first; None: not read) and the POS permission set (None: not read).
    site_codes: tuple[str, ...] = ()
    wages: tuple[Wage, ...] | None = None
    pos_access: PosAccess | None = None

    @property
    def current_wage(self) -> Wage | None:
        """The wage marked current in :attr:`wages` (None when not read or none)."""
        return next((wage for wage in self.wages or () if wage.current), None)


@dataclass(frozen=True, slots=True)
class BackofficeUserRow:
    """One row of the Back Office user list page (``/user``)."""

    user_id: int
    first_name: str
    last_name: str
    username: str
    phone: str
    email: str
    active: bool


@dataclass(frozen=True, slots=True)
class BackofficeUserCreated:
    user_id: int
    username: str
    email: str
    password: Secret
    permission: str
    permission_applied: bool
    available_sites: tuple[str, ...] | Literal["all"]
    linked_employee_id: int | None = None
    first_name: str = ""
    last_name: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def sites_granted(self) -> list[str]:
        """The sites the user may see, by long name, or ``["all"]`` (every site, present
        and future): the public sonnys_backoffice package's name."""
        return ["all"] if self.available_sites == "all" else list(self.available_sites)

    def as_row(self) -> BackofficeUserRow:
        """The user as the user list shows it (the one conversion the app and shell use)."""
        return BackofficeUserRow(
            user_id=self.user_id,
            first_name=self.first_name,
            last_name=self.last_name,
            username=self.username,
            phone="",
            email=self.email,
            active=True,
        )


@dataclass(frozen=True, slots=True)
class EmployeeCreated:
    employee_id: int
    first_name: str
    last_name: str
    email: str
    phone: str
    pos_user_id: int
    pos_pin: Secret
    permission: str  # the resolved POS template name
    wage_rate: Decimal
    overtime_wage_rate: Decimal
    wage_site: str | None  # short code of the wage attribution (labor) site
    sites: tuple[str, ...]  # long names
    departments: tuple[str, ...]
    start_date: date
    backoffice_user: BackofficeUserCreated | None = None
    warnings: tuple[str, ...] = field(default=())
    # Short codes of ``sites`` as the employee list shows them (a site without a code
    # shows none there).
    site_codes: tuple[str, ...] = ()

    # The public sonnys_backoffice package's names for what is above (see compat.py).
    @property
    def permission_applied(self) -> str:
        """The POS template applied (``permission``)."""
        return self.permission

    @property
    def sites_granted(self) -> list[str]:
        """The employee's sites by long name (``sites``)."""
        return list(self.sites)

    @property
    def backoffice_user_id(self) -> int | None:
        return self.backoffice_user.user_id if self.backoffice_user else None

    @property
    def backoffice_username(self) -> str | None:
        return self.backoffice_user.username if self.backoffice_user else None

    @property
    def backoffice_password(self) -> Secret | None:
        """Masked when printed: ``.reveal()`` gives the password itself."""
        return self.backoffice_user.password if self.backoffice_user else None

    def as_row(self) -> EmployeeRow:
        """The new employee as the employee list shows it: the one conversion the app,
        the shell and the roster cache use, so a hire looks the same everywhere."""
        return EmployeeRow(
            employee_id=self.employee_id,
            first_name=self.first_name,
            last_name=self.last_name,
            pos_user_id=self.pos_user_id,
            phone=self.phone,
            site_codes=self.site_codes,
            departments=self.departments,
            access=self.permission,
            wage_type="Hourly",
            active=True,
        )


@dataclass(frozen=True, slots=True)
class EmployeeDisabled:
    employee_id: int
    pos_user_id: int | None
    email: str | None
    disabled_at: datetime  # UTC
    already: bool = False  # the employee was already inactive: nothing was written


@dataclass(frozen=True, slots=True)
class EmployeeEnabled:
    employee_id: int
    pos_user_id: int | None
    email: str | None
    enabled_at: datetime  # UTC
    already: bool = False  # the employee was already active: nothing was written


class HireRequest(TypedDict):
    """What :meth:`SonnysBackofficeClient.create_employee` takes, as a form collects it.

    Checked by mypy against the method's parameters where it is unpacked
    (``client.create_employee(**request)``): a renamed parameter fails type checking.
    """

    first_name: str
    last_name: str
    phone: str
    email: str
    pos_user_id: int
    wage_rate: Decimal
    start_date: date
    available_sites: Sequence[str] | Literal["all"]
    permission: str
    pos_pin: NotRequired[int | None]
    overtime_wage_rate: NotRequired[Decimal | None]
    departments: NotRequired[Sequence[str] | None]
    adp_employee_id: NotRequired[str | None]
    emergency_contact_name: NotRequired[str | None]
    emergency_contact_phone: NotRequired[str | None]
    requires_backoffice: NotRequired[bool]
    backoffice_username: NotRequired[str | None]
    backoffice_password: NotRequired[str | None]
    backoffice_permission: NotRequired[str]
    wage_site: NotRequired[str | None]


class UpdateRequest(TypedDict, total=False):
    """What :meth:`SonnysBackofficeClient.plan_update_employee` and ``update_employee``
    change, as one value: ``client.plan_update_employee(employee_id=7, **request)``.
    A key left out (or ``None``) leaves its field as it is. The keys are the field
    registry's fields an edit may set (``new_pos_user_id`` is ``pos_user_id``'s: the
    POS User ID also finds the employee); mypy checks them where it is unpacked.
    """

    first_name: str | None
    last_name: str | None
    phone: str | None
    email: str | None
    available_sites: Sequence[str] | Literal["all"] | None
    departments: Sequence[str] | None
    start_date: date | datetime | None
    new_pos_user_id: int | None
    pos_pin: int | None
    emergency_contact_name: str | None
    emergency_contact_phone: str | None
    adp_employee_id: str | None


class BackofficeUserRequest(TypedDict):
    """What :meth:`SonnysBackofficeClient.create_backoffice_user` takes, as a form collects it."""

    username: str
    email: str
    permission: str
    password: NotRequired[str | None]
    link_to_employee_pos_user_id: NotRequired[int | str | None]
    link_to_employee_email: NotRequired[str | None]
    first_name: NotRequired[str | None]
    last_name: NotRequired[str | None]
    available_sites: NotRequired[Sequence[str] | Literal["all"]]


# ---------------------------------------------------------------- changing an employee


@dataclass(frozen=True, slots=True)
class Wage:
    """One row of an employee's wage history (``/employee/compensation/<id>``).

    ``end_date`` is the next wage's effective date (None for the newest). ``current``
    marks the wage in effect on the server's today, or, while every wage still lies
    ahead (a hire with a future start date), the first one.
    """

    hourly: bool  # False: salary
    rate: Decimal  # the (effective) hourly rate
    overtime_eligible: bool
    overtime_rate: Decimal | None
    effective_date: date
    end_date: date | None = None
    current: bool = False

    @property
    def wage_type(self) -> str:
        """As the employee list shows it: "Hourly" or "Salary"."""
        return "Hourly" if self.hourly else "Salary"

    @property
    def is_current(self) -> bool:
        """``current``, by the public sonnys_backoffice package's name."""
        return self.current


@dataclass(frozen=True, slots=True)
class PosAccess:
    """An employee's POS permission set, and the template it matches exactly.

    ``template`` is the name of the first template (in the page's order) whose grant
    and approval sets both equal the employee's, or None when none does.
    """

    granted: frozenset[int]
    overrides: frozenset[int]  # granted permissions that require manager approval
    template: str | None

    @property
    def access(self) -> str:
        """As the employee list's Access column shows it: the template, "Custom" or "None"."""
        if self.template is not None:
            return self.template
        return "Custom" if self.granted else "None"

    # The public sonnys_backoffice package's names (its EmployeePermission).
    @property
    def template_name(self) -> str | None:
        return self.template

    @property
    def is_custom(self) -> bool:
        """True when the permissions match no template exactly."""
        return self.template is None

    @property
    def granted_permission_ids(self) -> frozenset[int]:
        return self.granted

    @property
    def override_permission_ids(self) -> frozenset[int]:
        return self.overrides


ChangeOperation = Literal["update", "add wage", "set POS template"]
# What a FieldChange holds: plain values for the review, a Secret for the PIN.
FieldValue = str | int | Decimal | bool | date | tuple[str, ...] | Secret | None


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One line of a change's review: ``field`` goes from ``old`` to ``new``.

    ``field`` is the record's attribute (``first_name``, ``available_sites``,
    ``pos_pin``…) or, for a wage, the new wage's part (``rate``, ``effective_date``…).
    Sites and departments are tuples of names (sites "all" when every site); a PIN is a
    :class:`Secret` on both sides, so printing a change never shows it.
    """

    field: str
    old: FieldValue
    new: FieldValue

    @property
    def added(self) -> tuple[str, ...]:
        """For a list field (sites, departments): the names ``new`` has and ``old`` lacks."""
        old, new = _names(self.old), _names(self.new)
        return tuple(name for name in new if name not in old)

    @property
    def removed(self) -> tuple[str, ...]:
        """For a list field: the names ``old`` has and ``new`` lacks."""
        old, new = _names(self.old), _names(self.new)
        return tuple(name for name in old if name not in new)

    def __str__(self) -> str:
        return f"{self.field}: {_shown(self.old)} -> {_shown(self.new)}"


def _names(value: FieldValue) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else ()


def _shown(value: FieldValue) -> str:
    if isinstance(value, tuple):
        return ", ".join(value) or "(none)"
    if isinstance(value, date):
        return value.isoformat()
    return "(empty)" if value in ("", None) else str(value)


@dataclass(frozen=True, slots=True)
class PlannedRequest:
    """One request an apply will send, and why."""

    method: str
    path: str
    purpose: str

    def __str__(self) -> str:
        return f"{self.method} {self.path}: {self.purpose}"


R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class EmployeeChangePlan(Generic[R]):
    """A change computed without writing: review it, then pass it to
    :meth:`SonnysBackofficeClient.apply_change` (which returns an ``R``).

    ``changes`` is the diff to show (empty: nothing to do, and applying sends nothing);
    ``requests`` what the apply will send, in order; ``expected`` what the apply must
    find unchanged when it re-reads the record (field -> value as read when planning:
    any difference is a :class:`~sonnys_tui.backoffice.errors.ConflictError` and
    nothing is written). ``arguments`` are the operation's checked arguments, from
    which the apply (and :meth:`SonnysBackofficeClient.replan`) computes the change
    again on what it reads.
    """

    operation: ChangeOperation
    employee_id: int
    employee_name: str
    changes: tuple[FieldChange, ...]
    requests: tuple[PlannedRequest, ...]
    expected: tuple[tuple[str, object], ...]
    arguments: tuple[tuple[str, object], ...]
    warnings: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to change (the apply then sends nothing)."""
        return not self.changes

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields the change touches, in review order."""
        return tuple(change.field for change in self.changes)

    def describe(self) -> str:
        """The review as text: what changes on whom, then the requests."""
        head = f"{self.operation} of employee {self.employee_id} ({self.employee_name})"
        if self.is_empty:
            return f"{head}: nothing to change"
        lines = [head + ":", *(f"  {change}" for change in self.changes)]
        lines += ["requests:", *(f"  {request}" for request in self.requests)]
        lines += [f"warning: {warning}" for warning in self.warnings]
        return "\n".join(lines)


def _row_base(previous: EmployeeRow | None, employee_id: int) -> EmployeeRow:
    return previous or EmployeeRow(
        employee_id=employee_id,
        first_name="",
        last_name="",
        pos_user_id=None,
        phone="",
        site_codes=(),
        departments=(),
        access="",
        wage_type="",
        active=True,
    )


@dataclass(frozen=True, slots=True)
class EmployeeUpdated:
    """The result of an update: ``record`` is the edit page read back after the write
    (``changed=False``: there was nothing to change and nothing was written)."""

    employee_id: int
    changes: tuple[FieldChange, ...]
    record: EmployeeRecord
    changed: bool = True
    warnings: tuple[str, ...] = ()

    def as_row(self, previous: EmployeeRow | None = None) -> EmployeeRow:
        """The row the employee list now shows: ``previous`` (the row before) with what
        the edit page holds. Without ``previous`` (the employee was not listed: it had no
        site), the Access and wage type columns are left empty until the next refresh."""
        record = self.record
        base = _row_base(previous, record.employee_id)
        codes = record.site_codes
        if previous is not None and "available_sites" not in {c.field for c in self.changes}:
            codes = previous.site_codes  # the sites did not change: keep the list's own codes
        return replace(
            base,
            first_name=record.first_name,
            last_name=record.last_name,
            pos_user_id=record.pos_user_id,
            phone=record.phone,
            site_codes=tuple(sorted(codes, key=str.casefold)),
            departments=tuple(sorted(record.departments, key=str.casefold)),
            active=record.active,
        )


@dataclass(frozen=True, slots=True)
class WageAdded:
    """A new wage, read back in the history (newest first). A wage keeps the wage
    type, so the employee list does not change: there is no ``as_row``."""

    employee_id: int
    wage: Wage
    history: tuple[Wage, ...]
    changes: tuple[FieldChange, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PosPermissionsSet:
    """A POS template applied to an employee, as read back (``changed=False``: the
    employee already had exactly that template's permissions)."""

    employee_id: int
    template: str
    access: PosAccess
    changes: tuple[FieldChange, ...]
    changed: bool = True
    warnings: tuple[str, ...] = ()

    def as_row(self, previous: EmployeeRow) -> EmployeeRow:
        """``previous`` with the Access column the list now shows."""
        return replace(previous, access=self.access.access)


# ---------------------------------------------------------------- Back Office access, offboarding


@dataclass(frozen=True, slots=True)
class BackofficeAccess:
    """What a Back Office user may do and where, as its permissions page shows it.

    ``template`` is the short name (``admin``, ``manager``, ``user``…) of the template
    whose tokens the user has exactly, ``"Custom"`` when none matches, ``"None"`` when
    nothing is enabled. ``all_sites`` is the "all regions / all sites" switch (every
    site, present and future); ``site_ids``/``sites`` are the accessible sites now.
    """

    user_id: int
    template: str
    template_description: str  # e.g. "Administrator" ("" for Custom/None)
    tokens: frozenset[str] = field(repr=False)  # ~105 of them: not in the repr
    all_sites: bool
    site_ids: frozenset[int]
    sites: tuple[str, ...]  # long names, in the site tree's order


@dataclass(frozen=True, slots=True)
class BackofficeUser:
    """The full record of one Back Office user: its edit page and its permissions page."""

    user_id: int
    username: str
    email: str
    first_name: str
    last_name: str
    employee_id: int | None  # the linked employee; None for a standalone user
    active: bool
    access: BackofficeAccess
    phone: str = ""  # as the user list shows it ("" when the list was not read)

    @property
    def template(self) -> str:
        return self.access.template

    @property
    def all_sites(self) -> bool:
        return self.access.all_sites

    @property
    def site_ids(self) -> frozenset[int]:
        return self.access.site_ids

    @property
    def sites(self) -> tuple[str, ...]:
        return self.access.sites

    def as_row(self) -> BackofficeUserRow:
        """The user as the user list shows it."""
        return BackofficeUserRow(
            self.user_id,
            self.first_name,
            self.last_name,
            self.username,
            self.phone,
            self.email,
            self.active,
        )


@dataclass(frozen=True, slots=True)
class _BackofficeUserStatus:
    """What a Back Office user's disable and enable results both say of the user."""

    ACTIVE: ClassVar[bool]  # how the user list shows the user after it

    user_id: int
    username: str
    email: str
    first_name: str
    last_name: str
    phone: str
    employee_id: int | None

    def as_row(self) -> BackofficeUserRow:
        """The user as the user list now shows it."""
        return BackofficeUserRow(
            self.user_id, self.first_name, self.last_name, self.username, self.phone,
            self.email, self.ACTIVE,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class BackofficeUserDisabled(_BackofficeUserStatus):
    """A Back Office user made inactive, verified by reading its edit page back
    (``already``: it was inactive, nothing was written)."""

    ACTIVE: ClassVar[bool] = False
    disabled_at: datetime  # UTC
    already: bool = False


@dataclass(frozen=True, slots=True)
class BackofficeUserEnabled(_BackofficeUserStatus):
    """A Back Office user made active again, verified (``already``: it was active)."""

    ACTIVE: ClassVar[bool] = True
    enabled_at: datetime  # UTC
    already: bool = False


@dataclass(frozen=True, slots=True)
class BackofficePermissionsSet:
    """A user's template and accessible sites after a change, as read back
    (``already``: the user had exactly these, nothing was written). The user list shows
    neither, so there is no ``as_row``."""

    user_id: int
    username: str  # "" when the client has not listed the users (asked by user_id)
    template: str  # the applied template's short name ("Custom" when kept as it was)
    available_sites: tuple[str, ...] | Literal["all"]
    access: BackofficeAccess
    already: bool = False


@dataclass(frozen=True, slots=True)
class PasswordReset:
    """A Back Office user's new password. The server accepted it; a password cannot be
    read back, so the check is that the rest of the user reads back unchanged."""

    user_id: int
    username: str
    password: Secret
    reset_at: datetime  # UTC


# One verified status write of an offboarding or a reinstatement.
StatusChange = EmployeeDisabled | EmployeeEnabled | BackofficeUserDisabled | BackofficeUserEnabled


@dataclass(frozen=True, slots=True)
class Offboarded:
    """Everything an offboarding closed: the employee (its POS login) and every Back
    Office user linked to it, each verified. Each part says ``already`` when it was
    inactive before (nothing written); ``already`` here means nothing was written at all.
    ``backoffice_checked`` is False when the call was told to leave the logins alone."""

    employee: EmployeeDisabled
    backoffice_users: tuple[BackofficeUserDisabled, ...] = ()
    backoffice_checked: bool = True

    @property
    def already(self) -> bool:
        return self.employee.already and all(user.already for user in self.backoffice_users)

    def rows(self) -> tuple[BackofficeUserRow, ...]:
        """The linked users as the user list now shows them."""
        return tuple(user.as_row() for user in self.backoffice_users)


@dataclass(frozen=True, slots=True)
class Reinstated:
    """The mirror of :class:`Offboarded`: the employee enabled and, when asked, its Back
    Office users too (``backoffice_users`` is empty when they were left inactive)."""

    employee: EmployeeEnabled
    backoffice_users: tuple[BackofficeUserEnabled, ...] = ()

    @property
    def already(self) -> bool:
        return self.employee.already and all(user.already for user in self.backoffice_users)

    def rows(self) -> tuple[BackofficeUserRow, ...]:
        """The re-enabled users as the user list now shows them."""
        return tuple(user.as_row() for user in self.backoffice_users)


AvailabilityState = Literal["free", "taken", "unknown"]


@dataclass(frozen=True, slots=True)
class EmailAvailability:
    """What the client can say about an e-mail, and why (:meth:`email_availability`).

    ``"taken"``: an active employee, a Back Office user, an employee whose edit page
    the client has read (an inactive one included), or a write the server refused as
    a duplicate, has it. ``"unknown"``: no active employee nor Back Office user has
    it, but the server keeps the e-mails of inactive employees taken and lists them
    nowhere, so one of those may have it (the server then refuses the hire or the
    change). The client never answers ``"free"`` for an e-mail: nothing it can read
    proves one free. ``state`` is an :data:`AvailabilityState`, the vocabulary POS
    User IDs and phones share (for those, "free" is an answer).
    """

    state: AvailabilityState
    reason: str


__all__ = [
    "ActiveFilter",
    "AvailabilityState",
    "BackofficeAccess",
    "BackofficePermissionsSet",
    "BackofficeUser",
    "BackofficeUserCreated",
    "BackofficeUserDisabled",
    "BackofficeUserEnabled",
    "BackofficeUserRequest",
    "BackofficeUserRow",
    "ChangeOperation",
    "Department",
    "EmailAvailability",
    "EmployeeChangePlan",
    "EmployeeCreated",
    "EmployeeDisabled",
    "EmployeeEnabled",
    "EmployeeRecord",
    "EmployeeRow",
    "EmployeeUpdated",
    "FieldChange",
    "FieldValue",
    "HireRequest",
    "Offboarded",
    "PasswordReset",
    "Permission",
    "PlannedRequest",
    "PosAccess",
    "PosPermissionsSet",
    "Reinstated",
    "Scope",
    "Secret",
    "Site",
    "StatusChange",
    "UpdateRequest",
    "Wage",
    "WageAdded",
]
