from __future__ import annotations

import lxml.html

from sonnys_tui.backoffice.forms import FormData, find_form, serialize_form

from .snippets import employee_form, employee_tree


def _form(html: str) -> lxml.html.FormElement:
    form = find_form(lxml.html.document_fromstring(html), "employee-create-edit-form")
    assert form is not None
    return form


def test_formdata_php_helpers() -> None:
    data = FormData([("a", "1"), ("b[]", "x"), ("a", "2"), ("b[]", "y")])
    assert data.get("a") == "2"  # last wins, as PHP binds it
    assert data.get_all("b[]") == ["x", "y"]
    data.set("a", "3")
    assert data.pairs() == [("a", "3"), ("b[]", "x"), ("b[]", "y")]
    data.set_all("b[]", ["z"])
    data.add("c", "")
    data.remove("missing")
    assert data.pairs() == [("a", "3"), ("b[]", "z"), ("c", "")]
    data.remove_pair("b[]", "z")
    assert "b[]" not in data and "c" in data


def test_formdata_repr_hides_values() -> None:
    data = FormData([("posCredential[POSLoginPassword]", "13579")])
    assert "13579" not in repr(data)


def test_serializer_is_browser_faithful() -> None:
    data = serialize_form(_form(employee_form(employee_tree(available={17}))))
    pairs = data.pairs()
    assert ("employee[departments][]", "3") in pairs  # selected option only
    assert ("employee[departments][]", "1") not in pairs
    assert ("employee[isActive]", "1") in pairs  # checked box
    assert "wage[siteId]" not in data  # disabled select is not posted
    assert data.get("employee[nickname]") == "Ace"  # unknown fields survive untouched
    assert data.get("employee[emergencyContactName]") == ""


def test_data_value_dates_are_posted() -> None:
    data = serialize_form(_form(employee_form(employee_tree(available={17}))))
    assert data.get("employee[startDate]") == "04/13/2026"


def test_edit_serialization_drops_what_the_page_scripts_leave_out() -> None:
    html = employee_form(employee_tree(available={17}))
    raw = serialize_form(_form(html))
    edited = serialize_form(_form(html), edit=True)
    assert ("employee[sites][18][isAvailable]", "18") in raw.pairs()
    assert not [k for k, _ in edited if k.endswith("[isAvailable]")]
    assert ("employee[sites][17][siteId]", "17") in edited.pairs()
    assert ("employee[disabledRegions][]", "2") in edited.pairs()


def test_unchecked_status_box_is_absent() -> None:
    data = serialize_form(_form(employee_form(employee_tree(available={17}), active=False)))
    assert "employee[isActive]" not in data
