"""One place where failed workers become toasts (or a screen's own error display)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

T = TypeVar("T")


class ReportsWorkerErrors:
    """Mixin for screens and panes: a worker that raised is reported once, here.

    Screens that show some errors in place (the Connect screen's login reason, the
    New employee form's field labels) override :meth:`worker_failed` and return True
    for the errors they handled.
    """

    app: App[object]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is not WorkerState.ERROR or event.worker.error is None:
            return
        error = event.worker.error
        event.stop()  # reported here once: not again by a screen the message bubbles to
        if not self.worker_failed(event.worker.name, error):
            from sonnys_tui.tui.errors import describe_error, error_title

            self.app.notify(
                describe_error(error), title=error_title(error), severity="error", markup=False
            )

    def worker_failed(self, name: str, error: BaseException) -> bool:
        return False


def answer_in_place(
    node: DOMNode,
    name: str,
    call: Callable[[], T],
    done: Callable[[T], object],
    failed: Callable[[BaseException], object],
) -> None:
    """Run ``call`` in a thread worker of ``node`` (named ``name``, its own exclusive
    group), then hand its answer to ``done`` or its error to ``failed`` on the UI thread,
    for a screen that shows either in place (never a toast: the error is caught in the
    worker, so the worker itself never fails)."""

    def answer() -> None:
        try:
            result = call()
        except Exception as exc:
            node.app.call_from_thread(failed, exc)
        else:
            node.app.call_from_thread(done, result)

    node.run_worker(answer, name=name, group=name, exclusive=True, thread=True, exit_on_error=False)
