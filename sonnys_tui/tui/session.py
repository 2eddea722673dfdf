"""The connection the screens share: one client, one lock, one profile.

The client keeps caches and a lazy login; worker threads take turns with it so
two workers never log in or fill a cache at the same time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

from sonnys_tui.config import Profile, open_client

if TYPE_CHECKING:
    from sonnys_tui.audit import AuditEvent
    from sonnys_tui.backoffice.client import SonnysBackofficeClient

T = TypeVar("T")

ClientFactory = Callable[[Profile, str], "SonnysBackofficeClient"]


# Tests inject a factory that mounts the simulator in-process.
default_client_factory: ClientFactory = open_client


class Session:
    def __init__(self, profile: Profile, client: SonnysBackofficeClient) -> None:
        self.profile = profile
        self.client = client
        self._lock = threading.Lock()

    def call(self, method: Callable[..., T], /, *args: object, **kwargs: object) -> T:
        """Run a client method (from a worker thread) while holding the client."""
        with self._lock:
            return method(*args, **kwargs)

    def call_beside(self, method: Callable[..., T], /, *args: object, **kwargs: object) -> T:
        """Run a read that fills no cache without waiting for the client (the server
        search while the roster download holds it for seconds). The login is done by
        then (the Connect screen did it), so nothing shared is filled here."""
        return method(*args, **kwargs)

    @property
    def tenant(self) -> str:
        """The tenant as the audit trail names it: the subdomain, else the server's host."""
        profile = self.profile
        return profile.subdomain or urlsplit(profile.base_url or "").hostname or "?"

    def audited(self, operation: str, target: str) -> AbstractContextManager[AuditEvent]:
        """Record a write in the audit trail (call it in the worker doing the write)."""
        from sonnys_tui import audit

        return audit.audited(self.profile.name, self.tenant, operation, target)

    def close(self) -> None:
        with self._lock:
            self.client.close()
