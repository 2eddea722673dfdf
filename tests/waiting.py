"""Bounded waits for the tests: a condition polled until it holds or a deadline passes.

No test waits a fixed time (too short on a busy CI machine, wasted on a quiet one) and
none waits without a bound (a hang would stall the whole run until pytest-timeout kills
its worker): they poll the condition they need, and fail saying what never happened.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.pilot import Pilot

# Generous: a wait that fails fast on a loaded 2-core runner is a flaky test, and one
# that passes returns as soon as its condition holds, so the bound costs nothing.
DEFAULT_SECONDS = 30.0


def _describe(condition: Callable[[], object], what: str) -> str:
    return what or getattr(condition, "__qualname__", repr(condition))


async def wait_until(
    pilot: Pilot[object],
    condition: Callable[[], object],
    *,
    seconds: float = DEFAULT_SECONDS,
    what: str = "",
) -> None:
    """Let the app run until ``condition()`` is true; fail after ``seconds``.

    Workers are not awaited (one may be held on purpose by a gate): only the app's
    messages are processed between polls."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {_describe(condition, what)}")
        await pilot.pause(0.01)


def wait_until_sync(
    condition: Callable[[], object], *, seconds: float = DEFAULT_SECONDS, what: str = ""
) -> None:
    """:func:`wait_until` for a test with no app: poll from this thread."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds} s for {_describe(condition, what)}")
        time.sleep(0.005)


async def settle(pilot: Pilot[object]) -> None:
    """Let every worker finish and every resulting message be handled."""
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()
