"""The simulated tenant's state: plain dataclasses that tests read and assert on.

Strings are stored verbatim as posted (the real server does not trim or
normalise, e.g. phones keep the format they were typed in).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass
class Region:
    id: int
    name: str


@dataclass
class District:
    id: int
    name: str
    region_id: int


@dataclass
class Site:
    id: int
    name: str
    code: str
    district_id: int | None = None


@dataclass
class Department:
    id: int
    name: str


@dataclass
class PosPermission:
    id: int
    label: str
    description: str
    group: str


@dataclass
class PosTemplate:
    id: int
    name: str
    description: str
    grant_ids: frozenset[int]
    override_ids: frozenset[int]
    view_only: bool = False


@dataclass
class BoTemplate:
    id: int
    name: str
    description: str
    tokens: frozenset[str]
    view_only: bool = False


@dataclass
class Wage:
    effective_date: date
    is_hourly: bool
    regular_rate: Decimal
    overtime_eligible: bool = False
    overtime_rate: Decimal | None = None
    ignore_salary_schedule: bool = True
    site_id: int | None = None
    salary_rate: str = ""
    hours_per_week: str = ""


@dataclass
class Employee:
    id: int
    first_name: str
    last_name: str
    phone: str = ""
    email: str = ""
    department_ids: list[int] = field(default_factory=list)
    start_date: date | None = None
    site_ids: set[int] = field(default_factory=set)
    pos_credential_id: int = 0
    pos_user_id: int = 0
    pos_pin: str = field(default="", repr=False)
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""
    adp_employee_id: str = ""
    active: bool = True
    status_changed: datetime = field(default_factory=lambda: datetime(2025, 1, 1))
    grant_ids: set[int] = field(default_factory=set)
    override_ids: set[int] = field(default_factory=set)
    action_approval_authority: bool = False
    wages: list[Wage] = field(default_factory=list)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def latest_wage(self) -> Wage | None:
        return max(self.wages, key=lambda w: w.effective_date) if self.wages else None


@dataclass
class BoUser:
    id: int
    username: str
    email: str
    password: str = field(repr=False)
    employee_id: int | None = None
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    active: bool = True
    all_sites: bool = False
    site_ids: set[int] = field(default_factory=set)
    tokens: set[str] = field(default_factory=set)


@dataclass
class Store:
    """Everything one tenant holds. Ids come from counters and are never reused."""

    regions: dict[int, Region] = field(default_factory=dict)
    districts: dict[int, District] = field(default_factory=dict)
    sites: dict[int, Site] = field(default_factory=dict)
    departments: dict[int, Department] = field(default_factory=dict)
    pos_permissions: list[PosPermission] = field(default_factory=list)
    pos_templates: dict[int, PosTemplate] = field(default_factory=dict)
    bo_tokens: list[str] = field(default_factory=list)
    bo_templates: dict[int, BoTemplate] = field(default_factory=dict)
    employees: dict[int, Employee] = field(default_factory=dict)
    users: dict[int, BoUser] = field(default_factory=dict)
    _employee_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(401))
    _credential_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(301))
    _user_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(3_000_001))

    @property
    def hierarchical(self) -> bool:
        return bool(self.regions)

    def next_employee_id(self) -> int:
        return next(self._employee_ids)

    def next_credential_id(self) -> int:
        return next(self._credential_ids)

    def next_user_id(self) -> int:
        return next(self._user_ids)

    def add_employee(self, employee: Employee) -> Employee:
        self.employees[employee.id] = employee
        return employee

    def add_user(self, user: BoUser) -> BoUser:
        self.users[user.id] = user
        return user

    def employee_by_pos_id(self, pos_user_id: int) -> Employee | None:
        for employee in self.employees.values():
            if employee.pos_user_id == pos_user_id:
                return employee
        return None

    def user_by_username(self, username: str) -> BoUser | None:
        wanted = username.casefold()
        for user in self.users.values():
            if user.username.casefold() == wanted:
                return user
        return None

    def email_taken(
        self, email: str, *, except_employee: int | None = None, except_user: int | None = None
    ) -> bool:
        """E-mails are unique across employees AND Back Office users (case-insensitive);
        an employee and the BO user linked to it may share one."""
        wanted = email.strip().casefold()
        if not wanted:
            return False
        for employee in self.employees.values():
            if employee.id != except_employee and employee.email.strip().casefold() == wanted:
                return True
        for user in self.users.values():
            linked_to_exempt = except_employee is not None and user.employee_id == except_employee
            if user.id == except_user or linked_to_exempt:
                continue  # a linked BO user shares its employee's e-mail
            if user.email.strip().casefold() == wanted:
                return True
        return False

    def sites_in_district(self, district_id: int) -> list[Site]:
        return [s for s in self.sites.values() if s.district_id == district_id]

    def districts_in_region(self, region_id: int) -> list[District]:
        return [d for d in self.districts.values() if d.region_id == region_id]

    def template_name_for(self, grant_ids: set[int], override_ids: set[int]) -> str:
        """The list's Access column: the first template with equal sets, else Custom/None."""
        if not grant_ids:
            return "None"
        for template in sorted(self.pos_templates.values(), key=lambda t: t.id):
            if template.grant_ids == grant_ids and template.override_ids == override_ids:
                return template.name
        return "Custom"
