"""The home screen: one tab per pane (Employees, Sites, Departments, Templates, BO users).

The screen only arranges the panes and starts the tenant's loads; each pane reads the
tenant layer, reacts to its changes and carries its own keys.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets import Header, TabbedContent, TabPane, Tabs

from sonnys_tui.backoffice.models import (
    BackofficeUserCreated,
    EmployeeCreated,
    EmployeeRow,
    EmployeeUpdated,
)
from sonnys_tui.display import terminal_safe
from sonnys_tui.tenant import REFERENCE_LISTS, Tenant
from sonnys_tui.tui.panes.base import TenantPane
from sonnys_tui.tui.panes.employees import EmployeesPane
from sonnys_tui.tui.widgets.footer import Footer
from sonnys_tui.tui.workers import ReportsWorkerErrors

if TYPE_CHECKING:
    from sonnys_tui.tui.panes.departments import DepartmentsPane
    from sonnys_tui.tui.panes.sites import SitesPane

# The tabs, in order: (id, title). The tab keys and the palette go through them.
TABS: tuple[tuple[str, str], ...] = (
    ("employees", "Employees"),
    ("sites", "Sites"),
    ("departments", "Departments"),
    ("templates", "Templates"),
    ("bo-users", "BO users"),
)


# Each tab's pane, by tab id: its module and class. The other tabs' panes are imported,
# as they are mounted, when their tab is first shown: the first frame needs neither.
PANES: dict[str, tuple[str, str]] = {
    "employees": ("sonnys_tui.tui.panes.employees", "EmployeesPane"),
    "sites": ("sonnys_tui.tui.panes.sites", "SitesPane"),
    "departments": ("sonnys_tui.tui.panes.departments", "DepartmentsPane"),
    "templates": ("sonnys_tui.tui.panes.templates", "TemplatesPane"),
    "bo-users": ("sonnys_tui.tui.panes.backoffice_users", "BackofficeUsersPane"),
}


def pane_class(tab: str) -> type[TenantPane]:
    """The class of a tab's pane (its module imported the first time)."""
    module, name = PANES[tab]
    pane: type[TenantPane] = getattr(importlib.import_module(module), name)
    return pane


