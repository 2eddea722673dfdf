"""Back Office users and access, offboarding, and whether an e-mail is free."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Literal

from sonnys_tui.backoffice.models.employees import (
    BackofficeUserRow,
    EmployeeDisabled,
    EmployeeEnabled,
    Secret,
)


@dataclass(frozen=True, slots=True)
class BackofficeAccess:
    """What a Back Office user may do and where, as its permissions page shows it.

    ``template`` is the short name (``admin``, ``manager``, ``user``…) of the template
    whose tokens the user has exactly, ``"Custom"`` when none matches, ``"None"`` when
    nothing is enabled. ``all_sites`` is the "all regions / all sites" switch (every
    site, present and future); ``site_ids``/``sites`` are the accessible sites now.
    """

    user_id: int
    template: str
    template_description: str  # e.g. "Administrator" ("" for Custom/None)
    tokens: frozenset[str] = field(repr=False)  # ~105 of them: not in the repr
    all_sites: bool
    site_ids: frozenset[int]
    sites: tuple[str, ...]  # long names, in the site tree's order


@dataclass(frozen=True, slots=True)
class BackofficeUser:
    """The full record of one Back Office user: its edit page and its permissions page."""

    user_id: int
    username: str
    email: str
    first_name: str
    last_name: str
    employee_id: int | None  # the linked employee; None for a standalone user
    active: bool
    access: BackofficeAccess
    phone: str = ""  # as the user list shows it ("" when the list was not read)

    @property
    def template(self) -> str:
        return self.access.template

    @property
    def all_sites(self) -> bool:
        return self.access.all_sites

    @property
    def site_ids(self) -> frozenset[int]:
        return self.access.site_ids

    @property
    def sites(self) -> tuple[str, ...]:
        return self.access.sites

    def as_row(self) -> BackofficeUserRow:
        """The user as the user list shows it."""
        return BackofficeUserRow(
            self.user_id,
            self.first_name,
            self.last_name,
            self.username,
            self.phone,
            self.email,
            self.active,
        )


@dataclass(frozen=True, slots=True)
class _BackofficeUserStatus:
    """What a Back Office user's disable and enable results both say of the user."""

    ACTIVE: ClassVar[bool]  # how the user list shows the user after it

    user_id: int
    username: str
    email: str
    first_name: str
    last_name: str
    phone: str
    employee_id: int | None

    def as_row(self) -> BackofficeUserRow:
        """The user as the user list now shows it."""
        return BackofficeUserRow(
            self.user_id, self.first_name, self.last_name, self.username, self.phone,
            self.email, self.ACTIVE,
        )  # fmt: skip


@dataclass(frozen=True, slots=True)
class BackofficeUserDisabled(_BackofficeUserStatus):
    """A Back Office user made inactive, verified by reading its edit page back
    (``already``: it was inactive, nothing was written)."""

    ACTIVE: ClassVar[bool] = False
    disabled_at: datetime  # UTC
    already: bool = False


@dataclass(frozen=True, slots=True)
class BackofficeUserEnabled(_BackofficeUserStatus):
    """A Back Office user made active again, verified (``already``: it was active)."""

    ACTIVE: ClassVar[bool] = True
    enabled_at: datetime  # UTC
    already: bool = False


@dataclass(frozen=True, slots=True)
class BackofficePermissionsSet:
    """A user's template and accessible sites after a change, as read back
    (``already``: the user had exactly these, nothing was written). The user list shows
    neither, so there is no ``as_row``."""

    user_id: int
    username: str  # "" when the client has not listed the users (asked by user_id)
    template: str  # the applied template's short name ("Custom" when kept as it was)
    available_sites: tuple[str, ...] | Literal["all"]
    access: BackofficeAccess
    already: bool = False


@dataclass(frozen=True, slots=True)
class PasswordReset:
    """A Back Office user's new password. The server accepted it; a password cannot be
    read back, so the check is that the rest of the user reads back unchanged."""

    user_id: int
    username: str
    password: Secret
    reset_at: datetime  # UTC


# One verified status write of an offboarding or a reinstatement.
StatusChange = EmployeeDisabled | EmployeeEnabled | BackofficeUserDisabled | BackofficeUserEnabled


@dataclass(frozen=True, slots=True)
class Offboarded:
    """Everything an offboarding closed: the employee (its POS login) and every Back
    Office user linked to it, each verified. Each part says ``already`` when it was
    inactive before (nothing written); ``already`` here means nothing was written at all.
    ``backoffice_checked`` is False when the call was told to leave the logins alone."""

    employee: EmployeeDisabled
    backoffice_users: tuple[BackofficeUserDisabled, ...] = ()
    backoffice_checked: bool = True

    @property
    def already(self) -> bool:
        return self.employee.already and all(user.already for user in self.backoffice_users)

    def rows(self) -> tuple[BackofficeUserRow, ...]:
        """The linked users as the user list now shows them."""
        return tuple(user.as_row() for user in self.backoffice_users)


@dataclass(frozen=True, slots=True)
class Reinstated:
    """The mirror of :class:`Offboarded`: the employee enabled and, when asked, its Back
    Office users too (``backoffice_users`` is empty when they were left inactive)."""

    employee: EmployeeEnabled
    backoffice_users: tuple[BackofficeUserEnabled, ...] = ()

    @property
    def already(self) -> bool:
        return self.employee.already and all(user.already for user in self.backoffice_users)

    def rows(self) -> tuple[BackofficeUserRow, ...]:
        """The re-enabled users as the user list now shows them."""
        return tuple(user.as_row() for user in self.backoffice_users)


AvailabilityState = Literal["free", "taken", "unknown"]


@dataclass(frozen=True, slots=True)
class EmailAvailability:
    """What the client can say about an e-mail, and why (:meth:`email_availability`).

    ``"taken"``: an active employee, a Back Office user, an employee whose edit page
    the client has read (an inactive one included), or a write the server refused as
    a duplicate, has it. ``"unknown"``: no active employee nor Back Office user has
    it, but the server keeps the e-mails of inactive employees taken and lists them
    nowhere, so one of those may have it (the server then refuses the hire or the
    change). The client never answers ``"free"`` for an e-mail: nothing it can read
    proves one free. ``state`` is an :data:`AvailabilityState`, the vocabulary POS
    User IDs and phones share (for those, "free" is an answer).
    """

    state: AvailabilityState
    reason: str
