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


@dataclass(frozen=True, slots=True)
class EmployeeRow:
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

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def with_status(self, active: bool, changed_utc: str | None) -> EmployeeRow:
        """This row after a disable or enable (``changed_utc`` as the list shows it)."""
        return replace(self, active=active, status_changed_utc=changed_utc)


@dataclass(frozen=True, slots=True)
class EmployeeRecord:
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

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


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


__all__ = [
    "ActiveFilter",
    "BackofficeUserCreated",
    "BackofficeUserRequest",
    "BackofficeUserRow",
    "Department",
    "EmployeeCreated",
    "EmployeeDisabled",
    "EmployeeEnabled",
    "EmployeeRecord",
    "EmployeeRow",
    "HireRequest",
    "Permission",
    "Scope",
    "Secret",
    "Site",
]
