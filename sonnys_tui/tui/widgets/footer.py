"""Textual's Footer, rebuilt only when the keys it shows change.

Textual's Footer rebuilds itself (new FooterKey widgets, each restyled on its own) for
every ``bindings_updated`` signal: one focus change sends two, and moving between the
fields of a form changes nothing the footer shows. A screen's first frame paid for
three rebuilds. This one rebuilds once per burst of signals, and not at all when the
shown keys are the same as the last time.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    def __init__(self) -> None:
        super().__init__()
        self._rebuild_pending = False
        self._shown: Hashable = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Textual's, except that a rebuild already scheduled is not scheduled again: it
        # reads the bindings when it runs, so it shows this change too.
        self._bindings_ready = True
        if self._rebuild_pending or not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    def _keys_shown(self) -> Hashable:
        """Everything Textual's compose reads from the bindings, to compare."""
        app = self.app
        palette = app.COMMAND_PALETTE_BINDING
        keys = [
            (key, binding, app.get_key_display(binding), enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        ]
        return (*keys, self.show_command_palette, app.ENABLE_COMMAND_PALETTE)

    def compose(self) -> ComposeResult:
        # Textual's first compose is empty and waits for a bindings signal to rebuild; the
        # screen's bindings are known already, and a rebuild after them shows the same
        # keys (focus on a field adds none): composed now, the first frame is laid out once.
        self._bindings_ready = True
        # Whatever rebuilds the footer (this class or Textual), remember what it shows.
        self._shown = self._keys_shown()
        return super().compose()

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        if self.is_attached and self._keys_shown() != self._shown:
            await self.recompose()
