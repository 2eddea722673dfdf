"""Offboarding from the shell: ``offboard`` (every door of one employee closed, each
verified), ``reinstate`` (its mirror) and ``access-review`` (who still has Back Office
access who should not; exit 1 when it finds anyone, so that a nightly job can alert).

Both writes show what they will change, read fresh from the server, and ask before
writing (``--yes`` for scripts). A stop part way is reported door by door, and running
the command again finishes it: the client writes only what is still missing.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal, TextIO

from sonnys_tui.cli.common import (
    AddCommand,
    Command,
    ExitStatus,
    confirm,
    confirm_options,
    jsonable,
    one_employee,
    open_tenant,
    print_json,
    print_table,
    whole_number,
)

if TYPE_CHECKING:
    from sonnys_tui.backoffice.errors import IncompleteError
    from sonnys_tui.backoffice.models import (
        BackofficeUserRow,
        EmployeeRecord,
        EmployeeRow,
        Offboarded,
        Reinstated,
        StatusChange,
    )
    from sonnys_tui.backoffice.review import AccessFinding, AccessReview, Rule
    from sonnys_tui.tenant import Tenant


def register(add: AddCommand) -> dict[str, Command]:
    """Add this module's commands to the parser; return their handlers by name."""
    query_help = "the employee: a POS User ID, a name or a phone (exactly one must match)"
    offboard = add(
        "offboard",
        help="close every door of an employee: the POS login and its Back Office logins",
        description="Disable an employee's POS login and every Back Office login linked to\n"
        "them, each verified by reading it back. Shows what will be closed and asks\n"
        "first. If it stops part way it says what is closed and what is not; running\n"
        "it again finishes the job (it writes only what is still open).\n"
        "A number that is exactly one employee's POS User ID picks that employee.\n"
        "--json prints the employee and each door: kind, label, state (open or\n"
        "closed) and change (whether this run changes it, or changed it).",
    )
    reinstate = add(
        "reinstate",
        help="re-enable an employee (and, when asked, their Back Office logins)",
        description="The mirror of offboard: re-enable the employee's POS login, verified.\n"
        "Their Back Office logins stay inactive unless --with-backoffice is given\n"
        "(Back Office access is a choice of its own).",
    )
    logins_help = {
        OFFBOARD: "disable only the POS login; leave the Back Office logins as they are",
        REINSTATE: "re-enable every Back Office login linked to the employee too",
    }
    for parser, way in ((offboard, OFFBOARD), (reinstate, REINSTATE)):
        parser.add_argument("query", metavar="QUERY", help=query_help)
        parser.add_argument(way.flag, action="store_true", help=logins_help[way])
        confirm_options(parser)

    review = add(
        "access-review",
        help="who still has Back Office access who should not (exit 1 when anyone)",
        description="Review the Back Office users: active users whose linked employee is\n"
        "inactive, active users linked to no employee, users with the Administrator\n"
        "template, users with access to sites their employee is not available at.\n"
        "The first two answer from the lists alone; the user list shows no link, so\n"
        "a link not read on the user's edit page is inferred (e-mail, else name) and\n"
        "the template and sites are only on each user's permissions page: the two\n"
        "options read a bounded number of those pages. What was not checked is said.\n"
        "Exit status 1 when it finds a risk, 0 when it finds none.",
    )
    for option, pages in (
        ("--confirm-links", "edit pages of users whose link is only inferred"),
        ("--permission-pages", "permissions pages (the Administrator and site rules)"),
    ):
        review.add_argument(
            option, type=whole_number(0), default=0, metavar="N", help=f"read up to N {pages}"
        )
    return {"offboard": cmd_offboard, "reinstate": cmd_reinstate, "access-review": cmd_review}


def _who(record: EmployeeRecord | EmployeeRow) -> str:
    pos = f", POS User ID {record.pos_user_id}" if record.pos_user_id is not None else ""
    return f"{record.full_name} (employee {record.employee_id}{pos})"


# --------------------------------------------------------------------------- the doors

DoorState = Literal["open", "closed"]


@dataclass(frozen=True, slots=True)
class Door:
    """One way in of an employee: the POS login or one linked Back Office login."""

    kind: Literal["pos", "backoffice"]
    label: str  # "POS login" / "Back Office login JPilot (user 3000002)"
    state: DoorState  # as read
    change: bool  # this run changes it
    user_id: int | None = None
    username: str = ""


