"""``SonnysBackofficeClient``: one tenant's Back Office, as Python calls.

The client is composed of parts over one core, as an HTTP client is composed of
its transport and pool: the core (:class:`~.core.ClientCore`: the session, the
caches, the login) and one object per kind of operation, each in its own module:
:mod:`discovery` (every read: sites, departments, templates, employees, Back Office
users, availability; the part every other part reads through), :mod:`hiring`
(``create_employee``), :mod:`status` (disable/enable), :mod:`users` (creating Back
Office users), :mod:`accounts` (changing them) and :mod:`offboarding` (offboarding,
reinstating, the access review, whose rules are in :mod:`review`). Each part holds
the core and is handed the other parts it uses; none inherits from another. The
client builds them in ``__init__`` and relays each public method to its part
(:class:`~.relay.Relay`: the part's own bound method, its signature and docstring).
The core's module, :mod:`core`, also says how a write's answer is judged; what is
expensive to fetch is kept in :mod:`caches`. Parsing lives in :mod:`pages`, form
filling in :mod:`forms`/:mod:`sites`, input rules in :mod:`validation`, the HTTP
session in :mod:`session`. A write is never retried blindly: after a dropped
connection the client reads the record back to learn whether the write happened.

:mod:`employee_read` reads one employee whole (``get_employee``); an existing one is
changed by :mod:`employee_update` (fields), :mod:`wages` and :mod:`pos_template`, each
change first as a plan to review, applied or re-planned through :mod:`planning`.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import httpx

from sonnys_tui.backoffice import validation
from sonnys_tui.backoffice.accounts import BackofficeAccounts
from sonnys_tui.backoffice.caches import Caches
from sonnys_tui.backoffice.core import ClientCore, Progress, SiteChoice
from sonnys_tui.backoffice.discovery import Discovery
from sonnys_tui.backoffice.employee_read import EmployeeReading
from sonnys_tui.backoffice.employee_update import EmployeeUpdate
from sonnys_tui.backoffice.errors import ValidationError
from sonnys_tui.backoffice.hiring import DEFAULT_DEPARTMENT, FALLBACK_POS_TEMPLATE, Hiring
from sonnys_tui.backoffice.offboarding import Offboarding
from sonnys_tui.backoffice.planning import Planning
from sonnys_tui.backoffice.pos_template import PosTemplateChanges
from sonnys_tui.backoffice.relay import Relay
from sonnys_tui.backoffice.session import ClientStats, Session
from sonnys_tui.backoffice.status import StatusChanges
from sonnys_tui.backoffice.users import BackofficeUsers
from sonnys_tui.backoffice.wages import WageChanges

__all__ = [
    "DEFAULT_DEPARTMENT",
    "FALLBACK_POS_TEMPLATE",
    "Progress",
    "SiteChoice",
    "SonnysBackofficeClient",
]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class SonnysBackofficeClient:
    """Programmatic access to one tenant's Back Office user management.

    Login is deferred until the first request. Caches fill lazily; discovery
    methods take ``refresh=True`` to re-fetch. ``read_only=True`` refuses every write
    with :class:`ReadOnlyError` before it is sent (reads work). Use as a context manager::

        with SonnysBackofficeClient(subdomain="mywash", username="bot", password=pw) as client:
            client.disable_employee(pos_user_id=4117)

    One client may be shared by several threads and called from them at once.
    It logs in once (threads needing a login wait for the one in flight), counts
    :attr:`stats` exactly, and fills each cache once at a time while other reads
    go on: a long roster download does not hold up a server search or
    :meth:`get_employee`. Writes on different employees may run side by side;
    two writes on the same employee are not ordered by the client.
    """

    def __init__(
        self,
        *,
        subdomain: str,
        username: str,
        password: str,
        timeout: float = 30.0,
        user_agent: str | None = None,
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        read_only: bool = False,
    ) -> None:
        self.subdomain = validation.subdomain(subdomain)
        if not isinstance(username, str) or not username:
            raise ValidationError("username must not be empty", field="username")
        if not isinstance(password, str) or not password:
            raise ValidationError("password must not be empty", field="password")
        # Both are sent at login: the same refusal of control characters as every argument.
        # Checked whole (neither is trimmed before it is sent).
        validation.printable(username, field="username", whole=True)
        validation.printable(password, field="password", secret=True)
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
            raise ValidationError("timeout must be a positive number of seconds", field="timeout")
        url = base_url or f"https://{subdomain}.sonnyscontrols.com"
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValidationError(f"base_url must be an http(s) URL, got {url!r}", field="base_url")
        if parts.scheme == "http" and transport is None and not _is_loopback(parts.hostname):
            raise ValidationError(
                "plain http:// is refused except on a loopback host: use https://",
                field="base_url",
            )
        self.base_url = url.rstrip("/")
        self.username = username
        self._session = Session(
            base_url=self.base_url,
            username=username,
            password=password,
            timeout=timeout,
            user_agent=user_agent,
            transport=transport,
            read_only=read_only,
        )
        self._caches = Caches()
        # The parts, each over the one core and handed the parts it uses.
        core = ClientCore(self._session, self._caches, username)
        self._reads = reads = Discovery(core)
        self._employees = employees = EmployeeReading(core, reads)
        updates = EmployeeUpdate(core, employees, reads)
        wages = WageChanges(core, employees)
        templates = PosTemplateChanges(core, employees, reads)
        self._planning = Planning(core, updates, wages, templates)
        self._updates, self._wages, self._templates = updates, wages, templates
        self._status = status = StatusChanges(core, reads)
        self._users = users = BackofficeUsers(core, reads)
        self._hiring = Hiring(core, reads, users)
        self._accounts = accounts = BackofficeAccounts(core, reads, users)
        self._offboarding = Offboarding(core, reads, accounts, status)

    # ------------------------------------------------------------ lifecycle

    def __repr__(self) -> str:
        return (
            f"SonnysBackofficeClient(subdomain={self.subdomain!r}, "
            f"username={self.username!r}, base_url={self.base_url!r})"
        )

    def __enter__(self) -> SonnysBackofficeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the underlying HTTP session."""
        self._session.close()

    @property
    def read_only(self) -> bool:
        """True when the client refuses every write (any request but a GET and the
        login) before it is sent: ``read_only=True``, or :meth:`refuse_writes`."""
        return self._session.read_only

    def refuse_writes(self) -> None:
        """Make this client read-only from now on (there is no way back)."""
        self._session.read_only = True

    @property
    def stats(self) -> ClientStats:
        """Requests sent and bytes received since creation (or ``stats.reset()``)."""
        return self._session.stats

    # ------------------------------------------------------------ reads (discovery)

    list_sites = Relay("_reads", Discovery.list_sites)
    list_departments = Relay("_reads", Discovery.list_departments)
    list_permissions = Relay("_reads", Discovery.list_permissions)
    list_employees = Relay("_reads", Discovery.list_employees)
    search_employees = Relay("_reads", Discovery.search_employees)
    hidden_employees = Relay("_reads", Discovery.hidden_employees)
    find_hidden_employee = Relay("_reads", Discovery.find_hidden_employee)
    employee_id_for = Relay("_reads", Discovery.employee_id_for)
    list_backoffice_users = Relay("_reads", Discovery.list_backoffice_users)
    taken_emails = Relay("_reads", Discovery.taken_emails)
    is_pos_user_id_available = Relay("_reads", Discovery.is_pos_user_id_available)
    is_email_available = Relay("_reads", Discovery.is_email_available)
    email_availability = Relay("_reads", Discovery.email_availability)
    is_phone_available = Relay("_reads", Discovery.is_phone_available)
    next_free_pos_user_id = Relay("_reads", Discovery.next_free_pos_user_id)
    _employee_rows = Relay("_reads", Discovery._employee_rows)  # the doctor's roster read
    get_employee = Relay("_employees", EmployeeReading.get_employee)

    # ------------------------------------------------------------ changing an employee

    plan_update_employee = Relay("_updates", EmployeeUpdate.plan_update_employee)
    update_employee = Relay("_updates", EmployeeUpdate.update_employee)
    plan_add_wage = Relay("_wages", WageChanges.plan_add_wage)
    add_wage = Relay("_wages", WageChanges.add_wage)
    plan_set_pos_permissions = Relay("_templates", PosTemplateChanges.plan_set_pos_permissions)
    set_pos_permissions = Relay("_templates", PosTemplateChanges.set_pos_permissions)
    apply_change = Relay("_planning", Planning.apply_change)
    replan = Relay("_planning", Planning.replan)

    # ------------------------------------------------------------ hiring, status

    create_employee = Relay("_hiring", Hiring.create_employee)
    disable_employee = Relay("_status", StatusChanges.disable_employee)
    enable_employee = Relay("_status", StatusChanges.enable_employee)

    # ------------------------------------------------------------ Back Office users

    create_backoffice_user = Relay("_users", BackofficeUsers.create_backoffice_user)
    get_backoffice_user = Relay("_accounts", BackofficeAccounts.get_backoffice_user)
    linked_backoffice_users = Relay("_accounts", BackofficeAccounts.linked_backoffice_users)
    disable_backoffice_user = Relay("_accounts", BackofficeAccounts.disable_backoffice_user)
    enable_backoffice_user = Relay("_accounts", BackofficeAccounts.enable_backoffice_user)
    is_own_login = Relay("_accounts", BackofficeAccounts.is_own_login)
    reset_backoffice_password = Relay("_accounts", BackofficeAccounts.reset_backoffice_password)
    set_backoffice_permissions = Relay("_accounts", BackofficeAccounts.set_backoffice_permissions)

    # ------------------------------------------------------------ offboarding

    offboard_employee = Relay("_offboarding", Offboarding.offboard_employee)
    reinstate_employee = Relay("_offboarding", Offboarding.reinstate_employee)
    review_access = Relay("_offboarding", Offboarding.review_access)
