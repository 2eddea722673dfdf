"""The ``sonnys-tui`` command: the app, quick lookups, the simulator, config and cache.

Imports are deferred to the command that needs them, so that ``--help`` and the
app's first frame do not pay for lxml, httpx or the simulator.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, TextIO, cast

from sonnys_tui import __version__

if TYPE_CHECKING:
    from sonnys_tui.backoffice.models import Permission, Scope
    from sonnys_tui.config import Profile
    from sonnys_tui.tenant import ListName, Tenant

EXIT_OK = 0
EXIT_TAKEN = 1  # `check`: the value is already in use
EXIT_USAGE = 2
EXIT_FAILED = 3  # login, connection or server failure

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

EPILOG = """\
examples:
  sonnys-tui --demo                    try the app on a built-in demo tenant
  sonnys-tui --profile eastside        open the app on a saved profile
  sonnys-tui find "dana re"            who is Dana Re…? (names, POS IDs, phones)
  sonnys-tui check pos-id 4411         exit 0 if POS User ID 4411 is free, 1 if taken
  sonnys-tui sites --json              sites of the tenant as JSON
  sonnys-tui simulator --port 8080     serve the demo tenant for a browser or the app
  sonnys-tui config path               where profiles are kept
"""


class CliError(Exception):
    """A failure to report on stderr with an exit status."""

    def __init__(self, message: str, status: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.status = status


# --------------------------------------------------------------------------- parser


def _connection_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("connection")
    group.add_argument("--profile", metavar="NAME", help="saved profile to use")
    group.add_argument("--demo", action="store_true", help="use the built-in demo tenant")
    group.add_argument("--json", action="store_true", help="print JSON instead of a table")
    group.add_argument(
        "--refresh", action="store_true", help="ask the server, not the roster cache"
    )
    group.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    return common


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
        help="is a POS User ID, e-mail or phone free? (exit 0 free, 1 taken)",
        description="Check whether a value is free on the tenant. Exit status: 0 free,\n"
        "1 taken, 2 bad usage, 3 failure. POS User IDs are always checked on the\n"
        "server (one exact search); e-mails and phones use the roster cache unless\n"
        "--refresh is given.",
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
        "--employees", type=int, default=10_000, metavar="N", help="for --tenant large"
    )
    sim.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    sim.add_argument("--latency-ms", type=int, default=0, metavar="L", help="delay every request")

    config = commands.add_parser("config", help="show where profiles live, list them")
    config.add_argument("action", choices=["path", "list"])

    cache = commands.add_parser("cache", help="show or clear the roster cache")
    cache.add_argument("action", choices=["path", "clear"])
    cache.add_argument("--profile", metavar="NAME", help="only this profile (clear)")
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
    raise CliError(f"several profiles: pick one with --profile ({', '.join(sorted(profiles))})")


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
    return getpass.getpass(f"Password for {who}: ")


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


def _from_cache(args: argparse.Namespace, tenant: Tenant, err: TextIO) -> bool:
    """Load the tenant's roster cache unless --refresh; say so when it answers."""
    if args.refresh:
        return False
    snapshot = tenant.load_cache()
    if snapshot is None:
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
    from sonnys_tui.lookup import Query, format_sites, search_indexed, search_server

    query = Query.parse(args.text)
    if query.is_empty:
        raise CliError("nothing to find: give a name, a POS User ID or a phone", EXIT_USAGE)
    with _tenant(args) as tenant:
        if args.refresh:
            tenant.refresh()  # every list: the cache it saves is whole
            rows = search_indexed(tenant.entries(), query)
        elif _from_cache(args, tenant, err):
            rows = search_indexed(tenant.entries(), query)
        else:
            if query.is_number:
                print("(no roster cache: searched POS User IDs on the server only)", file=err)
            rows = search_server(tenant.client, query)
    if args.json:
        _print_json(out, rows)
        return EXIT_OK
    if not rows:
        print(f"no employee matches {query.text!r}", file=err)
        return EXIT_TAKEN
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

    kind, value = args.kind, args.value
    if kind == "pos-id":
        if not value.isdigit() or int(value) < 1:
            raise CliError(f"POS User ID must be a whole number ≥ 1, not {value!r}", EXIT_USAGE)
    elif kind == "email":
        value = validation.email(value)
    else:
        value = validation.phone(value)
    with _tenant(args) as tenant:
        if kind == "phone" and _from_cache(args, tenant, err):
            digits = validation.digits_only(value)
            free = all(validation.digits_only(r.phone) != digits for r in tenant.employees())
        elif kind == "pos-id":
            # Always authoritative: one exact search, whatever the cache says.
            free = not tenant.client.search_employees(pos_user_id=int(value))
        elif kind == "email":
            free = tenant.client.is_email_available(value, refresh=args.refresh)
        else:
            free = tenant.client.is_phone_available(value, refresh=args.refresh)
    if args.json:
        _print_json(out, {"kind": kind, "value": value, "available": free})
    else:
        print(f"{kind} {value}: {'free' if free else 'taken'}", file=out)
    return EXIT_OK if free else EXIT_TAKEN


def _listing(
    args: argparse.Namespace,
    err: TextIO,
    lists: Sequence[ListName],
    read: Callable[[Tenant], Sequence[Any]],
) -> list[Any]:
    """A tenant list from the roster cache when it has it, else from the server."""
    with _tenant(args) as tenant:
        if _from_cache(args, tenant, err) and read(tenant):
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

    if args.tenant == "large":
        sim = Simulator.large(args.employees)
    else:
        sim = Simulator.flat() if args.tenant == "flat" else Simulator.demo()
    sim.faults.latency_ms = args.latency_ms
    print(f"Simulated Back Office ({args.tenant} tenant) on http://127.0.0.1:{args.port}", file=out)
    print(f"  username: {sim.username}\n  password: {sim.password}  (synthetic)", file=out)
    print("Ctrl+C to stop.", file=out, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        sim.serve_forever("127.0.0.1", args.port)
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

    if args.action == "path":
        print(cache.cache_dir(), file=out)
        return EXIT_OK
    removed = cache.clear(args.profile)
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
    args = build_parser().parse_args(argv)
    from sonnys_tui.backoffice.errors import BackofficeError
    from sonnys_tui.config import ConfigError

    try:
        if args.command is None:
            return run_app(args)
        return COMMANDS[args.command](args, out, err)
    except CliError as exc:
        print(f"sonnys-tui: {exc}", file=err)
        return exc.status
    except BackofficeError as exc:
        status = EXIT_USAGE if exc.field else EXIT_FAILED
        print(f"sonnys-tui: {exc}", file=err)
        return status
    except ConfigError as exc:
        print(f"sonnys-tui: {exc}", file=err)
        return EXIT_USAGE
    except BrokenPipeError:
        # `sonnys-tui sites | head`: the reader left; that is not an error.
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
