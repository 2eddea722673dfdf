"""sonnys-tui: manage the people of a Sonny's CarWash Controls Back Office tenant."""

__version__ = "0.1.0"
