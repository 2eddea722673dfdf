"""What every page parser shares: parsing a page, finding its parts (by id, name or
whole class token), the alerts, and the loud error for markup that changed.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import ParamSpec, TypeVar, cast

import lxml.html
from lxml import etree
from lxml.html import FormElement, HtmlElement

from sonnys_tui.backoffice.errors import BackofficeServerError, UnreadablePageError
from sonnys_tui.backoffice.formcheck import DOCTOR_HINT
from sonnys_tui.backoffice.forms import FormData, find_form
from sonnys_tui.backoffice.sites import has_class

_P = ParamSpec("_P")
_R = TypeVar("_R")


@functools.cache
def _html_parser(encoding: str) -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(encoding=encoding)


def parse_html(text: str | bytes, *, encoding: str | None = None) -> HtmlElement:
    """Parse a page; bytes are decoded with ``encoding`` (the response's charset)."""
    if not text.strip():
        raise UnreadablePageError("the server sent an empty page")
    try:
        if isinstance(text, bytes) and encoding:
            return lxml.html.document_fromstring(text, parser=_html_parser(encoding))
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise UnreadablePageError(f"the server sent unparseable HTML ({exc})") from None


def gc_paused(parse: Callable[_P, _R]) -> Callable[_P, _R]:
    """Pause the cyclic garbage collector while a big page is turned into records.

    A 10,000-row list allocates ~100k container objects, which triggers several
    full collections that each walk every lxml proxy alive (measured: ~40% of the
    parse). Parsing creates no reference cycles, so nothing is left uncollected.
    """

    @functools.wraps(parse)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not gc.isenabled():
            return parse(*args, **kwargs)
        gc.disable()
        try:
            return parse(*args, **kwargs)
        finally:
            gc.enable()

    return paused


@functools.cache
def _tree_parser(encoding: str) -> etree.HTMLParser:
    return etree.HTMLParser(encoding=encoding)


def parse_tree(content: bytes, *, encoding: str = "utf-8") -> etree._Element:
    """Parse a page into plain lxml elements (no ``lxml.html`` class lookup per
    element): about a third cheaper to walk, enough for the list pages."""
    if not content.strip():
        raise UnreadablePageError("the server sent an empty page")
    root = etree.fromstring(content, _tree_parser(encoding))
    if root is None:
        raise UnreadablePageError("the server sent unparseable HTML")
    return root


def missing(page: str, element: str) -> BackofficeServerError:
    # Changed markup: what else differs on this tenant, doctor says (reading only).
    return BackofficeServerError(f"{page} page has no {element} ({DOCTOR_HINT})", step=page)


def text_of(el: etree._Element) -> str:
    """The element's text with white space collapsed, as a browser shows it."""
    # tostring(method="text") gathers the text in C: ~5x faster than itertext().
    return " ".join(etree.tostring(el, method="text", encoding="unicode", with_tail=False).split())


def require_form(doc: HtmlElement, form_id: str, page: str) -> FormElement:
    form = find_form(doc, form_id)
    if form is None:
        raise missing(page, f"form #{form_id}")
    return form


def int_or_none(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() else None


def required_id(data: FormData, key: str, page: str) -> int:
    """The record id the form posts under ``key`` (a record's page is unreadable without it)."""
    found = int_or_none(data.get(key))
    if found is None:
        raise missing(page, key)
    return found


def select_options(
    form: HtmlElement, name: str, page: str, *, what: str
) -> list[tuple[str, etree._Element]]:
    """The options of the form's select ``name`` that have a value (a "choose one" first
    option has none), each with its value trimmed. The page must have the select:
    ``what`` names it in the error when it has not."""
    selects = form.xpath(f".//select[@name='{name}']")
    if not selects:
        raise missing(page, what)
    return [
        (value, option)
        for option in selects[0].xpath(".//option")
        if (value := (option.get("value") or "").strip())
    ]


def comma_items(text: str | None) -> list[str]:
    """The items of a comma-separated attribute (a template's ``data-permissions-set``),
    trimmed, the empty ones left out."""
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def numbered_options(options: Iterable[etree._Element]) -> dict[int, str]:
    """The options with a numeric value, by value: their text (a site select's codes)."""
    return {
        int(value): text_of(option)
        for option in options
        if (value := (option.get("value") or "").strip()).isdigit()
    }


def classes(el: etree._Element) -> list[str]:
    return (el.get("class") or "").split()


def parse_us_date(text: str | None) -> date | None:
    try:
        return datetime.strptime((text or "").strip(), "%m/%d/%Y").date()
    except ValueError:
        return None


def is_login_page(doc: HtmlElement) -> bool:
    """True when the page carries the login form (whatever URL it came from)."""
    return bool(doc.xpath("//input[@name='_username']")) and bool(
        doc.xpath("//input[@name='_password']")
    )


@dataclass(frozen=True, slots=True)
class Alerts:
    success: tuple[str, ...]
    danger: tuple[str, ...]


def parse_alerts(doc: HtmlElement) -> Alerts:
    boxes = doc.xpath(f"//div[{has_class('alerts')}][{has_class('alerts-server')}]")

    def texts(kind: str) -> tuple[str, ...]:
        found: list[str] = []
        for box in boxes:
            for alert in box.xpath(f".//div[{has_class('alert')}][{has_class(kind)}]"):
                paragraphs = alert.xpath(".//p")
                text = " ".join(text_of(p) for p in paragraphs) if paragraphs else text_of(alert)
                found.append(text.replace("Error:", "").replace("Success:", "").strip())
        return tuple(found)

    return Alerts(success=texts("alert-success"), danger=texts("alert-danger"))


def by_id(doc: etree._Element, element_id: str) -> etree._Element | None:
    """O(1) lookup: libxml2 indexes HTML ``id`` attributes, XPath's ``id()`` uses it
    (a ``//a[@id=…]`` scan costs ~0.1 s on a 10,000-row list page)."""
    found = cast("list[etree._Element]", doc.xpath("id($id)", id=element_id))
    return found[0] if found else None


def next_link(doc: etree._Element, pager_id: str) -> str | None:
    return _href(by_id(doc, f"{pager_id}-next"))


def pager_next(nav: etree._Element, pager_id: str) -> str | None:
    wanted = f"{pager_id}-next"
    return _href(next((a for a in nav.iter("a") if a.get("id") == wanted), None))


def _href(link: etree._Element | None) -> str | None:
    href = (link.get("href") or "").strip() if link is not None else ""
    return href if href and href != "#" else None


def id_from_location(location: str, prefix: str) -> int | None:
    """The numeric id in a redirect ``Location`` such as ``/employee/permissions/512``."""
    path = location.split("://", 1)[-1]
    path = path[path.find("/") :] if "://" in location else path
    if not path.startswith(prefix):
        return None
    rest = path[len(prefix) :].split("?", 1)[0].split("/", 1)[0]
    return int(rest) if rest.isdigit() else None
