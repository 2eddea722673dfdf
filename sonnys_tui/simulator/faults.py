"""Fault injection, applied at the WSGI layer so every transport sees it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

# "expire": every session is logged out just before this request (a session that ends
# between two steps of an operation); the request is then served as usual.
# "emptybody": the request is served as usual, then its answer's body is dropped, the
# status and headers kept: a redirect with an empty body (valid HTTP, what many
# proxies send). "blank": a 200 with no body at all, before or after the request is
# served (an answer nobody can read).
# "rewrite": the page as rendered is handed to a function that changes it in place (an
# lxml document): a tenant whose pages differ (an extra field, a renamed one...).
FaultKind = Literal[
    "500", "drop", "timeout", "login200", "alert", "markup", "expire", "emptybody", "blank",
    "rewrite",
]  # fmt: skip
# Changes a rendered page in place (an lxml.html document).
Rewrite = Callable[[Any], None]


class SimulatedDrop(Exception):
    """The connection is to be closed without a response."""


class SimulatedTimeout(Exception):
    """The response is never to arrive in time."""


@dataclass
class Fault:
    path: str
    method: str | None
    nth: int | None
    kind: FaultKind
    when: Literal["before", "after"]
    alert_text: str
    remove_selector: str
    rewrite: Rewrite | None = None
    seen: int = 0

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path

    def fires(self) -> bool:
        """Count one matching request; True when this one is hit."""
        self.seen += 1
        return self.nth is None or self.seen == self.nth


@dataclass
class Faults:
    latency_ms: int = 0
    # How long a "timeout" keeps a served socket silent before closing it.
    timeout_seconds: float = 5.0
    rules: list[Fault] = field(default_factory=list)
    _expire_requested: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(
        self,
        path: str,
        method: str | None = None,
        nth: int | None = 1,
        kind: FaultKind = "500",
        when: Literal["before", "after"] = "before",
        alert_text: str = "An unexpected error occurred.",
        remove_selector: str = "",
    ) -> Fault:
        if kind == "markup" and not remove_selector:
            raise ValueError("a markup fault needs remove_selector")
        fault = Fault(path, method, nth, kind, when, alert_text, remove_selector)
        return self._append(fault)

    def rewrite(self, path: str, change: Rewrite, *, nth: int | None = None) -> Fault:
        """Every GET of ``path`` (``/employee/edit/*`` for a prefix) served as rendered,
        then changed by ``change(doc)``; ``nth`` limits it to one request."""
        fault = Fault(path, "GET", nth, "rewrite", "after", "", "", rewrite=change)
        return self._append(fault)

    def _append(self, fault: Fault) -> Fault:
        with self._lock:
            self.rules.append(fault)
        return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The fault that fires for this request, if any (first matching rule wins)."""
        with self._lock:
            fired = None
            for fault in self.rules:
                if fault.matches(method, path) and fault.fires() and fired is None:
                    fired = fault
            return fired

    def expire_sessions(self) -> None:
        """Every current session becomes logged out now."""
        with self._lock:
            self._expire_requested += 1

    def expiry_generation(self) -> int:
        return self._expire_requested

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()
            self.latency_ms = 0
