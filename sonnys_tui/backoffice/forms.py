"""The one form serializer: what a browser would post for a Back Office form.

Built on :meth:`lxml.html.FormElement.form_values` (enabled controls, checked
boxes and radios, every selected option, textareas) plus only what the Back
Office's page scripts change (CONTRACT §2.2, §2.6):

- date inputs rendered with ``data-value`` and no ``value`` (the date picker
  copies ``data-value`` into the posted field);
- on edit posts, the site-tree ``[isAvailable]`` boxes and the district boxes of
  a denied region, which the scripts leave out.

The result is a :class:`FormData`: ordered ``(name, value)`` pairs with PHP
semantics in mind (``a[]`` appends; for a repeated scalar key the last wins).
Fields the client does not know are kept untouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from lxml.html import FormElement, HtmlElement

_SITE_IS_AVAILABLE = re.compile(r"(?:^|\[)sites\]?\[\d+\]\[isAvailable\]$")


class FormData:
    """Ordered form pairs with helpers to read and change them."""

    __slots__ = ("_pairs",)

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()) -> None:
        self._pairs: list[tuple[str, str]] = list(pairs)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)

    def __contains__(self, name: object) -> bool:
        return any(key == name for key, _ in self._pairs)

    def __repr__(self) -> str:
        # Values may be PINs or passwords: show only the field names.
        return f"FormData(names={[key for key, _ in self._pairs]!r})"

    def pairs(self) -> list[tuple[str, str]]:
        return list(self._pairs)

    def get(self, name: str) -> str | None:
        """The value the server binds for a scalar key: the last one."""
        for key, value in reversed(self._pairs):
            if key == name:
                return value
        return None

    def get_all(self, name: str) -> list[str]:
        return [value for key, value in self._pairs if key == name]

    def has_pair(self, name: str, value: str) -> bool:
        return (name, value) in self._pairs

    def set(self, name: str, value: str) -> None:
        """Replace every pair of ``name`` by one pair (kept at the first one's place)."""
        index = next((i for i, (key, _) in enumerate(self._pairs) if key == name), None)
        self.remove(name)
        if index is None:
            self._pairs.append((name, value))
        else:
            self._pairs.insert(index, (name, value))

    def set_all(self, name: str, values: Iterable[str]) -> None:
        """Replace every pair of a list key (``a[]``) by the given values."""
        index = next((i for i, (key, _) in enumerate(self._pairs) if key == name), None)
        self.remove(name)
        new = [(name, value) for value in values]
        if index is None:
            self._pairs.extend(new)
        else:
            self._pairs[index:index] = new

    def add(self, name: str, value: str) -> None:
        self._pairs.append((name, value))

    def remove(self, name: str) -> None:
        self._pairs = [(key, value) for key, value in self._pairs if key != name]

    def remove_pair(self, name: str, value: str) -> None:
        self._pairs = [pair for pair in self._pairs if pair != (name, value)]

    def remove_where(self, predicate: Callable[[str, str], bool]) -> None:
        self._pairs = [(key, value) for key, value in self._pairs if not predicate(key, value)]


def find_form(doc: HtmlElement, form_id: str) -> FormElement | None:
    found = doc.xpath(f"//form[@id='{form_id}']")
    if not found or not isinstance(found[0], FormElement):
        return None
    return found[0]


def serialize_form(form: FormElement, *, edit: bool = False) -> FormData:
    """The pairs a browser posts for ``form`` as the server rendered it.

    ``edit=True`` applies what the edit page's scripts do to the site tree.
    """
    # lxml (like a browser) skips an input with no value; the page's date
    # picker fills it from data-value first, so do the same on our own copy.
    for el in form.xpath(".//input[@name and @data-value and not(@value)]"):
        el.set("value", el.get("data-value", ""))
    data = FormData(form.form_values())
    if edit:
        _drop_script_omitted_tree_boxes(form, data)
    return data


@dataclass(frozen=True, slots=True)
class FormPage:
    """A page read for its form (the page parsers' results): a write posts the form as
    the server rendered it, changed only where it means to change something."""

    form: FormElement

    def serialize(self, *, edit: bool = False) -> FormData:
        """What a browser posts for the form untouched (see :func:`serialize_form`)."""
        return serialize_form(self.form, edit=edit)


def _drop_script_omitted_tree_boxes(form: FormElement, data: FormData) -> None:
    data.remove_where(lambda key, _value: bool(_SITE_IS_AVAILABLE.search(key)))
    denied_regions: set[str] = set()
    for el in form.xpath(".//input[@type='checkbox'][@data-region-id][not(@data-district-id)]"):
        name = el.get("name")
        is_region_box = name is not None and name.endswith("disabledRegions][]")
        is_region_box = is_region_box or name == "disabledRegions[]"
        if is_region_box and data.has_pair(str(name), el.get("value", "on")):
            denied_regions.add(el.get("data-region-id", ""))
    for el in form.xpath(".//input[@type='checkbox'][@data-region-id][@data-district-id]"):
        name = el.get("name")
        if name and el.get("data-region-id") in denied_regions:
            data.remove_pair(name, el.get("value", "on"))
