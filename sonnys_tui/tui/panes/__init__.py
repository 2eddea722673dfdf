"""The Home screen's tabs, one widget each: every pane reads the tenant layer, reacts
to its changes and carries its own keys (shown in the footer while it has focus)."""
