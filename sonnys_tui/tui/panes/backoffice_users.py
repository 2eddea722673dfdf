"""The BO users tab: every Back Office login, updated in place as users are created."""

from __future__ import annotations

import contextlib

from textual.app import ComposeResult
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from sonnys_tui.backoffice.models import BackofficeUserRow
from sonnys_tui.display import safe_text
from sonnys_tui.tenant import BackofficeUserChanged, ListsReplaced, RefreshFailed, TenantChange
from sonnys_tui.tui.panes.base import TenantPane

COLUMNS = ("Name", "Username", "E-mail", "Phone", "Active")


def _cells(user: BackofficeUserRow) -> tuple[str, ...]:
    return (
        f"{user.first_name} {user.last_name}".strip(),
        user.username,
        user.email,
        user.phone,
        "yes" if user.active else "no",
    )


class BackofficeUsersPane(TenantPane):
    MAIN = "#bo-user-table"

    def compose(self) -> ComposeResult:
        table: DataTable[object] = DataTable(
            id="bo-user-table", cursor_type="row", zebra_stripes=True
        )
        table.add_columns(*COLUMNS)
        table.loading = True
        yield table

    @property
    def table(self) -> DataTable[object]:
        return self.query_one("#bo-user-table", DataTable)

    def show_known(self) -> None:
        if self.tenant.knows("backoffice_users"):
            self._fill()

    def tenant_changed(self, change: TenantChange) -> None:
        if isinstance(change, ListsReplaced) and "backoffice_users" in change.lists:
            self._fill()
        elif isinstance(change, RefreshFailed) and "backoffice_users" in change.lists:
            self.table.loading = False
        elif isinstance(change, BackofficeUserChanged):
            self._put(change.user)

    def _fill(self) -> None:
        table = self.table
        table.loading = False
        table.clear()
        for user in self.tenant.backoffice_users():
            table.add_row(*(safe_text(v) for v in _cells(user)), key=str(user.user_id))

    def _put(self, user: BackofficeUserRow) -> None:
        table = self.table
        key = str(user.user_id)
        with contextlib.suppress(RowDoesNotExist):
            table.remove_row(key)
        table.add_row(*(safe_text(v) for v in _cells(user)), key=key)
