"""App figures: start-up, filter keystroke, memory (filled in once the app settles)."""

from __future__ import annotations

from common import registry

BENCHMARKS, benchmark = registry()
