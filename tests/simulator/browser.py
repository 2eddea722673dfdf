"""What a browser would post for a form: the tests' own serializer (independent of the client)."""

from __future__ import annotations

import httpx
from lxml import html

TEXTUAL = {"text", "hidden", "number", "tel", "email", "password", "search", ""}


def form_pairs(page: str, form_id: str, *, use_data_value: bool = True) -> list[tuple[str, str]]:
    """Every enabled control as a browser sends it. ``use_data_value`` mimics the date-picker
    script copying ``data-value`` into a field that has no ``value``."""
    doc = html.document_fromstring(page)
    form = doc.get_element_by_id(form_id)
    pairs: list[tuple[str, str]] = []
    for el in form.iter("input", "select", "textarea"):
        name = el.get("name")
        if not name or el.get("disabled") is not None:
            continue
        if el.tag == "select":
            options = list(el.iter("option"))
            chosen = [o for o in options if o.get("selected") is not None]
            if not chosen and el.get("multiple") is None and options:
                chosen = options[:1]
            pairs.extend((name, o.get("value", o.text_content())) for o in chosen)
        elif el.tag == "textarea":
            pairs.append((name, el.text_content()))
        else:
            kind = (el.get("type") or "").lower()
            if kind in ("checkbox", "radio"):
                if el.get("checked") is not None:
                    pairs.append((name, el.get("value", "on")))
            elif kind in TEXTUAL:
                val = el.get("value")
                if val is None and use_data_value:
                    val = el.get("data-value")
                pairs.append((name, val or ""))
    return pairs


def replace(pairs: list[tuple[str, str]], **changes: str) -> list[tuple[str, str]]:
    """Set single-valued fields by name (keyword names use __ for brackets: a__b → a[b])."""
    wanted = {_name(k): v for k, v in changes.items()}
    out = [(k, wanted[k]) if k in wanted else (k, v) for k, v in pairs]
    for key, val in wanted.items():
        if key not in {k for k, _ in pairs}:
            out.append((key, val))
    return out


def _name(keyword: str) -> str:
    head, *rest = keyword.split("__")
    return head + "".join(f"[{part}]" for part in rest)


def without(pairs: list[tuple[str, str]], *names: str) -> list[tuple[str, str]]:
    return [
        (k, v)
        for k, v in pairs
        if k not in names and not any(k.startswith(n) for n in names if n.endswith("["))
    ]


def alerts(page: str, kind: str = "danger") -> list[str]:
    doc = html.document_fromstring(page)
    return [
        p.text_content().strip()
        for p in doc.xpath(
            f"//div[contains(@class,'alerts-server')]//div[contains(@class,'alert-{kind}')]//p"
        )
    ]


def login(client: httpx.Client, username: str, password: str) -> httpx.Response:
    return client.post("/login_check", data={"_username": username, "_password": password})


def post(client: httpx.Client, path: str, pairs: list[tuple[str, str]]) -> httpx.Response:
    """POST urlencoded pairs in order (httpx's ``data=`` would group repeated keys)."""
    from urllib.parse import urlencode

    return client.post(
        path,
        content=urlencode(pairs).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
