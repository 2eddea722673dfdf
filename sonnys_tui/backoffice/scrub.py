"""Replace every personal or secret value of a set of pages by a synthetic one.

For ``sonnys-tui doctor --capture``: the pages a tenant served, safe to hand to a
developer. Names, e-mails, phones, POS PINs, usernames, ADP ids, CSRF tokens,
passwords, cookies and session ids are replaced; the markup (tags, ids, classes,
field names, site and template ids) is left as it was. The same real value becomes
the same synthetic value on every page (a phone by its digits, whatever its format).

Two passes: the values are first learned where the pages hold them (form fields by
name, list columns by class, the linkable-employee options), then every text node
and attribute value of every page is rewritten: e-mails and phones by pattern
anywhere, names and usernames word by word, field-only secrets (PINs, ADP ids,
tokens) in their own fields.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import lxml.html
from lxml.html import HtmlElement

KINDS = (
    "names",
    "emails",
    "phones",
    "pins",
    "usernames",
    "adp ids",
    "csrf tokens",
    "passwords",
    "cookies",
)

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    r"(?<![\w.])(?:\+?1[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}(?!\w)"
    r"|(?<![\w.])\d{10}(?!\w)"
)
_WORD = re.compile(r"\w+(?:['’-]\w+)*")
_TOKEN_NAME = re.compile(r"(?:^|[_\[])(?:csrf_?)?token\]?$|^_csrf", re.I)

_NAME_FIELDS = frozenset(
    {"employee[firstName]", "employee[lastName]", "employee[emergencyContactName]"}
)
_PHONE_FIELDS = frozenset({"employee[phone]", "employee[emergencyContactPhone]"})
_EMAIL_FIELDS = frozenset({"employee[email]", "user[email]"})
_USERNAME_FIELDS = frozenset({"user[username]", "_username"})
_PIN_FIELDS = frozenset({"posCredential[POSLoginPassword]"})
_ADP_FIELDS = frozenset({"employee[adpEmployeeId]"})
# Attributes that are the page's structure, never a person's value.
_STRUCTURE = frozenset(
    {"name", "id", "class", "for", "type", "method", "style", "rel", "src", "role"}
)
# List columns (by class token fragment) that hold a person's value.
_COLUMNS = (
    ("first-name", "names"),
    ("last-name", "names"),
    ("col-name", "names"),
    ("phone", "phones"),
    ("email", "emails"),
    ("username", "usernames"),
    ("adp", "adp ids"),
)


def _letters(n: int) -> str:
    out = ""
    while True:
        n, rest = divmod(n, 26)
        out = chr(ord("a") + rest) + out
        if n == 0:
            return out
        n -= 1


_SYNTHETIC: dict[str, Callable[[int, str], str]] = {
    "names": lambda n, _real: f"Syn{_letters(n)}",
    "emails": lambda n, _real: f"person{n}@example.invalid",
    "phones": lambda n, _real: f"555-{n // 10000 % 1000:03d}-{n % 10000:04d}",
    "pins": lambda n, _real: str(10000 + n),
    "usernames": lambda n, _real: f"user{n:04d}",
    "adp ids": lambda n, _real: f"ADP{n:06d}",
    "csrf tokens": lambda n, real: f"{n:x}".rjust(max(len(real), 8), "0"),
    "passwords": lambda _n, _real: "",
    "cookies": lambda n, real: f"s{n:x}".rjust(max(len(real), 8), "0"),
}


@dataclass(frozen=True, slots=True)
class ScrubbedPage:
    name: str
    path: str
    html: str


@dataclass(frozen=True, slots=True)
class Scrubbed:
    pages: tuple[ScrubbedPage, ...]
    counts: dict[str, int]  # distinct real values replaced, per kind (never the values)


class _Synthetic:
    """Real value -> synthetic value, per kind, the same on every page."""

    def __init__(self) -> None:
        self.maps: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
        self._made: dict[str, set[str]] = {kind: set() for kind in KINDS}

    def of(self, kind: str, real: str) -> str:
        if real in self._made[kind]:
            return real  # already synthetic (replaced in its field, met again in the text)
        key = _digits(real) if kind == "phones" else real
        known = self.maps[kind]
        if key not in known:
            known[key] = made = _SYNTHETIC[kind](len(known), real)
            self._made[kind].add(made)
        return known[key]

    def learn_words(self, kind: str, text: str) -> None:
        for word in _WORD.findall(text):
            if not word.isdigit():
                self.of(kind, word)

    def counts(self) -> dict[str, int]:
        return {kind: len(values) for kind, values in self.maps.items()}


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def scrub_pages(
    pages: Sequence[tuple[str, str, bytes | str]],
    *,
    usernames: Iterable[str] = (),
    secrets: Mapping[str, Iterable[str]] | None = None,
) -> Scrubbed:
    """``pages``: (name, path, content). ``usernames``: logins known to be on the pages
    (the one logged in); ``secrets``: more values by kind ("cookies": the session's
    cookie values) replaced wherever they appear."""
    synthetic = _Synthetic()
    raw: list[tuple[str, str, str]] = []
    for name, path, content in pages:
        text = content.decode("utf-8", errors="replace") if isinstance(content, bytes) else content
        for kind, values in (secrets or {}).items():
            for value in values:
                if value and value in text:
                    text = text.replace(value, synthetic.of(kind, value))
        raw.append((name, path, text))
    for login in usernames:
        if login:
            synthetic.of("usernames", login)
    docs = [(name, path, lxml.html.document_fromstring(text)) for name, path, text in raw]
    for _name, _path, doc in docs:
        _learn(doc, synthetic)
    words = {**synthetic.maps["usernames"], **synthetic.maps["names"]}
    out = []
    for name, path, doc in docs:
        _rewrite(doc, synthetic, words)
        html = lxml.html.tostring(doc, encoding="unicode", doctype="<!DOCTYPE html>")
        out.append(ScrubbedPage(name, path, html))
    return Scrubbed(tuple(out), synthetic.counts())


def _learn(doc: HtmlElement, synthetic: _Synthetic) -> None:
    """Learn the values the page holds in known places (field-only secrets replaced now)."""
    for el in doc.iter("input", "textarea", "meta"):
        name = el.get("name") or ""
        value = (el.text or "") if el.tag == "textarea" else (el.get("value") or "")
        if el.tag == "meta":
            if name.casefold() in ("csrf-token", "_csrf", "csrf_token") and el.get("content"):
                el.set("content", synthetic.of("csrf tokens", el.get("content", "")))
            continue
        kind = (el.get("type") or "").casefold()
        if kind == "password" and value:
            el.set("value", synthetic.of("passwords", value))
        elif name in _NAME_FIELDS:
            synthetic.learn_words("names", value)
        elif name in _PHONE_FIELDS and value.strip():
            el.set("value", synthetic.of("phones", value))
        elif (name in _EMAIL_FIELDS or kind == "email") and value.strip():
            synthetic.of("emails", value.strip())
        elif name in _USERNAME_FIELDS and value.strip():
            synthetic.of("usernames", value.strip())
        elif name in _PIN_FIELDS and value:
            el.set("value", synthetic.of("pins", value))
        elif name in _ADP_FIELDS and value:
            el.set("value", synthetic.of("adp ids", value))
        elif _TOKEN_NAME.search(name) and not name.startswith("perms[") and value:
            el.set("value", synthetic.of("csrf tokens", value))
    for option in doc.iter("option"):
        first, last = option.get("data-first-name"), option.get("data-last-name")
        if first or last:
            synthetic.learn_words("names", f"{first or ''} {last or ''}")
            synthetic.learn_words("names", option.text_content())
        if option.get("data-email"):
            synthetic.of("emails", option.get("data-email", "").strip())
    for cell in doc.iter("td", "span", "div", "strong"):
        classes = cell.get("class") or ""
        if "col-" not in classes:
            continue
        text = cell.text_content().strip()
        for fragment, kind in _COLUMNS:
            if fragment in classes and text:
                if kind == "names":
                    synthetic.learn_words("names", text)
                elif kind in ("adp ids", "usernames"):
                    cell_value = synthetic.of(kind, text)
                    _set_text(cell, text, cell_value)
                elif kind == "phones":
                    _set_text(cell, text, synthetic.of("phones", text))
                break


def _set_text(cell: HtmlElement, real: str, synthetic: str) -> None:
    for el in cell.iter():
        if el.text and real in el.text:
            el.text = el.text.replace(real, synthetic)


def _rewrite(doc: HtmlElement, synthetic: _Synthetic, words: Mapping[str, str]) -> None:
    # A token learned from its field is replaced wherever a page repeats it (a script's
    # copy of the CSRF token), when long enough not to be some other number.
    tokens = [
        (real, made) for real, made in synthetic.maps["csrf tokens"].items() if len(real) >= 8
    ]

    def fix(text: str) -> str:
        for real, made in tokens:
            if real in text:
                text = text.replace(real, made)
        text = _EMAIL.sub(lambda m: synthetic.of("emails", m.group(0)), text)
        text = _PHONE.sub(lambda m: synthetic.of("phones", m.group(0)), text)
        return _WORD.sub(lambda m: words.get(m.group(0), m.group(0)), text)

    for el in doc.iter():
        # Comments and inline scripts too: a page may quote a person in either.
        if el.text and el.tag != "style":
            el.text = fix(el.text)
        if el.tail:
            el.tail = fix(el.tail)
        if not isinstance(el.tag, str):
            continue  # a comment or processing instruction: no attributes
        for attr, value in el.attrib.items():
            if attr not in _STRUCTURE and value:
                fixed = fix(value)
                if fixed != value:
                    el.set(attr, fixed)
