"""The ``sonnys-tui`` command (see :mod:`sonnys_tui.cli.main`)."""

from sonnys_tui.cli.common import EXIT_STATUS_HELP, CliError, ExitStatus, print_table
from sonnys_tui.cli.main import build_parser, main

__all__ = [
    "EXIT_STATUS_HELP",
    "CliError",
    "ExitStatus",
    "build_parser",
    "main",
    "print_table",
]
