"""The ``sonnys-tui`` command (see :mod:`sonnys_tui.cli.main`)."""

from sonnys_tui.cli.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_NO,
    EXIT_NOT_FOUND,
    EXIT_OK,
    EXIT_STATUS_HELP,
    EXIT_TAKEN,
    EXIT_UNKNOWN,
    EXIT_USAGE,
    CliError,
    print_table,
)
from sonnys_tui.cli.main import build_parser, main

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_NO",
    "EXIT_NOT_FOUND",
    "EXIT_OK",
    "EXIT_STATUS_HELP",
    "EXIT_TAKEN",
    "EXIT_UNKNOWN",
    "EXIT_USAGE",
    "CliError",
    "build_parser",
    "main",
    "print_table",
]
