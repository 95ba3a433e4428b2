"""Issue 13, "Cite this", in real Chromium: an anonymous visitor opens a record, copies the
plain citation from the page, follows each format's link (the plain text opens, BibTeX, RIS
and CSL-JSON download), and prints the page: in print media no navigation, no quick exit and
no form shows, and the number, revision and permanent address do. With and without
JavaScript; axe-core on the page when it runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.test_advice_journey import press
from tests.browser.test_consultations import check, make_staff, path_of
from tests.browser.test_membership import goto

pytestmark = pytest.mark.browser

TITLE = 'Бала «қорғау» {v2}: 100% & «Защита» "детей"'


def publish_record(staff: Page, server: LiveServer) -> str:
    goto(staff, server, "/staff/records/new")
    staff.check("input[name=locale][value=kk]")
    staff.fill("#title", TITLE)
    staff.fill("#advice", "## Кеңес\n\nБаламен **бір рет** сөйлесу.")
    press(staff, "main form[action^='/staff/records/new']")
    record_path = path_of(staff)
    press(staff, f"main form[action='{record_path}/publish']")
    number = re.search(r"AR-\d{4}-\d{3}", staff.locator("main h1").inner_text())
    assert number, staff.locator("main h1").inner_text()
    return number.group(0)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_a_visitor_cites_and_prints_a_record(
    new_page: Callable[..., Page], live_server: LiveServer, javascript: bool
):
    server = live_server
    staff = make_staff(new_page, server, f"Citing Staff {int(javascript)}", javascript=javascript)
    number = publish_record(staff, server)
    visitor = new_page(javascript=javascript)
    goto(visitor, server, f"/records/{number}")
    citation = visitor.locator("main .cite .citation")
    expect(citation).to_contain_text(TITLE)
    expect(citation).to_contain_text(f"{number}, revision 1")
    expect(citation).to_contain_text(server.at(f"/records/{number}/v1"))
    check(visitor, axe=javascript)

    links = visitor.locator("main .cite a")
    expect(links).to_have_count(4)
    for fmt in ("bib", "ris", "json"):
        with visitor.expect_download() as download:
            visitor.locator(f"main .cite a[href$='/v1/cite.{fmt}']").click()
        assert download.value.suggested_filename == f"{number}-v1.{fmt}"
        assert TITLE.split(" ")[0] in download.value.path().read_text(encoding="utf-8")
    with visitor.expect_navigation():
        visitor.locator("main .cite a[href$='/v1/cite.txt']").click()
    assert path_of(visitor) == f"/records/{number}/v1/cite.txt"
    expect(visitor.locator("body")).to_contain_text(TITLE)

    goto(visitor, server, f"/records/{number}")
    visitor.emulate_media(media="print")
    for hidden in (
        ".site-header",
        ".site-footer",
        ".skip-link",
        "main .cite .no-print",
        "main .permalink",
    ):
        for element in visitor.locator(hidden).all():
            expect(element).to_be_hidden()
    footer = visitor.locator("main .print-footer")
    expect(footer).to_be_visible()
    expect(footer).to_contain_text(number)
    expect(footer).to_contain_text(server.at(f"/records/{number}/v1"))
    expect(visitor.locator("main h1")).to_be_visible()
    expect(visitor.locator("main .cite .citation")).to_be_visible()
    visitor.emulate_media(media="screen")
    expect(footer).to_be_hidden()
