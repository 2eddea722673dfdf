"""What the client keeps between calls, in one object that threads may share.

Each cache holds one value that is published whole and never changed in place:
an update builds the next value and swaps it in under the lock, so whoever holds
a value may read it without locking and never sees it half-updated.

A fill (the request behind a cache) runs outside the lock, one at a time per
cache: a thread that needs a value another thread is fetching waits for that
fetch instead of sending the same request, and takes its outcome, value or
error (a refused login is then sent once, not once per thread). Fills of
different caches run side by side. An update made while a fill is in flight (a
hire, a disable) is applied again to the fill's value when it lands, so an
older download never undoes it. Updates must therefore give the same result
when applied twice.

The availability indexes (POS User IDs, phones, e-mails) are derived from these
values and rebuilt only when a value they come from is replaced.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Generic, TypeVar

from sonnys_tui.backoffice import pages, validation
from sonnys_tui.backoffice.models import (
    BackofficeUserRow,
    EmployeeRecord,
    EmployeeRow,
    Permission,
    Scope,
)

if TYPE_CHECKING:
    from sonnys_tui.backoffice.formcheck import Difference

T = TypeVar("T")


class Cached(Generic[T]):
    """One cached value, filled by one thread at a time."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock  # the Caches' lock: guards every field below
        self._filling = threading.Lock()  # held for the whole of a fill
        self._value: T | None = None
        self._fills_started = 0  # fills are numbered 1, 2, ... as they start
        self._in_flight = False
        self._value_from = 0  # the fill that produced _value
        self._failure: BaseException | None = None  # the error of fill _failed_fill
        self._failed_fill = 0
        self._changes: list[Callable[[T], T]] | None = None  # while a fill is in flight

    def peek(self) -> T | None:
        """The value if there is one; never fetches."""
        return self._value

    def get(self, load: Callable[[], T], *, refresh: bool = False) -> T:
        """The value, from ``load()`` when there is none yet or ``refresh`` is asked.

        A thread that asks while another fills waits for that fill and takes its
        value or its error; with ``refresh`` it takes only a fill that started
        after it asked."""
        value = self._value
        if value is not None and not refresh:
            return value
        with self._lock:
            # The first fill whose outcome this call accepts.
            accepted = self._fills_started + (0 if self._in_flight and not refresh else 1)
        with self._filling:
            with self._lock:
                value = self._value
                if value is not None and (not refresh or self._value_from >= accepted):
                    return value
                if self._failure is not None and self._failed_fill >= accepted:
                    raise _copy(self._failure)  # each thread raises its own copy
                self._fills_started += 1
                fill = self._fills_started
                self._in_flight = True
                self._changes = []
            try:
                value = load()
            except BaseException as exc:
                with self._lock:
                    # Copied now, before the callers' handlers add what they know.
                    self._failure, self._failed_fill = _copy(exc), fill
                    self._in_flight, self._changes = False, None
                raise
            with self._lock:  # one step: no change can slip between replay and publish
                for change in self._changes or ():
                    value = change(value)
                self._value, self._value_from = value, fill
                self._in_flight, self._changes, self._failure = False, None, None
            return value

    def change(self, update: Callable[[T], T]) -> None:
        """Replace the value by ``update(value)``, now if there is one and again on
        the value of a fill in flight when it lands."""
        with self._lock:
            if self._value is not None:
                self._value = update(self._value)
            if self._changes is not None:
                self._changes.append(update)


Roster = Mapping[int, EmployeeRow]
Users = Mapping[int, BackofficeUserRow]
Linkable = tuple[pages.LinkableEmployee, ...]


