from __future__ import annotations

import pytest

from sonnys_tui.backoffice import pages
from sonnys_tui.backoffice.errors import BackofficeServerError
from sonnys_tui.backoffice.models import Permission

from .snippets import employee_form, employee_tree


def _row(emp_id: int, first: str, pos: str, active: bool = True) -> str:
    icon = "fa fa-check fa-lg text-success" if active else "fa fa-times fa-lg text-danger"
    return (
        f'<tr><td class="employees-col-first-name"><span>{first}</span></td>'
        '<td class="employees-col-last-name">Sample</td>'
        '<td class="employees-col-sites"> LAKE, HARB</td>'
        '<td class="employees-col-template">CSA</td>'
        f'<td class="employees-col-pos-user-id">{pos}</td>'
        '<td class="employees-col-departments"><ul><li>Greeter</li><li>Line</li></ul></td>'
        '<td class="employees-col-phone text-nowrap"><a href="tel:x">(555) 010-0199</a></td>'
        '<td class="employees-col-wage-type"> Hourly </td>'
        f'<td class="employees-col-active" data-date-utc="2026-04-09 14:08:18"><i class="{icon}">'
        "</i><span class='sr-only'>Employee is Active</span></td>"
        f'<td><a id="link-edit-employee-{emp_id}" href="/employee/edit/{emp_id}">e</a></td></tr>'
    )


def _list(rows: str, next_href: str | None = None) -> str:
    pager = f'<nav id="pager-employees"><a id="pager-employees-next" href="{next_href}">n</a></nav>'
    return (
        '<html><body><form id="frm-employee-list-search"><select name="sites[]" multiple>'
        '<option value="17">LAKE</option><option value="18">HARB</option></select></form>'
        '<table class="table table-employees-list"><thead><tr>'
        f'<th class="employees-col-first-name">First</th></tr></thead><tbody>{rows}</tbody></table>'
        f"{pager if next_href else ''}</body></html>"
    )


def test_employee_list_rows_by_class() -> None:
    doc = pages.parse_html(_list(_row(54, "Avery", "9001") + _row(55, "Blake", "", False), "/e/2"))
    parsed = pages.parse_employee_list(doc)
    first, second = parsed.rows
    assert first.employee_id == 54 and first.first_name == "Avery" and first.pos_user_id == 9001
    assert first.site_codes == ("LAKE", "HARB")
    assert first.departments == ("Greeter", "Line")
    assert first.phone == "(555) 010-0199" and first.access == "CSA"
    assert first.wage_type == "Hourly" and first.active
    assert first.status_changed_utc == "2026-04-09 14:08:18"
    assert second.pos_user_id is None and not second.active
    assert parsed.next_url == "/e/2"
    assert parsed.site_codes == {17: "LAKE", 18: "HARB"}


def test_empty_list_is_fine_but_missing_table_is_loud() -> None:
    assert pages.parse_employee_list(pages.parse_html(_list(""))).rows == ()
    with pytest.raises(BackofficeServerError, match="employee list page has no table"):
        pages.parse_employee_list(pages.parse_html("<html><body><p>hi</p></body></html>"))


def test_login_detection_and_alerts() -> None:
    login = (
        '<html><body><form action="/login_check"><input name="_username">'
        '<input type="password" name="_password"></form></body></html>'
    )
    assert pages.is_login_page(pages.parse_html(login))
    page = pages.parse_html(
        '<html><body><div class="alerts alerts-server">'
        '<div class="alert alert-danger with-glyph"><span class="sr-only">Error:</span>'
        "<p>The POS User ID is already in use.</p></div>"
        '<div class="alert alert-success with-glyph"><p>Saved.</p></div></div></body></html>'
    )
    assert not pages.is_login_page(page)
    alerts = pages.parse_alerts(page)
    assert alerts.danger == ("The POS User ID is already in use.",)
    assert alerts.success == ("Saved.",)


