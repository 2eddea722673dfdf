"""The BO users tab: every Back Office login, updated in place as users are created or
changed, and the keys that act on the highlighted one (deactivate / reactivate, template
and sites, new password) and open the access review."""

from __future__ import annotations

import contextlib

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.widgets.data_table import RowDoesNotExist

from sonnys_tui.backoffice.models import BackofficeUserRow
from sonnys_tui.display import safe_text, terminal_safe
from sonnys_tui.tenant import BackofficeUserChanged, ListsReplaced, RefreshFailed, TenantChange
from sonnys_tui.tui.keys import TEMPLATE
from sonnys_tui.tui.panes.base import TenantPane

# Active before the long ones: at 80 columns the e-mail and phone run off the edge,
# and whether a login is active is what this tab is for.
COLUMNS = ("Name", "Username", "Active", "E-mail", "Phone")


def _cells(user: BackofficeUserRow) -> tuple[str, ...]:
    return (
        f"{user.first_name} {user.last_name}".strip(),
        user.username,
        "yes" if user.active else "no",
        user.email,
        user.phone,
    )


class BackofficeUsersPane(TenantPane):
    MAIN = "#bo-user-table"
    BINDINGS = [
        # One of the two is offered: the one that applies to the highlighted login.
        Binding("ctrl+d", "set_active(False)", "Deactivate"),
        Binding("ctrl+d", "set_active(True)", "Reactivate"),
        TEMPLATE,
        Binding("ctrl+k", "reset_password", "Password"),
        # The home screen's: the review is a screen of its own (panes open no screens).
        Binding("ctrl+a", "screen.access_review", "Review"),
    ]

    def compose(self) -> ComposeResult:
        table: DataTable[object] = DataTable(
            id="bo-user-table", cursor_type="row", zebra_stripes=True
        )
        table.add_columns(*COLUMNS)
        table.loading = True
        yield table
        yield Static(id="bo-users-note")

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
        self._note()

    def _note(self) -> None:
        """How many logins are active, the tool's own said plainly (it is left out of
        the review and its keys refuse it)."""
        active = [u for u in self.tenant.backoffice_users() if u.active]
        own = [u.username for u in active if self.tenant.is_own_login(u)]
        text = f"{len(active)} active"
        if own:
            text += (
                f", {len(own)} of them this tool's own login ({', '.join(own)}): left out of "
                "the access review, never deactivated nor given a new password from here"
            )
        self.query_one("#bo-users-note", Static).update(safe_text(text))

    def _put(self, user: BackofficeUserRow) -> None:
        table = self.table
        key = str(user.user_id)
        cells = [safe_text(v) for v in _cells(user)]
        if key in table.rows:
            # In place: the cursor stays on the login just changed.
            for column, value in zip(table.columns, cells, strict=True):
                table.update_cell(key, column, value, update_width=True)
        else:
            table.add_row(*cells, key=key)
        self._note()
        self.refresh_bindings()

    # ------------------------------------------------------------------ actions

    def current_user(self) -> BackofficeUserRow | None:
        """The login under the cursor: the one the keys act on."""
        table = self.table
        if not table.row_count:
            return None
        with contextlib.suppress(RowDoesNotExist, LookupError):
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            return next((u for u in self.tenant.backoffice_users() if str(u.user_id) == key), None)
        return None

    @on(DataTable.RowHighlighted, "#bo-user-table")
    def _highlighted(self) -> None:
        self.refresh_bindings()  # Deactivate or Reactivate

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("set_active", "permissions", "reset_password"):
            if self.tenant.read_only:
                return False  # read-only: no write offered
            user = self.current_user()
            if user is None:
                return None if parameters != (True,) else False  # shown dimmed: nobody
            return action != "set_active" or user.active != parameters[0]
        return True

    def _refused_own(self, user: BackofficeUserRow, doing: str) -> bool:
        """The tool's own login: said why, and no dialog (the tenant refuses it too)."""
        if not self.tenant.is_own_login(user):
            return False
        self.notify(
            f"{terminal_safe(user.username)} is the login this tool uses: {doing} would lock "
            "out this app and every script that logs in as it. Do it in the Back Office "
            "itself if you must.",
            title="Not from here",
            severity="warning",
        )
        return True

    def action_set_active(self, enable: bool) -> None:
        from sonnys_tui.tui.dialogs.backoffice_user import UserStatusScreen

        user = self.current_user()
        if user is not None and not enable and self._refused_own(user, "deactivating it"):
            return
        if user is not None and user.active != enable:
            self.app.push_screen(UserStatusScreen(self.tenant, user, enable=enable))

    def action_permissions(self) -> None:
        from sonnys_tui.tui.dialogs.backoffice_permissions import BackofficePermissionsScreen

        user = self.current_user()
        if user is not None:
            self.app.push_screen(BackofficePermissionsScreen(self.tenant, user))

    def action_reset_password(self) -> None:
        from sonnys_tui.tui.dialogs.password_reset import PasswordResetScreen

        user = self.current_user()
        if user is not None and not self._refused_own(user, "giving it a new password"):
            self.app.push_screen(PasswordResetScreen(self.tenant, user))
