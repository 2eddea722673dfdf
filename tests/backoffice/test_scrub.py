"""The capture's scrubber: every personal or secret value replaced, consistently, the
markup left as it was."""

from __future__ import annotations

from lxml import html

from sonnys_tui.backoffice.scrub import scrub_pages

PAGE = b"""<html><head><script>var who = {name: "Jordan Pilot", mail: "jp@x.com"};
var csrf = "abcdef123456";</script>
</head><body><!-- captured for Jordan Pilot, 312-555-0101 -->
<form id="f"><input name="employee[firstName]" value="Jordan">
<input name="employee[lastName]" value="Pilot"><input name="employee[phone]" value="555-0101">
<input name="posCredential[POSLoginPassword]" value="4821">
<input name="employee[adpEmployeeId]" value="A77">
<input type="hidden" name="_token" value="abcdef123456">
<input type="hidden" name="perms[0][token]" value="report.all">
<input type="password" name="user[password]" value="hunter2">
<input type="checkbox" name="employee[sites][12][isAvailable]" value="12" checked></form>
<table><tr><td class="users-col-username">jpilot</td><td class="users-col-phone">(312) 555-0101</td>
</tr></table><a href="tel:3125550101">call</a><p>Logged in as bot (session sess-77aa)</p>
</body></html>"""
SECRETS = ["Jordan", "Pilot", "jp@x.com", "555-0101", "4821", "A77", "abcdef123456", "hunter2",
           "jpilot", "sess-77aa", "3125550101"]  # fmt: skip


def test_every_value_is_replaced_and_the_markup_kept() -> None:
    scrubbed = scrub_pages(
        [("p", "/p", PAGE)], usernames=["bot"], secrets={"cookies": ["sess-77aa"]}
    )
    (page,) = scrubbed.pages
    for secret in SECRETS:
        assert secret not in page.html, secret
    assert " bot " not in page.html
    doc = html.document_fromstring(page.html)
    names = [el.get("name") for el in doc.iter("input")]
    assert names == [el.get("name") for el in html.document_fromstring(PAGE).iter("input")]
    assert doc.xpath("//input[@name='perms[0][token]']/@value") == ["report.all"]  # structure
    assert doc.xpath("//input[@name='employee[sites][12][isAvailable]']/@value") == ["12"]
    assert doc.xpath("//input[@type='password']/@value") == [""]
    counts = scrubbed.counts
    assert (counts["names"], counts["pins"], counts["adp ids"], counts["passwords"]) == (2, 1, 1, 1)
    assert counts["usernames"] == 2 and counts["cookies"] == 1 and counts["csrf tokens"] == 1


def test_the_same_value_is_the_same_synthetic_value_on_every_page() -> None:
    other = b'<html><body><span class="employees-col-phone">312.555.0101</span>Jordan</body></html>'
    scrubbed = scrub_pages([("a", "/a", PAGE), ("b", "/b", other)])
    first, second = scrubbed.pages
    phone = html.document_fromstring(second.html).xpath("//span/text()")[0]
    assert phone in first.html  # one person's phone, written three ways, one synthetic value
    name = html.document_fromstring(first.html).xpath("//input[@name='employee[firstName]']/@value")
    assert name[0] in second.html
