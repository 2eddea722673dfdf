"""Bounded waits for the tests: a condition polled until it holds or a deadline passes.

No test waits a fixed time (too short on a busy CI machine, wasted on a quiet one) and
none waits without a bound (a hang would stall the whole run until pytest-timeout kills
its worker): they poll the condition they need, and fail saying what never happened.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.pilot import Pilot, WaitForScreenTimeout

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


def _parked(pump: MessagePump) -> bool:
    """Whether ``pump`` sits waiting on its empty queue, with nothing queued and no
    callback due: then it has handled every message sent to it so far."""
    try:
        queue = pump._message_queue
        waiters = queue.ready_event._waiters  # type: ignore[attr-defined]
    except AttributeError:  # another Textual: treat it as busy (the pilot's own wait)
        return False
    return (
        queue.empty()
        and pump._pending_message is None
        and not pump._next_callbacks
        and any(not waiter.done() for waiter in waiters)
    )


async def wait_for_screen(self: Pilot[object], timeout: float = 30.0) -> bool:
    """Textual's ``Pilot._wait_for_screen`` (8.2), minus the widgets with nothing to do.

    Every ``pilot.pause()`` and ``pilot.press()`` ends with this wait: a callback posted
    to the app and to every widget of the screen, then waiting until each one has run,
    that is until each has handled the messages sent to it before. A widget parked on
    an empty queue has already done so: its callback only cost a message round (and an
    idle check with nothing to check) per widget, per wait, which on a form of 150
    widgets was most of the CPU of a pause. The busy widgets are waited for exactly as
    the pilot does, with the same timeout and the same stop on an app exception."""
    try:
        screen = self.app.screen
    except Exception:
        return False
    count = 0
    count_zero_event = asyncio.Event()

    def decrement_counter() -> None:
        nonlocal count
        count -= 1
        if count == 0:
            count_zero_event.set()

    for child in [self.app, *screen.walk_children(with_self=True)]:
        if not _parked(child) and child.call_later(decrement_counter):
            count += 1
    if count:
        wait_for = [
            asyncio.create_task(count_zero_event.wait()),
            asyncio.create_task(self.app._exception_event.wait()),
        ]
        _, pending = await asyncio.wait(
            wait_for, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        for task in pending:
            task.cancel()
        if len(wait_for) == len(pending):
            raise WaitForScreenTimeout(
                "Timed out while waiting for widgets to process pending messages."
            )
        if count > 0:
            return False
    return True
