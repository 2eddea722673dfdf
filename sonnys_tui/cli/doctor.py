"""``sonnys-tui doctor``: before anything is written on a tenant, what will work there.

Read only (after the login, GET requests only). One line per capability: ready,
refused (the page, the field, what differs) or not checked (why); then the tenant's
counts and each page's time. Exit 0 when every capability is ready, 1 when any is
not, 2 when it cannot connect or log in.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from sonnys_tui.cli.common import (
    AddCommand,
    CliError,
    Command,
    ExitStatus,
    open_tenant,
    print_json,
)

if TYPE_CHECKING:
    from sonnys_tui.backoffice.doctor import DoctorReport


def register(add: AddCommand) -> dict[str, Command]:
    doctor = add(
        "doctor",
        help="check what will work on this tenant (reads only)",
        description="Read every page the tool reads or posts to and compare each with\n"
        "what the client relies on (forms, fields, hidden inputs, checkbox conventions,\n"
        "the site tree, the permission matrices). Writes nothing: after the login it\n"
        "sends GET requests only.\n\n"
        "exit status:\n"
        "  0    every capability is ready\n"
        "  1    a capability is refused or could not be checked\n"
        "  2    cannot connect or log in (or bad arguments)",
    )
    doctor.add_argument(
        "--capture",
        metavar="DIR",
        help="also save the pages read, every personal or secret value replaced",
    )
    return {"doctor": cmd_doctor}


def cmd_doctor(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sonnys_tui.backoffice.errors import BackofficeError
    from sonnys_tui.tenant.doctor import check_tenant

    with open_tenant(args) as tenant:
        try:
            report = check_tenant(tenant, capture=Path(args.capture) if args.capture else None)
        except BackofficeError as exc:
            # A page doctor cannot read is part of its report; what escapes is the login
            # or the connection failing: nothing can be said about the tenant.
            raise CliError(
                f"cannot check {tenant.name}: {exc}", ExitStatus.CANNOT_CONNECT
            ) from None
    if args.json:
        print_json(out, report.as_json())
    else:
        print_report(out, report)
    if args.capture:
        replaced = report.capture.counts if report.capture else {}
        said = ", ".join(f"{n} {kind}" for kind, n in replaced.items() if n) or "nothing"
        print(f"Capture saved in {args.capture} (replaced: {said}).", file=err)
    return report.exit_status


def print_report(out: TextIO, report: DoctorReport) -> None:
    shape = f": {report.shape} site tree" if report.shape else ""
    print(f"Tenant {report.tenant}{shape}", file=out)
    width = max(len(c.status) for c in report.capabilities)
    for capability in report.capabilities:
        print(f"  {capability.status.ljust(width)}  {capability.name}", file=out)
        for reason in capability.reasons[:SHOWN_REASONS]:
            print(f"  {''.ljust(width)}    {reason}", file=out)
        if len(capability.reasons) > SHOWN_REASONS:
            more = len(capability.reasons) - SHOWN_REASONS
            print(f"  {''.ljust(width)}    … and {more} more (--json lists them all)", file=out)
    counts = report.counts
    if counts:
        print("Counts: " + ", ".join(f"{n} {what}" for what, n in counts.items()), file=out)
    print("Pages:", file=out)
    path_width = max((len(p.path) for p in report.pages), default=0)
    for page in report.pages:
        state = "ok" if page.ok else "not read" if page.skipped else "misread"
        print(f"  {page.path.ljust(path_width)}  {page.ms:7.0f} ms  {state}", file=out)
    tally = {s: sum(1 for c in report.capabilities if c.status == s) for s in _STATUSES}
    print(", ".join(f"{n} {s}" for s, n in tally.items() if n) + ".", file=out)


_STATUSES = ("ready", "refused", "not checked")
SHOWN_REASONS = 4  # per capability in the table; --json has them all
