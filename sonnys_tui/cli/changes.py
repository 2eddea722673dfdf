"""One employee from the shell: ``show`` prints the whole record, ``set`` changes it.

``set`` never writes what was not reviewed: it reads the record once, plans each change
on it (an update, a wage, a POS template: no request more), prints every plan old ->
new, asks, and applies the plans through the tenant (audited; each re-reads the page it
posts back, so a record moved since the plan is refused with nothing written: exit 5),
then says what the read-back verified.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import textwrap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO, cast

from sonnys_tui.backoffice import fields
from sonnys_tui.cli.common import (
    EXIT_STATUS_HELP,
    AddCommand,
    CliError,
    Command,
    ExitStatus,
    confirm,
    confirm_options,
    one_employee,
    open_tenant,
    print_json,
    print_table,
)

if TYPE_CHECKING:
    from sonnys_tui.backoffice.errors import ConflictError
    from sonnys_tui.backoffice.models import (
        BackofficeUserRow,
        EmployeeChangePlan,
        EmployeeRecord,
        EmployeeRow,
        EmployeeUpdated,
        FieldValue,
        PosPermissionsSet,
        Site,
        WageAdded,
    )
    from sonnys_tui.tenant import Tenant

# `set`'s options and every label come from the field registry (backoffice/fields.py).
PIN_SHOWN = "*****"  # the PIN is never printed, only whether there is one
FIELD_WIDTH = 18  # `show`'s label column; the value takes the rest of 79
DIFF_WIDTHS = (17, 29, 29)  # a plan's Field / Old / New: 79 columns


def register(add: AddCommand) -> dict[str, Command]:
    """Add ``show`` and ``set`` to the parser; return their handlers by name."""
    query_help = 'a POS User ID, a name or a phone, as `find` takes it (e.g. 4101, "jordan pi")'
    show = add(
        "show",
        help="print one employee's whole record (wages, permissions, logins)",
        description="Print one employee's record: every field of the edit form (the PIN\n"
        "masked), sites by name and code, departments, the wage history newest first\n"
        "(the current wage marked), the POS permissions (the template they match, or\n"
        "custom) and the linked Back Office logins. The query must match exactly one\n"
        "employee (a POS User ID always does).\n\n" + EXIT_STATUS_HELP,
    )
    show.add_argument("query", help=query_help)

    change = add(
        "set",
        help="change one employee: prints the plan old -> new, asks, applies, verifies",
        description="Change one employee. Each change (the record's fields, a new wage, a\n"
        "POS template) is planned on the record as read now and printed old -> new;\n"
        "nothing is written until you answer y (--yes for scripts; without a terminal\n"
        "and without --yes nothing is written). Each change is then applied (refused\n"
        "when the record moved since the plan: exit 5, nothing written), read back\n"
        "and audited. A wage must take effect after the latest one (the Back Office\n"
        "ignores an earlier one silently): an earlier --effective is refused. --json\n"
        "(with --yes or --dry-run) prints the plans and what was written at the end.\n\n"
        "examples:\n"
        '  sonnys-tui set 4101 --phone "(555) 010-0142" --sites PINE,LAKE\n'
        "  sonnys-tui set 4101 --wage 16.00 --effective 2026-12-15 --dry-run\n"
        '  sonnys-tui set "jordan pi" --template "Shift Leader" --yes\n\n' + EXIT_STATUS_HELP,
    )
    change.add_argument("query", help=query_help)
    record = change.add_argument_group("the record (only what is given changes)")
    for field in fields.options():
        record.add_argument(
            field.option or "", dest=field.name, metavar=field.metavar, help=_help(field)
        )
    wage = change.add_argument_group("a new wage")
    for name in ("wage_rate", "effective_date", "overtime_wage_rate"):
        field = fields.field(name)
        wage.add_argument(field.option or "", metavar=field.metavar, help=_help(field))
    wage.add_argument(
        fields.ALLOW_UNUSUAL_PAY,
        action="store_true",
        help=f"write a wage below {fields.WAGE_LOW} or above {fields.WAGE_HIGH}, or overtime "
        "above twice the wage (else refused as a likely typing slip)",
    )
    pos = change.add_argument_group("POS permissions")
    template = fields.field("permission")
    pos.add_argument(template.option or "", metavar=template.metavar, help=_help(template))
    confirm_options(change, exclusive=True)
    return {"show": cmd_show, "set": cmd_set}


# --------------------------------------------------------------------------- arguments


def _help(field: fields.Field) -> str:
    """An option's help: the field's label (as the app and the review say it), then
    what it holds."""
    text = f"{field.label}: {field.help}" if field.help else field.label
    return f'{text} ("" clears it)' if field.clearable else text


def option_of(name: str) -> str | None:
    """The option that gave the value a client error names (by field or alias)."""
    field = fields.find(name)
    return None if field is None else field.option


@dataclass(frozen=True)
class Wanted:
    """What ``set`` was asked to change, checked before any request."""

    update: dict[str, Any]
    wage: dict[str, Any] | None
    template: str | None

    @property
    def is_empty(self) -> bool:
        return not self.update and self.wage is None and self.template is None


def _wanted(args: argparse.Namespace) -> Wanted:
    """The options given, each value checked by the registry's rule, so that a bad one
    is refused naming its option before any request."""
    from sonnys_tui.backoffice import validation

    update: dict[str, Any] = {}
    wage: dict[str, Any] | None = None
    with _naming_options():
        for field in fields.options():
            text = getattr(args, field.name, None)
            if text is not None:
                update[field.name] = field.from_text(text)
        effective = args.effective
        if effective is not None:
            effective = fields.field("effective_date").from_text(effective)
        if args.wage is not None:
            rate = validation.money(args.wage, field="rate")
            wage = {"rate": rate, "effective_date": effective}
            overtime = None
            if args.overtime_rate is not None:
                overtime = validation.overtime(rate, args.overtime_rate)
                wage["overtime_rate"] = overtime
            fields.refuse_unusual_pay(rate, overtime, allowed=args.allow_unusual_pay)
        elif effective is not None or args.overtime_rate is not None:
            raise CliError("--effective and --overtime-rate go with --wage RATE", ExitStatus.USAGE)
        template = args.template
        if template is not None:
            template = validation.printable(template, field="template").strip()
            if not template:
                raise CliError("--template must name a POS template", ExitStatus.USAGE)
    wanted = Wanted(update, wage, template)
    if wanted.is_empty:
        names = [f.option or "" for f in fields.options()]
        options = ", ".join([*names, "--wage", "--template"])
        raise CliError(f"nothing to change: give at least one of {options}", ExitStatus.USAGE)
    return wanted


@contextlib.contextmanager
def _naming_options(*, effective_given: bool = True) -> Iterator[None]:
    """Re-raise a value the client refuses as a usage error naming the option
    (``--phone: …``), not the client's field; a value already taken is one too.
    A wage's date refused when --effective was not given is --wage's: it took today."""
    from sonnys_tui.backoffice.errors import DuplicateError, ValidationError

    try:
        yield
    except (ValidationError, DuplicateError) as exc:
        field = exc.field or ""
        option = option_of(field)
        message = str(exc)
        if field == "effective_date":  # "--effective: 2026-12-15 is on or before …"
            message = message.removeprefix(f"{field} ")
        if field == "effective_date" and not effective_given:
            option = "--wage"
            message = f"without --effective the wage takes effect today, {message}"
        raise CliError(f"{option}: {message}" if option else message, ExitStatus.USAGE) from None


# --------------------------------------------------------------------------- show


def cmd_show(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with open_tenant(args) as tenant:
        row = one_employee(args, tenant, err, out)
        record = tenant.read_employee(row.employee_id)
        sites = tenant.read_sites()  # names with their codes (cached)
        logins = _logins(tenant, row.employee_id, err)
    if args.json:
        print_json(out, _record_json(record, sites, logins))
        return ExitStatus.OK
    _print_record(out, record, sites, logins)
    if record.active and not record.site_ids:
        print(HIDDEN_NOTE, file=err)
    return ExitStatus.OK


HIDDEN_NOTE = (
    "Note: no available site, so the Back Office employee list never shows this employee,"
    "\nyet their POS login works: give them a site (set QUERY --sites …) or offboard them."
)


def _logins(tenant: Tenant, employee_id: int, err: TextIO) -> list[BackofficeUserRow] | None:
    """The Back Office logins linked to the employee (a few requests: the user list's
    search, each candidate's edit page), None when they cannot be read: the record
    itself was read, so it is shown all the same."""
    from sonnys_tui.backoffice.errors import BackofficeError

    try:
        return tenant.linked_backoffice_users(employee_id)
    except BackofficeError as exc:
        print(f"sonnys-tui: the Back Office logins could not be read: {exc}", file=err)
        return None


def _site_lines(record: EmployeeRecord, sites: Sequence[Site]) -> list[str]:
    if sites and record.site_ids >= {s.id for s in sites}:
        return [f"all {len(sites)} sites"]
    known = {s.id: s for s in sites}
    lines = [f"{s.name} ({s.code})" if s.code else s.name for s in sites if s.id in record.site_ids]
    lines += [f"site {i}" for i in sorted(record.site_ids - known.keys())]
    return lines or ["(none)"]


def _print_record(
    out: TextIO,
    record: EmployeeRecord,
    sites: Sequence[Site],
    logins: Sequence[BackofficeUserRow] | None,
) -> None:
    values: dict[str, str | list[str]] = {
        "first_name": record.first_name,
        "last_name": record.last_name,
        "pos_user_id": "" if record.pos_user_id is None else str(record.pos_user_id),
        "pos_pin": PIN_SHOWN if record.pos_pin else "",
        "phone": record.phone,
        "email": record.email,
        "start_date": record.start_date.isoformat() if record.start_date else "",
        "available_sites": _site_lines(record, sites),
        "departments": list(record.departments),
        "adp_employee_id": record.adp_employee_id,
        "emergency_contact_name": record.emergency_contact_name,
        "emergency_contact_phone": record.emergency_contact_phone,
    }
    rows: list[tuple[str, str | list[str]]] = [
        (fields.label(name), value or "(none)") for name, value in values.items()
    ]
    rows += [
        ("Status", "active" if record.active else "inactive"),
        ("Employee ID", str(record.employee_id)),
    ]
    access = record.pos_access
    if access is not None:
        if access.template is not None:
            permissions = f"{access.template} (the template, exactly)"
        elif not access.granted:
            permissions = "none (no POS permission granted)"
        else:
            permissions = (
                f"custom: no template matches ({len(access.granted)} granted, "
                f"{len(access.overrides)} need approval)"
            )
        rows.append(("POS permissions", permissions))
    rows.append(
        (
            "Back Office logins",
            "(could not be read)"
            if logins is None
            else [
                f"{u.username} ({u.email or 'no e-mail'}), {'active' if u.active else 'inactive'}"
                for u in logins
            ]
            or "(none)",
        )
    )
    print(_title(record), file=out)
    _print_wrapped(out, rows, (FIELD_WIDTH, 79 - FIELD_WIDTH - 2))
    print(file=out)
    wages = record.wages or ()
    if not wages:
        print("Wage history: none", file=out)
        return
    print("Wage history (newest first)", file=out)
    print_table(
        out,
        ("Effective", "Until", "Type", "Rate", "Overtime", ""),
        [
            (
                w.effective_date.isoformat(),
                w.end_date.isoformat() if w.end_date else "-",
                w.wage_type,
                str(w.rate),
                str(w.overtime_rate) if w.overtime_eligible and w.overtime_rate else "no",
                "current" if w.current else "",
            )
            for w in wages
        ],
        (10, 10, 6, 9, 9, 7),
    )


def _title(record: EmployeeRecord) -> str:
    pos = f"POS User ID {record.pos_user_id}" if record.pos_user_id is not None else "no POS ID"
    return f"{record.full_name} ({pos}, {'active' if record.active else 'inactive'})"


def _record_json(
    record: EmployeeRecord, sites: Sequence[Site], logins: Sequence[BackofficeUserRow] | None
) -> dict[str, Any]:
    """The record as `show --json` prints it: exact values, the PIN only masked."""
    codes = {s.id: s.code for s in sites}
    names = {s.id: s.name for s in sites}
    access = record.pos_access
    return {
        "employee_id": record.employee_id,
        "pos_user_id": record.pos_user_id,
        "first_name": record.first_name,
        "last_name": record.last_name,
        "phone": record.phone,
        "email": record.email,
        "pos_pin": PIN_SHOWN if record.pos_pin else "",
        "start_date": record.start_date.isoformat() if record.start_date else None,
        "active": record.active,
        "all_sites": bool(sites) and record.site_ids >= set(codes),
        "sites": [
            {"id": i, "name": names.get(i), "code": codes.get(i)}
            for i in sorted(record.site_ids, key=_order(sites))
        ],
        "departments": [
            {"id": i, "name": name}
            for i, name in zip(record.department_ids, record.departments, strict=False)
        ],
        "adp_employee_id": record.adp_employee_id,
        "emergency_contact_name": record.emergency_contact_name,
        "emergency_contact_phone": record.emergency_contact_phone,
        "wages": [
            {
                "effective_date": w.effective_date.isoformat(),
                "end_date": w.end_date.isoformat() if w.end_date else None,
                "type": w.wage_type,
                "rate": str(w.rate),
                "overtime_eligible": w.overtime_eligible,
                "overtime_rate": None if w.overtime_rate is None else str(w.overtime_rate),
                "current": w.current,
            }
            for w in record.wages or ()
        ],
        "pos_permissions": None
        if access is None
        else {
            "template": access.template,
            "access": access.template or ("custom" if access.granted else "none"),
            "granted": sorted(access.granted),
            "need_approval": sorted(access.overrides),
        },
        "backoffice_logins": None  # could not be read
        if logins is None
        else [
            {"user_id": u.user_id, "username": u.username, "email": u.email, "active": u.active}
            for u in logins
        ],
    }


def _order(sites: Sequence[Site]) -> Any:
    """Sort key: site ids in the tenant's site order, unknown ids after."""
    position = {s.id: n for n, s in enumerate(sites)}
    return lambda i: (position.get(i, len(position)), i)


# --------------------------------------------------------------------------- set


def cmd_set(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.json and not (args.yes or args.dry_run):
        raise CliError(
            "--json needs --yes or --dry-run: no question is asked, and the plans and what"
            " was written are printed once, at the end",
            ExitStatus.USAGE,
        )
    wanted = _wanted(args)
    with open_tenant(args) as tenant:
        if not args.dry_run:  # read-only: refused before any request (exit 6)
            tenant.ensure_writable(
                "`set`", instead="`set --dry-run` prints the plan without writing."
            )
        row = one_employee(args, tenant, err, out)
        plans = _plans(tenant, row, wanted)
        site_count = len(tenant.sites or tenant.read_sites())
        # --json: the one document at the end says everything the text would.
        text = io.StringIO() if args.json else out
        verified: dict[int, list[str]] = {}
        try:
            return _review_and_apply(args, tenant, row, plans, site_count, text, err, verified)
        finally:
            if args.json:
                print_json(out, _plans_json(row, plans, verified))


def _review_and_apply(
    args: argparse.Namespace,
    tenant: Tenant,
    row: EmployeeRow,
    plans: Sequence[EmployeeChangePlan[Any]],
    site_count: int,
    out: TextIO,
    err: TextIO,
    verified: dict[int, list[str]],
) -> int:
    """Print the plans, ask, apply each in turn (``verified`` gets, by plan index, what
    the read-back showed); stop at the first conflict or failure."""
    from sonnys_tui.backoffice.errors import BackofficeError, ConflictError

    title = f"{row.full_name} (POS User ID {row.pos_user_id})"
    for plan in plans:
        _print_plan(out, plan, site_count)
    todo = [n for n, plan in enumerate(plans) if not plan.is_empty]
    if not todo:
        print(f"{title}: nothing to change", file=out)
        return ExitStatus.OK
    if args.dry_run:
        print("--dry-run: nothing was written", file=out)
        return ExitStatus.OK
    count = f"{len(todo)} change{'s' if len(todo) > 1 else ''}"
    if not confirm(f"Apply {count} to {title}?", err, assume_yes=args.yes):
        print("not confirmed: nothing was written", file=err)
        return ExitStatus.NO
    done: list[str] = []
    for n in todo:
        try:
            result = tenant.write_change(plans[n])
        except ConflictError as exc:
            _say_conflict(err, exc, done)
            return ExitStatus.CONFLICT
        except BackofficeError:
            if done:
                print(f"applied and verified before the failure: {', '.join(done)}", file=err)
            raise
        done.append(plans[n].operation)
        verified[n] = _verified(result, site_count)
        _print_wrapped(out, [(line,) for line in verified[n]], (79,))
    return ExitStatus.OK


def _plans_json(
    row: EmployeeRow, plans: Sequence[EmployeeChangePlan[Any]], verified: dict[int, list[str]]
) -> dict[str, Any]:
    """`set --json`: each plan, whether it was written, and what its read-back showed."""
    return {
        "employee_id": row.employee_id,
        "pos_user_id": row.pos_user_id,
        "plans": [
            {
                "operation": plan.operation,
                "changes": [
                    {"field": c.field, "old": _json_value(c.old), "new": _json_value(c.new)}
                    for c in plan.changes
                ],
                "requests": [
                    {"method": r.method, "path": r.path, "purpose": r.purpose}
                    for r in plan.requests
                ],
                "warnings": list(plan.warnings),
                "written": n in verified,
                "verified": verified.get(n, []),
            }
            for n, plan in enumerate(plans)
        ],
    }


def _json_value(value: FieldValue) -> Any:
    """A plan's value, exact, as JSON holds it (a PIN only masked)."""
    from sonnys_tui.backoffice.models import Secret

    if isinstance(value, Secret):
        return PIN_SHOWN if value else ""
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _plans(tenant: Tenant, row: EmployeeRow, wanted: Wanted) -> list[EmployeeChangePlan[Any]]:
    """Every plan asked for, made on one read of the record (no request each)."""
    record = tenant.read_employee(
        row.employee_id,
        wages=wanted.wage is not None,
        pos_access=wanted.template is not None,
    )
    plans: list[EmployeeChangePlan[Any]] = []
    effective = wanted.wage is None or wanted.wage.get("effective_date") is not None
    with _naming_options(effective_given=effective):
        if wanted.update:
            plans.append(tenant.plan_update_employee(current=record, **wanted.update))
        if wanted.wage is not None:
            plans.append(tenant.plan_add_wage(current=record, **wanted.wage))
        if wanted.template is not None:
            plans.append(tenant.plan_set_pos_permissions(current=record, template=wanted.template))
    return plans


def _shown(value: FieldValue, site_count: int = 0) -> str | list[str]:
    """A plan's value as the review prints it (a PIN never)."""
    from sonnys_tui.backoffice.models import Secret

    if isinstance(value, Secret):
        return PIN_SHOWN if value else "(none)"
    if isinstance(value, tuple):
        if site_count and len(value) == site_count:
            return f"all {site_count} sites"
        return list(value) or "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | int):
        return str(value)
    return value or "(none)"


def _print_plan(out: TextIO, plan: EmployeeChangePlan[Any], site_count: int) -> None:
    what = {"update": "Update", "add wage": "New wage", "set POS template": "POS permissions"}
    head = f"{what[plan.operation]} of {plan.employee_name} (employee {plan.employee_id})"
    if plan.is_empty:
        print(f"{head}: nothing to change", file=out)
        return
    print(f"{head}:", file=out)
    table = [
        (
            fields.label(c.field),
            _shown(c.old, site_count if c.field == "available_sites" else 0),
            _shown(c.new, site_count if c.field == "available_sites" else 0),
        )
        for c in plan.changes
    ]
    _print_wrapped(out, [("Field", "Old", "New"), *table], DIFF_WIDTHS)
    for change in plan.changes:
        if change.added or change.removed:
            counts = f"{len(change.added)} added, {len(change.removed)} removed"
            print(f"  {fields.label(change.field)}: {counts}", file=out)
    for warning in plan.warnings:
        _print_wrapped(out, [("", f"warning: {warning}")], (0, 77))
    print(f"  sends {len(plan.requests)} requests:", file=out)
    _print_wrapped(out, [("", str(request)) for request in plan.requests], (2, 75))


def _verified(
    result: EmployeeUpdated | WageAdded | PosPermissionsSet, site_count: int
) -> list[str]:
    """What the read-back after a write showed (the client raises when it does not)."""
    from sonnys_tui.backoffice.models import PosPermissionsSet, WageAdded

    if isinstance(result, WageAdded):
        wage = result.wage
        overtime = f", overtime {wage.overtime_rate}" if wage.overtime_eligible else ""
        return [
            f"verified: wage {wage.rate}{overtime} from {wage.effective_date.isoformat()} "
            "is in the wage history"
        ]
    if isinstance(result, PosPermissionsSet):
        return [f"verified: the POS permissions are template {result.template!r}, exactly"]
    lines = []
    for change in result.changes:
        new = _shown(change.new, site_count if change.field == "available_sites" else 0)
        shown = ", ".join(new) if isinstance(new, list) else new
        lines.append(f"verified: {fields.label(change.field)}: {shown}")
    return lines


def _say_conflict(err: TextIO, exc: ConflictError, done: Sequence[str]) -> None:
    print(f"sonnys-tui: conflict: {exc}", file=err)
    for name, planned, found in exc.moved:
        was, now = _one_line(planned), _one_line(found)
        print(f"  {fields.label(name)}: planned on {was}, now {now}", file=err)
    if done:
        print(f"applied and verified before it: {', '.join(done)}", file=err)
    print("run the command again to plan on the record as it is now", file=err)


def _one_line(value: object) -> str:
    shown = _shown(cast("FieldValue", value))
    return ", ".join(shown) if isinstance(shown, list) else shown


# --------------------------------------------------------------------------- output


def _wrap(cell: str | list[str], width: int) -> list[str]:
    from sonnys_tui.display import terminal_safe

    pieces = [cell] if isinstance(cell, str) else cell
    lines: list[str] = []
    for piece in pieces:
        # Made terminal safe before it is measured, so that the columns stay in line.
        lines += textwrap.wrap(terminal_safe(piece), width, break_on_hyphens=False) or [""]
    return lines or [""]


def _print_wrapped(
    out: TextIO, rows: Sequence[Sequence[str | list[str]]], widths: Sequence[int]
) -> None:
    """A table whose cells wrap onto more lines instead of being cut (a list of sites
    is printed whole); a list cell puts each item on its own line."""
    for row in rows:
        cells = [_wrap(cell, width) for cell, width in zip(row, widths, strict=True)]
        for n in range(max(len(c) for c in cells)):
            parts = [
                (c[n] if n < len(c) else "").ljust(w) for c, w in zip(cells, widths, strict=True)
            ]
            print("  ".join(parts).rstrip(), file=out)
