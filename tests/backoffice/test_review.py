"""The access review: the pure rules on typed rows, and the client's review of seeded
tenants whose risky users are known from the store (the truth the review must find)."""

from __future__ import annotations

import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient as Client
from sonnys_tui.backoffice.models import BackofficeAccess, BackofficeUserRow, EmployeeRow, Site
from sonnys_tui.backoffice.review import AccessReview, Rule, review_access
from sonnys_tui.simulator import Simulator

from .conftest import make_client

SITES = (Site(1, "Alpha Wash", "ALP"), Site(2, "Beta Wash", "BET"), Site(3, "Gamma Wash", ""))


def employee(employee_id: int, first: str, last: str, *, active: bool = True, phone: str = "",
             codes: tuple[str, ...] = ("ALP",)) -> EmployeeRow:  # fmt: skip
    return EmployeeRow(employee_id, first, last, 1000 + employee_id, phone, codes, (), "None",
                       "Hourly", active)  # fmt: skip


def user(user_id: int, first: str, last: str, *, email: str = "", phone: str = "",
         active: bool = True, username: str = "") -> BackofficeUserRow:  # fmt: skip
    name = username or f"user{user_id}"
    return BackofficeUserRow(user_id, first, last, name, phone, email or f"{name}@x.test", active)


def access(user_id: int, template: str = "manager", *, sites: frozenset[int] = frozenset({1}),
           all_sites: bool = False, description: str = "") -> BackofficeAccess:  # fmt: skip
    return BackofficeAccess(user_id, template, description, frozenset(), all_sites, sites, ())


def rules_of(result: AccessReview) -> dict[int, set[Rule]]:
    found: dict[int, set[Rule]] = {}
    for finding in result.findings:
        found.setdefault(finding.user_id, set()).add(finding.rule)
    return found


# ------------------------------------------------------------------------------ pure rules


def test_each_rule_and_its_evidence() -> None:
    employees = [
        employee(1, "Ada", "Active", codes=("ALP",)),
        employee(2, "Ina", "Gone", active=False),
        employee(3, "Em", "Mailed", active=False),
    ]
    users = [
        user(11, "Ada", "Active", email="ada@x.test"),  # e-mail link, fine
        user(12, "Ina", "Gone"),  # name link to an inactive employee
        user(13, "Out", "Sider"),  # no employee
        user(14, "Xavier", "Whoever", email="em@x.test"),  # e-mail of an inactive employee
        user(15, "Ina", "Gone", active=False),  # inactive users are never flagged
        user(16, "Some", "Body"),  # the edit page says: linked to employee 1
        user(17, "Bot", "Login", username="the_bot"),  # exempt
    ]
    result = review_access(
        employees, users,
        employee_emails={1: "ADA@x.test", 3: "em@x.test"},
        links={16: 1},
        permissions={11: access(11, "admin", sites=frozenset({1, 2})), 16: access(16)},
        sites=SITES,
        exempt_usernames=("THE_BOT",),
    )  # fmt: skip
    assert rules_of(result) == {
        11: {"administrator", "sites_beyond_availability"},
        12: {"linked_employee_inactive"},
        13: {"not_linked"},
        14: {"linked_employee_inactive"},
    }
    by_user = {(f.user_id, f.rule): f for f in result.findings}
    assert by_user[12, "linked_employee_inactive"].evidence == "name"
    assert by_user[12, "linked_employee_inactive"].employee_id == 2
    assert by_user[12, "linked_employee_inactive"].action == "offboard_employee"
    assert by_user[14, "linked_employee_inactive"].evidence == "e-mail"
    assert by_user[13, "not_linked"].action == "disable_backoffice_user"
    assert by_user[11, "administrator"].action == "set_backoffice_permissions"
    assert "Beta Wash" in by_user[11, "sites_beyond_availability"].detail
    assert result.links[16].confirmed and result.links[11].evidence == "e-mail"
    assert result.active_users == 5 and result.permissions_checked == 2
    # Riskiest first: flagged by the lists (12, 13, 14), then the unflagged inferred link.
    assert result.unconfirmed == (13, 12, 14, 11)
    assert result.permissions_unread == (12, 13, 14)
    assert result.links[15].employee_id == 2  # every user's link, inactive ones too
    assert [f.rule for f in result.findings][:2] == [
        "linked_employee_inactive",
        "linked_employee_inactive",
    ]


