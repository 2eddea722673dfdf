"""The HTTP session with a Back Office tenant: login, redirects, errors, stats.

One :class:`httpx.Client` (keep-alive, ``follow_redirects=False``): redirects are
followed here so that every ``302 Location`` of a write can be inspected. Login
is lazy (``POST /login_check``); any page that turns out to be the login form
triggers ONE re-login and ONE repeat of the request, never a loop (accounts get
locked). Only method and path are logged, never bodies (passwords, PINs).

A session may be used from several threads at once (``httpx.Client`` can be
shared between threads). Logging in is serialized: threads that find no live
session wait for the one login in flight and use it (or share its refusal: a
wrong password is sent once, not once per thread), and a thread that finds the
session ended logs in again only if no other thread has done so since its
request was sent. The counters of :class:`ClientStats` have their own lock.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import ssl
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

import httpx
from lxml import etree
from lxml.html import HtmlElement

from sonnys_tui.backoffice.errors import (
    NOTHING_WRITTEN,
    OUTCOME_UNKNOWN,
    AuthenticationError,
    BackofficeConnectionError,
    BackofficeServerError,
    PermissionDeniedError,
    ReadOnlyError,
    SessionLostError,
)
from sonnys_tui.backoffice.forms import FormData
from sonnys_tui.backoffice.pages import (
    EmployeeListPage,
    EmployeeListStream,
    is_login_page,
    parse_html,
    parse_tree,
)

logger = logging.getLogger("sonnys_tui.backoffice")

LOGIN_PATH = "/login_check"
MAX_REDIRECTS = 10
QueryParams = Mapping[str, str | int | Sequence[str | int]]


@dataclass
class ClientStats:
    """Requests sent and body bytes received (for the benchmarks).

    Counted under a lock: the totals are exact when several threads share a client.
    """

    requests: int = 0
    bytes_received: int = 0
    _lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    def count_request(self) -> None:
        with self._lock:
            self.requests += 1

    def count_bytes(self, count: int) -> None:
        with self._lock:
            self.bytes_received += count

    def reset(self) -> None:
        with self._lock:
            self.requests = 0
            self.bytes_received = 0


@dataclass(frozen=True)
class Page:
    """The page a request finally landed on, and the redirects on the way."""

    url: str  # path + query of the final page
    status_code: int
    content: bytes = field(repr=False)  # an edit page shows the PIN in clear
    redirects: tuple[str, ...] = ()  # every Location followed, in order (as sent, relative)
    encoding: str = "utf-8"

    @functools.cached_property
    def text(self) -> str:
        return self.content.decode(self.encoding, errors="replace")

    @property
    def first_redirect(self) -> str | None:
        return self.redirects[0] if self.redirects else None

    @property
    def unfollowed_redirect(self) -> bool:
        """A redirect not followed (``follow=False``): its Location is the answer; its
        body, often empty, is never shown by a browser."""
        return 300 <= self.status_code < 400

    def tree(self) -> etree._Element:
        """The page as plain lxml elements: cheaper per element than :meth:`doc`,
        for the big list pages that are only walked, never form-serialized."""
        return parse_tree(self.content, encoding=self.encoding)

    def doc(self) -> HtmlElement:
        # Bytes, not text: lxml parses a 17 MB list page ~30% faster from bytes.
        return parse_html(self.content, encoding=self.encoding)


class Session:
    def __init__(
        self,
        *,
        base_url: str,
        username: str,
        password: str,
        timeout: float,
        user_agent: str | None,
        transport: httpx.BaseTransport | None,
        read_only: bool = False,
    ) -> None:
        headers = {"User-Agent": user_agent} if user_agent else {}
        if transport is None and urlsplit(base_url).scheme == "http":
            # Plain http:// (the client allows it on a loopback host only, as the demo's
            # simulator): every request goes to base_url (a redirect is followed by its
            # path only), so TLS is never spoken. Its context trusts no certificate at
            # all (verification stays on: it could connect to no TLS server) rather than
            # loading the CA bundle (~20 ms).
            transport = httpx.HTTPTransport(verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))
        self._http = httpx.Client(
            base_url=base_url,
            timeout=timeout,
            follow_redirects=False,
            headers=headers,
            transport=transport,
        )
        self._username = username
        self._password = password
        # The number of the live login (1, 2, ... in order), None while logged out. One
        # attribute, so that a thread reads "logged in, and as which login" at once.
        self._live: int | None = None
        self._logins = 0  # successful logins
        self._attempts = 0  # finished login attempts, successful or not
        self._refusal: str | None = None  # the last attempt's refusal, if it was refused
        self._login_lock = threading.Lock()
        self.stats = ClientStats()
        # Read-only: every request but a GET (and the login) is refused before it is sent.
        self.read_only = read_only

    def __repr__(self) -> str:
        return f"Session(base_url={str(self._http.base_url)!r}, username={self._username!r})"

    def close(self) -> None:
        self._http.close()

    @property
    def logged_in(self) -> bool:
        return self._live is not None

    # -- public -------------------------------------------------------------

    def get(self, path: str, *, params: QueryParams | None = None, step: str | None = None) -> Page:
        return self.request("GET", path, params=params, step=step)

    def post(
        self,
        path: str,
        data: FormData,
        *,
        step: str | None = None,
        follow: bool = True,
        resend: bool = True,
    ) -> Page:
        """POST a form. ``data`` stays a FormData down to the wire so that a traceback's
        locals never show its values (PINs, passwords).

        ``follow=False`` stops at a plain success redirect (the returned page is the
        redirect itself) to spare fetching a landing page nobody reads. A redirect that
        carries a message (``actionXfer``) or goes to the login page is still followed.
        """
        return self.request("POST", path, data=data, step=step, follow=follow, resend=resend)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: QueryParams | None = None,
        data: FormData | None = None,
        step: str | None = None,
        follow: bool = True,
        resend: bool = True,
    ) -> Page:
        """``resend=False`` for writes that must not happen twice (inserts): when such a
        write is answered with the login page itself, nobody can tell whether it was
        processed, so :class:`SessionLostError` is raised (after the re-login) instead of
        sending it again; the caller reconciles first."""
        sent_in = self._live_login()
        page = self._send_following(method, path, params, data, step, follow=follow)
        if not self._is_login(page):
            return page
        logger.debug("session expired on %s %s; logging in again", method, path)
        self._login_again(sent_in)
        first = page.first_redirect
        if method != "GET" and first is not None and not _is_login_location(first):
            # The write was processed (it redirected elsewhere) before the session ended:
            # never send it twice; read the page it redirected to instead.
            landing = self._send_following("GET", self._tenant_path(first), None, None, step)
            page = dataclasses.replace(landing, redirects=(first, *landing.redirects))
        elif method != "GET" and first is None and not resend:
            raise SessionLostError(
                f"the session ended during {method} {path}: logged in again, but whether "
                "it was processed is unknown",
                url=path,
                step=step,
            )
        else:
            page = self._send_following(method, path, params, data, step, follow=follow)
        if self._is_login(page):
            self._lost(self._live)
            raise AuthenticationError(
                "the session was lost again right after logging in", step=step
            )
        return page

    def get_streamed(
        self,
        path: str,
        *,
        params: QueryParams | None = None,
        step: str | None = None,
    ) -> EmployeeListPage:
        """GET a (big) employee list page, parsing it while it downloads.

        Neither the body nor its whole tree is held in memory, and the parse
        overlaps the transfer. Anything but a plain 200 page (a redirect to the
        login page, an error) goes through :meth:`request`, which knows how to
        log in again once and how to report errors.
        """
        sent_in = self._live_login()
        target = path.split("?", 1)[0]
        logger.debug("GET %s (streamed)", target)
        self.stats.count_request()
        logged_out = False
        failure: str | None = None  # raised outside the except block, as in _send
        status = 200
        try:
            with self._http.stream(
                "GET", path, params=_query(params) if params is not None else None
            ) as response:
                if response.status_code == 200:
                    stream = EmployeeListStream(response.encoding or "utf-8")
                    for chunk in response.iter_bytes():
                        self.stats.count_bytes(len(chunk))
                        stream.feed(chunk)
                    if not stream.is_login_page:
                        return stream.close()
                    logged_out = True
                else:
                    self.stats.count_bytes(len(response.read()))
                    status = response.status_code
                    location = response.headers.get("location", "")
                    logged_out = response.is_redirect and _is_login_location(location)
        except httpx.TransportError as exc:  # timeouts included
            failure = _failure(exc)
        if failure is not None:
            raise _connection_error("GET", path, failure, step)
        if status >= 400:
            raise _status_error(status, "GET", path, step)
        if logged_out:
            # The session expired: log in once and read the page whole; a second
            # login page is an authentication error, never a loop.
            logger.debug("session expired on GET %s; logging in again", target)
            self._login_again(sent_in)
            page = self._send_following("GET", path, params, None, step)
            if self._is_login(page):
                self._lost(self._live)
                raise AuthenticationError(
                    "the session was lost again right after logging in", step=step
                )
        else:
            # An unexpected redirect: a read is safe to repeat, request() follows it.
            page = self.request("GET", path, params=params, step=step)
        stream = EmployeeListStream(page.encoding)
        stream.feed(page.content)
        return stream.close()

    def login(self) -> None:
        """POST the credentials once; AuthenticationError when they are refused."""
        with self._login_lock:
            self._login()

    # -- internals ----------------------------------------------------------

    def _live_login(self) -> int:
        """The number of the live login, logging in first when there is none."""
        live = self._live
        if live is not None:
            return live
        return self._log_in(expired=None)

    def _login_again(self, expired: int) -> None:
        """Login number ``expired`` ended: log in again (once for all threads)."""
        self._log_in(expired=expired)

    def _log_in(self, *, expired: int | None) -> int:
        """Log in unless another thread has while this one waited for the lock (then
        its login is used, or its refusal raised again); the live login's number.

        ``expired`` is the login the caller's request was sent in (None: none)."""
        attempts = self._attempts
        with self._login_lock:
            live = self._live
            if live is not None and live != expired:
                return live
            if self._attempts != attempts and self._refusal is not None:
                raise AuthenticationError(self._refusal, step="login")
            self._live = None
            return self._login()

    def _lost(self, login: int | None) -> None:
        """Login number ``login`` is gone for good (unless another replaced it)."""
        with self._login_lock:
            if self._live == login:
                self._live = None

    def _login(self) -> int:
        """The login POST itself (the caller holds ``_login_lock``); the login's number."""
        form = FormData([("_username", self._username), ("_password", self._password)])
        self._refusal = None
        try:
            # A plain redirect (to the dashboard) means success: no need to fetch it.
            page = self._send_following("POST", LOGIN_PATH, None, form, "login", follow=False)
            refused = self._is_login(page) or any(_is_login_location(loc) for loc in page.redirects)
            if refused:
                self._live = None
                self._refusal = (
                    f"login refused for user {self._username!r}: check the username and password"
                )
                raise AuthenticationError(self._refusal, step="login")
            self._logins += 1
            self._live = self._logins
            return self._live
        finally:
            self._attempts += 1

    @staticmethod
    def _is_login(page: Page) -> bool:
        if b"_password" not in page.content:  # cheap pre-check before parsing
            return False
        return is_login_page(page.doc())

    def _send_following(
        self,
        method: str,
        path: str,
        params: QueryParams | None,
        data: FormData | None,
        step: str | None,
        *,
        follow: bool = True,
    ) -> Page:
        if self.read_only and method != "GET" and path != LOGIN_PATH:
            # Every request is sent from here: a write never leaves a read-only client.
            raise ReadOnlyError(
                f"Read-only: {method} {path} would write to the Back Office, so it was not sent.",
                step=step,
                state=NOTHING_WRITTEN,
            )
        redirects: list[str] = []
        url = path
        for _ in range(MAX_REDIRECTS + 1):
            response = self._send(method, url, params, data, step)
            if response.is_redirect:
                location = response.headers.get("location", "")
                if not location:
                    raise BackofficeServerError(
                        "redirect without a Location", status_code=response.status_code, url=url
                    )
                redirects.append(location)
                if (
                    not follow
                    and not _is_login_location(location)
                    and "actionXfer=" not in location
                    # Not followed, but still never trusted off the tenant's host.
                    and self._tenant_path(location, relative_to=str(response.url))
                ):
                    return Page(
                        url=url,
                        status_code=response.status_code,
                        content=response.content,
                        redirects=tuple(redirects),
                        encoding=response.encoding or "utf-8",
                    )
                url = self._tenant_path(location, relative_to=str(response.url))
                method, params, data = "GET", None, None
                continue
            return Page(
                url=response.url.raw_path.decode("ascii"),
                status_code=response.status_code,
                content=response.content,
                redirects=tuple(redirects),
                encoding=response.encoding or "utf-8",
            )
        raise BackofficeServerError(f"too many redirects from {path}", url=path, step=step)

    def _tenant_path(self, location: str, *, relative_to: str | None = None) -> str:
        """Path + query of a Location, refusing to leave the tenant's host."""
        parts = urlsplit(urljoin(relative_to or str(self._http.base_url), location))
        base = urlsplit(str(self._http.base_url))
        if parts.netloc and parts.netloc != base.netloc:
            raise BackofficeServerError(f"redirected off the tenant to {parts.netloc}")
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def _send(
        self,
        method: str,
        url: str,
        params: QueryParams | None,
        data: FormData | None,
        step: str | None,
    ) -> httpx.Response:
        logger.debug("%s %s", method, url.split("?", 1)[0])
        self.stats.count_request()
        # The error is raised outside the except block: chained, the httpx exception
        # would carry the request body (the password, a PIN) and its frames' locals
        # into every traceback printed with locals, such as a crash screen.
        failure: str | None = None
        try:
            response = self._http.request(
                method,
                url,
                params=_query(params) if params is not None else None,
                content=_urlencode(data) if data is not None else None,
                headers={"Content-Type": "application/x-www-form-urlencoded"}
                if data is not None
                else None,
            )
        except httpx.TransportError as exc:  # timeouts included
            failure = _failure(exc)
        if failure is not None:
            raise _connection_error(method, url, failure, step)
        self.stats.count_bytes(len(response.content))
        if response.status_code >= 400:
            raise _status_error(response.status_code, method, url, step)
        return response


