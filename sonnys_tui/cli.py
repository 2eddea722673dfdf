"""The ``sonnys-tui`` command: the app, quick lookups, the simulator, config and cache.

Imports are deferred to the command that needs them, so that ``--help`` and the
app's first frame do not pay for lxml, httpx or the simulator.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, TextIO, cast

from sonnys_tui import __version__

if TYPE_CHECKING:
    from sonnys_tui.backoffice.models import Permission, Scope
    from sonnys_tui.config import Profile
    from sonnys_tui.tenant import ListName, Tenant

# One table of exit statuses for every command (EXIT_STATUS_HELP, README "From the shell").
EXIT_OK = 0  # done; `check`: free; `find`: found
EXIT_NO = 1  # `check`: taken; `find`: no employee matches
EXIT_TAKEN = EXIT_NO
EXIT_NOT_FOUND = EXIT_NO
EXIT_USAGE = 2  # bad arguments or value, unknown profile, no password given
EXIT_FAILED = 3  # login, connection or server failure; the simulator's port taken
EXIT_UNKNOWN = 4  # `check email`: cannot tell (an inactive employee may have it)
EXIT_INTERRUPTED = 130  # Ctrl+C (128 + SIGINT), said in one line, no traceback

EXIT_STATUS_HELP = """\
exit status (every command):
  0    done; check: free; find: found
  1    check: taken; find: no employee matches (with --json too: it prints [])
  2    usage: bad arguments or value, unknown profile, no password (none set,
       or the prompt left with Ctrl+D)
  3    failure: login refused, connection or server error, simulator port taken
  4    check email: cannot tell; no active employee or Back Office user has it,
       but the server keeps inactive employees' e-mails and lists them nowhere
  130  interrupted (Ctrl+C)
"""

DESCRIPTION = """\
Manage the people of a Sonny's CarWash Controls Back Office tenant from the terminal.

