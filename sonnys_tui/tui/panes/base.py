"""What every pane shares: it subscribes to the tenant while mounted."""

from __future__ import annotations

from collections.abc import Callable

from textual.widget import Widget

from sonnys_tui.tenant import Tenant, TenantChange
from sonnys_tui.tui.messages import TenantChanged
from sonnys_tui.tui.workers import ReportsWorkerErrors


class TenantPane(ReportsWorkerErrors, Widget):
    """A tab's content. Subclasses implement :meth:`tenant_changed`, called on the UI
    thread for every change the tenant layer makes while the pane is mounted."""

    DEFAULT_CSS = "TenantPane { height: 1fr; }"
    MAIN = ""  # the widget a tab key focuses: where the pane's keys start working

    def __init__(self, tenant: Tenant, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tenant = tenant
        self._unsubscribe: Callable[[], None] | None = None

    def on_mount(self) -> None:
        self._unsubscribe = self.tenant.subscribe(self._deliver)
        self.show_known()

    def _deliver(self, change: TenantChange) -> None:
        # Called on whichever thread changed the tenant; post_message is thread-safe.
        self.post_message(TenantChanged(change))

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def on_tenant_changed(self, message: TenantChanged) -> None:
        self.tenant_changed(message.change)

    def focus_main(self) -> None:
        """Focus the pane's main widget (its list, tree or filter)."""
        if self.MAIN:
            self.query_one(self.MAIN).focus()

    def show_known(self) -> None:
        """Draw what the tenant already knows (the pane may mount after a load)."""

    def tenant_changed(self, change: TenantChange) -> None:
        raise NotImplementedError
