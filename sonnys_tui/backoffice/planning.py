"""Changing an existing employee: a plan to review first, then a verified write.

Three changes, each as a plan (computed without writing) and as one call:

==========================  =======================  ==========================================
plan                        one call                 requests of the write (warm caches)
==========================  =======================  ==========================================
plan_update_employee        update_employee          edit form, ``POST /employee/update``,
                                                     the edit form read back: 3
plan_add_wage               add_wage                 compensation page, ``POST
                                                     /employee/compensation/update``, read back: 3
plan_set_pos_permissions    set_pos_permissions      permissions page, ``POST
                                                     /employee/permissions/update``, read back: 3
==========================  =======================  ==========================================

A plan (:class:`~sonnys_tui.backoffice.models.EmployeeChangePlan`) lists the field
changes (field, old value, new value) and the requests its apply will send. It costs
the one read it is computed on, or nothing when it is computed on a record already read
(``current=``, from :meth:`~.employee_read.EmployeeReading.get_employee`).
:meth:`Planning.apply_change` re-reads the page (the read every write needs anyway: an
update posts the fresh form back whole), refuses with
:class:`~sonnys_tui.backoffice.errors.ConflictError` when a field the plan rests on has
moved (written in the web UI or another terminal in the meantime; nothing is written),
computes the change again on what it read, posts it, and reads it back. So the conflict
check costs no request. The one-call forms plan on the page they read and apply at once.
Fields a change does not touch are posted back as the fresh page shows them: an edit
made meanwhile to another field is kept, never undone.

Each change lives in its own module (:mod:`employee_update`, :mod:`wages`,
:mod:`pos_template`), on :mod:`employee_read` (the page reads) and :mod:`plan_checks`
(what the three share); this module applies and re-plans a plan of any of them.

A write whose answer is lost (a 5xx, a timeout, a dropped connection) is reconciled by
reading the record back before anything is said about it, as for disable/enable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from sonnys_tui.backoffice.core import Part, Progress, no_progress
from sonnys_tui.backoffice.employee_update import EmployeeUpdate
from sonnys_tui.backoffice.errors import ValidationError
from sonnys_tui.backoffice.models import (
    EmployeeChangePlan,
    EmployeeRecord,
    EmployeeUpdated,
    PosPermissionsSet,
    WageAdded,
)
from sonnys_tui.backoffice.plan_checks import R
from sonnys_tui.backoffice.pos_template import PosTemplateChanges
from sonnys_tui.backoffice.wages import WageChanges


@dataclass(eq=False)
class Planning(Part):
    """Applying and re-planning a plan of any of the three changes (each operation
    lives in its own module: :mod:`employee_update`, :mod:`wages`, :mod:`pos_template`)."""

    updates: EmployeeUpdate
    wages: WageChanges
    templates: PosTemplateChanges

    # ------------------------------------------------------------ apply, replan

    def apply_change(self, plan: EmployeeChangePlan[R], *, progress: Progress | None = None) -> R:
        """Apply a plan from a ``plan_*`` method: re-read, refuse on conflict, write,
        read back (``progress`` is told each of the three steps as it starts).

        The re-read is the page the write needs anyway (an update posts the fresh form
        back whole), so the conflict check costs no request: 3 requests for any plan (4
        for an update with a new POS User ID), 1 for an empty plan (nothing is
        written). :class:`ConflictError` (nothing written) names the fields that moved
        since the plan was made; :meth:`replan` computes the change again.
        """
        if not isinstance(plan, EmployeeChangePlan):
            raise ValidationError("plan must be an EmployeeChangePlan", field="plan")
        result: EmployeeUpdated | WageAdded | PosPermissionsSet
        report = progress or no_progress
        if plan.operation == "update":
            result = self.updates._apply_update(
                cast("EmployeeChangePlan[EmployeeUpdated]", plan), None, report
            )
        elif plan.operation == "add wage":
            result = self.wages._apply_wage(
                cast("EmployeeChangePlan[WageAdded]", plan), None, report
            )
        elif plan.operation == "set POS template":
            result = self.templates._apply_template(
                cast("EmployeeChangePlan[PosPermissionsSet]", plan), None, report
            )
        else:
            raise ValidationError(f"unknown plan operation {plan.operation!r}", field="plan")
        return cast("R", result)

    def replan(
        self, plan: EmployeeChangePlan[R], *, current: EmployeeRecord | None = None
    ) -> EmployeeChangePlan[R]:
        """The same change planned again on the record as it is now (after a
        :class:`ConflictError`): 1 request, none with ``current``."""
        if not isinstance(plan, EmployeeChangePlan):
            raise ValidationError("plan must be an EmployeeChangePlan", field="plan")
        key = None if current is not None else plan.employee_id
        args = dict(plan.arguments)
        new: EmployeeChangePlan[EmployeeUpdated | WageAdded | PosPermissionsSet]
        if plan.operation == "update":
            new = self.updates._plan_update(key, None, current, args)[0]  # type: ignore[assignment]
        elif plan.operation == "add wage":
            new = self.wages._plan_wage(key, None, current, args)[0]  # type: ignore[assignment]
        else:
            new = self.templates._plan_template(key, None, current, str(args["template"]))[0]  # type: ignore[assignment]
        return cast("EmployeeChangePlan[R]", new)
