"""Resolving a bulk file's values against the tenant's lists: the employee a row
names, sites, departments, templates and logins by what a spreadsheet calls them,
and the cell parsers. A value that does not resolve is a :class:`RowError` naming
its column. Shared by the plan (:mod:`sonnys_tui.bulk.plan`) and the sync
(:mod:`sonnys_tui.bulk.sync`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from sonnys_tui.backoffice import validation
from sonnys_tui.backoffice.errors import ValidationError
from sonnys_tui.backoffice.models import (
    BackofficeUserRow,
    EmployeeRow,
    Permission,
    Site,
)
from sonnys_tui.bulk.columns import LIST_SEPARATOR, NO, YES
from sonnys_tui.bulk.reader import InputRow
from sonnys_tui.lookup import fold

if TYPE_CHECKING:
    from sonnys_tui.tenant import Tenant


def describe_employee(employee: EmployeeRow) -> str:
    """The employee as a plan names them: name and POS User ID."""
    pos = f"POS {employee.pos_user_id}" if employee.pos_user_id is not None else "no POS ID"
    return f"{employee.full_name} ({pos})"


class RowError(Exception):
    def __init__(self, reason: str, column: str | None) -> None:
        super().__init__(reason)
        self.reason, self.column = reason, column


@dataclass
class Resolver:
    """The tenant's lists indexed once for the whole file."""

    by_pos: dict[int, EmployeeRow]
    by_name: dict[tuple[str, str], list[EmployeeRow]]
    sites: dict[str, Site]
    all_codes: tuple[str, ...]
    departments: dict[str, str]
    pos_templates: dict[str, Permission]
    bo_templates: dict[str, Permission]
    users: dict[tuple[str, str], list[BackofficeUserRow]]
    emails: frozenset[str]
    phones: dict[str, EmployeeRow]
    logins: dict[str, BackofficeUserRow]  # by username, casefolded
    hidden: frozenset[int]  # employee ids of those the list hides (Tenant.hidden)
    allow_unusual_pay: bool = False  # else a hire's or wage's odd pay is an error

    @classmethod
    def of(cls, tenant: Tenant) -> Resolver:
        # The employees the list hides are active and hold their ids and phones.
        listed = tenant.employees()
        known = {row.employee_id for row in listed}
        employees = listed + [row for row in tenant.hidden if row.employee_id not in known]
        by_name: dict[tuple[str, str], list[EmployeeRow]] = defaultdict(list)
        phones: dict[str, EmployeeRow] = {}
        for row in employees:
            by_name[name_key(row.first_name, row.last_name)].append(row)
            digits = validation.phone_digits(row.phone)
            if digits and row.active:
                phones.setdefault(digits, row)
        sites: dict[str, Site] = {}
        for site in tenant.sites:
            sites[site.name.casefold()] = site
            if site.code:
                sites.setdefault(site.code.casefold(), site)
        users = tenant.backoffice_users()
        by_user: dict[tuple[str, str], list[BackofficeUserRow]] = defaultdict(list)
        for user in users:
            by_user[name_key(user.first_name, user.last_name)].append(user)
        return cls(
            by_pos={row.pos_user_id: row for row in employees if row.pos_user_id is not None},
            by_name=by_name,
            sites=sites,
            all_codes=tuple(site.code for site in tenant.sites if site.code),
            departments={d.name.casefold(): d.name for d in tenant.departments},
            pos_templates=_templates(tenant.templates("pos")),
            bo_templates=_templates(tenant.templates("backoffice")),
            users=by_user,
            emails=tenant.emails | {u.email.casefold() for u in users if u.email},
            phones=phones,
            logins={u.username.casefold(): u for u in users},
            hidden=frozenset(row.employee_id for row in tenant.hidden),
        )

    def same(self, name: str, value: object) -> object:
        """What "unchanged" means for an update column, for the registry's diff: a
        phone's digits, sites ("all" as every code) and departments as sets in any
        case, names as written, the rest in any case."""
        text = str(value)
        if name == "phone":
            return validation.phone_digits(text)
        if name == "available_sites" and text == "all":
            text = ", ".join(self.all_codes)
        if name in ("available_sites", "departments"):
            return frozenset(part.strip().casefold() for part in text.split(",") if part.strip())
        return text if name in ("first_name", "last_name") else text.casefold()

    def describe(self, employee: EmployeeRow) -> str:
        """Who holds a taken value: name and POS User ID, and hidden when so."""
        if employee.employee_id in self.hidden:
            return f"{describe_employee(employee)}, active, hidden from the roster: no site"
        return describe_employee(employee)

    def find(self, row: InputRow) -> EmployeeRow:
        """The existing employee a row names: by POS User ID, else by first and last
        name and phone (refused when none or several match)."""
        text = row.get("pos_user_id")
        if text:
            pos_id = parse_pos_id(text)
            found = self.by_pos.get(pos_id)
            if found is None:
                raise RowError(f"no employee has POS User ID {pos_id}", "pos_user_id")
            return found
        first, last, phone = row.get("first_name"), row.get("last_name"), row.get("phone")
        if not (first and last and phone):
            raise RowError(
                "give pos_user_id, or first_name, last_name and phone to find the employee",
                "pos_user_id",
            )
        digits = validation.phone_digits(phone)
        matches = [
            e
            for e in self.by_name.get(name_key(first, last), [])
            if validation.phone_digits(e.phone) == digits
        ]
        if not matches:
            raise RowError(f"no employee named {first} {last} has phone {phone}", "first_name")
        if len(matches) > 1:
            raise RowError(
                f"{len(matches)} employees are named {first} {last} with that phone:"
                " give pos_user_id",
                "first_name",
            )
        return matches[0]

    def site_codes(self, text: str, column: str) -> tuple[list[str] | Literal["all"], set[str]]:
        """The sites a cell names (as given, for the client) and their short codes."""
        if text.strip().casefold() == "all":
            return "all", set(self.all_codes)
        names = split_list(text)
        if not names:
            raise RowError("name at least one site (or 'all')", column)
        codes: set[str] = set()
        for name in names:
            site = self.sites.get(name.casefold())
            if site is None:
                raise RowError(f"unknown site {name!r}", column)
            codes.add(site.code)
        return names, codes

    def department_names(self, text: str, column: str = "departments") -> list[str]:
        names = split_list(text)
        if not names:
            raise RowError("name at least one department", column)
        out = []
        for name in names:
            known = self.departments.get(name.casefold())
            if known is None:
                raise RowError(f"unknown department {name!r}", column)
            out.append(known)
        return out

    def template(self, text: str, scope: Literal["pos", "backoffice"], column: str) -> str:
        templates = self.pos_templates if scope == "pos" else self.bo_templates
        found = templates.get(text.strip().casefold())
        if found is None:
            kind = "POS" if scope == "pos" else "Back Office"
            raise RowError(f"unknown {kind} template {text!r}", column)
        return found.name

    def linked_users(self, employee: EmployeeRow) -> list[BackofficeUserRow]:
        """Back Office users with the employee's name (how the client finds the logins
        linked to an employee; the apply confirms the links)."""
        return self.users.get(name_key(employee.first_name, employee.last_name), [])


