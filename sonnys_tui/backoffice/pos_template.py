"""Giving an employee exactly the permissions of a POS template:
:meth:`PosTemplateChanges.plan_set_pos_permissions` (a plan to review) and
:meth:`PosTemplateChanges.set_pos_permissions` (one call), verified by reading the
permissions page back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from sonnys_tui.backoffice import formcheck, names, pages, validation
from sonnys_tui.backoffice.caches import Roster
from sonnys_tui.backoffice.core import (
    Progress,
    check_write,
    tenant_state,
    write_attempt,
)
from sonnys_tui.backoffice.discovery import Discovery
from sonnys_tui.backoffice.employee_read import Change, Target, current_part
from sonnys_tui.backoffice.errors import (
    NOTHING_WRITTEN,
    BackofficeServerError,
    ValidationError,
)
from sonnys_tui.backoffice.models import (
    EmployeeChangePlan,
    EmployeeRecord,
    FieldChange,
    Permission,
    PlannedRequest,
    PosAccess,
    PosPermissionsSet,
)
from sonnys_tui.backoffice.plan_checks import conflict, new_values

POS_ACCESS = "pos_access"  # the field a template plan rests on


def _template_argument(template: object) -> dict[str, object]:
    if not isinstance(template, str) or not template.strip():
        raise ValidationError("template must name a POS template", field="template")
    return {"template": validation.printable(template, field="template").strip()}


@dataclass(frozen=True)
class _TemplateDraft:
    template: Permission
    grants: frozenset[int]
    overrides: frozenset[int]
    changes: tuple[FieldChange, ...]
    warnings: tuple[str, ...]


@dataclass(eq=False)
class PosTemplateChanges(Change[PosPermissionsSet, pages.PosPermissionsPage]):
    """Setting the POS permissions of an existing employee from a template."""

    reads: Discovery
    operation = "set POS template"
    refused = "the POS permissions were not changed"

    # ------------------------------------------------------------ POS template

    def plan_set_pos_permissions(
        self,
        *,
        employee_id: int | None = None,
        pos_user_id: int | None = None,
        current: EmployeeRecord | None = None,
        template: str,
    ) -> EmployeeChangePlan[PosPermissionsSet]:
        """The template change :meth:`set_pos_permissions` would make, without writing.

        Reads the permissions page (1 request), or nothing when ``current`` (from
        :meth:`get_employee`, with its POS access) is given and the POS templates are
        cached. Empty when the employee already has exactly the template's permissions.
        """
        target = Target(employee_id, pos_user_id, current)
        return self._planned(target, partial(_template_argument, template))[0]

    def set_pos_permissions(
        self,
        *,
        employee_id: int | None = None,
        pos_user_id: int | None = None,
        template: str,
    ) -> PosPermissionsSet:
        """Give one employee exactly the permissions of a POS template (by name or
        description, any case): the full matrix, as on hire, verified by reading the
        permissions page back.

        Unlike a hire, an unknown template is an error (:class:`UnknownNameError`, field
        ``template``, before any request once the templates are cached), never a
        fallback. Requests: the permissions page, the save, the read-back = 3; 1 when
        the employee already has exactly those permissions (nothing is written).
        """
        target = Target(employee_id, pos_user_id)
        return self._apply(*self._planned(target, partial(_template_argument, template)))

    # ------------------------------------------------------------ template, private

    def _plan(
        self, target: Target, args: Mapping[str, object]
    ) -> tuple[EmployeeChangePlan[PosPermissionsSet], pages.PosPermissionsPage | None]:
        name = str(args["template"])
        with tenant_state(f"{NOTHING_WRITTEN}: {self.refused}"):
            cached = self._caches.templates["pos"].peek()
            if cached is not None:  # an unknown name fails before any request
                names.require_template(name, cached, kind="POS", field="template")
            page: pages.PosPermissionsPage | None = None
            if (current := target.checked_current()) is not None:
                record = current
                access = current_part(current.pos_access, "POS access", "pos_access")
                templates = (
                    cached if cached is not None else self.reads.list_permissions(scope="pos")
                )
            else:
                internal = self.employees._employee_id_of(target.employee_id, target.pos_user_id)
                page = self.employees._pos_permissions_page(internal, step="read POS permissions")
                record, access, templates = (
                    self.employees._stand_in(internal),
                    page.access,
                    page.templates,
                )
            draft = _draft_template(access, templates, page, name)
        path = f"/employee/permissions/{record.employee_id}"
        requests = [PlannedRequest("GET", path, "re-read the permissions: the conflict check")]
        if draft.changes:
            requests += [
                PlannedRequest(
                    "POST",
                    "/employee/permissions/update",
                    f"the full permission matrix of template {draft.template.name!r}",
                ),
                PlannedRequest("GET", path, "read back: verify the permission set"),
            ]
        expected = ((POS_ACCESS, (access.granted, access.overrides)),)
        arguments = {"template": name}
        plan = self._plan_of(record, draft.changes, requests, expected, arguments, draft.warnings)
        return plan, page

    def _write(
        self,
        plan: EmployeeChangePlan[PosPermissionsSet],
        page: pages.PosPermissionsPage | None,
        report: Progress,
    ) -> PosPermissionsSet:
        employee_id = plan.employee_id
        step = "save POS permissions"
        name = str(dict(plan.arguments)["template"])
        nothing = (
            f"{NOTHING_WRITTEN}: the POS permissions of employee {employee_id} were not changed"
        )
        with tenant_state(nothing):
            fresh = page is None
            if page is None:
                report("Reading the POS permissions (have they changed since the plan?)")
                page = self.employees._pos_permissions_page(
                    employee_id, step="read POS permissions"
                )
            before = page.access
            if fresh and (before.granted, before.overrides) != dict(plan.expected).get(POS_ACCESS):
                planned = next((c.old for c in plan.changes), name)
                moved = (POS_ACCESS, planned, before.access)
                raise conflict(employee_id, [moved], "the permissions were changed")
            draft = _draft_template(before, page.templates, page, name)
            if fresh and new_values(draft.changes) != new_values(plan.changes):
                differs = ("pos_template", new_values(plan.changes), new_values(draft.changes))
                raise conflict(employee_id, [differs], "the template now differs")
            if not draft.changes:
                return PosPermissionsSet(
                    employee_id, draft.template.name, before, (), False, draft.warnings
                )
            formcheck.require(page.form, formcheck.POS_PERMISSIONS, step=step)
            data = pages.pos_permissions_post(page, draft.template, draft.grants, draft.overrides)
        report(f"Saving the POS template {draft.template.name}")
        with write_attempt(nothing) as attempt:
            answer = self._session.post(
                "/employee/permissions/update", data, step=step, follow=False
            )
            check_write(answer, expect_path="/employee", step=step, what="permission set")
        unknown = attempt.unknown
        with tenant_state(
            f"whether the POS permissions of employee {employee_id} were saved is unknown: "
            "read them before trying again"
            if unknown is not None
            else f"the POS permissions of employee {employee_id} were saved (the server "
            "accepted them) but reading them back failed"
        ):
            report("Reading the POS permissions back to verify")
            saved = self.employees._pos_permissions_page(
                employee_id, step=step if unknown else "verify POS permissions"
            )
        untouched = (saved.granted, saved.overrides) == (before.granted, before.overrides)
        if unknown is not None and untouched:
            unknown.state = nothing
            raise unknown
        if saved.granted != draft.grants or saved.overrides != draft.overrides:
            raise BackofficeServerError(
                f"the POS permissions of employee {employee_id} do not match template "
                f"{draft.template.name!r} after saving",
                step=step,
                state=nothing
                if untouched
                else f"the POS permissions of employee {employee_id} were changed, but not "
                f"to the template: they now read {saved.access.access!r}",
            )
        result = PosPermissionsSet(
            employee_id=employee_id,
            template=draft.template.name,
            access=saved.access,
            changes=draft.changes,
            warnings=draft.warnings,
        )

        def in_roster(rows: Roster) -> Roster:
            row = rows.get(employee_id)
            return rows if row is None else {**rows, employee_id: result.as_row(row)}

        self._caches.roster.change(in_roster)
        return result


def _draft_template(
    access: PosAccess,
    templates: Sequence[Permission],
    page: pages.PosPermissionsPage | None,
    name: str,
) -> _TemplateDraft:
    """The sets the template gives (as the page shows the template and its matrix)."""
    template = names.require_template(name, templates, kind="POS", field="template")
    known = template.grant_ids
    if page is not None:
        template = next((t for t in page.templates if t.id == template.id), template)
        known = frozenset(p.id for p in page.catalogue)
    grants = template.grant_ids & known
    overrides = template.override_ids & grants
    warnings: tuple[str, ...] = ()
    if unshown := template.grant_ids - known:
        warnings = (
            f"template {template.name!r} grants {len(unshown)} permission(s) the permissions "
            f"page does not show (ids {', '.join(map(str, sorted(unshown)))}); a browser "
            "cannot grant them either",
        )
    same = access.granted == grants and access.overrides == overrides
    changes = () if same else (FieldChange("pos_template", access.access, template.name),)
    return _TemplateDraft(template, grants, overrides, changes, warnings)
