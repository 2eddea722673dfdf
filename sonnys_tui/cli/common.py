"""What every shell command shares: exit statuses, errors, the connection options,
the tenant a command works on, and output (tables that fit 80 columns, exact JSON,
the display boundary every printed line passes)."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import enum
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from sonnys_tui.backoffice.models import EmployeeRow
    from sonnys_tui.config import Profile
    from sonnys_tui.lookup import Query
    from sonnys_tui.tenant import Tenant

# A command's handler: parsed arguments, stdout, stderr -> exit status.
Command = Callable[[argparse.Namespace, TextIO, TextIO], int]


class ExitStatus(enum.IntEnum):
    """The exit status of every command: the shell's contract (README "From the
    shell"). Each status carries its meaning as ``--help`` prints it
    (:data:`EXIT_STATUS_HELP`, made from these); a name that is another's number
    is an alias, kept for what a command means by it."""

    _value_: int
    meaning: str

    def __new__(cls, value: int, meaning: str = "") -> ExitStatus:
        status = int.__new__(cls, value)
        status._value_ = value
        status.meaning = meaning
        return status

    OK = 0, "done; check: free; find: found; set: nothing to change, or --dry-run"
    NO = (
        1,
        "check: taken; find, show, set: no employee matches (with --json too:\n"
        "it prints []); set: not confirmed at the prompt (nothing written);\n"
        "offboard, reinstate: no employee matches, or not confirmed;\n"
        "access-review: it found someone with access who should not have it;\n"
        "bulk plan, apply: a row has an error (nothing written), or not confirmed;\n"
        "doctor: a capability is refused or could not be checked",
    )
    TAKEN = 1  # check: the value is taken
    NOT_FOUND = 1  # find, show, set, offboard, reinstate: no employee matches
    DECLINED = 1  # offboard, reinstate: "no" at the prompt, nothing changed
    RISKS = 1  # access-review: it found someone with access who should not have it
    PLAN_ERRORS = 1  # bulk plan, apply: some row has an error; nothing was changed
    USAGE = (
        2,
        "usage: bad arguments or value, unknown profile, no password (none set,\n"
        "or the prompt left with Ctrl+D); show, set, offboard, reinstate:\n"
        "several employees match, or no terminal to confirm on and no --yes\n"
        "(nothing written); bulk: the file cannot be read as a bulk file;\n"
        "doctor: cannot connect or log in",
    )
    CANNOT_CONNECT = 2  # doctor: the tenant could not be reached or logged in to
    FAILED = (
        3,
        "failure: login refused, connection or server error, simulator port taken\n"
        "(offboard, reinstate: stopped part way; it says what is done and what\n"
        "is not, and running it again finishes it; bulk apply: a row failed,\n"
        "the others went on, the results file says which)",
    )
    UNKNOWN = (
        4,
        "check email: cannot tell; no active employee or Back Office user has it,\n"
        "but the server keeps inactive employees' e-mails and lists them nowhere",
    )
    # Unlike a failure, running the command again is safe: it plans on the record as it is.
    CONFLICT = (
        5,
        "set: conflict: the record changed since the plan was made; nothing was\n"
        "written (run it again to plan on the record as it is now)",
    )
    # Refused before any request.
    READ_ONLY = (
        6,
        "read-only mode (--read-only, read_only = true in the profile, or\n"
        "SONNYS_TUI_READ_ONLY=1): set, offboard, reinstate or bulk apply would\n"
        "write, so nothing was sent (--dry-run and bulk plan still work)",
    )
    INTERRUPTED = (
        130,  # 128 + SIGINT: said in one line, no traceback
        "interrupted (Ctrl+C; bulk apply: after the row in flight, and running\nit again goes on)",
    )


def _status_table() -> str:
    """The exit statuses with their meanings: one row a number, continued under it."""
    lines = ["exit status (every command):"]
    for status in ExitStatus:  # each number once: aliases are not iterated
        first, *more = status.meaning.splitlines()
        lines.append(f"  {status.value:<5}{first}")
        lines += [" " * 7 + line for line in more]
    return "\n".join(lines) + "\n"


EXIT_STATUS_HELP = _status_table()


class CliError(Exception):
    """A failure to report on stderr with an exit status."""

    def __init__(self, message: str, status: int = ExitStatus.FAILED) -> None:
        super().__init__(message)
        self.status = status


def connection_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("connection")
    # SUPPRESS: given before the command (`sonnys-tui --demo find x`), the top-level
    # option stands; a subcommand's default must not silently replace it.
    keep = argparse.SUPPRESS
    group.add_argument("--profile", metavar="NAME", default=keep, help="saved profile to use")
    group.add_argument(
        "--demo", action="store_true", default=keep, help="use the built-in demo tenant"
    )
    group.add_argument("--json", action="store_true", help="print JSON instead of a table")
    group.add_argument(
        "--refresh", action="store_true", help="ask the server, not the roster cache"
    )
    group.add_argument(
        "--no-cache", action="store_true", default=keep, help="neither read nor write the cache"
    )
    group.add_argument(
        "--read-only",
        action="store_true",
        default=keep,
        help="refuse every write before any request (also SONNYS_TUI_READ_ONLY=1)",
    )
    return common


@dataclasses.dataclass(frozen=True)
class AddCommand:
    """Adds a subcommand to ``commands``, keeping its description's line breaks, with
    the connection options (``conn``) unless ``connection=False``. Made once by
    :mod:`sonnys_tui.cli.main`; each command module's ``register(add)`` adds its
    commands with it (``show = add("show", help=..., description=...)``)."""

    commands: argparse._SubParsersAction[argparse.ArgumentParser]
    conn: argparse.ArgumentParser

    def __call__(
        self,
        name: str,
        *,
        help: str,
        description: str | None = None,
        epilog: str | None = None,
        connection: bool = True,
    ) -> argparse.ArgumentParser:
        return self.commands.add_parser(
            name,
            parents=[self.conn] if connection else [],
            formatter_class=argparse.RawDescriptionHelpFormatter,
            help=help,
            description=description,
            epilog=epilog,
        )

    def under(self, commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> AddCommand:
        """The same for a command's own subcommands (the steps of ``bulk``)."""
        return dataclasses.replace(self, commands=commands)


