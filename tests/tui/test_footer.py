"""The footer shows the keys of whatever has focus, and keeps its keys when they don't change."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from sonnys_tui.tui.widgets.footer import Footer

pytestmark = pytest.mark.anyio


class SearchInput(Input):
    BINDINGS = [Binding("f5", "search", "Search")]

    def action_search(self) -> None:
        pass


class FormApp(App[None]):
    BINDINGS = [Binding("f1", "help", "Help")]

    def compose(self) -> ComposeResult:
        yield Input(id="first")
        yield Input(id="second")
        yield SearchInput(id="search")
        yield Footer()


def _keys(app: App[None]) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


async def test_footer_follows_the_focus_and_keeps_unchanged_keys() -> None:
    app = FormApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        first_keys = _keys(app)
        assert [k.key for k in first_keys] == ["f1", "ctrl+p"]

        app.query_one("#second").focus()
        await pilot.pause()
        assert _keys(app) == first_keys  # same widgets: nothing shown changed, no rebuild

        app.query_one("#search").focus()
        await pilot.pause()
        assert [k.key for k in _keys(app)] == ["f5", "f1", "ctrl+p"]

        app.query_one("#first").focus()
        await pilot.pause()
        assert [k.key for k in _keys(app)] == ["f1", "ctrl+p"]


async def test_footer_shows_a_key_disabled_then_enabled() -> None:
    class Toggling(FormApp):
        allowed = False

        def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
            # None: shown, but disabled
            return (True if self.allowed else None) if action == "help" else True

    app = Toggling()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert [k.has_class("-disabled") for k in _keys(app) if k.key == "f1"] == [True]
        app.allowed = True
        app.refresh_bindings()
        await pilot.pause()
        assert [k.has_class("-disabled") for k in _keys(app) if k.key == "f1"] == [False]
