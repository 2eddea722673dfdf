"""Client library for Sonny's CarWash Controls Back Office user management.

The client and what it needs are resolved lazily (PEP 562) so that ``import
sonnys_tui.backoffice`` stays cheap: httpx and lxml load only when the client is
first used, and the result types (:mod:`.models`) when one is first named (the app's
first frame needs only :mod:`.text`, whose import runs this one).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The exceptions are light: exported as their module lists them, so a new one is named
# in one place. So are the result types, from their module, once first asked for.
from sonnys_tui.backoffice import errors as _errors
from sonnys_tui.backoffice.errors import *  # noqa: F403

if TYPE_CHECKING:
    from sonnys_tui.backoffice.client import SonnysBackofficeClient as SonnysBackofficeClient
    from sonnys_tui.backoffice.models import *  # noqa: F403
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


def _models() -> Any:
    return importlib.import_module(f"{__name__}.models")


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if name == "__all__":
        value: Any = sorted([*_EXPORTS, *_errors.__all__, *_models().__all__])
    elif module is not None:
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    elif name in _models().__all__:
        value = getattr(_models(), name)
    elif name == "models":  # the subpackage itself, as its import used to bind it here
        return _models()
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return list(__getattr__("__all__"))
