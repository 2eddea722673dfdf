"""The simulated Back Office as a WSGI application.

Cross-cutting behaviour lives here: sessions (cookie ``PHPSESSID``), login
enforcement, one-page alerts (``actionXfer`` tokens and session flashes),
Symfony-style redirects, request recording and fault injection. Page handlers
live in the ``views_*`` modules.
"""

from __future__ import annotations

import functools
import secrets
import string
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qsl, urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .alerts import Alert
from .context import Ctx, Handler, PageNotFound, Session, Xfer
from .faults import Fault, Faults, SimulatedDrop, SimulatedTimeout
from .phpform import PhpValue, parse_pairs, value
from .settings import Settings
from .store import Store

SESSION_COOKIE = "PHPSESSID"
_SECRET_KEYS = ("password", "Password", "POSLoginPassword")
_XFER_ALPHABET = string.ascii_letters + string.digits
_PAGE_FAULTS = ("markup", "emptybody", "rewrite")  # change the answer once it is rendered


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    form: list[tuple[str, str]]
    status: int  # 0 when the connection was dropped or timed out

    def __repr__(self) -> str:
        shown = [(k, "********" if any(s in k for s in _SECRET_KEYS) else v) for k, v in self.form]
        return (
            f"RecordedRequest(method={self.method!r}, path={self.path!r}, query={self.query!r}, "
            f"form={shown!r}, status={self.status})"
        )


