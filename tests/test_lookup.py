from __future__ import annotations

from sonnys_tui.backoffice.models import EmployeeRow
from sonnys_tui.lookup import matches, parse_query, search_rows


def _row(employee_id: int, first: str, last: str, pos: int | None, phone: str) -> EmployeeRow:
    return EmployeeRow(employee_id, first, last, pos, phone, (), (), "None", "Hourly", True)


ROWS = [
    _row(1, "Dana", "Reyes", 4411, "(555) 010-0199"),
    _row(2, "Danny", "Ostrowski", 44, "555.010.0123"),
    _row(3, "Mary Ann", "De la Cruz", 912, "5550104411"),
]


def test_numbers_match_pos_ids_and_phones() -> None:
    assert [r.employee_id for r in search_rows(ROWS, parse_query("4411"))] == [1, 3]
    assert [r.employee_id for r in search_rows(ROWS, parse_query("555-010-0199"))] == [1]
    assert [r.employee_id for r in search_rows(ROWS, parse_query("44"))] == [2, 3, 1]


def test_exact_pos_id_ranks_first() -> None:
    assert search_rows(ROWS, parse_query("44"))[0].employee_id == 2


def test_words_prefix_first_or_last_names() -> None:
    assert [r.employee_id for r in search_rows(ROWS, parse_query("dan"))] == [2, 1]
    assert [r.employee_id for r in search_rows(ROWS, parse_query("Dana Re"))] == [1]
    assert [r.employee_id for r in search_rows(ROWS, parse_query("ann cruz"))] == [3]
    assert not matches(ROWS[0], parse_query("reyes x"))


def test_empty_query_matches_nothing() -> None:
    assert parse_query("   ").is_empty
    assert search_rows(ROWS, parse_query("")) == []
