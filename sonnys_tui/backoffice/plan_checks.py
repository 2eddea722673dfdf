"""What every change's plan shares: the checks on a plan and on ``current=``, and the
:class:`~sonnys_tui.backoffice.errors.ConflictError` a moved record raises.

Used by :mod:`employee_update`, :mod:`wages` and :mod:`pos_template`; no request here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TypeVar

from sonnys_tui.backoffice.errors import NOTHING_WRITTEN, ConflictError, ValidationError
from sonnys_tui.backoffice.models import (
    ChangeOperation,
    EmployeeChangePlan,
    EmployeeRecord,
    FieldChange,
    FieldValue,
)

R = TypeVar("R")


def us_date(day: date) -> str:
    """A date as the Back Office's forms take it (messages show ISO, as dates are typed)."""
    return day.strftime("%m/%d/%Y")


def check_current(
    current: EmployeeRecord, employee_id: int | None, pos_user_id: int | None
) -> None:
    """Keys given beside ``current`` must name the same employee."""
    if not isinstance(current, EmployeeRecord):
        raise ValidationError(
            "current must be an EmployeeRecord (from get_employee)", field="current"
        )
    if employee_id is not None and employee_id != current.employee_id:
        raise ValidationError(
            f"employee_id {employee_id} is not the employee of current ({current.employee_id})",
            field="employee_id",
        )
    if pos_user_id is not None and pos_user_id != current.pos_user_id:
        raise ValidationError(
            f"pos_user_id {pos_user_id} is not the POS User ID of current ({current.pos_user_id})",
            field="pos_user_id",
        )


def check_plan(plan: EmployeeChangePlan[R], operation: ChangeOperation) -> None:
    if not isinstance(plan, EmployeeChangePlan) or plan.operation != operation:
        raise ValidationError("plan must be an EmployeeChangePlan", field="plan")


def new_values(changes: Sequence[FieldChange]) -> tuple[tuple[str, FieldValue], ...]:
    return tuple((c.field, c.new) for c in changes)


def conflict(
    employee_id: int, moved: Sequence[tuple[str, object, object]], what: str
) -> ConflictError:
    fields = ", ".join(name for name, _planned, _found in moved)
    return ConflictError(
        f"employee {employee_id} changed since the plan was made ({fields}: {what}); "
        "plan again on the record as it is now",
        moved=tuple(moved),
        step="conflict check",
        state=f"{NOTHING_WRITTEN}: the plan was not applied",
    )