def _login_label(username: str, user_id: int) -> str:
    return f"Back Office login {username} (user {user_id})"


def _login_door(user: BackofficeUserRow, *, target: DoorState, touched: bool) -> Door:
    state: DoorState = "open" if user.active else "closed"
    return Door(
        "backoffice",
        _login_label(user.username, user.user_id),
        state,
        touched and state != target,
        user.user_id,
        user.username,
    )


@dataclass(frozen=True, slots=True)
class Direction:
    """What tells ``offboard`` from ``reinstate``: which way every door turns."""

    command: str  # the shell command, for the rerun hint
    target: DoorState  # what each door it touches becomes
    verb: str  # "close" / "open", as each door is said to change
    flag: str  # the option that decides the Back Office logins


OFFBOARD = Direction("offboard", "closed", "close", "--keep-backoffice")
REINSTATE = Direction("reinstate", "open", "open", "--with-backoffice")


def _plan(
    tenant: Tenant, row: EmployeeRow, way: Direction, *, logins: bool
) -> tuple[EmployeeRecord, list[Door]]:
    """The employee and every door as the server has them now (fresh reads, not the
    cache): what the command shows before asking."""
    record = tenant.read_employee(row.employee_id, wages=False, pos_access=False)
    pos_state: DoorState = "open" if record.active else "closed"
    doors = [Door("pos", "POS login", pos_state, pos_state != way.target)]
    for user in tenant.linked_backoffice_users(row.employee_id):
        doors.append(_login_door(user, target=way.target, touched=logins))
    return record, doors


def _print_plan(out: TextIO, way: Direction, record: EmployeeRecord, doors: Sequence[Door]) -> None:
    def then(door: Door) -> str:
        if door.change:
            return f"will {way.verb}"
        if door.state == way.target:
            return f"already {door.state}"
        return f"left {door.state} ({way.flag})"

    print(f"{way.command.capitalize()} {_who(record)}:", file=out)
    print_table(
        out,
        ("Door", "Now", "This run"),
        [(door.label, door.state, then(door)) for door in doors],
        (46, 7, 24),
    )
    if not any(door.kind == "backoffice" for door in doors):
        print("(no Back Office login is linked to them)", file=out)


def _doors_after(
    way: Direction, doors: Sequence[Door], result: Offboarded | Reinstated
) -> list[Door]:
    """Every door as the verified result says it is now (``change``: this run wrote it).
    ``doors`` is the plan: the POS login first, then the logins."""
    after = [replace(doors[0], state=way.target, change=not result.employee.already)]
    results = {user.user_id: user for user in result.backoffice_users}
    for door in doors[1:]:
        user = results.pop(door.user_id, None) if door.user_id is not None else None
        if user is None:  # left alone (the flag), or no longer linked
            after.append(replace(door, change=False))
        else:
            after.append(replace(door, state=way.target, change=not user.already))
    for user in results.values():  # a login linked since the plan was shown
        label = _login_label(user.username, user.user_id)
        after.append(
            Door("backoffice", label, way.target, not user.already, user.user_id, user.username)
        )
    return after


def _print_result(
    out: TextIO, way: Direction, record: EmployeeRecord, doors: Sequence[Door]
) -> None:
    done = f"{way.verb}d" if way.verb.endswith("e") else f"{way.verb}ed"
    for door in doors:
        if door.change:
            print(f"{done}: {door.label}, verified", file=out)
        elif door.state == way.target:
            print(f"already {door.state}: {door.label}", file=out)
        else:
            print(f"left {door.state}: {door.label} ({way.flag})", file=out)
    written = sum(door.change for door in doors)
    print(f"{_who(record)}: {written} door(s) {done}.", file=out)


def _jsonable(record: EmployeeRecord, doors: Sequence[Door], *, written: bool) -> dict[str, object]:
    return {
        "employee_id": record.employee_id,
        "pos_user_id": record.pos_user_id,
        "first_name": record.first_name,
        "last_name": record.last_name,
        "written": written,
        "doors": list(doors),
    }


