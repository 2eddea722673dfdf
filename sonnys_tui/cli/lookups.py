"""Lookups and housekeeping: find, check, sites, departments, templates, the local
simulator, config and cache."""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from sonnys_tui.cli.common import (
    EXIT_STATUS_HELP,
    AddCommand,
    CliError,
    Command,
    ExitStatus,
    from_cache,
    open_tenant,
    print_employees,
    print_json,
    print_table,
    whole_number,
)

if TYPE_CHECKING:
    from sonnys_tui.backoffice.models import EmployeeRow, Permission, Scope
    from sonnys_tui.tenant import ListName, Tenant

PHONE_DIGITS = 10  # `check phone`: a whole US number (a country code 1 aside)


def register(add: AddCommand) -> dict[str, Command]:
    """Add this module's commands to the parser; return their handlers by name."""
    find = add(
        "find",
        help="find employees by name, POS User ID or phone",
        description="Find employees. Digits match POS User IDs and phones; words match names\n"
        "(each word a prefix of the first or last name). Answers from the roster\n"
        "cache when there is one, else from the server's own search.",
    )
    find.add_argument("text", help='e.g. "jordan", "jordan pi", 4101, 555-0101')

    check = add(
        "check",
        help="is a POS User ID, e-mail or phone free? (exit 0 free, 1 taken, 4 can't tell)",
        description="Check whether a value is free on the tenant. POS User IDs are always\n"
        "checked on the server (one exact search); phones use the roster cache unless\n"
        "--refresh is given. A POS User ID or phone no list has is also looked for among\n"
        "the active employees the roster hides (no site; read on the server). E-mails\n"
        "are checked against the active employees' (hidden ones included) and the\n"
        "Back Office users' e-mails. The server also keeps inactive employees' e-mails,\n"
        "which it lists nowhere: an e-mail none of those has cannot be told free\n"
        '(exit 4), never "free".\n\n' + EXIT_STATUS_HELP,
    )
    check.add_argument("kind", choices=["pos-id", "email", "phone"])
    check.add_argument("value")

    add("sites", help="list the tenant's sites")
    add("departments", help="list the tenant's departments")
    templates = add("templates", help="list permission templates")
    templates.add_argument("--scope", choices=["pos", "backoffice"], default="pos")

    sim = add(
        "simulator",
        help="serve a local Back Office on loopback",
        description="Serve a simulated Back Office on 127.0.0.1 until Ctrl+C. Point a\n"
        "browser or `sonnys-tui` (a profile with base_url) at the printed URL.",
        connection=False,
    )
    sim.add_argument("--tenant", choices=["demo", "flat", "large"], default=None)
    sim.add_argument(
        "--from-capture",
        metavar="DIR",
        help="serve a tenant built from `sonnys-tui doctor --capture DIR` (synthetic people)",
    )
    sim.add_argument(
        "--employees",
        type=whole_number(0, 1_000_000),
        default=None,
        metavar="N",
        help="for --tenant large (default 10000)",
    )
    sim.add_argument(
        "--port", type=whole_number(0, 65_535), default=8080, help="0 picks a free port"
    )
    sim.add_argument(
        "--latency-ms",
        type=whole_number(0, 600_000),
        default=0,
        metavar="L",
        help="delay every request",
    )

    config = add("config", help="show where profiles live, list them", connection=False)
    config.add_argument("action", choices=["path", "list"])

    cache = add("cache", help="show or clear the roster cache", connection=False)
    cache.add_argument("action", choices=["path", "clear"])
    cache.add_argument(
        "--profile",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="only this profile: its cache file (path), or only it (clear)",
    )
    return {
        "find": cmd_find,
        "check": cmd_check,
        "sites": cmd_sites,
        "departments": cmd_departments,
        "templates": cmd_templates,
        "simulator": cmd_simulator,
        "config": cmd_config,
        "cache": cmd_cache,
    }


