"""The access review: who still has Back Office access who should not. Pure: no I/O.

:func:`review_access` applies four rules to typed rows the client already has:

- ``linked_employee_inactive``: an active user whose linked employee is inactive;
  fixed by ``offboard_employee`` (it finishes the offboarding);
- ``not_linked``: an active user linked to no employee; ``disable_backoffice_user``;
- ``administrator``: an active user with the Administrator template;
  ``set_backoffice_permissions``;
- ``sites_beyond_availability``: an active user with access to sites its (active)
  employee is not available at; ``set_backoffice_permissions``.

What the list pages expose decides what each rule can know without one request per
user. The user list (``/user``) shows names, username, phone, e-mail and status, and no
template, no sites and no link to an employee. The employee list shows names, phone,
sites (short codes) and status, and no e-mail. ``/user/create`` lists the active
employees with their e-mails. So:

- The link of a user to an employee is *confirmed* only by the user's edit page
  (``user[employeeId]``: evidence ``"edit page"``, also learnt by every client call that
  reads one). Without it, the link is *inferred*: an employee with the user's e-mail
  (``"e-mail"``: the server keeps e-mails unique across employees and users, except
  a user and its own employee), else the employees with the user's first and last name
  (``"name"``, narrowed by the phone when several match; employees whose known e-mail
  differs from the user's are not candidates), else none (``"none"``).
  Rules 1 and 2 therefore answer from the lists alone, every finding saying its
  evidence; :attr:`AccessReview.unconfirmed` lists the users to read, riskiest first.
- The template and the accessible sites are only on each user's permissions page: rules
  3 and 4 see only the users in ``permissions``. :attr:`AccessReview.permissions_unread`
  lists the active users they could not check, those linked to an active employee
  first. The client reads a bounded number of those pages only when asked.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from sonnys_tui.backoffice.models import (
    BackofficeAccess,
    BackofficeUserRow,
    EmployeeRow,
    Site,
)

Rule = Literal[
    "linked_employee_inactive", "not_linked", "administrator", "sites_beyond_availability"
]
Evidence = Literal["edit page", "e-mail", "name", "none"]

# The finding of an employee the list hides, and its fixes (not a login's rule).
HIDDEN_LABEL = "hidden: no site"
HIDDEN_TEXT = (
    "active employees hidden from the roster: no available site, so the Back Office "
    "employee list never shows them, yet their POS login works"
)
HIDDEN_FIXES = "give them a site (edit), or offboard them"

RULES: dict[Rule, str] = {
    "linked_employee_inactive": "active Back Office users whose linked employee is inactive",
    "not_linked": "active Back Office users not linked to any employee",
    "administrator": "active Back Office users with the Administrator template",
    "sites_beyond_availability": (
        "active Back Office users with access to sites their employee is not available at"
    ),
}
# Each rule in a few words, for a table's column (riskiest first, the review's order).
RULE_LABELS: dict[Rule, str] = {
    "linked_employee_inactive": "employee inactive",
    "not_linked": "no employee",
    "administrator": "Administrator",
    "sites_beyond_availability": "sites beyond",
}
ACTIONS: dict[Rule, str] = {
    "linked_employee_inactive": "offboard_employee",
    "not_linked": "disable_backoffice_user",
    "administrator": "set_backoffice_permissions",
    "sites_beyond_availability": "set_backoffice_permissions",
}
ADMINISTRATOR_TEMPLATES = ("admin", "Administrator")


@dataclass(frozen=True, slots=True)
class UserLink:
    """What is known of the employee a Back Office user is linked to.

    ``employee_id`` is that employee (None: none, or several equally likely:
    ``candidates`` then lists them). Only ``"edit page"`` evidence is a confirmed link.
    """

    user_id: int
    employee_id: int | None
    evidence: Evidence
    candidates: tuple[int, ...] = ()

    @property
    def confirmed(self) -> bool:
        return self.evidence == "edit page"

    @property
    def ambiguous(self) -> bool:
        return self.employee_id is None and len(self.candidates) > 1


@dataclass(frozen=True, slots=True)
class AccessFinding:
    """One user one rule flags, and the client method that fixes it (``action``)."""

    rule: Rule
    user_id: int
    username: str
    employee_id: int | None
    action: str
    detail: str
    evidence: Evidence

    @property
    def confirmed(self) -> bool:
        """True when the link the finding rests on was read on the user's edit page
        (rules 3 and 4 rest on the permissions page and, for rule 4, the link)."""
        return self.evidence == "edit page"


@dataclass(frozen=True, slots=True)
class AccessReview:
    """The findings, riskiest rule first, and what the review could not check."""

    findings: tuple[AccessFinding, ...]
    links: Mapping[int, UserLink] = field(default_factory=dict)  # every user's, by user id
    active_users: int = 0  # active users reviewed (the exempt ones not counted)
    permissions_checked: int = 0  # of them, those whose permissions page was given
    unconfirmed: tuple[int, ...] = ()  # active users whose link is inferred, riskiest first
    permissions_unread: tuple[int, ...] = ()  # active users rules 3-4 could not check
    # Active users left out (the client's own login), by username: said, never hidden.
    left_out: tuple[str, ...] = ()
    # Active employees the employee list hides (no available site) yet whose POS login
    # works: each a finding, fixed by giving them a site or by offboarding them.
    hidden: tuple[EmployeeRow, ...] = ()

    @property
    def active_summary(self) -> str:
        """How many active users there are and who was left out, in words:
        "3 active Back Office users, 1 of them this tool's own login (bot), left out
        of the review"."""
        total = self.active_users + len(self.left_out)
        text = f"{total} active Back Office user{'' if total == 1 else 's'}"
        if self.left_out:
            text += (
                f", {len(self.left_out)} of them this tool's own login "
                f"({', '.join(self.left_out)}), left out of the review"
            )
        return text

    def of_rule(self, rule: Rule) -> tuple[AccessFinding, ...]:
        return tuple(finding for finding in self.findings if finding.rule == rule)

    @property
    def risks(self) -> int:
        """The findings and the hidden employees: what the review asks someone to fix."""
        return len(self.findings) + len(self.hidden)

    @property
    def complete(self) -> bool:
        """True when every active user's link was confirmed and permissions page read."""
        return not self.unconfirmed and not self.permissions_unread


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def link_users(
    users: Iterable[BackofficeUserRow],
    employees: Mapping[int, EmployeeRow],
    *,
    employee_emails: Mapping[int, str] = {},
    links: Mapping[int, int | None] = {},
) -> dict[int, UserLink]:
    """The best-known link of every user (see the module docstring for the evidence)."""
    by_email: dict[str, list[int]] = {}
    for employee_id, email in employee_emails.items():
        if email.strip():
            by_email.setdefault(_key(email), []).append(employee_id)
    by_name: dict[tuple[str, str], list[EmployeeRow]] = {}
    for row in employees.values():
        by_name.setdefault((_key(row.first_name), _key(row.last_name)), []).append(row)
    result: dict[int, UserLink] = {}
    for user in users:
        uid = user.user_id
        if uid in links:
            known = links[uid]
            result[uid] = UserLink(uid, known, "edit page", (known,) if known else ())
            continue
        email = _key(user.email)
        by_mail = by_email.get(email, []) if email else []
        if len(by_mail) == 1:
            result[uid] = UserLink(uid, by_mail[0], "e-mail", (by_mail[0],))
            continue
        candidates = [
            row
            for row in by_name.get((_key(user.first_name), _key(user.last_name)), [])
            # Linked, the user would show its employee's e-mail: a namesake whose
            # e-mail is known and different is someone else.
            if not _key(employee_emails.get(row.employee_id, ""))
            or _key(employee_emails.get(row.employee_id, "")) == email
        ]
        if by_mail:
            candidates = [row for row in candidates if row.employee_id in by_mail] or [
                employees[i] for i in by_mail if i in employees
            ]
        phone = _digits(user.phone)
        if phone and len(candidates) > 1:
            same_phone = [row for row in candidates if _digits(row.phone) == phone]
            candidates = same_phone or candidates
        ids = tuple(row.employee_id for row in candidates)
        if not ids:
            result[uid] = UserLink(uid, None, "none")
        elif len(ids) == 1:
            result[uid] = UserLink(uid, ids[0], "name", ids)
        else:
            result[uid] = UserLink(uid, None, "name", ids)
    return result


