"""The Templates tab: POS and Back Office permission templates, and what each grants."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from sonnys_tui.backoffice.models import Permission, Scope
from sonnys_tui.display import safe_text, terminal_safe
from sonnys_tui.tenant import ListsReplaced, TenantChange
from sonnys_tui.tui.panes.base import TenantPane

_SCOPES: tuple[tuple[Scope, str], ...] = (
    ("pos", "POS templates"),
    ("backoffice", "Back Office templates"),
)


class TemplatesPane(TenantPane):
    MAIN = "#template-list"

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield OptionList(id="template-list")
            yield Static("", id="template-info")

    def show_known(self) -> None:
        if self.tenant.knows("pos_templates") or self.tenant.knows("backoffice_templates"):
            self._fill()

    def tenant_changed(self, change: TenantChange) -> None:
        if isinstance(change, ListsReplaced) and change.lists & {
            "pos_templates",
            "backoffice_templates",
        }:
            self._fill()

    def _fill(self) -> None:
        options = self.query_one("#template-list", OptionList)
        options.clear_options()
        for scope, title in _SCOPES:
            options.add_option(Option(Text(title, style="bold"), disabled=True))
            for index, perm in enumerate(self.tenant.templates(scope)):
                options.add_option(Option(safe_text(f"  {perm.name}"), id=f"{scope}:{index}"))
        if options.option_count > 1:
            options.highlighted = 1  # the first template, so its grants show at once

    @on(OptionList.OptionHighlighted, "#template-list")
    def _template_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        option_id = event.option.id
        if not option_id:
            return
        scope, index = option_id.split(":")
        templates = self.tenant.templates("pos" if scope == "pos" else "backoffice")
        if int(index) >= len(templates):
            return  # highlighted before the list was refilled (cache, then server)
        self.query_one("#template-info", Static).update(describe_permission(templates[int(index)]))


def describe_permission(perm: Permission) -> Text:
    text = Text()
    text.append(terminal_safe(perm.name), style="bold")
    text.append(f"  ({'POS' if perm.scope == 'pos' else 'Back Office'} template)\n")
    if perm.description:
        text.append(terminal_safe(perm.description) + "\n")
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
            tokens = "\n".join(f"  {terminal_safe(token)}" for token in sorted(perm.tokens))
            text.append(":\n" + tokens)
    return text
