"""The footer: the keys of what is shown and focused, fitted to the terminal's width.

On the left, the keys of the focused widget, then of its pane, then of the screen, in
the order each declares them (most important first). On the right, always, the app's
own keys (F1 Help, which lists every key, and Ctrl+Q Quit) and the command palette.
When the left keys do not fit, the footer draws them compact, then leaves out the last
ones: never Help or Quit, which Textual's footer pushed off an 80-column screen.

Textual's Footer also rebuilds itself for every ``bindings_updated`` signal (one focus
change sends two, and moving between the fields of a form changes nothing shown): this
one rebuilds once per burst of signals, and only when what it shows changed.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import NamedTuple

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class _Key(NamedTuple):
    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str

    def width(self, *, compact: bool) -> int:
        # FooterKey's padding: " key desc " wide, "key desc" plus a margin compact.
        return cell_len(self.display) + cell_len(self.description) + (2 if compact else 3)


class Footer(TextualFooter):
    DEFAULT_CSS = """
    Footer #footer-right {
        dock: right;
        width: auto;
        height: 1;
        background: $footer-background;
    }
    Footer #footer-right FooterKey.-palette {
        border-left: vkey $foreground 20%;
        padding-right: 1;
    }
    Footer.-compact #footer-right FooterKey.-palette {
        padding-right: 0;
        margin-right: 0;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._rebuild_pending = False
        self._shown: Hashable = None

    # ------------------------------------------------------------------ what to show

    def _keys(self) -> tuple[list[_Key], list[_Key], _Key | None]:
        """The context keys (focused widget first, then outwards to the screen), the
        app's keys, and the palette key."""
        app = self.app
        palette_key = app.COMMAND_PALETTE_BINDING
        context: list[_Key] = []
        essential: list[_Key] = []
        palette: _Key | None = None
        actions: set[str] = set()
        for key, (node, binding, enabled, tooltip) in self.screen.active_bindings.items():
            shown = self._key(key, binding, enabled, tooltip)
            if key == palette_key:
                if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
                    palette = shown
                continue
            if not binding.show or binding.action in actions:
                continue  # one key per action: "n" for No, not also "escape"
            actions.add(binding.action)
            (essential if node is app else context).append(shown)
        # The app's keys in the order it declares them (Help before Quit).
        declared = [b.action for b in Binding.make_bindings(type(app).BINDINGS)]
        essential.sort(key=lambda k: declared.index(k.action) if k.action in declared else 99)
        return context, essential, palette

    def _key(self, key: str, binding: Binding, enabled: bool, tooltip: str) -> _Key:
        display = self.app.get_key_display(binding)
        return _Key(key, display, binding.description, binding.action, enabled, tooltip)

    def _width(self) -> int:
        return self.size.width or self.screen.size.width or self.app.size.width

    def _fit(self) -> tuple[bool, list[_Key], list[_Key], _Key | None]:
        """Compact or not, and the keys that fit on one line, most important first."""
        context, essential, palette = self._keys()
        width = self._width()
        for compact in (False, True):
            right = sum(k.width(compact=compact) for k in essential)
            if palette is not None:
                # Its separator, and its padding (no margin) when compact.
                right += palette.width(compact=compact) + (0 if compact else 2)
            room = width - right
            fitted: list[_Key] = []
            for key in context:
                room -= key.width(compact=compact)
                if room < 0:
                    break
                fitted.append(key)
            if len(fitted) == len(context) or compact:
                return compact, fitted, essential, palette
        raise AssertionError("unreachable")  # pragma: no cover

    def _keys_shown(self) -> Hashable:
        """Everything compose reads, to compare."""
        return self._fit()

    # ------------------------------------------------------------------ building

    def compose(self) -> ComposeResult:
        # Textual's first compose is empty and waits for a bindings signal to rebuild; the
        # screen's bindings are known already: composed now, the first frame is laid out once.
        self._bindings_ready = True
        self._shown = plan = self._fit()
        compact, context, essential, palette = plan
        self.set_reactive(Footer.compact, compact)
        self.set_class(compact, "-compact")
        yield from self._footer_keys(context, compact)
        with HorizontalGroup(id="footer-right"):
            yield from self._footer_keys(essential, compact)
            if palette is not None:
                yield from self._footer_keys([palette], compact, classes="-palette")

    def _footer_keys(
        self, keys: list[_Key], compact: bool, classes: str = ""
    ) -> Iterator[FooterKey]:
        for key in keys:
            shown = FooterKey(
                key.key,
                key.display,
                key.description,
                key.action,
                disabled=not key.enabled,
                tooltip=key.tooltip,
                classes=f"{classes} -compact" if compact else classes,
            )
            # Made compact or not now, as the binding will make it: else the key is
            # styled once as made (compact), then again when the binding sets it, and
            # once more when its class follows (each a restyle, ~20 keys a screen).
            shown.set_reactive(FooterKey.compact, compact)
            yield shown.data_bind(compact=Footer.compact)

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Textual's, except that a rebuild already scheduled is not scheduled again: it
        # reads the bindings when it runs, so it shows this change too.
        self._bindings_ready = True
        if self._rebuild_pending or not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self._schedule_rebuild()

    def on_resize(self, event: events.Resize) -> None:
        self._schedule_rebuild()  # wider or narrower: other keys may fit

    def _schedule_rebuild(self) -> None:
        if not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        if self.is_attached and self._keys_shown() != self._shown:
            await self.recompose()
