"""The ``sonnys-tui`` command: the app, quick lookups, the simulator, config and cache.

Imports are deferred to the command that needs them, so that ``--help`` and the
app's first frame do not pay for lxml, httpx or the simulator.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, TextIO

from sonnys_tui import __version__

if TYPE_CHECKING:
    from sonnys_tui.backoffice.client import SonnysBackofficeClient
    from sonnys_tui.backoffice.models import Permission
    from sonnys_tui.cache import RosterSnapshot
    from sonnys_tui.config import Profile

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

    return getpass.getpass(f"Password for {profile.username}@{profile.subdomain}: ")


@contextlib.contextmanager
def _connected(args: argparse.Namespace) -> Iterator[tuple[Profile, SonnysBackofficeClient]]:
    with contextlib.ExitStack() as stack:
        if args.demo:
            profile, password = stack.enter_context(_demo_tenant())
        else:
            profile = _pick_profile(args.profile)
            password = _password_for(profile, sys.stdin)
        from sonnys_tui.config import open_client

        client = stack.enter_context(open_client(profile, password))
        yield profile, client


def _use_cache(args: argparse.Namespace, profile: Profile) -> bool:
    return profile.use_cache and not args.no_cache


def _cached(args: argparse.Namespace, profile: Profile) -> RosterSnapshot | None:
    if args.refresh or not _use_cache(args, profile):
        return None
    from sonnys_tui import cache

    return cache.load(profile.name)


def _cached_first(args: argparse.Namespace, err: TextIO) -> RosterSnapshot | None:
    """The profile's roster cache, looked up before connecting: a cached answer
    needs neither a password nor the network. None for --demo (no cache)."""
    if args.demo:
        return None
    snapshot = _cached(args, _pick_profile(args.profile))
    if snapshot is not None:
        _say_source(snapshot, err)
    return snapshot


def _refresh_cache(
    args: argparse.Namespace, profile: Profile, client: SonnysBackofficeClient
) -> RosterSnapshot:
    """Download the roster and lists, and save them when the cache is on."""
    from datetime import UTC, datetime

    from sonnys_tui import cache

    snapshot = cache.RosterSnapshot(
        saved_at=datetime.now(UTC),
        employees=tuple(client.list_employees(refresh=True)),
        sites=tuple(client.list_sites(refresh=True)),
        departments=tuple(client.list_departments(refresh=True)),
    )
    if _use_cache(args, profile):
        cache.save(profile.name, snapshot)
    return snapshot


def _say_source(snapshot: RosterSnapshot | None, err: TextIO) -> None:
    from sonnys_tui.cache import describe_age

    if snapshot is not None:
        age = describe_age(snapshot.age_seconds())
        print(f"(from the roster cache, {age}; --refresh asks the server)", file=err)


# --------------------------------------------------------------------------- output


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())  # no control characters or newlines from server text
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
    json.dump(_jsonable(value), out, indent=2, ensure_ascii=False, default=str)
    print(file=out)


# --------------------------------------------------------------------------- commands


def cmd_find(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from sonnys_tui.lookup import format_sites, parse_query, search_rows, search_server

    query = parse_query(args.text)
    if query.is_empty:
        raise CliError("nothing to find: give a name, a POS User ID or a phone", EXIT_USAGE)
    snapshot = _cached_first(args, err)
    if snapshot is not None:
        rows = search_rows(snapshot.employees, query)
    else:
        with _connected(args) as (profile, client):
            if args.refresh:
                rows = search_rows(_refresh_cache(args, profile, client).employees, query)
            else:
                if query.is_number:
                    print("(no roster cache: searched POS User IDs on the server only)", file=err)
                rows = search_server(client, query)
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
    snapshot = _cached_first(args, err) if kind == "phone" else None
    if snapshot is not None:
        digits = validation.digits_only(value)
        free = all(validation.digits_only(r.phone) != digits for r in snapshot.employees)
    else:
        with _connected(args) as (_profile, client):
            if kind == "pos-id":
                # Always authoritative: one exact search, whatever the cache says.
                free = not client.search_employees(pos_user_id=int(value))
            elif kind == "email":
                free = client.is_email_available(value, refresh=args.refresh)
            else:
                free = client.is_phone_available(value, refresh=args.refresh)
    if args.json:
        _print_json(out, {"kind": kind, "value": value, "available": free})
    else:
        print(f"{kind} {value}: {'free' if free else 'taken'}", file=out)
    return EXIT_OK if free else EXIT_TAKEN


def _listing(
    args: argparse.Namespace,
    err: TextIO,
    cached: Callable[[RosterSnapshot], Sequence[Any]],
    fetch: Callable[[SonnysBackofficeClient], Sequence[Any]],
) -> list[Any]:
    """A tenant list from the roster cache when it has one, else from the server."""
    snapshot = _cached_first(args, err)
    if snapshot is not None and cached(snapshot):
        return list(cached(snapshot))
    with _connected(args) as (_profile, client):
        return list(fetch(client))


def cmd_sites(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    sites = _listing(
        args, err, lambda cached: cached.sites, lambda c: c.list_sites(refresh=args.refresh)
    )
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
    departments = _listing(
        args,
        err,
        lambda cached: cached.departments,
        lambda c: c.list_departments(refresh=args.refresh),
    )
    if args.json:
        _print_json(out, departments)
        return EXIT_OK
    print_table(out, ("ID", "Department"), [(str(d.id), d.name) for d in departments], (6, 60))
    return EXIT_OK


def cmd_templates(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    with _connected(args) as (_profile, client):
        templates = client.list_permissions(scope=args.scope, refresh=args.refresh)
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
            from dataclasses import replace

            profile = replace(profile, use_cache=False)
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
    out = out or sys.stdout
    err = err or sys.stderr
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