def review_access(
    employees: Iterable[EmployeeRow],
    users: Iterable[BackofficeUserRow],
    *,
    employee_emails: Mapping[int, str] = {},
    links: Mapping[int, int | None] = {},
    permissions: Mapping[int, BackofficeAccess] = {},
    sites: Sequence[Site] = (),
    exempt_usernames: Collection[str] = (),
    administrator_templates: Collection[str] = ADMINISTRATOR_TEMPLATES,
    hidden: Sequence[EmployeeRow] = (),
) -> AccessReview:
    """Apply the four rules.

    ``employees``: the roster, every status (:meth:`list_employees`). ``users``: the
    user list, every status. ``employee_emails``: employee id -> e-mail as known (the
    ``/user/create`` list, edit pages read). ``links``: user id -> employee id (None:
    standalone) read on edit pages. ``permissions``: user id -> access read on
    permissions pages. ``sites``: the tenant's sites, to compare a user's site ids with
    its employee's site codes (a site without a short code is not compared: the list
    cannot show it). ``exempt_usernames``: users left out (the client's own login).
    ``hidden``: the active employees the list hides (no available site), each a finding
    of their own; their logins link to them like any other's.
    """
    roster = {row.employee_id: row for row in [*employees, *hidden]}
    exempt = {name.casefold() for name in exempt_usernames}
    every = list(users)
    active = [u for u in every if u.active and u.username.casefold() not in exempt]
    link_of = link_users(every, roster, employee_emails=employee_emails, links=links)
    rules = _Rules(roster, sites, {_key(name) for name in administrator_templates})
    findings: list[AccessFinding] = []
    for user in active:
        findings += rules.apply(user, link_of[user.user_id], permissions.get(user.user_id))
    flagged = {f.user_id for f in findings if f.rule in ("linked_employee_inactive", "not_linked")}
    order = list(RULES)
    findings.sort(key=lambda f: (order.index(f.rule), f.username.casefold(), f.user_id))
    strength = {"none": 0, "name": 1, "e-mail": 2}
    unconfirmed = sorted(
        (u for u in active if not link_of[u.user_id].confirmed),
        key=lambda u: (
            u.user_id not in flagged,
            not link_of[u.user_id].ambiguous,
            strength.get(link_of[u.user_id].evidence, 3),
            u.user_id,
        ),
    )

    def linked_to_active(user: BackofficeUserRow) -> bool:
        employee_id = link_of[user.user_id].employee_id
        row = roster.get(employee_id) if employee_id is not None else None
        return row is not None and row.active

    unread = sorted(
        (u for u in active if u.user_id not in permissions),
        key=lambda u: (not linked_to_active(u), u.user_id),
    )
    return AccessReview(
        findings=tuple(findings),
        links=link_of,
        active_users=len(active),
        permissions_checked=sum(1 for u in active if u.user_id in permissions),
        unconfirmed=tuple(u.user_id for u in unconfirmed),
        permissions_unread=tuple(u.user_id for u in unread),
        left_out=tuple(u.username for u in every if u.active and u.username.casefold() in exempt),
        hidden=tuple(row for row in hidden if row.active),
    )


