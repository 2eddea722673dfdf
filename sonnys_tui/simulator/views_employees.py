"""Employee pages: list, create/insert, edit/update, POS permissions, compensation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from werkzeug.wrappers import Response

from . import catalog
from .alerts import Alert
from .context import App, Ctx, Routes, found
from .phpform import PhpValue, children, int_set, present, to_int, value, values
from .sites import employee_sites, tree_view
from .store import Employee, Store, Wage

ROUTES = Routes()

DEFAULT_LIMIT = 25


def parse_us_date(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y").date()
    except ValueError:
        return None


def us_date(day: date | None) -> str:
    return day.strftime("%m/%d/%Y") if day else ""


def parse_money(text: str) -> Decimal | None:
    try:
        amount = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def _site_codes(store: Store, site_ids: set[int]) -> list[str]:
    return sorted((store.sites[s].code for s in site_ids if s in store.sites), key=str.casefold)


def _sites_by_code(store: Store) -> list[tuple[int, str]]:
    return sorted(((s.id, s.code) for s in store.sites.values()), key=lambda p: p[1].casefold())


# --- list ------------------------------------------------------------------------------------


@dataclass
class ListRow:
    id: int
    first_name: str
    last_name: str
    sites: str
    access: str
    pos_user_id: int
    departments: list[str]
    phone: str
    wage_type: str
    active: bool
    status_utc: str
    status_text: str


def _row(store: Store, employee: Employee) -> ListRow:
    wage = employee.latest_wage()
    changed = employee.status_changed
    state = "Active" if employee.active else "Inactive"
    return ListRow(
        id=employee.id,
        first_name=employee.first_name,
        last_name=employee.last_name,
        sites=", ".join(_site_codes(store, employee.site_ids)),
        access=store.template_name_for(employee.grant_ids, employee.override_ids),
        pos_user_id=employee.pos_user_id,
        departments=sorted(
            (store.departments[d].name for d in employee.department_ids if d in store.departments),
            key=str.casefold,
        ),
        phone=employee.phone,
        wage_type="" if wage is None else ("Hourly" if wage.is_hourly else "Salary"),
        active=employee.active,
        status_utc=changed.strftime("%Y-%m-%d %H:%M:%S"),
        status_text=f"Employee is {state} since {changed:%m/%d/%Y %H:%M} UTC",
    )


@ROUTES.on("GET", "/employee", "/employee/<int:page>")
def employee_list(app: App, ctx: Ctx, page: int = 1) -> Response:
    store = app.store
    q = ctx.query
    first = value(q, "first_name").strip().casefold()
    last = value(q, "last_name").strip().casefold()
    pos_text = value(q, "posUserId").strip()
    active = value(q, "active") or "active"
    if active not in ("active", "inactive", "all"):
        active = "active"
    # The list only ever shows the logged-in user's sites; no filter means all of them
    # (which is why the real pager and sort links carry every site id).
    allowed = _accessible_sites(app, ctx)
    asked = int_set(values(q, "sites"))
    site_filter = asked & allowed if asked else allowed
    sort_type = value(q, "sort_type") if value(q, "sort_type") == "last_name" else "first_name"
    sort_dir = -1 if value(q, "sort_dir") == "-1" else 1
    limit = to_int(value(q, "limit")) or DEFAULT_LIMIT
    limit = max(limit, 1)

    matches: list[Employee] = []
    for employee in store.employees.values():
        if not employee.site_ids:  # no available site: the list never shows them
            continue
        if active == "active" and not employee.active:
            continue
        if active == "inactive" and employee.active:
            continue
        if first and not employee.first_name.casefold().startswith(first):
            continue
        if last and not employee.last_name.casefold().startswith(last):
            continue
        if pos_text and str(employee.pos_user_id) != pos_text:
            continue
        if not employee.site_ids & site_filter:
            continue
        matches.append(employee)

    def sort_key(e: Employee) -> tuple[str, str, int]:
        primary, secondary = (
            (e.first_name, e.last_name)
            if sort_type == "first_name"
            else (e.last_name, e.first_name)
        )
        return primary.casefold(), secondary.casefold(), e.id

    matches.sort(key=sort_key, reverse=sort_dir == -1)
    pages = max(1, -(-len(matches) // limit))
    shown = matches[(page - 1) * limit : page * limit]

    keep: list[tuple[str, str]] = [
        ("sort_type", sort_type), ("sort_dir", str(sort_dir)), ("active", active),
    ]  # fmt: skip
    for name, text in (("first_name", first), ("last_name", last), ("posUserId", pos_text)):
        if text:
            keep.append((name, value(q, name)))
    keep.extend((f"sites[{i}]", str(s)) for i, s in enumerate(sorted(site_filter)))
    if value(q, "limit"):
        keep.append(("limit", str(limit)))
    return app.render(
        ctx,
        "employee_list.html",
        title="Employees",
        rows=[_row(store, e) for e in shown],
        page=page,
        pages=pages,
        pager=_pager_pages(page, pages),
        query=keep,
        filters={"first_name": value(q, "first_name"), "last_name": value(q, "last_name"),
                 "posUserId": pos_text, "active": active},
        site_options=[(i, code) for i, code in _sites_by_code(store) if i in allowed],
        site_filter=site_filter if site_filter != allowed else set(),
        sort_type=sort_type,
        sort_dir=sort_dir,
    )  # fmt: skip


def _accessible_sites(app: App, ctx: Ctx) -> set[int]:
    user = app.store.users.get(ctx.user_id or -1)
    if user is None or user.all_sites:
        return set(app.store.sites)
    return user.site_ids & set(app.store.sites)


def _pager_pages(page: int, pages: int) -> list[int | None]:
    """Page numbers to link; None is an ellipsis (first 3, around current, last 2)."""
    wanted = {1, 2, 3, pages - 1, pages, page - 1, page, page + 1}
    out: list[int | None] = []
    previous = 0
    for n in sorted(p for p in wanted if 1 <= p <= pages):
        if n - previous > 1:
            out.append(None)
        out.append(n)
        previous = n
    return out


# --- create / edit ---------------------------------------------------------------------------


def _form_page(app: App, ctx: Ctx, employee: Employee | None, *, status: int = 200) -> Response:
    store = app.store
    available = employee.site_ids if employee else set()
    extras = [
        (name, employee.extra.get(name, default) if employee else default)
        for name, default in app.settings.extra_edit_fields.items()
    ]
    return app.render(
        ctx,
        "employee_form.html",
        status=status,
        title=f"Edit {employee.full_name}" if employee else "Create Employee",
        employee=employee,
        start_date=us_date(employee.start_date) if employee else "",
        departments=sorted(store.departments.values(), key=lambda d: d.name.casefold()),
        tree=tree_view(store, available),
        wage_sites=_sites_by_code(store),
        extras=extras if employee else [],
    )


@ROUTES.on("GET", "/employee/create")
def employee_create(app: App, ctx: Ctx) -> Response:
    return _form_page(app, ctx, None)


@ROUTES.on("GET", "/employee/edit/<int:employee_id>")
def employee_edit(app: App, ctx: Ctx, employee_id: int) -> Response:
    employee = found(app.store.employees, employee_id, "Employee not found")
    return _form_page(app, ctx, employee)


def _wage_from(form: dict[str, PhpValue], effective: date) -> Wage | None:
    rate = parse_money(value(form, "wage", "regularRate"))
    if rate is None or rate < 0:
        return None
    overtime = present(form, "wage", "isOvertimeEligible")
    return Wage(
        effective_date=effective,
        is_hourly=value(form, "wage", "isHourly") != "0",
        regular_rate=rate,
        overtime_eligible=overtime,
        overtime_rate=parse_money(value(form, "wage", "overtimeRate")) if overtime else None,
        ignore_salary_schedule=value(form, "wage", "ignoreSalarySchedule") != "0",
        site_id=to_int(value(form, "wage", "siteId")),
        salary_rate=value(form, "wage", "salaryRate"),
        hours_per_week=value(form, "wage", "hoursPerWeek"),
    )


def _pos_id_error(app: App, pos_id: int, employee_id: int | None) -> str | None:
    holder = app.store.employee_by_pos_id(pos_id)  # inactive employees keep theirs reserved
    if holder is not None and holder.id != employee_id:
        return app.duplicate("POS User ID", str(pos_id))
    return None


@ROUTES.on("POST", "/employee/insert")
def employee_insert(app: App, ctx: Ctx) -> Response:
    store = app.store
    form = ctx.form
    emp = children(form, "employee")
    first, last = value(emp, "firstName"), value(emp, "lastName")
    email = value(emp, "email")
    pos_id = to_int(value(form, "posCredential", "POSLoginID"))
    pin = value(form, "posCredential", "POSLoginPassword")
    department_ids = sorted(int_set(values(emp, "departments")) & set(store.departments))
    start = parse_us_date(value(emp, "startDate"))
    wage = _wage_from(form, start or app.now().date())

    error: str | None = None
    if not first.strip() or len(first) > 50:
        error = "First Name is required (at most 50 characters)."
    elif not last.strip() or len(last) > 100:
        error = "Last Name is required (at most 100 characters)."
    elif pos_id is None or pos_id < 1:
        error = "The POS User ID must be a number greater than zero."
    elif (to_int(pin) or 0) < 1:
        error = "The POS PIN must be a number greater than zero."
    elif app.settings.require_department and not department_ids:
        error = "An Employee must belong to at least one department."
    elif wage is None:
        error = "The wage is required."
    else:
        error = _pos_id_error(app, pos_id, None)
        if error is None and store.email_taken(email):
            error = app.duplicate("email", email)
    if error is not None or pos_id is None or wage is None:
        alert = Alert("danger", error or "Unable to save the employee.")
        return app.redirect_with_alert(ctx, "/employee/create", alert)

    employee = store.add_employee(
        Employee(
            id=store.next_employee_id(), first_name=first, last_name=last,
            phone=value(emp, "phone"), email=email, department_ids=department_ids,
            start_date=start, site_ids=employee_sites(store, form),
            pos_credential_id=store.next_credential_id(), pos_user_id=pos_id, pos_pin=pin,
            emergency_contact_name=value(emp, "emergencyContactName"),
            emergency_contact_phone=value(emp, "emergencyContactPhone"),
            adp_employee_id=value(emp, "adpEmployeeId"), active=True,
            status_changed=app.now(), wages=[wage],
        )
    )  # fmt: skip
    return app.redirect(f"/employee/permissions/{employee.id}")


def _updated(app: App, ctx: Ctx, employee: Employee) -> Response:
    """Back to the list, saying so (an edit or a permissions change saved)."""
    app.flash(ctx, Alert("success", f"{employee.full_name} was updated successfully."))
    return app.redirect("/employee")


@ROUTES.on("POST", "/employee/update")
def employee_update(app: App, ctx: Ctx) -> Response:
    """A FULL replace: whatever the form leaves out is stored empty/false."""
    store = app.store
    form = ctx.form
    emp = children(form, "employee")
    employee = store.employees.get(to_int(value(emp, "id")) or -1)
    if employee is None:
        return app.redirect_with_alert(ctx, "/employee", Alert("danger", "Employee not found."))
    email = value(emp, "email")
    pos_id = to_int(value(form, "posCredential", "POSLoginID")) or 0
    error = _pos_id_error(app, pos_id, employee.id) if pos_id else None
    if error is None and store.email_taken(email, except_employee=employee.id):
        error = app.duplicate("email", email)
    if error is not None:
        return app.redirect_with_alert(ctx, f"/employee/edit/{employee.id}", Alert("danger", error))
    active = present(emp, "isActive")  # presence: isActive=0 still means active
    if active != employee.active:
        employee.status_changed = app.now()
    employee.active = active
    employee.first_name = value(emp, "firstName")
    employee.last_name = value(emp, "lastName")
    employee.phone = value(emp, "phone")
    employee.email = email
    employee.department_ids = sorted(int_set(values(emp, "departments")) & set(store.departments))
    employee.start_date = parse_us_date(value(emp, "startDate"))
    employee.site_ids = employee_sites(store, form)
    employee.pos_user_id = pos_id
    employee.pos_pin = value(form, "posCredential", "POSLoginPassword")
    employee.emergency_contact_name = value(emp, "emergencyContactName")
    employee.emergency_contact_phone = value(emp, "emergencyContactPhone")
    employee.adp_employee_id = value(emp, "adpEmployeeId")
    posted = dict(ctx.form_pairs)
    employee.extra = {name: posted.get(name, "") for name in app.settings.extra_edit_fields}
    return _updated(app, ctx, employee)


# --- POS permissions -------------------------------------------------------------------------


@ROUTES.on("GET", "/employee/permissions/<int:employee_id>")
def employee_permissions(app: App, ctx: Ctx, employee_id: int) -> Response:
    store = app.store
    employee = found(store.employees, employee_id, "Employee not found")
    groups: dict[str, list[object]] = {}
    for permission in store.pos_permissions:
        groups.setdefault(permission.group, []).append(permission)
    return app.render(
        ctx,
        "employee_permissions.html",
        title=f"{employee.full_name} POS Access",
        employee=employee,
        templates=sorted(store.pos_templates.values(), key=lambda t: t.id),
        groups=groups,
        approval_id=catalog.ACTION_APPROVAL_ID,
        approval_label=catalog.ACTION_APPROVAL_LABEL,
        approval_description=catalog.ACTION_APPROVAL_DESCRIPTION,
    )


@ROUTES.on("POST", "/employee/permissions/update")
def employee_permissions_update(app: App, ctx: Ctx) -> Response:
    """Stores exactly the posted sets: grant by presence, override BY VALUE."""
    store = app.store
    employee = store.employees.get(to_int(value(ctx.form, "employeeId")) or -1)
    if employee is None:
        return app.redirect_with_alert(ctx, "/employee", Alert("danger", "Employee not found."))
    known = {p.id for p in store.pos_permissions}
    posted = children(ctx.form, "permissions")
    grants: set[int] = set()
    overrides: set[int] = set()
    for key in posted:
        pid = to_int(key)
        if pid is None or pid not in known:
            continue
        if present(posted, key, "hasGrantAccess"):
            grants.add(pid)
        if value(posted, key, "requiresOverride") == "1":
            overrides.add(pid)
    employee.grant_ids = grants
    employee.override_ids = overrides
    employee.action_approval_authority = catalog.ACTION_APPROVAL_ID in grants
    return _updated(app, ctx, employee)


# --- compensation ----------------------------------------------------------------------------


@ROUTES.on("GET", "/employee/compensation/<int:employee_id>")
def employee_compensation(app: App, ctx: Ctx, employee_id: int) -> Response:
    store = app.store
    employee = found(store.employees, employee_id, "Employee not found")
    history = sorted(employee.wages, key=lambda w: w.effective_date, reverse=True)
    # Each wage ends where the next one starts; the newest has no end (no wage: no rows).
    ends = [None, *[w.effective_date for w in history[:-1]]][: len(history)]
    latest = history[0].effective_date if history else None
    minimum = us_date(date.fromordinal(latest.toordinal() + 1)) if latest else ""
    return app.render(
        ctx,
        "employee_compensation.html",
        title=f"{employee.full_name} Compensation",
        employee=employee,
        history=list(zip(history, ends, strict=True)),
        today=us_date(app.now().date()),
        minimum=minimum,
        wage_sites=[
            (s, store.sites[s].code) for s in sorted(employee.site_ids) if s in store.sites
        ],
        us_date=us_date,
    )


@ROUTES.on("POST", "/employee/compensation/update")
def employee_compensation_update(app: App, ctx: Ctx) -> Response:
    """A wage not after the latest one is silently ignored (still a 302)."""
    employee = app.store.employees.get(to_int(value(ctx.form, "employeeId")) or -1)
    if employee is None:
        return app.redirect_with_alert(ctx, "/employee", Alert("danger", "Employee not found."))
    effective = parse_us_date(value(ctx.form, "wage", "effectiveDate"))
    latest = employee.latest_wage()
    if effective is not None and (latest is None or effective > latest.effective_date):
        wage = _wage_from(ctx.form, effective)
        if wage is not None:
            employee.wages.append(wage)
    if app.settings.wage_redirect == "page":
        saved = Alert("success", f"The compensation of {employee.full_name} was saved.")
        return app.redirect_with_alert(ctx, f"/employee/compensation/{employee.id}", saved)
    return app.redirect("/employee")


@ROUTES.on("POST", "/employee/checkunique")
def check_unique(app: App, ctx: Ctx) -> Response:
    """Availability check behind the form's e-mail/POS-id buttons (JSON-ish text)."""
    store = app.store
    emp_id = to_int(value(ctx.form, "employee", "id"))
    email = value(ctx.form, "employee", "email")
    pos_id = to_int(value(ctx.form, "posCredential", "POSLoginID"))
    taken = bool(email) and store.email_taken(email, except_employee=emp_id)
    if pos_id is not None:
        holder = store.employee_by_pos_id(pos_id)
        taken = taken or (holder is not None and holder.id != emp_id)
    response = Response(
        '{"unique": %s}' % ("false" if taken else "true"), content_type="application/json"
    )
    response.headers["Cache-Control"] = "no-store"
    return response