def _report_incomplete(
    err: TextIO, way: Direction, args: argparse.Namespace, exc: IncompleteError
) -> None:
    """A stop after some door was changed: what is so now, then how to finish."""
    print(f"sonnys-tui: {exc.message}", file=err)
    for part in exc.done:
        print(f"  done, verified: {_part(part)}", file=err)
    if exc.state:
        # The client's own hint names its method; the shell's follows below.
        head, hint, _rest = exc.state.rpartition(": run ")
        summary = head if hint else exc.state
        print("  now: " + summary.replace("; ", "\n       "), file=err)
    import shlex

    again = [way.command, args.query]
    if getattr(args, "profile", None):
        again += ["--profile", args.profile]
    if args.keep_backoffice if way is OFFBOARD else args.with_backoffice:
        again.append(way.flag)
    print(
        f"Run `sonnys-tui {shlex.join(again)}` again to finish: it changes only what is"
        " still missing.",
        file=err,
    )


def _part(part: StatusChange) -> str:
    from sonnys_tui.backoffice.models import (
        BackofficeUserDisabled,
        BackofficeUserEnabled,
        EmployeeDisabled,
    )

    if isinstance(part, BackofficeUserDisabled | BackofficeUserEnabled):
        state = "closed" if isinstance(part, BackofficeUserDisabled) else "open"
        return f"{_login_label(part.username, part.user_id)} {state}"
    return f"POS login {'closed' if isinstance(part, EmployeeDisabled) else 'open'}"


def _turn(args: argparse.Namespace, out: TextIO, err: TextIO, way: Direction) -> int:
    """offboard / reinstate: resolve, plan, show, ask, apply, report."""
    from sonnys_tui.backoffice.errors import IncompleteError

    logins = not args.keep_backoffice if way is OFFBOARD else args.with_backoffice
    shown = err if args.json else out  # --json: stdout is the JSON alone
    with open_tenant(args) as tenant:
        if not args.dry_run:  # read-only: refused before any request (exit 6)
            tenant.ensure_writable(
                f"`{way.command}`",
                instead=f"`{way.command} --dry-run` shows what would change without writing.",
            )
        row = one_employee(args, tenant, err)
        record, doors = _plan(tenant, row, way, logins=logins)
        _print_plan(shown, way, record, doors)
        if not any(door.change for door in doors):
            what = "offboarded" if way is OFFBOARD else "reinstated"
            print(f"{_who(record)} is already {what}: nothing was written.", file=shown)
            if args.json:
                print_json(out, _jsonable(record, doors, written=False))
            return ExitStatus.OK
        if args.dry_run:
            print("(--dry-run: nothing was written)", file=shown)
            if args.json:
                print_json(out, _jsonable(record, doors, written=False))
            return ExitStatus.OK
        if not confirm(f"{way.command.capitalize()}?", err, assume_yes=args.yes):
            print(f"not {way.command}ed: nothing was changed", file=err)
            return ExitStatus.DECLINED
        try:
            if way is OFFBOARD:
                result: Offboarded | Reinstated = tenant.offboard(row, backoffice=logins)
            else:
                result = tenant.reinstate(row, backoffice=logins)
        except IncompleteError as exc:
            _report_incomplete(err, way, args, exc)
            return ExitStatus.FAILED
    after = _doors_after(way, doors, result)
    _print_result(shown, way, record, after)
    if args.json:
        print_json(out, _jsonable(record, after, written=not result.already))
    return ExitStatus.OK


