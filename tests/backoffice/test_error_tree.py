"""The error hierarchy drawn in ``backoffice/errors.py``'s docstring is the real one:
every exception the module defines stands in the tree under its own base."""

from __future__ import annotations

import inspect
import re

from sonnys_tui.backoffice import errors

# The root at the margin, every other node after its "+-- " (text after a "|" is a
# description carried over).
_NODE = re.compile(r"^(?:[ |]*\+-- )?(?P<name>[A-Z]\w*Error)\b")


def _drawn_parents() -> dict[str, str | None]:
    """Each exception in the drawing -> the one it hangs under (None: the root)."""
    doc = errors.__doc__ or ""
    tree = doc.split("::", 1)[1].split("\n\n", 2)[1]  # the indented block after "::"
    parents: dict[str, str | None] = {}
    path: list[tuple[int, str]] = []  # (column, name) from the root down
    for line in tree.splitlines():
        match = _NODE.match(line.removeprefix("    "))
        if match is None:
            continue  # a description carried to the next line
        column = match.start("name")
        while path and path[-1][0] >= column:
            path.pop()
        parents[match["name"]] = path[-1][1] if path else None
        path.append((column, match["name"]))
    return parents


def _real_parents() -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for name, value in vars(errors).items():
        if inspect.isclass(value) and issubclass(value, Exception) and name == value.__name__:
            if value.__module__ != errors.__name__:
                continue
            ours = [b for b in value.__bases__ if issubclass(b, errors.BackofficeError)]
            found[name] = ours[0].__name__ if ours else None
    return found


def test_the_docstring_draws_every_error_under_its_base() -> None:
    assert _drawn_parents() == _real_parents()


def test_the_drawing_is_read_as_a_tree() -> None:
    # The parser above, on a sample: a wrong reading would make the test above vacuous.
    drawn = _drawn_parents()
    assert drawn["BackofficeError"] is None
    assert drawn["UnknownNameError"] == "ValidationError"
    assert drawn["SessionLostError"] == "BackofficeConnectionError"
    assert drawn["PermissionDeniedError"] == "BackofficeServerError"
