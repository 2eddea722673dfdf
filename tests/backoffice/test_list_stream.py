"""The employee list parsed while it downloads: same rows as the whole-page
parser whatever the chunking, and the session's fallbacks for expiry and errors."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sonnys_tui.backoffice import pages
from sonnys_tui.backoffice.errors import AuthenticationError, BackofficeServerError
from sonnys_tui.simulator import Simulator

from .conftest import make_client

SIM = Simulator.large(120, seed=7)


def _list_bytes(params: dict[str, str | int]) -> bytes:
    with make_client(SIM) as client:
        return client._session.get("/employee", params=params).content


FULL = _list_bytes({"limit": 10000, "active": "all"})
PAGED = _list_bytes({"limit": 25, "active": "all"})


@settings(max_examples=25, deadline=None)
@given(cuts=st.lists(st.integers(min_value=1, max_value=len(FULL) - 1), max_size=40))
def test_any_chunking_gives_the_whole_page_result(cuts: list[int]) -> None:
    bounds = [0, *sorted(set(cuts)), len(FULL)]
    stream = pages.EmployeeListStream()
    for start, end in itertools.pairwise(bounds):
        stream.feed(FULL[start:end])
    assert stream.close() == pages.parse_employee_list(pages.parse_tree(FULL))


def test_big_pages_restart_the_parser_between_rows_with_the_same_result() -> None:
    # libxml2's HTML parser keeps every byte it was fed until closed: the stream closes
    # it between two rows every RESTART_BYTES, or a 17 MB roster would be held whole.
    assert len(FULL) > 1.5 * pages.EmployeeListStream.RESTART_BYTES
    stream = pages.EmployeeListStream()
    stream.feed(FULL)
    assert stream.close() == pages.parse_employee_list(pages.parse_tree(FULL))
    assert stream.restarts >= len(FULL) // pages.EmployeeListStream.RESTART_BYTES - 1


def test_pager_and_site_codes_are_read() -> None:
    stream = pages.EmployeeListStream()
    stream.feed(PAGED)
    page = stream.close()
    assert len(page.rows) == 25
    assert page.next_url is not None and page.next_url.startswith("/employee/2")
    assert page.site_codes == pages.parse_employee_list(pages.parse_tree(PAGED)).site_codes


def test_changed_markup_is_loud() -> None:
    stream = pages.EmployeeListStream()
    stream.feed(b"<html><body><table class='something-else'><tr><td>x</td></tr></table>")
    with pytest.raises(BackofficeServerError, match=r"has no table\.table-employees-list"):
        stream.close()


@pytest.mark.parametrize("expired", ["redirect", "login200"])
def test_expired_session_on_a_streamed_list_logs_in_once(expired: str) -> None:
    sim = Simulator.demo()
    sim.settings.expired_session = expired
    with make_client(sim) as client:
        client.list_sites()  # logged in
        sim.faults.expire_sessions()
        rows = client.list_employees(refresh=True)
    assert {r.employee_id for r in rows} == {
        e.id for e in sim.store.employees.values() if e.site_ids
    }
    assert sum(r.path == "/login_check" for r in sim.requests) == 2


def test_a_login_page_after_logging_in_again_is_an_authentication_error() -> None:
    sim = Simulator.demo()
    with make_client(sim) as client:
        client.list_sites()
        sim.faults.add(path="/employee", method="GET", nth=None, kind="login200")
        with pytest.raises(AuthenticationError):
            client.list_employees(refresh=True)
    assert sum(r.path == "/login_check" for r in sim.requests) == 2


def test_server_error_on_the_list_is_reported_not_retried() -> None:
    sim = Simulator.demo()
    with make_client(sim) as client:
        client.list_sites()
        sim.faults.add(path="/employee", method="GET", nth=1, kind="500")
        with pytest.raises(BackofficeServerError) as info:
            client.list_employees(refresh=True)
    assert info.value.status_code == 500
    assert sum(r.path == "/employee" for r in sim.requests) == 1


def test_streamed_list_over_a_real_socket_counts_bytes() -> None:
    sim = Simulator.large(300, seed=3)
    with sim.serve() as base_url, make_client(sim, base_url=base_url, transport=None) as client:
        client.list_sites()
        client.stats.reset()
        rows = client.list_employees()
        assert client.stats.requests == 1
        assert client.stats.bytes_received > 300 * 1000
    assert len(rows) == sum(1 for e in sim.store.employees.values() if e.site_ids)
