"""Issue 12, acceptance 3, in real Chromium on a 360 px phone — in Russian with JavaScript and
in Kazakh without: staff code a member's comment with two themes and download the CSV; write a
record with one quote and two recommendations, preview and publish it; an anonymous visitor
opens its permalink and a recommendation's timeline; a member finds it under "what became of
our advice"; staff publish a correction and v1 still reads as v1; staff withdraw the record and
both permalinks show the tombstone. axe-core finds nothing on any page when JavaScript runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.test_consultations import (
    V1_KK,
    V1_RU,
    check,
    comment_on,
    create_consultation,
    join,
    make_staff,
    path_of,
    publish,
)
from tests.browser.test_membership import goto, invite_codes

pytestmark = pytest.mark.browser

SAID = "Сутки — слишком долго для испуганного ребёнка. Нужно в тот же день."
EXCERPT = "Нужно в тот же день."
RECOMMENDATIONS = ("Направлять ребёнка в тот же день", "Психолог при каждом разговоре")


def press(page: Page, form: str, *, status: int = 200) -> None:
    """Send the form matching `form` with its own submit button and wait for the next page."""
    with page.expect_navigation() as navigation:
        page.locator(f"{form} button[type=submit]").first.click()
    response = navigation.value
    assert response is not None
    assert response.status == status, f"{page.url}: HTTP {response.status}"


def write_recommendation(staff: Page, server: LiveServer, title: str, *, axe: bool) -> str:
    goto(staff, server, "/staff/recommendations/new")
    check(staff, axe=axe)
    staff.fill("#title", title)
    staff.fill("#text", f"{title}. **Демонстрация.**")
    staff.check("input[name=locale][value=ru]")
    staff.select_option("#addressee", index=1)
    staff.check("input[name=regions][value=turkestan]")
    press(staff, "main form[action='/staff/recommendations/new']")
    found = re.fullmatch(r"/staff/recommendations/(\d+)", path_of(staff))
    assert found, staff.url
    press(staff, "main form[action$='/publish']")
    number = re.search(r"REC-\d{4}-\d{3}", staff.locator("main h1").inner_text())
    assert number, staff.locator("main h1").inner_text()
    return number.group(0)


@pytest.mark.parametrize(
    ("lang", "javascript"), [("ru", True), ("kk", False)], ids=["ru-js", "kk-nojs"]
)
def test_from_a_comment_to_a_withdrawn_record(
    new_page: Callable[..., Page], live_server: LiveServer, lang: str, javascript: bool
):
    server, axe = live_server, javascript
    staff = make_staff(new_page, server, f"Advice Staff {lang}", javascript=javascript)
    public_id, _typed = create_consultation(staff, server, title=f"Разговор с ребёнком {lang}")
    publish(staff, server, public_id, {"ru": V1_RU, "kk": V1_KK}, "Первая редакция.")
    member = new_page(javascript=javascript)
    (code,) = invite_codes(server, 1)
    join(member, server, code, {"ru": "Ясный Ветер", "kk": "Ашық Жел"}[lang])
    goto(member, server, f"/consultations/{public_id}")
    comment_on(member, "referral", SAID, stance="concerns", quotable=True)
    goto(member, server, f"/lang/{lang}?next=/consultations")
    goto(staff, server, f"/lang/{lang}?next=/staff")

    # Two themes on the comment, and the CSV.
    goto(staff, server, f"/staff/consultations/{public_id}/feedback")
    for theme in ("Сроки", "Кто говорит"):
        staff.fill("#name", theme)
        press(staff, "main form[action$='/feedback/themes']")
    for box in staff.locator("main fieldset input[name=theme]").all():
        box.check()
    staff.locator("main input[name=comment]").first.check()
    with staff.expect_navigation():
        staff.locator("main button[name=add]").click()
    expect(staff.locator("main .feedback-items .card").first).to_contain_text("Сроки")
    with staff.expect_download() as download:
        staff.locator("main form[action$='/feedback.csv'] button").click()
    assert SAID in download.value.path().read_text(encoding="utf-8-sig")
    check(staff, axe=axe)

    # An addressee, two published recommendations.
    goto(staff, server, "/staff/recommendations/addressees")
    staff.fill("#name_kk", "Түркістан облысының әкімдігі")
    staff.fill("#name_ru", "Акимат Туркестанской области")
    staff.fill("#name_en", "Akimat of Turkestan Region")
    press(staff, "main form[action='/staff/recommendations/addressees']")
    check(staff, axe=axe)
    numbers = [write_recommendation(staff, server, title, axe=axe) for title in RECOMMENDATIONS]

    # The record: from the consultation, one quote (an excerpt), both recommendations.
    goto(staff, server, "/staff/records")
    check(staff, axe=axe)
    staff.select_option("#consultation", value=public_id)
    press(staff, "main form[action='/staff/records/new']")
    assert path_of(staff) == "/staff/records/new"
    check(staff, axe=axe)
    staff.check("input[name=locale][value=ru]")
    staff.fill("#title", "Направлять в тот же день")
    staff.fill("#summary", "Группа советует направлять ребёнка в тот же день.")
    press(staff, "main form[action^='/staff/records/new']")
    record_path = path_of(staff)
    assert re.fullmatch(r"/staff/records/\d+", record_path), staff.url
    staff.locator("main input[name=add_quote]").first.check()
    staff.locator("main textarea[name^=excerpt-]").first.fill(EXCERPT)
    for box in staff.locator("main input[name=recommendation]").all():
        box.check()
    press(staff, f"main form[action='{record_path}/draft']")
    check(staff, axe=axe)
    goto(staff, server, f"{record_path}/preview")
    expect(staff.locator("main blockquote.quote")).to_contain_text(EXCERPT)
    check(staff, axe=axe)
    goto(staff, server, record_path)
    press(staff, f"main form[action='{record_path}/publish']")
    number = re.search(r"AR-\d{4}-\d{3}", staff.locator("main h1").inner_text())
    assert number, staff.locator("main h1").inner_text()
    record = number.group(0)

    # Anyone: the permalink, and a recommendation's timeline.
    visitor = new_page(javascript=javascript)
    goto(visitor, server, f"/lang/{lang}?next=/records/{record}")
    assert path_of(visitor) == f"/records/{record}"
    expect(visitor.locator("main h1")).to_have_text("Направлять в тот же день")
    expect(visitor.locator("main blockquote.quote")).to_contain_text(EXCERPT)
    expect(visitor.locator("main")).not_to_contain_text(SAID.split(".")[0])  # only the excerpt
    for rec in numbers:
        expect(visitor.locator(f"main a[href='/recommendations/{rec}']")).to_have_count(1)
    check(visitor, axe=axe)
    with visitor.expect_navigation():
        visitor.locator(f"main a[href='/recommendations/{numbers[0]}']").click()
    expect(visitor.locator("main ol.timeline li")).to_have_count(1)
    expect(visitor.locator(f"main a[href='/records/{record}']")).to_have_count(1)
    check(visitor, axe=axe)

    # The member: what became of our advice.
    goto(member, server, "/consultations")
    with member.expect_navigation():
        member.locator("main a[href='/consultations/outcomes']").click()
    expect(member.locator(f"main a[href='/records/{record}']")).to_have_count(1)
    for rec in numbers:
        expect(member.locator(f"main a[href='/recommendations/{rec}']")).to_have_count(1)
    check(member, axe=axe)

    # A correction: v2 is the latest, v1 stays as it was.
    goto(staff, server, record_path)
    press(staff, f"main form[action='{record_path}/correct']")
    staff.fill("#title", "Направлять в течение 12 часов")
    staff.fill("#changelog", "Срок уточнён: 12 часов.")
    press(staff, f"main form[action='{record_path}/draft']")
    press(staff, f"main form[action='{record_path}/publish']")
    assert "error" not in (staff.locator(".flashes").inner_html()), staff.locator(
        ".flashes"
    ).inner_text()
    goto(visitor, server, f"/records/{record}")
    expect(visitor.locator("main h1")).to_have_text("Направлять в течение 12 часов")
    expect(visitor.locator(f"main a[href='/records/{record}/v1']")).to_have_count(1)
    goto(visitor, server, f"/records/{record}/v1")
    expect(visitor.locator("main h1")).to_have_text("Направлять в тот же день")
    expect(visitor.locator(f"main a[href='/records/{record}']").first).to_be_visible()
    check(visitor, axe=axe)

    # Withdrawn: both permalinks answer with the tombstone, and no text.
    goto(staff, server, record_path)
    staff.fill("#reason", "Порядок, о котором шла речь, отменён.")
    press(staff, f"main form[action='{record_path}/withdraw']")
    check(staff, axe=axe)
    for path in (f"/records/{record}", f"/records/{record}/v1"):
        goto(visitor, server, path)
        expect(visitor.locator("main .tombstone")).to_contain_text(
            "Порядок, о котором шла речь, отменён."
        )
        expect(visitor.locator("main blockquote")).to_have_count(0)
        expect(visitor.locator("main")).not_to_contain_text(EXCERPT)
        check(visitor, axe=axe)
