"""``Tenant``: the one owner of what sonnys-tui knows about a tenant.

It holds the client, the roster and the other lists (sites, departments, templates,
Back Office users, e-mails in use, and the e-mails and ADP ids read from employees'
records: :meth:`Tenant.read_records`), loads them from the disk cache, refreshes them
from the server, and performs every write: the write is audited, its typed result is
landed here once (memory and disk together), then the listeners are told what
changed. The app's panes and the shell commands read from it; neither keeps a copy
of its own nor writes the cache.

Its parts live beside it: the reads and plans that pass through to the server
(:mod:`~sonnys_tui.tenant.reads`), the writes (:mod:`~sonnys_tui.tenant.writes`), the
table of operations saying how each write's result is audited and lands
(:mod:`~sonnys_tui.tenant.operations`), and the records' facts
(:mod:`~sonnys_tui.tenant.records`). A new write goes in as one method in ``writes``
that hands the client call to ``_write``, plus one row in :data:`OPERATIONS` for its
result type: the write's name in the audit trail and in what listeners are told, and
how its result lands in the lists.

Thread-safe: the app refreshes and writes from worker threads while the UI thread
reads. State changes under one lock; listeners are called outside it.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal, TypeVar
from urllib.parse import urlsplit

from sonnys_tui import audit, cache
from sonnys_tui.backoffice.errors import (
    NOTHING_WRITTEN,
    IncompleteError,
    NotFoundError,
    ReadOnlyError,
)
from sonnys_tui.backoffice.models import (
    BackofficeUserRow,
    Department,
    EmployeeRow,
    EmployeeUpdated,
    Permission,
    Scope,
    Site,
)
from sonnys_tui.config import READ_ONLY_ENV, read_only_from_env
from sonnys_tui.lookup import Indexed
from sonnys_tui.tenant.events import (
    LAZY_LISTS,
    LISTS,
    BackofficeUserChanged,
    EmployeeChanged,
    Listener,
    ListName,
    ListsReplaced,
    RefreshFailed,
    RefreshStarted,
    Source,
    TenantChange,
)
from sonnys_tui.tenant.operations import OPERATIONS, Operation
from sonnys_tui.tenant.reads import ServerReads
from sonnys_tui.tenant.records import RECORD_READERS, EmployeeRecords
from sonnys_tui.tenant.writes import Writes

if TYPE_CHECKING:
    from sonnys_tui.backoffice.client import SonnysBackofficeClient
    from sonnys_tui.config import Profile

__all__ = ["OPERATIONS", "Operation", "Tenant"]

logger = logging.getLogger("sonnys_tui.tenant")

W = TypeVar("W")
_SCOPE_LIST: dict[Scope, ListName] = {"pos": "pos_templates", "backoffice": "backoffice_templates"}


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Tenant(ServerReads, Writes):
    """One profile's tenant: its client, its lists and every write made to it.

    ``client`` is an open client (the app's Connect screen logged in already), or
    ``connect`` makes one the first time the server is needed (a shell command that
    can answer from the cache never asks for a password). ``clock`` stamps the
    cache and status changes (tests fix it).

    Read-only (``read_only=True`` — the shell's and the app's ``--read-only`` — the
    profile's ``read_only = true``, or ``SONNYS_TUI_READ_ONLY=1``): every write is
    refused here, with :class:`ReadOnlyError`, before any request; the client is made
    read-only too, so that a write that does not come through here is refused by it.
    """

    def __init__(
        self,
        profile: Profile,
        *,
        client: SonnysBackofficeClient | None = None,
        connect: Callable[[], SonnysBackofficeClient] | None = None,
        clock: Callable[[], datetime] | None = None,
        read_only: bool = False,
    ) -> None:
        if (client is None) == (connect is None):
            raise ValueError("give exactly one of client and connect")
        self.profile = profile
        self.read_only_reason = _read_only_reason(profile, asked=read_only)
        if client is not None and self.read_only:
            client.refuse_writes()
        self._client = client
        self._connect = connect
        self._clock = clock or _utcnow
        self._lock = threading.RLock()
        self._save_lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._entries: dict[int, Indexed] = {}
        self._sites: tuple[Site, ...] = ()
        self._departments: tuple[Department, ...] = ()
        self._templates: dict[Scope, tuple[Permission, ...]] = {"pos": (), "backoffice": ()}
        self._users: dict[int, BackofficeUserRow] = {}
        self._emails: frozenset[str] = frozenset()
        self._hidden: tuple[EmployeeRow, ...] = ()  # read by read_hidden
        self._as_of: dict[ListName, datetime] = {}  # when each known list was last true
        self._source: dict[ListName, Source] = {}
        self._refreshing: Counter[ListName] = Counter()
        # Employees written since a roster download started are laid over its rows.
        self._write_seq = 0
        self._written: dict[int, tuple[int, EmployeeRow]] = {}
        # E-mails and ADP ids read from employees' records.
        self._records = EmployeeRecords(profile, lock=self._lock, save_lock=self._save_lock)

    # ------------------------------------------------------------ connection

    @property
    def client(self) -> SonnysBackofficeClient:
        """The client, connected on first use when the tenant was given ``connect``.

        For the tenant layer itself: screens, shell commands and bulk read, plan and
        write through the tenant's own methods (tests/test_layering.py holds it)."""
        with self._lock:
            if self._client is None:
                assert self._connect is not None
                client = self._connect()
                if self.read_only:
                    client.refuse_writes()
                self._client = client
            return self._client

    @property
    def read_only(self) -> bool:
        """True when every write is refused (``read_only_reason`` says who asked)."""
        return self.read_only_reason is not None

    def ensure_writable(self, operation: str, *, instead: str = "") -> None:
        """Refuse ``operation`` (a write, named as the user asked for it: "`set`",
        '"hire"') with ReadOnlyError when the tenant is read-only: the one check every
        write passes, before any request. ``instead``: a sentence saying what still
        works without writing ("`set --dry-run` prints the plan without writing.")."""
        if self.read_only_reason is not None:
            said = (
                f"Read-only ({self.read_only_reason}): {operation} would write to the Back"
                f" Office, so it is refused. {instead}"
            )
            raise ReadOnlyError(said.strip(), state=f"{NOTHING_WRITTEN}, no request was sent")

    @property
    def name(self) -> str:
        """The tenant as the audit trail names it: the subdomain, else the server's host."""
        profile = self.profile
        return profile.subdomain or urlsplit(profile.base_url or "").hostname or "?"

    @property
    def use_cache(self) -> bool:
        return self.profile.use_cache

    def close(self) -> None:
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    def __enter__(self) -> Tenant:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ listeners

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with every change from now on; returns the unsubscribe."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def _emit(self, changes: Iterable[TenantChange]) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for change in changes:
            for listener in listeners:
                listener(change)

    # ------------------------------------------------------------ reads

    def entries(self) -> list[Indexed]:
        """Every employee with its search text prepared (a new list: the caller's own)."""
        with self._lock:
            return list(self._entries.values())

    def employees(self) -> list[EmployeeRow]:
        with self._lock:
            return [entry.row for entry in self._entries.values()]

    def employee(self, employee_id: int) -> EmployeeRow | None:
        with self._lock:
            entry = self._entries.get(employee_id)
        return entry.row if entry is not None else None

    @property
    def sites(self) -> tuple[Site, ...]:
        return self._sites

    @property
    def departments(self) -> tuple[Department, ...]:
        return self._departments

    def templates(self, scope: Scope) -> tuple[Permission, ...]:
        return self._templates[scope]

    def active_counts(self, by: Literal["site", "department"]) -> Counter[str]:
        """How many active employees each site (by short code) or department has."""
        counts: Counter[str] = Counter()
        with self._lock:
            for entry in self._entries.values():
                if entry.row.active:
                    counts.update(entry.row.site_codes if by == "site" else entry.row.departments)
        return counts

    def backoffice_users(self) -> list[BackofficeUserRow]:
        with self._lock:
            return list(self._users.values())

    @property
    def emails(self) -> frozenset[str]:
        """Casefolded e-mails known to be in use."""
        return self._emails

    def knows(self, *lists: ListName) -> bool:
        """True when every list named is known (from the cache or the server)."""
        with self._lock:
            return all(name in self._as_of for name in lists)

    def source(self, name: ListName) -> Source | None:
        """Where the list shown now came from (None: not known yet)."""
        return self._source.get(name)

    def as_of(self, name: ListName) -> datetime | None:
        return self._as_of.get(name)

    def snapshot(self) -> cache.RosterSnapshot:
        """Everything known, as the cache stores it; ``saved_at`` is the oldest list's time."""
        with self._lock:
            users = self._users.values()
            return cache.RosterSnapshot(
                saved_at=min(self._as_of.values(), default=self._clock()),
                employees=tuple(entry.row for entry in self._entries.values()),
                sites=self._sites,
                departments=self._departments,
                templates=(*self._templates["pos"], *self._templates["backoffice"]),
                backoffice_users=tuple(users),
                # Whatever is known: the fetched list (when asked for), plus every user's.
                emails=self._emails | {u.email.casefold() for u in users if u.email},
            )

    # ------------------------------------------------------------ loading

    def load_cache(self) -> cache.RosterSnapshot | None:
        """Fill every list the server has not answered yet from the disk cache.

        Returns the snapshot read (None: no usable cache, or the profile keeps none).
        A 10,000-row file takes a few hundred ms to decode: call it off the UI thread.
        """
        if not self.use_cache:
            return None
        snapshot = cache.load(self.profile.name)
        if snapshot is None:
            return None
        entries = {row.employee_id: Indexed.of(row) for row in snapshot.employees}
        filled: set[ListName] = set()
        with self._lock:
            for name in LISTS:
                if self._source.get(name) == "server":
                    continue  # the server answered first: keep its list
                filled.add(name)
                self._as_of[name] = snapshot.saved_at
                self._source[name] = "cache"
            if "employees" in filled:
                self._entries = entries
            if "sites" in filled:
                self._sites = snapshot.sites
            if "departments" in filled:
                self._departments = snapshot.departments
            for scope, name in _SCOPE_LIST.items():
                if name in filled:
                    self._templates[scope] = tuple(
                        p for p in snapshot.templates if p.scope == scope
                    )
            if "backoffice_users" in filled:
                self._users = {u.user_id: u for u in snapshot.backoffice_users}
            if "emails" in filled:
                self._emails = snapshot.emails
        if filled:
            self._emit([ListsReplaced(frozenset(filled), "cache", snapshot.saved_at)])
        return snapshot

    def refresh(self, lists: Iterable[ListName] = LISTS) -> None:
        """Fetch ``lists`` from the server, in :data:`LISTS` order, telling the
        listeners as each arrives; save the cache once nothing is still being fetched.
        A failure is told (``RefreshFailed``) and re-raised; what was known stays."""
        wanted = [name for name in LISTS if name in set(lists)]
        with self._lock:
            self._refreshing.update(wanted)
            seq = self._write_seq
        self._emit([RefreshStarted(frozenset(wanted))])
        pending = list(wanted)
        try:
            client = self.client
            while pending:
                name = pending[0]
                # Sites and departments come from one page: fetched and told together.
                group: list[ListName] = [name]
                if name in ("sites", "departments"):
                    group = [n for n in pending if n in ("sites", "departments")]
                now = self._clock()
                self._fetch(client, group, seq, now)
                for done in group:
                    pending.remove(done)
                    self._stop_refreshing(done)
                self._emit([ListsReplaced(frozenset(group), "server", now)])
        except BaseException as exc:
            for name in pending:
                self._stop_refreshing(name)
            self._emit([RefreshFailed(frozenset(pending), exc)])
            raise
        self._save()

    def _stop_refreshing(self, name: ListName) -> None:
        with self._lock:
            self._refreshing[name] -= 1
            if self._refreshing[name] <= 0:
                del self._refreshing[name]

    def _fetch(
        self, client: SonnysBackofficeClient, names: list[ListName], seq: int, now: datetime
    ) -> None:
        """Fetch one group of lists from the server and put them in place."""
        name = names[0]
        if name in ("sites", "departments"):
            sites = tuple(client.list_sites(refresh=True))
            departments = tuple(client.list_departments())  # the same page, just read
            with self._lock:
                self._sites, self._departments = sites, departments
        elif name in ("pos_templates", "backoffice_templates"):
            scope: Scope = "pos" if name == "pos_templates" else "backoffice"
            try:
                templates = tuple(client.list_permissions(scope=scope, refresh=True))
            except NotFoundError:
                templates = ()  # an empty tenant has no record to read templates from
            with self._lock:
                self._templates[scope] = templates
        elif name == "backoffice_users":
            users = {u.user_id: u for u in client.list_backoffice_users(refresh=True)}
            with self._lock:
                self._users = users
        elif name == "emails":
            emails = client.taken_emails(refresh=True)
            with self._lock:
                self._emails = emails
        else:
            # Indexed here, in the caller's (worker) thread: ~25 ms at 10,000 rows.
            entries = {r.employee_id: Indexed.of(r) for r in client.list_employees(refresh=True)}
            with self._lock:
                # A write made while the roster downloaded may be missing from it.
                for employee_id, (written_seq, row) in self._written.items():
                    if written_seq > seq:
                        entries[employee_id] = Indexed.of(row)
                self._entries = entries
                self._written = {k: v for k, v in self._written.items() if v[0] > seq}
        with self._lock:
            for done in names:
                self._as_of[done] = now
                self._source[done] = "server"

    def _save(self) -> None:
        """Write the cache when every list is known and no refresh is under way (the
        last one to finish writes it); the lists' oldest time is its ``saved_at``."""
        if not self.use_cache:
            return
        with self._save_lock:
            with self._lock:
                if self._refreshing or not all(
                    name in self._as_of for name in LISTS if name not in LAZY_LISTS
                ):
                    return
                snapshot = self.snapshot()
            cache.save(self.profile.name, snapshot)

    # ------------------------------------------------------------ records read

    def records(self) -> dict[int, cache.RecordFacts]:
        """The e-mail and ADP id of every employee whose record has been read (from
        memory, else the disk cache; no request): employee id -> facts."""
        return self._records.known()

    def read_records(
        self,
        employee_ids: Iterable[int],
        *,
        workers: int = RECORD_READERS,
        progress: Callable[[int, int], None] | None = None,
        stop: threading.Event | None = None,
    ) -> dict[int, cache.RecordFacts]:
        """Read the records of those of ``employee_ids`` not read before (the roster
        shows neither e-mails nor ADP ids): one request each, ``workers`` at a time,
        ``progress(done, total)`` told as each lands. What is read is kept in memory
        and in the cache (saved as it goes, so an interrupted read resumes where it
        stopped). An employee gone from the server is left out. Returns every
        employee's facts known now."""
        return self._records.read(
            lambda: self.client, employee_ids, workers=workers, progress=progress, stop=stop
        )

    # ------------------------------------------------------------ writes

    @contextmanager
    def _audited(self, operation: str, target: str) -> Iterator[audit.AuditEvent]:
        # Every write comes through here, first: read-only refuses it before a request.
        self.ensure_writable(f'"{operation}"')
        with audit.audited(self.profile.name, self.name, operation, target) as event:
            yield event

    def _write(self, kind: type, target: str, write: Callable[[], W]) -> W:
        """Make one write: audited as its :data:`OPERATIONS` entry (``kind``, the
        client's result type) says, then its result recorded. A run that stopped part
        way still changed what it verified: those parts are recorded before the error
        goes on."""
        operation = OPERATIONS[kind]
        with self._audited(operation.name, target) as event:
            try:
                result = write()
            except IncompleteError as exc:
                for part in exc.done:
                    self.land(part)
                raise
            if operation.target is not None:
                event.target = operation.target(result)
            event.warnings = operation.warnings(result)
        if operation.lands is not None:
            self.land(result)
        return result

    # ------------------------------------------------------------ employees the list hides

    def find_hidden(self, pos_user_id: int) -> EmployeeRow | None:
        """The active employee with this POS User ID whom the employee list hides (no
        available site, yet a working POS login), read on their edit page; once found
        they are known here like any listed employee (until the roster is read again),
        so they can be shown, edited and offboarded."""
        row = self.client.find_hidden_employee(pos_user_id)
        if row is None:
            return None
        with self._lock:
            if row.employee_id in self._entries:
                return self._entries[row.employee_id].row
            self._entries[row.employee_id] = Indexed.of(row)
        self._emit([EmployeeChanged(row, "change")])
        return row

    def read_hidden(self) -> tuple[EmployeeRow, ...]:
        """Read the active employees the list hides (no available site; see the
        client's ``hidden_employees``: the first read costs ``/user/create`` and one
        edit page each, later ones nothing) and keep them as :attr:`hidden`. Their POS
        User IDs and phones are taken although no roster row shows them."""
        hidden = tuple(self.client.hidden_employees())
        with self._lock:
            self._hidden = hidden
        return hidden

    @property
    def hidden(self) -> tuple[EmployeeRow, ...]:
        """The hidden employees as :meth:`read_hidden` last read them (no request)."""
        return self._hidden

    def is_own_login(self, user: BackofficeUserRow) -> bool:
        """True for the Back Office login this tool itself uses (the profile's): never
        deactivated nor given a new password from here, left out of the access review."""
        return user.username.strip().casefold() == self.profile.username.strip().casefold()

    # ------------------------------------------------------------ recording a result

    def land(self, result: object) -> None:
        """The one place a write's result reaches what is known: memory, then the
        listeners, then the disk cache; its :data:`OPERATIONS` entry says how."""
        operation = OPERATIONS.get(type(result))
        if operation is None or operation.lands is None:
            raise TypeError(f"not a result the tenant records: {type(result).__name__}")
        with self._lock:
            changes = operation.lands(self, result)
        self._emit(changes)
        self._save()
        if isinstance(result, EmployeeUpdated):
            self._records.save()

    def _put_user_row(self, row: BackofficeUserRow, operation: str) -> BackofficeUserChanged:
        self._users[row.user_id] = row
        return BackofficeUserChanged(row, operation)

    def _put_employee(self, row: EmployeeRow) -> EmployeeRow:
        self._write_seq += 1
        self._written[row.employee_id] = (self._write_seq, row)
        self._entries[row.employee_id] = Indexed.of(row)
        return row

    def _add_email(self, email: str | None) -> None:
        if email:
            self._emails = self._emails | {email.casefold()}


def _read_only_reason(profile: Profile, *, asked: bool) -> str | None:
    """Who made the tenant read-only, in words (None: it is not)."""
    if asked:
        return "--read-only"
    if profile.read_only:
        return f"profile {profile.name!r}: read_only = true"
    if read_only_from_env():
        return f"{READ_ONLY_ENV}=1"
    return None
