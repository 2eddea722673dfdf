"""The roster behind the employee table: filtering rules, narrowing, sorting, cursor."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from sonnys_tui.backoffice.models import EmployeeRow
from sonnys_tui.tui.roster import Query, Roster
from sonnys_tui.tui.widgets.employee_table import COLUMNS, layout_columns


def row(
    i: int,
    first: str,
    last: str,
    pos: int | None,
    phone: str,
    *,
    active: bool = True,
    sites: tuple[str, ...] = ("NM1",),
) -> EmployeeRow:
    return EmployeeRow(i, first, last, pos, phone, sites, (), "Cashier", "Hourly", active)


ROWS = [
    row(1, "Dana", "Reyes", 4117, "(312) 555-0117"),
    row(2, "Dan", "Smith", 4200, "3125550199", active=False, sites=("SS2",)),
    row(3, "Avery", "Danforth", None, "555-0101"),
    row(4, "[bold]Bo", "Tag", 99, "5550100117", sites=("NM1", "SS2")),
]


def ids(roster: Roster) -> list[int]:
    return [r.employee_id for r in roster.visible]


def test_query_parsing() -> None:
    assert Query.parse(" 41 17 ") == Query(digits="4117")
    assert Query.parse("(312) 555-0117") == Query(digits="3125550117")
    assert Query.parse("Dana  RE") == Query(words=("dana", "re"))
    assert Query.parse("").is_empty


def test_text_matches_names_and_numbers_match_pos_ids_and_phones() -> None:
    roster = Roster()
    roster.load(ROWS)
    roster.set_query("dan")
    assert sorted(ids(roster)) == [1, 2, 3]  # Dana, Dan, Danforth
    roster.set_query("dana rey")
    assert ids(roster) == [1]
    roster.set_query("0117")
    assert sorted(ids(roster)) == [1, 4]  # a phone ends in 0117 for both
    roster.set_query("4117")
    assert ids(roster) == [1]
    roster.set_query("[bold]")
    assert ids(roster) == [4]


def test_active_and_site_filters_combine_with_query() -> None:
    roster = Roster()
    roster.load(ROWS)
    roster.set_active("inactive")
    assert ids(roster) == [2]
    roster.set_active("active")
    roster.set_site("SS2")
    assert ids(roster) == [4]
    roster.set_site(None)
    roster.set_query("dan")
    assert sorted(ids(roster)) == [1, 3]


def test_sorting_and_in_place_update() -> None:
    roster = Roster()
    roster.load(ROWS)
    assert ids(roster) == [3, 1, 2, 4]  # by last name
    roster.set_sort("pos_user_id")
    assert ids(roster) == [4, 1, 2, 3]  # no POS ID last
    roster.set_sort("pos_user_id", reverse=True)
    assert ids(roster)[0] == 3
    roster.set_sort("name")
    roster.replace_row(row(2, "Dan", "Smith", 4200, "3125550199", active=True))
    assert ids(roster) == [3, 1, 2, 4]
    assert roster.visible[2].active


def test_department_filter() -> None:
    roster = Roster()
    roster.load([replace(ROWS[0], departments=("Cashier",)), *ROWS[1:]])
    roster.set_department("Cashier")
    assert ids(roster) == [ROWS[0].employee_id]
    roster.set_department(None)
    assert len(roster.visible) == len(ROWS)


names = st.text(alphabet="abcdeAB [] ", min_size=0, max_size=6)
digits = st.text(alphabet="0123456789", min_size=0, max_size=4)


@settings(max_examples=60, deadline=None)
@given(
    people=st.lists(st.tuples(names, names, st.none() | st.integers(1, 9999), digits), max_size=30),
    typed=st.lists(st.sampled_from("ab 1 0[B"), max_size=6),
)
def test_incremental_filtering_equals_filtering_from_scratch(
    people: list[tuple[str, str, int | None, str]], typed: list[str]
) -> None:
    rows = [row(i, f, last, pos, phone) for i, (f, last, pos, phone) in enumerate(people)]
    incremental = Roster()
    incremental.load(rows)
    text = ""
    for ch in typed:  # one keystroke at a time, reusing the previous result when it narrows
        text += ch
        incremental.set_query(text)
        fresh = Roster()
        fresh.load(rows)
        fresh.set_query(text)
        assert ids(incremental) == ids(fresh), text


def test_columns_fit_any_width_and_drop_least_important_first() -> None:
    for width in (30, 45, 60, 80, 120, 200):
        layout = layout_columns(width)
        used = sum(w for _i, w in layout) + len(layout) - 1
        assert used <= max(width, COLUMNS[0].width)
        assert layout[0][0] == 0  # the name always stays
    assert len(layout_columns(200)) == len(COLUMNS)
    narrow = {COLUMNS[i].title for i, _w in layout_columns(45)}
    assert "Departments" not in narrow and "POS ID" in narrow


def test_digits_that_are_a_pos_user_id_put_that_employee_first() -> None:
    """1013 means POS 1013: above 10132 (whom name order puts first), the rest as sorted,
    and as one more digit narrows, the new exact match leads."""
    roster = Roster()
    roster.load(
        [
            row(1, "Logan", "Adams", 10132, "3125550132"),
            row(2, "Logan", "Baker", 1013, "3125550113"),
            row(3, "Casey", "Cole", 10139, "3125550139"),
        ]
    )
    roster.set_query("1013")
    assert ids(roster) == [2, 1, 3]
    roster.set_query("10139")
    assert ids(roster) == [3]
    roster.set_query("101")
    assert ids(roster) == [1, 2, 3]  # no one's POS ID: name order
