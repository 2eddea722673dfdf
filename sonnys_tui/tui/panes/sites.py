"""The Sites tab: region → district → site, with each site's active head count;
choosing a site shows its employees."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree

from sonnys_tui.backoffice.models import Site
from sonnys_tui.display import safe_text
from sonnys_tui.tenant import EmployeeChanged, ListsReplaced, RefreshFailed, TenantChange
from sonnys_tui.tui.panes.base import TenantPane


class SiteTree(Tree[str | None]):
    # Tree's own Enter, shown: choosing a site is what this tab is for.
    BINDINGS = [Binding("enter", "select_cursor", "Show its employees")]


class SitesPane(TenantPane):
    MAIN = "#site-tree"

    @dataclass
    class SiteChosen(Message):
        """Show this site's employees (``code`` None: every site)."""

        code: str | None

    def compose(self) -> ComposeResult:
        tree = SiteTree("Sites", id="site-tree")
        tree.show_root = False
        tree.loading = True
        yield tree

    def show_known(self) -> None:
        if self.tenant.knows("sites"):
            self._fill()

    def tenant_changed(self, change: TenantChange) -> None:
        if isinstance(change, ListsReplaced) and change.lists & {"sites", "employees"}:
            self._fill()
        elif isinstance(change, EmployeeChanged):
            self._fill()  # a head count moved
        elif isinstance(change, RefreshFailed) and "sites" in change.lists:
            self.query_one("#site-tree", Tree).loading = False

    def _fill(self) -> None:
        sites = self.tenant.sites
        if not sites:
            return
        tree: Tree[str | None] = self.query_one("#site-tree", Tree)
        tree.loading = False
        counts = self.tenant.active_counts("site") if self.tenant.knows("employees") else None
        tree.clear()

        def label(site: Site) -> Text:
            text = safe_text(f"{site.name} [{site.code}]")
            if counts is not None:
                text.append(f"  ({counts[site.code]} active)")
            return text

        tree.root.add_leaf(Text("All sites"), data=None)
        if any(site.region_name for site in sites):
            regions: dict[str, dict[str, list[Site]]] = {}
            for site in sites:
                region = regions.setdefault(site.region_name or "(no region)", {})
                region.setdefault(site.district_name or "(no district)", []).append(site)
            for region_name, districts in regions.items():
                region_node = tree.root.add(safe_text(region_name), data=None, expand=True)
                for district_name, members in districts.items():
                    node = region_node.add(safe_text(district_name), data=None, expand=True)
                    for site in members:
                        node.add_leaf(label(site), data=site.code)
        else:
            for site in sites:
                tree.root.add_leaf(label(site), data=site.code)
        tree.root.expand()

    @on(Tree.NodeSelected, "#site-tree")
    def _site_selected(self, event: Tree.NodeSelected[str | None]) -> None:
        node = event.node
        if node.data is None and node.children:
            return  # a region or district: the tree expands/collapses it
        self.post_message(self.SiteChosen(node.data))
