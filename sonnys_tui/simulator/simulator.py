"""The :class:`Simulator` facade: one tenant, its WSGI app and the ways to reach it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import tenants
from .app import BackOfficeApp, RecordedRequest
from .bot import BOT_PASSWORD, BOT_USERNAME
from .faults import Faults
from .server import make_transport, serve, serve_forever
from .settings import Settings
from .store import Store

if TYPE_CHECKING:
    import httpx


class Simulator:
    """A local Back Office tenant: demo data for the app and a test double for the client.

    ``store`` is the tenant's state, ``requests`` what the server received,
    ``faults`` and ``settings`` change how it answers.
    """

    def __init__(
        self,
        store: Store,
        *,
        username: str = BOT_USERNAME,
        password: str = BOT_PASSWORD,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = store
        self.username = username
        self.password = password
        self.settings = Settings()
        self.faults = Faults()
        self.requests: list[RecordedRequest] = []
        self.wsgi_app = BackOfficeApp(store, self.settings, self.faults, self.requests, now)

    def __repr__(self) -> str:
        return (
            f"Simulator(sites={len(self.store.sites)}, employees={len(self.store.employees)}, "
            f"users={len(self.store.users)})"
        )

    @classmethod
    def demo(cls) -> Simulator:
        """Hierarchical tenant: regions, districts, ~20 sites, ~60 employees."""
        return cls(tenants.demo())

    @classmethod
    def flat(cls) -> Simulator:
        """Flat tenant: no regions or districts."""
        return cls(tenants.flat())

    @classmethod
    def large(cls, count: int, seed: int = 1, *, backoffice_users: int = 0) -> Simulator:
        """Hierarchical tenant with ``count`` deterministic employees and, with
        ``backoffice_users``, that many more Back Office users of known kinds (linked,
        standalone, Administrators, linked to inactive employees, at extra sites)."""
        return cls(tenants.large(count, seed, backoffice_users=backoffice_users))

    @classmethod
    def from_capture(cls, directory: str | Path) -> Simulator:
        """The tenant of a scrubbed capture (``sonnys-tui doctor --capture DIR``): its
        site tree, departments, templates and their matrices, the edit form's extra
        fields, and a synthetic roster of the captured size. :class:`capture.CaptureError`
        when the folder is not a capture."""
        from . import capture

        store, extras = capture.load(Path(directory))
        sim = cls(store)
        sim.settings.extra_edit_fields.update(extras)
        return sim

    def transport(self) -> httpx.BaseTransport:
        """In-process transport; faults "drop"/"timeout" become httpx exceptions."""
        return make_transport(self.wsgi_app)

    def client_kwargs(self, **overrides: Any) -> dict[str, Any]:
        """Keyword arguments that connect a ``SonnysBackofficeClient`` to this
        tenant in-process: ``SonnysBackofficeClient(**sim.client_kwargs())``."""
        return {
            "subdomain": "demo",
            "username": self.username,
            "password": self.password,
            "base_url": "http://sim.test",
            "transport": self.transport(),
            **overrides,
        }

    @contextmanager
    def serve(self, host: str = "127.0.0.1") -> Iterator[str]:
        """Serve on a free loopback port; yields the base URL."""
        with serve(self.wsgi_app, self.faults, host) as base_url:
            yield base_url

    def serve_forever(
        self,
        host: str = "127.0.0.1",
        port: int = 8080,
        ready: Callable[[str], None] | None = None,
    ) -> None:
        """Serve until Ctrl+C; ``ready(base_url)`` once the port is bound (a taken port
        raises OSError first)."""
        serve_forever(self.wsgi_app, self.faults, host, port, ready)
