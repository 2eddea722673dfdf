"""The home screen: employees (virtual table + filter + detail), sites, departments,
templates and Back Office users, each in a tab."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, cast, get_args

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import (
    DataTable,
    Header,
    Input,
    OptionList,
    Static,
    TabbedContent,
    TabPane,
    Tree,
)
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from sonnys_tui import cache
from sonnys_tui.backoffice.errors import NotFoundError
from sonnys_tui.backoffice.models import (
    ActiveFilter,
    BackofficeUserRow,
    Department,
    EmployeeCreated,
    EmployeeRow,
    Permission,
    Site,
)
from sonnys_tui.lookup import Indexed, Query, index_rows, search_server
from sonnys_tui.tui.errors import describe_error
from sonnys_tui.tui.messages import (
    BackofficeUsersLoaded,
    CacheLoaded,
    DepartmentsLoaded,
    DetailLoaded,
    EmployeeStatusChanged,
    PermissionsLoaded,
    RosterLoaded,
    ServerSearchDone,
    SitesLoaded,
)
from sonnys_tui.tui.roster import SORT_KEYS, SORT_LABELS, Roster, SortKey
from sonnys_tui.tui.session import Session
from sonnys_tui.tui.widgets.employee_detail import EmployeeDetail
from sonnys_tui.tui.widgets.employee_table import EmployeeTable
from sonnys_tui.tui.widgets.footer import Footer
from sonnys_tui.tui.workers import ReportsWorkerErrors

if TYPE_CHECKING:
    from sonnys_tui.tui.app import SonnysApp

ACTIVE_CYCLE: tuple[ActiveFilter, ...] = get_args(ActiveFilter)  # active, inactive, all
REFERENCE_LISTS = frozenset({"sites", "departments", "pos", "backoffice"})
SORT_COLUMN_TITLES: dict[SortKey, str] = {
    "name": "Name",
    "pos_user_id": "POS ID",
    "phone": "Phone",
    "sites": "Sites",
    "active": "Active",
}


class HomeScreen(ReportsWorkerErrors, Screen[None]):
    BINDINGS = [
        Binding("ctrl+n", "new_employee", "New"),
        Binding("ctrl+d", "toggle_active", "Disable/Enable", priority=True),
        Binding("ctrl+b", "new_backoffice_user", "New BO user"),
        Binding("f2", "cycle_active", "Show"),
        Binding("f3", "cycle_sort", "Sort"),
        Binding("f4", "reverse_sort", "Reverse", show=False),
        Binding("f5,ctrl+r", "refresh", "Refresh"),
        Binding("f6", "reveal_pin", "PIN", show=False),
        Binding("escape", "close_detail", "Close", show=False),
        Binding("up", "table('cursor_up')", show=False),
        Binding("down", "table('cursor_down')", show=False),
        Binding("pageup", "table('page_up')", show=False),
        Binding("pagedown", "table('page_down')", show=False),
    ]

    SERVER_SEARCH_DEBOUNCE = 0.3  # seconds of quiet typing before asking the server

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.roster = Roster()
        self.roster_loaded = False  # the server's roster arrived
        self.roster_shown = False  # rows to filter locally: the server's or the cache's
        self.use_cache = session.profile.use_cache
        self.snapshot: cache.RosterSnapshot | None = None  # what the cache file holds
        self._cache_age: str | None = None  # set while the rows shown are the cache's
        self._showed_cache = False  # then the status says when the server's rows arrive
        self._refresh_failed = False
        self._fresh: set[str] = set()  # reference lists the server has answered
        self._snapshot_due = False  # a full refresh arrived and is not saved yet
        self._save_lock = threading.Lock()
        self._save_seq = 0
        self._search_text = ""  # the filter the server search answers
        self.sites: list[Site] = []
        self.departments: list[Department] = []
        self.permissions: dict[str, list[Permission]] = {"pos": [], "backoffice": []}
        self.backoffice_users: list[BackofficeUserRow] = []
        self._keep_id: int | None = None  # select this employee when the roster reloads

    @property
    def sonnys(self) -> SonnysApp:
        return cast("SonnysApp", self.app)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="tabs", initial="employees"):
            with TabPane("Employees", id="employees"):
                with Horizontal(id="filter-bar"):
                    yield Input(placeholder="Filter: name, POS ID or phone", id="filter")
                    yield Static("", id="roster-status", markup=False)
                with Horizontal(id="employees-body"):
                    yield EmployeeTable(id="table")
                    yield EmployeeDetail(id="detail")
            with TabPane("Sites", id="sites"):
                yield Tree("Sites", id="site-tree")
            with TabPane("Departments", id="departments"):
                yield OptionList(id="department-list")
            with TabPane("Templates", id="templates"), Horizontal():
                yield OptionList(id="template-list")
                yield Static("", id="template-info")
            with TabPane("BO users", id="bo-users"):
                yield DataTable(id="bo-user-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#table", EmployeeTable).loading = True
        self.query_one("#site-tree", Tree).show_root = False
        self.query_one("#site-tree", Tree).loading = True
        users = self.query_one("#bo-user-table", DataTable)
        users.add_columns("Name", "Username", "E-mail", "Phone", "Active")
        users.loading = True
        self.query_one("#filter", Input).focus()
        if self.use_cache:
            self._load_cache()
        self._load_roster(refresh=False)
        self._load_reference(refresh=False)

    # ------------------------------------------------------------------ workers

    @work(thread=True, exit_on_error=False, name="cache", group="cache")
    def _load_cache(self) -> None:
        # A 10k-row file takes a few hundred ms to decode: never on the UI thread.
        snapshot = cache.load(self.session.profile.name)
        if snapshot is not None:
            self.post_message(CacheLoaded(snapshot, index_rows(snapshot.employees)))

    @work(thread=True, exit_on_error=False, name="save-cache", group="save-cache")
    def _save_cache(self, snapshot: cache.RosterSnapshot, seq: int) -> None:
        with self._save_lock:
            if seq == self._save_seq:  # a newer snapshot is queued: it will be written
                cache.save(self.session.profile.name, snapshot)

    @work(thread=True, exclusive=True, exit_on_error=False, name="server-search", group="search")
    def _server_search(self, text: str) -> None:
        time.sleep(self.SERVER_SEARCH_DEBOUNCE)
        if get_current_worker().is_cancelled or text != self._search_text:
            return  # typing went on: only the last text is asked
        session = self.session
        rows = session.call_beside(search_server, session.client, Query.parse(text))
        self.post_message(ServerSearchDone(text, rows))

    @work(thread=True, exclusive=True, exit_on_error=False, name="roster", group="roster")
    def _load_roster(self, refresh: bool) -> None:
        client = self.session.client
        rows = self.session.call(client.list_employees, active="all", refresh=refresh)
        self.post_message(RosterLoaded(index_rows(rows)))

    @work(thread=True, exclusive=True, exit_on_error=False, name="reference", group="reference")
    def _load_reference(self, refresh: bool) -> None:
        session, client = self.session, self.session.client
        self.post_message(SitesLoaded(session.call(client.list_sites, refresh=refresh)))
        self.post_message(DepartmentsLoaded(session.call(client.list_departments, refresh=refresh)))
        for scope in ("pos", "backoffice"):
            try:
                perms = session.call(client.list_permissions, scope=scope, refresh=refresh)
            except NotFoundError:
                perms = []  # an empty tenant has no record to read templates from
            self.post_message(PermissionsLoaded(scope, perms))
        users = session.call(client.list_backoffice_users, status="all", refresh=refresh)
        self.post_message(BackofficeUsersLoaded(users))

    @work(thread=True, exclusive=True, exit_on_error=False, name="detail", group="detail")
    def _load_detail(self, employee_id: int) -> None:
        # A plain read: it need not wait behind a roster download holding the client.
        record = self.session.call_beside(self.session.client.get_employee, employee_id)
        self.post_message(DetailLoaded(record))

    @work(thread=True, exclusive=True, exit_on_error=False, name="status", group="status")
    def _set_active(self, row: EmployeeRow, active: bool) -> None:
        client = self.session.client
        method = client.enable_employee if active else client.disable_employee
        target = f"employee_id={row.employee_id} pos_user_id={row.pos_user_id}"
        with self.session.audited("enable" if active else "disable", target) as event:
            result = self.session.call(method, employee_id=row.employee_id)
            event.warnings = list(getattr(result, "warnings", ()))
        self.post_message(EmployeeStatusChanged(replace(row, active=active)))

    def worker_failed(self, name: str, error: BaseException) -> bool:
        if name == "roster":
            self.query_one("#table", EmployeeTable).loading = False
            self._refresh_failed = True
            if self.roster_shown:
                self._update_status()  # the cache's rows stay, saying they are not fresh
        elif name == "reference":
            for selector in ("#site-tree", "#bo-user-table"):
                self.query_one(selector).loading = False
        elif name == "detail":
            self.query_one("#detail", EmployeeDetail).show_failure(describe_error(error))
        elif name == "cache":
            return True  # unreadable: cache.load already says None for that; start without
        elif name == "save-cache":
            self.notify(f"Roster cache not saved: {error}", severity="warning", markup=False)
            return True
        return False  # and a toast, from the mixin

    # ------------------------------------------------------------------ results

    def on_cache_loaded(self, message: CacheLoaded) -> None:
        snapshot = message.snapshot
        if self.snapshot is None:
            self.snapshot = snapshot
        if not self.roster_loaded:  # the server did not answer first
            self._cache_age = cache.describe_age(snapshot.age_seconds())
            self._showed_cache = True
            self._show_roster(message.entries)
        if "sites" not in self._fresh and snapshot.sites:
            self.sites = list(snapshot.sites)
            self._fill_site_tree()
        if "departments" not in self._fresh and snapshot.departments:
            self.departments = list(snapshot.departments)
            self._fill_departments()
        for scope in ("pos", "backoffice"):
            cached = [p for p in snapshot.templates if p.scope == scope]
            if scope not in self._fresh and cached:
                self.permissions[scope] = cached
                self._fill_templates()

    def on_roster_loaded(self, message: RosterLoaded) -> None:
        self.roster_loaded = True
        self._cache_age = None
        self._show_roster(message.entries, keep_id=self._keep_id)
        self._keep_id = None
        self._snapshot_due = True
        self._save_full_snapshot()

    def _show_roster(self, entries: list[Indexed], *, keep_id: int | None = None) -> None:
        """Replace every row in place: the filter, sort and cursor stay."""
        table = self.query_one("#table", EmployeeTable)
        self.roster.load_indexed(entries)
        self.roster_shown = True
        table.loading = False
        table.set_rows(self.roster.visible, keep_id=keep_id)
        self._update_status()
        self._fill_site_tree()
        self._fill_departments()

    def _save_full_snapshot(self) -> None:
        """Once the roster and every list it goes with are fresh, write them to the cache."""
        if not (self.use_cache and self._snapshot_due and self._fresh >= REFERENCE_LISTS):
            return
        self._snapshot_due = False
        self._write_cache(
            cache.RosterSnapshot(
                saved_at=datetime.now(UTC),
                employees=tuple(entry.row for entry in self.roster.entries),
                sites=tuple(self.sites),
                departments=tuple(self.departments),
                templates=(*self.permissions["pos"], *self.permissions["backoffice"]),
                emails=self.snapshot.emails if self.snapshot is not None else frozenset(),
            )
        )

    def _remember(self, row: EmployeeRow) -> None:
        """A write the app made goes into the cache too, so the next start shows it."""
        if self.use_cache and self.snapshot is not None and not self._snapshot_due:
            self._write_cache(self.snapshot.with_employee(row))
        # else: the full snapshot still to be saved is taken from the roster, row included

    def _write_cache(self, snapshot: cache.RosterSnapshot) -> None:
        self.snapshot = snapshot
        self._save_seq += 1
        self._save_cache(snapshot, self._save_seq)

    def on_sites_loaded(self, message: SitesLoaded) -> None:
        self.sites = list(message.sites)
        self._fresh.add("sites")
        self._fill_site_tree()
        self._save_full_snapshot()

    def on_departments_loaded(self, message: DepartmentsLoaded) -> None:
        self.departments = list(message.departments)
        self._fresh.add("departments")
        self._fill_departments()
        self._save_full_snapshot()

    def _fill_departments(self) -> None:
        counts = self.roster.active_count_by_department() if self.roster_shown else None
        options = self.query_one("#department-list", OptionList)
        options.clear_options()
        for department in self.departments:
            label = Text(department.name)
            if counts is not None:
                label.append(f"  ({counts[department.name]} active)", style="dim")
            options.add_option(Option(label))

    def on_permissions_loaded(self, message: PermissionsLoaded) -> None:
        self.permissions[message.scope] = list(message.permissions)
        self._fresh.add(message.scope)
        self._fill_templates()
        self._save_full_snapshot()

    def _fill_templates(self) -> None:
        options = self.query_one("#template-list", OptionList)
        options.clear_options()
        for scope, title in (("pos", "POS templates"), ("backoffice", "Back Office templates")):
            options.add_option(Option(Text(title, style="bold"), disabled=True))
            for index, perm in enumerate(self.permissions[scope]):
                options.add_option(Option(Text(f"  {perm.name}"), id=f"{scope}:{index}"))
        if options.option_count > 1:
            options.highlighted = 1  # the first template, so its grants show at once

    def on_backoffice_users_loaded(self, message: BackofficeUsersLoaded) -> None:
        self.backoffice_users = list(message.users)
        table = self.query_one("#bo-user-table", DataTable)
        table.loading = False
        table.clear()
        for user in self.backoffice_users:
            table.add_row(
                *(
                    Text(value)
                    for value in (
                        f"{user.first_name} {user.last_name}".strip(),
                        user.username,
                        user.email,
                        user.phone,
                        "yes" if user.active else "no",
                    )
                ),
                key=str(user.user_id),
            )

    def on_detail_loaded(self, message: DetailLoaded) -> None:
        self.query_one("#detail", EmployeeDetail).show_record(message.record)

    def on_employee_status_changed(self, message: EmployeeStatusChanged) -> None:
        row = message.row
        self._remember(row)
        self.roster.replace_row(row)
        self.query_one("#table", EmployeeTable).set_rows(self.roster.visible)
        self._update_status()
        self._fill_site_tree()
        verb = "enabled" if row.active else "disabled"
        self.notify(f"{row.full_name} ({row.pos_user_id}) {verb}.", markup=False)
        detail = self.query_one("#detail", EmployeeDetail)
        if detail.display and detail.employee_id == row.employee_id:
            self._open_detail(row)

    # ------------------------------------------------------------------ employees tab

    def _update_status(self) -> None:
        roster = self.roster
        parts = [f"{len(roster.visible):,} of {len(roster):,}"]
        if roster.active != "all":
            parts.append(roster.active)
        if roster.site_code:
            parts.append(f"site {roster.site_code}")
        if self._cache_age is not None:
            parts += [self._cache_age, "refresh failed" if self._refresh_failed else "refreshing…"]
        elif self._showed_cache and self.roster_loaded:
            parts.append("current")  # it was the cache's before: say it is fresh now
        self.query_one("#roster-status", Static).update(" · ".join(parts))
        table = self.query_one("#table", EmployeeTable)
        table.set_sort_marker(SORT_COLUMN_TITLES[roster.sort_key], roster.reverse)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.roster.set_query(event.value)
        if not self.roster_shown:
            self._search_server_for(event.value)
            return
        self.query_one("#table", EmployeeTable).set_rows(self.roster.visible)
        self._update_status()

    def _search_server_for(self, text: str) -> None:
        """No roster to filter yet: ask the server (after a pause in the typing)."""
        self._search_text = text
        table = self.query_one("#table", EmployeeTable)
        status = self.query_one("#roster-status", Static)
        if Query.parse(text).is_empty:
            table.set_rows([])
            table.loading = not self._refresh_failed
            status.update("")
            return
        status.update(f"searching the server ({self._roster_state()})…")
        self._server_search(text)

    def on_server_search_done(self, message: ServerSearchDone) -> None:
        if self.roster_shown or message.text != self._search_text:
            return  # the roster took over, or the filter changed since: a stale answer
        table = self.query_one("#table", EmployeeTable)
        table.loading = False
        table.set_rows(message.rows)
        count = len(message.rows)
        self.query_one("#roster-status", Static).update(
            f"{count:,} found · server search ({self._roster_state()})"
        )

    def _roster_state(self) -> str:
        return "roster not loaded" if self._refresh_failed else "roster still loading"

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        row = self.query_one("#table", EmployeeTable).current
        if row is not None:
            self._open_detail(row, focus=True)

    @on(EmployeeTable.Chosen)
    def _row_chosen(self, event: EmployeeTable.Chosen) -> None:
        self._open_detail(event.row, focus=True)

    @on(EmployeeTable.Highlighted)
    def _row_highlighted(self, event: EmployeeTable.Highlighted) -> None:
        detail = self.query_one("#detail", EmployeeDetail)
        if detail.display and event.row is not None:
            self._open_detail(event.row)

    def _open_detail(self, row: EmployeeRow, *, focus: bool = False) -> None:
        detail = self.query_one("#detail", EmployeeDetail)
        detail.display = True
        detail.show_loading(row)
        self._load_detail(row.employee_id)
        if focus:
            detail.focus()

    def action_close_detail(self) -> None:
        detail = self.query_one("#detail", EmployeeDetail)
        if detail.display:
            detail.display = False
            self.query_one("#filter", Input).focus()
        elif self.roster.site_code is not None:
            self.select_site(None)

    def action_reveal_pin(self) -> None:
        self.query_one("#detail", EmployeeDetail).action_reveal_pin()

    def action_table(self, action: str) -> None:
        if self.query_one("#tabs", TabbedContent).active == "employees":
            getattr(self.query_one("#table", EmployeeTable), f"action_{action}")()

    def action_cycle_active(self) -> None:
        current = ACTIVE_CYCLE.index(self.roster.active)
        self.roster.set_active(ACTIVE_CYCLE[(current + 1) % len(ACTIVE_CYCLE)])
        self.query_one("#table", EmployeeTable).set_rows(self.roster.visible)
        self._update_status()
        self.notify(f"Showing {self.roster.active} employees.", timeout=2)

    def action_cycle_sort(self) -> None:
        current = SORT_KEYS.index(self.roster.sort_key)
        key = SORT_KEYS[(current + 1) % len(SORT_KEYS)]
        self.roster.set_sort(key)
        self.query_one("#table", EmployeeTable).set_rows(self.roster.visible)
        self._update_status()
        self.notify(f"Sorted by {SORT_LABELS[key]}.", timeout=2)

    @on(EmployeeTable.HeaderClicked)
    def _header_clicked(self, event: EmployeeTable.HeaderClicked) -> None:
        for key, title in SORT_COLUMN_TITLES.items():
            if title == event.title:
                same = key == self.roster.sort_key
                self.roster.set_sort(key, reverse=same and not self.roster.reverse)
                self.query_one("#table", EmployeeTable).set_rows(self.roster.visible)
                self._update_status()
                return

    def action_reverse_sort(self) -> None:
        self.roster.set_sort(self.roster.sort_key, reverse=not self.roster.reverse)
        self.query_one("#table", EmployeeTable).set_rows(self.roster.visible)
        self._update_status()

    def action_refresh(self) -> None:
        self._refresh_failed = False
        self.query_one("#table", EmployeeTable).loading = True
        self._load_roster(refresh=True)
        self._load_reference(refresh=True)

    def current_employee(self) -> EmployeeRow | None:
        detail = self.query_one("#detail", EmployeeDetail)
        if detail.display and detail.row is not None:
            return detail.row
        return self.query_one("#table", EmployeeTable).current

    def action_toggle_active(self) -> None:
        from sonnys_tui.tui.screens.confirm import ConfirmStatusScreen

        row = self.current_employee()
        if row is None:
            self.notify("No employee selected.", severity="warning")
            return
        enable = not row.active

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._set_active(row, enable)

        self.app.push_screen(ConfirmStatusScreen(row, enable=enable), confirmed)

    def focus_employee(self, employee_id: int) -> None:
        """Show an employee (from the command palette): clear filters, select, open."""
        self.query_one("#tabs", TabbedContent).active = "employees"
        self.query_one("#filter", Input).value = ""
        self.roster.set_query("")
        self.roster.set_site(None)
        self.roster.set_active("all")
        table = self.query_one("#table", EmployeeTable)
        table.set_rows(self.roster.visible, keep_id=employee_id)
        self._update_status()
        row = table.current
        if row is not None and row.employee_id == employee_id:
            self._open_detail(row, focus=True)

    # ------------------------------------------------------------------ sites tab

    def _fill_site_tree(self) -> None:
        if not self.sites:
            return
        tree: Tree[str | None] = self.query_one("#site-tree", Tree)
        tree.loading = False
        counts = self.roster.active_count_by_site() if self.roster_shown else None
        tree.clear()

        def label(site: Site) -> Text:
            count = f"  ({counts[site.code]} active)" if counts is not None else ""
            return Text(f"{site.name} [{site.code}]{count}")

        tree.root.add_leaf(Text("All sites"), data=None)
        if any(site.region_name for site in self.sites):
            regions: dict[str, dict[str, list[Site]]] = {}
            for site in self.sites:
                region = regions.setdefault(site.region_name or "(no region)", {})
                region.setdefault(site.district_name or "(no district)", []).append(site)
            for region_name, districts in regions.items():
                region_node = tree.root.add(Text(region_name), data=None, expand=True)
                for district_name, sites in districts.items():
                    node = region_node.add(Text(district_name), data=None, expand=True)
                    for site in sites:
                        node.add_leaf(label(site), data=site.code)
        else:
            for site in self.sites:
                tree.root.add_leaf(label(site), data=site.code)
        tree.root.expand()

    @on(Tree.NodeSelected, "#site-tree")
    def _site_selected(self, event: Tree.NodeSelected[str | None]) -> None:
        node = event.node
        if node.data is None and node.children:
            return  # a region or district: the tree expands/collapses it
        self.select_site(node.data)

    def select_site(self, code: str | None) -> None:
        self.roster.set_site(code)
        self.query_one("#table", EmployeeTable).set_rows(self.roster.visible)
        self._update_status()
        self.query_one("#tabs", TabbedContent).active = "employees"
        self.query_one("#filter", Input).focus()

    # ------------------------------------------------------------------ templates tab

    @on(OptionList.OptionHighlighted, "#template-list")
    def _template_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        option_id = event.option.id
        if not option_id:
            return
        scope, index = option_id.split(":")
        templates = self.permissions.get(scope, [])
        if int(index) >= len(templates):
            return  # highlighted before the list was refilled (cache, then server)
        self.query_one("#template-info", Static).update(describe_permission(templates[int(index)]))

    # ------------------------------------------------------------------ forms

    def action_new_employee(self) -> None:
        from sonnys_tui.tui.screens.new_employee import NewEmployeeScreen

        if not self.sites or not self.permissions["pos"]:
            # The form's choices come from these lists: wait for them rather than
            # offer a form with no sites or templates to pick.
            self.notify("Still loading sites and templates from the server…", timeout=3)
            return

        def done(created: EmployeeCreated | None) -> None:
            if created is None:
                return
            from sonnys_tui.tui.screens.hire_result import HireResultScreen

            # Add the row from what the server confirmed, rather than re-reading 10k rows.
            row = self._row_for(created)
            self._remember(row)
            self.roster.replace_row(row)
            table = self.query_one("#table", EmployeeTable)
            table.set_rows(self.roster.visible, keep_id=created.employee_id)
            self._update_status()
            self._fill_site_tree()
            self.app.push_screen(HireResultScreen(created))

        self.app.push_screen(
            NewEmployeeScreen(
                self.session,
                sites=self.sites,
                departments=self.departments,
                pos_templates=self.permissions["pos"],
                backoffice_templates=self.permissions["backoffice"],
                today=self.sonnys.clock(),
            ),
            done,
        )

    def _row_for(self, created: EmployeeCreated) -> EmployeeRow:
        code_by_name = {site.name: site.code for site in self.sites}
        return EmployeeRow(
            employee_id=created.employee_id,
            first_name=created.first_name,
            last_name=created.last_name,
            pos_user_id=created.pos_user_id,
            phone=created.phone,
            site_codes=tuple(code_by_name.get(name, name) for name in created.sites),
            departments=created.departments,
            access=created.permission,
            wage_type="Hourly",
            active=True,
        )

    def action_new_backoffice_user(self) -> None:
        from sonnys_tui.tui.screens.new_backoffice_user import NewBackofficeUserScreen

        row = self.current_employee()
        self.app.push_screen(
            NewBackofficeUserScreen(
                self.session,
                employee=row if row is not None and row.active else None,
                templates=self.permissions["backoffice"],
            )
        )

    def employee_rows(self) -> Sequence[EmployeeRow]:
        return [entry.row for entry in self.roster.entries]


def describe_permission(perm: Permission) -> Text:
    text = Text()
    text.append(perm.name, style="bold")
    text.append(f"  ({'POS' if perm.scope == 'pos' else 'Back Office'} template)\n")
    if perm.description:
        text.append(perm.description + "\n")
    if perm.scope == "pos":
        text.append(f"\nGrants {len(perm.grant_ids)} POS permissions")
        if perm.grant_ids:
            text.append(": " + ", ".join(str(i) for i in sorted(perm.grant_ids)))
        if perm.override_ids:
            ids = ", ".join(str(i) for i in sorted(perm.override_ids))
            text.append(f"\nNeeds manager approval for: {ids}")
    else:
        text.append(f"\nGrants {len(perm.tokens)} Back Office permissions")
        if perm.tokens:
            text.append(":\n" + "\n".join(f"  {token}" for token in sorted(perm.tokens)))
    return text
