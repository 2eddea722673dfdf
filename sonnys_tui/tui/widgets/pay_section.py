"""The Pay and Permissions part of the detail pane: the wage history (newest first, the
current wage marked) and the POS template the permission set matches, or "custom".

Read apart from the record (two more pages), so the record shows first on a slow link
and this section says "loading pay…" until its own read arrives.
"""

from __future__ import annotations

from decimal import Decimal

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from sonnys_tui.backoffice.models import EmployeeRecord, PosAccess, Wage
from sonnys_tui.display import safe_text

LOADING = "loading pay…"


def money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def wage_lines(wage: Wage) -> Text:
    """Two lines: what is paid, then from when to when (and "current": the one in effect)."""
    overtime = f"OT {money(wage.overtime_rate)}" if wage.overtime_eligible else "no overtime"
    text = Text("● " if wage.current else "  ", style="bold" if wage.current else "")
    text.append(f"{wage.wage_type} {money(wage.rate)} · {overtime}")
    until = wage.end_date.isoformat() if wage.end_date else "…"
    text.append(f"\n  {wage.effective_date.isoformat()} → {until}", style="dim")
    if wage.current:
        text.append("  current", style="bold")
    return text


def permissions_word(access: PosAccess | None) -> str:
    """The matching POS template, "custom" when none matches, "none" without any."""
    if access is None:
        return "not read"
    if access.template is not None:
        return access.template
    return "custom (matches no template)" if access.granted else "none"


def render_pay(record: EmployeeRecord) -> Group:
    title = Text("Pay", style="bold underline")
    wages = record.wages or ()
    lines: list[Text] = [title]
    if not wages:
        lines.append(Text("  no wage on record"))
    lines += [wage_lines(wage) for wage in wages]
    permissions = Text("Permissions ", style="bold")
    # A template's name is the server's text: shown, never sent to the terminal raw.
    permissions.append_text(safe_text(permissions_word(record.pos_access)))
    return Group(*lines, Text(""), permissions)


class PaySection(Static):
    """Shows one employee's pay; :attr:`record` is the full record it was drawn from
    (wages and POS access read), the one a wage or template change is planned on."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.employee_id: int | None = None
        self.record: EmployeeRecord | None = None

    def show_loading(self, employee_id: int) -> None:
        self.employee_id, self.record = employee_id, None
        self.update(Text(LOADING, style="italic"))

    def show(self, record: EmployeeRecord) -> bool:
        """Draw ``record``; False (and nothing drawn) for a late answer about someone
        no longer shown."""
        if record.employee_id != self.employee_id:
            return False
        self.record = record
        self.update(render_pay(record))
        return True

    def show_failure(self, employee_id: int, text: str) -> None:
        if employee_id == self.employee_id:
            self.update(safe_text(f"Pay not read: {text}"))
