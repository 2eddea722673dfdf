"""The tenant's writes: one method each, handing its client call to ``Tenant._write``
(audited as its row in :data:`~sonnys_tui.tenant.operations.OPERATIONS` says, then
landed). A new write is one method here plus one row there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Literal, TypeVar

from sonnys_tui.backoffice.models import (
    BackofficePermissionsSet,
    BackofficeUserCreated,
    BackofficeUserDisabled,
    BackofficeUserEnabled,
    BackofficeUserRequest,
    BackofficeUserRow,
    EmployeeChangePlan,
    EmployeeCreated,
    EmployeeDisabled,
    EmployeeEnabled,
    EmployeeRow,
    EmployeeUpdated,
    HireRequest,
    Offboarded,
    PasswordReset,
    PosPermissionsSet,
    Reinstated,
    WageAdded,
)
from sonnys_tui.tenant.operations import CHANGE_RESULTS

if TYPE_CHECKING:
    from sonnys_tui.backoffice.client import SonnysBackofficeClient

R = TypeVar("R", EmployeeUpdated, WageAdded, PosPermissionsSet)
W = TypeVar("W")
Progress = Callable[[str], None]


class Writes:
    """The :class:`~sonnys_tui.tenant.Tenant`'s writes (each audited, then landed)."""

    if TYPE_CHECKING:

        @property
        def client(self) -> SonnysBackofficeClient: ...

        def _write(self, kind: type, target: str, write: Callable[[], W]) -> W: ...

    def hire(self, request: HireRequest, *, progress: Progress | None = None) -> EmployeeCreated:
        """Create an employee (and their Back Office login when asked): audited, landed."""
        return self._write(
            EmployeeCreated,
            f"pos_user_id={request['pos_user_id']}",
            lambda: self.client.create_employee(**request, progress=progress),
        )

    def disable(self, row: EmployeeRow) -> EmployeeDisabled:
        """Disable the employee of ``row`` (by its internal id): audited, landed."""
        return self._write(
            EmployeeDisabled,
            _employee_target(row),
            lambda: self.client.disable_employee(employee_id=row.employee_id),
        )

    def enable(self, row: EmployeeRow) -> EmployeeEnabled:
        """Re-enable the employee of ``row``: audited, landed."""
        return self._write(
            EmployeeEnabled,
            _employee_target(row),
            lambda: self.client.enable_employee(employee_id=row.employee_id),
        )

    def create_backoffice_user(
        self, request: BackofficeUserRequest, *, progress: Progress | None = None
    ) -> BackofficeUserCreated:
        """Create a Back Office user: audited, landed."""
        return self._write(
            BackofficeUserCreated,
            f"username={request['username']}",
            lambda: self.client.create_backoffice_user(**request, progress=progress),
        )

    def write_change(self, plan: EmployeeChangePlan[R], *, progress: Progress | None = None) -> R:
        """Write a reviewed plan (update, wage or POS template; see the client's
        ``apply_change``: it refuses with ConflictError when the record moved), telling
        ``progress`` each step: audited, landed."""
        return self._write(
            CHANGE_RESULTS[plan.operation],
            f"employee_id={plan.employee_id} {plan.operation}",
            lambda: self.client.apply_change(plan, progress=progress),
        )

    def offboard(
        self, row: EmployeeRow, *, backoffice: bool = True, progress: Progress | None = None
    ) -> Offboarded:
        """Close every door of the employee of ``row``: the POS login and (unless told
        not to) every linked Back Office login, each verified, ``progress`` told each
        step. Audited, landed; a rerun after a partial failure writes only what is
        missing (the client's rule), and what a partial run did close lands too."""
        return self._write(
            Offboarded,
            _employee_target(row),
            lambda: self.client.offboard_employee(
                employee_id=row.employee_id, backoffice=backoffice, progress=progress
            ),
        )

    def reinstate(
        self, row: EmployeeRow, *, backoffice: bool = False, progress: Progress | None = None
    ) -> Reinstated:
        """The mirror of :meth:`offboard` (Back Office logins only when asked)."""
        return self._write(
            Reinstated,
            _employee_target(row),
            lambda: self.client.reinstate_employee(
                employee_id=row.employee_id, backoffice=backoffice, progress=progress
            ),
        )

    def disable_backoffice_user(self, user: BackofficeUserRow) -> BackofficeUserDisabled:
        return self._write(
            BackofficeUserDisabled,
            _user_target(user),
            lambda: self.client.disable_backoffice_user(user_id=user.user_id),
        )

    def enable_backoffice_user(self, user: BackofficeUserRow) -> BackofficeUserEnabled:
        return self._write(
            BackofficeUserEnabled,
            _user_target(user),
            lambda: self.client.enable_backoffice_user(user_id=user.user_id),
        )

    def set_backoffice_permissions(
        self,
        user: BackofficeUserRow,
        *,
        template: str | None = None,
        sites: Sequence[str] | Literal["all"] | None = None,
    ) -> BackofficePermissionsSet:
        """Change a Back Office user's template and/or accessible sites (None keeps
        one as it is): audited, landed."""
        return self._write(
            BackofficePermissionsSet,
            _user_target(user),
            lambda: self.client.set_backoffice_permissions(
                user_id=user.user_id,
                template=template,
                sites=list(sites) if sites is not None and sites != "all" else sites,
            ),
        )

    def reset_backoffice_password(self, user: BackofficeUserRow) -> PasswordReset:
        """Give a Back Office user a generated password (returned as a Secret, never
        audited or cached): audited as an operation only."""
        return self._write(
            PasswordReset,
            _user_target(user),
            lambda: self.client.reset_backoffice_password(user_id=user.user_id),
        )


def _employee_target(row: EmployeeRow) -> str:
    return f"employee_id={row.employee_id} pos_user_id={row.pos_user_id}"


def _user_target(user: BackofficeUserRow) -> str:
    return f"user_id={user.user_id} username={user.username}"
