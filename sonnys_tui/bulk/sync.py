"""Reconciling the tenant with an HR or payroll export: the file is everyone who works
there today, and the plan is what makes the tenant match it.

Each row is matched to an employee by one key (``pos_user_id``, ``email`` or
``adp_employee_id``: never by name) and planned as a hire (no match), a reinstate
(matched, inactive), an update (matched, a column differs: only the columns the file
has, an empty cell is "not given"), an offboard (``status`` says terminated) or
nothing to do. Every active employee within the scope whom no row names is
offboarded; the scope (sites, departments, or all) is who the export speaks for, and
employees outside it are never touched.

The plan is an ordinary :class:`~sonnys_tui.bulk.plan.BulkPlan` of the rows
:func:`~sonnys_tui.bulk.run.run_plan` already writes (an absent person gets a row of
their own, numbered after the file's last line), so apply, progress, stop, the
journal, the results and the credentials file work as for any bulk file. Guards
against a bad export refuse the plan as a whole (``refused``): more offboards than
``max_offboard``, or a file that names fewer than ``min_match`` % of the scope's
active employees that have a key (a truncated export).

The roster shows neither e-mails nor ADP ids: when the key or a column needs them,
:func:`load` reads the in-scope employees' records once through the tenant, which
keeps them in its cache (later loads read only employees new since).
"""

from __future__ import annotations

import hashlib
import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal, cast, get_args

from sonnys_tui.backoffice import validation
from sonnys_tui.backoffice.errors import ValidationError
from sonnys_tui.backoffice.models import UpdateRequest
from sonnys_tui.bulk.columns import Action
from sonnys_tui.bulk.plan import (
    PLAN_LISTS,
    BulkPlan,
    Change,
    RowPlan,
    UpdateIntent,
    _checked,
    _describe,
    _plan_hire,
    _Resolver,
    _RowError,
    _split,
    _with_journal,
    _yes,
)
from sonnys_tui.bulk.reader import InputRow

if TYPE_CHECKING:
    from sonnys_tui.backoffice.models import EmployeeRow
    from sonnys_tui.bulk.journal import JournalState
    from sonnys_tui.bulk.mapping import SyncFile
    from sonnys_tui.cache import RecordFacts
    from sonnys_tui.tenant import Tenant

SyncKey = Literal["pos_user_id", "email", "adp_employee_id"]
KEYS: tuple[SyncKey, ...] = get_args(SyncKey)
# What a status cell may say (casefolded); empty is active.
ACTIVE = frozenset(
    {"", "active", "a", "yes", "current", "employed", "hired", "leave", "on leave", "l"}
)
TERMINATED = frozenset(
    {
        "terminated",
        "term",
        "t",
        "inactive",
        "i",
        "no",
        "left",
        "separated",
        "resigned",
        "retired",
        "deceased",
        "offboard",
    }
)
# The columns a matched, active person's row may change (the others are for hires).
UPDATED = (
    "first_name",
    "last_name",
    "phone",
    "email",
    "adp_employee_id",
    "available_sites",
    "departments",
    "permission",
)
MIN_OFFBOARD_LIMIT = 5  # the default --max-offboard: this, or 10 % of the scope
DEFAULT_MIN_MATCH = 50  # % of the scope's active employees the file must match


class SyncError(ValueError):
    """The sync cannot be planned at all (a missing key column, an unknown scope)."""


@dataclass(frozen=True, slots=True)
class Scope:
    """Who the export speaks for: everyone (both None), or the employees whose every
    site is one of ``sites`` (short codes) and every department one of
    ``departments`` (casefolded). Someone who also works elsewhere is outside: a
    partial export never offboards them."""

    sites: frozenset[str] | None = None
    departments: frozenset[str] | None = None
    text: str = "all"

    def contains(self, employee: EmployeeRow) -> bool:
        if self.sites is not None and not (
            employee.site_codes and set(employee.site_codes) <= self.sites
        ):
            return False
        return self.departments is None or bool(
            employee.departments
            and {d.casefold() for d in employee.departments} <= self.departments
        )