def test_a_namesake_with_another_email_is_not_a_link() -> None:
    employees = [employee(1, "Sam", "Same", active=True)]
    users = [user(11, "Sam", "Same", email="sam.other@x.test")]
    result = review_access(employees, users, employee_emails={1: "sam@x.test"})
    assert result.links[11].evidence == "none"
    assert rules_of(result) == {11: {"not_linked"}}


def test_same_named_employees_ambiguous_unless_all_inactive_or_the_phone_tells() -> None:
    employees = [
        employee(1, "Pat", "Twin", active=True, phone="312-555-0101"),
        employee(2, "Pat", "Twin", active=False, phone="(312) 555-0102"),
        employee(3, "Lee", "Gone", active=False),
        employee(4, "Lee", "Gone", active=False),
    ]
    users = [
        user(11, "Pat", "Twin"),
        user(12, "Pat", "Twin", phone="3125550102"),
        user(13, "Lee", "Gone"),
    ]
    result = review_access(employees, users)
    assert result.links[11].ambiguous and result.links[11].candidates == (1, 2)
    assert result.links[12].employee_id == 2  # the phone narrows it
    assert rules_of(result) == {12: {"linked_employee_inactive"}, 13: {"linked_employee_inactive"}}
    (finding,) = [f for f in result.findings if f.user_id == 13]
    assert finding.employee_id is None and "2 same-named" in finding.detail
    assert result.unconfirmed[0] in (12, 13) and 11 in result.unconfirmed


def test_sites_rule_all_sites_and_codeless_sites() -> None:
    employees = [
        employee(1, "Ann", "Here", codes=("alp",)),
        employee(2, "Bo", "Gone", active=False),
    ]
    users = [user(11, "Ann", "Here"), user(12, "Ann", "Here"), user(13, "Bo", "Gone")]
    result = review_access(
        employees, users,
        links={11: 1, 12: 1, 13: 2},
        permissions={
            11: access(11, all_sites=True, sites=frozenset({1, 2, 3})),
            12: access(12, sites=frozenset({1, 3})),  # Gamma has no code: not compared
            13: access(13, sites=frozenset({2})),  # inactive employee: rule 1, not rule 4
        },
        sites=SITES,
    )  # fmt: skip
    assert rules_of(result) == {
        11: {"sites_beyond_availability"},
        13: {"linked_employee_inactive"},
    }
    (finding,) = result.of_rule("sites_beyond_availability")
    assert "every site" in finding.detail and "Beta Wash" in finding.detail
    assert finding.confirmed and result.complete


def test_administrator_by_short_name_or_description() -> None:
    employees = [employee(1, "Ann", "Here")]
    users = [user(11, "Ann", "Here"), user(12, "Ann", "Here"), user(13, "Ann", "Here")]
    result = review_access(
        employees, users,
        links={11: 1, 12: 1, 13: 1},
        permissions={
            11: access(11, "admin"),
            12: access(12, "Custom"),
            13: access(13, "superuser", description="Administrator"),
        },
        sites=SITES,
    )  # fmt: skip
    assert {f.user_id for f in result.of_rule("administrator")} == {11, 13}


# ------------------------------------------------------------------------------ seeded tenants