def _failure(exc: httpx.TransportError) -> str:
    """What went wrong, in words (never an exception class's name)."""
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        return "failed: could not connect to the server"
    if isinstance(exc, httpx.ProxyError):
        return "failed: the proxy refused it"
    return "failed: the connection was lost"


def _connection_error(
    method: str, url: str, failure: str, step: str | None
) -> BackofficeConnectionError:
    # Only a write can have an unknown outcome: a read (or a login) changed nothing.
    path = url.split("?", 1)[0]
    if method in _READS:
        outcome = " (a read: it changed nothing)"
    elif path == LOGIN_PATH:
        outcome = " (a login: it changed nothing)"
    else:
        outcome = OUTCOME_UNKNOWN
    return BackofficeConnectionError(f"{method} {path} {failure}{outcome}", url=url, step=step)


_READS = frozenset({"GET", "HEAD", "OPTIONS"})


def _status_error(status: int, method: str, url: str, step: str | None) -> BackofficeServerError:
    # 403: the bot user may not do this (a rejection: nothing was written).
    kind = PermissionDeniedError if status == 403 else BackofficeServerError
    return kind(
        f"Back Office answered {status} to {method} {url.split('?', 1)[0]}",
        status_code=status,
        url=url,
        step=step,
    )


def _is_login_location(location: str) -> bool:
    return urlsplit(location).path.rstrip("/") == "/login"


def _query(params: QueryParams) -> list[tuple[str, str | int | float | bool | None]]:
    pairs: list[tuple[str, str | int | float | bool | None]] = []
    for key, value in params.items():
        if isinstance(value, str | int):
            pairs.append((key, str(value)))
        else:
            pairs.extend((key, str(item)) for item in value)
    return pairs


def _urlencode(data: FormData) -> bytes:
    return urlencode(data.pairs()).encode("ascii")
