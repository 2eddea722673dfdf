"""Login/logout, the dashboard, template lists and the departments page."""

from __future__ import annotations

from werkzeug.wrappers import Response

from .alerts import Alert
from .context import App, Ctx, RouteTable
from .phpform import value

INVALID_CREDENTIALS = "Invalid credentials."


def login_page(app: App, ctx: Ctx) -> Response:
    return app.render(ctx, "login.html", title="Login")


def login_check(app: App, ctx: Ctx) -> Response:
    username = value(ctx.form, "_username")
    password = value(ctx.form, "_password")
    user = app.store.user_by_username(username) if username else None
    if user is not None and user.active and user.password == password:
        session = app.new_session(ctx)
        session.user_id = user.id
        return app.redirect("/")
    app.flash(ctx, Alert("danger", INVALID_CREDENTIALS))
    if app.settings.bad_login == "page200":
        return app.render(ctx, "login.html", title="Login")
    return app.redirect("/login")


def logout(app: App, ctx: Ctx) -> Response:
    app.drop_session(ctx)
    return app.redirect("/login")


def dashboard(app: App, ctx: Ctx) -> Response:
    store = app.store
    active = sum(1 for e in store.employees.values() if e.active)
    return app.render(
        ctx, "dashboard.html", title="Dashboard", employees=active, sites=len(store.sites)
    )


def pos_templates(app: App, ctx: Ctx) -> Response:
    templates = sorted(app.store.pos_templates.values(), key=lambda t: t.id)
    return app.render(
        ctx, "template_list.html", title="POS Permission Templates", templates=templates,
        kind="pos-permission-template",
    )  # fmt: skip


def bo_templates(app: App, ctx: Ctx) -> Response:
    templates = sorted(app.store.bo_templates.values(), key=lambda t: t.id)
    return app.render(
        ctx, "template_list.html", title="Back Office Permission Templates",
        templates=templates, kind="bo-permission-template",
    )  # fmt: skip


def departments(app: App, ctx: Ctx) -> Response:
    rows = sorted(app.store.departments.values(), key=lambda d: d.name.casefold())
    return app.render(ctx, "departments.html", title="Departments", departments=rows)


ROUTES: RouteTable = [
    ("/login", "GET", "login", login_page, False),
    ("/login_check", "POST", "login_check", login_check, False),
    ("/logout", "GET", "logout", logout, False),
    ("/", "GET", "dashboard", dashboard, True),
    ("/pos-permission-template/list", "GET", "pos_templates", pos_templates, True),
    ("/bo-permission-template/list", "GET", "bo_templates", bo_templates, True),
    ("/employee/department", "GET", "departments", departments, True),
]
