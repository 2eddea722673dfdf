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
(``current=``, from :meth:`Changes.get_employee`). :meth:`Changes.apply_change` re-reads
the page (the read every write needs anyway: an update posts the fresh form back whole),
refuses with :class:`~sonnys_tui.backoffice.errors.ConflictError` when a field the plan
rests on has moved (written in the web UI or another terminal in the meantime; nothing is
written), computes the change again on what it read, posts it, and reads it back. So the
conflict check costs no request. The one-call forms plan on the page they read and apply
at once. Fields a change does not touch are posted back as the fresh page shows them: an
edit made meanwhile to another field is kept, never undone.

A write whose answer is lost (a 5xx, a timeout, a dropped connection) is reconciled by
reading the record back before anything is said about it, as for disable/enable.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar, cast
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from sonnys_tui.backoffice import names, pages, validation
from sonnys_tui.backoffice.caches import Linkable, Roster
from sonnys_tui.backoffice.core import (
    Progress,
    SiteChoice,
    check_employee_id,
    check_write,
    logger,
    no_progress,
    outcome_unknown,
    rejection,
    tenant_state,
)
from sonnys_tui.backoffice.discovery import Discovery
from sonnys_tui.backoffice.errors import (
    NOTHING_WRITTEN,
    BackofficeError,
    BackofficeServerError,
    ConflictError,
    DuplicateError,
    UnknownNameError,
    ValidationError,
)
from sonnys_tui.backoffice.forms import FormData, find_form
from sonnys_tui.backoffice.models import (
    ChangeOperation,
    Department,
    EmployeeChangePlan,
    EmployeeRecord,
    EmployeeUpdated,
    FieldChange,
    FieldValue,
    Permission,
    PlannedRequest,
    PosAccess,
    PosPermissionsSet,
    Secret,
    Site,
    Wage,
    WageAdded,
)
from sonnys_tui.backoffice.session import Page

R = TypeVar("R")

# The record's fields an update may change, in review order, and what the edit page
# holds besides (every field is compared when the update is read back).
UPDATE_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "email",
    "available_sites",
    "departments",
    "start_date",
    "pos_user_id",
    "pos_pin",
    "emergency_contact_name",
    "emergency_contact_phone",
    "adp_employee_id",
)
_RECORD_FIELDS = (*UPDATE_FIELDS, "active")
_FORM_NAMES = {
    "first_name": "employee[firstName]",
    "last_name": "employee[lastName]",
    "phone": "employee[phone]",
    "email": "employee[email]",
    "emergency_contact_name": "employee[emergencyContactName]",
    "emergency_contact_phone": "employee[emergencyContactPhone]",
    "adp_employee_id": "employee[adpEmployeeId]",
}
WAGE_HISTORY = "wage_history"  # the field a wage plan rests on
POS_ACCESS = "pos_access"  # the field a template plan rests on


# ---------------------------------------------------------------- pure helpers


def _us(day: date) -> str:
    """A date as the Back Office's forms take it (messages show ISO, as dates are typed)."""
    return day.strftime("%m/%d/%Y")


def _snapshot(record: EmployeeRecord) -> dict[str, object]:
    """The record's fields as comparable values (ids for sites and departments)."""
    return {
        "first_name": record.first_name,
        "last_name": record.last_name,
        "phone": record.phone,
        "email": record.email,
        "available_sites": frozenset(record.site_ids),
        "departments": frozenset(record.department_ids),
        "start_date": record.start_date,
        "pos_user_id": record.pos_user_id,
        "pos_pin": record.pos_pin,
        "emergency_contact_name": record.emergency_contact_name,
        "emergency_contact_phone": record.emergency_contact_phone,
        "adp_employee_id": record.adp_employee_id,
        "active": record.active,
    }


def _history(wages: Sequence[Wage]) -> tuple[tuple[object, ...], ...]:
    """A wage history as a comparable value (what a wage plan rests on)."""
    return tuple(
        (w.effective_date, w.hourly, w.rate, w.overtime_eligible, w.overtime_rate) for w in wages
    )


def _effective_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise ValidationError("effective_date must be a date", field="effective_date")


def _lookup_keys(employee_id: int | None, pos_user_id: int | None) -> None:
    validation.exactly_one(employee_id=employee_id, pos_user_id=pos_user_id)
    if pos_user_id is not None:
        validation.pos_user_id(pos_user_id)
    if employee_id is not None:
        check_employee_id(employee_id)


