"""What every part of the client shares: its core (the session, the caches, the
login), the checks on common arguments, and how the answer to a write is judged.

:class:`~sonnys_tui.backoffice.client.SonnysBackofficeClient` makes one
:class:`ClientCore` and one object per part (:mod:`discovery`, :mod:`users`,
:mod:`hiring`, :mod:`status`, ...), each a :class:`Part` over that core that is
handed the other parts it uses; no part inherits another's operations.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from sonnys_tui.backoffice import pages
from sonnys_tui.backoffice.caches import Caches
from sonnys_tui.backoffice.errors import (
    NOTHING_WRITTEN,
    BackofficeConnectionError,
    BackofficeError,
    BackofficeServerError,
    DuplicateError,
    NotFoundError,
    SessionLostError,
    UnreadablePageError,
    ValidationError,
)
from sonnys_tui.backoffice.forms import FormData, find_form
from sonnys_tui.backoffice.models import ActiveFilter, BackofficeUserRow, EmployeeRow
from sonnys_tui.backoffice.session import Page, Session

logger = logging.getLogger("sonnys_tui.backoffice")

Progress = Callable[[str], None]
SiteChoice = Sequence[str] | Literal["all"]
ALL_ROWS = 10000  # one list page holds the whole tenant
# The state of a write the server accepted whose read-back then failed.
SAVED_UNVERIFIED = "saved, but reading it back failed"
_DUPLICATE_WORDS = ("already in use", "already exists", "already taken", "already used")
# The words of a duplicate message that name the input it is about (whole words, so
# that the value quoted in it, an address or a username, never counts).
_FIELD_OF_WORD = {
    "email": "email",
    "mail": "email",
    "username": "username",
    "pos": "pos_user_id",
    "login": "pos_user_id",
    "phone": "phone",
}
_FIELD_WORDS = re.compile(r"(?<![\w.@-])(e-?mail|mail|username|pos|login|phone)(?![\w.@-])")


class ClientCore:
    """The state every part of one client works on: its session, its caches and the
    login it uses. :class:`SonnysBackofficeClient` makes one and hands it to each part."""

    __slots__ = ("caches", "session", "username")

    def __init__(self, session: Session, caches: Caches, username: str) -> None:
        self.session = session
        self.caches = caches
        self.username = username


_Parsed = TypeVar("_Parsed")


@dataclass(frozen=True, slots=True)
class RecordPage(Generic[_Parsed]):
    """A record's page that holds a form: ``path`` and ``missing`` (what its absence
    is called) with ``{}`` for the record's id, the form that shows the record is
    there, and how the page is read."""

    path: str
    form_id: str
    parse: Callable[[HtmlElement], _Parsed]
    missing: str


@dataclass(frozen=True, slots=True)
class Insert:
    """A form that creates a record (posted by :meth:`Part._insert_once`): the path it
    is posted to, the path a success redirects to (the new id follows it), what it
    creates, and the tenant's states, with ``{}`` for the key the record is looked up
    by: ``unknown`` while an unknown outcome is looked up, ``not_created`` when that
    found nothing, ``refused`` when the server refused it (None: the refusal's own)."""

    path: str
    created: str
    what: str
    unknown: str
    not_created: str
    refused: str | None = None


@dataclass(eq=False)
class Part:
    """One operation part of the client, over the client's one :class:`ClientCore`.
    A part's other fields are the other parts it uses (a part is a dataclass); it
    keeps no state of its own (the caches hold what is kept, under their lock)."""

    core: ClientCore
    _session: Session = field(init=False, repr=False)  # the core's, at hand
    _caches: Caches = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._session, self._caches = self.core.session, self.core.caches

    def _form_page(self, record: RecordPage[_Parsed], record_id: int, *, step: str) -> _Parsed:
        """The ``record`` page of the record ``record_id``, read. A 404, or a redirect
        to a page without its form (how the Back Office says "no such record"), is
        :class:`NotFoundError` saying what is missing and the page's own alert."""
        path, missing = record.path.format(record_id), record.missing.format(record_id)
        try:
            page = self._session.get(path, step=step)
        except BackofficeServerError as exc:
            if exc.status_code == 404:
                raise NotFoundError(missing, step=step) from None
            raise
        doc = page.doc()
        if page.redirects and find_form(doc, record.form_id) is None:
            alert = " ".join(pages.parse_alerts(doc).danger)
            raise NotFoundError(f"{missing} {alert}".strip(), step=step)
        return record.parse(doc)

    def _insert_once(
        self, insert: Insert, data: FormData, key: object, look_up: Callable[[], int | None]
    ) -> tuple[int, Page | None]:
        """POST ``insert``'s form once: the new record's id and the page the post landed
        on. An answer whose outcome is unknown is reconciled by ``look_up`` (the id of
        the record looked up by ``key``, or None): found, its id (no page); not found,
        the form is sent again only when the session was lost (then it surely did not
        happen), never blindly."""
        step = f"insert {insert.what}"
        for attempt in (1, 2):
            try:
                landing = self._session.post(insert.path, data, step=step, resend=False)
                new_id = pages.id_from_location(landing.first_redirect or "", insert.created)
                if new_id is not None:
                    return new_id, landing
                # Judged inside: an answer that cannot be read is looked up, not "refused".
                refusal = rejection(landing, step=step, what=insert.what)
            except BackofficeServerError as exc:
                if not outcome_unknown(exc):
                    raise
                with tenant_state(insert.unknown.format(key)):
                    found = look_up()
                if found is not None:
                    return found, None
                if isinstance(exc, SessionLostError) and attempt == 1:
                    continue  # reconciled: it did not happen, so sending it again is safe
                exc.state = insert.not_created.format(key)
                raise
            if insert.refused is not None:
                refusal.state = insert.refused.format(key)
            raise refusal
        raise AssertionError("unreachable: the second attempt returns or raises")


def no_progress(_step: str) -> None:
    return None


@contextmanager
def tenant_state(state: str) -> Iterator[None]:
    """Errors raised inside say what the tenant was left in, unless they already know."""
    try:
        yield
    except BackofficeError as exc:
        exc.state = exc.state or state
        raise


def outcome_unknown(exc: BackofficeServerError) -> bool:
    """A dropped connection, a 5xx answer or an answer that cannot be read (empty,
    unparseable) to a write: it may or may not have happened; read back to know."""
    return (
        isinstance(exc, BackofficeConnectionError | UnreadablePageError)
        or (exc.status_code or 0) >= 500
    )


class WriteAttempt:
    """What one write's post left unknown: ``unknown`` holds the error of an answer
    that may or may not mean it happened (see :func:`write_attempt`)."""

    __slots__ = ("unknown",)

    def __init__(self) -> None:
        self.unknown: BackofficeServerError | None = None


@contextmanager
def write_attempt(nothing: str) -> Iterator[WriteAttempt]:
    """The post of one write. A failure that means it was not written is raised with
    ``nothing`` as its state; one whose outcome is unknown (:func:`outcome_unknown`)
    is kept in the attempt's ``unknown``, not raised: the read-back decides, and it
    is never retried blindly."""
    attempt = WriteAttempt()
    try:
        yield attempt
    except BackofficeError as exc:
        if not isinstance(exc, BackofficeServerError) or not outcome_unknown(exc):
            exc.state = nothing
            raise
        attempt.unknown = exc


def answer_doc(page: Page) -> HtmlElement | None:
    """The page a write's answer shows, to read its alerts: None for a redirect not
    followed (only its Location counts). Raises :class:`UnreadablePageError` when
    there is nothing to read: the write's outcome is then unknown, never "refused"."""
    return None if page.unfollowed_redirect else page.doc()


def check_write(page: Page, *, expect_path: str, step: str, what: str) -> None:
    """A write succeeded only if it redirected to ``expect_path`` with no error alert."""
    location = urlsplit(page.first_redirect or "").path
    doc = answer_doc(page)
    if location.rstrip("/") != expect_path.rstrip("/") or (
        doc is not None and pages.parse_alerts(doc).danger
    ):
        raise rejection(page, step=step, what=what)


def rejection(page: Page, *, step: str, what: str) -> BackofficeError:
    """The error for a write the server did not accept, from its alert."""
    doc = answer_doc(page)
    message = " ".join(pages.parse_alerts(doc).danger) if doc is not None else ""
    state = f"{NOTHING_WRITTEN}: the {what} was not saved"
    if not message:
        return BackofficeServerError(
            f"{step}: unexpected answer (landed on {page.url} with no message)",
            url=page.url,
            step=step,
            state=state,
        )
    lowered = message.casefold()
    error: BackofficeError
    if any(word in lowered for word in _DUPLICATE_WORDS):
        error = DuplicateError(message, field=_duplicate_field(lowered), step=step, state=state)
    else:
        error = ValidationError(message, step=step, state=state)
    error.from_server = True  # its own alert: "Back Office said no" is true of this one
    return error


def _duplicate_field(message: str) -> str | None:
    """Which input a duplicate message is about: the first field word it names ("The
    email … is already in use" is about the e-mail, even when the address itself reads
    "pos.desk@…"; "The username jmail …" is about the username)."""
    found = _FIELD_WORDS.search(message)
    return None if found is None else _FIELD_OF_WORD[found.group(1).replace("-", "")]


def check_employee_id(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("employee_id must be a positive whole number", field="employee_id")


def check_active(value: object) -> None:
    if value not in ("active", "inactive", "all"):
        raise ValidationError("active/status must be 'active', 'inactive' or 'all'", field="active")


_Row = TypeVar("_Row", EmployeeRow, BackofficeUserRow)


def filter_active(rows: Iterable[_Row], active: ActiveFilter) -> list[_Row]:
    if active == "all":
        return list(rows)
    wanted = active == "active"
    return [row for row in rows if row.active == wanted]
