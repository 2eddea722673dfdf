"""The field registry (backoffice/fields.py) is the one place a field is defined: every
consumer takes its label, key and rule from it, and a field added to it appears in the
edit form, `set`, the bulk columns and the review without touching those modules."""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Input

from sonnys_tui.backoffice import fields, validation
from sonnys_tui.backoffice.errors import ValidationError
from sonnys_tui.backoffice.models import FieldChange
from sonnys_tui.bulk import columns as bulk_columns
from sonnys_tui.cli import main
from sonnys_tui.cli.common import ExitStatus
from sonnys_tui.simulator import Simulator
from sonnys_tui.tui.screens.edit_employee import EditEmployeeScreen, text_fields
from sonnys_tui.tui.screens.review_changes import render_changes
from sonnys_tui.tui.widgets.form_field import FormField

from .conftest import MakeApp, settle, shown, type_text
from .test_edit_employee import _open_edit, _target

pytestmark = pytest.mark.anyio
POS_ID = "4101"  # Jordan Pilot of the demo tenant
EDITED = [f for f in fields.EMPLOYEE_FIELDS if f.edit and f.option]
COLUMNS = [f for f in fields.EMPLOYEE_FIELDS if f.column]
REFUSED = "refused by the registry"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return main(list(argv), out=out, err=err), out.getvalue(), err.getvalue()


def help_of(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit):
        main([*argv, "--help"])
    return capsys.readouterr().out


def reviewed(*changes: FieldChange) -> str:
    console = Console(width=160, record=True, file=io.StringIO())
    console.print(render_changes(changes))
    return console.export_text()


def _refusing(field: fields.Field) -> fields.Field:
    def refuse(value: object) -> object:
        raise ValidationError(f"{field.name} {REFUSED}", field=field.name)

    return dataclasses.replace(field, check=refuse, parse=None)


