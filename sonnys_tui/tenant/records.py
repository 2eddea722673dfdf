"""The e-mails and ADP ids read from employees' records (the roster shows neither):
kept in memory and in the disk cache, read from the server a few at a time.
:class:`~sonnys_tui.tenant.Tenant` owns one (its ``records`` / ``read_records``).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TYPE_CHECKING

from sonnys_tui import cache
from sonnys_tui.backoffice.errors import NotFoundError

if TYPE_CHECKING:
    from sonnys_tui.backoffice.client import SonnysBackofficeClient
    from sonnys_tui.config import Profile

# Records read side by side (a small limit: the Back Office is one shared server), and
# how often (seconds) what was read is saved while reading.
RECORD_READERS = 4
RECORD_SAVE_EVERY = 2.0


class EmployeeRecords:
    """Employee id -> the facts read from their record, under the tenant's locks
    (``lock`` guards the facts, ``save_lock`` the cache file)."""

    def __init__(
        self, profile: Profile, *, lock: threading.RLock, save_lock: threading.Lock
    ) -> None:
        self._profile = profile
        self._lock = lock
        self._save_lock = save_lock
        self._facts: dict[int, cache.RecordFacts] | None = None  # None: the disk's not read yet

    def known(self) -> dict[int, cache.RecordFacts]:
        """Every employee's facts read so far (from memory, else the disk cache)."""
        with self._lock:
            if self._facts is None:
                use_cache = self._profile.use_cache
                self._facts = cache.load_records(self._profile.name) if use_cache else {}
            return dict(self._facts)

    def read(
        self,
        client: Callable[[], SonnysBackofficeClient],
        employee_ids: Iterable[int],
        *,
        workers: int,
        progress: Callable[[int, int], None] | None,
        stop: threading.Event | None,
    ) -> dict[int, cache.RecordFacts]:
        """Read the records not read before (``client`` gives the client when one is
        needed); see :meth:`Tenant.read_records`."""
        known = self.known()
        todo = sorted({i for i in employee_ids if i not in known})
        if not todo:
            return known
        connected = client()
        halt = threading.Event()  # set on a failure: the reads not started are not made
        done = 0
        last_save = time.monotonic()

        def read(employee_id: int) -> cache.RecordFacts | None:
            if halt.is_set() or (stop is not None and stop.is_set()):
                return None
            try:
                record = connected.get_employee(employee_id, wages=False, pos_access=False)
            except NotFoundError:
                return None
            return cache.RecordFacts(record.email, record.adp_employee_id)

        try:
            with ThreadPoolExecutor(workers, thread_name_prefix="records") as pool:
                futures = {pool.submit(read, i): i for i in todo}
                try:
                    for future in as_completed(futures):
                        facts = future.result()
                        done += 1
                        if facts is not None:
                            with self._lock:
                                assert self._facts is not None
                                self._facts[futures[future]] = facts
                        if progress is not None:
                            progress(done, len(todo))
                        if time.monotonic() - last_save > RECORD_SAVE_EVERY:
                            self.save()
                            last_save = time.monotonic()
                finally:
                    halt.set()
        finally:
            self.save()
        return self.known()

    def save(self) -> None:
        if not self._profile.use_cache:
            return
        with self._save_lock:
            with self._lock:
                records = dict(self._facts or {})
            cache.save_records(self._profile.name, records)

    def learn(self, employee_id: int, email: str, adp_employee_id: str) -> None:
        """A write that read the record back: what it shows now (when ever read)."""
        facts = self._facts
        if facts is None and self._profile.use_cache:
            self.known()  # what the disk says, so it is not read back stale later
            facts = self._facts
        if facts is not None and employee_id in facts:
            facts[employee_id] = cache.RecordFacts(email, adp_employee_id)
