"""The compat names one by one: errors, lookups by name, reads, and arguments refused
before any request."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from sonnys_tui.backoffice import SonnysBackofficeClient as NativeClient
from sonnys_tui.backoffice import compat, errors
from sonnys_tui.backoffice.compat import (
    AmbiguousMatchError,
    DuplicateError,
    NotFoundError,
    PermissionDeniedError,
    SonnysBackofficeClient,
    SonnysBackofficeError,
    ValidationError,
)
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Employee


@pytest.fixture
def client(sim: Simulator) -> Iterator[SonnysBackofficeClient]:
    with SonnysBackofficeClient(**sim.client_kwargs()) as made:
        yield made


def listed(sim: Simulator) -> list[Employee]:
    return [e for e in sim.store.employees.values() if e.site_ids]


def twin(sim: Simulator, of: Employee, *, phone: str, active: bool = True) -> Employee:
    """Another employee with the same name (the roster shows it: it has a site)."""
    store = sim.store
    other = Employee(
        id=store.next_employee_id(),
        first_name=of.first_name,
        last_name=of.last_name,
        phone=phone,
        site_ids=set(of.site_ids),
        pos_user_id=max(e.pos_user_id for e in store.employees.values()) + 1,
        active=active,
        wages=list(of.wages),
    )
    return store.add_employee(other)


# ---------------------------------------------------------------- errors


def test_every_error_we_raise_is_a_sonnys_backoffice_error() -> None:
    assert SonnysBackofficeError is errors.BackofficeError
    for name in errors.__all__:
        value = getattr(errors, name)
        if isinstance(value, type):
            assert issubclass(value, SonnysBackofficeError), name
    for name in compat.__all__:
        value = getattr(compat, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, SonnysBackofficeError), name
    assert issubclass(compat.UnknownTemplateError, NotFoundError)
    assert issubclass(compat.UnknownTemplateError, ValidationError)
    assert not issubclass(AmbiguousMatchError, NotFoundError)  # "several" is not "none"


class _Forbidding(httpx.BaseTransport):
    """The simulator, except that one path answers 403."""

    def __init__(self, inner: httpx.BaseTransport, path: str) -> None:
        self.inner, self.path = inner, path

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == self.path:
            return httpx.Response(403, text="Access denied")
        return self.inner.handle_request(request)


def test_a_403_is_permission_denied(sim: Simulator) -> None:
    transport = _Forbidding(sim.transport(), "/employee/create")
    client = SonnysBackofficeClient(**sim.client_kwargs(transport=transport))
    with client, pytest.raises(PermissionDeniedError) as caught:
        client.list_sites()
    assert caught.value.status_code == 403
    assert isinstance(caught.value, errors.BackofficeServerError)  # as before, just named


# ---------------------------------------------------------------- finding by name


def test_find_employee_trims_and_ignores_case(
    sim: Simulator, client: SonnysBackofficeClient
) -> None:
    employee = next(e for e in listed(sim) if e.active)
    found = client.find_employee(
        first_name=f"  {employee.first_name.upper()} ", last_name=employee.last_name.lower()
    )
    assert found.employee_id == employee.id and found.is_active
    assert [r.employee_id for r in client.find_employees(
        first_name=employee.first_name, last_name=employee.last_name
    )] == [employee.id]  # fmt: skip


def test_the_phone_breaks_a_tie_on_its_last_ten_digits(
    sim: Simulator, client: SonnysBackofficeClient
) -> None:
    employee = next(e for e in listed(sim) if e.active)
    other = twin(sim, employee, phone="(555) 010-0931")
    with pytest.raises(AmbiguousMatchError) as caught:
        client.find_employee(first_name=employee.first_name, last_name=employee.last_name)
    assert set(caught.value.candidates) == {employee.pos_user_id, other.pos_user_id}
    assert str(employee.pos_user_id) in str(caught.value)
    assert str(other.pos_user_id) in str(caught.value)
    found = client.find_employee(
        first_name=employee.first_name, last_name=employee.last_name, phone="+1 555 010 0931"
    )
    assert found.employee_id == other.id
    with pytest.raises(AmbiguousMatchError):  # a phone neither has: still never a guess
        client.find_employee(
            first_name=employee.first_name, last_name=employee.last_name, phone="5550100000"
        )


def test_active_narrows_the_name_lookup(sim: Simulator, client: SonnysBackofficeClient) -> None:
    employee = next(e for e in listed(sim) if e.active)
    gone = twin(sim, employee, phone="5550100932", active=False)
    assert client.find_employee(
        first_name=employee.first_name, last_name=employee.last_name
    ).employee_id == employee.id  # fmt: skip
    assert client.find_employee(
        first_name=employee.first_name, last_name=employee.last_name, active="inactive"
    ).employee_id == gone.id  # fmt: skip
    both = client.find_employees(
        first_name=employee.first_name, last_name=employee.last_name, active="all"
    )
    assert {r.employee_id for r in both} == {employee.id, gone.id}


def test_no_such_name_is_not_found(client: SonnysBackofficeClient) -> None:
    with pytest.raises(NotFoundError):
        client.find_employee(first_name="Nobody", last_name="Anywhere")
    with pytest.raises(ValidationError) as caught:
        client.find_employee(first_name=" ", last_name="Anywhere")
    assert caught.value.field == "first_name"


# ---------------------------------------------------------------- reads


def test_pos_user_id_exists_for_inactive_employees_too(
    sim: Simulator, client: SonnysBackofficeClient
) -> None:
    gone = next(e for e in listed(sim) if not e.active)
    assert client.pos_user_id_exists(gone.pos_user_id)
    assert not client.is_pos_user_id_available(gone.pos_user_id)
    free = max(e.pos_user_id for e in sim.store.employees.values()) + 1
    assert not client.pos_user_id_exists(free) and client.is_pos_user_id_available(free)


def test_an_employee_with_no_site_is_found_and_one_listed_nowhere_is_refused_by_the_server(
    demo_sim: Simulator,
) -> None:
    sim = demo_sim
    hidden = next(e for e in sim.store.employees.values() if not e.site_ids and e.active)
    gone = next(e for e in sim.store.employees.values() if not e.active and e.site_ids)
    gone.site_ids = set()  # inactive and no site: on no list, no search, no user form
    count = len(sim.store.employees)
    for pos_user_id, exists in ((hidden.pos_user_id, True), (gone.pos_user_id, False)):
        client = SonnysBackofficeClient(**sim.client_kwargs())
        # The Back Office leaves employees with no site out of every list and search;
        # the active ones are found among the Back Office user form's employees...
        assert client.pos_user_id_exists(pos_user_id) is exists
        # ...and the server refuses the duplicate of the others itself: our hire
        # reports it either way, having written nothing.
        with pytest.raises(DuplicateError) as caught:
            client.create_employee(
                first_name="Wren",
                last_name="Adair",
                phone="5550100933",
                email="wren.adair@example.com",
                pos_user_id=pos_user_id,
                wage_rate="16",
                start_date=date(2026, 5, 1),
                available_sites="all",
                permission="Cashier",
            )
        assert caught.value.wrote_nothing and len(sim.store.employees) == count
        posted = any(r.method == "POST" and r.path == "/employee/insert" for r in sim.requests)
        assert posted is not exists  # refused before any write when it was found


def test_get_employee_by_pos_user_id_or_email(
    sim: Simulator, client: SonnysBackofficeClient
) -> None:
    employee = next(e for e in listed(sim) if e.active and e.email)
    by_id = client.get_employee(pos_user_id=employee.pos_user_id)
    by_mail = client.get_employee(email=employee.email.upper())
    assert by_id == by_mail
    assert (by_id.employee_id, by_id.first_name, by_id.is_active) == (
        employee.id,
        employee.first_name,
        True,
    )
    names = {d.id: d.name for d in sim.store.departments.values()}
    assert sorted(by_id.departments) == sorted(names[i] for i in employee.department_ids)
    site_names = {sim.store.sites[i].name for i in employee.site_ids}
    assert by_id.available_sites == "all" or set(by_id.available_sites) == site_names
    latest = employee.latest_wage()
    assert latest is not None and by_id.current_wage is not None
    assert by_id.current_wage.rate == latest.regular_rate and by_id.current_wage.is_current
    assert by_id.wage_history[0].effective_date == latest.effective_date
    assert by_id.permission.template_name == (
        sim.store.template_name_for(employee.grant_ids, employee.override_ids)
    )
    assert by_id.permission.granted_permission_ids == frozenset(employee.grant_ids)
    assert by_id.permission.override_permission_ids == frozenset(employee.override_ids)
    assert by_id.adp_employee_id == (employee.adp_employee_id or None)
    assert by_id.record.pos_pin.reveal() == employee.pos_pin  # ours, whole
    assert employee.pos_pin not in repr(by_id)


def test_the_slices_are_the_parts_of_the_whole(
    sim: Simulator, client: SonnysBackofficeClient
) -> None:
    employee = next(e for e in listed(sim) if e.active)
    whole = client.get_employee(pos_user_id=employee.pos_user_id)
    before = len(sim.requests)
    profile = client.get_employee_profile(pos_user_id=employee.pos_user_id)
    assert len(sim.requests) - before == 2  # the exact search, the edit page
    assert (profile.first_name, profile.available_sites) == (
        whole.first_name,
        whole.available_sites,
    )
    wages = client.get_employee_compensation(pos_user_id=employee.pos_user_id)
    assert (wages.current, wages.history) == (whole.current_wage, whole.wage_history)
    assert client.get_employee_permission(pos_user_id=employee.pos_user_id) == whole.permission


def test_an_email_only_an_inactive_employee_holds_is_not_found(
    sim: Simulator, client: SonnysBackofficeClient
) -> None:
    gone = next(e for e in listed(sim) if not e.active and e.email)
    with pytest.raises(NotFoundError) as caught:
        client.get_employee(email=gone.email)
    assert "pos_user_id" in str(caught.value)
    assert client.get_employee(pos_user_id=gone.pos_user_id).is_active is False


def test_list_and_search_default_to_active_and_are_live(
    sim: Simulator, client: SonnysBackofficeClient
) -> None:
    rows = client.list_employees()
    assert rows and all(r.is_active for r in rows)
    assert {r.employee_id for r in client.list_employees(active="all")} == {
        e.id for e in listed(sim)
    }
    sim.store.employees[rows[0].employee_id].active = False  # changed behind our back
    assert rows[0].employee_id not in {r.employee_id for r in client.list_employees()}
    employee = next(e for e in listed(sim) if e.active)
    hits = client.search_employees(first_name=employee.first_name[:2].lower())
    assert employee.id in {r.employee_id for r in hits} and all(r.is_active for r in hits)
    with pytest.raises(ValidationError):
        client.list_employees(active="everyone")  # type: ignore[arg-type]


def test_templates_carry_grants_and_overrides(
    sim: Simulator, client: SonnysBackofficeClient
) -> None:
    stored = {t.name: t for t in sim.store.pos_templates.values()}
    for template in client.list_permissions(scope="pos"):
        assert template.grants == stored[template.name].grant_ids
        assert template.overrides == stored[template.name].override_ids


# ---------------------------------------------------------------- refused before any request


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({}, "fields"),
        ({"email": "a@example.com", "first_name": "X"}, "pos_user_id, email"),
        ({"wage_effective_date": "2026-01-01"}, "wage_effective_date"),
        ({"overtime_wage_rate": 30}, "overtime_wage_rate"),
        ({"activate": "yes"}, "activate"),
    ],
)
def test_modify_arguments_refused_before_any_request(
    sim: Simulator, client: SonnysBackofficeClient, arguments: dict[str, object], field: str
) -> None:
    employee = next(e for e in listed(sim) if e.active)
    keys: dict[str, object] = {"pos_user_id": employee.pos_user_id, **arguments}
    before = len(sim.requests)
    with pytest.raises(ValidationError) as caught:
        client.modify_employee(**keys)  # type: ignore[arg-type]
    assert caught.value.field == field and len(sim.requests) == before


def test_bad_values_name_their_compat_argument_and_write_nothing(
    sim: Simulator, client: SonnysBackofficeClient
) -> None:
    employee = next(e for e in listed(sim) if e.active)
    taken = next(e.email for e in listed(sim) if e.active and e.email and e is not employee)
    for arguments, field in (
        ({"new_email": "not-an-email"}, "new_email"),
        ({"wage_rate": "lots"}, "wage_rate"),
        ({"available_sites": ["Nowhere Wash"]}, "available_sites"),
        ({"available_sites": []}, "available_sites"),
        ({"departments": "Cashier"}, "departments"),
    ):
        before = len(sim.requests)
        with pytest.raises(ValidationError) as caught:
            client.modify_employee(pos_user_id=employee.pos_user_id, **arguments)  # type: ignore[arg-type]
        assert caught.value.field == field
        assert not [r for r in sim.requests[before:] if r.path.endswith("/update")]
    with pytest.raises(DuplicateError):
        client.modify_employee(pos_user_id=employee.pos_user_id, new_email=taken)


def test_wrap_shares_our_client(sim: Simulator) -> None:
    with NativeClient(**sim.client_kwargs()) as native:
        wrapped = SonnysBackofficeClient.wrap(native)
        assert wrapped.native is native and repr(wrapped).startswith("compat.")
        assert wrapped.list_sites() == native.list_sites()
        assert "password" not in repr(wrapped).replace("username", "")


def test_every_call_the_readme_table_names_exists_on_the_compat_client() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Coming from sonnys_backoffice", 1)[1].split("\n## ", 1)[0]
    theirs = [line.split("|")[1] for line in section.splitlines() if line.startswith("| `")]
    calls = {name for cell in theirs for name in re.findall(r"`?(\w+)\(", cell)}
    calls |= {name for cell in theirs for name in re.findall(r"`(\w+)`", cell)}
    assert {"modify_employee", "find_employee", "pos_user_id_exists"} <= calls
    for name in (c for c in calls if not c.startswith("_")):  # "_compensation": a suffix
        if name[0].islower():
            assert callable(getattr(SonnysBackofficeClient, name)), name
        else:
            assert hasattr(compat, name), name
