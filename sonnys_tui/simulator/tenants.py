"""Seeded, deterministic tenants with synthetic people only."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal

from . import catalog
from .bot import BOT_PASSWORD, BOT_USERNAME
from .store import (
    BoUser,
    Department,
    District,
    Employee,
    Region,
    Site,
    Store,
    Wage,
)

_FIRST = [
    "Avery",
    "Blake",
    "Casey",
    "Dakota",
    "Emery",
    "Finley",
    "Gray",
    "Harper",
    "Indigo",
    "Jordan",
    "Kai",
    "Logan",
    "Morgan",
    "Noel",
    "Oakley",
    "Parker",
    "Quinn",
    "Riley",
    "Sage",
    "Taylor",
    "Umber",
    "Val",
    "Wren",
    "Xen",
    "Yael",
    "Zion",
]
_LAST = [
    "Sample",
    "Example",
    "Demo",
    "Placeholder",
    "Tester",
    "Fixture",
    "Mockton",
    "Stubbs",
    "Dummy",
    "Fakeley",
    "Testwell",
    "Prototype",
    "Specimen",
    "Trialson",
    "Pilot",
    "Draft",
]
_PHONE_FORMATS = ["312-555-01{:02d}", "(312) 555-01{:02d}", "31255501{:02d}", "312.555.01{:02d}"]

# (id, long name, code, district id) — ids with gaps, like a real tenant.
_DEMO_SITES = [
    (1, "Demo Wash Fiesta", "FIE", 2), (2, "Demo Wash Centennial", "CENT", 2),
    (4, "Demo Wash Niles", "NILES", 2), (5, "Demo Wash Villa Park", "VILLAP", 2),
    (6, "Demo Wash Des Plaines", "DESP", 3), (7, "Demo Wash Naperville", "NAPER", 3),
    (8, "Demo Wash Carol Stream", "CAROL", 3), (9, "Demo Wash Wheaton", "WHEAT", 3),
    (10, "Demo Wash Joliet", "JOLIET", 4), (11, "Demo Wash Plainfield", "PLAIN", 4),
    (12, "Demo Wash Berwyn", "BERWYN", 4), (13, "Demo Wash Burbank T1", "BURBT1", 4),
    (14, "Demo Wash Evergreen Park T1", "EVRGRN", 4), (16, "Demo Wash Burbank T2", "BurbT2", 4),
    (17, "Demo Wash Lakeside", "LAKE", 1), (18, "Demo Wash Harbor", "HARB", 1),
    (19, "Demo Wash Summit", "SUMM", 1), (21, "Demo Wash Orchard", "ORCH", 1),
    (23, "Demo Wash Meadow", "MEAD", 5), (24, "Demo Wash Pinecrest", "PINE", 5),
]  # fmt: skip

_FLAT_SITES = [
    (3, "Demo Wash Main Street", "MAIN"), (5, "Demo Wash Riverside", "RIVER"),
    (6, "Demo Wash Hilltop", "HILL"), (9, "Demo Wash Airport", "AIRP"),
    (10, "Demo Wash Downtown", "DWTN"), (14, "Demo Wash Outlet", "OUTL"),
]  # fmt: skip

_BASE_TIME = datetime(2025, 6, 1, 12, 0, 0)


def _catalogues(store: Store) -> None:
    store.departments = {
        1: Department(1, "Cashier"),
        2: Department(2, "Line"),
        3: Department(3, "Greeter"),
        4: Department(4, "Management"),
    }
    store.pos_permissions = catalog.pos_permissions()
    store.pos_templates = catalog.pos_templates()
    store.bo_tokens = catalog.bo_tokens()
    store.bo_templates = catalog.bo_templates(store.bo_tokens)


def _hierarchy(store: Store) -> None:
    store.regions = {1: Region(1, "Demo Wash North"), 2: Region(2, "Demo Wash Illinois")}
    store.districts = {
        1: District(1, "Lakes District", 1),
        5: District(5, "Pines District", 1),
        2: District(2, "Quinn's District", 2),
        3: District(3, "West District", 2),
        4: District(4, "South District", 2),
    }
    store.sites = {sid: Site(sid, name, code, did) for sid, name, code, did in _DEMO_SITES}


def _bot(store: Store) -> None:
    store.add_user(
        BoUser(
            id=store.next_user_id(), username=BOT_USERNAME, email="bot@example.com",
            password=BOT_PASSWORD, first_name="Wrapper", last_name="Bot", all_sites=True,
            tokens=set(store.bo_templates[1].tokens),
        )
    )  # fmt: skip


def _access(rng: random.Random, store: Store) -> tuple[set[int], set[int]]:
    """Varied POS access: templates, customised sets and none at all."""
    roll = rng.random()
    if roll < 0.1:
        return set(), set()
    if roll < 0.25:
        grants = set(rng.sample(sorted(store.pos_templates[2].grant_ids), 12))
        return grants, set(rng.sample(sorted(grants), 3))
    template = store.pos_templates[rng.choice([1, 2, 2, 3, 3, 3, 5, 6, 6, 8, 8])]
    return set(template.grant_ids), set(template.override_ids)


def _people(store: Store, count: int, rng: random.Random, *, pos_start: int) -> None:
    site_ids = sorted(store.sites)
    for index in range(count):
        first = rng.choice(_FIRST)
        last = rng.choice(_LAST)
        number = index + 1
        start = date(2023, 1, 2) + timedelta(days=rng.randrange(0, 900))
        grants, overrides = _access(rng, store)
        rate = Decimal(rng.randrange(1100, 2200)) / 100
        overtime = rng.random() < 0.6
        sites = set(rng.sample(site_ids, rng.choice([1, 1, 1, 2, 3])))
        employee = Employee(
            id=store.next_employee_id(),
            first_name=first,
            last_name=f"{last}{number}" if count > 400 else last,
            phone=rng.choice(_PHONE_FORMATS).format(number % 100),
            email=(
                f"{first.lower()}.{last.lower()}{number}@example.com" if rng.random() < 0.8 else ""
            ),
            department_ids=sorted(set(rng.sample([1, 2, 3, 4], rng.choice([1, 1, 2])))),
            start_date=start,
            site_ids=sites,
            pos_credential_id=store.next_credential_id(),
            pos_user_id=pos_start + index,
            pos_pin=str(10000 + rng.randrange(90000)),
            emergency_contact_name="",
            emergency_contact_phone="",
            adp_employee_id=f"ADP{number:05d}" if rng.random() < 0.3 else "",
            active=rng.random() > 0.12,
            status_changed=_BASE_TIME + timedelta(minutes=rng.randrange(0, 500_000)),
            grant_ids=grants,
            override_ids=overrides,
            action_approval_authority=catalog.ACTION_APPROVAL_ID in grants,
            wages=[
                Wage(
                    effective_date=start, is_hourly=True, regular_rate=rate,
                    overtime_eligible=overtime,
                    overtime_rate=(rate * Decimal("1.5")).quantize(Decimal("0.01"))
                    if overtime else None,
                )
            ],
        )  # fmt: skip
        store.add_employee(employee)


def _linked_users(store: Store, how_many: int) -> None:
    linked = [e for e in store.employees.values() if e.active and e.email][:how_many]
    for employee in linked:
        store.add_user(
            BoUser(
                id=store.next_user_id(),
                username=f"{employee.first_name[0]}{employee.last_name}".replace(" ", ""),
                email=employee.email, password="not-a-real-password", employee_id=employee.id,
                first_name=employee.first_name, last_name=employee.last_name,
                phone=employee.phone, site_ids=set(employee.site_ids),
                tokens=set(store.bo_templates[2].tokens),
            )
        )  # fmt: skip
    store.add_user(
        BoUser(
            id=store.next_user_id(), username="outside_auditor", email="auditor@example.invalid",
            password="not-a-real-password", first_name="Outside", last_name="Auditor",
            active=False, site_ids={min(store.sites)}, tokens={"report.all"},
        )
    )  # fmt: skip


def demo() -> Store:
    """Hierarchical tenant: 2 regions, 5 districts, 20 sites, ~60 employees."""
    store = Store()
    _catalogues(store)
    _hierarchy(store)
    _bot(store)
    _people(store, 60, random.Random(20260413), pos_start=4101)
    # A couple of employees with no site at all: they never show in the list.
    for employee_id in sorted(store.employees)[5:7]:
        store.employees[employee_id].site_ids = set()
    _linked_users(store, 3)
    return store


def flat() -> Store:
    """Flat tenant: no regions/districts, 6 sites, ~15 employees."""
    store = Store()
    _catalogues(store)
    store.sites = {sid: Site(sid, name, code, None) for sid, name, code in _FLAT_SITES}
    _bot(store)
    _people(store, 15, random.Random(7), pos_start=2201)
    _linked_users(store, 1)
    return store


def large(count: int, seed: int = 1, *, backoffice_users: int = 0) -> Store:
    """Hierarchical like :func:`demo`, with ``count`` generated employees and
    ``backoffice_users`` more Back Office users (see :func:`add_backoffice_users`)."""
    store = Store()
    _catalogues(store)
    _hierarchy(store)
    _bot(store)
    _people(store, count, random.Random(seed), pos_start=1001)
    _linked_users(store, 2)
    if backoffice_users:
        add_backoffice_users(store, backoffice_users, random.Random(seed + 1))
    return store


# Shares of the generated Back Office users, by kind. Every kind but "ok" and
# "inactive_both" is what an access review must find.
BACKOFFICE_USER_MIX = (
    ("ok", 0.70),  # linked to an active employee, at some of its sites
    ("inactive_employee", 0.08),  # active, linked to an inactive employee
    ("inactive_both", 0.04),  # inactive, linked to an inactive employee
    ("standalone", 0.06),  # active, linked to no employee
    ("admin", 0.05),  # linked, active, the Administrator template
    ("extra_sites", 0.07),  # linked, active, at sites its employee is not available at
)


def add_backoffice_users(store: Store, count: int, rng: random.Random) -> None:
    """``count`` Back Office users of the kinds of :data:`BACKOFFICE_USER_MIX`, each
    employee linked to at most one of them; ``store.users`` says which is which."""
    linked = {u.employee_id for u in store.users.values()}
    pools = {
        True: [e for e in store.employees.values() if e.active and e.site_ids],
        False: [e for e in store.employees.values() if not e.active and e.site_ids],
    }
    for pool in pools.values():
        pool[:] = [e for e in pool if e.id not in linked]
        rng.shuffle(pool)
    kinds = [kind for kind, _share in BACKOFFICE_USER_MIX]
    weights = [share for _kind, share in BACKOFFICE_USER_MIX]
    templates = store.bo_templates
    every_site = sorted(store.sites)
    for index in range(count):
        kind = rng.choices(kinds, weights)[0]
        employee = None
        if kind != "standalone":
            pool = pools[kind not in ("inactive_employee", "inactive_both")]
            if not pool:
                continue
            employee = pool.pop()
        tokens = templates[rng.choice([2, 3, 3])].tokens if kind != "admin" else templates[1].tokens
        if employee is None:
            first, last = rng.choice(_FIRST), f"Outside{index}"
            sites = set(rng.sample(every_site, 2))
            email = f"outside{index}@example.invalid"
        else:
            first, last = employee.first_name, employee.last_name
            sites = set(employee.site_ids)
            email = employee.email or f"bo.user{index}@example.com"
            if kind == "extra_sites":
                sites |= set(rng.sample([s for s in every_site if s not in sites], 2))
        store.add_user(
            BoUser(
                id=store.next_user_id(), username=f"{first[0]}{last}_{index}".replace(" ", ""),
                email=email, password="not-a-real-password",
                employee_id=employee.id if employee else None, first_name=first, last_name=last,
                phone=employee.phone if employee else "", active=kind != "inactive_both",
                site_ids=sites, tokens=set(tokens),
            )
        )  # fmt: skip
