"""Review changes: a plan's diff (per field, old → new, only what changes) and the
requests its apply will send; Apply (Enter / y) writes it through the tenant layer in a
worker, Back to edit (Esc / n) writes nothing.

The screen takes any :class:`EmployeeChangePlan` (an update, a wage, a template) and is
dismissed with a :class:`ReviewOutcome`: what the apply returned, or the error it
raised (the screen that asked shows it where the user can fix it), or None for "back".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar, cast

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from sonnys_tui.backoffice import fields
from sonnys_tui.backoffice.models import (
    EmployeeChangePlan,
    EmployeeUpdated,
    FieldChange,
    FieldValue,
    PosPermissionsSet,
    Secret,
    WageAdded,
)
from sonnys_tui.display import safe_lines, safe_text
from sonnys_tui.tenant import Tenant
from sonnys_tui.tui.widgets.footer import Footer
from sonnys_tui.tui.workers import ReportsWorkerErrors

# The plans the tenant layer applies (its own constraint).
R = TypeVar("R", EmployeeUpdated, WageAdded, PosPermissionsSet)


@dataclass(frozen=True)
class ReviewOutcome(Generic[R]):
    """An apply that was tried: its ``result``, or the ``error`` it raised."""

    result: R | None = None
    error: BaseException | None = None


def field_label(name: str) -> str:
    """The registry's word for a field (one it lacks: its own name, made readable)."""
    return fields.label(name)


def shown_value(value: FieldValue) -> str:
    if isinstance(value, Secret):
        return "•••••"  # a PIN is reviewed as "changes", never shown
    if isinstance(value, tuple):
        return ", ".join(value) or "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return "(empty)" if value in ("", None) else str(value)


def render_changes(changes: tuple[FieldChange, ...]) -> Table:
    # Every value is a Text made safe: a name like "[b]x" or an escape is shown as typed.
    table = Table(box=None, padding=(0, 1), show_edge=False, expand=False)
    table.add_column("Field", style="bold", no_wrap=True)
    table.add_column("Now")
    table.add_column("", no_wrap=True)
    table.add_column("After")
    for change in changes:
        new = safe_text(shown_value(change.new))
        if change.added or change.removed:
            # A list: say what it gains and loses, not only the two lists.
            parts = [f"+ {name}" for name in change.added]
            parts += [f"- {name}" for name in change.removed]
            delta = safe_text("  ".join(parts))
            delta.stylize("italic")
            new.append("\n")
            new.append(delta)
        table.add_row(
            safe_text(field_label(change.field)), safe_text(shown_value(change.old)), "→", new
        )
    return table


def describe_plan(plan: EmployeeChangePlan[Any]) -> Text:
    head = Text(f"{plan.operation.capitalize()} of ", style="bold")
    head.append(safe_text(plan.employee_name or f"employee {plan.employee_id}"))
    head.append(f" (employee {plan.employee_id})")
    return head


def render_requests(plan: EmployeeChangePlan[Any]) -> Group:
    """The requests, numbered, then the warnings: a line that wraps (80 columns) goes
    on under its own text, not under its number, so it never reads as a new item."""
    requests, warnings = _hanging(), _hanging()
    for number, request in enumerate(plan.requests, 1):
        what = f"{request.method} {request.path}: {request.purpose}"
        requests.add_row(f"  {number}.", safe_text(what))
    for warning in plan.warnings:
        warnings.add_row(Text("Warning:", style="bold"), safe_text(warning, style="bold"))
    heading = Text(f"Applying sends {len(plan.requests)} request(s):", style="bold")
    return Group(heading, requests, warnings)


def _hanging() -> Table:
    """Rows of a mark ("1.", "Warning:") and a text that wraps under itself."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column()
    return table


class ReviewChangesScreen(ReportsWorkerErrors, Screen[ReviewOutcome[R] | None], Generic[R]):
    # What this screen's own workers post back to it.

    @dataclass
    class Applied(Message):
        """The plan written and verified: the screen closes with it."""

        result: object

    BINDINGS = [
        Binding("enter,y", "apply", "Apply", priority=True),
        Binding("escape,n", "back", "Back to edit", priority=True),
    ]

    def __init__(self, tenant: Tenant, plan: EmployeeChangePlan[R]) -> None:
        super().__init__()
        self.tenant = tenant
        self.plan: EmployeeChangePlan[R] = plan
        self.applying = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="review-body", classes="form"):
            yield Static(describe_plan(self.plan), id="review-title", classes="section")
            yield Static(render_changes(self.plan.changes), id="review-changes")
            yield Static(render_requests(self.plan), id="review-requests")
        yield Static("", id="review-progress", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Review changes"
        self.query_one("#review-progress").display = False
        self.query_one("#review-body").focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("apply", "back") and self.applying:
            return None  # shown dimmed: a write is on its way and is not interrupted
        return True

    def action_back(self) -> None:
        if not self.applying:
            self.dismiss(None)

    def action_apply(self) -> None:
        if self.applying:
            return
        self.applying = True
        self.refresh_bindings()
        self._steps: list[str] = []
        progress = self.query_one("#review-progress", Static)
        progress.update(f"Applying {len(self.plan.requests)} request(s)…")
        progress.display = True
        self._apply()

    def _step(self, line: str) -> None:
        """One step of the apply has started. The earlier ones are marked passed, not
        done: after a failed save the client reads back to learn what happened."""
        self._steps.append(line)
        total = max(len(self.plan.requests), len(self._steps))
        shown = [
            f"{'…' if n == len(self._steps) else '·'} {n}/{total} {step}"
            for n, step in enumerate(self._steps, 1)
        ]
        # Our own line breaks kept, the steps' text (names from the server) made safe.
        self.query_one("#review-progress", Static).update(Text(safe_lines("\n".join(shown))))

    @work(thread=True, exclusive=True, exit_on_error=False, name="apply-change", group="apply")
    def _apply(self) -> None:
        def told(line: str) -> None:
            self.app.call_from_thread(self._step, line)

        self.post_message(self.Applied(self.tenant.write_change(self.plan, progress=told)))

    def on_review_changes_screen_applied(self, message: ReviewChangesScreen.Applied) -> None:
        self.dismiss(ReviewOutcome(result=cast(R, message.result)))

    def worker_failed(self, name: str, error: BaseException) -> bool:
        if name != "apply-change":
            return False
        self.applying = False
        self.dismiss(ReviewOutcome(error=error))  # the form shows it, with what was typed
        return True
