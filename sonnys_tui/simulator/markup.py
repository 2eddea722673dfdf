"""The page faults: serve a page with one element missing ("markup") or changed by a
function ("rewrite"): a changed server, a tenant whose pages differ."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import html as lxml_html
from werkzeug.wrappers import Response


def _xpath_for(selector: str) -> str:
    selector = selector.strip()
    if selector.startswith("."):
        token = selector[1:]
        return f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {token} ')]"
    if selector.startswith("[") and selector.endswith("]"):  # [name=value]
        # One bracket off each end only: values such as employee[firstName] have their own.
        attr, _, val = selector[1:-1].partition("=")
        return f"//*[@{attr}='{val.strip(chr(34) + chr(39))}']"
    return f"//*[@id='{selector.lstrip('#')}']"


def rewritten(response: Response, change: Callable[[Any], None]) -> Response:
    """An HTML page changed by ``change(doc)`` (in place, on an lxml.html document)."""
    if response.mimetype != "text/html" or response.status_code != 200:
        return response
    doc = lxml_html.document_fromstring(response.get_data(as_text=True))
    change(doc)
    response.set_data(lxml_html.tostring(doc, encoding="unicode", doctype="<!DOCTYPE html>"))
    return response


def without(response: Response, selector: str) -> Response:
    """A copy of an HTML response with every element matching ``selector`` removed.

    ``selector``: ``#id`` or a bare id, ``.class``, or ``[attr=value]``.
    """
    if response.mimetype != "text/html" or response.status_code != 200:
        return response
    doc = lxml_html.document_fromstring(response.get_data(as_text=True))
    found = doc.xpath(_xpath_for(selector))
    for element in found if isinstance(found, list) else []:
        parent = element.getparent() if isinstance(element, lxml_html.HtmlElement) else None
        if parent is not None and isinstance(element, lxml_html.HtmlElement):
            parent.remove(element)
    body = lxml_html.tostring(doc, encoding="unicode", doctype="<!DOCTYPE html>")
    response.set_data(body)
    return response
