"""``SonnysBackofficeClient``: one tenant's Back Office, as Python calls.

The client is composed of one part per kind of operation, each in its own
module: :mod:`discovery` (every read: sites, departments, templates, employees,
Back Office users, availability), :mod:`hiring` (``create_employee``),
:mod:`status` (disable/enable), :mod:`users` (creating Back Office users),
:mod:`accounts` (changing them) and :mod:`offboarding` (offboarding, reinstating,
the access review, whose rules are in :mod:`review`). They share
:mod:`core` (the session, the caches, how a write's answer is judged) and keep
what is expensive to fetch in :mod:`caches`. Parsing lives in :mod:`pages`, form
filling in :mod:`forms`/:mod:`sites`, input rules in :mod:`validation`, the HTTP
session in :mod:`session`. A write is never retried blindly: after a dropped
connection the client reads the record back to learn whether the write happened.

:mod:`employee_read` reads one employee whole (``get_employee``); an existing one is
changed by :mod:`employee_update` (fields), :mod:`wages` and :mod:`pos_template`, each
change first as a plan to review, applied or re-planned through :mod:`planning`.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import httpx

from sonnys_tui.backoffice import validation
from sonnys_tui.backoffice.caches import Caches
from sonnys_tui.backoffice.core import Progress, SiteChoice
from sonnys_tui.backoffice.errors import ValidationError
from sonnys_tui.backoffice.hiring import DEFAULT_DEPARTMENT, FALLBACK_POS_TEMPLATE, Hiring
from sonnys_tui.backoffice.offboarding import Offboarding
from sonnys_tui.backoffice.planning import Planning
from sonnys_tui.backoffice.session import ClientStats, Session
from sonnys_tui.backoffice.status import StatusChanges

__all__ = [
    "DEFAULT_DEPARTMENT",
    "FALLBACK_POS_TEMPLATE",
    "Progress",
    "SiteChoice",
    "SonnysBackofficeClient",
]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SonnysBackofficeClient(Offboarding, Hiring, StatusChanges, Planning):
    """Programmatic access to one tenant's Back Office user management.

    Login is deferred until the first request. Caches fill lazily; discovery
    methods take ``refresh=True`` to re-fetch. ``read_only=True`` refuses every write
    with :class:`ReadOnlyError` before it is sent (reads work). Use as a context manager::

        with SonnysBackofficeClient(subdomain="mywash", username="bot", password=pw) as client:
            client.disable_employee(pos_user_id=4117)

    One client may be shared by several threads and called from them at once.
    It logs in once (threads needing a login wait for the one in flight), counts
    :attr:`stats` exactly, and fills each cache once at a time while other reads
    go on: a long roster download does not hold up a server search or
    :meth:`get_employee`. Writes on different employees may run side by side;
    two writes on the same employee are not ordered by the client.
    """

    def __init__(
        self,
        *,
        subdomain: str,
        username: str,
        password: str,
        timeout: float = 30.0,
        user_agent: str | None = None,
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        read_only: bool = False,
    ) -> None:
        self.subdomain = validation.subdomain(subdomain)
        if not isinstance(username, str) or not username:
            raise ValidationError("username must not be empty", field="username")
        if not isinstance(password, str) or not password:
            raise ValidationError("password must not be empty", field="password")
        # Both are sent at login: the same refusal of control characters as every argument.
        # Checked whole (neither is trimmed before it is sent).
        validation.printable(username, field="username", whole=True)
        validation.printable(password, field="password", secret=True)
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
            raise ValidationError("timeout must be a positive number of seconds", field="timeout")
        url = base_url or f"https://{subdomain}.sonnyscontrols.com"
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValidationError(f"base_url must be an http(s) URL, got {url!r}", field="base_url")
        if parts.scheme == "http" and transport is None and not _is_loopback(parts.hostname):
            raise ValidationError(
                "plain http:// is refused except on a loopback host: use https://",
                field="base_url",
            )
        self.base_url = url.rstrip("/")
        self.username = username
        self._session = Session(
            base_url=self.base_url,
            username=username,
            password=password,
            timeout=timeout,
            user_agent=user_agent,
            transport=transport,
            read_only=read_only,
        )
        self._caches = Caches()

    # ------------------------------------------------------------ lifecycle

    def __repr__(self) -> str:
        return (
            f"SonnysBackofficeClient(subdomain={self.subdomain!r}, "
            f"username={self.username!r}, base_url={self.base_url!r})"
        )

    def __enter__(self) -> SonnysBackofficeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying HTTP session."""
        self._session.close()

    @property
    def read_only(self) -> bool:
        """True when the client refuses every write (any request but a GET and the
        login) before it is sent: ``read_only=True``, or :meth:`refuse_writes`."""
        return self._session.read_only

    def refuse_writes(self) -> None:
        """Make this client read-only from now on (there is no way back)."""
        self._session.read_only = True

    @property
    def stats(self) -> ClientStats:
        """Requests sent and bytes received since creation (or ``stats.reset()``)."""
        return self._session.stats
