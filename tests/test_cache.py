from __future__ import annotations

import json
import stat
from datetime import UTC, datetime, timedelta

import pytest

from sonnys_tui import cache
from sonnys_tui.backoffice.models import Department, EmployeeRow, Permission, Site


def _row(employee_id: int, pos_user_id: int = 4000, first: str = "Ada") -> EmployeeRow:
    return EmployeeRow(
        employee_id=employee_id,
        first_name=first,
        last_name="Testperson",
        pos_user_id=pos_user_id,
        phone="(555) 010-0101",
        site_codes=("FIE", "OAK"),
        departments=("Cashier",),
        access="Cashier",
        wage_type="Hourly",
        active=True,
    )


def _snapshot(saved_at: datetime | None = None) -> cache.RosterSnapshot:
    return cache.RosterSnapshot(
        saved_at=saved_at or datetime(2026, 11, 27, 9, 0, tzinfo=UTC),
        employees=(_row(1), _row(2, 4001, "Bo")),
        sites=(Site(3, "Demo Wash Fiesta", "FIE", 1, "North", 2, "Lakes"),),
        departments=(Department(1, "Cashier"),),
        templates=(
            Permission(
                "pos", "2", "Cashier", grant_ids=frozenset({1, 2}), override_ids=frozenset({2})
            ),
            Permission("backoffice", "1", "admin", "Administrator", tokens=frozenset({"a.b"})),
        ),
        emails=frozenset({"ada@example.com"}),
    )


def test_round_trip_keeps_everything() -> None:
    snapshot = _snapshot()
    path = cache.save("eastside", snapshot)
    assert cache.load("eastside") == snapshot
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.name == f"roster-v{cache.CACHE_VERSION}-eastside.json"


def test_missing_cache_is_none() -> None:
    assert cache.load("nobody") is None


@pytest.mark.parametrize(
    "content",
    ["{not json", "[]", '{"version": 1}', '{"version": 1, "saved_at": "yesterday"}', ""],
)
def test_corrupt_cache_is_ignored(content: str) -> None:
    path = cache.cache_path("p")
    path.parent.mkdir(parents=True)
    path.write_text(content)
    assert cache.load("p") is None


def test_other_version_is_ignored() -> None:
    path = cache.save("p", _snapshot())
    data = json.loads(path.read_text())
    data["version"] = cache.CACHE_VERSION + 1
    path.write_text(json.dumps(data))
    assert cache.load("p") is None


def test_clear_one_and_all() -> None:
    cache.save("a", _snapshot())
    cache.save("b", _snapshot())
    assert [p.name for p in cache.clear("a")] == [cache.cache_path("a").name]
    assert cache.load("a") is None and cache.load("b") is not None
    assert len(cache.clear()) == 1
    assert cache.load("b") is None


def test_profile_names_cannot_escape_the_cache_dir() -> None:
    path = cache.cache_path("../../etc/passwd")
    assert path.parent == cache.cache_dir()


def test_age_wording() -> None:
    now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    snapshot = _snapshot(now - timedelta(minutes=12))
    assert cache.describe_age(snapshot.age_seconds(now)) == "as of 12 min ago"
    assert cache.describe_age(5) == "as of just now"
    assert cache.describe_age(3 * 3600) == "as of 3 h ago"
