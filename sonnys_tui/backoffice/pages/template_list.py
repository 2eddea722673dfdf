"""The role template list pages (``/pos-permission-template/list``,
``/bo-permission-template/list``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from sonnys_tui.backoffice.pages.markup import (
    missing,
    text_of,
)

_ID_IN_HREF = re.compile(r"/(\d+)(?:[/?#]|$)")


@dataclass(frozen=True, slots=True)
class TemplateListRow:
    id: str
    name: str
    description: str


def parse_template_list(doc: HtmlElement, *, kind: str) -> tuple[TemplateListRow, ...]:
    """``/pos-permission-template/list`` (kind "pos") or ``/bo-permission-template/list``."""
    page = f"{kind} template list"
    rows: list[TemplateListRow] = []
    for tr in doc.xpath("//table//tbody/tr"):
        cells = tr.xpath("./td")
        hrefs = tr.xpath(".//a[contains(@href, '-permission-template/edit/')]/@href")
        if len(cells) < 2 or not hrefs:
            continue
        match = _ID_IN_HREF.search(str(hrefs[0]))
        if match:
            rows.append(TemplateListRow(match.group(1), text_of(cells[0]), text_of(cells[1])))
    if not rows:
        raise missing(page, "template table")
    return tuple(rows)
