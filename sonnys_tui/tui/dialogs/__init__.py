"""Modal dialogs that panes and screens open (below both, so neither imports the other)."""
