"""Turning worker failures into words for toasts and form labels."""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import UnionType

from sonnys_tui.backoffice.errors import (
    NOTHING_WRITTEN,
    AuthenticationError,
    BackofficeConnectionError,
    BackofficeError,
    BackofficeServerError,
    ConflictError,
    DuplicateError,
    IncompleteError,
    NotFoundError,
    ReadOnlyError,
    ValidationError,
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
    if isinstance(error, ReadOnlyError):
        return error.message  # its sentences say it all: refused, nothing sent
    if isinstance(error, BackofficeError):
        return str(error)
    return f"Unexpected {type(error).__name__}: {error}"


def _without_state(error: BackofficeError, said: str) -> tuple[str, str]:
    """``said`` (the error in words) without its "nothing was written" state, and what
    that state says after those words ("no wage was added to employee 402")."""
    state = error.state or ""
    detail = state.removeprefix(NOTHING_WRITTEN).lstrip(":,; ")
    return said.replace(f" ({state})", ""), detail


def describe_step_failure(error: BaseException) -> str:
    """Why one step of several failed, for a report that lists what the others did:
    the step's "nothing was written" is said as that step's, never as the whole run's."""
    if isinstance(error, BackofficeError) and error.wrote_nothing:
        said, detail = _without_state(error, str(error))
        return terminal_safe(f"{said} (this step changed nothing{': ' + detail if detail else ''})")
    return describe_error(error)


def describe_unwritten(error: BaseException) -> str:
    """:func:`describe_error` for a place that says "nothing was written" on its own
    (a dialog's outcome line): the error's own "nothing was written" left out, what it
    adds kept, so the screen says it once."""
    if isinstance(error, BackofficeError) and error.wrote_nothing:
        said, detail = _without_state(error, _describe(error))
        return terminal_safe(f"{said} ({detail})" if detail else said)
    return describe_error(error)


# A toast's title by the error's kind, first match wins: the Back Office's own
# refusal ("said no") is told before the kinds after it in the table.
_TITLES_BEFORE_SERVER: tuple[tuple[type[BaseException] | UnionType, str], ...] = (
    (ReadOnlyError, "Read-only: not sent"),
    (AuthenticationError, "Not logged in"),
    (BackofficeConnectionError, "Back Office unreachable"),
    (ConflictError, "Changed meanwhile: not sent"),
)
_TITLES_AFTER_SERVER: tuple[tuple[type[BaseException] | UnionType, str], ...] = (
    (BackofficeServerError, "Back Office error"),
    (IncompleteError, "Stopped part way"),
    (NotFoundError, "Not found"),
    # this tool's own check: nothing was sent
    (ValidationError | DuplicateError, "Refused before sending"),
    (BackofficeError, "Not done"),
)


def error_title(error: BaseException) -> str:
    """A toast's title: who said no. "Back Office said no" only for the Back Office's
    own refusal, never for one this tool made before sending anything."""
    for kind, title in _TITLES_BEFORE_SERVER:
        if isinstance(error, kind):
            return title
    if isinstance(error, BackofficeError) and error.from_server:
        return "Back Office said no"
    for kind, title in _TITLES_AFTER_SERVER:
        if isinstance(error, kind):
            return title
    return "Something went wrong"


def in_words(text: str, labels: Mapping[str, str]) -> str:
    """A client message with the parameter names it quotes (``pos_user_id``, "first
    name") as the form's labels ("POS User ID"): the words the user sees on screen.

    A one-word name ("email", "phone") is replaced only where it starts the message (its
    subject): elsewhere it is as likely an ordinary word.
    """
    spelled: dict[str, str] = {}
    starts: dict[str, str] = {}
    for name, label in labels.items():
        if "_" in name:
            spelled[name] = spelled[name.replace("_", " ")] = label
        else:
            starts[name] = label
    if spelled:
        words = "|".join(re.escape(w) for w in sorted(spelled, key=len, reverse=True))
        text = re.sub(rf"\b(?:{words})\b", lambda m: spelled[m.group(0)], text)
    first, _, rest = text.partition(" ")
    if first in starts:
        text = f"{starts[first]} {rest}" if rest else starts[first]
    return text
