"""Writes fail closed: just before each POST the form as served is compared with what
the write knows (formcheck). A field it must set that is missing, renamed or of another
kind, an empty required field it cannot fill, a site tree it cannot read: refused with
no POST, the error naming the page and the field. A field it does not know is posted
back exactly as served."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient as Client
from sonnys_tui.backoffice import formcheck, pages
from sonnys_tui.backoffice.errors import BackofficeServerError
from sonnys_tui.simulator import Simulator

from .conftest import make_client
from .variants import EXTRA_ABSENT, EXTRA_FIELDS, EXTRA_PAIRS, VARIANTS, add_inputs

Write = Callable[[Simulator, Client], object]


def _posts(sim: Simulator, *paths: str) -> list[Any]:
    return [r for r in sim.requests if r.method == "POST" and r.path in paths]


FREE_POS_ID = 98765  # free on the demo tenant (asking for the next free one reads pages)


def _hire_args(client: Client, **overrides: Any) -> dict[str, Any]:
    sites = client.list_sites()
    return {
        "first_name": "Testy",
        "last_name": "McFixture",
        "phone": "(555) 010-0142",
        "email": "testy.mcfixture@example.com",
        "pos_user_id": FREE_POS_ID,
        "wage_rate": "15.50",
        "start_date": date(2026, 5, 1),
        "available_sites": [sites[0].name, sites[2].code.lower()],
        "permission": "cashier",
        "departments": ["Greeter", "line"],
        **overrides,
    }


def _hire(sim: Simulator, client: Client) -> object:
    return client.create_employee(**_hire_args(client))


def _disable(sim: Simulator, client: Client) -> object:
    target = next(e for e in sim.store.employees.values() if e.active)
    return client.disable_employee(pos_user_id=target.pos_user_id)


def _disable_user(sim: Simulator, client: Client) -> object:
    user = next(u for u in sim.store.users.values() if u.active and u.username != sim.username)
    return client.disable_backoffice_user(user_id=user.id)


def _set_user_sites(sim: Simulator, client: Client) -> object:
    user = next(u for u in sim.store.users.values() if u.active and u.username != sim.username)
    sites = client.list_sites()
    return client.set_backoffice_permissions(user_id=user.id, sites=[sites[0].name])


def _new_user(sim: Simulator, client: Client) -> object:
    return client.create_backoffice_user(
        username="variant_user",
        email="variant.user@example.com",
        permission="General User",
        first_name="Vari",
        last_name="Ant",
    )


def _active(sim: Simulator) -> Any:
    return next(e for e in sim.store.employees.values() if e.active and e.site_ids)


def _update(sim: Simulator, client: Client) -> object:
    return client.update_employee(pos_user_id=_active(sim).pos_user_id, first_name="Changed")


def _wage(sim: Simulator, client: Client) -> object:
    return client.add_wage(pos_user_id=_active(sim).pos_user_id, rate="19.25")


def _template(sim: Simulator, client: Client) -> object:
    employee = _active(sim)
    other = next(
        t for t in sim.store.pos_templates.values() if set(t.grant_ids) != employee.grant_ids
    )
    return client.set_pos_permissions(pos_user_id=employee.pos_user_id, template=other.name)


WRITE_POSTS = {
    _update: ("/employee/update",),
    _wage: ("/employee/compensation/update",),
    _template: ("/employee/permissions/update",),
    _hire: ("/employee/insert",),
    _disable: ("/employee/update",),
    _disable_user: ("/user/update",),
    _set_user_sites: ("/user/permissions/update",),
    _new_user: ("/user/insert",),
}

# (variant, write): each write the variant's page breaks refuses before its POST.
REFUSED = [
    ("extra required field", _hire),
    ("extra required field", _disable),
    ("phone renamed", _hire),
    ("phone renamed", _disable),
    ("siteId inputs gone", _hire),
    ("siteId inputs gone", _disable),
    ("toggles not inverted", _hire),
    ("toggles not inverted", _update),
    ("isActive a select", _disable),
    ("overtime a select", _hire),
    ("regularRate renamed", _hire),
    ("isDeleted a select", _disable_user),
    ("siteIds gone", _set_user_sites),
    ("extra required field", _update),
    ("phone renamed", _update),
    ("siteId inputs gone", _update),
    ("regularRate renamed", _wage),
    ("overtime a select", _wage),
    ("permission box renamed", _template),
]


@pytest.mark.parametrize(
    ("variant", "write"), REFUSED, ids=[f"{v}-{w.__name__}" for v, w in REFUSED]
)
def test_a_write_refuses_a_changed_form_before_posting(variant: str, write: Write) -> None:
    sim = VARIANTS[variant].apply(Simulator.demo())
    with make_client(sim) as client, pytest.raises(BackofficeServerError) as caught:
        write(sim, client)
    assert _posts(sim, *WRITE_POSTS[write]) == []
    message = str(caught.value)
    assert VARIANTS[variant].field in message
    assert "page" in message and "sonnys-tui doctor" in message
    assert caught.value.wrote_nothing


@pytest.mark.parametrize("variant", ["siteId inputs gone", "phone renamed", "extra required field"])
def test_the_refusal_suggests_doctor_and_names_the_page(variant: str) -> None:
    sim = VARIANTS[variant].apply(Simulator.demo())
    with make_client(sim) as client, pytest.raises(BackofficeServerError) as caught:
        _hire(sim, client)
    # The create form, or an employee's edit page the duplicate check reads first.
    assert "employee create page" in str(caught.value) or "edit page" in str(caught.value)
    assert "sonnys-tui doctor" in str(caught.value)
    assert caught.value.field == VARIANTS[variant].field or VARIANTS[variant].field in str(
        caught.value
    )


def _hire_with_login(sim: Simulator, client: Client) -> object:
    return client.create_employee(
        **_hire_args(client, requires_backoffice=True, backoffice_username="variant_login")
    )


@pytest.mark.parametrize(
    ("variant", "write"),
    [
        ("permission box renamed", _hire),
        ("siteIds gone", _hire_with_login),
        ("isDeleted a select", _hire),  # a page this hire never posts to: it goes on
    ],
)
def test_a_hire_checks_the_pages_it_posts_to_after_the_insert_before_it(
    variant: str, write: Write
) -> None:
    # The POS permissions (and the login's) pages were read for the templates: a form
    # there that differs refuses the hire before its insert, not half way.
    sim = VARIANTS[variant].apply(Simulator.demo())
    with make_client(sim) as client:
        if variant == "isDeleted a select":
            write(sim, client)
            assert len(_posts(sim, "/employee/insert")) == 1
            return
        with pytest.raises(formcheck.FormChangedError) as caught:
            write(sim, client)
    assert [r for r in sim.requests if r.method == "POST" and r.path != "/login_check"] == []
    assert VARIANTS[variant].field in str(caught.value)
    assert caught.value.wrote_nothing


def test_a_permissions_page_that_changed_after_the_templates_were_read_is_still_refused() -> None:
    # The templates came from a page as the writes know it; the new employee's own page
    # differs: the employee exists, its permissions are not posted blind.
    sim = Simulator.demo()
    with make_client(sim) as client:
        client.list_permissions(scope="pos")
        VARIANTS["permission box renamed"].apply(sim)
        with pytest.raises(BackofficeServerError) as caught:
            _hire(sim, client)
    assert _posts(sim, "/employee/permissions/update") == []
    assert "permissions[2][hasGrantAccess]" in str(caught.value)
    assert "was created" in (caught.value.state or "")


@pytest.mark.parametrize(
    ("write", "paths"),
    [
        (_hire, ("/employee/create",)),
        (_disable, ("/employee/edit/*",)),
        (_update, ("/employee/edit/*",)),
    ],
    ids=["hire", "disable", "update"],
)
def test_fields_the_write_does_not_know_are_posted_back_as_served(
    write: Write, paths: tuple[str, ...]
) -> None:
    sim = Simulator.demo()
    for path in paths:
        sim.faults.rewrite(path, add_inputs("employee-create-edit-form", EXTRA_FIELDS))
    with make_client(sim) as client:
        write(sim, client)
    (posted,) = _posts(sim, *WRITE_POSTS[write])
    for pair in EXTRA_PAIRS:
        assert pair in posted.form
    assert EXTRA_ABSENT not in dict(posted.form)


def test_an_unknown_user_field_is_posted_back_on_a_user_write() -> None:
    sim = Simulator.demo()
    extra = '<input type="hidden" name="user[tenantFlag]" value="kept-7">'
    sim.faults.rewrite("/user/edit/*", add_inputs("user-edit-edit-form", extra))
    with make_client(sim) as client:
        _disable_user(sim, client)
    (posted,) = _posts(sim, "/user/update")
    assert ("user[tenantFlag]", "kept-7") in posted.form


def test_a_flat_tenant_passes_the_check(sim: Simulator, client: Client) -> None:
    # Both shapes (the sim fixture is demo and flat): the hire goes through.
    _hire(sim, client)
    assert len(_posts(sim, "/employee/insert")) == 1


def test_every_spec_matches_the_simulator_pages(sim: Simulator, client: Client) -> None:
    employee = next(iter(sim.store.employees.values())).id
    user = next(u.id for u in sim.store.users.values() if u.employee_id is not None)
    for spec in formcheck.SPECS:
        path = spec.path.replace("<id>", str(user if spec.path.startswith("/user") else employee))
        doc = client._session.get(path).doc()
        assert formcheck.check(doc, spec) == [], spec.page


def test_the_check_sends_no_request() -> None:
    # Its cost per write is measured in benchmarks/ (formcheck): under 5 ms.
    sim = Simulator.demo()
    with make_client(sim) as client:
        employee = next(iter(sim.store.employees.values())).id
        edit = pages.parse_employee_edit(client._session.get(f"/employee/edit/{employee}").doc())
        before = len(sim.requests)
        formcheck.require(edit.page.form, formcheck.EMPLOYEE_EDIT, step="t", tree=edit.page.tree)
    assert len(sim.requests) == before


SPEC = formcheck.FormSpec(
    page="sample",
    path="/sample",
    form_id="f",
    fields=(
        formcheck.Field("a[name]", "text"),
        formcheck.Field("a[on]", "checkbox"),
        formcheck.Field("a[pick]", "select"),
        formcheck.Field("a[maybe]", "text", optional=True),
    ),
)
BASE = (
    '<input name="a[name]" value=""><input type="checkbox" name="a[on]" value="1">'
    '<select name="a[pick]"><option value="1">x</option></select>'
)


@pytest.mark.parametrize(
    ("extra", "base", "expected"),
    [
        ("", BASE, []),
        ('<input name="a[other]" value="kept">', BASE, []),  # unknown, optional: posted back
        ('<input name="a[req]" required disabled>', BASE, []),  # disabled: not posted
        ('<input name="a[req]" required value="given">', BASE, []),  # served with a value
        ('<input name="a[req]" required>', BASE, ["a[req]: is required and empty"]),
        ('<input type="checkbox" name="a[req]" required>', BASE, ["a[req]: is required"]),
        (
            '<select name="a[req]" required><option value="">-</option></select>',
            BASE,
            ["a[req]: is required"],
        ),
        (
            "",
            BASE.replace("a[name]", "a[fullName]"),
            ["a[name]: missing or renamed (renamed to a[fullName]?)"],
        ),
        ("", BASE.replace('type="checkbox" ', 'type="radio" '), ["a[on]: is a radio on the page"]),
        (
            "",
            BASE.replace('<input name="a[name]" value="">', '<textarea name="a[name]"></textarea>'),
            [],
        ),
    ],
    ids=[
        "same",
        "unknown field",
        "required but disabled",
        "required with a value",
        "required empty",
        "required checkbox unticked",
        "required select empty",
        "renamed",
        "checkbox became radio",
        "text became textarea",
    ],
)
def test_the_comparison(extra: str, base: str, expected: list[str]) -> None:
    from lxml import html

    doc = html.document_fromstring(f'<html><body><form id="f">{base}{extra}</form></body></html>')
    found = [f"{d.field}: {d.what}" for d in formcheck.check(doc, SPEC)]
    assert len(found) == len(expected), found
    for said, wanted in zip(found, expected, strict=True):
        assert said.startswith(wanted), said


def test_a_missing_form_is_named() -> None:
    from lxml import html

    doc = html.document_fromstring("<html><body><form id='other'></form></body></html>")
    (difference,) = formcheck.check(doc, SPEC)
    assert (difference.field, difference.misreads) == ("form", True)
    assert "#f" in difference.what


@pytest.mark.parametrize(
    ("page", "spec"),
    [
        ("employee_create", formcheck.EMPLOYEE_CREATE),
        ("employee_edit", formcheck.EMPLOYEE_EDIT),
        ("employee_compensation", formcheck.COMPENSATION),
        ("user_create", formcheck.USER_CREATE),
        ("user_edit", formcheck.USER_EDIT),
    ],
)
def test_the_checked_fields_are_the_registrys(page: str, spec: formcheck.FormSpec) -> None:
    from sonnys_tui.backoffice import fields

    keys = {k.key for _f, k in fields.fields_for(page) if k.kind != "site_tree"}  # type: ignore[arg-type]
    assert keys <= spec.names
