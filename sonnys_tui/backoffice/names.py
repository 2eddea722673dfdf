"""Resolve the names a caller types (sites, departments, templates) to tenant records."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from sonnys_tui.backoffice.errors import UnknownNameError
from sonnys_tui.backoffice.models import Department, Permission, Site


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def resolve_sites(
    wanted: Sequence[str] | Literal["all"], sites: Sequence[Site], *, field: str
) -> list[Site] | None:
    """The sites named by long name or short code (case-insensitive); None for "all"."""
    if isinstance(wanted, str):
        if _key(wanted) == "all":
            return None
        wanted = [wanted]
    if len(wanted) == 1 and _key(wanted[0]) == "all":
        return None
    by_key: dict[str, Site] = {}
    for site in sites:
        by_key.setdefault(_key(site.name), site)
        if site.code:
            by_key.setdefault(_key(site.code), site)
    resolved: list[Site] = []
    for name in wanted:
        found = by_key.get(_key(name))
        if found is None:
            valid = ", ".join(f"{s.name} ({s.code})" if s.code else s.name for s in sites)
            raise UnknownNameError(
                f"unknown site {name!r}; valid sites: {valid}, or 'all'", field=field
            )
        if found not in resolved:
            resolved.append(found)
    return resolved


def resolve_departments(
    wanted: Sequence[str], departments: Sequence[Department], *, field: str = "departments"
) -> list[Department]:
    by_key = {_key(d.name): d for d in departments}
    resolved: list[Department] = []
    for name in wanted:
        department = by_key.get(_key(name))
        if department is None:
            valid = ", ".join(d.name for d in departments)
            raise UnknownNameError(
                f"unknown department {name!r}; valid departments: {valid}", field=field
            )
        if department not in resolved:
            resolved.append(department)
    return resolved


def find_template(name: str, templates: Sequence[Permission]) -> Permission | None:
    """A template by name or description, case-insensitive."""
    wanted = _key(name)
    for template in templates:
        if _key(template.name) == wanted:
            return template
    for template in templates:
        if template.description and _key(template.description) == wanted:
            return template
    return None


def template_names(templates: Sequence[Permission]) -> str:
    return ", ".join(t.name for t in templates)


def require_template(
    name: str, templates: Sequence[Permission], *, kind: str, field: str
) -> Permission:
    """:func:`find_template`, or :class:`UnknownNameError` naming ``field`` and listing
    the ``kind`` ("POS", "Back Office") templates there are."""
    template = find_template(name, templates)
    if template is None:
        raise UnknownNameError(
            f"unknown {kind} template {name!r}; valid: {template_names(templates)}", field=field
        )
    return template
