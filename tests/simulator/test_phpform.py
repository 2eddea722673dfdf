from __future__ import annotations

from sonnys_tui.simulator.phpform import parse_pairs, present, value, values


def test_brackets_nest_and_empty_brackets_append() -> None:
    data = parse_pairs(
        [("a[b][c]", "1"), ("a[b][d]", "2"), ("l[]", "x"), ("l[]", "y"), ("plain", "p")]
    )
    assert data == {"a": {"b": {"c": "1", "d": "2"}}, "l": {"0": "x", "1": "y"}, "plain": "p"}
    assert values(data, "l") == ["x", "y"]


def test_repeated_scalar_key_keeps_the_last_value() -> None:
    data = parse_pairs([("p[1][requiresOverride]", "0"), ("p[1][requiresOverride]", "1")])
    assert value(data, "p", "1", "requiresOverride") == "1"
    data = parse_pairs([("k", "first"), ("k", "second")])
    assert value(data, "k") == "second"


def test_presence_is_independent_of_value() -> None:
    data = parse_pairs([("employee[isActive]", "0")])
    assert present(data, "employee", "isActive")
    assert not present(data, "employee", "missing")
    assert value(data, "employee", "missing") == ""


def test_indexed_keys_like_sites_0_read_as_a_list() -> None:
    data = parse_pairs([("sites[0]", "12"), ("sites[1]", "13")])
    assert values(data, "sites") == ["12", "13"]


def test_append_after_explicit_index_continues_numbering() -> None:
    data = parse_pairs([("a[5]", "x"), ("a[]", "y")])
    assert data == {"a": {"5": "x", "6": "y"}}