@functools.cache
def _templates() -> Environment:
    """One template environment for every app: compiling the templates costs ~0.1 s,
    more than a whole test that builds a fresh simulator. Nothing mutates it."""
    return Environment(
        loader=PackageLoader("sonnys_tui.simulator", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def _routes() -> tuple[Map, Mapping[str, tuple[Handler, bool]]]:
    """One URL map and handler table for every app: compiling the rules costs ~7 ms, most
    of a fresh simulator's set-up, and every test builds one. Nothing mutates them (a
    request binds the map to its own adapter)."""
    from . import views_employees, views_misc, views_users

    handlers: dict[str, tuple[Handler, bool]] = {}
    rules: list[Rule] = []
    for table in (views_misc.ROUTES, views_employees.ROUTES, views_users.ROUTES):
        for rule, method, endpoint, fn, protected in table:
            rules.append(Rule(rule, methods=[method], endpoint=endpoint))
            handlers[endpoint] = (fn, protected)
    return Map(rules, strict_slashes=False), MappingProxyType(handlers)


def compile_templates() -> None:
    """Compile every template now (ahead of the requests that would compile them)."""
    jinja = _templates()
    for name in jinja.list_templates():
        jinja.get_template(name)


class BackOfficeApp:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        faults: Faults,
        requests: list[RecordedRequest],
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.faults = faults
        self.requests = requests
        self.now = now or (lambda: datetime.now(UTC).replace(tzinfo=None))
        self.sessions: dict[str, Session] = {}
        self.lock = threading.RLock()  # one request at a time touches the store
        self.jinja = _templates()
        self.url_map, self._handlers = _routes()

    # --- WSGI entry -------------------------------------------------------------------------

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        request = Request(environ)
        if self.faults.latency_ms:
            time.sleep(self.faults.latency_ms / 1000)
        query_pairs = parse_qsl(request.query_string.decode("latin-1"), keep_blank_values=True)
        form_pairs = self._form_pairs(request)
        fault = self.faults.take(request.method, request.path)
        status = 0
        try:
            with self.lock:
                response = self._respond(request, query_pairs, form_pairs, fault)
            status = response.status_code
            return response(environ, start_response)
        finally:
            self.requests.append(
                RecordedRequest(request.method, request.path, dict(query_pairs), form_pairs, status)
            )

    @staticmethod
    def _form_pairs(request: Request) -> list[tuple[str, str]]:
        if request.method != "POST":
            return []
        if request.mimetype == "application/x-www-form-urlencoded":
            body = request.get_data(as_text=True)
            return parse_qsl(body, keep_blank_values=True)
        return list(request.form.items(multi=True))

    def _respond(
        self,
        request: Request,
        query_pairs: list[tuple[str, str]],
        form_pairs: list[tuple[str, str]],
        fault: Fault | None,
    ) -> Response:
        if fault is not None and fault.kind == "expire":
            self.faults.expire_sessions()
            fault = None
        if fault is not None and fault.when == "before" and fault.kind not in _PAGE_FAULTS:
            return self._apply_fault(fault, request, form_pairs)
        session = self._session_for(request)
        ctx = Ctx(
            request, session, query_pairs, form_pairs,
            parse_pairs(query_pairs), parse_pairs(form_pairs),
        )  # fmt: skip
        response = self._dispatch(ctx)
        if ctx.session is not None and ctx.session is not session:
            response.set_cookie(SESSION_COOKIE, ctx.session.sid, path="/", httponly=True)
        if fault is not None and fault.kind in ("markup", "rewrite"):
            from . import markup  # lxml: only for these faults (the demo process has none)

            if fault.kind == "markup":
                return markup.without(response, fault.remove_selector)
            if fault.rewrite is not None:
                return markup.rewritten(response, fault.rewrite)
        if fault is not None and fault.kind == "emptybody":
            response.set_data(b"")  # the Location of a redirect stays
            return response
        if fault is not None and fault.when == "after":
            return self._apply_fault(fault, request, form_pairs)
        return response

    def _dispatch(self, ctx: Ctx) -> Response:
        adapter = self.url_map.bind_to_environ(ctx.request.environ)
        try:
            endpoint, args = adapter.match()
        except NotFound:
            return self.error_page(404, "Page not found")
        except MethodNotAllowed:
            return self.error_page(405, "Method not allowed")
        except HTTPException as exc:  # e.g. a redirect for a trailing slash
            return self.error_page(exc.code or 400, exc.name)
        fn, protected = self._handlers[str(endpoint)]
        if protected and not self._logged_in(ctx):
            if self.settings.expired_session == "login200":
                return self.render(ctx, "login.html", title="Login")
            return self.redirect("/login")
        try:
            return fn(self, ctx, **args)
        except PageNotFound as missing:
            return self.error_page(404, missing.message)

    def _apply_fault(
        self, fault: Fault, request: Request, form_pairs: list[tuple[str, str]]
    ) -> Response:
        if fault.kind == "drop":
            raise SimulatedDrop(request.path)
        if fault.kind == "timeout":
            raise SimulatedTimeout(request.path)
        if fault.kind == "500":
            return self.error_page(500, "Internal Server Error")
        if fault.kind == "blank":
            return Response(b"", 200, content_type="text/html; charset=utf-8")
        if fault.kind == "login200":
            empty = Ctx(request, None, [], [], {}, {})
            return self.render(empty, "login.html", title="Login")
        # "alert": back to the form the request came from, with a red alert.
        session = self._session_for(request)
        target = form_page_for(request.path, parse_pairs(form_pairs)) or request.path
        if session is None:
            return self.redirect(target)
        token = self.xfer(session, Alert("danger", fault.alert_text))
        return self.redirect(with_query(target, {"actionXfer": token}))

    # --- sessions ---------------------------------------------------------------------------

    def _session_for(self, request: Request) -> Session | None:
        sid = request.cookies.get(SESSION_COOKIE)
        session = self.sessions.get(sid) if sid else None
        if session is None:
            return None
        session.requests += 1
        lifetime = self.settings.session_lifetime_requests
        expired_by_fault = session.generation < self.faults.expiry_generation()
        if session.user_id is not None and (
            expired_by_fault or (lifetime is not None and session.requests > lifetime)
        ):
            session.user_id = None
        return session

    def _logged_in(self, ctx: Ctx) -> bool:
        return (
            ctx.session is not None
            and ctx.session.user_id is not None
            and ctx.session.user_id in self.store.users
            and self.store.users[ctx.session.user_id].active
        )

    def new_session(self, ctx: Ctx) -> Session:
        """Start a fresh session (login) — the old id is discarded like PHP's regenerate."""
        if ctx.session is not None:
            self.sessions.pop(ctx.session.sid, None)
        session = Session(secrets.token_hex(13), generation=self.faults.expiry_generation())
        self.sessions[session.sid] = session
        ctx.session = session
        return session

    def ensure_session(self, ctx: Ctx) -> Session:
        return ctx.session if ctx.session is not None else self.new_session(ctx)

    def drop_session(self, ctx: Ctx) -> None:
        if ctx.session is not None:
            self.sessions.pop(ctx.session.sid, None)
            ctx.session = None

    # --- responses --------------------------------------------------------------------------

    @staticmethod
    def _html(body: str, status: int = 200) -> Response:
        response = Response(body, status=status, content_type="text/html; charset=UTF-8")
        response.headers["Cache-Control"] = "no-store"
        return response

    def render(self, ctx: Ctx, template: str, *, status: int = 200, **context: Any) -> Response:
        alerts: list[Alert] = []
        xfer_form: dict[str, str] = {}
        if ctx.session is not None:
            token = dict(ctx.query_pairs).get("actionXfer", "")
            xfer = ctx.session.xfers.get(token)
            if xfer is not None:
                alerts.append(xfer.alert)
                xfer_form = xfer.form
            alerts.extend(ctx.session.flashes)
            ctx.session.flashes.clear()
        body = self.jinja.get_template(template).render(
            alerts=alerts, xfer_form=xfer_form, **context
        )
        return self._html(body, status)

    def redirect(self, location: str) -> Response:
        body = self.jinja.get_template("redirect.html").render(location=location)
        response = self._html(body, 302)
        response.autocorrect_location_header = False
        response.headers["Location"] = location
        return response

    def error_page(self, status: int, message: str) -> Response:
        body = self.jinja.get_template("error.html").render(status=status, message=message)
        return self._html(body, status)

    @staticmethod
    def xfer(session: Session, alert: Alert, form: dict[str, str] | None = None) -> str:
        token = "".join(secrets.choice(_XFER_ALPHABET) for _ in range(8))
        session.xfers[token] = Xfer(alert, dict(form or {}))
        return token

    def redirect_with_alert(
        self, ctx: Ctx, location: str, alert: Alert, form: dict[str, str] | None = None,
        **query: str,
    ) -> Response:  # fmt: skip
        token = self.xfer(self.ensure_session(ctx), alert, form)
        params = {**query, "actionXfer": token}
        if alert.kind == "danger" and self.settings.rejection == "page200":
            return self._render_in_place(ctx, location, params)
        return self.redirect(with_query(location, params))

    def _render_in_place(self, ctx: Ctx, location: str, params: dict[str, str]) -> Response:
        """Answer a refused POST with the form page itself (200), not a redirect to it."""
        adapter = self.url_map.bind("sim.invalid")
        endpoint, args = adapter.match(location, method="GET")
        fn, _ = self._handlers[str(endpoint)]
        pairs = list(params.items())
        page_ctx = Ctx(ctx.request, ctx.session, pairs, [], parse_pairs(pairs), {})
        return fn(self, page_ctx, **args)

    def flash(self, ctx: Ctx, alert: Alert) -> None:
        self.ensure_session(ctx).flashes.append(alert)

    def duplicate(self, what: str, val: str) -> str:
        if self.settings.duplicate_wording == "exists":
            return f"The {what} {val} already exists."
        return f"The {what} {val} is already in use."


def with_query(path: str, params: dict[str, str]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def form_page_for(path: str, form: dict[str, PhpValue]) -> str | None:
    """The page holding the form that posts to ``path`` (where errors send the browser)."""
    pages = {
        "/employee/insert": "/employee/create",
        "/user/insert": "/user/create",
    }
    if path in pages:
        return pages[path]
    by_id = {
        "/employee/update": ("/employee/edit/", ("employee", "id")),
        "/employee/permissions/update": ("/employee/permissions/", ("employeeId",)),
        "/employee/compensation/update": ("/employee/compensation/", ("employeeId",)),
        "/user/update": ("/user/edit/", ("user", "userId")),
        "/user/permissions/update": ("/user/permissions/", ("userId",)),
    }
    if path in by_id:
        prefix, key = by_id[path]
        return prefix + value(form, *key)
    return None
