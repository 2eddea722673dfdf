"""The bot login every built-in tenant has: its own module, so that a process that
only needs to log in to the demo tenant loads nothing else of the simulator."""

from __future__ import annotations

BOT_USERNAME = "bot"
BOT_PASSWORD = "demo-password"