Without a command, opens the app. Credentials come, in order, from:
  1. the profile (--profile NAME, or the only saved profile): subdomain and username;
  2. the SONNYS_PASSWORD environment variable;
  3. the system keyring, when the optional `keyring` package is installed and you
     asked the app to remember the password;
  4. a prompt (the app's Connect screen, or the terminal for shell commands).
Passwords are never written to the config file.
"""

EPILOG = (
    """\
examples:
  sonnys-tui --demo                    try the app on a built-in demo tenant
  sonnys-tui --profile eastside        open the app on a saved profile
  sonnys-tui find "dana re"            who is Dana Re…? (names, POS IDs, phones)
  sonnys-tui check pos-id 4411         exit 0 if POS User ID 4411 is free, 1 if taken
  sonnys-tui check email a@example.com exit 1 if taken, 4 if it cannot be told
  sonnys-tui sites --json              sites of the tenant as JSON
  sonnys-tui simulator --port 8080     serve the demo tenant for a browser or the app
  sonnys-tui config path               where profiles are kept

"""
    + EXIT_STATUS_HELP
)


class CliError(Exception):
    """A failure to report on stderr with an exit status."""

    def __init__(self, message: str, status: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.status = status


# --------------------------------------------------------------------------- parser


def _connection_options() -> argparse.ArgumentParser:
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
    return common


def _whole_number(low: int, high: int | None = None) -> Callable[[str], int]:
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sonnys-tui",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"sonnys-tui {__version__}")
    parser.add_argument("--demo", action="store_true", help="open the app on a demo tenant")
    parser.add_argument("--profile", metavar="NAME", help="open the app on a saved profile")
    parser.add_argument("--no-mouse", action="store_true", help="keyboard only")
    parser.add_argument("--no-cache", action="store_true", help="don't use the roster cache")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    conn = _connection_options()
    raw = argparse.RawDescriptionHelpFormatter

    find = commands.add_parser(
        "find",
        parents=[conn],
        formatter_class=raw,
        help="find employees by name, POS User ID or phone",
        description="Find employees. Digits match POS User IDs and phones; words match names\n"
        "(each word a prefix of the first or last name). Answers from the roster\n"
        "cache when there is one, else from the server's own search.",
    )
    find.add_argument("text", help='e.g. "dana", "dana re", 4411, 555-0101')

    check = commands.add_parser(
        "check",
        parents=[conn],
        formatter_class=raw,
        help="is a POS User ID, e-mail or phone free? (exit 0 free, 1 taken, 4 can't tell)",
        description="Check whether a value is free on the tenant. POS User IDs are always\n"
        "checked on the server (one exact search); phones use the roster cache unless\n"
        "--refresh is given; e-mails are checked against the active employees' and the\n"
        "Back Office users' e-mails. The server also keeps inactive employees' e-mails,\n"
        "which it lists nowhere: an e-mail none of those has cannot be told free\n"
        '(exit 4), never "free".\n\n' + EXIT_STATUS_HELP,
    )
    check.add_argument("kind", choices=["pos-id", "email", "phone"])
    check.add_argument("value")

    commands.add_parser("sites", parents=[conn], help="list the tenant's sites")
    commands.add_parser("departments", parents=[conn], help="list the tenant's departments")
    templates = commands.add_parser("templates", parents=[conn], help="list permission templates")
    templates.add_argument("--scope", choices=["pos", "backoffice"], default="pos")

    sim = commands.add_parser(
        "simulator",
        help="serve a local Back Office on loopback",
        description="Serve a simulated Back Office on 127.0.0.1 until Ctrl+C. Point a\n"
        "browser or `sonnys-tui` (a profile with base_url) at the printed URL.",
        formatter_class=raw,
    )
    sim.add_argument("--tenant", choices=["demo", "flat", "large"], default="demo")
    sim.add_argument(
        "--employees",
        type=_whole_number(0, 1_000_000),
        default=None,
        metavar="N",
        help="for --tenant large (default 10000)",
    )
    sim.add_argument(
        "--port", type=_whole_number(0, 65_535), default=8080, help="0 picks a free port"
    )
    sim.add_argument(
        "--latency-ms",
        type=_whole_number(0, 600_000),
        default=0,
        metavar="L",
        help="delay every request",
    )

    config = commands.add_parser("config", help="show where profiles live, list them")
    config.add_argument("action", choices=["path", "list"])

    cache = commands.add_parser("cache", help="show or clear the roster cache")
    cache.add_argument("action", choices=["path", "clear"])
    cache.add_argument(
        "--profile",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="only this profile: its cache file (path), or only it (clear)",
    )
    return parser


# --------------------------------------------------------------------------- connection


@contextlib.contextmanager
def _demo_tenant() -> Iterator[tuple[Profile, str]]:
    """Start the demo simulator on loopback for the duration of the block."""
    from sonnys_tui.config import Profile
    from sonnys_tui.simulator import Simulator

    sim = Simulator.demo()
    with sim.serve() as base_url:
        profile = Profile(
            name="demo", subdomain="demo", username=sim.username, base_url=base_url, use_cache=False
        )
        yield profile, sim.password


def _pick_profile(name: str | None) -> Profile:
    from sonnys_tui.config import load_profiles

    profiles = load_profiles()
    if name is not None:
        if name not in profiles:
            known = ", ".join(sorted(profiles)) or "none saved yet"
            raise CliError(f"no profile named {name!r} (profiles: {known})", EXIT_USAGE)
        return profiles[name]
    if len(profiles) == 1:
        return next(iter(profiles.values()))
    if not profiles:
        raise CliError(
            "no saved profile: open `sonnys-tui` to create one, or try `--demo`", EXIT_USAGE
        )
    raise CliError(
        f"several profiles: pick one with --profile ({', '.join(sorted(profiles))})", EXIT_USAGE
    )


def _password_for(profile: Profile, stdin: TextIO) -> str:
    from sonnys_tui.config import resolve_password

    password = resolve_password(profile)
    if password:
        return password
    if not stdin.isatty():
        raise CliError("no password: set SONNYS_PASSWORD or run from a terminal", EXIT_USAGE)
    import getpass

    from sonnys_tui.display import terminal_safe

    # The prompt goes to the terminal itself: the profile's names are the config file's.
    who = terminal_safe(f"{profile.username}@{profile.subdomain}")
    try:
        password = getpass.getpass(f"Password for {who}: ")
    except EOFError:  # Ctrl+D: no password given (not a failure, and never "taken")
        print(file=sys.stderr)  # end the prompt's line
        raise CliError("no password entered", EXIT_USAGE) from None
    except KeyboardInterrupt:
        print(file=sys.stderr)
        raise
    if not password:
        raise CliError("no password entered", EXIT_USAGE)
    return password


@contextlib.contextmanager
def _tenant(args: argparse.Namespace) -> Iterator[Tenant]:
    """The profile's tenant. Its client connects (asking for the password when it must)
    only once the server is needed: an answer from the cache needs neither."""
    from sonnys_tui.config import open_client
    from sonnys_tui.tenant import Tenant

    with contextlib.ExitStack() as stack:
        if args.demo:
            profile, password = stack.enter_context(_demo_tenant())
            connect = lambda: open_client(profile, password)  # noqa: E731
        else:
            profile = _pick_profile(args.profile)
            if args.no_cache:
                profile = dataclasses.replace(profile, use_cache=False)
            connect = lambda: open_client(profile, _password_for(profile, sys.stdin))  # noqa: E731
        yield stack.enter_context(Tenant(profile, connect=connect))


def _from_cache(
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


def _jsonable(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return {k: _jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(value)
    return value


def _print_json(out: TextIO, value: Any) -> None:
    from sonnys_tui.display import json_safe

    # Exact (it decodes to the very strings the server sent) and terminal safe: json
    # escapes C0 controls itself, json_safe the rest (C1, bidi overrides, surrogates).
    text = json.dumps(_jsonable(value), indent=2, ensure_ascii=False, default=str)
    print(json_safe(text), file=out)


class _Shown:
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


# --------------------------------------------------------------------------- commands


def cmd_find(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sonnys_tui.lookup import Query, format_sites, no_match, search_indexed, search_server

    query = Query.parse(args.text)
    if query.is_empty:
        raise CliError("nothing to find: give a name, a POS User ID or a phone", EXIT_USAGE)
    searched_server = False
    with _tenant(args) as tenant:
        if args.refresh:
            tenant.refresh()  # every list: the cache it saves is whole
            rows = search_indexed(tenant.entries(), query)
        elif _from_cache(args, tenant, err):
            rows = search_indexed(tenant.entries(), query)
        else:
            searched_server = True
            if query.is_number:
                print("(no roster cache: searched POS User IDs on the server only)", file=err)
            rows = search_server(tenant.client, query)
    if not rows:
        print(no_match(query), file=err)
        if searched_server:
            print(
                "(the server's own search; --refresh downloads the roster and searches it,"
                " phones and names without their accents included)",
                file=err,
            )
    if args.json:
        _print_json(out, rows)  # [] when nothing matches: the status says so too
        return EXIT_OK if rows else EXIT_NOT_FOUND
    if not rows:
        return EXIT_NOT_FOUND
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
    return EXIT_OK


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sonnys_tui.backoffice import validation
    from sonnys_tui.backoffice.models import AvailabilityState

    kind, value = args.kind, args.value
    if kind == "pos-id":
        if not (value.isascii() and value.isdigit()):
            raise CliError(f"POS User ID must be a whole number ≥ 1, not {value!r}", EXIT_USAGE)
        value = str(validation.pos_user_id(int(value)))
    elif kind == "email":
        value = validation.email(value).strip()
    else:
        value = validation.phone(value)
    state: AvailabilityState
    reason = ""
    with _tenant(args) as tenant:
        if kind == "phone" and _from_cache(args, tenant, err):
            digits = validation.phone_digits(value)
            used = any(validation.phone_digits(r.phone) == digits for r in tenant.employees())
            state = "taken" if used else "free"
        elif kind == "pos-id":
            # Always authoritative: one exact search, whatever the cache says.
            used = bool(tenant.client.search_employees(pos_user_id=int(value)))
            state = "taken" if used else "free"
        elif kind == "email":
            answer = tenant.client.email_availability(value, refresh=args.refresh)
            state, reason = answer.state, answer.reason
        else:
            used = not tenant.client.is_phone_available(value, refresh=args.refresh)
            state = "taken" if used else "free"
    if args.json:
        available = {"free": True, "taken": False}.get(state)  # null: cannot tell
        _print_json(
            out,
            {
                "kind": kind,
                "value": value,
                "state": state,
                "available": available,
                "reason": reason,
            },
        )
    else:
        words = {"free": "free", "taken": "taken", "unknown": "cannot tell"}[state]
        print(f"{kind} {value}: {words}" + (f" ({reason})" if reason else ""), file=out)
    return {"free": EXIT_OK, "taken": EXIT_TAKEN, "unknown": EXIT_UNKNOWN}[state]


def _listing(
    args: argparse.Namespace,
    err: TextIO,
    lists: Sequence[ListName],
    read: Callable[[Tenant], Sequence[Any]],
) -> list[Any]:
    """A tenant list from the roster cache when it has it, else from the server."""
    with _tenant(args) as tenant:
        if _from_cache(args, tenant, err, has=read):
            return list(read(tenant))
        tenant.refresh(lists)
        return list(read(tenant))


def cmd_sites(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    sites = _listing(args, err, ["sites"], lambda tenant: tenant.sites)
    if args.json:
        _print_json(out, sites)
        return EXIT_OK
    print_table(
        out,
        ("Code", "Site", "Region / District"),
        [
            (s.code, s.name, " / ".join(x for x in (s.region_name, s.district_name) if x) or "-")
            for s in sites
        ],
        (8, 32, 35),
    )
    return EXIT_OK


def cmd_departments(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    departments = _listing(args, err, ["departments"], lambda tenant: tenant.departments)
    if args.json:
        _print_json(out, departments)
        return EXIT_OK
    print_table(out, ("ID", "Department"), [(str(d.id), d.name) for d in departments], (6, 60))
    return EXIT_OK


def cmd_templates(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    scope: Scope = args.scope
    which: ListName = "pos_templates" if scope == "pos" else "backoffice_templates"
    templates = _listing(args, err, [which], lambda tenant: tenant.templates(scope))
    if args.json:
        _print_json(out, templates)
        return EXIT_OK

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
    return EXIT_OK


def cmd_simulator(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sonnys_tui.simulator import Simulator

    if args.employees is not None and args.tenant != "large":
        raise CliError("--employees is for --tenant large", EXIT_USAGE)
    if args.tenant == "large":
        sim = Simulator.large(10_000 if args.employees is None else args.employees)
    else:
        sim = Simulator.flat() if args.tenant == "flat" else Simulator.demo()
    sim.faults.latency_ms = args.latency_ms

    def ready(base_url: str) -> None:
        # Said only once the port is bound: the URL printed is one that answers (with
        # --port 0, the port picked).
        print(f"Simulated Back Office ({args.tenant} tenant) on {base_url}", file=out)
        print(f"  username: {sim.username}\n  password: {sim.password}  (synthetic)", file=out)
        print("Ctrl+C to stop.", file=out, flush=True)

    try:
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C is how it stops: status 0
            sim.serve_forever("127.0.0.1", args.port, ready=ready)
    except OSError as exc:
        why = os.strerror(exc.errno) if exc.errno else str(exc)
        raise CliError(f"cannot serve on 127.0.0.1:{args.port}: {why}", EXIT_FAILED) from None
    return EXIT_OK


def cmd_config(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sonnys_tui.config import config_path, load_profiles

    if args.action == "path":
        print(config_path(), file=out)
        return EXIT_OK
    profiles = load_profiles()
    if not profiles:
        print(f"no profiles yet ({config_path()})", file=err)
    for profile in profiles.values():
        where = profile.base_url or f"https://{profile.subdomain}.sonnyscontrols.com"
        print(f"{profile.name}: {profile.username} @ {where}", file=out)
    return EXIT_OK


def cmd_cache(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sonnys_tui import cache
    from sonnys_tui.config import load_profiles

    name: str | None = getattr(args, "profile", None)
    if name is not None and name not in load_profiles() and not cache.cache_path(name).exists():
        # A typo must not look like success: neither a profile nor a cache of that name.
        known = ", ".join(sorted(load_profiles())) or "none saved yet"
        raise CliError(
            f"no profile named {name!r} and no cache for it (profiles: {known})", EXIT_USAGE
        )
    if args.action == "path":
        print(cache.cache_dir() if name is None else cache.cache_path(name), file=out)
        return EXIT_OK
    removed = cache.clear(name)
    print(f"removed {len(removed)} cache file(s)", file=out)
    return EXIT_OK


def run_app(args: argparse.Namespace) -> int:
    with contextlib.ExitStack() as stack:
        password: str | None = None
        profile: Profile | None = None
        if args.demo:
            profile, password = stack.enter_context(_demo_tenant())
        elif args.profile:
            profile = _pick_profile(args.profile)
        if profile is not None and args.no_cache:
            profile = dataclasses.replace(profile, use_cache=False)
        from sonnys_tui.tui.app import make_app

        make_app(profile=profile, password=password).run(mouse=not args.no_mouse)
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO, TextIO], int]] = {
    "find": cmd_find,
    "check": cmd_check,
    "sites": cmd_sites,
    "departments": cmd_departments,
    "templates": cmd_templates,
    "simulator": cmd_simulator,
    "config": cmd_config,
    "cache": cmd_cache,
}


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    # Every line a command prints passes the display boundary (--json is made exact and
    # safe before it gets there, so it passes through unchanged).
    out = cast(TextIO, _Shown(out or sys.stdout))
    err = cast(TextIO, _Shown(err or sys.stderr))
    try:
        return _run(argv, out, err)
    except KeyboardInterrupt:
        # Ctrl+C anywhere (the password prompt, a long download): one line, no traceback.
        print("sonnys-tui: interrupted", file=err)
        return EXIT_INTERRUPTED


def _run(argv: Sequence[str] | None, out: TextIO, err: TextIO) -> int:
    """:func:`main` without the Ctrl+C handling: each failure mapped to its status."""
    args = build_parser().parse_args(argv)
    from sonnys_tui.backoffice.errors import BackofficeError, ValidationError
    from sonnys_tui.config import ConfigError

    try:
        if args.command is None:
            return run_app(args)
        return COMMANDS[args.command](args, out, err)
    except CliError as exc:
        print(f"sonnys-tui: {exc}", file=err)
        return exc.status
    except BackofficeError as exc:
        # A value the client refused is a usage error; anything else the server's.
        print(f"sonnys-tui: {exc}", file=err)
        return EXIT_USAGE if isinstance(exc, ValidationError) else EXIT_FAILED
    except ConfigError as exc:
        print(f"sonnys-tui: {exc}", file=err)
        return EXIT_USAGE
    except BrokenPipeError:
        # `sonnys-tui sites | head`: the reader left; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:  # the config or cache folder unwritable, say
        print(f"sonnys-tui: {exc}", file=err)
        return EXIT_FAILED