class _Rules:
    """The four rules, with what they compare against."""

    def __init__(
        self, roster: Mapping[int, EmployeeRow], sites: Sequence[Site], admin: set[str]
    ) -> None:
        self.roster = roster
        self.admin = admin
        self.code_ids = {_key(s.code): s.id for s in sites if s.code}
        self.site_names = {s.id: s.name for s in sites}
        self.comparable = frozenset(self.code_ids.values())

    def apply(
        self, user: BackofficeUserRow, link: UserLink, access: BackofficeAccess | None
    ) -> list[AccessFinding]:
        found: list[AccessFinding] = []

        def finding(rule: Rule, detail: str, employee_id: int | None) -> None:
            found.append(
                AccessFinding(
                    rule, user.user_id, user.username, employee_id, ACTIONS[rule], detail,
                    link.evidence,
                )
            )  # fmt: skip

        linked = [self.roster[i] for i in link.candidates if i in self.roster]
        if linked and all(not row.active for row in linked):
            first = linked[0]
            also = f" (or one of {len(linked)} same-named inactive employees)"
            finding(
                "linked_employee_inactive",
                f"linked to inactive employee {first.full_name} (id {first.employee_id}, POS "
                f"{first.pos_user_id}){also if len(linked) > 1 else ''}; evidence: "
                f"{link.evidence}",
                first.employee_id if len(linked) == 1 else None,
            )
        elif not link.candidates and (link.evidence == "none" or link.confirmed):
            why = "its edit page links none" if link.confirmed else "none has its e-mail or name"
            finding("not_linked", f"linked to no employee ({why})", None)
        if access is None:
            return found
        if _key(access.template) in self.admin or _key(access.template_description) in self.admin:
            finding(
                "administrator",
                f"has the Administrator template ({access.template})",
                link.employee_id,
            )
        employee = self.roster.get(link.employee_id) if link.employee_id is not None else None
        if employee is None or not employee.active:
            return found  # an inactive employee's user is rule 1's
        codes = (_key(code) for code in employee.site_codes)
        available = {self.code_ids[c] for c in codes if c in self.code_ids}
        reach = self.comparable if access.all_sites else access.site_ids & self.comparable
        beyond = sorted(reach - available)
        if beyond:
            where = ", ".join(self.site_names.get(i, str(i)) for i in beyond)
            scope = "every site" if access.all_sites else f"{len(access.site_ids)} site(s)"
            finding(
                "sites_beyond_availability",
                f"has access to {scope}; its employee {employee.full_name} (id "
                f"{employee.employee_id}) is not available at {len(beyond)} of them: {where}",
                employee.employee_id,
            )
        return found
