"""The keys several screens and dialogs share, each defined once, so that a key means
the same thing, in the same words, wherever it is offered (Esc cancels, Ctrl+S
reviews or applies, Ctrl+R plans again, ...)."""

from __future__ import annotations

from textual.binding import Binding

CANCEL = Binding("escape", "cancel", "Cancel")
BACK = Binding("escape", "back", "Back")
REVIEW = Binding("ctrl+s", "review", "Review")
APPLY = Binding("ctrl+s", "apply", "Apply")
REPLAN = Binding("ctrl+r", "replan", "Re-plan")
TEMPLATE = Binding("ctrl+t", "permissions", "Template")  # a Back Office login's permissions
YES = Binding("y", "answer(True)", "Yes")
NO = Binding("n", "answer(False)", "No")
REVEAL = Binding("r", "reveal", "Show/hide")  # a password shown once
COPY_PASSWORD = Binding("w", "copy_password", "Copy password")
