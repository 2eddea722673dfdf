"""Shared set-up for the reliability tests: a simulator, a warmed client, store snapshots."""

from __future__ import annotations

import copy
import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from sonnys_tui.backoffice import SonnysBackofficeClient
from sonnys_tui.simulator import Simulator
from sonnys_tui.simulator.store import Store

SENTINEL_PASSWORD = "Sentinel-Pw-93xQ"
SENTINEL_PIN = 73519


def make_client(sim: Simulator, **overrides: Any) -> SonnysBackofficeClient:
    return SonnysBackofficeClient(**sim.client_kwargs(**overrides))


def warm(client: SonnysBackofficeClient, *, roster: bool = True) -> None:
    """Fill every discovery cache so that an operation sends only its own steps.

    ``roster=False`` leaves the employee list cold, so that disable/enable by POS
    User ID must look the employee up on the server (a warm roster answers it).
    """
    client.list_sites()
    client.list_permissions(scope="pos")
    client.list_permissions(scope="backoffice")
    if roster:
        client.list_employees()
    client.list_backoffice_users()
    client.is_email_available("warm.up@example.com")
    if roster:
        client.hidden_employees()  # their POS User IDs and phones are taken too


def employee_args(client: SonnysBackofficeClient, **overrides: Any) -> dict[str, Any]:
    sites = client.list_sites()
    args: dict[str, Any] = {
        "first_name": "Faulty",
        "last_name": "McMatrix",
        "phone": "(555) 010-0177",
        "email": "faulty.mcmatrix@example.com",
        "pos_user_id": 8801,
        "wage_rate": "14.25",
        "start_date": date(2026, 6, 1),
        "available_sites": [sites[0].name, sites[1].name],
        "permission": "cashier",
        "departments": ["Greeter"],
    }
    args.update(overrides)
    return args


def snapshot(store: Store) -> dict[str, dict[int, dict[str, Any]]]:
    """Every employee and user as plain data, to compare before and after."""
    return {
        "employees": {i: _plain(e) for i, e in store.employees.items()},
        "users": {i: _plain(u) for i, u in store.users.items()},
    }


_IMMUTABLE = (str, int, float, Decimal, date, type(None))  # bool is an int, datetime a date


def _plain(value: Any) -> Any:
    """The same data as ``dataclasses.asdict``, which deep-copies every number of every
    set of permission ids one by one (4 ms a snapshot of the demo tenant, taken twice a
    fault-matrix case, instead of 1): those are immutable, so kept as they are;
    containers and dataclasses are still copied."""
    if isinstance(value, _IMMUTABLE):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple | set | frozenset):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    return copy.deepcopy(value)
