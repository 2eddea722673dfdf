"""The tenant's server reads and plans: what the screens, the shell and bulk ask the
server (or the client's own caches) for, and plans that write nothing. They pass
through to the client, so that nothing outside the tenant layer reaches for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, ParamSpec, TypeVar, cast, overload

from sonnys_tui.backoffice.models import (
    BackofficeUser,
    BackofficeUserRow,
    EmployeeRow,
    Site,
)
from sonnys_tui.lookup import Query, search_server

if TYPE_CHECKING:
    from sonnys_tui.backoffice.client import SonnysBackofficeClient

_P = ParamSpec("_P")
_T = TypeVar("_T")


class _Relay(Generic[_P, _T]):
    """A tenant method that is the method of the tenant's client that ``pick`` names
    (``lambda client: client.get_employee``): on a tenant it is the client's own bound
    method, on the class the client's function (for :func:`help`; that imports the
    client, which the tenant's import leaves out: it pulls in httpx). So it is typed as
    the client's method (mypy checks a call's arguments against the client's
    signature), shown as it, and a call adds no frame of its own (whose locals, the
    arguments, a traceback would show). It is :class:`sonnys_tui.backoffice.relay.Relay`
    one layer up, but names the method with a function rather than reading it off the
    client's class, which would import the client with the tenant."""

    def __init__(self, pick: Callable[[SonnysBackofficeClient], Callable[_P, _T]]) -> None:
        self._pick = pick

    @overload
    def __get__(self, tenant: None, owner: type) -> Callable[..., _T]: ...

    @overload
    def __get__(self, tenant: ServerReads, owner: type | None = None) -> Callable[_P, _T]: ...

    def __get__(
        self, tenant: ServerReads | None, owner: type | None = None
    ) -> Callable[..., _T] | Callable[_P, _T]:
        if tenant is None:
            from sonnys_tui.backoffice.client import SonnysBackofficeClient

            # The class's attributes are the functions its bound methods call.
            return self._pick(cast("SonnysBackofficeClient", SonnysBackofficeClient))
        return self._pick(tenant.client)


class ServerReads:
    """The :class:`~sonnys_tui.tenant.Tenant`'s reads that ask the server, and its plans.

    Most are the client's own methods, relayed (:class:`_Relay`: their signature and
    docstring are the client's); the others ask it something of their own."""

    if TYPE_CHECKING:

        @property
        def client(self) -> SonnysBackofficeClient: ...

    read_employee = _Relay(lambda client: client.get_employee)
    # The client's roster (read once, then from its memory; ``refresh`` reads it again).
    # The tenant's own list is :meth:`employees`.
    read_roster = _Relay(lambda client: client.list_employees)
    email_availability = _Relay(lambda client: client.email_availability)
    is_pos_user_id_available = _Relay(lambda client: client.is_pos_user_id_available)
    is_phone_available = _Relay(lambda client: client.is_phone_available)
    next_free_pos_user_id = _Relay(lambda client: client.next_free_pos_user_id)
    # Plans write nothing; a reviewed plan is written by :meth:`Writes.write_change`.
    plan_update_employee = _Relay(lambda client: client.plan_update_employee)
    plan_add_wage = _Relay(lambda client: client.plan_add_wage)
    plan_set_pos_permissions = _Relay(lambda client: client.plan_set_pos_permissions)
    replan = _Relay(lambda client: client.replan)
    # A read (from the lists the client has), so not audited.
    review_access = _Relay(lambda client: client.review_access)

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