def whole_number(low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number in [low, high] (a bad one is a usage error)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < low or (high is not None and value > high):
            bounds = f"{low}-{high}" if high is not None else f">= {low}"
            raise argparse.ArgumentTypeError(f"must be {bounds}, not {value}")
        return value

    return parse


# --------------------------------------------------------------------------- connection


@contextlib.contextmanager
def demo_tenant(*, own_process: bool = True) -> Iterator[tuple[Profile, str]]:
    """The demo tenant served on loopback for the duration of the block: a profile
    that logs in to it, and its password.

    ``own_process`` (the app's ``--demo``): served by a process of its own, so that
    the app neither loads the simulator nor renders its pages while it starts (on
    POSIX; elsewhere, and for the shell commands, whose tests give them variants of
    the tenant, in this process)."""
    from sonnys_tui.config import Profile

    # A process of its own needs POSIX (the socket passed down) and a Python to run it.
    apart = own_process and os.name == "posix" and not getattr(sys, "frozen", False)
    served = _demo_process() if apart else _demo_in_process()
    with served as (base_url, username, password):
        profile = Profile(
            name="demo", subdomain="demo", username=username, base_url=base_url, use_cache=False
        )
        yield profile, password


@contextlib.contextmanager
def _demo_in_process() -> Iterator[tuple[str, str, str]]:
    """The demo tenant served by a thread of this process: its URL, username, password."""
    from sonnys_tui.simulator import Simulator

    sim = Simulator.demo()
    with sim.serve() as base_url:
        yield base_url, sim.username, sim.password


@contextlib.contextmanager
def _demo_process() -> Iterator[tuple[str, str, str]]:
    """The demo tenant served by :mod:`sonnys_tui.simulator.process` on a socket bound
    here: its URL (known at once: the requests sent before it serves wait), username
    and password."""
    import socket
    import subprocess
    from pathlib import Path

    import sonnys_tui
    from sonnys_tui.simulator.bot import BOT_PASSWORD, BOT_USERNAME

    env = dict(os.environ)  # the child imports this very package, wherever it is
    root = str(Path(sonnys_tui.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (root, env.get("PYTHONPATH"))))
    with socket.create_server(("127.0.0.1", 0)) as listening:
        fd = listening.fileno()
        child = subprocess.Popen(
            [sys.executable, "-m", "sonnys_tui.simulator.process", str(fd)],
            pass_fds=(fd,),
            stdin=subprocess.PIPE,  # closed (this process gone): the child ends
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,  # never on the app's screen
            env=env,
            start_new_session=True,  # the terminal's Ctrl+C and hang-up are the app's
        )
        host, port = listening.getsockname()[:2]
    try:
        yield f"http://{host}:{port}", BOT_USERNAME, BOT_PASSWORD
    finally:
        # Ended at once (it keeps nothing), not asked to: at nice 10 on a busy machine,
        # reading the closed stdin can wait for the CPU.
        child.terminate()
        child.wait()
        if child.stdin is not None:
            child.stdin.close()


def pick_profile(name: str | None) -> Profile:
    from sonnys_tui.config import load_profiles

    profiles = load_profiles()
    if name is not None:
        if name not in profiles:
            known = ", ".join(sorted(profiles)) or "none saved yet"
            raise CliError(f"no profile named {name!r} (profiles: {known})", ExitStatus.USAGE)
        return profiles[name]
    if len(profiles) == 1:
        return next(iter(profiles.values()))
    if not profiles:
        raise CliError(
            "no saved profile: open `sonnys-tui` to create one, or try `--demo`", ExitStatus.USAGE
        )
    raise CliError(
        f"several profiles: pick one with --profile ({', '.join(sorted(profiles))})",
        ExitStatus.USAGE,
    )


def password_for(profile: Profile, stdin: TextIO) -> str:
    from sonnys_tui.config import resolve_password

    password = resolve_password(profile)
    if password:
        return password
    if not stdin.isatty():
        raise CliError("no password: set SONNYS_PASSWORD or run from a terminal", ExitStatus.USAGE)
    import getpass

    from sonnys_tui.display import terminal_safe

    # The prompt goes to the terminal itself: the profile's names are the config file's.
    who = terminal_safe(f"{profile.username}@{profile.subdomain}")
    try:
        password = getpass.getpass(f"Password for {who}: ")
    except EOFError:  # Ctrl+D: no password given (not a failure, and never "taken")
        print(file=sys.stderr)  # end the prompt's line
        raise CliError("no password entered", ExitStatus.USAGE) from None
    except KeyboardInterrupt:
        print(file=sys.stderr)
        raise
    if not password:
        raise CliError("no password entered", ExitStatus.USAGE)
    return password


def confirm_options(
    parser: argparse.ArgumentParser, *, dry_run: bool = True, exclusive: bool = False
) -> None:
    """A write command's ``--yes`` (:func:`confirm` asks nothing) and, with ``dry_run``,
    ``--dry-run`` (the plan shown, nothing written), worded alike in every command;
    ``exclusive``: the two may not be given together."""
    options = parser.add_mutually_exclusive_group() if exclusive else parser
    options.add_argument("--yes", action="store_true", help="apply without asking (scripts)")
    if dry_run:
        options.add_argument(
            "--dry-run", action="store_true", help="only show what would change; write nothing"
        )


def confirm(
    question: str,
    err: TextIO,
    *,
    assume_yes: bool = False,
    stdin: TextIO | None = None,
    look_only: str = "--dry-run only prints the plan",
) -> bool:
    """Ask ``question [y/N]`` on the terminal before a write; only "y" or "yes" says yes
    (Enter, Ctrl+D or anything else is no). ``assume_yes`` (--yes) answers for scripts.
    Without a terminal and without --yes it refuses (usage error): a piped stdin must
    never be read as consent. ``look_only`` says how the command shows the plan
    without writing (bulk apply has no --dry-run: `bulk plan` is its)."""
    if assume_yes:
        return True
    stdin = stdin or sys.stdin
    if not stdin.isatty():
        raise CliError(
            f"not a terminal, so nothing was changed: --yes applies without asking, {look_only}",
            ExitStatus.USAGE,
        )
    # The question goes to stderr: stdout stays the command's output (the plan).
    print(f"{question} [y/N] ", end="", file=err, flush=True)
    try:
        answer = stdin.readline()
    except KeyboardInterrupt:
        print(file=err)
        raise
    if not answer:  # Ctrl+D
        print(file=err)
        return False
    return answer.strip().lower() in {"y", "yes"}


@contextlib.contextmanager
def open_tenant(args: argparse.Namespace) -> Iterator[Tenant]:
    """The profile's tenant. Its client connects (asking for the password when it must)
    only once the server is needed: an answer from the cache needs neither."""
    from sonnys_tui.config import open_client
    from sonnys_tui.tenant import Tenant

    with contextlib.ExitStack() as stack:
        if args.demo:
            profile, password = stack.enter_context(demo_tenant(own_process=False))
            connect = lambda: open_client(profile, password)  # noqa: E731
        else:
            profile = pick_profile(args.profile)
            if args.no_cache:
                profile = dataclasses.replace(profile, use_cache=False)
            connect = lambda: open_client(profile, password_for(profile, sys.stdin))  # noqa: E731
        yield stack.enter_context(Tenant(profile, connect=connect, read_only=args.read_only))


def from_cache(
    args: argparse.Namespace,
    tenant: Tenant,
    err: TextIO,
    has: Callable[[Tenant], object] = lambda tenant: True,
) -> bool:
    """Answer from the tenant's roster cache unless --refresh: True when the cache is
    there and ``has(tenant)`` says it holds the answer; only then is the cache named
    on stderr (an answer fetched from the server never claims to be the cache's)."""
    if args.refresh:
        return False
    snapshot = tenant.load_cache()
    if snapshot is None or not has(tenant):
        return False
    from sonnys_tui.cache import describe_age

    age = describe_age(snapshot.age_seconds())
    print(f"(from the roster cache, {age}; --refresh asks the server)", file=err)
    return True


def _exact(rows: Sequence[EmployeeRow], query: Query) -> list[EmployeeRow]:
    return [r for r in rows if query.is_number and str(r.pos_user_id) == query.digits]


def one_employee(
    args: argparse.Namespace, tenant: Tenant, err: TextIO, out: TextIO | None = None
) -> EmployeeRow:
    """The one employee ``args.query`` names, found as `find` finds them (the roster
    cache, asking the server when the cache has none; else the server's own search;
    --refresh downloads the roster). POS User IDs
    are unique: "4101" is that employee, not also every 41011 or phone it prefixes.
    None matching is ExitStatus.NOT_FOUND (with --json, ``out`` gets the documented ``[]``
    first); several are listed on ``err``, then ExitStatus.USAGE."""
    from sonnys_tui.lookup import Query, no_match, search_indexed

    query = Query.parse(args.query)
    if query.is_empty:
        raise CliError("nothing to find: give a POS User ID, a name or a phone", ExitStatus.USAGE)
    if args.refresh:
        tenant.refresh()
        rows = search_indexed(tenant.entries(), query)
        if query.is_number and not _exact(rows, query):  # one the list hides, too
            seen = {r.employee_id for r in rows}
            rows += [r for r in tenant.search_server(query) if r.employee_id not in seen]
    elif from_cache(args, tenant, err):
        rows = search_indexed(tenant.entries(), query)
        if not rows or (query.is_number and not _exact(rows, query)):
            # The cache may be older than a hire made elsewhere (the app, a bulk run, the
            # web UI): a miss there is no answer for a command about to act.
            print("(not in the roster cache: asking the server)", file=err)
            rows = tenant.search_server(query)
    else:
        rows = tenant.search_server(query)
    exact = _exact(rows, query)
    if len(exact) == 1 or len(rows) == 1:
        return (exact or rows)[0]
    if not rows:
        if out is not None and getattr(args, "json", False):
            print_json(out, [])  # a script reads JSON, whatever the answer
        raise CliError(no_match(query), ExitStatus.NOT_FOUND)
    print_employees(err, rows)
    raise CliError(
        f"{len(rows)} employees match {query.text!r}: give the POS User ID of one", ExitStatus.USAGE
    )


# --------------------------------------------------------------------------- output


def _clip(text: str, width: int) -> str:
    from sonnys_tui.display import terminal_safe

    # Server text is made terminal safe (an ESC in a name is shown as \x1b, never sent)
    # before it is measured, so that the columns stay in line.
    text = terminal_safe(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def print_table(
    out: TextIO, headers: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]
) -> None:
    """A plain table that fits 80 columns: the last column takes what is left."""
    used = sum(widths[:-1]) + 2 * (len(widths) - 1)
    widths = [*widths[:-1], max(8, min(widths[-1], 79 - used))]
    for cells in (headers, *rows):
        line = "  ".join(_clip(c, w).ljust(w) for c, w in zip(cells, widths, strict=True))
        print(line.rstrip(), file=out)


def jsonable(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return {k: jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(value)
    return value


def print_json(out: TextIO, value: Any) -> None:
    from sonnys_tui.display import json_safe

    # Exact (it decodes to the very strings the server sent) and terminal safe: json
    # escapes C0 controls itself, json_safe the rest (C1, bidi overrides, surrogates).
    text = json.dumps(jsonable(value), indent=2, ensure_ascii=False, default=str)
    print(json_safe(text), file=out)


class Shown:
    """The display boundary of the shell commands: a text stream that writes what it is
    given through :func:`sonnys_tui.display.safe_lines`. Whatever a command prints (a
    name from the server, a profile from the config file, an error quoting either)
    reaches the terminal shown, never raw; line breaks are kept."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        from sonnys_tui.display import safe_lines

        self.stream.write(safe_lines(text))
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def print_employees(out: TextIO, rows: Sequence[EmployeeRow]) -> None:
    """Employees as `find` lists them: one line each, 80 columns."""
    from sonnys_tui.lookup import format_sites

    print_table(
        out,
        ("Name", "POS ID", "Phone", "Active", "Sites"),
        [
            (
                r.full_name,
                "" if r.pos_user_id is None else str(r.pos_user_id),
                r.phone,
                "yes" if r.active else "no",
                format_sites(r.site_codes),
            )
            for r in rows
        ],
        (26, 7, 14, 6, 40),
    )
