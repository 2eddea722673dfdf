"""Client library for Sonny's CarWash Controls Back Office user management.

The client and what it needs are resolved lazily (PEP 562) so that ``import
sonnys_tui.backoffice`` stays cheap: httpx and lxml load only when the client is
first used.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The exceptions and the result types are light (neither loads httpx nor lxml): they
# are exported as their modules list them, so a new one is named in one place.
from sonnys_tui.backoffice import errors as _errors
from sonnys_tui.backoffice import models as _models
from sonnys_tui.backoffice.errors import *  # noqa: F403
from sonnys_tui.backoffice.models import *  # noqa: F403

if TYPE_CHECKING:
    from sonnys_tui.backoffice.client import SonnysBackofficeClient as SonnysBackofficeClient
    from sonnys_tui.backoffice.review import AccessFinding as AccessFinding
    from sonnys_tui.backoffice.review import AccessReview as AccessReview
    from sonnys_tui.backoffice.session import ClientStats as ClientStats

# What loads the HTTP stack, resolved on first use (PEP 562).
_EXPORTS: dict[str, str] = {
    "SonnysBackofficeClient": "client",
    "ClientStats": "session",
    "AccessFinding": "review",
    "AccessReview": "review",
}

__all__ = sorted([*_EXPORTS, *_errors.__all__, *_models.__all__])


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
