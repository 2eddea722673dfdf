"""Login/logout, the dashboard, template lists and the departments page."""

from __future__ import annotations

from werkzeug.wrappers import Response

from .alerts import Alert
from .context import App, Ctx, Routes
from .phpform import value

ROUTES = Routes()

INVALID_CREDENTIALS = "Invalid credentials."


@ROUTES.on("GET", "/login", login=False)
def login_page(app: App, ctx: Ctx) -> Response:
    return app.render(ctx, "login.html", title="Login")


@ROUTES.on("POST", "/login_check", login=False)
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


@ROUTES.on("GET", "/logout", login=False)
def logout(app: App, ctx: Ctx) -> Response:
    app.drop_session(ctx)
    return app.redirect("/login")


@ROUTES.on("GET", "/")
def dashboard(app: App, ctx: Ctx) -> Response:
    store = app.store
    active = sum(1 for e in store.employees.values() if e.active)
    return app.render(
        ctx, "dashboard.html", title="Dashboard", employees=active, sites=len(store.sites)
    )


@ROUTES.on("GET", "/pos-permission-template/list")
def pos_templates(app: App, ctx: Ctx) -> Response:
    templates = sorted(app.store.pos_templates.values(), key=lambda t: t.id)
    return app.render(
        ctx, "template_list.html", title="POS Permission Templates", templates=templates,
        kind="pos-permission-template",
    )  # fmt: skip


@ROUTES.on("GET", "/bo-permission-template/list")
def bo_templates(app: App, ctx: Ctx) -> Response:
    templates = sorted(app.store.bo_templates.values(), key=lambda t: t.id)
    return app.render(
        ctx, "template_list.html", title="Back Office Permission Templates",
        templates=templates, kind="bo-permission-template",
    )  # fmt: skip


@ROUTES.on("GET", "/employee/department")
def departments(app: App, ctx: Ctx) -> Response:
    rows = sorted(app.store.departments.values(), key=lambda d: d.name.casefold())
    return app.render(ctx, "departments.html", title="Departments", departments=rows)
