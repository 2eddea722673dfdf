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
from typing import Any

from sonnys_tui.backoffice.core import Part, Progress, no_progress
from sonnys_tui.backoffice.employee_read import Change, Target
from sonnys_tui.backoffice.employee_update import EmployeeUpdate
from sonnys_tui.backoffice.errors import ValidationError
from sonnys_tui.backoffice.models import EmployeeChangePlan, EmployeeRecord
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
        return self._change_of(plan)._apply(plan, None, progress or no_progress)

    def replan(
        self, plan: EmployeeChangePlan[R], *, current: EmployeeRecord | None = None
    ) -> EmployeeChangePlan[R]:
        """The same change planned again on the record as it is now (after a
        :class:`ConflictError`): 1 request, none with ``current``."""
        change = self._change_of(plan)
        key = None if current is not None else plan.employee_id
        return change._plan(Target(key, None, current), dict(plan.arguments))[0]

    def _change_of(self, plan: EmployeeChangePlan[R]) -> Change[R, Any]:
        """The part that makes ``plan``'s kind of change."""
        if not isinstance(plan, EmployeeChangePlan):
            raise ValidationError("plan must be an EmployeeChangePlan", field="plan")
        changes: dict[str, Change[Any, Any]] = {
            change.operation: change for change in (self.updates, self.wages, self.templates)
        }
        if plan.operation not in changes:
            raise ValidationError(f"unknown plan operation {plan.operation!r}", field="plan")
        return changes[plan.operation]