def resolve_scope(tenant: Tenant, text: str) -> Scope:
    """``all``, or ``sites: HARB, Demo Wash Fiesta; departments: Cashier`` (site names
    or codes) as a :class:`Scope`; SyncError naming what the tenant does not have."""
    text = text.strip()
    if not text or text.casefold() == "all":
        return Scope()
    sites: set[str] | None = None
    departments: set[str] | None = None
    by_name = {s.name.casefold(): s.code for s in tenant.sites}
    by_code = {s.code.casefold(): s.code for s in tenant.sites if s.code}
    known_departments = {d.name.casefold() for d in tenant.departments}
    for part in text.split(";"):
        kind, sep, names = part.partition(":")
        kind = kind.strip().casefold().rstrip("s")
        if not sep or kind not in ("site", "department") or not _split(names):
            raise SyncError(f"scope {part.strip()!r}: say 'all', or 'sites: A, B; departments: C'")
        for name in _split(names):
            folded = name.casefold()
            if kind == "site":
                code = by_name.get(folded) or by_code.get(folded)
                if code is None:
                    raise SyncError(f"scope: unknown site {name!r}")
                sites = (sites or set()) | {code}
            else:
                if folded not in known_departments:
                    raise SyncError(f"scope: unknown department {name!r}")
                departments = (departments or set()) | {folded}
    return Scope(
        frozenset(sites) if sites is not None else None,
        frozenset(departments) if departments is not None else None,
        text,
    )


@dataclass(frozen=True, slots=True)
class SyncOptions:
    """``max_offboard`` None: the default (5, or 10 % of the scope's active employees,
    whichever is larger); ``min_match`` in %: 0 turns the truncated-file guard off."""

    key: SyncKey = "pos_user_id"
    scope: str = "all"
    max_offboard: int | None = None
    min_match: int = DEFAULT_MIN_MATCH


@dataclass(frozen=True, slots=True)
class SyncPlan(BulkPlan):
    """A sync's plan: its rows (the file's, then one per absent person), and what the
    guards counted. ``notes`` are about the plan as a whole."""

    key: SyncKey = "pos_user_id"
    scope: str = "all"
    ignored: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    in_scope: int = 0  # active employees in the scope
    matched: int = 0  # of those, how many a row of the file names
    offboards: int = 0
    max_offboard: int = 0


def needs_records(data: SyncFile, key: SyncKey) -> bool:
    """Whether the plan needs the records' e-mails or ADP ids (the roster has neither)."""
    columns = data.bulk.columns
    return key != "pos_user_id" or "email" in columns or "adp_employee_id" in columns


