"""Offboarding: close every door of an employee in one verified step, reinstate them,
and review who still has Back Office access who should not.

An offboarding disables every Back Office user linked to the employee and then the
employee itself (its POS login), each by a verified full-form round trip
(:mod:`accounts`, :mod:`status`). The logins go first: disabling a login is accepted
whatever its employee's status, while the server may refuse to save a user whose
employee is already inactive (it refuses to *re-enable* one), and a stop between the
steps then leaves a disabled login of an active employee, never an active login of
an inactive employee (what the access review flags). Reinstating is the mirror:
the employee first (the server requires it before a linked login is re-enabled),
then, when asked, its logins.

A failure part way raises :class:`~sonnys_tui.backoffice.errors.IncompleteError` whose
``state`` says exactly what is now disabled and what is not and whose ``done`` holds
the verified results; running the operation again writes only what is missing (each
part is read first and left alone when it is already so).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from sonnys_tui.backoffice import pages, review, validation
from sonnys_tui.backoffice.accounts import BackofficeAccounts, Person, _who
from sonnys_tui.backoffice.core import Part, Progress, no_progress, tenant_state
from sonnys_tui.backoffice.discovery import Discovery
from sonnys_tui.backoffice.errors import (
    NOTHING_WRITTEN,
    BackofficeError,
    IncompleteError,
    NotFoundError,
    ValidationError,
)
from sonnys_tui.backoffice.models import (
    BackofficeAccess,
    BackofficeUserDisabled,
    BackofficeUserEnabled,
    EmployeeDisabled,
    EmployeeEnabled,
    EmployeeRecord,
    Offboarded,
    Reinstated,
    StatusChange,
)
from sonnys_tui.backoffice.status import StatusChanges, status_facts
from sonnys_tui.backoffice.user_pages import UserEditPage


def _employee(record: EmployeeRecord) -> str:
    pos = f", POS User ID {record.pos_user_id}" if record.pos_user_id is not None else ""
    return f"employee {record.employee_id} ({record.full_name}{pos})"


def _person(record: EmployeeRecord) -> Person:
    return Person(record.employee_id, record.first_name, record.last_name, record.email)


@dataclass(eq=False)
class Offboarding(Part):
    """Offboarding, reinstating and the access review of :class:`SonnysBackofficeClient`."""

    reads: Discovery
    accounts: BackofficeAccounts
    status: StatusChanges

    # ------------------------------------------------------------ offboard

    def offboard_employee(
        self,
        *,
        pos_user_id: int | None = None,
        employee_id: int | None = None,
        backoffice: bool = True,
        progress: Progress | None = None,
    ) -> Offboarded:
        """Disable an employee and every Back Office user linked to it, each verified.

        Give exactly one of ``pos_user_id`` and ``employee_id``. ``backoffice=False``
        disables only the employee (as :meth:`disable_employee`). What is already
        inactive is read and not written (its result says ``already``): a second run
        writes nothing, and a run after a failure completes only what is missing.

        Requests: the employee's edit page, one search of the user list by the
        employee's name (it finds a login made since the list was cached), then for
        each linked login its edit page, the update and the read-back, and for the
        employee the update and the read-back: 1 + 1 + 3 per login + 2 (7 with one
        login; a login or employee already inactive costs only its read). A same-named
        user linked to someone else costs one read the first time.

        Raises :class:`ValidationError` / :class:`NotFoundError` before any write (bad
        key, no such employee, one of the logins is the client's own), the failed
        step's own error when nothing was written (``wrote_nothing``), and
        :class:`IncompleteError` when some part was disabled and another was not.
        """
        report = progress or no_progress
        validation.exactly_one(pos_user_id=pos_user_id, employee_id=employee_id)
        report("Reading the employee")
        with _nothing_yet("offboarded", pos_user_id, employee_id):
            _key, edit = self.status._status_page(False, pos_user_id, None, employee_id)
        record = edit.record
        logins: list[UserEditPage] = []
        if backoffice:
            report("Finding the employee's Back Office users")
            with tenant_state(f"{NOTHING_WRITTEN}: {_employee(record)} was not offboarded"):
                logins = self.accounts._linked_edit_pages(
                    _person(record), step="find Back Office users"
                )
                for login in logins:
                    if login.active:
                        self.accounts._refuse_own_login(_who(login), login.username)
        parts = [*(_who(login) for login in logins), _employee(record)]
        run = _PartWay("offboarding", "offboard_employee", False, parts, logins, record, report)
        with run.stopping_part_way():
            users = self._write_logins(run, self.accounts._disabled)
            run.start(_employee(record))
            after_record, already = self.status._write_status(edit, False)
        employee = EmployeeDisabled(*status_facts(after_record), already)
        return Offboarded(employee, tuple(users), backoffice_checked=backoffice)

    # ------------------------------------------------------------ reinstate

    def reinstate_employee(
        self,
        *,
        pos_user_id: int | None = None,
        employee_id: int | None = None,
        backoffice: bool | Collection[int] = False,
        progress: Progress | None = None,
    ) -> Reinstated:
        """Re-enable an employee and, when asked, its Back Office users (the mirror of
        :meth:`offboard_employee`).

        ``backoffice``: False (default) leaves every login as it is; re-granting Back
        Office access is a choice of its own. True re-enables every user linked to the
        employee; a collection of user ids re-enables just those (each must be linked to
        it). The employee is enabled first: the server refuses to re-enable a login
        whose employee is inactive. Requests: the employee's edit page, update and
        read-back; with logins, the search of the user list, then per login its edit
        page, update and read-back. What is already active is not written.
        """
        report = progress or no_progress
        validation.exactly_one(pos_user_id=pos_user_id, employee_id=employee_id)
        wanted: frozenset[int] | None = None
        if not isinstance(backoffice, bool):
            wanted = _user_ids(backoffice)
        report("Reading the employee")
        with _nothing_yet("reinstated", pos_user_id, employee_id):
            _key, edit = self.status._status_page(True, pos_user_id, None, employee_id)
        record = edit.record
        logins: list[UserEditPage] = []
        if backoffice is not False:
            report("Finding the employee's Back Office users")
            with tenant_state(f"{NOTHING_WRITTEN}: {_employee(record)} was not reinstated"):
                logins = self.accounts._linked_edit_pages(
                    _person(record), step="find Back Office users"
                )
                if wanted is not None:
                    unknown = sorted(wanted - {login.user_id for login in logins})
                    if unknown:
                        raise ValidationError(
                            f"Back Office user(s) {', '.join(map(str, unknown))} are not linked "
                            f"to {_employee(record)}",
                            field="backoffice",
                        )
                    logins = [login for login in logins if login.user_id in wanted]
        parts = [_employee(record), *(_who(login) for login in logins)]
        run = _PartWay("reinstatement", "reinstate_employee", True, parts, logins, record, report)
        with run.stopping_part_way():
            run.start(_employee(record))
            after_record, already = self.status._write_status(edit, True)
            employee = EmployeeEnabled(*status_facts(after_record), already)
            run.finished(employee, already)
            users = self._write_logins(run, self.accounts._enabled)
        return Reinstated(employee, tuple(users))

    def _write_logins(
        self, run: _PartWay, result: Callable[[UserEditPage, bool], _Result]
    ) -> list[_Result]:
        """Write each of the run's logins to the run's status, in order, each verified."""
        users: list[_Result] = []
        for login in run.logins:
            run.start(_who(login))
            after, already = self.accounts._write_user_status(login, active=run.active)
            users.append(result(after, already))
            run.finished(users[-1], already)
        return users

    # ------------------------------------------------------------ access review

    def review_access(
        self,
        *,
        permission_pages: int = 0,
        confirm_links: int = 0,
        refresh: bool = False,
        progress: Progress | None = None,
    ) -> review.AccessReview:
        """Who has Back Office access who should not (:func:`review.review_access`).

        From the lists alone (no request per user): the roster, the user list and the
        ``/user/create`` list of active employees' e-mails, each cached (``refresh``
        re-reads them): 1 streamed request for the roster, one per 25 users for the user
        list, 1 for ``/user/create``; nothing once they are cached. Rules 1-2 (active
        users of inactive employees, active users of no employee) answer from these,
        each finding saying its evidence.

        Two optional, bounded steps read per-user pages: ``confirm_links`` edit pages
        of the users whose link is only inferred (riskiest first: those flagged, then
        ambiguous ones), and ``permission_pages`` permissions pages of active users
        (linked ones first) for rules 3-4 (the Administrator template, sites beyond the
        employee's). Each costs one request per page. What was not read is listed in
        the review (:attr:`~review.AccessReview.unconfirmed`,
        :attr:`~review.AccessReview.permissions_unread`): a second call goes on where
        this one stopped for links (the client keeps the links it has read), and reads
        permissions afresh. The active employees the list hides (no available site,
        yet a working POS login) are found too (:attr:`~review.AccessReview.hidden`): one
        edit page each, the first time.
        """
        for value, name in (
            (permission_pages, "permission_pages"),
            (confirm_links, "confirm_links"),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValidationError(f"{name} must be a whole number >= 0", field=name)
        report = progress or no_progress
        step = "access review"
        report("Reading the roster and the Back Office users")
        employees = self.reads.list_employees(refresh=refresh)
        users = self.reads.list_backoffice_users(refresh=refresh)
        linkable = self.reads._linkable_employees(refresh=refresh)
        emails = {e.employee_id: e.email for e in linkable if e.email}
        emails.update(self._caches.read_emails())
        sites = self.reads.list_sites() if permission_pages else []
        permissions: dict[int, BackofficeAccess] = {}
        report("Reading the employees the list hides (no site)")
        hidden = self.reads.hidden_employees()  # the lists read just above, their edit pages

        def run() -> review.AccessReview:
            return review.review_access(
                employees, users, employee_emails=emails, links=self._caches.user_links(),
                permissions=permissions, sites=sites, exempt_usernames=(self.core.username,),
                hidden=hidden,
            )  # fmt: skip

        result = run()
        for user_id in result.unconfirmed[:confirm_links]:
            report(f"Reading the link of Back Office user {user_id}")
            try:
                self.accounts._user_edit_page(user_id, step=step)  # the link is learnt there
            except NotFoundError:
                continue
        if confirm_links:
            result = run()
        for user_id in result.permissions_unread[:permission_pages]:
            report(f"Reading the permissions of Back Office user {user_id}")
            page = self._session.get(f"/user/permissions/{user_id}", step=step)
            permissions[user_id] = self.accounts._access_of(
                pages.parse_user_permissions(page.doc())
            )
        return run() if permission_pages else result


@contextmanager
def _nothing_yet(done: str, pos_user_id: int | None, employee_id: int | None) -> Iterator[None]:
    """A failure reading the employee: nothing was written, said for the whole operation."""
    try:
        yield
    except BackofficeError as exc:
        if exc.wrote_nothing or not exc.state:
            key = (
                f"employee_id={employee_id}"
                if employee_id is not None
                else (f"pos_user_id={pos_user_id}")
            )
            exc.state = (
                f"{NOTHING_WRITTEN}: the employee ({key}) and its Back Office users were not {done}"
            )
        raise


def _user_ids(value: object) -> frozenset[int]:
    if isinstance(value, str) or not isinstance(value, Collection):
        raise ValidationError(
            "backoffice must be True, False or a collection of user ids", field="backoffice"
        )
    for item in value:
        if isinstance(item, bool) or not isinstance(item, int) or item < 1:
            raise ValidationError(
                "backoffice user ids must be positive whole numbers", field="backoffice"
            )
    return frozenset(value)


_Result = TypeVar("_Result", BackofficeUserDisabled, BackofficeUserEnabled)


@dataclass
class _PartWay:
    """One offboarding or reinstatement, part by part (``parts`` in the run's order):
    the part it is at and the verified results so far, for a stop part way."""

    operation: str
    how: str  # the client call that finishes the job when run again
    active: bool  # what the run makes each part
    parts: Sequence[str]
    logins: Sequence[UserEditPage]
    record: EmployeeRecord
    report: Progress
    current: str = ""
    done: dict[str, StatusChange] = field(default_factory=dict)  # part -> its result

    def __post_init__(self) -> None:
        self.current = self.parts[0]

    def start(self, part: str) -> None:
        self.current = part
        self.report(f"{'Enabling' if self.active else 'Disabling'} {part}")

    def finished(self, result: StatusChange, already: bool) -> None:
        if not already:  # a part already so was not written: not "done" by this run
            self.done[self.current] = result

    @contextmanager
    def stopping_part_way(self) -> Iterator[None]:
        """A failure in the block becomes the error of a stop part way (:func:`_stopped`)."""
        try:
            yield
        except BackofficeError as exc:
            error = _stopped(
                exc, self.operation, self.current, self.done, self.parts, self.logins,
                self.record, active=self.active, how=self.how,
            )  # fmt: skip
            if error is exc:
                raise
            raise error from exc


def _stopped(
    exc: BackofficeError,
    operation: str,
    failed: str,
    done: Mapping[str, StatusChange],
    parts: Sequence[str],
    logins: Sequence[UserEditPage],
    record: EmployeeRecord,
    *,
    active: bool,
    how: str,
) -> BackofficeError:
    """The error of a stop part way, saying what each part is now, in the run's order
    (``active``: what the run makes each part; a part read as so before the run, the
    employee's ``record`` or one of its ``logins``, needed no write).

    Nothing written at all: the failed step's own error, its state naming every part.
    Otherwise an :class:`IncompleteError` carrying the verified results."""
    verb = "enable" if active else "disable"
    already = {_who(login) for login in logins if login.active == active}
    if record.active == active:
        already.add(_employee(record))
    index = parts.index(failed) if failed in parts else 0
    words: list[str] = []
    for position, part in enumerate(parts):
        if part in done:
            words.append(f"{part} is {verb}d")
        elif position < index or part in already:
            words.append(f"{part} was already {verb}d")
        elif part == failed and exc.state and not exc.wrote_nothing:
            words.append(f"{part}: {exc.state}")  # e.g. "whether … was disabled is unknown"
        else:
            words.append(f"{part} is not {verb}d")
    summary = "; ".join(words)
    if not done and exc.wrote_nothing:
        exc.state = f"{NOTHING_WRITTEN}: {summary}"
        return exc
    return IncompleteError(
        f"{operation} stopped at {failed}: {exc.message}",
        done=tuple(done.values()),
        step=exc.step,
        state=f"{summary}: run {how} again to finish (it writes only what is missing)",
    )
