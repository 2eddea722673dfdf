"""Command palette provider that finds employees by name or POS User ID."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from sonnys_tui.backoffice.models import EmployeeRow
from sonnys_tui.display import safe_text, terminal_safe
from sonnys_tui.lookup import Query, search_indexed

if TYPE_CHECKING:
    from sonnys_tui.tui.screens.home import HomeScreen

MAX_HITS = 20


def _label(row: EmployeeRow) -> str:
    pos = f"#{row.pos_user_id}" if row.pos_user_id is not None else "no POS ID"
    status = "" if row.active else " (inactive)"
    return f"{row.full_name} · {pos}{status}"


class EmployeeFinder(Provider):
    """ "Find employee": type a name or a POS User ID / phone and jump to that person."""

    def _home(self) -> HomeScreen | None:
        from sonnys_tui.tui.screens.home import HomeScreen

        screen = self.screen
        return screen if isinstance(screen, HomeScreen) else None

    async def search(self, query: str) -> Hits:
        home = self._home()
        if home is None or not query.strip():
            return
        # The filter's own rules pick the rows (lookup.py); the palette only ranks them.
        parsed = Query.parse(query)
        matcher = self.matcher(query)
        for row in search_indexed(home.tenant.entries(), parsed)[:MAX_HITS]:
            text = safe_text(_label(row))  # the server's name: shown, never sent raw
            if parsed.is_number:
                score = 1.0 if str(row.pos_user_id) == parsed.digits else 0.5
            else:
                score = max(matcher.match(row.full_name), 0.1)
                text.stylize("bold", 0, len(terminal_safe(row.full_name)))
            yield Hit(
                score, text, partial(home.focus_employee, row.employee_id), help="Find employee"
            )

    async def discover(self) -> Hits:
        if self._home() is None:
            return
        yield DiscoveryHit(
            "Find employee…", self.app.action_command_palette, help="type a name or a POS ID"
        )
