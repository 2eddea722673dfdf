"""The client's exceptions, in one hierarchy::

    BackofficeError                 the base of every error the client raises
    |                               (also named SonnysBackofficeError)
    +-- ValidationError             bad input, refused before any request (also a
    |   |                           ValueError); or a form the Back Office refused
    |   +-- UnknownNameError        a site, department or template name the tenant
    |                               does not have (also a LookupError)
    +-- DuplicateError              a POS User ID, e-mail, phone or username in use
    +-- NotFoundError               no record matches the key (also a LookupError)
    +-- AmbiguousMatchError         a name matched several employees
    +-- ConflictError               the record moved since the plan: nothing written
    +-- IncompleteError             several writes stopped part way (``done``)
    +-- ReadOnlyError               a write asked in read-only mode: refused first
    +-- AuthenticationError         the login failed
    +-- BackofficeServerError       an answer we cannot use (5xx, a page not as known)
        +-- UnreadablePageError     nothing to read (an empty body, HTML that does not
        |                           parse): a write's outcome is unknown
        +-- PermissionDeniedError   403: the bot user lacks the rights
        +-- BackofficeConnectionError
            |                       a timeout or a dropped connection: a write's
            |                       outcome is unknown until it is read back
            +-- SessionLostError    a write answered with the login page

Every exception carries a human message. Where it helps, it also says which
``field`` of the caller's input is at fault, which ``step`` of a multi-step
operation failed, and what ``state`` the tenant was left in (for example
"employee 512 was created but its permissions were not saved"), so that a
caller never has to guess whether a write happened.

Messages never contain passwords or PINs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict, Unpack

if TYPE_CHECKING:
    from sonnys_tui.backoffice.models import StatusChange

# How every ``state`` begins when the operation changed nothing on the tenant.
NOTHING_WRITTEN = "nothing was written"
# What a failed write's connection error says until it is reconciled (read back).
OUTCOME_UNKNOWN = "; its outcome is unknown"


class _Step(TypedDict, total=False):
    """What every error may say of where it arose (see :class:`BackofficeError`)."""

    step: str | None
    state: str | None


class _Where(_Step, total=False):
    field: str | None


class BackofficeError(Exception):
    """Base class of every error raised by the client."""

    # True when the Back Office itself refused (its form's alert), False when the
    # client refused before sending, or something else went wrong.
    from_server = False

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        step: str | None = None,
        state: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.step = step
        self.state = state

    @property
    def wrote_nothing(self) -> bool:
        """True when ``state`` says the operation changed nothing on the tenant (a
        failure, not a partial write); False when it says or may say otherwise."""
        return bool(self.state) and (self.state or "").startswith(NOTHING_WRITTEN)

    def _said(self) -> str:
        """The message as ``str()`` says it (a subclass may adjust it to the state)."""
        return self.message

    def __str__(self) -> str:
        message = self._said()
        parts = [message]
        if self.step and self.step not in message:
            parts.insert(0, f"[{self.step}]")
        if self.state and self.state not in message:
            parts.append(f"({self.state})")
        return " ".join(parts)


# The public ``sonnys_backoffice`` package's name for the base class: scripts written for
# it catch everything we raise with ``except SonnysBackofficeError`` (see compat.py).
SonnysBackofficeError = BackofficeError


class ValidationError(BackofficeError, ValueError):
    """Input failed validation (before any request), or Back Office rejected the form."""


class UnknownNameError(ValidationError, LookupError):
    """A site, department or template name is not known on the tenant.

    It is also a :class:`LookupError`, as the seed API documents.
    """


class DuplicateError(BackofficeError):
    """A POS User ID, e-mail, phone or username is already in use on the tenant."""


class NotFoundError(BackofficeError, LookupError):
    """No record matches the lookup key."""


class AmbiguousMatchError(BackofficeError):
    """A lookup by name matched several employees and nothing narrowed it to one.

    ``candidates`` holds their POS User IDs (the message lists them too), so a caller
    can ask a person which one is meant instead of the client guessing.
    """

    def __init__(
        self,
        message: str,
        *,
        candidates: tuple[int | None, ...] = (),
        **where: Unpack[_Where],
    ) -> None:
        super().__init__(message, **where)
        self.candidates = candidates


class ConflictError(BackofficeError):
    """The record changed between a plan and its apply: nothing was written.

    ``fields`` names the fields that moved; ``moved`` holds, for each, the value the
    plan was made on and the value found now (as ``(field, planned, found)``; a PIN is
    a masked ``Secret``). Plan again on the record as it is now, review, apply.
    """

    def __init__(
        self,
        message: str,
        *,
        moved: tuple[tuple[str, object, object], ...] = (),
        **step: Unpack[_Step],
    ) -> None:
        fields = tuple(name for name, _planned, _found in moved)
        super().__init__(message, field=", ".join(fields) or None, **step)
        self.fields = fields
        self.moved = moved


class IncompleteError(BackofficeError):
    """An operation of several verified writes (offboarding, reinstating) stopped part
    way. ``done`` holds the result of every write that took effect (verified), ``state``
    says in words what is now disabled or enabled and what is not, ``step`` names the
    failed step and ``__cause__`` is that step's own error. Running the operation again
    completes only what is missing: what is done is read, found done, and not written.
    """

    def __init__(
        self,
        message: str,
        *,
        done: tuple[StatusChange, ...],
        **step: Unpack[_Step],
    ) -> None:
        super().__init__(message, **step)
        self.done = done


class ReadOnlyError(BackofficeError):
    """A write asked of a read-only client or tenant: refused before any request is
    sent, so nothing was written."""


class AuthenticationError(BackofficeError):
    """Login failed, or the session could not be re-established after one retry."""


class BackofficeServerError(BackofficeError):
    """Back Office answered with something unexpected: 5xx, unparseable HTML, a
    write that did not take effect, or markup that no longer has an expected element."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        url: str | None = None,
        **where: Unpack[_Where],
    ) -> None:
        super().__init__(message, **where)
        self.status_code = status_code
        self.url = url


class UnreadablePageError(BackofficeServerError):
    """The server's answer holds nothing to read (an empty body, HTML that does not
    parse). Answering a write, its outcome is unknown until read back."""


class PermissionDeniedError(BackofficeServerError):
    """Back Office answered 403: the bot user lacks the rights for this request."""


class BackofficeConnectionError(BackofficeServerError):
    """The request timed out or the connection dropped: the outcome of a write is
    unknown until it is reconciled by reading the server's state."""

    def _said(self) -> str:
        # Reconciled (read back) and found not written: the outcome is known now, and
        # "unknown (nothing was written)" would contradict itself.
        return self.message.replace(OUTCOME_UNKNOWN, "") if self.wrote_nothing else self.message


class SessionLostError(BackofficeConnectionError):
    """A write was answered with the login page itself: the session ended around it.
    The client has logged in again, but whether the write was processed is unknown
    until it is reconciled; only then may it be sent again."""


__all__ = [
    "NOTHING_WRITTEN",
    "OUTCOME_UNKNOWN",
    "AmbiguousMatchError",
    "AuthenticationError",
    "BackofficeConnectionError",
    "BackofficeError",
    "BackofficeServerError",
    "ConflictError",
    "DuplicateError",
    "IncompleteError",
    "NotFoundError",
    "PermissionDeniedError",
    "ReadOnlyError",
    "SessionLostError",
    "SonnysBackofficeError",
    "UnknownNameError",
    "UnreadablePageError",
    "ValidationError",
]
