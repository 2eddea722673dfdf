"""What every benchmark shares: the figure row, timing helpers, a replay transport."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

Benchmark = Callable[[argparse.Namespace], list["Figure"]]


@dataclass
class Figure:
    name: str
    measured: str
    baseline: str
    ratio: str
    target: str
    ok: bool | None  # None: informational only
    note: str = ""  # printed under the table


def registry() -> tuple[dict[str, Benchmark], Callable[[str], Callable[[Benchmark], Benchmark]]]:
    """A per-module registry and its decorator."""
    found: dict[str, Benchmark] = {}

    def register(name: str) -> Callable[[Benchmark], Benchmark]:
        def add(fn: Benchmark) -> Benchmark:
            found[name] = fn
            return fn

        return add

    return found, register


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs, in seconds (the least disturbed by the machine)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def median_of(times: list[float]) -> float:
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.2f} µs"


class ReplayTransport(httpx.BaseTransport):
    """Answers GETs from responses recorded on their first fetch.

    Timing the client against a replay measures the client's own work (HTTP
    plumbing, parsing, indexing), not the simulator's page rendering.
    """

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.recorded: dict[str, tuple[int, list[tuple[bytes, bytes]], bytes]] = {}
        self.replaying = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        key = str(request.url)
        if request.method == "GET" and self.replaying and key in self.recorded:
            status, headers, body = self.recorded[key]
            return httpx.Response(status, headers=headers, content=body, request=request)
        response = self.inner.handle_request(request)
        body = response.read()
        if request.method == "GET":
            self.recorded[key] = (response.status_code, list(response.headers.raw), body)
        return httpx.Response(
            response.status_code, headers=response.headers.raw, content=body, request=request
        )