def cmd_offboard(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    return _turn(args, out, err, OFFBOARD)


def cmd_reinstate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    return _turn(args, out, err, REINSTATE)


# --------------------------------------------------------------------------- access review

# What fixes each rule, from the shell.
RULE_FIXES: dict[Rule, str] = {
    "linked_employee_inactive": "finish the offboarding (sonnys-tui offboard QUERY)",
    "not_linked": "deactivate the login, or link it to its employee",
    "administrator": "give the login a narrower template",
    "sites_beyond_availability": "narrow the login's accessible sites",
}


def _linked(finding: AccessFinding, review: AccessReview, roster: dict[int, EmployeeRow]) -> str:
    link = review.links.get(finding.user_id)
    if finding.employee_id is None:
        if link is not None and len(link.candidates) > 1:
            return f"one of {len(link.candidates)} namesakes"
        return "-"
    row = roster.get(finding.employee_id)
    if row is None:
        return f"employee {finding.employee_id}"
    pos = f" ({row.pos_user_id})" if row.pos_user_id is not None else ""
    return f"{row.full_name}{pos}"


def cmd_review(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sonnys_tui.backoffice.review import HIDDEN_LABEL, HIDDEN_TEXT, RULE_LABELS, RULES

    with open_tenant(args) as tenant:
        review = tenant.review_access(
            permission_pages=args.permission_pages,
            confirm_links=args.confirm_links,
            refresh=args.refresh,
        )
        # Read by the review a moment ago: the client answers from its memory.
        roster = {row.employee_id: row for row in tenant.read_roster()}
    findings = review.findings
    status = ExitStatus.RISKS if review.risks else ExitStatus.OK
    if args.json:
        print_json(
            out,
            {
                "risks": review.risks,
                "findings": [
                    # A finding's own fields, and what they imply: confirmed, and who.
                    {
                        **jsonable(f),
                        "confirmed": f.confirmed,
                        "employee_name": _linked(f, review, roster),
                    }
                    for f in findings
                ],
                "hidden_employees": [_hidden_json(row) for row in review.hidden],
                "active_users": review.active_users,
                "left_out": {"own_login": list(review.left_out)},
                "permissions_checked": review.permissions_checked,
                "unconfirmed": review.unconfirmed,
                "permissions_unread": review.permissions_unread,
                "complete": review.complete,
            },
        )
        return status
    if review.risks:
        print_table(
            out,
            ("Rule", "User", "Linked employee", "Evidence"),
            [
                *(
                    (RULE_LABELS[f.rule], f.username, _linked(f, review, roster), f.evidence)
                    for f in findings
                ),
                *((HIDDEN_LABEL, "-", _named(row), "edit page") for row in review.hidden),
            ],
            # The evidence whole ("edit page" is the longest); the names take the rest of 79.
            (17, 20, 79 - (17 + 20 + EVIDENCE_WIDTH + 3 * 2), EVIDENCE_WIDTH),
        )
        print(file=out)
        counts = Counter(f.rule for f in findings)
        for rule, text in RULES.items():
            if counts[rule]:
                _say(out, f"{RULE_LABELS[rule]} ({counts[rule]}): {text}")
                _say(out, f"  fix: {RULE_FIXES[rule]}")
        if review.hidden:
            _say(out, f"{HIDDEN_LABEL} ({len(review.hidden)}): {HIDDEN_TEXT}")
            _say(out, f"  fix: {HIDDEN_FIX}")
        _say(out, f"{review.risks} risk(s) among {_active(review)}.")
    else:
        _say(out, f"No risks found among {_active(review)}.")
    _print_unchecked(out, review)
    return status


EVIDENCE_WIDTH = len("edit page")  # the longest evidence (review.Evidence)

HIDDEN_FIX = (
    "give them a site (sonnys-tui set POS_USER_ID --sites …), or offboard them "
    "(sonnys-tui offboard POS_USER_ID)"
)


def _named(row: EmployeeRow) -> str:
    pos = f" ({row.pos_user_id})" if row.pos_user_id is not None else ""
    return f"{row.full_name}{pos}"


def _hidden_json(row: EmployeeRow) -> dict[str, object]:
    return {
        "rule": "hidden_no_site",
        "employee_id": row.employee_id,
        "pos_user_id": row.pos_user_id,
        "employee_name": row.full_name,
        "detail": "active, hidden from the roster: no available site",
        "fixes": ["set --sites", "offboard"],
    }


def _active(review: AccessReview) -> str:
    """Who was reviewed, the tool's own login said as left out (a username is server
    text: made terminal safe)."""
    from sonnys_tui.display import terminal_safe

    return terminal_safe(review.active_summary)


def _say(out: TextIO, text: str) -> None:
    """A sentence of ours (no server text in it), wrapped to fit 80 columns."""
    import textwrap

    print(textwrap.fill(text, width=79, subsequent_indent="  "), file=out)


def _print_unchecked(out: TextIO, review: AccessReview) -> None:
    """What the review could not check, and the option that checks it."""
    if review.unconfirmed:
        _say(
            out,
            f"Not confirmed: the link of {len(review.unconfirmed)} user(s) is inferred from"
            " their e-mail or name (--confirm-links N reads their edit pages).",
        )
    if review.permissions_unread:
        _say(
            out,
            f"Not checked: the Administrator and site rules for {len(review.permissions_unread)}"
            " user(s) whose permissions page was not read (--permission-pages N).",
        )
    if review.complete:
        _say(out, "Every active user's link and permissions were read.")
