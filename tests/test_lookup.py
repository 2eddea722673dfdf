from __future__ import annotations

from sonnys_tui.backoffice.models import EmployeeRow
from sonnys_tui.lookup import Query, fold, matches, no_match, search_rows, search_server


def _row(employee_id: int, first: str, last: str, pos: int | None, phone: str) -> EmployeeRow:
    return EmployeeRow(employee_id, first, last, pos, phone, (), (), "None", "Hourly", True)


ROWS = [
    _row(1, "Dana", "Reyes", 4411, "(555) 010-0199"),
    _row(2, "Danny", "Ostrowski", 44, "555.010.0123"),
    _row(3, "Mary Ann", "De la Cruz", 912, "5550104411"),
]


def test_numbers_match_pos_ids_and_phones() -> None:
    assert [r.employee_id for r in search_rows(ROWS, Query.parse("4411"))] == [1, 3]
    assert [r.employee_id for r in search_rows(ROWS, Query.parse("555-010-0199"))] == [1]
    assert [r.employee_id for r in search_rows(ROWS, Query.parse("44"))] == [2, 3, 1]


def test_exact_pos_id_ranks_first() -> None:
    assert search_rows(ROWS, Query.parse("44"))[0].employee_id == 2


def test_words_prefix_first_or_last_names() -> None:
    assert [r.employee_id for r in search_rows(ROWS, Query.parse("dan"))] == [2, 1]
    assert [r.employee_id for r in search_rows(ROWS, Query.parse("Dana Re"))] == [1]
    assert [r.employee_id for r in search_rows(ROWS, Query.parse("ann cruz"))] == [3]
    assert not matches(ROWS[0], Query.parse("reyes x"))


def test_empty_query_matches_nothing() -> None:
    assert Query.parse("   ").is_empty
    assert search_rows(ROWS, Query.parse("")) == []


def test_pos_ids_match_by_prefix_phones_anywhere() -> None:
    rows = [_row(1, "Pat", "Example", 1441, "555-010-0100"), _row(2, "Lee", "Sample", 7, "")]
    assert search_rows(rows, Query.parse("441")) == []  # inside a POS ID: no match
    assert [r.employee_id for r in search_rows(rows, Query.parse("14"))] == [1]
    assert [r.employee_id for r in search_rows(rows, Query.parse("0100"))] == [1]


def test_names_match_word_starts_not_the_middle() -> None:
    rows = [_row(1, "Pat", "Smith-Jones", None, ""), _row(2, "Lee", "O'Brien", None, "")]
    assert [r.employee_id for r in search_rows(rows, Query.parse("jones"))] == [1]
    assert [r.employee_id for r in search_rows(rows, Query.parse("smith-j"))] == [1]
    assert [r.employee_id for r in search_rows(rows, Query.parse("brien"))] == [2]
    assert search_rows(rows, Query.parse("mith")) == []


def test_the_app_roster_filter_and_find_give_the_same_rows() -> None:
    from sonnys_tui.tui.roster import Roster

    roster = Roster()
    roster.load(ROWS)
    for text in ("44", "4411", "dan", "dana re", "ann cruz", "0123", "cruz de", "x"):
        roster.set_query(text)
        found = search_rows(ROWS, Query.parse(text))
        assert {r.employee_id for r in roster.visible} == {r.employee_id for r in found}, text


def test_names_match_without_their_accents_and_either_way() -> None:
    rows = [
        _row(1, "José", "Núñez", None, ""),
        _row(2, "Zoë", "Straße", None, ""),
        _row(3, "Søren", "O’Brien", None, ""),
        _row(4, "Jose", "Nunez", None, ""),
    ]
    assert [r.employee_id for r in search_rows(rows, Query.parse("jose"))] == [4, 1]
    assert [r.employee_id for r in search_rows(rows, Query.parse("JOSÉ nú"))] == [4, 1]
    assert [r.employee_id for r in search_rows(rows, Query.parse("zoe strasse"))] == [2]
    assert [r.employee_id for r in search_rows(rows, Query.parse("soren"))] == [3]
    assert [r.employee_id for r in search_rows(rows, Query.parse("brien"))] == [3]
    assert [r.employee_id for r in search_rows(rows, Query.parse("obrien"))] == [3]
    assert fold("ÉLODIE") == "elodie" and fold("plain") == "plain"


def test_a_us_phone_typed_with_its_country_code_finds_the_phone() -> None:
    for text in ("+1 555 010 0199", "1-555-010-0199", "+1 (555) 010-0199", "+1 555 010 019"):
        assert [r.employee_id for r in search_rows(ROWS, Query.parse(text))] == [1], text


def test_typing_on_narrows_only_when_every_row_still_matches() -> None:
    from sonnys_tui.tui.roster import Roster

    roster = Roster()
    roster.load(ROWS)
    for text in ("", "1", "15", "155", "1555", "15550", "155501", "1555010", "15550100199"):
        roster.set_query(text)
        assert roster.visible == search_rows(ROWS, Query.parse(text)) or not text, text
    assert [r.employee_id for r in roster.visible] == [1]


def test_an_empty_answer_says_so() -> None:
    assert no_match(Query.parse(" zzzz ")) == "no employee matches 'zzzz'"


def test_a_phone_number_without_a_roster_asks_the_server_nothing_it_cannot_answer() -> None:
    class NoServer:
        def search_employees(self, **_: object) -> list[EmployeeRow]:
            raise AssertionError("a phone's digits are no POS User ID")

    assert search_server(NoServer(), Query.parse("(555) 010-0199 99")) == []  # type: ignore[arg-type]
