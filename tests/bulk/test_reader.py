"""Reading a bulk file as spreadsheet programs save it."""

from __future__ import annotations

import pytest

from sonnys_tui.bulk import BulkFileError, parse


def test_bom_semicolons_quoted_separators_and_blank_lines_keep_line_numbers() -> None:
    text = (
        "\ufeffAction;POS User ID;first_name;available_sites\r\n"
        "\r\n"
        'hire;4411;Dana;"Demo Wash Fiesta; HARB"\r\n'
        ";;;\r\n"
        'update;4412;"Quinn, Jr";HARB\r\n'
    )
    data = parse(text)
    assert data.delimiter == ";"
    assert data.columns == ("action", "pos_user_id", "first_name", "available_sites")
    assert [row.line for row in data.rows] == [3, 5]
    assert data.rows[0].values["available_sites"] == "Demo Wash Fiesta; HARB"
    assert data.rows[1].get("first_name") == "Quinn, Jr"


def test_commas_with_quoted_commas_and_a_multiline_cell_count_lines() -> None:
    data = parse(
        'action,first_name,departments\nhire,"Ann\nMarie","Cashier, Greeter"\n\nwage,Bo,\n'
    )
    assert data.delimiter == ","
    assert data.rows[0].get("departments") == "Cashier, Greeter"
    assert [row.line for row in data.rows] == [2, 5]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("action,fist_name\nhire,Dana\n", "unknown column 'fist_name'"),
        ("action,action\nhire,hire\n", "appears twice"),
        ("action,first_name\nhire,Dana,Reyes\n", "line 2: 3 cells"),
    ],
)
def test_a_file_that_is_not_a_bulk_file_is_refused_as_a_whole(text: str, message: str) -> None:
    with pytest.raises(BulkFileError, match=message):
        parse(text)