class Caches:
    """Every cache of one client: pages and lists fetched once, and what writes and
    edit pages taught the client since."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.create_page: Cached[pages.EmployeeFormPage] = Cached(self._lock)
        self.templates: dict[Scope, Cached[tuple[Permission, ...]]] = {
            "pos": Cached(self._lock),
            "backoffice": Cached(self._lock),
        }
        self.roster: Cached[Roster] = Cached(self._lock)  # by employee id
        self.bo_users: Cached[Users] = Cached(self._lock)  # by user id
        # /user/create's employee select: the active employees and their e-mails.
        self.linkable: Cached[Linkable] = Cached(self._lock)
        # employee id -> casefolded e-mail, from edit pages read and hires made; the
        # lists show no inactive employee's e-mail, so these are known only this way.
        self._read_emails: Mapping[int, str] = {}
        # Casefolded e-mails a write was refused for as already in use: the server's
        # own answer, whoever has them (an inactive employee, most likely).
        self._refused_emails: frozenset[str] = frozenset()
        # What the form pages read for other reasons (the templates, the e-mails) said
        # against what the writes know, by page: a hire checks the pages it will post to
        # after its insert before the insert (formcheck), at no request.
        self._form_differences: dict[str, tuple[Difference, ...]] = {}
        # Back Office user id -> linked employee id (None: standalone), from user edit
        # pages read and users created: the list pages show no link.
        self._links: Mapping[int, int | None] = {}
        # Employee id -> (row, hidden) of the active employees /user/create lists and
        # the roster lacks, read on their edit pages: hidden, those the list hides (no
        # available site); the others are newer than the roster.
        self._hidden: Mapping[int, tuple[EmployeeRow, bool]] = {}
        self._hidden_of: tuple[object, object] | None = None  # (roster, linkable) read on
        self._hidden_keys: tuple[frozenset[int], frozenset[str]] = (frozenset(), frozenset())
        self.hidden_lock = threading.Lock()  # one reader of their pages at a time
        self._pos_ids: tuple[Roster, frozenset[int]] | None = None
        self._phones: tuple[Roster, frozenset[str]] | None = None
        self._emails: tuple[tuple[object, ...], frozenset[str]] | None = None

    def __repr__(self) -> str:
        roster, users = self.roster.peek(), self.bo_users.peek()
        return (
            f"Caches(roster={'-' if roster is None else len(roster)}, "
            f"bo_users={'-' if users is None else len(users)}, "
            f"emails_read={len(self._read_emails)})"
        )

    # ------------------------------------------------------------ derived indexes

    def pos_user_ids(self, roster: Roster) -> frozenset[int]:
        """Every POS User ID of ``roster`` (built once per roster value)."""
        memo = self._pos_ids
        if memo is None or memo[0] is not roster:
            ids = frozenset(r.pos_user_id for r in roster.values() if r.pos_user_id is not None)
            memo = self._pos_ids = (roster, ids)
        return memo[1]

    def phones(self, roster: Roster) -> frozenset[str]:
        """Every phone of ``roster``, as :func:`validation.phone_digits` (built once
        per roster value)."""
        memo = self._phones
        if memo is None or memo[0] is not roster:
            found = frozenset(d for r in roster.values() if (d := validation.phone_digits(r.phone)))
            memo = self._phones = (roster, found)
        return memo[1]

    def taken_emails(self, linkable: Linkable, users: Users) -> frozenset[str]:
        """The casefolded e-mails of ``linkable`` employees, of ``users``, of every
        employee whose e-mail the client has read or written, and those the server
        refused as in use."""
        read = self._read_emails
        refused = self._refused_emails
        sources = (linkable, users, read, refused)
        memo = self._emails
        if memo is None or any(a is not b for a, b in zip(memo[0], sources, strict=True)):
            found = frozenset(
                [e.email.casefold() for e in linkable if e.email]
                + [u.email.casefold() for u in users.values() if u.email]
                + list(read.values())
                + list(refused)
            )
            memo = self._emails = (sources, found)
        return memo[1]

    def read_emails(self) -> Mapping[int, str]:
        """Employee id -> casefolded e-mail, as the client last read or wrote it."""
        return self._read_emails

    def refused_emails(self) -> frozenset[str]:
        """The casefolded e-mails the server refused as already in use."""
        return self._refused_emails

    def hidden_rows(self) -> Mapping[int, tuple[EmployeeRow, bool]]:
        """Employee id -> (row, hidden) of the active employees the roster lacks, as
        read (hidden: the list hides them)."""
        return self._hidden

    def hidden_read_from(self, roster: Roster, linkable: Linkable) -> bool:
        """True when the hidden employees known were found on these very lists."""
        read_from = self._hidden_of
        return read_from is not None and read_from[0] is roster and read_from[1] is linkable

    def learn_hidden(
        self, rows: Mapping[int, tuple[EmployeeRow, bool]], roster: Roster, linkable: Linkable
    ) -> None:
        """The employees the roster lacks as just found on ``roster`` and ``linkable``
        (replacing what was known). Their ids and phones are added to those known: one
        offboarded is on no list any more, yet a POS User ID stays reserved and an
        inactive employee's phone counts as the roster's do."""
        unlisted = [row for row, _ in rows.values()]
        with self._lock:
            ids, phones = self._hidden_keys
            self._hidden_keys = (
                ids | {r.pos_user_id for r in unlisted if r.pos_user_id is not None},
                phones | {d for r in unlisted if (d := validation.phone_digits(r.phone))},
            )
            self._hidden, self._hidden_of = dict(rows), (roster, linkable)

    def hidden_keys(self) -> tuple[frozenset[int], frozenset[str]]:
        """The POS User IDs and phones (as :func:`validation.phone_digits`) of every
        employee the roster lacked when read (hidden, or newer than it)."""
        return self._hidden_keys

    def user_links(self) -> Mapping[int, int | None]:
        """Back Office user id -> linked employee id (None: standalone), as read."""
        return self._links

    # ------------------------------------------------------------ what the client learns

    def learn_form(self, page: str, differences: Iterable[Difference]) -> None:
        """What the latest read of ``page``'s form found (empty: as the writes know it)."""
        with self._lock:
            self._form_differences[page] = tuple(differences)

    def form_differences(self, page: str) -> tuple[Difference, ...]:
        """The differences the latest read of ``page`` found; none when not read."""
        with self._lock:
            return self._form_differences.get(page, ())

    def learn_email(self, employee_id: int, email: str) -> None:
        """The e-mail an employee's edit page shows (active or not)."""
        wanted = email.strip().casefold()
        with self._lock:
            if self._read_emails.get(employee_id, "") == wanted:
                return  # unchanged: keep the index built on it
            emails = dict(self._read_emails)
            if wanted:
                emails[employee_id] = wanted
            else:
                emails.pop(employee_id, None)
            self._read_emails = emails

    def learn_refused_email(self, email: str) -> None:
        """The server refused a write because this e-mail is already in use."""
        wanted = email.strip().casefold()
        with self._lock:
            if wanted and wanted not in self._refused_emails:
                self._refused_emails = self._refused_emails | {wanted}

    def remember_employee(self, row: EmployeeRow, email: str) -> None:
        """A new employee, added to the roster and the active list (no re-download)."""
        new = pages.LinkableEmployee(row.employee_id, email, row.first_name, row.last_name)
        with self._lock:
            self.roster.change(lambda rows: {**rows, row.employee_id: row})
            self.linkable.change(lambda employees: (*_without(employees, row.employee_id), new))
            self.learn_email(row.employee_id, email)

    def remember_status(self, record: EmployeeRecord, changed_utc: str) -> None:
        """An employee's new status, in the roster and the active list."""

        def in_roster(rows: Roster) -> Roster:
            row = rows.get(record.employee_id)
            if row is None:
                return rows
            return {**rows, record.employee_id: row.with_status(record.active, changed_utc)}

        def in_linkable(employees: Linkable) -> Linkable:
            others = _without(employees, record.employee_id)
            if not record.active:  # /user/create lists active employees only
                return others
            return (
                *others,
                pages.LinkableEmployee(
                    record.employee_id, record.email, record.first_name, record.last_name
                ),
            )

        with self._lock:
            self.roster.change(in_roster)
            self.linkable.change(in_linkable)

    def remember_bo_user(self, row: BackofficeUserRow) -> None:
        """A new Back Office user, or a user's new row, in the cached list."""
        self.bo_users.change(lambda users: {**users, row.user_id: row})

    def learn_link(self, user_id: int, employee_id: int | None) -> None:
        """The employee a Back Office user is linked to (None: standalone), as read."""
        with self._lock:
            if user_id in self._links and self._links[user_id] == employee_id:
                return
            self._links = {**self._links, user_id: employee_id}


def _copy(error: BaseException) -> BaseException:
    try:
        return copy.copy(error)
    except Exception:  # an exception type that cannot be rebuilt from its args
        return error


def _without(employees: Iterable[pages.LinkableEmployee], employee_id: int) -> Linkable:
    return tuple(e for e in employees if e.employee_id != employee_id)
