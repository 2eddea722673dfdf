"""Turning worker failures into words for toasts and form labels."""

from __future__ import annotations

from sonnys_tui.backoffice.errors import (
    AuthenticationError,
    BackofficeConnectionError,
    BackofficeError,
)
from sonnys_tui.display import terminal_safe


def describe_error(error: BaseException) -> str:
    """A one-paragraph explanation; never a traceback, never a secret.

    Terminal safe: an error may quote the server (an alert's text, a name it refused),
    and the text goes into toasts and labels as it is.
    """
    return terminal_safe(_describe(error))


def _describe(error: BaseException) -> str:
    if isinstance(error, AuthenticationError):
        return f"Login failed: {error.message}"
    if isinstance(error, BackofficeConnectionError):
        return f"Connection problem: {error}"
    if isinstance(error, BackofficeError):
        return str(error)
    return f"Unexpected {type(error).__name__}: {error}"


def error_title(error: BaseException) -> str:
    if isinstance(error, AuthenticationError):
        return "Not logged in"
    if isinstance(error, BackofficeConnectionError):
        return "Back Office unreachable"
    if isinstance(error, BackofficeError):
        return "Back Office said no"
    return "Something went wrong"