def cmd_find(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sonnys_tui.lookup import Query, no_match, search_indexed

    query = Query.parse(args.text)
    if query.is_empty:
        raise CliError("nothing to find: give a name, a POS User ID or a phone", ExitStatus.USAGE)
    searched_server = False
    with open_tenant(args) as tenant:
        if args.refresh:
            tenant.refresh()  # every list: the cache it saves is whole
            rows = search_indexed(tenant.entries(), query)
        elif from_cache(args, tenant, err):
            rows = search_indexed(tenant.entries(), query)
        else:
            searched_server = True
            if query.is_number:
                print("(no roster cache: searched POS User IDs on the server only)", file=err)
            rows = tenant.search_server(query)
    if not rows:
        print(no_match(query), file=err)
        if searched_server:
            print(
                "(the server's own search; --refresh downloads the roster and searches it,"
                " phones and names without their accents included)",
                file=err,
            )
    if args.json:
        print_json(out, rows)  # [] when nothing matches: the status says so too
        return ExitStatus.OK if rows else ExitStatus.NOT_FOUND
    if not rows:
        return ExitStatus.NOT_FOUND
    print_employees(out, rows)
    return ExitStatus.OK


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sonnys_tui.backoffice import validation
    from sonnys_tui.backoffice.models import AvailabilityState

    kind, value = args.kind, args.value
    if kind == "pos-id":
        if not (value.isascii() and value.isdigit()):
            raise CliError(
                f"POS User ID must be a whole number ≥ 1, not {value!r}", ExitStatus.USAGE
            )
        value = str(validation.pos_user_id(int(value)))
    elif kind == "email":
        value = validation.email(value).strip()
    else:
        value = validation.phone(value)
        if len(validation.phone_digits(value)) != PHONE_DIGITS:
            # A lookup of a partial number would answer "free" for a typo.
            raise CliError(
                f"phone {value!r} is not a whole US phone number: give its 10 digits"
                " (with or without the country code 1)",
                ExitStatus.USAGE,
            )
    state: AvailabilityState
    reason = ""
    holders: list[EmployeeRow] = []  # who has it, when taken
    hidden: list[EmployeeRow] = []  # the holders the roster hides (no site)
    with open_tenant(args) as tenant:
        if kind == "pos-id":
            # Always authoritative: one exact search, whatever the cache says; the list
            # hides active employees with no site, so a free answer asks about those too.
            holders = tenant.pos_user_id_rows(int(value))
            holders = [r for r in holders if str(r.pos_user_id) == value]
            found = None if holders else tenant.find_hidden(int(value))
            hidden = [found] if found is not None else []
        elif kind == "email":
            answer = tenant.email_availability(value, refresh=args.refresh)
            state, reason = answer.state, answer.reason
        else:
            digits = validation.phone_digits(value)
            if from_cache(args, tenant, err):
                rows = tenant.employees()
            else:
                rows = tenant.read_roster(refresh=args.refresh)
            holders = [r for r in rows if validation.phone_digits(r.phone) == digits]
            if not holders:  # the roster never has the employees it hides
                hidden = [
                    r for r in tenant.read_hidden() if validation.phone_digits(r.phone) == digits
                ]
        holders += hidden
        if kind != "email":
            state = "taken" if holders else "free"
    if args.json:
        available = {"free": True, "taken": False}.get(state)  # null: cannot tell
        print_json(
            out,
            {
                "kind": kind,
                "value": value,
                "state": state,
                "available": available,
                "reason": reason,
                "held_by": [
                    {
                        "employee_id": r.employee_id,
                        "name": r.full_name,
                        "pos_user_id": r.pos_user_id,
                        "active": r.active,
                        "hidden": r in hidden,
                    }
                    for r in holders
                ],
            },
        )
    else:
        words = {"free": "free", "taken": "taken", "unknown": "cannot tell"}[state]
        if holders:
            words += " by " + "; ".join(_holder(r, hidden=r in hidden) for r in holders)
        print(f"{kind} {value}: {words}" + (f" ({reason})" if reason else ""), file=out)
    return {"free": ExitStatus.OK, "taken": ExitStatus.TAKEN, "unknown": ExitStatus.UNKNOWN}[state]


def _holder(row: EmployeeRow, *, hidden: bool) -> str:
    """Who holds a taken value, as `check` says it: "Val Trialson (POS 4106, active,
    hidden from the roster: no site)"."""
    pos = f"POS {row.pos_user_id}, " if row.pos_user_id is not None else ""
    status = "active" if row.active else "inactive"
    return f"{row.full_name} ({pos}{status}{', hidden from the roster: no site' if hidden else ''})"


def _listing(
    args: argparse.Namespace,
    err: TextIO,
    lists: Sequence[ListName],
    read: Callable[[Tenant], Sequence[Any]],
) -> list[Any]:
    """A tenant list from the roster cache when it has it, else from the server."""
    with open_tenant(args) as tenant:
        if from_cache(args, tenant, err, has=read):
            return list(read(tenant))
        tenant.refresh(lists)
        return list(read(tenant))


def cmd_sites(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    sites = _listing(args, err, ["sites"], lambda tenant: tenant.sites)
    if args.json:
        print_json(out, sites)
        return ExitStatus.OK
    print_table(
        out,
        ("Code", "Site", "Region / District"),
        [
            (s.code, s.name, " / ".join(x for x in (s.region_name, s.district_name) if x) or "-")
            for s in sites
        ],
        (8, 32, 35),
    )
    return ExitStatus.OK


def cmd_departments(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    departments = _listing(args, err, ["departments"], lambda tenant: tenant.departments)
    if args.json:
        print_json(out, departments)
        return ExitStatus.OK
    print_table(out, ("ID", "Department"), [(str(d.id), d.name) for d in departments], (6, 60))
    return ExitStatus.OK


def cmd_templates(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    scope: Scope = args.scope
    which: ListName = "pos_templates" if scope == "pos" else "backoffice_templates"
    templates = _listing(args, err, [which], lambda tenant: tenant.templates(scope))
    if args.json:
        print_json(out, templates)
        return ExitStatus.OK

    def size(p: Permission) -> str:
        if args.scope == "pos":
            return f"{len(p.grant_ids)} granted, {len(p.override_ids)} need approval"
        return f"{len(p.tokens)} permissions"

    print_table(
        out,
        ("Template", "Description", "Grants"),
        [(p.name, p.description, size(p)) for p in templates],
        (22, 26, 30),
    )
    return ExitStatus.OK


def cmd_simulator(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sonnys_tui.simulator import Simulator

    if args.employees is not None and args.tenant != "large":
        raise CliError("--employees is for --tenant large", ExitStatus.USAGE)
    if args.from_capture is not None and args.tenant is not None:
        raise CliError("give --tenant or --from-capture, not both", ExitStatus.USAGE)
    if args.from_capture is not None:
        from sonnys_tui.simulator.capture import CaptureError

        try:
            sim = Simulator.from_capture(args.from_capture)
        except CaptureError as exc:
            raise CliError(str(exc), ExitStatus.USAGE) from None
        args.tenant = "captured"
    elif args.tenant == "large":
        sim = Simulator.large(10_000 if args.employees is None else args.employees)
    else:
        sim = Simulator.flat() if args.tenant == "flat" else Simulator.demo()
    sim.faults.latency_ms = args.latency_ms

    def ready(base_url: str) -> None:
        # Said only once the port is bound: the URL printed is one that answers (with
        # --port 0, the port picked).
        print(f"Simulated Back Office ({args.tenant or 'demo'} tenant) on {base_url}", file=out)
        print(f"  username: {sim.username}\n  password: {sim.password}  (synthetic)", file=out)
        print("Ctrl+C to stop.", file=out, flush=True)

    try:
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C is how it stops: status 0
            sim.serve_forever("127.0.0.1", args.port, ready=ready)
    except OSError as exc:
        why = os.strerror(exc.errno) if exc.errno else str(exc)
        raise CliError(f"cannot serve on 127.0.0.1:{args.port}: {why}", ExitStatus.FAILED) from None
    return ExitStatus.OK


def cmd_config(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sonnys_tui.config import config_path, load_profiles

    if args.action == "path":
        print(config_path(), file=out)
        return ExitStatus.OK
    profiles = load_profiles()
    if not profiles:
        print(f"no profiles yet ({config_path()})", file=err)
    for profile in profiles.values():
        where = profile.base_url or f"https://{profile.subdomain}.sonnyscontrols.com"
        print(f"{profile.name}: {profile.username} @ {where}", file=out)
    return ExitStatus.OK


def cmd_cache(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sonnys_tui import cache
    from sonnys_tui.config import load_profiles

    name: str | None = getattr(args, "profile", None)
    if name is not None and name not in load_profiles() and not cache.cache_path(name).exists():
        # A typo must not look like success: neither a profile nor a cache of that name.
        known = ", ".join(sorted(load_profiles())) or "none saved yet"
        raise CliError(
            f"no profile named {name!r} and no cache for it (profiles: {known})", ExitStatus.USAGE
        )
    if args.action == "path":
        print(cache.cache_dir() if name is None else cache.cache_path(name), file=out)
        return ExitStatus.OK
    removed = cache.clear(name)
    print(f"removed {len(removed)} cache file(s)", file=out)
    return ExitStatus.OK
