"""The connection the screens share: one client, one lock, one profile.

The client keeps caches and a lazy login; worker threads take turns with it so
two workers never log in or fill a cache at the same time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from sonnys_tui.config import Profile

if TYPE_CHECKING:
    from sonnys_tui.backoffice.client import SonnysBackofficeClient

T = TypeVar("T")

ClientFactory = Callable[[Profile, str], "SonnysBackofficeClient"]


def default_client_factory(profile: Profile, password: str) -> SonnysBackofficeClient:
    from sonnys_tui.backoffice.client import SonnysBackofficeClient

    return SonnysBackofficeClient(
        subdomain=profile.subdomain,
        username=profile.username,
        password=password,
        base_url=profile.base_url,
        timeout=profile.timeout,
    )


class Session:
    def __init__(self, profile: Profile, client: SonnysBackofficeClient) -> None:
        self.profile = profile
        self.client = client
        self._lock = threading.Lock()

    def call(self, method: Callable[..., T], /, *args: object, **kwargs: object) -> T:
        """Run a client method (from a worker thread) while holding the client."""
        with self._lock:
            return method(*args, **kwargs)

    def close(self) -> None:
        with self._lock:
            self.client.close()