@pytest.fixture
def refusing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rule in the registry refuses everything: a consumer with its own copy of a
    rule would still accept."""
    patched = tuple(_refusing(f) if f.check else f for f in fields.EMPLOYEE_FIELDS)
    monkeypatch.setattr(fields, "EMPLOYEE_FIELDS", patched)


# --------------------------------------------------------------------------- the walk


@pytest.fixture
def set_help(capsys: pytest.CaptureFixture[str]) -> str:
    return " ".join(help_of(capsys, "set").split())  # argparse wraps: spaces folded


@pytest.fixture
def template_help(capsys: pytest.CaptureFixture[str]) -> str:
    return help_of(capsys, "bulk", "template")


@pytest.fixture(scope="module")
def show_text() -> str:
    status, out, err = run("show", POS_ID, "--demo")
    assert status == ExitStatus.OK, err
    return out


@pytest.mark.parametrize("field", EDITED, ids=lambda f: f.name)
def test_set_takes_option_label_and_rule_from_the_registry(
    field: fields.Field, set_help: str, refusing: None
) -> None:
    assert f"{field.option} {field.metavar} {field.label}" in set_help
    status, _, err = run("set", POS_ID, field.option or "", "anything")
    assert status == ExitStatus.USAGE
    assert f"{field.option}: {field.name} {REFUSED}" in err


@pytest.mark.parametrize("field", COLUMNS, ids=lambda f: f.name)
def test_bulk_columns_take_column_and_label_from_the_registry(
    field: fields.Field, template_help: str
) -> None:
    line = next(line for line in template_help.splitlines() if f" {field.column} " in line)
    assert field.label in line
    actions = [a for a in bulk_columns.ACTIONS if field.column in bulk_columns.action_columns(a)]
    assert actions
    for action in actions:
        assert field.column in bulk_columns.template(action)[0]


@pytest.mark.parametrize(
    "field",
    [f for f in fields.settable("bulk") if f.kind in ("text", "phone", "email")],
    ids=lambda f: f.name,
)
def test_bulk_update_rows_are_checked_by_the_registry_rule(
    field: fields.Field, tmp_path: Path, refusing: None
) -> None:
    path = tmp_path / "update.csv"
    path.write_text(f"action,pos_user_id,{field.column}\nupdate,{POS_ID},x\n", encoding="utf-8")
    status, out, _ = run("bulk", "plan", "--demo", "--json", str(path))
    assert status == 1
    [row] = json.loads(out)
    assert (row["status"], row["column"]) == ("error", field.column)
    assert REFUSED in row["reason"]


def test_show_and_the_review_say_each_field_with_its_registry_label(show_text: str) -> None:
    record = [f for f in fields.EMPLOYEE_FIELDS if f.edit]
    for field in record:
        assert f"{field.label}:" in show_text or f"\n{field.label} " in show_text, field.name
    review = reviewed(*(FieldChange(f.name, "a", "b") for f in record))
    for field in record:
        assert field.label in review, field.name


async def test_the_edit_form_takes_label_and_rule_from_the_registry(
    make: MakeApp, sim: Simulator, refusing: None
) -> None:
    employee = _target(sim)
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        edit = await _open_edit(pilot, employee)
        for field in fields.EMPLOYEE_FIELDS:
            if field.edit and field.name not in ("pos_pin",):
                assert edit.query_one(f"#field-{field.name}", FormField).label == field.label
        for name in text_fields():
            await type_text(pilot, f"#{name}", "x1")
            await settle(pilot)
            message = shown(edit.query_one(f"#field-{name} .field-message"))  # type: ignore[arg-type]
            assert f"{fields.label(name)} {REFUSED}" in message, name


# --------------------------------------------------------------------------- a new field

LOCKER = fields.Field(
    "locker_number",
    "Locker no.",
    "text",
    "Other",
    (fields.FormKey("employee_edit", "employee[lockerNumber]", "text"),),
    check=lambda value: validation.optional_text(value, field="locker_number", max_length=4),
    option="--locker",
    metavar="NUMBER",
    help="the number of the employee's locker",
    column="locker_number",
    edit=True,
    bulk=True,
    clearable=True,
)


@pytest.fixture
def with_locker(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(fields, "EMPLOYEE_FIELDS", (*fields.EMPLOYEE_FIELDS, LOCKER))
    yield


def test_a_new_field_appears_in_set_the_bulk_columns_and_the_review(
    with_locker: None, capsys: pytest.CaptureFixture[str]
) -> None:
    out = help_of(capsys, "set")
    assert "--locker NUMBER" in out
    assert "Locker no.: the number of the employee's locker" in " ".join(out.split())
    status, _, err = run("set", POS_ID, "--locker", "12345")
    assert status == ExitStatus.USAGE and "--locker: locker_number must have at most 4" in err
    assert "locker_number" in bulk_columns.action_columns("update")
    assert "locker_number" in bulk_columns.template("update")[0]
    assert bulk_columns.columns()["locker_number"].startswith("Locker no.")
    assert "Locker no." in help_of(capsys, "bulk", "template")
    assert fields.fields_for("employee_edit")[-1] == (LOCKER, LOCKER.keys[0])
    assert "Locker no." in reviewed(FieldChange("locker_number", "12", "34"))


async def test_a_new_field_appears_in_the_edit_form_with_its_rule(
    make: MakeApp, sim: Simulator, with_locker: None
) -> None:
    employee = _target(sim)
    app = make()
    async with app.run_test(size=(100, 40)) as pilot:
        edit = await _open_edit(pilot, employee)
        assert isinstance(edit, EditEmployeeScreen)
        assert edit.query_one("#field-locker_number", FormField).label == "Locker no."
        assert edit.query_one("#locker_number", Input).value == ""  # the record has none
        await type_text(pilot, "#locker_number", "12345")
        await settle(pilot)
        message = shown(edit.query_one("#field-locker_number .field-message"))  # type: ignore[arg-type]
        assert "Locker no. must have at most 4 characters" in message
        await type_text(pilot, "#locker_number", "12")
        changed, problems = edit.changes()
        assert changed == {"locker_number": "12"} and not problems
