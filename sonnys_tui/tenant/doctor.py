"""The tenant's door to ``doctor``: every page checked, read only (GET after login)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sonnys_tui.backoffice.doctor import DoctorReport, run_doctor
from sonnys_tui.tenant.capture import save_capture

if TYPE_CHECKING:
    from sonnys_tui.tenant.store import Tenant

__all__ = ["DoctorReport", "check_tenant"]


def check_tenant(
    tenant: Tenant,
    *,
    progress: Callable[[str], None] | None = None,
    capture: Path | None = None,
) -> DoctorReport:
    """What will work on ``tenant``: the same comparison every write makes before its POST,
    run on every page the tool reads or posts to. Writes nothing on the tenant.

    ``capture``: also save the pages read there, scrubbed (:mod:`sonnys_tui.tenant.capture`).
    """
    report = run_doctor(tenant.client, tenant=tenant.name, progress=progress, capture=bool(capture))
    if capture is not None and report.capture is not None:
        save_capture(report.capture, capture, counts=report.counts)
    return report
