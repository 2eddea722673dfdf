"""Disabling and enabling employees: a full-form round trip on the edit page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sonnys_tui.backoffice import formcheck, pages, validation
from sonnys_tui.backoffice.core import (
    Part,
    check_employee_id,
    check_write,
    logger,
    tenant_state,
    write_attempt,
)
from sonnys_tui.backoffice.discovery import Discovery
from sonnys_tui.backoffice.errors import (
    NOTHING_WRITTEN,
    BackofficeServerError,
)
from sonnys_tui.backoffice.models import EmployeeDisabled, EmployeeEnabled, EmployeeRecord


def status_facts(
    record: EmployeeRecord, email: str | None = None
) -> tuple[int, int | None, str | None, datetime]:
    """What an employee's disable or enable result says first, in its fields' order:
    the ids, the e-mail (``email`` when the employee was found by it, else the
    record's) and when (now, UTC)."""
    return record.employee_id, record.pos_user_id, email or record.email or None, datetime.now(UTC)


@dataclass(eq=False)
class StatusChanges(Part):
    """The disable and enable operations of :class:`SonnysBackofficeClient`."""

    reads: Discovery

    def disable_employee(
        self,
        *,
        pos_user_id: int | None = None,
        email: str | None = None,
        employee_id: int | None = None,
    ) -> EmployeeDisabled:
        """Disable one employee (exactly one lookup key) by a full-form round trip.

        Already inactive: nothing is written and the result says ``already=True``.
        """
        key, employee, already = self._set_active(False, pos_user_id, email, employee_id)
        return EmployeeDisabled(*status_facts(employee, email if key == "email" else None), already)

    def enable_employee(
        self,
        *,
        pos_user_id: int | None = None,
        email: str | None = None,
        employee_id: int | None = None,
    ) -> EmployeeEnabled:
        """Re-enable one employee (mirror of :meth:`disable_employee`)."""
        key, employee, already = self._set_active(True, pos_user_id, email, employee_id)
        return EmployeeEnabled(*status_facts(employee, email if key == "email" else None), already)

    def _set_active(
        self, active: bool, pos_user_id: int | None, email: str | None, employee_id: int | None
    ) -> tuple[str, EmployeeRecord, bool]:
        key, edit = self._status_page(active, pos_user_id, email, employee_id)
        record, already = self._write_status(edit, active)
        return key, record, already

    def _status_page(
        self, active: bool, pos_user_id: int | None, email: str | None, employee_id: int | None
    ) -> tuple[str, pages.EmployeeEditPage]:
        """The one lookup key given, and the edit page of its employee (nothing written)."""
        verb = "enable" if active else "disable"
        key, _value = validation.exactly_one(
            pos_user_id=pos_user_id, email=email, employee_id=employee_id
        )
        if pos_user_id is not None:
            validation.pos_user_id(pos_user_id)
        if email is not None:
            validation.email(email)
        if employee_id is not None:
            check_employee_id(employee_id)
        step = f"{verb} employee"
        with tenant_state(f"{NOTHING_WRITTEN}: the employee was not {verb}d"):
            cached_id = self._cached_employee_id(pos_user_id)
            internal_id = cached_id or self.reads._resolve_employee_id(
                pos_user_id, email, employee_id
            )
            edit = self.reads._edit_page(internal_id, step=step)
            if cached_id is not None and edit.record.pos_user_id != pos_user_id:
                # The roster cache was wrong about this POS User ID: ask the server.
                internal_id = self.reads._resolve_employee_id(pos_user_id, email, employee_id)
                edit = self.reads._edit_page(internal_id, step=step)
        return key, edit

    def _write_status(
        self, edit: pages.EmployeeEditPage, active: bool
    ) -> tuple[EmployeeRecord, bool]:
        """Post ``edit`` back with the status set, verified by reading it back; the
        record read back and whether it was already so (then nothing is written)."""
        verb = "enable" if active else "disable"
        step = f"{verb} employee"
        internal_id = edit.record.employee_id
        if edit.record.active == active:
            return edit.record, True
        formcheck.require(edit.page.form, formcheck.EMPLOYEE_EDIT, step=step, tree=edit.page.tree)
        data = edit.page.serialize(edit=True)
        if active:
            data.set("employee[isActive]", "1")
        else:
            # Symfony binds a checkbox by presence: "0" would keep the employee active.
            data.remove("employee[isActive]")
        not_done = f"{NOTHING_WRITTEN}: employee {internal_id} was not {verb}d"
        with write_attempt(not_done) as attempt:
            result = self._session.post("/employee/update", data, step=step, follow=False)
            check_write(result, expect_path="/employee", step=step, what="employee status")
        if attempt.unknown is not None:
            with tenant_state(
                f"whether employee {internal_id} was {verb}d is unknown: read it before retrying"
            ):
                record = self.reads._edit_page(internal_id, step=step).record
            if record.active != active:
                attempt.unknown.state = not_done
                raise attempt.unknown
            logger.debug("%s outcome reconciled: it took effect", verb)
        with tenant_state(
            f"employee {internal_id} was {verb}d (the server accepted it) but reading back failed"
        ):
            record = self.reads._edit_page(internal_id, step=f"verify {verb}").record
        if record.active != active:
            raise BackofficeServerError(
                f"employee {internal_id} is still {'inactive' if active else 'active'} after the "
                f"{verb} was accepted (the form may have changed)",
                step=step,
                state=not_done,
            )
        # Updated in place, not dropped: re-reading the roster or /user/create costs a
        # request. The e-mail stays taken (the server keeps it): the edit page taught it.
        self._caches.remember_status(record, datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"))
        return record, False

    def _cached_employee_id(self, pos_user_id: int | None) -> int | None:
        """The internal id of a POS User ID from the roster cache, when it is warm.

        POS User IDs stay reserved after an employee is disabled, so the mapping
        never changes; the caller still checks it against the edit page it reads.
        """
        roster = self._caches.roster.peek()
        if pos_user_id is None or not roster:
            return None
        return next(
            (row.employee_id for row in roster.values() if row.pos_user_id == pos_user_id),
            None,
        )
