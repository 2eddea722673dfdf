"""The Employees tab: filter, virtual table, detail pane, and the status line that
says where the rows came from (the disk cache, the server, or a server search while
the roster is still downloading)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, get_args

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from sonnys_tui.backoffice.errors import BackofficeError
from sonnys_tui.backoffice.models import ActiveFilter, EmployeeRecord, EmployeeRow
from sonnys_tui.backoffice.validation import POS_USER_ID_MAX
from sonnys_tui.cache import describe_age
from sonnys_tui.display import terminal_safe
from sonnys_tui.lookup import Query, no_match
from sonnys_tui.tenant import (
    EmployeeChanged,
    ListsReplaced,
    RefreshFailed,
    RefreshStarted,
    Tenant,
    TenantChange,
)
from sonnys_tui.tui.errors import describe_error
from sonnys_tui.tui.panes.base import TenantPane
from sonnys_tui.tui.roster import SORT_KEYS, SORT_LABELS, Roster, SortKey
from sonnys_tui.tui.widgets.employee_detail import EmployeeDetail
from sonnys_tui.tui.widgets.employee_table import EmployeeTable
from sonnys_tui.tui.widgets.safe_input import SafeInput

if TYPE_CHECKING:
    from sonnys_tui.tui.dialogs.plan_dialog import PlanDialog

ACTIVE_CYCLE: tuple[ActiveFilter, ...] = get_args(ActiveFilter)  # active, inactive, all
SORT_COLUMN_TITLES: dict[SortKey, str] = {
    "name": "Name",
    "pos_user_id": "POS ID",
    "phone": "Phone",
    "sites": "Sites",
    "active": "Active",
}


class EmployeesPane(TenantPane):
    MAIN = "#filter"

    # What this pane's own workers post back to it.

    @dataclass
    class DetailLoaded(Message):
        """One employee's full record, for the detail pane."""

        record: EmployeeRecord

    @dataclass
    class PayLoaded(Message):
        """One employee's record with its wage history and POS access, for the Pay section."""

        record: EmployeeRecord

    @dataclass
    class PayFailed(Message):
        """The Pay section's read failed (said in the section, not in a toast)."""

        employee_id: int
        text: str

    @dataclass
    class ServerSearchDone(Message):
        """The server's answer to the filter typed while the roster was still loading."""

        text: str
        rows: Sequence[EmployeeRow]

    BINDINGS = [
        # Priority: the filter Input would take Ctrl+D (delete right) first. One of the
        # two is offered: the one that applies to the employee shown (check_action).
        Binding("ctrl+d", "set_active(False)", "Disable", priority=True),
        Binding("ctrl+d", "set_active(True)", "Enable", priority=True),
        # Edit: "e" on the table or detail; F8 from the filter too (Input eats letters,
        # and its Ctrl+E is "end"). In the footer while the detail pane shows someone;
        # on the row under the cursor otherwise (F1 lists it).
        Binding("f8", "edit(True)", "Edit"),
        Binding("f8", "edit(False)", "Edit", show=False),
        Binding("e", "edit(None)", "Edit", show=False),  # not priority: the filter types e
        # Pay: F9 / Ctrl+T work from the filter too (it eats letters), w / t elsewhere.
        Binding("f9", "add_wage", "Wage"),
        Binding("w", "add_wage", "Add wage", show=False),
        Binding("ctrl+t", "change_template", "Template"),
        Binding("t", "change_template", "Change template", show=False),
        Binding("f2", "cycle_active", "Show"),
        Binding("f3", "cycle_sort", "Sort"),
        Binding("f4", "reverse_sort", "Reverse", show=False),
        Binding("f6", "reveal_pin", "PIN", show=False),
        Binding("escape", "close_detail", "Close", show=False),
        Binding("up", "table('cursor_up')", show=False),
        Binding("down", "table('cursor_down')", show=False),
        Binding("pageup", "table('page_up')", show=False),
        Binding("pagedown", "table('page_down')", show=False),
    ]

    SERVER_SEARCH_DEBOUNCE = 0.3  # seconds of quiet typing before asking the server
    PAY_DEBOUNCE = 0.25  # seconds on one row before reading its pay (scrolling reads none)

    def __init__(self, tenant: Tenant, *, id: str | None = None) -> None:
        super().__init__(tenant, id=id)
        self.roster = Roster()
        self.roster_loaded = False  # the server's roster arrived
        self.roster_shown = False  # rows to filter locally: the server's or the cache's
        self._cache_age: str | None = None  # set while the rows shown are the cache's
        self._showed_cache = False  # then the status says when the server's rows arrive
        self._refresh_failed = False
        self._search_text = ""  # the filter the server search answers

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-bar"):
            yield SafeInput(placeholder="Filter: name, POS ID or phone", id="filter")
            yield Static("", id="roster-status", markup=False)
        with Horizontal(id="employees-body"):
            yield EmployeeTable(id="table")
            yield EmployeeDetail(id="detail")

    @property
    def table(self) -> EmployeeTable:
        return self.query_one("#table", EmployeeTable)

    @property
    def detail(self) -> EmployeeDetail:
        return self.query_one("#detail", EmployeeDetail)

    def show_known(self) -> None:
        if self.tenant.knows("employees"):
            self._show_roster(from_cache=self.tenant.source("employees") == "cache")
        else:
            self.table.loading = True

    # ------------------------------------------------------------------ tenant

    def tenant_changed(self, change: TenantChange) -> None:
        if isinstance(change, RefreshStarted) and "employees" in change.lists:
            self._refresh_failed = False
            if not self.roster_shown:
                self.table.loading = True
            self._update_status()
        elif isinstance(change, ListsReplaced) and "employees" in change.lists:
            self._show_roster(from_cache=change.source == "cache")
        elif isinstance(change, RefreshFailed) and "employees" in change.lists:
            self.table.loading = False
            self._refresh_failed = True
            if self.roster_shown:
                self._update_status()  # the cache's rows stay, saying they are not fresh
            else:
                self._search_server_for(self.query_one("#filter", Input).value)
        elif isinstance(change, EmployeeChanged):
            self._employee_changed(change)

    def _show_roster(self, *, from_cache: bool) -> None:
        """Replace every row in place: the filter, sort and cursor stay."""
        if from_cache:
            as_of = self.tenant.as_of("employees") or datetime.now(UTC)
            self._cache_age = describe_age((datetime.now(UTC) - as_of).total_seconds())
            self._showed_cache = True
        else:
            self.roster_loaded = True
            self._cache_age = None
        self.roster.load_indexed(self.tenant.entries())
        self.roster_shown = True
        self.table.loading = False
        self.table.set_rows(self.roster.visible)
        self._update_status()

    def _employee_changed(self, change: EmployeeChanged) -> None:
        row = change.row
        self.roster.replace_row(row)
        keep = row.employee_id if change.operation == "hire" else None
        self.table.set_rows(self.roster.visible, keep_id=keep)
        self._update_status()
        if change.operation in ("disable", "enable"):
            who = terminal_safe(row.full_name)
            self.notify(f"{who} ({row.pos_user_id}) {change.operation}d.", markup=False)
        if self.detail.display and self.detail.employee_id == row.employee_id:
            self._open_detail(row)

    # ------------------------------------------------------------------ workers

    @work(thread=True, exclusive=True, exit_on_error=False, name="server-search", group="search")
    def _server_search(self, text: str) -> None:
        time.sleep(self.SERVER_SEARCH_DEBOUNCE)
        if get_current_worker().is_cancelled or text != self._search_text:
            return  # typing went on: only the last text is asked
        rows = self.tenant.search_server(Query.parse(text))
        self.post_message(self.ServerSearchDone(text, rows))

    @work(thread=True, exclusive=True, exit_on_error=False, name="detail", group="detail")
    def _load_detail(self, employee_id: int) -> None:
        # The edit page only (1 request): the Pay section reads the rest on its own.
        record = self.tenant.read_employee(employee_id, wages=False, pos_access=False)
        self.post_message(self.DetailLoaded(record))

    @work(thread=True, exclusive=True, exit_on_error=False, name="pay", group="pay")
    def _load_pay(self, employee_id: int, wait: float = 0.0) -> None:
        time.sleep(wait)
        if get_current_worker().is_cancelled:
            return  # the cursor moved on: only the row that stays is read
        try:
            record = self.tenant.read_employee(employee_id)
        except BackofficeError as error:
            self.post_message(self.PayFailed(employee_id, describe_error(error)))
            return
        self.post_message(self.PayLoaded(record))

    def worker_failed(self, name: str, error: BaseException) -> bool:
        if name == "detail":
            self.detail.show_failure(describe_error(error))
        return False  # and a toast, from the mixin

    # ------------------------------------------------------------------ status line

    def _update_status(self) -> None:
        roster = self.roster
        parts = [f"{len(roster.visible):,} of {len(roster):,}"]
        if not roster.visible and len(roster) and not roster.query.is_empty:
            parts.append(no_match(roster.query))  # an empty table says why
        if roster.active != "all":
            parts.append(roster.active)
        if roster.site_code:
            parts.append(f"site {roster.site_code}")
        if roster.department:
            parts.append(f"department {roster.department}")
        if self._cache_age is not None:
            parts += [self._cache_age, "refresh failed" if self._refresh_failed else "refreshing…"]
        elif self._showed_cache and self.roster_loaded:
            parts.append("current")  # it was the cache's before: say it is fresh now
        self.query_one("#roster-status", Static).update(terminal_safe(" · ".join(parts)))
        self.table.set_sort_marker(SORT_COLUMN_TITLES[roster.sort_key], roster.reverse)
        self.refresh_bindings()  # the rows moved: Disable or Enable, or neither

    # ------------------------------------------------------------------ filter

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.roster.set_query(event.value)
        if not self.roster_shown:
            self._search_server_for(event.value)
            return
        self.table.set_rows(self.roster.visible)
        self._update_status()
        query = Query.parse(event.value)
        if (
            query.is_number
            and not self.roster.visible
            and 1 <= int(query.digits) <= POS_USER_ID_MAX
        ):
            # Nobody listed has it: perhaps someone the list hides (no available site).
            self._search_text = event.value
            self._find_hidden(event.value, int(query.digits))

    @work(thread=True, exclusive=True, exit_on_error=False, name="find-hidden", group="search")
    def _find_hidden(self, text: str, pos_user_id: int) -> None:
        time.sleep(self.SERVER_SEARCH_DEBOUNCE)
        if get_current_worker().is_cancelled or text != self._search_text:
            return  # typing went on: only the last text is asked
        row = self.tenant.find_hidden(pos_user_id)  # the tenant tells the table
        if row is not None:
            self.app.call_from_thread(self._say_hidden, row)

    def _say_hidden(self, row: EmployeeRow) -> None:
        fix = (
            "The fix: give them a site, or offboard them (not here: read-only)."
            if self.tenant.read_only
            else "F8 gives them a site; Ctrl+D offboards them."
        )
        self.notify(
            f"{terminal_safe(row.full_name)} ({row.pos_user_id}) has no available site: the"
            f" Back Office employee list hides them, yet their POS login works. {fix}",
            title="Hidden from the roster",
            severity="warning",
            markup=False,
        )

    def _search_server_for(self, text: str) -> None:
        """No roster to filter yet: ask the server (after a pause in the typing)."""
        self._search_text = text
        status = self.query_one("#roster-status", Static)
        if Query.parse(text).is_empty:
            self.table.set_rows([])
            self.table.loading = not self._refresh_failed
            status.update("")
            return
        status.update(f"searching the server ({self._roster_state()})…")
        self._server_search(text)

    def on_employees_pane_server_search_done(self, message: EmployeesPane.ServerSearchDone) -> None:
        if self.roster_shown or message.text != self._search_text:
            return  # the roster took over, or the filter changed since: a stale answer
        self.table.loading = False
        self.table.set_rows(message.rows)
        found = (
            f"{len(message.rows):,} found" if message.rows else no_match(Query.parse(message.text))
        )
        self.query_one("#roster-status", Static).update(
            terminal_safe(f"{found} · server search ({self._roster_state()})")
        )
        self.refresh_bindings()

    def _roster_state(self) -> str:
        return "roster not loaded" if self._refresh_failed else "roster still loading"

    def filter_by(self, *, site: str | None = None, department: str | None = None) -> None:
        """Show only one site's or one department's employees (from the other tabs)."""
        self.roster.set_site(site)
        self.roster.set_department(department)
        self.table.set_rows(self.roster.visible)
        self._update_status()
        self.query_one("#filter", Input).focus()

    # ------------------------------------------------------------------ table and detail

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        row = self.table.current
        if row is not None:
            self._open_detail(row, focus=True)

    @on(EmployeeTable.Chosen)
    def _row_chosen(self, event: EmployeeTable.Chosen) -> None:
        self._open_detail(event.row, focus=True)

    @on(EmployeeTable.Highlighted)
    def _row_highlighted(self, event: EmployeeTable.Highlighted) -> None:
        if self.detail.display and event.row is not None:
            self._open_detail(event.row)
        self.refresh_bindings()

    def on_employees_pane_detail_loaded(self, message: EmployeesPane.DetailLoaded) -> None:
        self.detail.show_record(message.record)

    def on_employees_pane_pay_loaded(self, message: EmployeesPane.PayLoaded) -> None:
        if self.detail.pay.show(message.record):
            self.refresh_bindings()  # Wage and Template can act now

    def on_employees_pane_pay_failed(self, message: EmployeesPane.PayFailed) -> None:
        self.detail.pay.show_failure(message.employee_id, message.text)

    def _open_detail(self, row: EmployeeRow, *, focus: bool = False) -> None:
        detail = self.detail
        detail.display = True
        detail.show_loading(row)
        self._load_detail(row.employee_id)
        # Opened on purpose: read now; following the cursor: once it rests on a row.
        self._load_pay(row.employee_id, 0.0 if focus else self.PAY_DEBOUNCE)
        if focus:
            detail.focus()
        self.refresh_bindings()

    def action_close_detail(self) -> None:
        if self.detail.display:
            self.detail.display = False
            self.query_one("#filter", Input).focus()
            self.refresh_bindings()
        elif self.roster.site_code is not None or self.roster.department is not None:
            self.filter_by()

    def action_reveal_pin(self) -> None:
        self.detail.action_reveal_pin()

    def action_table(self, action: str) -> None:
        getattr(self.table, f"action_{action}")()

    def action_cycle_active(self) -> None:
        current = ACTIVE_CYCLE.index(self.roster.active)
        self.roster.set_active(ACTIVE_CYCLE[(current + 1) % len(ACTIVE_CYCLE)])
        self.table.set_rows(self.roster.visible)
        self._update_status()
        self.notify(f"Showing {self.roster.active} employees.", timeout=2)

    def action_cycle_sort(self) -> None:
        current = SORT_KEYS.index(self.roster.sort_key)
        key = SORT_KEYS[(current + 1) % len(SORT_KEYS)]
        self.roster.set_sort(key)
        self.table.set_rows(self.roster.visible)
        self._update_status()
        self.notify(f"Sorted by {SORT_LABELS[key]}.", timeout=2)

    @on(EmployeeTable.HeaderClicked)
    def _header_clicked(self, event: EmployeeTable.HeaderClicked) -> None:
        for key, title in SORT_COLUMN_TITLES.items():
            if title == event.title:
                same = key == self.roster.sort_key
                self.roster.set_sort(key, reverse=same and not self.roster.reverse)
                self.table.set_rows(self.roster.visible)
                self._update_status()
                return

    def action_reverse_sort(self) -> None:
        self.roster.set_sort(self.roster.sort_key, reverse=not self.roster.reverse)
        self.table.set_rows(self.roster.visible)
        self._update_status()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        writes = ("set_active", "edit", "add_wage", "change_template")
        if action in writes and self.tenant.read_only:
            return False  # read-only: no write offered
        if action == "set_active":
            row = self.current_employee()
            if row is None:
                return None if parameters == (False,) else False  # shown, dimmed: nobody
            return row.active != parameters[0]
        if action == "reveal_pin":
            return self.detail.display
        if action in ("add_wage", "change_template"):
            if not self.detail.display:
                return False  # only for an employee shown
            return self.detail.pay.record is not None or None  # dimmed until pay is read
        if action == "edit":
            if self.current_employee() is None:
                return False
            return parameters[0] is None or self.detail.display == parameters[0]
        return True

    def current_employee(self) -> EmployeeRow | None:
        """The employee the keys act on: the one in the open detail pane, else the row
        under the cursor."""
        if self.detail.display and self.detail.row is not None:
            return self.detail.row
        return self.table.current

    def action_set_active(self, enable: bool) -> None:
        from sonnys_tui.tui.dialogs.offboard import OffboardScreen

        row = self.current_employee()
        if row is None or row.active == enable:
            return  # not offered (check_action): a key press that came anyway
        # The dialog asks (Back Office logins too), writes through the tenant and shows
        # each door; the tenant's change updates the row.
        self.app.push_screen(OffboardScreen(self.tenant, row, enable=enable))

    class EditRequested(Message):
        """Edit this employee (the Home screen opens the form)."""

        def __init__(self, row: EmployeeRow) -> None:
            super().__init__()
            self.row = row

    def action_edit(self, _in_detail: bool | None) -> None:
        row = self.current_employee()
        if row is not None:
            self.post_message(self.EditRequested(row))

    def action_add_wage(self) -> None:
        from sonnys_tui.tui.dialogs.add_wage import AddWageDialog

        record = self.detail.pay.record
        if not self.detail.display or record is None:
            return
        if not record.wages:
            self.notify("No wage on record: the first wage is set on hire.", timeout=4)
            return
        dialog = AddWageDialog(self.tenant, record, today=self._today())
        self.app.push_screen(dialog, lambda _: self._pay_changed(record.employee_id, dialog))

    def action_change_template(self) -> None:
        from sonnys_tui.tui.dialogs.change_template import ChangeTemplateDialog

        record = self.detail.pay.record
        if not self.detail.display or record is None:
            return
        dialog = ChangeTemplateDialog(self.tenant, record)
        self.app.push_screen(dialog, lambda _: self._pay_changed(record.employee_id, dialog))

    def _today(self) -> date:
        today = getattr(self.screen, "today", None)  # the Home screen's clock (tests fix it)
        return today() if callable(today) else date.today()

    def _pay_changed(self, employee_id: int, dialog: PlanDialog) -> None:
        """A wage or template was applied (or may have been, or someone else changed the
        record meanwhile): read the Pay section again."""
        shown = self.detail.display and self.detail.employee_id == employee_id
        if dialog.server_changed and shown:
            self.detail.pay.show_loading(employee_id)
            self._load_pay(employee_id)
            self.refresh_bindings()

    def focus_employee(self, employee_id: int) -> None:
        """Show one employee (from the command palette): clear filters, select, open."""
        self.query_one("#filter", Input).value = ""
        self.roster.set_query("")
        self.roster.set_site(None)
        self.roster.set_department(None)
        self.roster.set_active("all")
        self.table.set_rows(self.roster.visible, keep_id=employee_id)
        self._update_status()
        row = self.table.current
        if row is not None and row.employee_id == employee_id:
            self._open_detail(row, focus=True)
