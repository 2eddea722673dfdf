"""What every fault matrix shares: the faults tried on each kind of step, and the
error each fault must surface as when nothing reconciles it."""

from __future__ import annotations

from sonnys_tui.backoffice.errors import (
    BackofficeConnectionError,
    BackofficeError,
    BackofficeServerError,
    ValidationError,
)

READ_FAULTS = [("500", "before"), ("timeout", "before"), ("drop", "before"),
               ("login200", "before"), ("markup", "before"), ("expire", "before")]  # fmt: skip
WRITE_FAULTS = [("500", "before"), ("500", "after"), ("timeout", "before"),
                ("timeout", "after"), ("drop", "before"), ("drop", "after"),
                ("login200", "before"), ("login200", "after"), ("alert", "before"),
                ("expire", "before")]  # fmt: skip

ERRORS: dict[str, type[BackofficeError]] = {
    "500": BackofficeServerError,
    "timeout": BackofficeConnectionError,
    "drop": BackofficeConnectionError,
    "markup": BackofficeServerError,
    "alert": ValidationError,
}