def _truth(sim: Simulator) -> dict[int, set[Rule]]:
    """What the review must find, from the store itself."""
    store = sim.store
    admin = set(store.bo_templates[1].tokens)
    coded = {s.id for s in store.sites.values() if s.code}
    found: dict[int, set[Rule]] = {}
    for u in store.users.values():
        if not u.active or u.username == sim.username:
            continue
        rules: set[Rule] = set()
        employee = store.employees.get(u.employee_id) if u.employee_id is not None else None
        if u.employee_id is None:
            rules.add("not_linked")
        elif employee is not None and not employee.active:
            rules.add("linked_employee_inactive")
        if u.tokens == admin:
            rules.add("administrator")
        reach = set(store.sites) if u.all_sites else u.site_ids
        if employee is not None and employee.active and (reach & coded) - employee.site_ids:
            rules.add("sites_beyond_availability")
        if rules:
            found[u.id] = rules
    return found


@pytest.fixture(scope="module")
def seeded() -> Simulator:
    return Simulator.large(600, backoffice_users=150)


def test_seeded_tenant_from_the_lists_alone(seeded: Simulator) -> None:
    with make_client(seeded) as client:
        before = len(seeded.requests)
        result = client.review_access()
        paths = [r.path for r in seeded.requests[before:]]
    users = len(seeded.store.users)
    assert not any(p.startswith(("/user/edit", "/user/permissions")) for p in paths)
    # The roster, the user list (25 a page) and /user/create: no request per user.
    assert paths.count("/employee") == 1 and paths.count("/user/create") == 1
    assert len([p for p in paths if p == "/user" or p.startswith("/user/")]) <= -(-users // 25) + 1
    truth = _truth(seeded)
    list_rules = {"linked_employee_inactive", "not_linked"}
    expected = {u: r & list_rules for u, r in truth.items() if r & list_rules}
    assert rules_of(result) == expected
    assert len(expected) >= 10  # the seed holds enough risky users to mean something
    assert result.permissions_checked == 0 and len(result.permissions_unread) == result.active_users


def test_seeded_tenant_with_every_page_read(seeded: Simulator) -> None:
    with make_client(seeded) as client:
        result = client.review_access(permission_pages=1000, confirm_links=1000)
    assert rules_of(result) == _truth(seeded)
    assert result.complete and all(f.confirmed for f in result.findings)
    kinds = {rule for rules in _truth(seeded).values() for rule in rules}
    assert kinds == {
        "linked_employee_inactive",
        "not_linked",
        "administrator",
        "sites_beyond_availability",
    }


def test_per_user_pages_are_bounded(seeded: Simulator) -> None:
    with make_client(seeded) as client:
        client.list_permissions(scope="backoffice")
        first = client.review_access()
        before = len(seeded.requests)
        result = client.review_access(permission_pages=7, confirm_links=3)
        paths = [r.path for r in seeded.requests[before:]]
        assert sum(p.startswith("/user/permissions/") for p in paths) == 7
        assert sum(p.startswith("/user/edit/") for p in paths) == 3
        assert result.permissions_checked == 7
        # The links read are kept: the next review starts where this one stopped.
        assert set(first.unconfirmed[:3]).isdisjoint(result.unconfirmed)
        again = client.review_access(confirm_links=2)
        assert len(again.unconfirmed) == len(result.unconfirmed) - 2


def test_demo_tenant_with_hand_placed_risks(demo_sim: Simulator, demo_client: Client) -> None:
    """Same-named people (the demo's names repeat) and a link made by offboarding."""
    store = demo_sim.store
    linked = next(u for u in store.users.values() if u.employee_id is not None)
    employee = store.employees[linked.employee_id or 0]
    demo_client.disable_employee(employee_id=employee.id)  # the login stays active: a risk
    result = demo_client.review_access()
    assert "linked_employee_inactive" in rules_of(result).get(linked.id, set())
    demo_client.offboard_employee(employee_id=employee.id)
    after = demo_client.review_access()
    assert linked.id not in rules_of(after)
    assert after.links[linked.id].confirmed  # offboarding read its edit page