def _templates(templates: Iterable[Permission]) -> dict[str, Permission]:
    out: dict[str, Permission] = {}
    for template in templates:
        out.setdefault(template.name.casefold(), template)
    for template in templates:
        if template.description:
            out.setdefault(template.description.casefold(), template)
    return out


def name_key(first: str, last: str) -> tuple[str, str]:
    return fold(first.strip()), fold(last.strip())


def split_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(LIST_SEPARATOR) if part.strip()]


def parse_pos_id(text: str, column: str = "pos_user_id") -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise RowError(f"must be a whole number, not {text!r}", column) from None
    try:
        return validation.pos_user_id(value)
    except ValidationError as exc:
        raise RowError(str(exc), column) from None


def parse_date(text: str, column: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise RowError(f"must be a date YYYY-MM-DD, not {text!r}", column) from None


def parse_yes(text: str, column: str, default: bool) -> bool:
    value = text.strip().casefold()
    if not value:
        return default
    if value in YES:
        return True
    if value in NO:
        return False
    raise RowError(f"must be yes or no, not {text!r}", column)


def parse_username(text: str) -> str:
    column = "backoffice_username"
    if not text:
        raise RowError("required when backoffice is yes", column)
    try:
        return validation.username(text, field=column)
    except ValidationError as exc:
        raise row_error(exc) from None


def own_login(login: BackofficeUserRow, employee: EmployeeRow, email: str) -> bool:
    """The login the row's hire made for ``employee``: the user list shows a linked
    login under its employee's name, with its employee's e-mail (the server keeps
    e-mails unique but for a login and its own employee). Apply confirms the link on
    the login's edit page before it finishes anything."""
    same_name = name_key(login.first_name, login.last_name) == name_key(
        employee.first_name, employee.last_name
    )
    return same_name or (bool(email) and login.email.casefold() == email.casefold())


def row_error(exc: ValidationError) -> RowError:
    return RowError(str(exc), exc.field)
