"""Reading one employee whole: :meth:`EmployeeReading.get_employee`, and the page reads
every change of an existing employee is made on (the edit, compensation and POS
permissions pages, and the lookup of exactly one key); what such a change is
(:class:`Change`: a plan and its apply) and whom it is for (:class:`Target`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from sonnys_tui.backoffice import formcheck, pages, validation
from sonnys_tui.backoffice.core import (
    Part,
    Progress,
    RecordPage,
    check_employee_id,
    no_progress,
    tenant_state,
)
from sonnys_tui.backoffice.discovery import Discovery
from sonnys_tui.backoffice.errors import NOTHING_WRITTEN, ValidationError
from sonnys_tui.backoffice.models import (
    ChangeOperation,
    EmployeeChangePlan,
    EmployeeRecord,
    FieldChange,
    PlannedRequest,
    PosAccess,
    Secret,
    Site,
    Wage,
)
from sonnys_tui.backoffice.plan_checks import R, check_current, check_plan

_Page = TypeVar("_Page")  # the page a change is planned and written on
_COMPENSATION = RecordPage(
    "/employee/compensation/{}",
    formcheck.COMPENSATION.form_id,
    pages.parse_employee_compensation,
    "no employee at /employee/compensation/{}",
)
_POS_PERMISSIONS = RecordPage(
    "/employee/permissions/{}",
    formcheck.POS_PERMISSIONS.form_id,
    pages.parse_pos_permissions,
    "no employee at /employee/permissions/{}",
)


def _lookup_keys(employee_id: int | None, pos_user_id: int | None) -> None:
    validation.exactly_one(employee_id=employee_id, pos_user_id=pos_user_id)
    if pos_user_id is not None:
        validation.pos_user_id(pos_user_id)
    if employee_id is not None:
        check_employee_id(employee_id)


@dataclass(eq=False)
class EmployeeReading(Part):
    """Reading one employee whole; the page reads of the change operations
    (:mod:`employee_update`, :mod:`wages`, :mod:`pos_template`)."""

    reads: Discovery

    # ------------------------------------------------------------ reading

    def get_employee(
        self,
        employee_id: int | None = None,
        *,
        pos_user_id: int | None = None,
        wages: bool = True,
        pos_access: bool = True,
    ) -> EmployeeRecord:
        """The full record of one employee (exactly one of ``employee_id``, ``pos_user_id``).

        Every field of the edit page (the PIN as a :class:`Secret`), the sites by long
        name and short code, the departments, the wage history newest first with the
        current wage marked (``wages``), and the POS permission set with the template it
        matches exactly (``pos_access``). One request per page: the edit page, the
        compensation page (``wages=False`` skips it and leaves ``record.wages`` None) and
        the permissions page (``pos_access=False``: ``record.pos_access`` None), so 3 by
        default; a ``pos_user_id`` the roster cache does not know costs one exact search
        more. Short codes come from the cached site list and the compensation page.
        """
        edit = self._lookup_edit(employee_id, pos_user_id, step="read employee")
        record = edit.record
        codes = self._known_codes()
        history: tuple[Wage, ...] | None = None
        access: PosAccess | None = None
        if wages:
            compensation = self._compensation_page(record.employee_id, step="read wages")
            history = compensation.wages
            codes = {**compensation.site_codes, **codes}
        if pos_access:
            permissions = self._pos_permissions_page(record.employee_id, step="read POS access")
            access = permissions.access
        return dataclasses.replace(
            record, site_codes=_codes(record.site_ids, codes), wages=history, pos_access=access
        )

    # ------------------------------------------------------------ reading, private

    def _lookup_edit(
        self, employee_id: int | None, pos_user_id: int | None, *, step: str
    ) -> pages.EmployeeEditPage:
        """The edit page of the employee of exactly one key. A POS User ID is looked up
        in the roster cache first (the page read confirms it) and on the server
        otherwise."""
        _lookup_keys(employee_id, pos_user_id)
        if employee_id is not None:
            return self.reads._edit_page(employee_id, step=step)
        cached = self._cached_id(pos_user_id)
        if cached is not None:
            edit = self.reads._edit_page(cached, step=step)
            if edit.record.pos_user_id == pos_user_id:
                return edit
        return self.reads._edit_page(
            self.reads._resolve_employee_id(pos_user_id, None, None), step=step
        )

    def _employee_id_of(self, employee_id: int | None, pos_user_id: int | None) -> int:
        """The internal id of exactly one key (a POS User ID: roster cache, else an exact
        search; pages that show no POS User ID cannot confirm the cache, and ids never
        move by accident)."""
        _lookup_keys(employee_id, pos_user_id)
        if employee_id is not None:
            return employee_id
        cached = self._cached_id(pos_user_id)
        return cached or self.reads._resolve_employee_id(pos_user_id, None, None)

    def _cached_id(self, pos_user_id: int | None) -> int | None:
        roster = self._caches.roster.peek() or {}
        return next((r.employee_id for r in roster.values() if r.pos_user_id == pos_user_id), None)

    def _known_codes(self) -> dict[int, str]:
        create = self._caches.create_page.peek()
        return {site.id: site.code for site in create.sites} if create is not None else {}

    def _compensation_page(self, employee_id: int, *, step: str) -> pages.CompensationPage:
        return self._form_page(_COMPENSATION, employee_id, step=step)

    def _pos_permissions_page(self, employee_id: int, *, step: str) -> pages.PosPermissionsPage:
        return self._form_page(_POS_PERMISSIONS, employee_id, step=step)

    def _stand_in(self, employee_id: int) -> EmployeeRecord:
        """For plans that read no edit page: the id and, from the roster cache when it
        has the employee, the name."""
        row = (self._caches.roster.peek() or {}).get(employee_id)
        return EmployeeRecord(
            employee_id=employee_id,
            pos_credential_id=None,
            first_name=row.first_name if row else "",
            last_name=row.last_name if row else "",
            phone="",
            email="",
            department_ids=(),
            departments=(),
            start_date=None,
            site_ids=frozenset(),
            sites=(),
            pos_user_id=row.pos_user_id if row else None,
            pos_pin=Secret(""),
            emergency_contact_name="",
            emergency_contact_phone="",
            adp_employee_id="",
            active=row.active if row else True,
        )

    def _with_codes(self, record: EmployeeRecord, site_list: Sequence[Site]) -> EmployeeRecord:
        codes = self._known_codes() | {s.id: s.code for s in site_list}
        return dataclasses.replace(record, site_codes=_codes(record.site_ids, codes))


@dataclass(frozen=True, slots=True)
class Target:
    """Whom a change is for: exactly one lookup key, ``employee_id`` or ``pos_user_id``,
    or ``current``, a record already read (keys given beside it must name it)."""

    employee_id: int | None
    pos_user_id: int | None
    current: EmployeeRecord | None = None

    def checked_current(self) -> EmployeeRecord | None:
        """``current`` (None when not given), checked against the keys beside it."""
        if self.current is not None:
            check_current(self.current, self.employee_id, self.pos_user_id)
        return self.current


_Read = TypeVar("_Read")


def current_part(value: _Read | None, what: str, argument: str) -> _Read:
    """The part of ``current`` a plan rests on (``value``), which :meth:`get_employee`
    reads only when asked (``argument=True``)."""
    if value is None:
        raise ValidationError(
            f"current has no {what}: read it with get_employee({argument}=True)", field="current"
        )
    return value


@dataclass(eq=False)
class Change(Part, Generic[R, _Page]):
    """One kind of change of an existing employee (:mod:`employee_update`, :mod:`wages`,
    :mod:`pos_template`): a plan computed on one read of a page (:meth:`_plan`), then
    written on that page or on it read again (:meth:`_apply`). :mod:`planning` applies
    and re-plans a plan of any of them."""

    employees: EmployeeReading
    operation: ClassVar[ChangeOperation]  # the plans' operation
    refused: ClassVar[str]  # what a refusal before any write leaves undone

    def _plan(
        self, target: Target, args: Mapping[str, object]
    ) -> tuple[EmployeeChangePlan[R], _Page | None]:
        """The plan of the checked ``args``, and the page it was made on (None: made on
        ``target.current``)."""
        raise NotImplementedError

    def _plan_of(
        self,
        record: EmployeeRecord,
        changes: tuple[FieldChange, ...],
        requests: Sequence[PlannedRequest],
        expected: tuple[tuple[str, object], ...],
        args: Mapping[str, object],
        warnings: tuple[str, ...] = (),
    ) -> EmployeeChangePlan[R]:
        """The plan of this change of ``record`` (see :class:`EmployeeChangePlan`)."""
        return EmployeeChangePlan(
            operation=self.operation,
            employee_id=record.employee_id,
            employee_name=record.full_name,
            changes=changes,
            requests=tuple(requests),
            expected=expected,
            arguments=tuple(args.items()),
            warnings=warnings,
        )

    def _write(self, plan: EmployeeChangePlan[R], page: _Page | None, report: Progress) -> R:
        """Write ``plan``: on ``page``, the page it was made on just now (no conflict is
        possible), or, when None, on the page read again (refused when it moved)."""
        raise NotImplementedError

    def _apply(
        self, plan: EmployeeChangePlan[R], page: _Page | None, report: Progress = no_progress
    ) -> R:
        check_plan(plan, self.operation)
        return self._write(plan, page, report)

    def _planned(
        self, target: Target, arguments: Callable[[], Mapping[str, object]]
    ) -> tuple[EmployeeChangePlan[R], _Page | None]:
        """The plan of the arguments ``arguments`` checks (no request), and its page."""
        with tenant_state(f"{NOTHING_WRITTEN}: {self.refused}"):
            args = arguments()
        return self._plan(target, args)


def _codes(site_ids: Iterable[int], codes: Mapping[int, str]) -> tuple[str, ...]:
    """The short codes of ``site_ids`` as the employee list shows them (alphabetical; a
    site without a code shows none)."""
    return tuple(sorted((c for i in site_ids if (c := codes.get(i))), key=str.casefold))
