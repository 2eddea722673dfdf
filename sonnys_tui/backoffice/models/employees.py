"""The employee, its sites and the lists' rows: what the client reads and what a hire
or an update asks for (Secrets, sites, templates, rows and records, wages and POS access)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, NotRequired, TypedDict

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


# ---------------------------------------------------------------- a record's wages and POS access


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
