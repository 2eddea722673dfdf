"""A virtual employee table: draws only the rows on screen, so 10,000 rows cost nothing.

Textual's DataTable rebuilds every row on clear+refill (hundreds of ms at 10k rows).
Here the rows live in a plain list; ``virtual_size`` tells the scrollbars how tall the
table is, and ``render_line(y)`` draws one visible line on demand. The cursor is kept
by employee id, so filtering or refreshing never jumps to a different person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from sonnys_tui.backoffice.models import EmployeeRow
from sonnys_tui.display import terminal_safe


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width: int  # minimum width; flexible columns grow into the spare room
    flex: int = 0
    priority: int = 0  # lower numbers are dropped first when the terminal is narrow


COLUMNS: tuple[Column, ...] = (
    Column("Name", 16, flex=3, priority=9),
    Column("POS ID", 6, priority=8),
    Column("Phone", 14, priority=5),
    Column("Sites", 8, flex=2, priority=6),
    Column("Departments", 10, flex=1, priority=3),
    Column("Access", 10, flex=1, priority=4),
    Column("Active", 6, priority=7),
)
GAP = 1


@lru_cache(maxsize=16)
def layout_columns(width: int) -> tuple[tuple[int, int], ...]:
    """(column index, width) of the columns that fit in ``width`` cells, in order."""
    chosen = list(range(len(COLUMNS)))

    def needed(indexes: list[int]) -> int:
        return sum(COLUMNS[i].width for i in indexes) + GAP * (len(indexes) - 1)

    by_priority = sorted(chosen, key=lambda i: COLUMNS[i].priority)
    while len(chosen) > 1 and needed(chosen) > width:
        chosen.remove(by_priority.pop(0))
    spare = max(0, width - needed(chosen))
    flex_total = sum(COLUMNS[i].flex for i in chosen) or 1
    widths = {i: COLUMNS[i].width for i in chosen}
    given = 0
    flexible = [i for i in chosen if COLUMNS[i].flex]
    for i in flexible:
        extra = spare * COLUMNS[i].flex // flex_total
        widths[i] += extra
        given += extra
    if flexible:
        widths[flexible[0]] += spare - given
    return tuple((i, widths[i]) for i in chosen)


def cell_texts(row: EmployeeRow) -> tuple[str, ...]:
    return (
        row.full_name,
        "" if row.pos_user_id is None else str(row.pos_user_id),
        row.phone,
        ", ".join(row.site_codes),
        ", ".join(row.departments),
        row.access,
        "yes" if row.active else "no",
    )


def _line(texts: Sequence[str], layout: Sequence[tuple[int, int]]) -> str:
    # Server text is drawn as plain segments, never parsed as markup, and made terminal
    # safe before it is measured: an escape in a name is shown, not sent, and the
    # columns stay in line (a line is drawn once per row and width: see the cache).
    return (" " * GAP).join(set_cell_size(terminal_safe(texts[i]), width) for i, width in layout)


@dataclass(frozen=True, slots=True)
class _FrameStyles:
    width: int
    base: Style
    header: Style
    cursor: Style
    inactive: Style


class EmployeeTable(ScrollView, can_focus=True):
    """Rows of employees with a cursor; Enter posts :class:`EmployeeTable.Chosen`."""

    COMPONENT_CLASSES = {
        "employee-table--cursor",
        "employee-table--inactive",
        "employee-table--header",
    }
    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "choose", "Details", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True)

    @dataclass
    class Highlighted(Message):
        row: EmployeeRow | None

    @dataclass
    class HeaderClicked(Message):
        title: str

    @dataclass
    class Chosen(Message):
        row: EmployeeRow

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: Sequence[EmployeeRow] = ()
        self._highlighted_id: int | None = None
        self._sort_title = "Name"
        self._sort_reverse = False
        # Drawn lines by employee id: scrolling and re-filtering redraw the same people.
        self._line_cache: LRUCache[int, tuple[EmployeeRow, int, str]] = LRUCache(1024)
        self._frame = _FrameStyles(0, Style(), Style(), Style(), Style())

    def set_sort_marker(self, title: str, reverse: bool) -> None:
        self._sort_title, self._sort_reverse = title, reverse
        self.refresh()

    @property
    def rows(self) -> Sequence[EmployeeRow]:
        return self._rows

    @property
    def current(self) -> EmployeeRow | None:
        if 0 <= self.cursor < len(self._rows):
            return self._rows[self.cursor]
        return None

    def set_rows(self, rows: Sequence[EmployeeRow], *, keep_id: int | None = None) -> None:
        """Show ``rows``; the cursor goes to ``keep_id`` if shown, else stays on the
        current employee if still shown, else goes to the top. (A hire the filter hides
        must not move the cursor, nor the open detail pane, to someone else.)"""
        self._rows = rows
        self._set_virtual_height(len(rows) + 1)  # +1: the header line
        current = self._highlighted_id
        kept: int | None = None
        stayed: int | None = None
        if keep_id is not None or current is not None:
            for i, row in enumerate(rows):  # per keystroke on 10,000 rows: stop when found
                if row.employee_id == keep_id:
                    kept = i
                    break
                if row.employee_id == current and stayed is None:
                    stayed = i
                    if keep_id is None:
                        break
        self.cursor = kept if kept is not None else stayed if stayed is not None else 0
        # The new virtual height only bounds scrolling after the next layout: scroll then,
        # or a cursor on a row that was just added could stay one row out of view.
        self.call_after_refresh(self._scroll_to_cursor)
        self.refresh()

    def _set_virtual_height(self, height: int) -> None:
        size = Size(self.size.width, height)
        if size == self.virtual_size:
            return
        # Assigning virtual_size re-lays out the whole screen (~15 ms); the scrollbar is
        # always shown (overflow-y: scroll), so only the scrollbars need to follow.
        self.set_reactive(EmployeeTable.virtual_size, size)
        self._scroll_update(size)

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self._rows) - 1)) if self._rows else 0

    def watch_cursor(self, value: int) -> None:
        row = self.current
        new_id = row.employee_id if row else None
        self._scroll_to_cursor()
        self.refresh()
        if new_id != self._highlighted_id:
            self._highlighted_id = new_id
            self.post_message(self.Highlighted(row))

    def _body_height(self) -> int:
        return self.scrollable_content_region.height - 1  # the first line is the header

    def _scroll_to_cursor(self) -> None:
        height = self._body_height()
        if height <= 0:
            return
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self._rows) + 1)  # a real relayout
        self._scroll_to_cursor()

    def render_lines(self, crop: Region) -> list[Strip]:
        # Resolving CSS styles walks the DOM: do it once per frame, not once per line.
        self._frame = _FrameStyles(
            width=self.scrollable_content_region.width,
            base=self.rich_style,
            header=self.get_component_rich_style("employee-table--header"),
            cursor=self.get_component_rich_style("employee-table--cursor"),
            inactive=self.get_component_rich_style("employee-table--inactive"),
        )
        return super().render_lines(crop)

    def _header(self, frame: _FrameStyles) -> Strip:
        width = frame.width
        layout = layout_columns(width)
        texts = [column.title for column in COLUMNS]
        for i, column in enumerate(COLUMNS):
            if column.title == self._sort_title:
                texts[i] = f"{column.title} {'▼' if self._sort_reverse else '▲'}"
        style = frame.base + frame.header
        return Strip([Segment(set_cell_size(_line(texts, layout), width), style)], width)

    def render_line(self, y: int) -> Strip:
        frame = self._frame
        width = frame.width
        if y == 0:
            return self._header(frame)
        index = round(self.scroll_y) + y - 1
        base = frame.base
        if index >= len(self._rows):
            return Strip([Segment(" " * width, base)], width)
        row = self._rows[index]
        cached = self._line_cache.get(row.employee_id)
        if cached is not None and cached[0] is row and cached[1] == width:
            text = cached[2]
        else:
            text = set_cell_size(_line(cell_texts(row), layout_columns(width)), width)
            self._line_cache[row.employee_id] = (row, width, text)
        style: Style = base
        if not row.active:
            style = style + frame.inactive
        if index == self.cursor:
            style = style + frame.cursor
        return Strip([Segment(text, style)], width)

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = 0
            for i, width in layout_columns(self.scrollable_content_region.width):
                if x <= event.x < x + width + GAP:
                    self.post_message(self.HeaderClicked(COLUMNS[i].title))
                    break
                x += width + GAP
            return
        index = round(self.scroll_y) + event.y - 1
        if 0 <= index < len(self._rows):
            if index == self.cursor and event.chain >= 2:
                self.action_choose()
            self.cursor = index

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= max(1, self._body_height() - 1)

    def action_page_down(self) -> None:
        self.cursor += max(1, self._body_height() - 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._rows) - 1

    def action_choose(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.Chosen(row))