def test_employee_edit_record() -> None:
    doc = pages.parse_html(employee_form(employee_tree(available={17, 1})))
    edit = pages.parse_employee_edit(doc)
    record = edit.record
    assert record.employee_id == 77 and record.pos_credential_id == 55
    assert record.first_name == "Testy" and record.email == "testy@example.com"
    assert record.department_ids == (3,) and record.departments == ("Greeter",)
    assert record.site_ids == {17, 1} and record.sites == ("Wash 17", "Wash 1")
    assert record.pos_user_id == 4242 and record.pos_pin.reveal() == "13579"
    assert "13579" not in repr(record)
    assert record.active and record.start_date is not None and record.start_date.day == 13
    assert [(s.id, s.code) for s in edit.page.sites] == [(17, "LAKE"), (18, "HARB"), (1, "FIE"),
                                                         (2, "CENT")]  # fmt: skip


def test_employee_form_without_departments_is_loud() -> None:
    html = employee_form(employee_tree(available={17})).replace("employee[departments][]", "x")
    with pytest.raises(BackofficeServerError, match="departments select"):
        pages.parse_employee_form(pages.parse_html(html))


PERMISSIONS = (
    '<html><body><form id="employee-permission-update-form" action="/employee/permissions/update">'
    '<input type="hidden" name="employeeId" value="77">'
    '<select name="templateId"><option value="">Pick</option>'
    '<option value="2" data-permissions-set="1,22,23" data-manager-override-permissions-set="23">'
    "Cashier</option>"
    '<option value="3" data-permissions-set="22" data-manager-override-permissions-set="">'
    "General User</option></select>"
    '<input type="hidden" name="hasActionApprovalAuthority" value="0">'
    '<input type="hidden" name="permissions[1][id]" value="1">'
    '<input type="hidden" name="permissions[1][label]" value="Action Approval Authority">'
    '<input type="hidden" name="permissions[1][requiresOverride]" value="0">'
    '<input type="checkbox" name="permissions[1][hasGrantAccess]" value="1">'
    '<input type="hidden" name="permissions[1][id]" value="1">'
    '<input type="hidden" name="permissions[1][label]" value="Manager Approval">'
    '<input type="checkbox" name="permissions[1][hasGrantAccess]" value="1">'
    '<input type="checkbox" name="permissions[1][requiresOverride]" value="1">'
    '<input type="hidden" name="permissions[22][id]" value="22">'
    '<input type="hidden" name="permissions[22][label]" value="Time Clock">'
    '<input type="checkbox" name="permissions[22][hasGrantAccess]" value="1" checked>'
    '<input type="checkbox" name="permissions[22][requiresOverride]" value="1">'
    '<input type="hidden" name="permissions[23][id]" value="23">'
    '<input type="hidden" name="permissions[23][label]" value="Reports">'
    '<input type="checkbox" name="permissions[23][hasGrantAccess]" value="1">'
    '<input type="checkbox" name="permissions[23][requiresOverride]" value="1">'
    "</form></body></html>"
)


def test_pos_permissions_page() -> None:
    page = pages.parse_pos_permissions(pages.parse_html(PERMISSIONS))
    assert page.employee_id == 77
    assert [(p.id, p.label) for p in page.catalogue] == [
        (1, "Manager Approval"),
        (22, "Time Clock"),
        (23, "Reports"),
    ]
    assert page.granted == {22} and page.overrides == set()
    cashier = page.templates[0]
    assert cashier.name == "Cashier" and cashier.grant_ids == {1, 22, 23}
    assert cashier.override_ids == {23} and cashier.scope == "pos"


def test_pos_permissions_post_sets_the_exact_matrix() -> None:
    page = pages.parse_pos_permissions(pages.parse_html(PERMISSIONS))
    template = page.templates[0]
    data = pages.pos_permissions_post(page, template, template.grant_ids, template.override_ids)
    pairs = data.pairs()
    assert data.get("templateId") == "2"
    assert data.get("hasActionApprovalAuthority") == "1"
    grants = {k for k, v in pairs if k.endswith("[hasGrantAccess]")}
    assert grants == {f"permissions[{i}][hasGrantAccess]" for i in (1, 22, 23)}
    assert data.get("permissions[23][requiresOverride]") == "1"
    assert data.get("permissions[22][requiresOverride]") is None
    # The hidden override=0 of permission 1 stays first; nothing posts a 1 after it.
    assert data.get("permissions[1][requiresOverride]") == "0"


