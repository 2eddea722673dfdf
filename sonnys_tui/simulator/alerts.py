"""A page-level alert, the only way the Back Office reports errors and successes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Alert:
    kind: str  # "success" | "danger"
    text: str
