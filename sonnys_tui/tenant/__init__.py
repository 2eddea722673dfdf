"""The tenant layer: the headless owner of one tenant's state (no Textual here).

The app and the shell commands go through :class:`Tenant` for everything they know
about a tenant and for every write; it uses the client (:mod:`sonnys_tui.backoffice`),
the disk cache and the audit trail, and tells its listeners what changed.
"""

from sonnys_tui.tenant import events
from sonnys_tui.tenant.events import *  # noqa: F403  (the names of events.__all__)
from sonnys_tui.tenant.store import OPERATIONS, Operation, Tenant

__all__ = ["OPERATIONS", "Operation", "Tenant"]
__all__ += events.__all__
