"""The sites someone may work at (or log in for): "All sites", or each site ticked.

The two exclude each other, so the list always shows what will be asked for: ticking
"All sites" clears the single sites, ticking a site clears "All sites" (before, "All
sites" plus one site silently meant all sites).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from rich.text import Text
from textual.message import Message
from textual.widgets import SelectionList

from sonnys_tui.backoffice.models import Site
from sonnys_tui.display import safe_text
from sonnys_tui.tui.widgets.form_field import TickList

ALL_SITES = "\x00all"  # the "All sites" choice; no site can be named this
HINT = "All sites, or tick each site (Space)"


def site_label(site: Site) -> Text:
    # The server's names: shown safe, posted back exactly as they are.
    return safe_text(f"{site.name} [{site.code}]" if site.code else site.name)


class SitePicker(TickList):
    class Chosen(Message):
        """The ticks were set by the program (a form filled in, a re-plan): what a
        summary of them says must follow, as it follows a tick by hand."""

        def __init__(self, picker: SitePicker) -> None:
            super().__init__()
            self.picker = picker

        @property
        def control(self) -> SitePicker:
            return self.picker

    def __init__(self, sites: Sequence[Site], *, id: str) -> None:
        choices: list[tuple[Text, str]] = [(Text("All sites"), ALL_SITES)]
        choices += [(site_label(s), s.name) for s in sites]
        super().__init__(*choices, id=id, compact=True)
        self.sites = list(sites)
        self._before: set[str] = set()

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        # Runs before the screen hears of the change: it then sees the final choice.
        chosen = set(self.selected)
        ticked = chosen - self._before
        if ALL_SITES in ticked and len(chosen) > 1:
            chosen = {ALL_SITES}
        elif ALL_SITES in chosen and ticked - {ALL_SITES}:
            chosen -= {ALL_SITES}
        if chosen != set(self.selected):
            self.choose(chosen)
        self._before = chosen

    def choose(self, names: Iterable[str]) -> None:
        """Tick exactly ``names`` (site names, or ALL_SITES), without a change message."""
        wanted = set(names)
        with self.prevent(SelectionList.SelectedChanged):
            self.deselect_all()
            for value in wanted:
                self.select(value)
        self._before = wanted
        self.post_message(self.Chosen(self))

    @property
    def all_sites(self) -> bool:
        return ALL_SITES in self.selected

    def chosen_sites(self) -> list[Site]:
        """The sites asked for, in the tenant's order (every site for "All sites")."""
        if self.all_sites:
            return list(self.sites)
        chosen = set(self.selected)
        return [s for s in self.sites if s.name in chosen]

    def choice(self) -> list[str] | Literal["all"] | None:
        """The client's ``available_sites``; None when nothing is ticked."""
        if self.all_sites:
            return "all"
        return [s.name for s in self.chosen_sites()] or None

    def summary(self) -> str:
        if self.all_sites:
            return f"all {len(self.sites)} sites, and any site added later"
        count = len(self.chosen_sites())
        return f"{count} of {len(self.sites)} sites" if count else ""