class HomeScreen(ReportsWorkerErrors, Screen[None]):
    BINDINGS = [
        Binding("ctrl+n", "new_employee", "New"),
        Binding("ctrl+b", "new_backoffice_user", "BO user"),
        Binding("f5,ctrl+r", "refresh", "Refresh"),
        # Not in the footer (no room at 80 columns): in F1 and the palette. Ctrl+O "open"
        # a file: no Home widget binds it (Ctrl+I would be Tab, Ctrl+U clears the filter).
        Binding("ctrl+o", "bulk_import", "Import", show=False),
        # Not in the footer (no room at 80 columns): in F1 and the palette. Priority: a
        # table's own keys must not swallow them on one tab and not another.
        Binding("ctrl+pagedown,alt+right", "next_tab(1)", "Next tab", show=False, priority=True),
        Binding("ctrl+pageup,alt+left", "next_tab(-1)", "Previous tab", show=False, priority=True),
        # On the tab bar (a click leaves the focus there): into the tab's list.
        Binding("down,enter", "enter_tab", show=False),
    ]

    def __init__(self, tenant: Tenant, *, today: Callable[[], date]) -> None:
        super().__init__()
        self.tenant = tenant
        self.today = today
        # A tab switch on its way: TabbedContent settles it through its own messages, and
        # a second switch made before they arrive is undone by them (four quick
        # Ctrl+PgDn showed Templates with the focus in the hidden BO users table).
        self._switching_to: str | None = None
        self._switch_started = 0.0
        self._steps_waiting = 0
        self._tab_wanted = "employees"  # the last tab show_tab was asked for

    def compose(self) -> ComposeResult:
        tenant = self.tenant
        yield Header()
        with TabbedContent(id="tabs", initial="employees"):
            for tab, title in TABS:
                with TabPane(title, id=tab):
                    # The other tabs' panes are mounted when first shown (_pane).
                    if tab == "employees":
                        yield EmployeesPane(tenant, id="employees-pane")
        yield Footer()

    @property
    def employees(self) -> EmployeesPane:
        return self.query_one(EmployeesPane)

    def on_mount(self) -> None:
        self.query_one("#filter").focus()
        if self.tenant.use_cache:
            self._load_cache()
        self._refresh_roster()
        self._refresh_reference()

    # ------------------------------------------------------------------ loads

    @work(thread=True, exit_on_error=False, name="cache", group="cache")
    def _load_cache(self) -> None:
        self.tenant.load_cache()  # a 10k-row file decodes in a few hundred ms: not here

    @work(thread=True, exclusive=True, exit_on_error=False, name="roster", group="roster")
    def _refresh_roster(self) -> None:
        self.tenant.refresh(["employees"])

    @work(thread=True, exclusive=True, exit_on_error=False, name="reference", group="reference")
    def _refresh_reference(self) -> None:
        self.tenant.refresh(REFERENCE_LISTS)

    def worker_failed(self, name: str, error: BaseException) -> bool:
        # The panes show a failed refresh in place; an unreadable cache is no news.
        return name == "cache"

    def action_refresh(self) -> None:
        self._refresh_roster()
        self._refresh_reference()

    # ------------------------------------------------------------------ between panes

    # By name, not @on(...): the panes' modules are not imported until their tab shows.
    def on_sites_pane_site_chosen(self, event: SitesPane.SiteChosen) -> None:
        self._show_employees()
        self.employees.filter_by(site=event.code)

    def on_departments_pane_department_chosen(
        self, event: DepartmentsPane.DepartmentChosen
    ) -> None:
        self._show_employees()
        self.employees.filter_by(department=event.name)

    def _show_employees(self) -> None:
        self.show_tab("employees")

    @property
    def active_tab(self) -> str:
        return self.query_one("#tabs", TabbedContent).active

    def _pane(self, tab: str) -> tuple[TenantPane, AwaitMount | None]:
        """A tab's pane, mounted the first time the tab is shown (with how to wait for
        that): a tab never looked at costs the first frame nothing, neither its widgets
        nor its rows. The pane draws what the tenant already knows when it mounts."""
        for pane in self.query(f"#{tab}-pane").results(TenantPane):
            return pane, None
        pane = pane_class(tab)(self.tenant, id=f"{tab}-pane")
        return pane, self.query_one(f"#{tab}", TabPane).mount(pane)

    def show_tab(self, tab: str) -> None:
        """Show a tab and focus its main widget: its keys, and only its keys, work."""
        self._tab_wanted = tab
        pane, mounting = self._pane(tab)
        if mounting is not None:
            # Shown once mounted, exactly as a mounted one is: a focus given later, from
            # outside this call, would switch the tabs back when its message arrives.
            async def show_once_mounted() -> None:
                await mounting
                if self._tab_wanted == tab:  # not if another tab was asked for meanwhile
                    self.show_tab(tab)

            self.call_next(show_once_mounted)
            return
        self.query_one("#tabs", TabbedContent).active = tab
        pane.focus_main()

    def action_next_tab(self, step: int) -> None:
        on_its_way = self._switching_to is not None and (
            time.monotonic() - self._switch_started < 1.0
            or self._tab_wanted != self.active_tab  # its pane still mounting
        )
        if on_its_way:
            self._steps_waiting += step  # taken once the switch on its way has settled
            return
        ids = [tab for tab, _title in TABS]
        target = ids[(ids.index(self.active_tab) + step) % len(ids)]
        self._switching_to = target if target != self.active_tab else None
        self._switch_started = time.monotonic()
        self.show_tab(target)

    @on(TabbedContent.TabActivated, "#tabs")
    def _tab_settled(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id is not None:
            self._pane(event.pane.id)  # shown by a click or by code: its pane is needed now
        if self._switching_to is None or event.pane.id != self._switching_to:
            return
        # The steps typed meanwhile are taken after the next refresh: messages of this
        # switch may still be on their way (the shown pane's focus sets the tab again
        # when it arrives), and a switch made before them was undone on a loaded machine.
        self.call_after_refresh(self._take_waiting_steps)

    def _take_waiting_steps(self) -> None:
        self._switching_to = None
        steps, self._steps_waiting = self._steps_waiting, 0
        if steps:
            self.action_next_tab(steps)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new_employee", "new_backoffice_user"):
            return not self.tenant.read_only  # read-only: no write offered
        if action == "enter_tab":
            return self.focused is None or isinstance(self.focused, Tabs)
        return True

    def action_enter_tab(self) -> None:
        self.show_tab(self.active_tab)

    def focus_employee(self, employee_id: int) -> None:
        """Show an employee (from the command palette)."""
        self._show_employees()
        self.employees.focus_employee(employee_id)

    # ------------------------------------------------------------------ forms

    def action_new_employee(self) -> None:
        from sonnys_tui.tui.screens.new_employee import NewEmployeeScreen

        tenant = self.tenant
        if not tenant.sites or not tenant.templates("pos"):
            # The form's choices come from these lists: wait for them rather than
            # offer a form with no sites or templates to pick.
            self.notify("Still loading sites and templates from the server…", timeout=3)
            return

        def done(created: EmployeeCreated | None) -> None:
            # The tenant has applied the hire already: the table shows the new row.
            if created is not None:
                from sonnys_tui.tui.screens.hire_result import HireResultScreen

                self.app.push_screen(HireResultScreen(created, tenant.templates("backoffice")))

        self.app.push_screen(NewEmployeeScreen(tenant, today=self.today()), done)

    @on(EmployeesPane.EditRequested)
    def _edit_requested(self, event: EmployeesPane.EditRequested) -> None:
        self.edit_employee(event.row)

    def action_edit_employee(self) -> None:
        """Edit the employee shown on the Employees tab (the palette's "Edit employee")."""
        row = self.employees.current_employee() if self.active_tab == "employees" else None
        if row is None:
            self.notify("Choose an employee on the Employees tab first.", timeout=3)
            return
        self.edit_employee(row)

    def edit_employee(self, row: EmployeeRow) -> None:
        from sonnys_tui.tui.screens.edit_employee import EditEmployeeScreen

        def done(updated: EmployeeUpdated | None) -> None:
            # The tenant has applied the change already: the table shows the new values.
            if updated is not None:
                from sonnys_tui.tui.screens.review_changes import field_label

                who = terminal_safe(updated.record.full_name)
                what = ", ".join(field_label(change.field) for change in updated.changes)
                self.notify(f"Saved {who}: {what} (read back as written).", markup=False)

        self.app.push_screen(EditEmployeeScreen(self.tenant, row), done)

    def action_bulk_import(self) -> None:
        from sonnys_tui.tui.screens.bulk_import import BulkImportScreen

        self.app.push_screen(BulkImportScreen(self.tenant))

    def action_access_review(self) -> None:
        from sonnys_tui.tui.screens.access_review import AccessReviewScreen

        self.app.push_screen(AccessReviewScreen(self.tenant))

    def action_new_backoffice_user(self) -> None:
        from sonnys_tui.tui.screens.new_backoffice_user import NewBackofficeUserScreen

        # Only an employee the user can see: the Employees tab's selection. An inactive
        # one is named in the form (it cannot have a login), not silently dropped.
        row = None
        if self.active_tab == "employees":
            row = self.employees.current_employee()

        def done(user: BackofficeUserCreated | None) -> None:
            # The tenant has applied it already: the BO users tab shows the new row.
            if user is not None:
                from sonnys_tui.tui.screens.hire_result import BackofficeUserResultScreen

                self.app.push_screen(
                    BackofficeUserResultScreen(user, self.tenant.templates("backoffice"))
                )

        self.app.push_screen(NewBackofficeUserScreen(self.tenant, employee=row), done)
