"""PHP-style request body parsing, as the Back Office (Symfony on PHP) reads it.

``a[b][c]=v`` nests, ``a[]=v`` appends, and a repeated key keeps the **last**
value. A checkbox is "on" when its key is present, whatever the value: use
:func:`present` for those and :func:`value` for fields read by value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_SEGMENT = re.compile(r"\[([^\]]*)\]")

PhpValue = Any  # str | dict[str, PhpValue] | list[PhpValue]


def _split(key: str) -> list[str]:
    head, bracket, rest = key.partition("[")
    if not bracket or not head:
        return [key]
    parts = [head]
    tail = "[" + rest
    pos = 0
    while pos < len(tail):
        match = _SEGMENT.match(tail, pos)
        if match is None:  # PHP ignores a malformed tail; keep it simple and stop there
            break
        parts.append(match.group(1))
        pos = match.end()
    return parts


def parse_pairs(pairs: Iterable[tuple[str, str]]) -> dict[str, PhpValue]:
    """Fold ``(key, value)`` pairs into nested dicts the way PHP fills ``$_POST``.

    Appended (``[]``) entries get the next integer key, like PHP arrays; every
    container is a ``dict`` with string keys so lookups are uniform.
    """
    root: dict[str, PhpValue] = {}
    for key, val in pairs:
        parts = _split(key)
        node: dict[str, PhpValue] = root
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            if part == "" and depth > 0:
                part = str(_next_index(node))
            if last:
                node[part] = val
            else:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = {}
                    node[part] = child
                node = child
    return root


def _next_index(node: dict[str, PhpValue]) -> int:
    ints = [int(k) for k in node if k.lstrip("-").isdigit()]
    return max(ints) + 1 if ints else 0


def lookup(data: dict[str, PhpValue], *path: str) -> PhpValue | None:
    node: PhpValue = data
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def present(data: dict[str, PhpValue], *path: str) -> bool:
    """True when the key exists at all (how PHP code reads a checkbox)."""
    return lookup(data, *path) is not None


def value(data: dict[str, PhpValue], *path: str) -> str:
    """The scalar at ``path``, or ``""`` when absent or not a scalar."""
    found = lookup(data, *path)
    return found if isinstance(found, str) else ""


def values(data: dict[str, PhpValue], *path: str) -> list[str]:
    """The scalar members of an array at ``path`` (``a[]=1&a[]=2`` → ``["1", "2"]``)."""
    found = lookup(data, *path)
    if isinstance(found, dict):
        return [v for v in found.values() if isinstance(v, str)]
    if isinstance(found, str):
        return [found]
    return []


def children(data: dict[str, PhpValue], *path: str) -> dict[str, PhpValue]:
    found = lookup(data, *path)
    return found if isinstance(found, dict) else {}


def to_int(text: str) -> int | None:
    text = text.strip()
    if text.lstrip("-").isdigit():
        return int(text)
    return None


def int_set(items: Iterable[str]) -> set[int]:
    return {n for n in (to_int(s) for s in items) if n is not None}