def load(
    tenant: Tenant,
    data: SyncFile,
    options: SyncOptions,
    *,
    progress: Callable[[int, int], None] | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Fetch what the plan needs: the lists (one roster read) and, when the key or a
    column needs them, the records of the in-scope employees not read before
    (``progress(done, total)`` as they land; ``stop`` set ends the read early, keeping
    what was read: do not plan then). Blocking, network: a worker's job."""
    tenant.refresh(PLAN_LISTS)
    records = {}
    if needs_records(data, options.key):
        scope = resolve_scope(tenant, options.scope)
        ids = [e.employee_id for e in tenant.employees() if scope.contains(e)]
        records = tenant.read_records(ids, progress=progress, stop=stop)
    if _may_hire(tenant, data, options.key, records):
        # The e-mails in use only when a row may be a hire: their page lists the
        # whole roster again (~15 MiB at 10,000 employees).
        tenant.refresh(["emails"])


def _may_hire(
    tenant: Tenant, data: SyncFile, key: SyncKey, records: dict[int, RecordFacts]
) -> bool:
    """Whether some row names no employee and is not terminated (a hire, or an error)."""
    known = {_employee_key(e, key, records) for e in tenant.employees()}
    for row in data.bulk.rows:
        value = _row_key(row, key)
        if isinstance(value, str) and value and value not in known:
            try:
                if not _terminated(row):
                    return True
            except _RowError:
                continue
    return False


def plan(
    tenant: Tenant,
    data: SyncFile,
    options: SyncOptions | None = None,
    *,
    journal: JournalState | None = None,
    allow_unusual_pay: bool = False,
) -> SyncPlan:
    """Plan the sync on the lists and records ``tenant`` holds (no request: call
    :func:`load` first). SyncError when the file has no key column or the scope is
    unknown; a row's problem is that row's error."""
    options = options or SyncOptions()
    key = options.key
    bulk = data.bulk
    if key not in bulk.columns:
        raise SyncError(
            f"the file has no {key} column, the key of this sync"
            f' (name its column with --map "Its Header={key}")'
        )
    scope = resolve_scope(tenant, options.scope)
    resolver = replace(_Resolver.of(tenant), allow_unusual_pay=allow_unusual_pay)
    employees = tenant.employees()
    records = tenant.records() if needs_records(data, key) else {}
    index: dict[str, list[EmployeeRow]] = defaultdict(list)
    for employee in employees:
        known = _employee_key(employee, key, records)
        if known:
            index[known].append(employee)

    values: list[str | _RowError] = [_row_key(row, key) for row in bulk.rows]
    lines: dict[str, list[int]] = defaultdict(list)
    for row, value in zip(bulk.rows, values, strict=True):
        if isinstance(value, str) and value:
            lines[value].append(row.line)
    present: set[int] = set()  # employees some row names (never offboarded as absent)
    for text in lines:
        present.update(e.employee_id for e in index.get(text, ()))
    if key != "pos_user_id":
        # Whoever a row's POS User ID names is not absent either, whatever the key says:
        # a row that disagrees with the Back Office is an error to look at, not a leaver.
        for row in bulk.rows:
            pos = _row_key(row, "pos_user_id")
            if isinstance(pos, str) and pos and int(pos) in resolver.by_pos:
                present.add(resolver.by_pos[int(pos)].employee_id)

    unfinished = frozenset(
        entry.key
        for entry in (journal or {}).values()
        if entry.key.startswith("hire:") and (not entry.finished or entry.outcome == "failed")
    )
    sync = _Sync(resolver, scope, key, records, journal, {}, unfinished)
    out = [sync.row(row, value, index, lines) for row, value in zip(bulk.rows, values, strict=True)]

    # Everyone active in the scope whom no row names: offboarded, unless they have no
    # key to be named by (they could not be in the file: left alone, and said).
    in_scope = [e for e in employees if e.active and scope.contains(e)]
    keyless = 0
    line = max((row.line for row in bulk.rows), default=1)
    absent = sorted(
        (e for e in in_scope if e.employee_id not in present),
        key=lambda e: (e.last_name.casefold(), e.first_name.casefold(), e.employee_id),
    )
    for employee in absent:
        if not _employee_key(employee, key, records):
            keyless += 1
            continue
        line += 1
        out.append(sync.absent(employee, line))

    # The file is measured against those it could name (an employee with no key cannot
    # be in it, whatever the export).
    named = [e for e in in_scope if _employee_key(e, key, records)]
    matched = sum(1 for e in named if e.employee_id in present)
    offboards = sum(1 for row in out if row.action == "offboard" and row.status == "disable")
    limit = (
        options.max_offboard
        if options.max_offboard is not None
        else max(MIN_OFFBOARD_LIMIT, len(in_scope) // 10)
    )
    refused: list[str] = []
    if offboards > limit:
        how = "--max-offboard" if options.max_offboard is not None else "5 or 10 % of the scope"
        refused.append(
            f"it would offboard {offboards} people, more than {limit} ({how}): check the"
            f" export is whole, or raise the limit with --max-offboard {offboards}"
        )
    if named and matched * 100 < options.min_match * len(named):
        refused.append(
            f"the file names {matched} of the {len(named)} active employees in the scope"
            f" with a {key}, fewer than {options.min_match} %: a truncated or wrong export?"
            f" Check it, or lower the limit with --min-match {matched * 100 // len(named)}"
        )
    notes: list[str] = []
    if keyless:
        notes.append(
            f"{keyless} active employee(s) in the scope have no {key} in the Back Office:"
            " no row can name them, so they are left alone"
        )
    if data.ignored:
        notes.append("columns ignored: " + ", ".join(data.ignored))
    return SyncPlan(
        tuple(out),
        bulk.columns,
        refused=tuple(refused),
        key=key,
        scope=scope.text,
        ignored=data.ignored,
        notes=tuple(notes),
        in_scope=len(in_scope),
        matched=matched,
        offboards=offboards,
        max_offboard=limit,
    )


# --------------------------------------------------------------------------- keys


def _row_key(row: InputRow, key: SyncKey) -> str | _RowError:
    """The row's key value as the index holds it ("" when the cell is empty)."""
    text = row.get(key)
    if not text:
        return ""
    if key == "pos_user_id":
        try:
            return str(validation.pos_user_id(int(text)))
        except (ValueError, ValidationError):
            return _RowError(f"must be a POS User ID (a whole number), not {text!r}", key)
    return text.strip().casefold()


def _employee_key(employee: EmployeeRow, key: SyncKey, records: dict[int, RecordFacts]) -> str:
    if key == "pos_user_id":
        return "" if employee.pos_user_id is None else str(employee.pos_user_id)
    facts = records.get(employee.employee_id)
    if facts is None:
        return ""
    value = facts.email if key == "email" else facts.adp_employee_id
    return value.strip().casefold()


def _digest(row: InputRow) -> str:
    text = "\x1f".join(f"{c}={v}" for c, v in sorted(row.values.items()) if v)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


# --------------------------------------------------------------------------- rows


@dataclass
class _Sync:
    resolver: _Resolver
    scope: Scope
    key: SyncKey
    records: dict[int, RecordFacts]
    journal: JournalState | None
    seen: dict[tuple[str, str], int]  # what hires take (e-mails, phones): first line
    unfinished_hires: frozenset[str] = frozenset()  # journal keys of hires never done

    def row(
        self,
        row: InputRow,
        value: str | _RowError,
        index: dict[str, list[EmployeeRow]],
        lines: dict[str, list[int]],
    ) -> RowPlan:
        # The row's name in the journal: its key and (for what is written) a digest of
        # its values, so an edited row is a new row; a row with nothing to do needs none.
        key = f"sync:{self.key}={value if isinstance(value, str) else '?'}"
        try:
            if isinstance(value, _RowError):
                raise value
            if not value:
                raise _RowError(f"empty: every row needs its {self.key}, the key", self.key)
            if len(lines[value]) > 1:
                others = ", ".join(str(n) for n in lines[value] if n != row.line)
                raise _RowError(
                    f"{self.key} {row.get(self.key)} is on line {others} too: which is right?",
                    self.key,
                )
            matches = index.get(value, [])
            if len(matches) > 1:
                who = ", ".join(_describe(e) for e in matches)
                raise _RowError(
                    f"{self.key} {row.get(self.key)} matches {len(matches)} employees ({who}):"
                    " make it one person's in the Back Office",
                    self.key,
                )
            terminated = _terminated(row)
            if not matches:
                if terminated:
                    where = "here" if self.key == "pos_user_id" else "in the scope with it"
                    return self._skip(
                        row, key, None, f"terminated, and not an employee {where}", "offboard"
                    )
                planned = _plan_hire(self.resolver, row, f"hire:{key}:{_digest(row)}", self.seen)
                if row.get("adp_employee_id") and planned.hire is not None:
                    hire = planned.hire.copy()
                    hire["adp_employee_id"] = row.get("adp_employee_id")
                    planned = replace(planned, hire=hire)
                return _with_journal(planned, self.journal)
            employee = matches[0]
            interrupted = self._interrupted_hire(row, key)
            if interrupted is not None:
                return interrupted
            if not self.scope.contains(employee):
                action: Action = "offboard" if terminated else "update"
                return self._skip(row, key, employee, "outside the scope, left alone", action)
            if terminated:
                if not employee.active:
                    return self._skip(
                        row, key, employee, "terminated, and inactive here", "offboard"
                    )
                return self._offboard(row, f"offboard:{key}:{_digest(row)}", employee)
            if not employee.active:
                return self._reinstate(row, f"reinstate:{key}:{_digest(row)}", employee)
            return self._update(row, key, employee)
        except _RowError as exc:
            return RowPlan(row, None, "error", key, reason=exc.reason, column=exc.column)

    def _interrupted_hire(self, row: InputRow, key: str) -> RowPlan | None:
        """The row's hire when an earlier run started it and never recorded it done (it
        was killed, or lost the answer): planned as the bulk hire is, so apply checks it
        against the server, completes it and writes the PIN, never hiring twice."""
        if not self.unfinished_hires:
            return None
        hire_key = f"hire:{key}:{_digest(row)}"
        if hire_key not in self.unfinished_hires:
            return None
        planned = _with_journal(_plan_hire(self.resolver, row, hire_key, {}), self.journal)
        return planned if planned.status == "resume" else None

    def absent(self, employee: EmployeeRow, line: int) -> RowPlan:
        """The offboard of an active, in-scope employee no row names (a row of its own,
        numbered after the file's lines)."""
        values = {
            "pos_user_id": "" if employee.pos_user_id is None else str(employee.pos_user_id),
            "first_name": employee.first_name,
            "last_name": employee.last_name,
        }
        if self.key != "pos_user_id":
            facts = self.records.get(employee.employee_id)
            values[self.key] = (
                "" if facts is None else getattr(facts, self.key)  # email or adp_employee_id
            )
        row = InputRow(line, values)
        planned = self._offboard(row, f"offboard:absent:{employee.employee_id}", employee)
        return replace(planned, notes=("not in the file", *planned.notes))

    def _skip(
        self,
        row: InputRow,
        key: str,
        employee: EmployeeRow | None,
        why: str,
        action: Action = "update",
    ) -> RowPlan:
        """Nothing to do (``action``: what the row would have been, for the table)."""
        person = _describe(employee) if employee is not None else _named(row)
        return RowPlan(row, action, "skip", key, person=person, employee=employee, reason=why)

    def _offboard(self, row: InputRow, key: str, employee: EmployeeRow) -> RowPlan:
        backoffice = _yes(row.get("backoffice"), "backoffice", True)
        changes = [Change("POS login", "active", "disabled")]
        if backoffice:
            changes += [
                Change(f"Back Office login {user.username}", "active", "disabled")
                for user in self.resolver.linked_users(employee)
                if user.active
            ]
        planned = RowPlan(
            row,
            "offboard",
            "disable",
            key,
            person=_describe(employee),
            employee=employee,
            changes=tuple(changes),
            backoffice=backoffice,
        )
        return _with_journal(planned, self.journal)

    def _reinstate(self, row: InputRow, key: str, employee: EmployeeRow) -> RowPlan:
        backoffice = _yes(row.get("backoffice"), "backoffice", False)
        changes, intent = self._changes(row, employee)
        planned = RowPlan(
            row,
            "reinstate",
            "enable",
            key,
            person=_describe(employee),
            employee=employee,
            changes=(Change("POS login", "inactive", "enabled"), *changes),
            backoffice=backoffice,
            update=intent,
        )
        return _with_journal(planned, self.journal)

    def _update(self, row: InputRow, key: str, employee: EmployeeRow) -> RowPlan:
        changes, intent = self._changes(row, employee)
        if intent is None:
            return self._skip(row, key, employee, "nothing differs")
        planned = RowPlan(
            row,
            "update",
            "change",
            f"update:{key}:{_digest(row)}",
            person=_describe(employee),
            employee=employee,
            changes=changes,
            update=intent,
        )
        return _with_journal(planned, self.journal)

    def _changes(
        self, row: InputRow, employee: EmployeeRow
    ) -> tuple[tuple[Change, ...], UpdateIntent | None]:
        """What the row's columns change of the employee (an empty cell: not given)."""
        get = row.get
        resolver = self.resolver
        fields: dict[str, object] = {}
        changes: list[Change] = []
        facts = self.records.get(employee.employee_id)
        try:
            for column, old in (
                ("first_name", employee.first_name),
                ("last_name", employee.last_name),
            ):
                if get(column) and get(column) != old:  # as the roster has it: no change
                    first = column == "first_name"
                    limit = validation.FIRST_NAME_MAX if first else validation.LAST_NAME_MAX
                    new = validation.name(get(column), field=column, max_length=limit)
                    if new != old:
                        fields[column] = new
                        changes.append(Change(column, old, new))
            if (
                get("phone")
                and get("phone") != employee.phone
                and validation.phone_digits(get("phone")) != validation.phone_digits(employee.phone)
            ):
                phone = validation.phone(get("phone"))
                digits = validation.phone_digits(phone)
                if digits != validation.phone_digits(employee.phone):
                    holder = resolver.phones.get(digits)
                    if holder is not None and holder.employee_id != employee.employee_id:
                        raise _RowError(f"phone {phone} is taken by {_describe(holder)}", "phone")
                    fields["phone"] = phone
                    changes.append(Change("phone", employee.phone, phone))
            if get("email") and self.key != "email":
                email = validation.email(get("email"))
                old_email = facts.email if facts is not None else "?"
                if old_email.casefold() != email.casefold():
                    fields["email"] = email
                    changes.append(Change("email", old_email, email))
            if get("adp_employee_id") and self.key != "adp_employee_id":
                adp = validation.optional_text(
                    get("adp_employee_id"),
                    field="adp_employee_id",
                    max_length=validation.ADP_ID_MAX,
                )
                old_adp = facts.adp_employee_id if facts is not None else "?"
                if adp is not None and old_adp.casefold() != adp.casefold():
                    fields["adp_employee_id"] = adp
                    changes.append(Change("adp_employee_id", old_adp, adp))
        except ValidationError as exc:
            raise _checked(exc) from None
        if get("available_sites") and _listed(get("available_sites")) != employee.site_codes:
            sites, codes = resolver.site_codes(get("available_sites"), "available_sites")
            if codes != set(employee.site_codes):
                fields["available_sites"] = sites
                new_text = "all" if sites == "all" else ", ".join(sorted(codes))
                changes.append(Change("available_sites", ", ".join(employee.site_codes), new_text))
        if get("departments") and _listed(get("departments")) != employee.departments:
            departments = resolver.department_names(get("departments"))
            if {d.casefold() for d in departments} != {d.casefold() for d in employee.departments}:
                fields["departments"] = departments
                changes.append(
                    Change("departments", ", ".join(employee.departments), ", ".join(departments))
                )
        template = None
        if get("permission") and get("permission").casefold() != employee.access.casefold():
            name = resolver.template(get("permission"), "pos", "permission")
            if name.casefold() != employee.access.casefold():
                template = name
                changes.append(Change("permission", employee.access, name))
        if not changes:
            return (), None
        intent = UpdateIntent(cast(UpdateRequest, fields), template)
        return tuple(changes), intent


def _listed(text: str) -> tuple[str, ...]:
    """A list cell as written ("A, B"): equal to the roster's list, nothing to resolve."""
    return tuple(part.strip() for part in text.split(","))


def _terminated(row: InputRow) -> bool:
    if not row.get("status") and row.get("action"):  # an export of the roster, as a file
        return row.get("action").casefold() == "offboard"
    text = row.get("status").casefold()
    if text in ACTIVE:
        return False
    if text in TERMINATED:
        return True
    raise _RowError(f"say active or terminated, not {row.get('status')!r}", "status")


def _named(row: InputRow) -> str:
    return f"{row.get('first_name')} {row.get('last_name')}".strip()
