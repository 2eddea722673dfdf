"""The detail pane: one employee's full record, PIN hidden until asked for."""

from __future__ import annotations

from rich.table import Table
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from sonnys_tui.backoffice import fields
from sonnys_tui.backoffice.models import EmployeeRecord, EmployeeRow
from sonnys_tui.display import safe_text
from sonnys_tui.tui.widgets.pay_section import PaySection

MASK = "•••••"


def status_word(active: bool) -> str:
    """The one wording of an employee's status, as the filter and the palette say it."""
    return "active" if active else "inactive"


def _fields(record: EmployeeRecord, reveal_pin: bool) -> list[tuple[str, str]]:
    """The record's lines, each labelled as the field registry names the field."""
    pin = record.pos_pin.reveal() if reveal_pin else (MASK if record.pos_pin else "(none)")
    label = fields.label
    return [
        ("Name", record.full_name),
        (label("active"), status_word(record.active)),
        (label("pos_user_id"), "" if record.pos_user_id is None else str(record.pos_user_id)),
        (label("pos_pin"), pin),
        (label("phone"), record.phone),
        (label("email"), record.email),
        (label("start_date"), record.start_date.isoformat() if record.start_date else ""),
        (label("available_sites"), ", ".join(record.sites)),
        (label("departments"), ", ".join(record.departments)),
        (label("adp_employee_id"), record.adp_employee_id),
        (
            "Emergency",  # the name and the phone on one line
            " ".join(
                part
                for part in (record.emergency_contact_name, record.emergency_contact_phone)
                if part
            ),
        ),
        (label("employee_id"), str(record.employee_id)),
    ]


def render_record(record: EmployeeRecord, *, reveal_pin: bool) -> Table:
    # Every value is a Text: names like "[bold]Bo" are shown literally, never as markup,
    # and an escape or a bidi override in one is shown, never sent to the terminal.
    table = Table.grid(padding=(0, 1))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for label, value in _fields(record, reveal_pin):
        table.add_row(safe_text(label), safe_text(value))
    return table


class EmployeeDetail(VerticalScroll, can_focus=True):
    # Esc (close) and Ctrl+D (disable/enable) are the Employees pane's, around it.
    BINDINGS = [Binding("p", "reveal_pin", "Show PIN")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.row: EmployeeRow | None = None
        self.record: EmployeeRecord | None = None
        self.reveal = False

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="detail-body")
        yield PaySection(id="pay-section")  # read apart: shown when its read arrives

    @property
    def pay(self) -> PaySection:
        return self.query_one("#pay-section", PaySection)

    @property
    def employee_id(self) -> int | None:
        return self.row.employee_id if self.row else None

    def show_loading(self, row: EmployeeRow) -> None:
        self.row, self.record, self.reveal = row, None, False
        self.border_title = safe_text(row.full_name)
        self.query_one("#detail-body", Static).update(safe_text(f"Loading {row.full_name}…"))
        self.pay.show_loading(row.employee_id)

    def show_record(self, record: EmployeeRecord) -> None:
        if self.row is None or record.employee_id != self.row.employee_id:
            return  # a late answer for someone no longer shown
        self.record = record
        self._draw()

    def show_failure(self, text: str) -> None:
        self.query_one("#detail-body", Static).update(safe_text(text))

    def action_reveal_pin(self) -> None:
        if self.record is None:
            return
        self.reveal = not self.reveal
        self._draw()

    def _draw(self) -> None:
        if self.record is not None:
            self.border_title = safe_text(self.record.full_name)
            body = render_record(self.record, reveal_pin=self.reveal)
            self.query_one("#detail-body", Static).update(body)
