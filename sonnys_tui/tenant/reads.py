"""The tenant's server reads and plans: what the screens, the shell and bulk ask the
server (or the client's own caches) for, and plans that write nothing. They pass
through to the client, so that nothing outside the tenant layer reaches for it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar, Unpack

from sonnys_tui.backoffice.models import (
    BackofficeUser,
    BackofficeUserRow,
    EmailAvailability,
    EmployeeChangePlan,
    EmployeeRecord,
    EmployeeRow,
    EmployeeUpdated,
    PosPermissionsSet,
    Site,
    UpdateRequest,
    WageAdded,
)
from sonnys_tui.lookup import Query, search_server

if TYPE_CHECKING:
    from sonnys_tui.backoffice.client import SonnysBackofficeClient
    from sonnys_tui.backoffice.review import AccessReview

R = TypeVar("R", EmployeeUpdated, WageAdded, PosPermissionsSet)
Progress = Callable[[str], None]


class ServerReads:
    """The :class:`~sonnys_tui.tenant.Tenant`'s reads that ask the server, and its plans."""

    if TYPE_CHECKING:

        @property
        def client(self) -> SonnysBackofficeClient: ...

    def read_employee(
        self,
        employee_id: int | None = None,
        *,
        pos_user_id: int | None = None,
        wages: bool = True,
        pos_access: bool = True,
    ) -> EmployeeRecord:
        """One employee's whole record from the server (the client's ``get_employee``:
        ``wages=False`` / ``pos_access=False`` leave out the pages they cost)."""
        return self.client.get_employee(
            employee_id, pos_user_id=pos_user_id, wages=wages, pos_access=pos_access
        )

    def read_backoffice_user(
        self, user_id: int | None = None, *, username: str | None = None
    ) -> BackofficeUser:
        """One Back Office user (by id or by username), whole: its template and
        accessible sites."""
        return self.client.get_backoffice_user(user_id=user_id, username=username)

    def linked_backoffice_users(self, employee_id: int) -> list[BackofficeUserRow]:
        """Every Back Office user linked to the employee, each confirmed by its edit page."""
        return self.client.linked_backoffice_users(employee_id=employee_id)

    def search_server(self, query: Query) -> list[EmployeeRow]:
        """Answer ``query`` with the server's own search, without the roster."""
        return search_server(self.client, query)

    def pos_user_id_rows(self, pos_user_id: int) -> list[EmployeeRow]:
        """The employees the server finds with this POS User ID (an exact search,
        never cached: the authoritative answer whatever the roster says)."""
        return self.client.search_employees(pos_user_id=pos_user_id)

    def read_sites(self) -> tuple[Site, ...]:
        """The sites, names with their codes, as the client has them (read once)."""
        return tuple(self.client.list_sites())

    def read_roster(self, *, refresh: bool = False) -> list[EmployeeRow]:
        """The roster as the client has it (read once, then from its memory;
        ``refresh`` reads it again). The tenant's own list is :meth:`employees`."""
        return self.client.list_employees(refresh=refresh)

    def email_availability(self, email: str, *, refresh: bool = False) -> EmailAvailability:
        """Whether the e-mail is known to be taken, or unknown (never proven free)."""
        return self.client.email_availability(email, refresh=refresh)

    def is_pos_user_id_available(self, pos_user_id: int) -> bool:
        return self.client.is_pos_user_id_available(pos_user_id)

    def is_phone_available(self, phone: str, *, refresh: bool = False) -> bool:
        return self.client.is_phone_available(phone, refresh=refresh)

    def next_free_pos_user_id(self, start: int | None = None) -> int:
        """The lowest free POS User ID >= ``start`` (default: the highest used + 1)."""
        return self.client.next_free_pos_user_id(start)

    def plan_update_employee(
        self,
        *,
        employee_id: int | None = None,
        current: EmployeeRecord | None = None,
        **changes: Unpack[UpdateRequest],
    ) -> EmployeeChangePlan[EmployeeUpdated]:
        """The update ``changes`` (one :class:`UpdateRequest`, or its keys) would
        make, on ``current`` when given (no request) else on a fresh read; nothing written."""
        return self.client.plan_update_employee(employee_id=employee_id, current=current, **changes)

    def plan_add_wage(
        self,
        *,
        employee_id: int | None = None,
        current: EmployeeRecord | None = None,
        rate: Decimal | float | int | str,
        effective_date: date | datetime | None = None,
        overtime_rate: Decimal | float | int | str | None = None,
    ) -> EmployeeChangePlan[WageAdded]:
        """The wage the plan would add (on ``current`` when given); nothing written."""
        return self.client.plan_add_wage(
            employee_id=employee_id,
            current=current,
            rate=rate,
            effective_date=effective_date,
            overtime_rate=overtime_rate,
        )

    def plan_set_pos_permissions(
        self,
        *,
        employee_id: int | None = None,
        current: EmployeeRecord | None = None,
        template: str,
    ) -> EmployeeChangePlan[PosPermissionsSet]:
        """The POS template change (empty when they have exactly its permissions)."""
        return self.client.plan_set_pos_permissions(
            employee_id=employee_id, current=current, template=template
        )

    def replan(
        self, plan: EmployeeChangePlan[R], *, current: EmployeeRecord | None = None
    ) -> EmployeeChangePlan[R]:
        """The same change planned again on the record as it is now (after a conflict)."""
        return self.client.replan(plan, current=current)

    def review_access(
        self,
        *,
        permission_pages: int = 0,
        confirm_links: int = 0,
        refresh: bool = False,
        progress: Progress | None = None,
    ) -> AccessReview:
        """Who has Back Office access who should not (the client's review_access,
        from the lists it has; a read, so not audited)."""
        return self.client.review_access(
            permission_pages=permission_pages,
            confirm_links=confirm_links,
            refresh=refresh,
            progress=progress,
        )
