"""Planning a bulk file: every row validated and resolved against what the tenant
already holds (one roster read for the whole file, never a request per row).

Each row gets one :class:`RowPlan`: would create, would change (field old → new),
would disable / enable (with the linked Back Office logins), already done (skip),
resume (a row a killed run left mid-way: checked against the server at apply), or
an error with the reason and the column.

What the roster cannot tell is said in the plan rather than guessed: the roster has
no wages, so a wage row shows its new rate and "the history is checked at apply"
(a date on or before the latest wage is refused there, before anything is sent);
nor e-mails of inactive employees, which the server alone knows.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from sonnys_tui.backoffice import fields, validation
from sonnys_tui.backoffice.errors import ValidationError
from sonnys_tui.backoffice.models import (
    EmployeeRow,
    FieldChange,
    HireRequest,
    UpdateRequest,
)
from sonnys_tui.bulk.columns import ACTION_COLUMNS, ACTIONS, Action
from sonnys_tui.bulk.reader import BulkFile, InputRow
from sonnys_tui.bulk.resolve import (
    Resolver,
    RowError,
    describe_employee,
    name_key,
    own_login,
    parse_date,
    parse_pos_id,
    parse_username,
    parse_yes,
    row_error,
)
from sonnys_tui.lookup import fold

if TYPE_CHECKING:
    from sonnys_tui.bulk.journal import JournalState
    from sonnys_tui.tenant import ListName, Tenant

Status = Literal["create", "change", "disable", "enable", "skip", "resume", "error"]
# The statuses apply writes (or checks, for resume); skip and error are left alone.
# Fields the roster does not show: whether an update of them is done, only the
# journal (or the apply's own read) can tell.
_UNLISTED = frozenset({"email"})
TO_APPLY: frozenset[Status] = frozenset({"create", "change", "disable", "enable", "resume"})
# What a plan needs known (the e-mails in use only for hires: their page is large).
PLAN_LISTS: tuple[ListName, ...] = (
    "sites",
    "departments",
    "pos_templates",
    "backoffice_templates",
    "backoffice_users",
    "employees",
)


# One field as it is ("?" when the roster does not show it) and as the row wants it:
# the client's own FieldChange, made by the one diff (fields.diff).
Change = FieldChange


def _said(change: FieldChange) -> str:
    return f"{change.field}: {change.old or '(none)'} → {change.new or '(none)'}"


@dataclass(frozen=True, slots=True)
class UpdateIntent:
    """An update row for the client: the fields that differ, as one
    :class:`~sonnys_tui.backoffice.models.UpdateRequest` for ``plan_update_employee``,
    and the POS template to set."""

    changes: UpdateRequest = field(default_factory=lambda: UpdateRequest())
    template: str | None = None

    @property
    def has_fields(self) -> bool:
        return any(value is not None for value in self.changes.values())


@dataclass(frozen=True, slots=True)
class WageIntent:
    rate: Decimal
    effective_date: date | None = None
    overtime_rate: Decimal | None = None


@dataclass(frozen=True, slots=True)
class RowPlan:
    """What one row of the file will do. ``key`` names the row in the journal (its
    action, its person and a digest of its values: an edited row is a new row).
    ``column`` is the column an error is about (None: the row as a whole)."""

    row: InputRow
    action: Action | None
    status: Status
    key: str
    person: str = ""  # "Dana Reyes (POS 4411)", as the table shows who
    employee: EmployeeRow | None = None
    changes: tuple[Change, ...] = ()
    reason: str = ""
    column: str | None = None
    notes: tuple[str, ...] = ()
    hire: HireRequest | None = field(default=None, repr=False)
    update: UpdateIntent | None = None
    wage: WageIntent | None = None
    backoffice: bool = False

    @property
    def line(self) -> int:
        return self.row.line

    @property
    def pos_user_id(self) -> int | None:
        if self.hire is not None:
            return self.hire["pos_user_id"]
        return self.employee.pos_user_id if self.employee is not None else None

    def summary(self) -> str:
        """The row's plan in one line of words (the table's last column)."""
        if self.status == "error":
            where = f"{self.column}: " if self.column else ""
            return f"error: {where}{self.reason}"
        if self.status == "skip":
            return f"already done: {self.reason}"
        if self.status == "resume":
            return f"interrupted: {self.reason}"
        verb = {"create": "would create", "disable": "would disable", "enable": "would enable"}
        head = verb.get(self.status, "would change")
        if self.status == "create":  # nothing is old: the new values alone
            detail = ", ".join(str(change.new) for change in self.changes)
        else:
            detail = "; ".join(_said(change) for change in self.changes)
        return f"{head}: {detail}" if detail else head


@dataclass(frozen=True, slots=True)
class BulkPlan:
    """``refused``: why the plan as a whole must not be applied (a sync's guards);
    then nothing is to apply and :func:`~sonnys_tui.bulk.run.run_plan` refuses it."""

    rows: tuple[RowPlan, ...]
    columns: tuple[str, ...]
    refused: tuple[str, ...] = ()

    def counts(self) -> Counter[Status]:
        return Counter(row.status for row in self.rows)

    @property
    def has_errors(self) -> bool:
        return any(row.status == "error" for row in self.rows)

    @property
    def to_apply(self) -> tuple[RowPlan, ...]:
        if self.refused:
            return ()
        return tuple(row for row in self.rows if row.status in TO_APPLY)


def lists_needed(bulk: BulkFile, action: Action | None = None) -> tuple[ListName, ...]:
    """The tenant lists :func:`plan` reads for this file (e-mails only for hires)."""
    hires = action == "hire" or any(row.get("action").casefold() == "hire" for row in bulk.rows)
    return (*PLAN_LISTS, "emails") if hires else PLAN_LISTS


def load(tenant: Tenant, bulk: BulkFile, action: Action | None = None) -> None:
    """Fetch from the server the lists a plan needs (one roster read for the file),
    and the employees the list hides, whose POS User IDs and phones are taken too."""
    tenant.refresh(lists_needed(bulk, action))
    tenant.read_hidden()


def plan(
    tenant: Tenant,
    bulk: BulkFile,
    *,
    action: Action | None = None,
    journal: JournalState | None = None,
    allow_unusual_pay: bool = False,
) -> BulkPlan:
    """Plan every row of ``bulk`` on the lists ``tenant`` holds (no request; call
    :func:`load` first for fresh ones). ``action`` is the whole file's when it has no
    ``action`` column. ``journal`` is what earlier runs recorded: a row done there is
    skipped, a row started and not finished is planned as ``resume``. Pay the registry
    calls unusual (:func:`~sonnys_tui.backoffice.fields.unusual_pay`) is an error
    naming its column unless ``allow_unusual_pay``."""
    resolver = replace(Resolver.of(tenant), allow_unusual_pay=allow_unusual_pay)
    seen: dict[tuple[str, str], int] = {}  # (what, value) -> first line
    out: list[RowPlan] = []
    for row in bulk.rows:
        out.append(_plan_row(resolver, row, action, journal, seen))
    return BulkPlan(tuple(out), bulk.columns)


def row_key(action: Action, row: InputRow) -> str:
    """The row's name in the journal: action, person and a digest of the values the
    action reads (an edited row is a new row; the line it is on does not matter)."""
    columns = ACTION_COLUMNS[action]
    values = {c: row.get(c) for c in columns if row.get(c)}
    digest = hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:12]
    who = row.get("pos_user_id") or fold(f"{row.get('first_name')} {row.get('last_name')}")
    return f"{action}:{who}:{digest}"


# --------------------------------------------------------------------------- one row


def _plan_row(
    resolver: Resolver,
    row: InputRow,
    file_action: Action | None,
    journal: JournalState | None,
    seen: dict[tuple[str, str], int],
) -> RowPlan:
    text = row.get("action").casefold() or (file_action or "")
    if text not in ACTIONS:
        reason = f"unknown action {text!r} (one of {', '.join(ACTIONS)})" if text else "no action"
        return RowPlan(row, None, "error", f"?:{row.line}", reason=reason, column="action")
    action: Action = text
    key = row_key(action, row)
    try:
        who = row.get("pos_user_id") or name_key(row.get("first_name"), row.get("last_name"))
        by = "pos_user_id" if row.get("pos_user_id") else "first_name"
        _once(seen, (action, str(who)), row.line, "this person has another " + action, by)
        if action == "hire":
            planned = _plan_hire(resolver, row, key, seen)
        elif action == "update":
            planned = _plan_update(resolver, row, key)
        elif action == "wage":
            planned = _plan_wage(resolver, row, key)
        else:
            planned = _plan_status(resolver, row, key, action)
    except RowError as exc:
        return RowPlan(row, action, "error", key, reason=exc.reason, column=exc.column)
    return _with_journal(planned, journal)


def _once(
    seen: dict[tuple[str, str], int],
    what: tuple[str, str],
    line: int,
    text: str,
    column: str | None,
) -> None:
    first = seen.setdefault(what, line)
    if first != line:
        raise RowError(f"duplicate within the file: {text} on line {first}", column)


def _with_journal(planned: RowPlan, journal: JournalState | None) -> RowPlan:
    """The plan of a row in the light of earlier runs. The tenant's state decides
    where the roster shows it (a hire done is an employee with that POS User ID and
    name; an update done is a record that no longer differs); the journal decides
    only what the roster cannot show: a wage, an e-mail."""
    if journal is None or planned.status == "error":
        return planned
    if planned.status == "skip" and planned.action != "hire":
        return planned  # the record says it is done (a hire may yet lack its permissions)
    entry = journal.get(planned.key)
    if entry is None:
        return planned
    if entry.finished and entry.outcome != "failed":
        if planned.action == "wage" or (
            planned.action == "update" and {c.field for c in planned.changes} <= _UNLISTED
        ):
            return _replace(planned, "skip", f"done in an earlier run ({entry.at})")
        return planned
    # Started with no outcome (the run was killed mid-row), or failed (perhaps after
    # a write): a hire or a wage is checked against the server before anything is
    # written; the other actions are planned on the record as it is at apply, so
    # they never write twice anyway.
    if planned.action in ("hire", "wage"):
        return _replace(planned, "resume", "checked against the server before any write")
    return planned


def _replace(planned: RowPlan, status: Status, reason: str) -> RowPlan:
    return replace(planned, status=status, reason=reason)


def _plan_hire(
    resolver: Resolver, row: InputRow, key: str, seen: dict[tuple[str, str], int]
) -> RowPlan:
    get = row.get
    for column in ("pos_user_id", "first_name", "last_name", "phone", "email", "wage_rate"):
        if not get(column):
            raise RowError("required for a hire", column)
    for column in ("start_date", "available_sites", "departments", "permission"):
        if not get(column):
            raise RowError("required for a hire", column)
    pos_id = parse_pos_id(get("pos_user_id"))
    start = parse_date(get("start_date"), "start_date")
    sites, codes = resolver.site_codes(get("available_sites"), "available_sites")
    departments = resolver.department_names(get("departments"))
    try:
        new = validation.new_employee(
            first_name=get("first_name"),
            last_name=get("last_name"),
            phone=get("phone"),
            email=get("email"),
            pos_user_id=pos_id,
            wage_rate=get("wage_rate"),
            start_date=start,
            available_sites=sites,
            permission=get("permission"),
            pos_pin=validation.PIN_MIN,  # a placeholder: the client generates the PIN
            overtime_wage_rate=get("overtime_wage_rate") or None,
            departments=departments,
            wage_site=get("wage_site") or None,
        )
    except ValidationError as exc:
        raise row_error(exc) from None
    if new.wage_site is not None:
        site = resolver.sites.get(new.wage_site.casefold())
        if site is None or site.code not in codes:
            raise RowError(f"{new.wage_site!r} is not one of the chosen sites", "wage_site")
    permission = resolver.template(new.permission, "pos", "permission")
    backoffice = parse_yes(get("backoffice"), "backoffice", False)
    bo_template = "user"
    username = ""
    if backoffice:
        if get("backoffice_permission"):
            bo_template = resolver.template(
                get("backoffice_permission"), "backoffice", "backoffice_permission"
            )
        username = parse_username(get("backoffice_username"))
    request = HireRequest(
        first_name=new.first_name,
        last_name=new.last_name,
        phone=new.phone,
        email=new.email,
        pos_user_id=pos_id,
        wage_rate=new.wage,
        start_date=new.start_date,
        available_sites=sites,
        permission=permission,
        overtime_wage_rate=new.overtime,
        departments=departments,
        wage_site=new.wage_site,
    )
    if backoffice:
        request["requires_backoffice"] = True
        request["backoffice_username"] = username
        request["backoffice_permission"] = bo_template
    person = f"{new.first_name} {new.last_name} (POS {pos_id})"
    existing = resolver.by_pos.get(pos_id)
    login = resolver.logins.get(username.casefold()) if username else None
    if existing is not None:
        if name_key(existing.first_name, existing.last_name) == name_key(
            new.first_name, new.last_name
        ):
            # This row's hire, made by an earlier run: done, or to finish (its login).
            status: Status = "skip"
            reason = f"employee {existing.employee_id} has POS User ID {pos_id}"
            if login is not None and not own_login(login, existing, new.email):
                raise RowError(
                    f"Back Office username {username!r} is taken by"
                    f" {login.first_name} {login.last_name}".rstrip(),
                    "backoffice_username",
                )
            if username and login is None:
                status = "resume"
                reason += f"; its Back Office login {username} is missing: made at apply"
            return RowPlan(
                row,
                "hire",
                status,
                key,
                person=person,
                employee=existing,
                reason=reason,
                hire=request,  # a resumed hire completes from it
                backoffice=backoffice,
            )
        raise RowError(
            f"POS User ID {pos_id} is taken by {resolver.describe(existing)}", "pos_user_id"
        )
    if login is not None:
        raise RowError(f"Back Office username {username!r} is taken", "backoffice_username")
    # Asked only of a hire still to make: one an earlier run made (above) writes no pay
    # again, so a rerun without --allow-unusual-pay skips it instead of refusing it.
    overtime = new.overtime if get("overtime_wage_rate") else None
    try:
        fields.refuse_unusual_pay(new.wage, overtime, allowed=resolver.allow_unusual_pay)
    except ValidationError as exc:
        raise row_error(exc) from None
    if new.email.casefold() in resolver.emails:
        raise RowError(f"e-mail {new.email} is taken", "email")
    holder = resolver.phones.get(validation.phone_digits(new.phone))
    if holder is not None:
        raise RowError(f"phone {new.phone} is taken by {resolver.describe(holder)}", "phone")
    _once(seen, ("email", new.email.casefold()), row.line, f"e-mail {new.email}", "email")
    digits = validation.phone_digits(new.phone)
    _once(seen, ("phone", digits), row.line, f"phone {new.phone}", "phone")
    _once(seen, ("pos", str(pos_id)), row.line, f"POS User ID {pos_id}", "pos_user_id")
    if username:
        where = "backoffice_username"
        _once(seen, ("username", username.casefold()), row.line, f"username {username}", where)
    site_text = "all sites" if sites == "all" else ", ".join(sorted(codes))
    changes = (
        Change("sites", "", site_text),
        Change("permission", "", permission),
        Change("wage_rate", "", f"{new.wage}/h"),
    )
    notes: tuple[str, ...] = ("+ a Back Office login",) if backoffice else ()
    notes += ("the e-mail is checked again at apply: inactive employees' are unlisted",)
    return RowPlan(
        row,
        "hire",
        "create",
        key,
        person=person,
        changes=changes,
        notes=notes,
        hire=request,
        backoffice=backoffice,
    )


def _plan_update(resolver: Resolver, row: InputRow, key: str) -> RowPlan:
    employee = resolver.find(row)
    get = row.get
    # Each column given, as the roster shows it now and as the row wants it (text);
    # the registry's diff says which differ.
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    request = UpdateRequest()
    by_pos = bool(get("pos_user_id"))  # else the names and phone are the key, not changes
    try:
        if by_pos:
            for name, old in (
                ("first_name", employee.first_name),
                ("last_name", employee.last_name),
                ("phone", employee.phone),
            ):
                if get(name):
                    after[name] = str(fields.field(name).from_text(get(name)))
                    before[name] = old
        if get("email"):
            after["email"] = str(fields.field("email").from_text(get("email")))
            before["email"] = "?"  # the roster shows no e-mails: compared at apply
    except ValidationError as exc:
        raise row_error(exc) from None
    sites: list[str] | Literal["all"] | None = None
    if get("available_sites"):
        sites, codes = resolver.site_codes(get("available_sites"), "available_sites")
        before["available_sites"] = ", ".join(employee.site_codes)
        after["available_sites"] = "all" if sites == "all" else ", ".join(sorted(codes))
    departments: list[str] | None = None
    if get("departments"):
        departments = resolver.department_names(get("departments"))
        before["departments"] = ", ".join(employee.departments)
        after["departments"] = ", ".join(departments)
    if get("permission"):
        before["permission"] = employee.access
        after["permission"] = resolver.template(get("permission"), "pos", "permission")

    changes = fields.diff(before, after, key=resolver.same)
    changed = {change.field for change in changes}
    if "phone" in changed:
        holder = resolver.phones.get(validation.phone_digits(after["phone"]))
        if holder is not None and holder.employee_id != employee.employee_id:
            raise RowError(
                f"phone {after['phone']} is taken by {resolver.describe(holder)}", "phone"
            )
    for name in ("first_name", "last_name", "phone", "email"):
        if name in changed:
            request[name] = after[name]  # type: ignore[literal-required]
    if "available_sites" in changed:
        request["available_sites"] = sites
    if "departments" in changed:
        request["departments"] = departments
    template = after["permission"] if "permission" in changed else None
    person = describe_employee(employee)
    if not changes:
        return RowPlan(
            row, "update", "skip", key, person=person, employee=employee, reason="nothing differs"
        )
    notes = (
        ("the e-mail is compared at apply (the roster shows none)",) if "email" in changed else ()
    )
    return RowPlan(
        row,
        "update",
        "change",
        key,
        person=person,
        employee=employee,
        changes=changes,
        notes=notes,
        update=UpdateIntent(request, template),
    )


def _plan_wage(resolver: Resolver, row: InputRow, key: str) -> RowPlan:
    employee = resolver.find(row)
    if not row.get("wage_rate"):
        raise RowError("required for a wage", "wage_rate")
    try:
        rate = validation.money(row.get("wage_rate"), field="wage_rate")
        overtime = (
            validation.overtime(rate, row.get("overtime_wage_rate"))
            if row.get("overtime_wage_rate")
            else None
        )
        fields.refuse_unusual_pay(rate, overtime, allowed=resolver.allow_unusual_pay)
    except ValidationError as exc:
        raise row_error(exc) from None
    effective = (
        parse_date(row.get("effective_date"), "effective_date")
        if row.get("effective_date")
        else None
    )
    when = effective.isoformat() if effective else "today"
    return RowPlan(
        row,
        "wage",
        "change",
        key,
        person=describe_employee(employee),
        employee=employee,
        changes=(Change("wage_rate", "?", f"{rate} from {when}"),),
        # The roster has no wages: the history is read at apply (one request the
        # write needs anyway), where a date on or before the latest is refused.
        notes=("the wage history is checked at apply: a date on or before the latest is refused",),
        wage=WageIntent(rate, effective, overtime),
    )


def _plan_status(resolver: Resolver, row: InputRow, key: str, action: Action) -> RowPlan:
    employee = resolver.find(row)
    offboard = action == "offboard"
    backoffice = parse_yes(row.get("backoffice"), "backoffice", offboard)
    person = describe_employee(employee)
    changes: list[Change] = []
    if employee.active == offboard:
        changes.append(
            Change(
                "POS login",
                "active" if offboard else "inactive",
                "disabled" if offboard else "enabled",
            )
        )
    if backoffice:
        for user in resolver.linked_users(employee):
            if user.active == offboard:
                changes.append(
                    Change(
                        f"Back Office login {user.username}",
                        "active" if offboard else "inactive",
                        "disabled" if offboard else "enabled",
                    )
                )
    if not changes:
        state = "inactive" if offboard else "active"
        return RowPlan(
            row,
            action,
            "skip",
            key,
            person=person,
            employee=employee,
            reason=f"already {state}",
            backoffice=backoffice,
        )
    return RowPlan(
        row,
        action,
        "disable" if offboard else "enable",
        key,
        person=person,
        employee=employee,
        changes=tuple(changes),
        backoffice=backoffice,
    )
