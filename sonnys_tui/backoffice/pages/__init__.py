"""One parser per Back Office page (lxml), one module per page. No I/O here.

Columns and controls are found by id, name or WHOLE class token, never by
position. A page that lacks an element we rely on raises
:class:`BackofficeServerError` ("… page has no <element>") instead of quietly
returning nothing: changed markup must be loud.

==================  ===============================================================
module              pages
==================  ===============================================================
``markup``          what every parser shares: parsing, alerts, the login page check
``lists``           the employee list (whole or streamed) and the Back Office users
``employee_form``   employee create and edit (the record, what a hire posts)
``pos_permissions`` an employee's POS permissions (and a template change's post)
``compensation``    an employee's wage history and the Add Wage form
``users``           Back Office user create and permissions (the edit page:
                    :mod:`sonnys_tui.backoffice.user_pages`)
``template_list``   the POS and Back Office role template lists
==================  ===============================================================

Every name is importable from here (``pages.parse_employee_edit``).
"""

from __future__ import annotations

from sonnys_tui.backoffice.pages.compensation import (
    COMPENSATION_TABLE_CLASS,
    CompensationPage,
    parse_employee_compensation,
)
from sonnys_tui.backoffice.pages.employee_form import (
    EDIT_FIELDS,
    EmployeeEditPage,
    EmployeeFormPage,
    employee_insert_post,
    parse_employee_edit,
    parse_employee_form,
)
from sonnys_tui.backoffice.pages.lists import (
    EMPLOYEE_LIST,
    USER_LIST,
    EmployeeListPage,
    EmployeeListStream,
    UserListPage,
    parse_employee_list,
    parse_user_list,
)
from sonnys_tui.backoffice.pages.markup import (
    Alerts,
    id_from_location,
    is_login_page,
    parse_alerts,
    parse_html,
    parse_tree,
    parse_us_date,
)
from sonnys_tui.backoffice.pages.pos_permissions import (
    PosPermissionDef,
    PosPermissionsPage,
    parse_pos_permissions,
    pos_permissions_post,
)
from sonnys_tui.backoffice.pages.template_list import (
    TemplateListRow,
    parse_template_list,
)
from sonnys_tui.backoffice.pages.users import (
    LinkableEmployee,
    UserCreatePage,
    UserPermissionsPage,
    parse_user_create,
    parse_user_permissions,
    user_permissions_post,
)

__all__ = [
    "COMPENSATION_TABLE_CLASS",
    "EDIT_FIELDS",
    "EMPLOYEE_LIST",
    "USER_LIST",
    "Alerts",
    "CompensationPage",
    "EmployeeEditPage",
    "EmployeeFormPage",
    "EmployeeListPage",
    "EmployeeListStream",
    "LinkableEmployee",
    "PosPermissionDef",
    "PosPermissionsPage",
    "TemplateListRow",
    "UserCreatePage",
    "UserListPage",
    "UserPermissionsPage",
    "employee_insert_post",
    "id_from_location",
    "is_login_page",
    "parse_alerts",
    "parse_employee_compensation",
    "parse_employee_edit",
    "parse_employee_form",
    "parse_employee_list",
    "parse_html",
    "parse_pos_permissions",
    "parse_template_list",
    "parse_tree",
    "parse_us_date",
    "parse_user_create",
    "parse_user_list",
    "parse_user_permissions",
    "pos_permissions_post",
    "user_permissions_post",
]
