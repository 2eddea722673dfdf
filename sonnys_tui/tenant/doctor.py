"""The tenant's door to ``doctor``: every page checked, read only (GET after login)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sonnys_tui.backoffice.doctor import DoctorReport, run_doctor

if TYPE_CHECKING:
    from sonnys_tui.tenant.store import Tenant

__all__ = ["DoctorReport", "check_tenant"]


def check_tenant(tenant: Tenant, *, progress: Callable[[str], None] | None = None) -> DoctorReport:
    """What will work on ``tenant``: the same comparison every write makes before its POST,
    run on every page the tool reads or posts to. Writes nothing."""
    return run_doctor(tenant.client, tenant=tenant.name, progress=progress)
