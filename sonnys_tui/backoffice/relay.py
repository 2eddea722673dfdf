"""``Relay``: a method of one object that is a method of an object it holds.

:class:`~sonnys_tui.backoffice.client.SonnysBackofficeClient` relays its public
methods to its parts this way, and the compat client the calls it shares with ours
to our client (``.native``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Concatenate, Generic, ParamSpec, TypeVar, overload

__all__ = ["Relay"]

_P = ParamSpec("_P")
_R = TypeVar("_R")
_Part = TypeVar("_Part")


class Relay(Generic[_Part, _P, _R]):
    """A method that is ``method`` of the object held in the attribute ``part`` (its
    name): on an instance it is that object's own bound method (``getattr(part,
    method.__name__)``), on the class ``method`` itself. So it is typed as ``method``
    (mypy checks a call's arguments against its signature), shown as it (:func:`help`
    and :func:`inspect.signature` give its name, signature and docstring), and a call
    adds no frame of its own (whose locals, the arguments, a traceback would show).

    ``method`` is the held object's function (``Discovery.list_sites``), or a relayed
    method read off its class (``SonnysBackofficeClient.list_sites``, which is that
    function again)."""

    def __init__(self, part: str, method: Callable[Concatenate[_Part, _P], _R]) -> None:
        self._part = operator.attrgetter(part)
        self._method = method

    @overload
    def __get__(self, instance: None, owner: type) -> Callable[Concatenate[_Part, _P], _R]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> Callable[_P, _R]: ...

    def __get__(
        self, instance: object | None, owner: type | None = None
    ) -> Callable[Concatenate[_Part, _P], _R] | Callable[_P, _R]:
        if instance is None:
            return self._method
        bound: Callable[_P, _R] = getattr(self._part(instance), self._method.__name__)
        return bound