USER_PERMISSIONS = (
    '<html><body><form id="user-permissions-update-form" action="/user/permissions/update">'
    '<input type="hidden" name="userId" value="3000002"><input type="hidden" name="userIsNew">'
    + employee_tree(available={17}, prefix="")
    + '<select name="template"><option value=""></option>'
    '<option value="3" data-permissions-set="employee.list, site.list">General User</option>'
    "</select>"
    '<input type="hidden" name="perms[0][token]" value="employee.list">'
    '<input type="checkbox" name="perms[0][isEnabled]" value="1" checked>'
    '<input type="hidden" name="perms[1][token]" value="site.list">'
    '<input type="checkbox" name="perms[1][isEnabled]" value="1">'
    '<input type="hidden" name="perms[2][token]" value="user.all">'
    '<input type="checkbox" name="perms[2][isEnabled]" value="1" checked>'
    "</form></body></html>"
)


def test_user_permissions_page_and_post() -> None:
    page = pages.parse_user_permissions(pages.parse_html(USER_PERMISSIONS))
    assert page.user_id == 3000002
    assert page.tokens == ("employee.list", "site.list", "user.all")
    assert page.enabled == {"employee.list", "user.all"}
    assert page.site_ids == {17}
    template = page.templates[0]
    assert template.tokens == {"employee.list", "site.list"}
    data = pages.user_permissions_post(page, template, frozenset({1, 2}))
    enabled = {k for k, _ in data if k.endswith("[isEnabled]")}
    assert enabled == {"perms[0][isEnabled]", "perms[1][isEnabled]"}
    assert sorted(data.get_all("siteIds[]")) == ["1", "2"]
    assert data.get("template") == "3"


def test_user_list_and_create_pages() -> None:
    users = pages.parse_user_list(
        pages.parse_html(
            '<html><body><table class="table-users-list"><tbody><tr>'
            '<td class="users-col-first-name">Drew</td><td class="users-col-last-name">Sample</td>'
            '<td class="users-col-username"> DSample </td><td class="users-col-phone"></td>'
            '<td class="users-col-email">drew@example.com</td>'
            '<td class="users-col-active"><i class="fa fa-times text-danger"></i>'
            '<span class="sr-only">Active</span></td>'
            '<td><a id="link-edit-user-12" href="/user/edit/12">e</a></td></tr></tbody></table>'
            "</body></html>"
        )
    ).rows
    assert users[0].user_id == 12 and users[0].username == "DSample"
    assert not users[0].active  # the icon, not the misleading sr-only text
    create = pages.parse_user_create(
        pages.parse_html(
            '<html><body><form id="user-create-edit-form"><select name="user[employeeId]">'
            '<option value=""></option><option value="54" data-email="a@example.com"'
            ' data-first-name="Avery" data-last-name="Tester">Avery</option></select>'
            "</form></body></html>"
        )
    )
    assert create.employees == (pages.LinkableEmployee(54, "a@example.com", "Avery", "Tester"),)


def test_template_list_and_locations() -> None:
    rows = pages.parse_template_list(
        pages.parse_html(
            "<html><body><table><tbody><tr><td>admin</td><td>Administrator </td><td>"
            '<a href="/bo-permission-template/edit/1">v</a></td></tr></tbody></table></body></html>'
        ),
        kind="bo",
    )
    assert rows == (pages.TemplateListRow("1", "admin", "Administrator"),)
    assert pages.id_from_location("/employee/permissions/512", "/employee/permissions/") == 512
    assert pages.id_from_location("/user/permissions/9?userIsNew=1", "/user/permissions/") == 9
    assert pages.id_from_location("https://x.test/user/permissions/9", "/user/permissions/") == 9
    assert pages.id_from_location("/employee/create", "/employee/permissions/") is None


def test_permission_model_is_hashable_for_templates() -> None:
    assert Permission(scope="pos", id="1", name="x") == Permission(scope="pos", id="1", name="x")
