"""That package's client, built on ours: see the package docstring."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import httpx

from sonnys_tui.backoffice import names, validation
from sonnys_tui.backoffice.client import DEFAULT_DEPARTMENT
from sonnys_tui.backoffice.client import SonnysBackofficeClient as NativeClient
from sonnys_tui.backoffice.compat.results import (
    ACTIVATED,
    COMPENSATION,
    DEACTIVATED,
    MODIFY_FIELDS,
    PERMISSION,
    PROPERTIES,
    Employee,
    EmployeeCompensation,
    EmployeeModified,
    EmployeeProfile,
    Part,
    Sites,
    Written,
    check_active,
    default_wage_date,
    last_ten_digits,
    name_key,
    note_written,
    profile_of,
    their_field_names,
    wage_day,
)
from sonnys_tui.backoffice.errors import (
    AmbiguousMatchError,
    BackofficeError,
    NotFoundError,
    ValidationError,
)
from sonnys_tui.backoffice.models import (
    ActiveFilter,
    EmployeeChangePlan,
    EmployeeCreated,
    EmployeeRecord,
    EmployeeRow,
    EmployeeUpdated,
    PosAccess,
    PosPermissionsSet,
    WageAdded,
)
from sonnys_tui.backoffice.relay import Relay


def _passed_on(arguments: dict[str, Any], **changed: Any) -> dict[str, Any]:
    """A call's own arguments, to pass on to ours as they are but for ``changed``:
    ``arguments`` is ``locals()`` taken before the call assigns anything (its
    parameters, given or defaulted, under their names, which are ours too)."""
    return {name: value for name, value in arguments.items() if name != "self"} | changed


class SonnysBackofficeClient:
    """That package's client, on ours. Same constructor (plus ``base_url`` and
    ``transport``, as ours), context manager, calls and defaults.

    The calls that are ours as they are (same names and defaults; ours may take more)
    are our client's own methods, relayed (:class:`~sonnys_tui.backoffice.relay.Relay`:
    their signature and docstring are ours): ``list_sites``, ``list_departments``,
    ``list_permissions`` (templates; ``.grants``/``.overrides`` are the POS permission
    ids), ``is_email_available``, ``is_phone_available``, ``disable_employee`` (ours:
    an employee already inactive is not written, ``result.already``) and
    ``create_backoffice_user`` (ours: the template and the sites are applied and
    verified; that package leaves them to be set by hand)."""

    native: NativeClient

    def __init__(
        self,
        *,
        subdomain: str,
        username: str,
        password: str,
        timeout: float = 30.0,
        user_agent: str | None = None,
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.native = NativeClient(**_passed_on(locals()))

    @classmethod
    def wrap(cls, native: NativeClient) -> SonnysBackofficeClient:
        """These calls on a client of ours already made (its session and caches shared)."""
        if not isinstance(native, NativeClient):
            raise ValidationError("native must be a SonnysBackofficeClient", field="native")
        client = object.__new__(cls)
        client.native = native
        return client

    def __repr__(self) -> str:
        return f"compat.{self.native!r}"

    def __enter__(self) -> SonnysBackofficeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.native.close()

    # ------------------------------------------------------------ discovery (ours as is)

    list_sites = Relay("native", NativeClient.list_sites)
    list_departments = Relay("native", NativeClient.list_departments)
    list_permissions = Relay("native", NativeClient.list_permissions)

    def pos_user_id_exists(self, pos_user_id: int) -> bool:
        """True if any employee, active or not, has this POS User ID (ids stay reserved
        after a disable). One exact search on the server every call (live); when it
        finds no one, the active employees the list hides (no available site) are
        looked at too: read once per client (the roster, ``/user/create`` and one edit
        page per hidden employee), then from memory."""
        wanted = validation.pos_user_id(pos_user_id)
        if self.native.search_employees(pos_user_id=wanted, active="all"):
            return True
        return self.native.find_hidden_employee(wanted) is not None

    def is_pos_user_id_available(self, pos_user_id: int, *, refresh: bool = False) -> bool:
        """``not pos_user_id_exists(...)``: live, so ``refresh`` changes nothing."""
        return not self.pos_user_id_exists(pos_user_id)

    is_email_available = Relay("native", NativeClient.is_email_available)
    is_phone_available = Relay("native", NativeClient.is_phone_available)

    # ------------------------------------------------------------ employees: reads

    def list_employees(self, *, active: ActiveFilter = "active") -> list[EmployeeRow]:
        """The roster, read live (rows carry ``is_active``)."""
        return self.native.list_employees(active=check_active(active), refresh=True)

    def search_employees(
        self,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        pos_user_id: int | None = None,
        active: ActiveFilter = "active",
    ) -> list[EmployeeRow]:
        """The server's own filters: names by case-insensitive prefix, the POS User ID
        exact, all given ones together."""
        return self.native.search_employees(**_passed_on(locals(), active=check_active(active)))

    def find_employees(
        self, *, first_name: str, last_name: str, active: ActiveFilter = "active"
    ) -> list[EmployeeRow]:
        """Every employee whose first and last names equal these (trimmed, any case)."""
        first = name_key(first_name, field="first_name")
        last = name_key(last_name, field="last_name")
        rows = self.native.search_employees(
            first_name=first_name.strip(), last_name=last_name.strip(), active=check_active(active)
        )
        return [
            row
            for row in rows
            if row.first_name.strip().casefold() == first
            and row.last_name.strip().casefold() == last
        ]

    def find_employee(
        self,
        *,
        first_name: str,
        last_name: str,
        phone: str | None = None,
        active: ActiveFilter = "active",
    ) -> EmployeeRow:
        """The one employee of this name; when several share it, the one whose phone
        ends in the same ten digits as ``phone``. Never a guess: none is
        :class:`NotFoundError`, several is :class:`AmbiguousMatchError` naming their POS
        User IDs."""
        if phone is not None and not isinstance(phone, str):
            raise ValidationError("phone must be text", field="phone")
        matches = self.find_employees(first_name=first_name, last_name=last_name, active=active)
        who = f"{first_name.strip()} {last_name.strip()}"
        if not matches:
            raise NotFoundError(
                f"no employee named {who!r} (employees: {active})", field="last_name"
            )
        if len(matches) == 1:
            return matches[0]
        if phone is not None and (digits := last_ten_digits(phone)):
            same = [row for row in matches if last_ten_digits(row.phone) == digits]
            if len(same) == 1:
                return same[0]
            matches = same or matches
        ids = tuple(row.pos_user_id for row in matches)
        listed = ", ".join("none" if i is None else str(i) for i in ids)
        raise AmbiguousMatchError(
            f"{len(matches)} employees are named {who!r}"
            + (" and the phone does not single one out" if phone is not None else "")
            + f": POS User IDs {listed}; pass a phone, or use the POS User ID",
            candidates=ids,
            field="phone" if phone is not None else "last_name",
        )

    def _record(
        self, pos_user_id: int | None, email: str | None, *, wages: bool, pos_access: bool
    ) -> EmployeeRecord:
        employee_id = self.native.employee_id_for(pos_user_id=pos_user_id, email=email)
        return self.native.get_employee(employee_id, wages=wages, pos_access=pos_access)

    def _every_site(self) -> frozenset[int]:
        return frozenset(site.id for site in self.native.list_sites())

    def get_employee(self, *, pos_user_id: int | None = None, email: str | None = None) -> Employee:
        """Everything about one employee, read live (exactly one key). An e-mail finds
        active employees only: look an inactive one up by POS User ID."""
        record = self._record(pos_user_id, email, wages=True, pos_access=True)
        wages = list(record.wages or ())
        assert record.pos_access is not None  # asked for above
        return profile_of(
            Employee,
            record,
            self._every_site(),
            current_wage=record.current_wage,
            wage_history=wages,
            permission=record.pos_access,
        )

    def get_employee_profile(
        self, *, pos_user_id: int | None = None, email: str | None = None
    ) -> EmployeeProfile:
        """The edit page only (no wages, no permissions)."""
        record = self._record(pos_user_id, email, wages=False, pos_access=False)
        return profile_of(EmployeeProfile, record, self._every_site())

    def get_employee_compensation(
        self, *, pos_user_id: int | None = None, email: str | None = None
    ) -> EmployeeCompensation:
        record = self._record(pos_user_id, email, wages=True, pos_access=False)
        return EmployeeCompensation(current=record.current_wage, history=list(record.wages or ()))

    def get_employee_permission(
        self, *, pos_user_id: int | None = None, email: str | None = None
    ) -> PosAccess:
        record = self._record(pos_user_id, email, wages=False, pos_access=True)
        assert record.pos_access is not None  # asked for above
        return record.pos_access

    # ------------------------------------------------------------ employees: writes

    def _with_greeter(self, departments: Sequence[str] | None) -> Sequence[str] | None:
        """That package always adds the Greeter department (when the tenant has one)."""
        if departments is None or isinstance(departments, str):
            return departments  # ours decides (None: Greeter; a string: refused)
        given = list(departments)
        keys = {d.strip().casefold() for d in given if isinstance(d, str)}
        greeter = DEFAULT_DEPARTMENT.casefold()
        if greeter in keys:
            return given
        tenant = {d.name.casefold(): d.name for d in self.native.list_departments()}
        return [*given, tenant[greeter]] if greeter in tenant else given

    def create_employee(
        self,
        *,
        first_name: str,
        last_name: str,
        phone: str,
        email: str,
        pos_user_id: int,
        wage_rate: Decimal | float,
        start_date: date | datetime,
        available_sites: Sites,
        permission: str,
        pos_pin: int | None = None,
        overtime_wage_rate: Decimal | float | None = None,
        departments: Sequence[str] | None = None,
        adp_employee_id: str | None = None,
        emergency_contact_name: str | None = None,
        emergency_contact_phone: str | None = None,
        requires_backoffice: bool = False,
        backoffice_username: str | None = None,
        backoffice_password: str | None = None,
        backoffice_permission: str = "user",
    ) -> EmployeeCreated:
        """Our hire (duplicates checked, every step verified). Differences kept: an
        unknown POS template falls back to "General User" with a warning; the linked
        Back Office user gets its template (``backoffice_permission``) and sites."""
        with their_field_names({}):
            return self.native.create_employee(
                **_passed_on(locals(), departments=self._with_greeter(departments))
            )

    # Ours as they are: what ours does differently is in the class docstring.
    disable_employee = Relay("native", NativeClient.disable_employee)
    create_backoffice_user = Relay("native", NativeClient.create_backoffice_user)

    def modify_employee(
        self,
        *,
        pos_user_id: int | None = None,
        email: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        phone: str | None = None,
        new_email: str | None = None,
        departments: Sequence[str] | None = None,
        available_sites: Sites | None = None,
        adp_employee_id: str | None = None,
        emergency_contact_name: str | None = None,
        emergency_contact_phone: str | None = None,
        wage_rate: Decimal | float | None = None,
        overtime_wage_rate: Decimal | float | None = None,
        wage_effective_date: date | datetime | None = None,
        permission: str | None = None,
        activate: bool | None = None,
    ) -> EmployeeModified:
        """Change any of one employee's fields, wage, POS template and status at once.

        Exactly one lookup key (``pos_user_id``, or ``email`` of an active employee).
        Every part is planned on one read of the employee (arguments, names, a free new
        e-mail or phone, the wage date, the template) before anything is written; then
        ``activate=True`` first, the fields, the wage, the template, ``activate=False``
        last, each applied with a conflict check and read back. Should a part fail, the
        error's ``state`` says which parts before it were written.

        The wage: without ``wage_effective_date`` it takes effect today, or the day
        after the latest wage when that is today or later (a warning says so); a date on
        or before the latest wage's is refused (:class:`ValidationError`), not moved.
        The overtime eligibility stays as the latest wage has it (an
        ``overtime_wage_rate`` makes it eligible); eligible overtime defaults to 1.5x.
        """
        validation.exactly_one(pos_user_id=pos_user_id, email=email)
        if activate is not None and not isinstance(activate, bool):
            raise ValidationError("activate must be True, False or None", field="activate")
        if wage_rate is None:
            for name, value in (
                ("overtime_wage_rate", overtime_wage_rate),
                ("wage_effective_date", wage_effective_date),
            ):
                if value is not None:
                    raise ValidationError(f"{name} was given without wage_rate", field=name)
        effective = wage_day(wage_effective_date, field="wage_effective_date")
        properties: dict[str, Any] = {  # under our names: their new_email is our email
            "first_name": first_name,
            "last_name": last_name,
            "phone": phone,
            "email": new_email,
            "departments": departments,
            "available_sites": available_sites,
            "adp_employee_id": adp_employee_id,
            "emergency_contact_name": emergency_contact_name,
            "emergency_contact_phone": emergency_contact_phone,
        }
        change_properties = any(value is not None for value in properties.values())
        if not (change_properties or wage_rate is not None or permission is not None) and (
            activate is None
        ):
            raise ValidationError(
                "nothing to change: give at least one field to change", field="fields"
            )
        warnings: list[str] = []
        with their_field_names(MODIFY_FIELDS):
            record = self._record(
                pos_user_id, email, wages=wage_rate is not None, pos_access=permission is not None
            )
            # 1. Every part planned on that one read: nothing is written yet.
            update: EmployeeChangePlan[EmployeeUpdated] | None = None
            wage: EmployeeChangePlan[WageAdded] | None = None
            template: EmployeeChangePlan[PosPermissionsSet] | None = None
            if change_properties:
                update = self.native.plan_update_employee(
                    current=record,
                    **properties | {"departments": self._with_greeter(departments)},
                )
            if wage_rate is not None:
                wage = self.native.plan_add_wage(
                    current=record,
                    rate=wage_rate,
                    effective_date=effective or default_wage_date(record, warnings),
                    overtime_rate=overtime_wage_rate,
                )
            if permission is not None:
                template = self.native.plan_set_pos_permissions(current=record, template=permission)
        # 2. Applied in order, each verified; what is done is said if a later part fails.
        results: list[Written] = []
        applied: list[str] = []
        employee_id = record.employee_id
        try:
            if activate is True:
                enabled = self.native.enable_employee(employee_id=employee_id)
                note_written(results, applied, warnings, enabled, ACTIVATED, enabled.already)
            if update is not None:
                self._apply(PROPERTIES, update, results, applied, warnings)
            if wage is not None:
                self._apply(COMPENSATION, wage, results, applied, warnings)
            if template is not None:
                self._apply(PERMISSION, template, results, applied, warnings)
            if activate is False:
                disabled = self.native.disable_employee(employee_id=employee_id)
                note_written(results, applied, warnings, disabled, DEACTIVATED, disabled.already)
        except BackofficeError as exc:
            if applied:
                exc.state = (
                    f"employee {employee_id}: {', '.join(applied)} written and verified; "
                    + (exc.state or "the rest was not")
                )
            raise
        added = next((r for r in results if isinstance(r, WageAdded)), None)
        return EmployeeModified(
            employee_id=employee_id,
            changes_applied=applied,
            permission_applied=self._template_name(template, results),
            wage_rate=added.wage.rate if added else None,
            wage_effective_date=added.wage.effective_date if added else None,
            warnings=list(dict.fromkeys(warnings)),
            results=tuple(results),
        )

    def _apply(
        self,
        label: str,
        plan: EmployeeChangePlan[Part],
        results: list[Written],
        applied: list[str],
        warnings: list[str],
    ) -> None:
        """Apply one part (re-read, conflict check, write, read back); an empty plan
        (already as asked) is not written."""
        warnings.extend(plan.warnings)
        if plan.is_empty:
            warnings.append(f"{label}: already as asked, nothing was written")
            return
        with their_field_names(MODIFY_FIELDS):
            result = self.native.apply_change(plan)
        note_written(results, applied, warnings, result, label, False)

    def _template_name(
        self,
        plan: EmployeeChangePlan[PosPermissionsSet] | None,
        results: Sequence[object],
    ) -> str | None:
        """The template's own name (the one applied, or already in place)."""
        if plan is None:
            return None
        done = next((r for r in results if isinstance(r, PosPermissionsSet)), None)
        if done is not None:
            return done.template
        asked = str(dict(plan.arguments)["template"])
        found = names.find_template(asked, self.native.list_permissions(scope="pos"))
        return found.name if found is not None else asked
