"""The ``sonnys-tui`` command: the app, quick lookups, changes, offboarding, bulk runs,
the simulator, config and cache. Each group of commands is its own module that adds
its subcommands to one parser (``register``).

Imports are deferred to the command that needs them, so that ``--help`` and the
app's first frame do not pay for lxml, httpx or the simulator, and a command imports
only its own group's module (``find`` loads none of the code of ``set`` or ``bulk``).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import importlib
import os
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TextIO, cast

from sonnys_tui import __version__
from sonnys_tui.cli.common import (
    EXIT_STATUS_HELP,
    AddCommand,
    CliError,
    Command,
    ExitStatus,
    Shown,
    connection_options,
    demo_tenant,
    pick_profile,
)

if TYPE_CHECKING:
    from sonnys_tui.config import Profile

# The modules whose commands `sonnys-tui` offers, with the commands each adds, in the
# order --help lists them. A command line builds only its command's module's parsers.
# (A command missing here still runs, on the whole parser; tests/test_cli.py checks
# this table against what each module's ``register`` adds.)
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "sonnys_tui.cli.lookups": (
        "find",
        "check",
        "sites",
        "departments",
        "templates",
        "simulator",
        "config",
        "cache",
    ),
    "sonnys_tui.cli.changes": ("show", "set"),
    "sonnys_tui.cli.offboarding": ("offboard", "reinstate", "access-review"),
    "sonnys_tui.cli.bulk": ("bulk", "export"),
    "sonnys_tui.cli.doctor": ("doctor",),
}

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
  sonnys-tui find "jordan pi"          who is Jordan Pi…? (names, POS IDs, phones)
  sonnys-tui check pos-id 4411         exit 0 if POS User ID 4411 is free, 1 if taken
  sonnys-tui check email a@example.com exit 1 if taken, 4 if it cannot be told
  sonnys-tui sites --json              sites of the tenant as JSON
  sonnys-tui simulator --port 8080     serve the demo tenant for a browser or the app
  sonnys-tui config path               where profiles are kept
  sonnys-tui show 4101                 the record: wages, permissions, logins
  sonnys-tui set 4101 --wage 16.00 --effective 2026-12-15 --dry-run
                                       print the plan of a raise, write nothing
  sonnys-tui set 4101 --sites PINE,LAKE --template "Shift Leader"
                                       review old -> new, answer y to apply
  sonnys-tui offboard 4101             close every door: POS and Back Office logins
  sonnys-tui offboard "jordan pi" --yes
                                       the same without asking (scripts)
  sonnys-tui access-review || alert    exit 1 when someone has access who should not
  sonnys-tui doctor --profile eastside what will work on this tenant (reads only)

"""
    + EXIT_STATUS_HELP
)


def build_parser() -> argparse.ArgumentParser:
    """The whole parser: every command of every module."""
    return _build(COMMAND_MODULES)[0]


def _command_named(argv: Sequence[str]) -> str | None:
    """The command a command line names: its first word that is neither a top-level
    option nor the value of ``--profile`` (or of an abbreviation of it)."""
    words = iter(argv)
    for word in words:
        if word == "--":
            return next(words, None)
        if not word.startswith("-"):
            return word
        if "=" not in word and len(word) > 2 and "--profile".startswith(word):
            next(words, None)  # the profile's name
    return None


def _parser_for(argv: Sequence[str]) -> tuple[argparse.ArgumentParser, dict[str, Command]]:
    """The parser for this command line: the module of the command it names only, or
    every module when it names none we know (--help, a typo: all are listed)."""
    command = _command_named(argv)
    for module, names in COMMAND_MODULES.items():
        if command in names:
            return _build([module])
    return _build(COMMAND_MODULES)


def _build(modules: Iterable[str]) -> tuple[argparse.ArgumentParser, dict[str, Command]]:
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
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="look, never write: no write key, no write command (also SONNYS_TUI_READ_ONLY=1)",
    )
    add = AddCommand(parser.add_subparsers(dest="command", metavar="COMMAND"), connection_options())
    handlers: dict[str, Command] = {}
    for module in modules:
        handlers.update(importlib.import_module(module).register(add))
    return parser, handlers


def run_app(args: argparse.Namespace) -> int:
    with contextlib.ExitStack() as stack:
        password: str | None = None
        profile: Profile | None = None
        if args.demo:
            profile, password = stack.enter_context(demo_tenant())
        elif args.profile:
            profile = pick_profile(args.profile)
        if profile is not None and args.no_cache:
            profile = dataclasses.replace(profile, use_cache=False)
        from sonnys_tui.tui.app import make_app

        app = make_app(profile=profile, password=password, read_only=args.read_only)
        app.run(mouse=not args.no_mouse)
    return ExitStatus.OK


def main(
    argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    # Every line a command prints passes the display boundary (--json is made exact and
    # safe before it gets there, so it passes through unchanged).
    out = cast(TextIO, Shown(out or sys.stdout))
    err = cast(TextIO, Shown(err or sys.stderr))
    try:
        return _run(argv, out, err)
    except KeyboardInterrupt:
        # Ctrl+C anywhere (the password prompt, a long download): one line, no traceback.
        print("sonnys-tui: interrupted", file=err)
        return ExitStatus.INTERRUPTED


def _run(argv: Sequence[str] | None, out: TextIO, err: TextIO) -> int:
    """:func:`main` without the Ctrl+C handling: each failure mapped to its status."""
    words = sys.argv[1:] if argv is None else argv
    parser, commands = _parser_for(words)
    args = parser.parse_args(words)
    from sonnys_tui.backoffice.errors import BackofficeError, ReadOnlyError, ValidationError
    from sonnys_tui.config import ConfigError

    try:
        if args.command is None:
            return run_app(args)
        return commands[args.command](args, out, err)
    except CliError as exc:
        print(f"sonnys-tui: {exc}", file=err)
        return exc.status
    except BackofficeError as exc:
        # A value the client refused is a usage error; a write in read-only mode its
        # own status; anything else the server's.
        if isinstance(exc, ReadOnlyError):
            # Its sentences say it all: refused, and what works without writing.
            print(f"sonnys-tui: {exc.message}", file=err)
            return ExitStatus.READ_ONLY
        print(f"sonnys-tui: {exc}", file=err)
        return ExitStatus.USAGE if isinstance(exc, ValidationError) else ExitStatus.FAILED
    except ConfigError as exc:
        print(f"sonnys-tui: {exc}", file=err)
        return ExitStatus.USAGE
    except BrokenPipeError:
        # `sonnys-tui sites | head`: the reader left; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitStatus.OK
    except OSError as exc:  # the config or cache folder unwritable, say
        print(f"sonnys-tui: {exc}", file=err)
        return ExitStatus.FAILED
