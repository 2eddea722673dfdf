"""What a page handler is given: the request (``Ctx``), its session, and the app as a
``Protocol`` naming exactly what the ``views_*`` modules use of it.

Handlers depend on this module, never on ``app``, so ``app`` can import the views
without a cycle (not even a type-only one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Concatenate, Protocol, TypeVar

from werkzeug.wrappers import Request, Response

from .alerts import Alert
from .phpform import PhpValue
from .settings import Settings
from .store import Store


@dataclass
class Xfer:
    alert: Alert
    form: dict[str, str] = field(default_factory=dict)  # values to re-render (never passwords)


@dataclass
class Session:
    sid: str
    user_id: int | None = None
    generation: int = 0
    requests: int = 0
    flashes: list[Alert] = field(default_factory=list)
    xfers: dict[str, Xfer] = field(default_factory=dict)


@dataclass
class Ctx:
    """One request as handlers see it."""

    request: Request
    session: Session | None
    query_pairs: list[tuple[str, str]]
    form_pairs: list[tuple[str, str]]
    query: dict[str, PhpValue]
    form: dict[str, PhpValue]

    @property
    def user_id(self) -> int | None:
        return self.session.user_id if self.session else None


class App(Protocol):
    """The app as page handlers see it (``app.BackOfficeApp`` satisfies it)."""

    @property
    def store(self) -> Store: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def now(self) -> Callable[[], datetime]: ...

    def render(self, ctx: Ctx, template: str, *, status: int = 200, **context: Any) -> Response: ...

    def redirect(self, location: str) -> Response: ...

    def redirect_with_alert(
        self, ctx: Ctx, location: str, alert: Alert, form: dict[str, str] | None = None,
        **query: str,
    ) -> Response: ...  # fmt: skip

    def error_page(self, status: int, message: str) -> Response: ...

    def flash(self, ctx: Ctx, alert: Alert) -> None: ...

    def duplicate(self, what: str, val: str) -> str: ...

    def new_session(self, ctx: Ctx) -> Session: ...

    def drop_session(self, ctx: Ctx) -> None: ...


# A page handler: (app, ctx, **url arguments) -> response.
class PageNotFound(Exception):
    """A page's record does not exist: the app answers with its 404 error page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


_Record = TypeVar("_Record")


def found(records: Mapping[int, _Record], record_id: int, missing: str) -> _Record:
    """The record a page is about, or the 404 page saying ``missing`` (every
    ``/…/<id>`` page opens this way)."""
    record = records.get(record_id)
    if record is None:
        raise PageNotFound(missing)
    return record


Handler = Callable[Concatenate[App, Ctx, ...], Response]
RouteTable = list[tuple[str, str, str, Handler, bool]]  # rule, method, endpoint, fn, protected
_View = TypeVar("_View", bound=Handler)


class Routes(RouteTable):
    """A views module's routes, each said on its view: ``@ROUTES.on("GET", "/user",
    "/user/<int:page>")`` (``login=False``: served without a session)."""

    def on(self, method: str, *rules: str, login: bool = True) -> Callable[[_View], _View]:
        def add(view: _View) -> _View:
            self.extend((rule, method, f"{method} {rule}", view, login) for rule in rules)
            return view

        return add