def _current_keys(
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


def _update_arguments(
    *,
    first_name: object,
    last_name: object,
    phone: object,
    email: object,
    available_sites: object,
    departments: object,
    start_date: object,
    new_pos_user_id: object,
    pos_pin: object,
    emergency_contact_name: object,
    emergency_contact_phone: object,
    adp_employee_id: object,
) -> dict[str, object]:
    """The given fields, checked (no request): ``None`` leaves a field as it is."""
    out: dict[str, object] = {}
    if first_name is not None:
        out["first_name"] = validation.name(
            first_name, field="first_name", max_length=validation.FIRST_NAME_MAX
        )
    if last_name is not None:
        out["last_name"] = validation.name(
            last_name, field="last_name", max_length=validation.LAST_NAME_MAX
        )
    if phone is not None:
        out["phone"] = validation.phone(phone)
    if email is not None:
        # "" clears the e-mail (an employee needs none); anything else must be one.
        blank = isinstance(email, str) and not email.strip()
        out["email"] = "" if blank else validation.email(email)
    if available_sites is not None:
        sites = validation.site_choice(available_sites, field="available_sites")
        out["available_sites"] = sites if sites == "all" else tuple(sites)
    if departments is not None:
        wanted = validation.names_list(departments, field="departments")
        if not wanted:
            raise ValidationError(
                "departments must name at least one department (the form requires one)",
                field="departments",
            )
        out["departments"] = tuple(wanted)
    if start_date is not None:
        out["start_date"] = validation.start_date(start_date)
    if new_pos_user_id is not None:
        out["pos_user_id"] = validation.pos_user_id(new_pos_user_id, field="new_pos_user_id")
    if pos_pin is not None:
        out["pos_pin"] = Secret(str(validation.pin(pos_pin)))
    if emergency_contact_name is not None:
        out["emergency_contact_name"] = validation.optional_text(
            emergency_contact_name,
            field="emergency_contact_name",
            max_length=validation.EMERGENCY_NAME_MAX,
        )
    if emergency_contact_phone is not None:
        blank = isinstance(emergency_contact_phone, str) and not emergency_contact_phone.strip()
        out["emergency_contact_phone"] = (
            ""
            if blank
            else validation.phone(emergency_contact_phone, field="emergency_contact_phone")
        )
    if adp_employee_id is not None:
        out["adp_employee_id"] = validation.optional_text(
            adp_employee_id, field="adp_employee_id", max_length=validation.ADP_ID_MAX
        )
    if not out:
        raise ValidationError(
            "nothing to change: give at least one field (None leaves a field as it is)",
            field="fields",
        )
    return out


def _wage_arguments(
    rate: object, effective_date: object, overtime_rate: object, overtime_eligible: object
) -> dict[str, object]:
    out: dict[str, object] = {"rate": validation.money(rate, field="rate")}
    if effective_date is not None:
        out["effective_date"] = _effective_date(effective_date)
    if overtime_eligible is not None:
        if not isinstance(overtime_eligible, bool):
            raise ValidationError(
                "overtime_eligible must be True, False or None (keep)", field="overtime_eligible"
            )
        out["overtime_eligible"] = overtime_eligible
    if overtime_rate is not None:
        if overtime_eligible is False:
            raise ValidationError(
                "overtime_rate was given but overtime_eligible is False", field="overtime_rate"
            )
        out["overtime_rate"] = validation.money(overtime_rate, field="overtime_rate")
    return out


def _template_argument(template: object) -> str:
    if not isinstance(template, str) or not template.strip():
        raise ValidationError("template must name a POS template", field="template")
    return validation.printable(template, field="template").strip()


def _check_plan(plan: EmployeeChangePlan[R], operation: ChangeOperation) -> None:
    if not isinstance(plan, EmployeeChangePlan) or plan.operation != operation:
        raise ValidationError("plan must be an EmployeeChangePlan", field="plan")


# ---------------------------------------------------------------- drafts


@dataclass(frozen=True)
class _UpdateDraft:
    """An update computed on one read of the record (no request)."""

    changes: tuple[FieldChange, ...]
    before: dict[str, object]
    after: dict[str, object]
    sites: frozenset[int] | None  # the new site set (None: unchanged)
    all_sites: bool  # the new site set was asked as "all"
    departments: tuple[Department, ...] | None  # None: unchanged
    site_list: tuple[Site, ...]  # the tenant's sites (empty when not needed)
    department_names: dict[int, str]

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(change.field for change in self.changes)

    def shown(self, name: str, value: object) -> FieldValue:
        """A comparable value as the review shows it (names for sites, departments)."""
        if name == "available_sites":
            ids = cast("frozenset[int]", value)
            site_names = {s.id: s.name for s in self.site_list}
            order = [s.id for s in self.site_list] + sorted(ids - site_names.keys())
            return tuple(site_names.get(i, f"site {i}") for i in order if i in ids)
        if name == "departments":
            ids = cast("frozenset[int]", value)
            labels = [self.department_names.get(i, str(i)) for i in ids]
            return tuple(sorted(labels, key=str.casefold))
        return cast("FieldValue", value)


@dataclass(frozen=True)
class _WageDraft:
    wage: Wage
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class _TemplateDraft:
    template: Permission
    grants: frozenset[int]
    overrides: frozenset[int]
    changes: tuple[FieldChange, ...]
    warnings: tuple[str, ...]


class Changes(Discovery):
    """Reading one employee whole, and changing it: the plan/apply operations of
    :class:`SonnysBackofficeClient`."""

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

    # ------------------------------------------------------------ update

    def plan_update_employee(
        self,
        *,
        employee_id: int | None = None,
        pos_user_id: int | None = None,
        current: EmployeeRecord | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        phone: str | None = None,
        email: str | None = None,
        available_sites: SiteChoice | None = None,
        departments: Sequence[str] | None = None,
        start_date: date | datetime | None = None,
        new_pos_user_id: int | None = None,
        pos_pin: int | None = None,
        emergency_contact_name: str | None = None,
        emergency_contact_phone: str | None = None,
        adp_employee_id: str | None = None,
    ) -> EmployeeChangePlan[EmployeeUpdated]:
        """The update :meth:`update_employee` would make, computed without writing.

        Takes the same arguments, plus ``current``: a record already read (from
        :meth:`get_employee`) to plan on without any request. Otherwise reads the edit
        page (1 request; a ``pos_user_id`` the roster cache does not know costs one
        search more). The arguments, the names and the availability of a new e-mail,
        phone or POS User ID (in the client's caches) are checked here, so a plan that
        is made can be applied unless the record moves. Apply it with
        :meth:`apply_change`.
        """
        with tenant_state(f"{NOTHING_WRITTEN}: the employee was not updated"):
            args = _update_arguments(
                first_name=first_name,
                last_name=last_name,
                phone=phone,
                email=email,
                available_sites=available_sites,
                departments=departments,
                start_date=start_date,
                new_pos_user_id=new_pos_user_id,
                pos_pin=pos_pin,
                emergency_contact_name=emergency_contact_name,
                emergency_contact_phone=emergency_contact_phone,
                adp_employee_id=adp_employee_id,
            )
        return self._plan_update(employee_id, pos_user_id, current, args)[0]

    def update_employee(
        self,
        *,
        employee_id: int | None = None,
        pos_user_id: int | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        phone: str | None = None,
        email: str | None = None,
        available_sites: SiteChoice | None = None,
        departments: Sequence[str] | None = None,
        start_date: date | datetime | None = None,
        new_pos_user_id: int | None = None,
        pos_pin: int | None = None,
        emergency_contact_name: str | None = None,
        emergency_contact_phone: str | None = None,
        adp_employee_id: str | None = None,
    ) -> EmployeeUpdated:
        """Change the given fields of one employee; everything else is posted back as the
        edit page shows it (a full-form round trip: the update replaces the whole record).

        Exactly one lookup key, ``employee_id`` or ``pos_user_id``. ``pos_user_id`` only
        FINDS the employee: the POS User ID changes only through ``new_pos_user_id``,
        which must be free (the cached index, then one exact search on the server, then
        the server's own check). ``None`` leaves a field as it is; ``""`` clears
        ``email``, ``emergency_contact_name``/``_phone`` and ``adp_employee_id``.
        ``available_sites`` takes long names or short codes, or ``"all"``; it and
        ``departments`` are resolved against the cached site and department lists
        (:class:`UnknownNameError` naming the field, before any request once the lists
        are cached). A new e-mail or phone must be free (:meth:`is_email_available`,
        :meth:`is_phone_available`). The status is never changed here (see
        :meth:`disable_employee`); ``pos_pin`` sets a new 5-digit PIN.

        Requests: the edit form, the update, a verifying read = 3 (4 with
        ``new_pos_user_id``); 1 when nothing differs (nothing is written). The read-back
        is compared field by field: a field that did not take, or one that moved
        without being asked, raises :class:`BackofficeServerError` saying so.
        """
        with tenant_state(f"{NOTHING_WRITTEN}: the employee was not updated"):
            args = _update_arguments(
                first_name=first_name,
                last_name=last_name,
                phone=phone,
                email=email,
                available_sites=available_sites,
                departments=departments,
                start_date=start_date,
                new_pos_user_id=new_pos_user_id,
                pos_pin=pos_pin,
                emergency_contact_name=emergency_contact_name,
                emergency_contact_phone=emergency_contact_phone,
                adp_employee_id=adp_employee_id,
            )
        plan, edit = self._plan_update(employee_id, pos_user_id, None, args)
        return self._apply_update(plan, edit)

    # ------------------------------------------------------------ wage

    def plan_add_wage(
        self,
        *,
        employee_id: int | None = None,
        pos_user_id: int | None = None,
        current: EmployeeRecord | None = None,
        rate: Decimal | float | int | str,
        effective_date: date | datetime | None = None,
        overtime_rate: Decimal | float | int | str | None = None,
        overtime_eligible: bool | None = None,
    ) -> EmployeeChangePlan[WageAdded]:
        """The wage :meth:`add_wage` would add, computed without writing.

        Reads the compensation page (1 request), or nothing when ``current`` (from
        :meth:`get_employee`, with its wages) is given: a date on or before the latest
        wage's is then refused before any request. The plan fixes the effective date
        (the default included: the server's today, or the local date with
        ``current``), so the apply writes exactly what was reviewed.
        """
        with tenant_state(f"{NOTHING_WRITTEN}: no wage was added"):
            args = _wage_arguments(rate, effective_date, overtime_rate, overtime_eligible)
        return self._plan_wage(employee_id, pos_user_id, current, args)[0]

    def add_wage(
        self,
        *,
        employee_id: int | None = None,
        pos_user_id: int | None = None,
        rate: Decimal | float | int | str,
        effective_date: date | datetime | None = None,
        overtime_rate: Decimal | float | int | str | None = None,
        overtime_eligible: bool | None = None,
    ) -> WageAdded:
        """Add a wage to one employee's history (exactly one lookup key).

        ``rate`` is the (effective) hourly rate. ``effective_date`` defaults to the
        server's today and must be AFTER the latest wage's date: the Back Office
        silently ignores any other, so such a date is refused (ValidationError naming
        the earliest allowed date) before the wage is sent. The wage type
        (hourly/salary) and the overtime eligibility stay as the latest wage has them
        unless told (``overtime_eligible``; an ``overtime_rate`` means eligible); an
        eligible wage's overtime rate defaults to 1.5 x ``rate``, as on hire. The salary
        schedule fields keep the form's defaults ("use clock-ins").

        Requests: the compensation page, the wage post, the history read back = 3. A
        wage the read-back does not show (the server ignored it) raises
        :class:`BackofficeServerError` whose ``wrote_nothing`` is true.
        """
        with tenant_state(f"{NOTHING_WRITTEN}: no wage was added"):
            args = _wage_arguments(rate, effective_date, overtime_rate, overtime_eligible)
        plan, page = self._plan_wage(employee_id, pos_user_id, None, args)
        return self._apply_wage(plan, page)

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
        with tenant_state(f"{NOTHING_WRITTEN}: the POS permissions were not changed"):
            name = _template_argument(template)
        return self._plan_template(employee_id, pos_user_id, current, name)[0]

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
        with tenant_state(f"{NOTHING_WRITTEN}: the POS permissions were not changed"):
            name = _template_argument(template)
        plan, page = self._plan_template(employee_id, pos_user_id, None, name)
        return self._apply_template(plan, page)

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
            result = self._apply_update(
                cast("EmployeeChangePlan[EmployeeUpdated]", plan), None, report
            )
        elif plan.operation == "add wage":
            result = self._apply_wage(cast("EmployeeChangePlan[WageAdded]", plan), None, report)
        elif plan.operation == "set POS template":
            result = self._apply_template(
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
            new = self._plan_update(key, None, current, args)[0]  # type: ignore[assignment]
        elif plan.operation == "add wage":
            new = self._plan_wage(key, None, current, args)[0]  # type: ignore[assignment]
        else:
            new = self._plan_template(key, None, current, str(args["template"]))[0]  # type: ignore[assignment]
        return cast("EmployeeChangePlan[R]", new)

    # ------------------------------------------------------------ reading, private

    def _lookup_edit(
        self, employee_id: int | None, pos_user_id: int | None, *, step: str
    ) -> pages.EmployeeEditPage:
        """The edit page of the employee of exactly one key. A POS User ID is looked up
        in the roster cache first (the page read confirms it) and on the server
        otherwise."""
        _lookup_keys(employee_id, pos_user_id)
        if employee_id is not None:
            return self._edit_page(employee_id, step=step)
        cached = self._cached_id(pos_user_id)
        if cached is not None:
            edit = self._edit_page(cached, step=step)
            if edit.record.pos_user_id == pos_user_id:
                return edit
        return self._edit_page(self._resolve_employee_id(pos_user_id, None, None), step=step)

    def _employee_id_of(self, employee_id: int | None, pos_user_id: int | None) -> int:
        """The internal id of exactly one key (a POS User ID: roster cache, else an exact
        search; pages that show no POS User ID cannot confirm the cache, and ids never
        move by accident)."""
        _lookup_keys(employee_id, pos_user_id)
        if employee_id is not None:
            return employee_id
        cached = self._cached_id(pos_user_id)
        return cached or self._resolve_employee_id(pos_user_id, None, None)

    def _cached_id(self, pos_user_id: int | None) -> int | None:
        roster = self._caches.roster.peek() or {}
        return next((r.employee_id for r in roster.values() if r.pos_user_id == pos_user_id), None)

    def _known_codes(self) -> dict[int, str]:
        create = self._caches.create_page.peek()
        return {site.id: site.code for site in create.sites} if create is not None else {}

    def _compensation_page(self, employee_id: int, *, step: str) -> pages.CompensationPage:
        path = f"/employee/compensation/{employee_id}"
        doc = self._employee_page(path, pages.COMPENSATION_FORM_ID, step)
        return pages.parse_employee_compensation(doc)

    def _pos_permissions_page(self, employee_id: int, *, step: str) -> pages.PosPermissionsPage:
        path = f"/employee/permissions/{employee_id}"
        doc = self._employee_page(path, pages.POS_PERMISSIONS_FORM_ID, step)
        return pages.parse_pos_permissions(doc)

    def _employee_page(self, path: str, form_id: str, step: str) -> HtmlElement:
        return self._form_page(path, form_id, missing=f"no employee at {path}", step=step)

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

    # ------------------------------------------------------------ update, private

    def _plan_update(
        self,
        employee_id: int | None,
        pos_user_id: int | None,
        current: EmployeeRecord | None,
        args: Mapping[str, object],
    ) -> tuple[EmployeeChangePlan[EmployeeUpdated], pages.EmployeeEditPage | None]:
        """The plan, and the edit page it was made on (None: made on ``current``)."""
        with tenant_state(f"{NOTHING_WRITTEN}: the employee was not updated"):
            if "available_sites" in args or "departments" in args:
                self._draft_names(args)  # unknown names fail before any request (warm caches)
            edit: pages.EmployeeEditPage | None = None
            if current is not None:
                _current_keys(current, employee_id, pos_user_id)
                record = current
            else:
                edit = self._lookup_edit(employee_id, pos_user_id, step="read employee")
                record = edit.record
            draft = self._draft_update(record, args, edit.page.tree.site_ids if edit else None)
            self._check_free(record, draft, exact=False)
        employee = record.employee_id
        edit_path = f"/employee/edit/{employee}"
        requests = [
            PlannedRequest("GET", edit_path, "re-read: the conflict check, the form to post back")
        ]
        if "pos_user_id" in draft.fields:
            new_id = draft.after["pos_user_id"]
            requests.append(
                PlannedRequest("GET", "/employee", f"exact search: is POS User ID {new_id} free")
            )
        if draft.changes:
            requests += [
                PlannedRequest(
                    "POST",
                    "/employee/update",
                    f"the whole edit form, {len(draft.changes)} field(s) changed",
                ),
                PlannedRequest("GET", edit_path, "read back: verify every field"),
            ]
        plan: EmployeeChangePlan[EmployeeUpdated] = EmployeeChangePlan(
            operation="update",
            employee_id=employee,
            employee_name=record.full_name,
            changes=draft.changes,
            requests=tuple(requests),
            expected=tuple((name, draft.before[name]) for name in draft.fields),
            arguments=tuple(args.items()),
        )
        return plan, edit

    def _draft_names(
        self, args: Mapping[str, object]
    ) -> tuple[pages.EmployeeFormPage, list[Site] | None, list[Department] | None]:
        """The create page (cached) and the sites/departments the arguments name
        (None: not asked; sites None also when "all")."""
        form = self._load_create_page()
        sites: list[Site] | None = None
        departments: list[Department] | None = None
        if "available_sites" in args:
            wanted = args["available_sites"]
            choice = "all" if wanted == "all" else list(cast("Sequence[str]", wanted))
            sites = names.resolve_sites(choice, form.sites, field="available_sites")
        if "departments" in args:
            departments = names.resolve_departments(
                list(cast("Sequence[str]", args["departments"])), form.departments
            )
        return form, sites, departments

    def _draft_update(
        self,
        record: EmployeeRecord,
        args: Mapping[str, object],
        tree_ids: frozenset[int] | None = None,
    ) -> _UpdateDraft:
        """The update ``args`` make of ``record`` ("all" sites: ``tree_ids``, the sites
        of the edit form the update will post, else the cached site list)."""
        before = _snapshot(record)
        after = dict(before)
        department_names = dict(zip(record.department_ids, record.departments, strict=False))
        site_list: tuple[Site, ...] = ()
        new_sites: frozenset[int] | None = None
        all_sites = False
        new_departments: tuple[Department, ...] | None = None
        if "available_sites" in args or "departments" in args:
            form, sites, departments = self._draft_names(args)
            site_list = form.sites
            department_names |= {d.id: d.name for d in form.departments}
            if "available_sites" in args:
                all_sites = sites is None
                every = tree_ids or frozenset(s.id for s in form.sites)
                new_sites = every if sites is None else frozenset(s.id for s in sites)
                after["available_sites"] = new_sites
            if departments is not None:
                new_departments = tuple(departments)
                after["departments"] = frozenset(d.id for d in departments)
        for name in UPDATE_FIELDS:
            if name in args and name not in ("available_sites", "departments"):
                after[name] = args[name]
        draft = _UpdateDraft(
            changes=(),
            before=before,
            after=after,
            sites=new_sites,
            all_sites=all_sites,
            departments=new_departments,
            site_list=site_list,
            department_names=department_names,
        )
        changes = tuple(
            FieldChange(name, draft.shown(name, before[name]), draft.shown(name, after[name]))
            for name in UPDATE_FIELDS
            if after[name] != before[name]
        )
        return dataclasses.replace(draft, changes=changes)

    def _check_free(self, record: EmployeeRecord, draft: _UpdateDraft, *, exact: bool) -> None:
        """A new e-mail, phone or POS User ID must be free: in the cached indexes, and
        with ``exact`` a new POS User ID in one exact search on the server too."""
        after = draft.after
        if "email" in draft.fields:
            email = cast("str", after["email"])
            moved = email.casefold() != record.email.casefold()
            if email and moved and not self.is_email_available(email):
                raise DuplicateError(f"e-mail {email} is already in use", field="email")
        if "phone" in draft.fields:
            phone = cast("str", after["phone"])
            moved = validation.phone_digits(phone) != validation.phone_digits(record.phone)
            if moved and not self.is_phone_available(phone):
                raise DuplicateError(f"phone {phone} is already in use", field="phone")
        if "pos_user_id" in draft.fields:
            pos_id = cast("int", after["pos_user_id"])
            taken = not self.is_pos_user_id_available(pos_id)
            if not taken and exact:
                found = self.search_employees(pos_user_id=pos_id)
                taken = any(row.employee_id != record.employee_id for row in found)
            if taken:
                raise DuplicateError(
                    f"POS User ID {pos_id} is already in use (a POS User ID stays reserved "
                    "after its employee is disabled)",
                    field="new_pos_user_id",
                )

    def _apply_update(
        self,
        plan: EmployeeChangePlan[EmployeeUpdated],
        edit: pages.EmployeeEditPage | None,
        report: Progress = no_progress,
    ) -> EmployeeUpdated:
        """``edit``: the page the plan was made on just now (no conflict is possible)."""
        _check_plan(plan, "update")
        employee_id = plan.employee_id
        args = dict(plan.arguments)
        with tenant_state(f"{NOTHING_WRITTEN}: employee {employee_id} was not updated"):
            fresh = edit is None
            if edit is None:
                report(f"Reading employee {employee_id} (has it changed since the plan?)")
                edit = self._edit_page(employee_id, step="read employee")
            record = edit.record
            draft = self._draft_update(record, args, edit.page.tree.site_ids)
            if fresh:
                _check_unmoved(plan, draft)
            if not draft.changes:
                return EmployeeUpdated(employee_id, (), self._with_codes(record, ()), False)
            self._check_free(record, draft, exact=True)
            data = self._update_post(edit, draft)
        verified = self._post_update(employee_id, data, draft, report)
        result = EmployeeUpdated(
            employee_id=employee_id,
            changes=draft.changes,
            record=self._with_codes(verified, draft.site_list),
        )
        self._remember_update(result)
        return result

    def _update_post(self, edit: pages.EmployeeEditPage, draft: _UpdateDraft) -> FormData:
        """The edit form as the server rendered it, with the draft's fields changed."""
        data = edit.page.serialize(edit=True)
        after = draft.after
        for name in draft.fields:
            if name in _FORM_NAMES:
                data.set(_FORM_NAMES[name], cast("str", after[name]))
        if draft.sites is not None:
            unknown = draft.sites - edit.page.tree.site_ids
            if unknown:
                raise UnknownNameError(
                    f"site id(s) {sorted(unknown)} are not on employee "
                    f"{edit.record.employee_id}'s edit form (the cached site list may be "
                    "stale: refresh it)",
                    field="available_sites",
                )
            edit.page.tree.encode(data, None if draft.all_sites else draft.sites, insert=False)
        if draft.departments is not None:
            offered = {d.id for d in edit.page.departments}
            if missing := [d.name for d in draft.departments if d.id not in offered]:
                raise UnknownNameError(
                    f"department(s) {', '.join(missing)} are not offered on the edit form",
                    field="departments",
                )
            data.set_all("employee[departments][]", [str(d.id) for d in draft.departments])
        if "start_date" in draft.fields:
            data.set("employee[startDate]", _us(cast("date", after["start_date"])))
        if "pos_user_id" in draft.fields:
            data.set("posCredential[POSLoginID]", str(after["pos_user_id"]))
        if "pos_pin" in draft.fields:
            data.set("posCredential[POSLoginPassword]", cast("Secret", after["pos_pin"]).reveal())
        return data

    def _post_update(
        self,
        employee_id: int,
        data: FormData,
        draft: _UpdateDraft,
        report: Progress = no_progress,
    ) -> EmployeeRecord:
        """POST the update and read it back (or reconcile an unknown outcome)."""
        step = "update employee"
        not_updated = f"{NOTHING_WRITTEN}: employee {employee_id} was not updated"
        report(f"Saving {', '.join(draft.fields)}")
        try:
            answer = self._session.post("/employee/update", data, step=step, follow=False)
            check_write(answer, expect_path="/employee", step=step, what="employee update")
        except BackofficeError as exc:
            if not isinstance(exc, BackofficeServerError) or not outcome_unknown(exc):
                exc.state = not_updated
                raise
            with tenant_state(
                f"whether employee {employee_id} was updated is unknown: read it "
                "(get_employee) before trying again"
            ):
                record = self._edit_page(employee_id, step=step).record
            if _snapshot(record) == draft.before:
                exc.state = not_updated
                raise
            if wrong := _differences(record, draft.after):
                raise _not_as_planned(employee_id, wrong, step) from None
            logger.debug("update outcome reconciled: it took effect")
            return record
        with tenant_state(
            f"employee {employee_id} was updated (the server accepted it) but reading it "
            "back failed"
        ):
            report("Reading it back to verify")
            record = self._edit_page(employee_id, step="verify update").record
        if _snapshot(record) == draft.before:
            raise BackofficeServerError(
                f"employee {employee_id}: the server accepted the update but stored none of "
                f"it ({', '.join(draft.fields)} unchanged; the form may have changed)",
                step=step,
                state=not_updated,
            )
        if wrong := _differences(record, draft.after):
            raise _not_as_planned(employee_id, wrong, step)
        return record

    def _with_codes(self, record: EmployeeRecord, site_list: Sequence[Site]) -> EmployeeRecord:
        codes = self._known_codes() | {s.id: s.code for s in site_list}
        return dataclasses.replace(record, site_codes=_codes(record.site_ids, codes))

    def _remember_update(self, result: EmployeeUpdated) -> None:
        """The new row in the roster cache and the active list (no re-download); the
        e-mail index learnt the new e-mail from the read-back."""
        record = result.record

        def in_roster(rows: Roster) -> Roster:
            row = rows.get(record.employee_id)
            return rows if row is None else {**rows, record.employee_id: result.as_row(row)}

        def in_linkable(employees: Linkable) -> Linkable:
            others = tuple(e for e in employees if e.employee_id != record.employee_id)
            if not record.active:  # /user/create lists active employees only
                return others
            mine = pages.LinkableEmployee(
                record.employee_id, record.email, record.first_name, record.last_name
            )
            return (*others, mine)

        self._caches.roster.change(in_roster)
        self._caches.linkable.change(in_linkable)

    # ------------------------------------------------------------ wage, private

    def _plan_wage(
        self,
        employee_id: int | None,
        pos_user_id: int | None,
        current: EmployeeRecord | None,
        args: Mapping[str, object],
    ) -> tuple[EmployeeChangePlan[WageAdded], pages.CompensationPage | None]:
        with tenant_state(f"{NOTHING_WRITTEN}: no wage was added"):
            page: pages.CompensationPage | None = None
            if current is not None:
                _current_keys(current, employee_id, pos_user_id)
                if current.wages is None:
                    raise ValidationError(
                        "current has no wage history: read it with get_employee(wages=True)",
                        field="current",
                    )
                record, history, today = current, current.wages, date.today()
            else:
                internal = self._employee_id_of(employee_id, pos_user_id)
                page = self._compensation_page(internal, step="read wages")
                record, history = self._stand_in(internal), page.wages
                today = page.today or date.today()
            draft = _draft_wage(record.employee_id, history, today, args)
        path = f"/employee/compensation/{record.employee_id}"
        plan: EmployeeChangePlan[WageAdded] = EmployeeChangePlan(
            operation="add wage",
            employee_id=record.employee_id,
            employee_name=record.full_name,
            changes=draft.changes,
            requests=(
                PlannedRequest("GET", path, "re-read the wage history: the conflict check"),
                PlannedRequest("POST", "/employee/compensation/update", "the Add Wage form"),
                PlannedRequest("GET", path, "read back: the new wage must be in the history"),
            ),
            expected=((WAGE_HISTORY, _history(history)),),
            arguments=tuple({**args, "effective_date": draft.wage.effective_date}.items()),
        )
        return plan, page

    def _apply_wage(
        self,
        plan: EmployeeChangePlan[WageAdded],
        page: pages.CompensationPage | None,
        report: Progress = no_progress,
    ) -> WageAdded:
        """``page``: the page the plan was made on just now (no conflict is possible)."""
        _check_plan(plan, "add wage")
        employee_id = plan.employee_id
        step = "add wage"
        nothing = f"{NOTHING_WRITTEN}: no wage was added to employee {employee_id}"
        with tenant_state(nothing):
            if page is None:
                report("Reading the wage history (has it changed since the plan?)")
                page = self._compensation_page(employee_id, step="read wages")
                planned = dict(plan.expected).get(WAGE_HISTORY)
                if _history(page.wages) != planned:
                    moved = (WAGE_HISTORY, _wage_dates(planned), _wage_dates(_history(page.wages)))
                    raise _conflict(employee_id, [moved], "a wage was added or changed")
            draft = _draft_wage(
                employee_id, page.wages, page.today or date.today(), dict(plan.arguments)
            )
            data = _wage_post(page, draft.wage)
        wage = draft.wage
        when = wage.effective_date.isoformat()
        unknown: BackofficeServerError | None = None
        landed: pages.CompensationPage | None = None
        report(f"Saving the wage of {draft.wage.rate} from {draft.wage.effective_date}")
        try:
            answer = self._session.post(
                "/employee/compensation/update", data, step=step, follow=False
            )
            doc = answer.doc()
            if pages.parse_alerts(doc).danger:
                raise rejection(answer, step=step, what="wage")
            landed = _landed_history(answer, doc, employee_id)
        except BackofficeError as exc:
            if not isinstance(exc, BackofficeServerError) or not outcome_unknown(exc):
                exc.state = nothing
                raise
            unknown = exc
        # Where the post redirects is unknown, and even a success redirect does not mean
        # the wage was stored (one not after the latest is ignored): the history decides.
        if landed is not None:
            history = landed.wages  # it redirected to the history: that is the read-back
        else:
            with tenant_state(
                f"whether the wage of {when} was added to employee {employee_id} is unknown: "
                "read the wage history before trying again"
            ):
                report("Reading the wage history back to verify")
                history = self._compensation_page(
                    employee_id, step=step if unknown else "verify wage"
                ).wages
        stored = _stored(history, wage)
        if stored is None:
            if unknown is not None:
                unknown.state = nothing
                raise unknown
            latest = history[0].effective_date.isoformat() if history else "none"
            raise BackofficeServerError(
                f"the server ignored the wage of {when} for employee {employee_id}: the "
                f"history read back does not show it (latest wage: {latest}; a new wage "
                "must take effect after it)",
                step=step,
                state=nothing,
            )
        if unknown is not None:
            logger.debug("wage outcome reconciled: it was stored")
        return WageAdded(
            employee_id=employee_id, wage=stored, history=history, changes=draft.changes
        )

    # ------------------------------------------------------------ template, private

    def _plan_template(
        self,
        employee_id: int | None,
        pos_user_id: int | None,
        current: EmployeeRecord | None,
        name: str,
    ) -> tuple[EmployeeChangePlan[PosPermissionsSet], pages.PosPermissionsPage | None]:
        with tenant_state(f"{NOTHING_WRITTEN}: the POS permissions were not changed"):
            cached = self._caches.templates["pos"].peek()
            if cached is not None:
                _find_template(name, cached)  # an unknown name fails before any request
            page: pages.PosPermissionsPage | None = None
            if current is not None:
                _current_keys(current, employee_id, pos_user_id)
                if current.pos_access is None:
                    raise ValidationError(
                        "current has no POS access: read it with get_employee(pos_access=True)",
                        field="current",
                    )
                record, access = current, current.pos_access
                templates = cached if cached is not None else self.list_permissions(scope="pos")
            else:
                internal = self._employee_id_of(employee_id, pos_user_id)
                page = self._pos_permissions_page(internal, step="read POS permissions")
                record, access, templates = self._stand_in(internal), page.access, page.templates
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
        plan: EmployeeChangePlan[PosPermissionsSet] = EmployeeChangePlan(
            operation="set POS template",
            employee_id=record.employee_id,
            employee_name=record.full_name,
            changes=draft.changes,
            requests=tuple(requests),
            expected=((POS_ACCESS, (access.granted, access.overrides)),),
            arguments=(("template", name),),
            warnings=draft.warnings,
        )
        return plan, page

    def _apply_template(
        self,
        plan: EmployeeChangePlan[PosPermissionsSet],
        page: pages.PosPermissionsPage | None,
        report: Progress = no_progress,
    ) -> PosPermissionsSet:
        """``page``: the page the plan was made on just now (no conflict is possible)."""
        _check_plan(plan, "set POS template")
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
                page = self._pos_permissions_page(employee_id, step="read POS permissions")
            before = page.access
            if fresh and (before.granted, before.overrides) != dict(plan.expected).get(POS_ACCESS):
                planned = next((c.old for c in plan.changes), name)
                moved = (POS_ACCESS, planned, before.access)
                raise _conflict(employee_id, [moved], "the permissions were changed")
            draft = _draft_template(before, page.templates, page, name)
            if fresh and _news(draft.changes) != _news(plan.changes):
                differs = ("pos_template", _news(plan.changes), _news(draft.changes))
                raise _conflict(employee_id, [differs], "the template now differs")
            if not draft.changes:
                return PosPermissionsSet(
                    employee_id, draft.template.name, before, (), False, draft.warnings
                )
            data = pages.pos_permissions_post(page, draft.template, draft.grants, draft.overrides)
        unknown: BackofficeServerError | None = None
        report(f"Saving the POS template {draft.template.name}")
        try:
            answer = self._session.post(
                "/employee/permissions/update", data, step=step, follow=False
            )
            check_write(answer, expect_path="/employee", step=step, what="permission set")
        except BackofficeError as exc:
            if not isinstance(exc, BackofficeServerError) or not outcome_unknown(exc):
                exc.state = nothing
                raise
            unknown = exc
        with tenant_state(
            f"whether the POS permissions of employee {employee_id} were saved is unknown: "
            "read them before trying again"
            if unknown is not None
            else f"the POS permissions of employee {employee_id} were saved (the server "
            "accepted them) but reading them back failed"
        ):
            report("Reading the POS permissions back to verify")
            saved = self._pos_permissions_page(
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


# ---------------------------------------------------------------- module helpers


def _codes(site_ids: Iterable[int], codes: Mapping[int, str]) -> tuple[str, ...]:
    """The short codes of ``site_ids`` as the employee list shows them (alphabetical; a
    site without a code shows none)."""
    return tuple(sorted((c for i in site_ids if (c := codes.get(i))), key=str.casefold))


def _news(changes: Sequence[FieldChange]) -> tuple[tuple[str, FieldValue], ...]:
    return tuple((c.field, c.new) for c in changes)


def _check_unmoved(plan: EmployeeChangePlan[EmployeeUpdated], draft: _UpdateDraft) -> None:
    """Refuse when a field the plan changes is not what it was when planned, or when the
    change computed now differs from the reviewed one (e.g. "all" sites grew)."""
    planned_old = {c.field: c.old for c in plan.changes}
    moved = [
        (name, planned_old.get(name), draft.shown(name, draft.before[name]))
        for name, value in plan.expected
        if draft.before.get(name) != value
    ]
    if moved:
        raise _conflict(plan.employee_id, moved, "moved")
    if _news(draft.changes) != _news(plan.changes):
        planned_new = dict(_news(plan.changes))
        now_new = dict(_news(draft.changes))
        differ = [n for n in UPDATE_FIELDS if planned_new.get(n) != now_new.get(n)]
        changed = [(n, planned_new.get(n), now_new.get(n)) for n in differ]
        raise _conflict(plan.employee_id, changed, "would now change differently")


def _conflict(
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


def _differences(record: EmployeeRecord, after: Mapping[str, object]) -> list[str]:
    """The fields of ``record`` that are not what the write should have left."""
    found = _snapshot(record)
    return [name for name in _RECORD_FIELDS if found[name] != after[name]]


def _not_as_planned(employee_id: int, wrong: Sequence[str], step: str) -> BackofficeServerError:
    fields = ", ".join(wrong)
    return BackofficeServerError(
        f"employee {employee_id} was updated, but not as planned: {fields} differ from the "
        "plan on the read-back",
        step=step,
        state=f"employee {employee_id} was updated, but not as planned ({fields}): read it "
        "(get_employee) and check",
    )


def _draft_wage(
    employee_id: int, history: Sequence[Wage], today: date, args: Mapping[str, object]
) -> _WageDraft:
    if not history:
        raise ValidationError(
            f"employee {employee_id} has no wage yet: the first wage is set on hire (it is "
            "locked to the start date)",
            field="effective_date",
        )
    latest = history[0]
    earliest = date.fromordinal(latest.effective_date.toordinal() + 1)
    effective = cast("date | None", args.get("effective_date")) or today
    if effective < earliest:
        raise ValidationError(
            f"effective_date {effective} is on or before the latest wage's "
            f"({latest.effective_date}): the Back Office would silently ignore it; the "
            f"earliest allowed date is {earliest}",
            field="effective_date",
        )
    rate = cast("Decimal", args["rate"])
    keep = True if "overtime_rate" in args else latest.overtime_eligible
    eligible = cast("bool", args.get("overtime_eligible", keep))
    overtime = cast("Decimal | None", args.get("overtime_rate"))
    if eligible and overtime is None:
        overtime = validation.default_overtime(rate)
    wage = Wage(
        hourly=latest.hourly,
        rate=rate,
        overtime_eligible=eligible,
        overtime_rate=overtime if eligible else None,
        effective_date=effective,
    )
    changes = [FieldChange("rate", latest.rate, rate)]
    if eligible != latest.overtime_eligible:
        changes.append(FieldChange("overtime_eligible", latest.overtime_eligible, eligible))
    if latest.overtime_rate is not None or wage.overtime_rate is not None:
        changes.append(FieldChange("overtime_rate", latest.overtime_rate, wage.overtime_rate))
    changes.append(FieldChange("effective_date", latest.effective_date, effective))
    return _WageDraft(wage, tuple(changes))


def _wage_post(page: pages.CompensationPage, wage: Wage) -> FormData:
    """The Add Wage form as a browser posts it with ``wage`` typed in."""
    data = page.serialize()
    data.set("employeeId", str(page.employee_id))
    data.set("wage[effectiveDate]", _us(wage.effective_date))
    data.set("wage[isHourly]", "1" if wage.hourly else "0")
    data.set("wage[regularRate]", str(wage.rate))
    data.remove("wage[isOvertimeEligible]")
    data.remove("wage[overtimeRate]")
    if wage.overtime_eligible and wage.overtime_rate is not None:
        data.add("wage[isOvertimeEligible]", "1")  # a checkbox: presence means yes
        data.add("wage[overtimeRate]", str(wage.overtime_rate))  # enabled once it is on
    return data


def _landed_history(
    answer: Page, doc: HtmlElement, employee_id: int
) -> pages.CompensationPage | None:
    """The history the wage post landed on, when it redirected to the employee's
    compensation page (one variant of the unknown redirect): it spares the read-back."""
    path = urlsplit(answer.url).path.rstrip("/")
    if not answer.redirects or path != f"/employee/compensation/{employee_id}":
        return None
    if find_form(doc, pages.COMPENSATION_FORM_ID) is None:
        return None
    try:
        return pages.parse_employee_compensation(doc)
    except BackofficeServerError:
        return None  # read it again, whole


def _stored(history: Sequence[Wage], wage: Wage) -> Wage | None:
    """The history's row that is ``wage`` (same date, type, rate and overtime)."""
    return next(
        (
            w
            for w in history
            if w.effective_date == wage.effective_date
            and w.hourly == wage.hourly
            and w.rate == wage.rate
            and w.overtime_eligible == wage.overtime_eligible
            and (not wage.overtime_eligible or w.overtime_rate == wage.overtime_rate)
        ),
        None,
    )


def _wage_dates(history: object) -> tuple[str, ...]:
    """A wage history value as the conflict shows it: "YYYY-MM-DD $rate" per wage (ISO,
    as every date is typed)."""
    rows = cast("tuple[tuple[object, ...], ...]", history or ())
    return tuple(f"{cast('date', row[0]).isoformat()} ${row[2]}" for row in rows)


def _find_template(name: str, templates: Sequence[Permission]) -> Permission:
    template = names.find_template(name, templates)
    if template is None:
        raise UnknownNameError(
            f"unknown POS template {name!r}; valid: {names.template_names(templates)}",
            field="template",
        )
    return template


def _draft_template(
    access: PosAccess,
    templates: Sequence[Permission],
    page: pages.PosPermissionsPage | None,
    name: str,
) -> _TemplateDraft:
    """The sets the template gives (as the page shows the template and its matrix)."""
    template = _find_template(name, templates)
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
