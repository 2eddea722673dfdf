"""The Textual app. Talks to Back Office only through :mod:`sonnys_tui.backoffice`."""
