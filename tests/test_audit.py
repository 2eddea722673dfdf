from __future__ import annotations

import stat

import pytest

from sonnys_tui import audit
from sonnys_tui.backoffice.errors import NOTHING_WRITTEN, BackofficeServerError, DuplicateError


def test_successful_write_is_recorded() -> None:
    with audit.audited("east", "demo", "disable_employee", "pos_user_id=4411") as event:
        event.warnings.append("already inactive")
    [line] = audit.read()
    assert (line.profile, line.operation, line.target, line.outcome) == (
        "east",
        "disable_employee",
        "pos_user_id=4411",
        "ok",
    )
    assert line.warnings == ["already inactive"]
    assert stat.S_IMODE(audit.audit_path().stat().st_mode) == 0o600


def test_failed_and_partial_writes_are_recorded_and_reraised() -> None:
    with pytest.raises(ValueError), audit.audited("p", "t", "create_employee", "pos_user_id=1"):
        raise ValueError("phone must have 9 or 10 digits")
    partial = BackofficeServerError(
        "permissions page answered 500", state="employee 512 was created"
    )
    with pytest.raises(BackofficeServerError), audit.audited("p", "t", "create_employee", "x"):
        raise partial
    refused = DuplicateError(
        f"{NOTHING_WRITTEN}: POS User ID 4411 is in use", state=NOTHING_WRITTEN
    )
    with pytest.raises(DuplicateError), audit.audited("p", "t", "create_employee", "x"):
        raise refused
    failed, part, nothing = audit.read()
    assert failed.outcome == "failed" and "9 or 10 digits" in failed.error
    assert nothing.outcome == "failed"
    assert part.outcome == "partial" and "employee 512 was created" in part.error


def test_read_skips_damaged_lines_and_limits() -> None:
    for n in range(3):
        audit.record(audit.AuditEvent("p", "t", "op", f"target-{n}"))
    with audit.audit_path().open("a") as out:
        out.write("{broken\n")
    assert [e.target for e in audit.read(limit=3)] == ["target-1", "target-2"]
