"""Access review: who still has Back Office access who should not.

The review runs in a worker (the tenant's ``review_access``: the roster and the user list,
plus a bounded number of per-user pages, with its progress shown). The findings are a
table, riskiest rule first, each with its evidence; under it, what could not be checked.
Each row's fix is at hand, through the same dialogs as elsewhere: f or Enter applies the
rule's own fix (finish the offboarding, deactivate the login, change template and
sites), Ctrl+D / Ctrl+T pick one. After a fix the review runs again, so a row goes only
when the server says it is fixed.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from sonnys_tui.backoffice.models import BackofficeUserRow, EmployeeRow
from sonnys_tui.backoffice.review import (
    HIDDEN_LABEL,
    RULE_LABELS,
    RULES,
    AccessFinding,
    AccessReview,
    Rule,
)
from sonnys_tui.display import safe_text, terminal_safe
from sonnys_tui.tenant import Tenant
from sonnys_tui.tui.keys import BACK, TEMPLATE
from sonnys_tui.tui.widgets.footer import Footer
from sonnys_tui.tui.workers import ReportsWorkerErrors

# Per-user pages read per run (one request each): links to confirm, permissions pages
# for the Administrator and sites rules. What is left is listed as not checked.
CONFIRM_LINKS = 25
PERMISSION_PAGES = 25

FIXES: dict[Rule, str] = {
    "linked_employee_inactive": "finish the offboarding",
    "not_linked": "deactivate the login",
    "administrator": "change template",
    "sites_beyond_availability": "change sites",
}
COLUMNS = ("Risk", "Login", "Evidence", "Fix", "Detail")


class AccessReviewScreen(ReportsWorkerErrors, Screen[None]):
    BINDINGS = [
        # Enter too, through the table (RowSelected): it takes the key before the screen.
        Binding("f", "fix", "Fix"),
        # An employee the list hides (no site): e gives them a site, f offboards them.
        # In the footer on their rows only, in place of the login keys they have no use for.
        Binding("e", "edit_hidden", "Give a site"),
        Binding("ctrl+d", "deactivate", "Deactivate"),
        TEMPLATE,
        Binding("f5", "run", "Rerun"),
        BACK,
    ]

    def __init__(self, tenant: Tenant) -> None:
        super().__init__()
        self.tenant = tenant
        self.review: AccessReview | None = None
        self.findings: list[AccessFinding] = []
        self.hidden: list[EmployeeRow] = []  # rows after the findings': employees the list hides
        self.running = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="access-status")
        table: DataTable[object] = DataTable(
            id="access-table", cursor_type="row", zebra_stripes=True
        )
        table.add_columns(*COLUMNS)
        yield table
        yield Static("", id="access-detail")  # the highlighted finding, whole (wrapped)
        yield Static("", id="access-unchecked")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Access review"
        self.query_one("#access-table").focus()
        self.action_run()

    # ------------------------------------------------------------------ running

    def action_run(self, refresh: bool = True) -> None:
        """Review; ``refresh`` re-reads the roster and the user list first (on opening
        and F5: what another manager changed counts). After a fix, the client's lists
        already hold what it wrote: no refresh."""
        if self.running:
            return
        self.running = True
        self.query_one("#access-table", DataTable).loading = self.review is None
        self._status("Reviewing Back Office access…")
        self.refresh_bindings()
        self._review(refresh)

    @work(thread=True, exclusive=True, exit_on_error=False, name="review", group="review")
    def _review(self, refresh: bool) -> None:
        def progress(step: str) -> None:
            self.app.call_from_thread(self._status, f"{step}…")

        try:
            review = self.tenant.review_access(
                permission_pages=PERMISSION_PAGES,
                confirm_links=CONFIRM_LINKS,
                refresh=refresh,
                progress=progress,
            )
        finally:
            self.app.call_from_thread(self._stopped)
        self.app.call_from_thread(self._show, review)

    def _stopped(self) -> None:
        self.running = False
        self.query_one("#access-table", DataTable).loading = False
        self.refresh_bindings()

    def worker_failed(self, name: str, error: BaseException) -> bool:
        from sonnys_tui.tui.errors import describe_error

        self._status(f"The review failed: {describe_error(error)} (F5 runs it again)")
        return False  # and a toast

    def _status(self, text: str) -> None:
        self.query_one("#access-status", Static).update(Text(terminal_safe(text)))

    def _show(self, review: AccessReview) -> None:
        self.review = review
        self.findings = list(review.findings)  # riskiest rule first (the client's order)
        table = self.query_one("#access-table", DataTable)
        keep = table.cursor_row
        table.clear()
        for index, finding in enumerate(self.findings):
            table.add_row(
                RULE_LABELS[finding.rule],
                safe_text(finding.username),
                finding.evidence,
                FIXES[finding.rule],
                safe_text(finding.detail),
                key=str(index),
            )
        self.hidden = list(review.hidden)
        for index, row in enumerate(self.hidden):
            table.add_row(
                HIDDEN_LABEL,
                "-",
                "edit page",
                "give a site or offboard"
                if self.tenant.read_only
                else "give a site (e) or offboard",
                safe_text(
                    f"{row.full_name} (POS {row.pos_user_id}): active, hidden from the roster:"
                    " no site"
                ),
                key=f"hidden-{index}",
            )
        if table.row_count:
            table.move_cursor(row=min(keep, table.row_count - 1))
        counts = [
            f"{len(review.of_rule(rule))} {RULE_LABELS[rule]}"
            for rule in RULES
            if review.of_rule(rule)
        ]
        if self.hidden:
            counts.append(f"{len(self.hidden)} {HIDDEN_LABEL}")
        found = f"{review.risks} finding(s): {', '.join(counts)}" if counts else "No risks found"
        self._status(f"{found} · {review.active_summary}")
        self.query_one("#access-unchecked", Static).update(self._unchecked(review))
        self._show_detail()
        self.refresh_bindings()

    def _unchecked(self, review: AccessReview) -> Text:
        if review.complete:
            return Text("Every active user's link and permissions were read.")
        parts = []
        if review.unconfirmed:
            parts.append(
                f"{len(review.unconfirmed)} user(s)' employee link inferred (by e-mail or "
                "name), not read on their page"
            )
        if review.permissions_unread:
            parts.append(
                f"{len(review.permissions_unread)} user(s)' template and sites not read: "
                "the Administrator and sites rules did not check them"
            )
        return Text("Not checked: " + "; ".join(parts) + ". F5 reads more.")

    # ------------------------------------------------------------------ fixing

    def current(self) -> AccessFinding | None:
        table = self.query_one("#access-table", DataTable)
        if not self.findings or not table.row_count or table.cursor_row >= len(self.findings):
            return None
        return self.findings[table.cursor_row]

    def current_hidden(self) -> EmployeeRow | None:
        """The employee the list hides under the cursor (their rows follow the findings)."""
        table = self.query_one("#access-table", DataTable)
        index = table.cursor_row - len(self.findings)
        return self.hidden[index] if table.row_count and 0 <= index < len(self.hidden) else None

    def _user(self, finding: AccessFinding) -> BackofficeUserRow | None:
        return next(
            (u for u in self.tenant.backoffice_users() if u.user_id == finding.user_id), None
        )

    def _chosen_user(self) -> BackofficeUserRow | None:
        """The login of the finding under the cursor (None, said so, when the user list
        the tenant has does not hold it)."""
        finding = self.current()
        user = self._user(finding) if finding is not None else None
        if user is None:
            self.notify("That login is not in the user list: F5 runs the review again.")
        return user

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("fix", "edit_hidden", "deactivate", "permissions") and self.tenant.read_only:
            return False  # read-only: the findings are shown, no fix offered
        if action == "fix":
            chosen = self.current() or self.current_hidden()
            return None if self.running or chosen is None else True
        hidden = self.current_hidden()
        if action == "edit_hidden":
            if hidden is None:
                return False  # a login's finding: not offered
            return None if self.running else True
        if action in ("deactivate", "permissions"):
            if hidden is not None:
                return False  # no login to act on: e and f are this row's keys
            return None if self.running or self.current() is None else True
        if action == "run":
            return not self.running
        return True

    def _fixed(self, written: bool | None) -> None:
        if written:
            self.action_run(refresh=False)  # the row goes when the server says it is fixed

    def action_fix(self) -> None:
        if self.tenant.read_only:
            return  # (Enter reaches here through the table, whatever check_action says)
        hidden = self.current_hidden()
        if hidden is not None and not self.running:
            from sonnys_tui.tui.dialogs.offboard import OffboardScreen

            self.app.push_screen(OffboardScreen(self.tenant, hidden, enable=False), self._fixed)
            return
        finding = self.current()
        if finding is None or self.running:
            return
        if finding.rule == "linked_employee_inactive" and finding.employee_id is not None:
            employee = self.tenant.employee(finding.employee_id)
            if employee is not None:
                from sonnys_tui.tui.dialogs.offboard import OffboardScreen

                self.app.push_screen(
                    OffboardScreen(self.tenant, employee, enable=False), self._fixed
                )
                return
        if finding.rule in ("administrator", "sites_beyond_availability"):
            self.action_permissions()
        else:
            self.action_deactivate()

    def action_edit_hidden(self) -> None:
        """Give the hidden employee a site: the Edit form, its sites to tick."""
        from sonnys_tui.tui.screens.edit_employee import EditEmployeeScreen

        row = self.current_hidden()
        if row is None or self.running:
            return

        def done(updated: object) -> None:
            self._fixed(updated is not None)

        self.app.push_screen(EditEmployeeScreen(self.tenant, row), done)

    def action_deactivate(self) -> None:
        from sonnys_tui.tui.dialogs.backoffice_user import UserStatusScreen

        user = self._chosen_user()
        if user is not None:
            self.app.push_screen(UserStatusScreen(self.tenant, user, enable=False), self._fixed)

    def action_permissions(self) -> None:
        from sonnys_tui.tui.dialogs.backoffice_permissions import BackofficePermissionsScreen

        user = self._chosen_user()
        if user is not None:
            self.app.push_screen(BackofficePermissionsScreen(self.tenant, user), self._fixed)

    @on(DataTable.RowHighlighted, "#access-table")
    def _highlighted(self) -> None:
        self._show_detail()
        self.refresh_bindings()

    def _show_detail(self) -> None:
        finding = self.current()
        text = Text()
        hidden = self.current_hidden()
        if hidden is not None:
            text.append(
                f"{terminal_safe(hidden.full_name)} (POS {hidden.pos_user_id}): ", style="bold"
            )
            text.append(
                "active, with no available site: the Back Office employee list never shows"
                " them, yet their POS login works. "
            )
            if self.tenant.read_only:
                text.append("The fix: give them a site, or offboard them (not here: read-only).")
            else:
                text.append("e: give them a site · f / Enter: offboard them.", style="bold")
        if finding is not None:
            # The server's names (in the detail too): shown safe.
            text.append(f"{terminal_safe(finding.username)}: ", style="bold")
            text.append(f"{terminal_safe(finding.detail)}. ")  # it says its evidence
            if self.tenant.read_only:
                text.append(f"The fix: {FIXES[finding.rule]} (not here: read-only).")
            else:
                text.append(f"f / Enter: {FIXES[finding.rule]}.", style="bold")
        self.query_one("#access-detail", Static).update(text)

    @on(DataTable.RowSelected, "#access-table")
    def _selected(self) -> None:
        self.action_fix()

    def action_back(self) -> None:
        self.dismiss(None)
