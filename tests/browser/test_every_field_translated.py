"""Issue 11, item 1, in a real browser: staff write a consultation's title, summary, content
note, changelog and a decision in the main language (Russian) and in Kazakh, through the folded
"other languages" part of each form, with JavaScript on and off and their interface in Kazakh or
Russian; a member on a 360 px phone reads each field in their language, with its `lang`, and
where a field exists in Russian only (here the content note) reads it in Russian under a note
that says so. axe-core on every page when JavaScript runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, LiveServer
from tests.browser.test_consultations import (
    V1_KK,
    V1_RU,
    check,
    join,
    make_staff,
    path_of,
    server_now_in_almaty,
)
from tests.browser.test_membership import error_text, goto, invite_codes, submit
from tests.browser.test_usability import LANGUAGES_AND_SCRIPT

pytestmark = pytest.mark.browser

RU = {
    "title": "Порядок работы мобильных групп",
    "summary": "Проект порядка. Выскажите своё мнение.",
    "content_note": "В тексте говорится о торговле детьми.",
    "changelog": "Первая редакция.",
    "question": "Кто должен первым говорить с ребёнком?",
    "options": ("Социальный работник", "Психолог"),
}
KK = {
    "title": "Жылжымалы топтардың жұмыс тәртібі",
    "summary": "Тәртіптің жобасы. Пікіріңізді айтыңыз.",
    "changelog": "Алғашқы нұсқа.",
    "question": "Баламен бірінші кім сөйлесуі керек?",
    "options": ("Әлеуметтік қызметкер", "Психолог"),
}
NOTE = {
    "kk": "Мәтіннің бір бөлігі әзірге сіздің тіліңізде жоқ. Ол мына тілде көрсетілген: Русский.",
    "ru": "Части этого текста пока нет на вашем языке.",
}


def open_other_languages(staff: Page) -> None:
    """The folded part of the form: a native <details>, which opens with or without JS."""
    other = staff.locator("main details.other-languages").first
    expect(other).not_to_have_attribute("open", "")
    other.locator("summary").click()
    expect(other).to_have_attribute("open", "")


def write_consultation(staff: Page, server: LiveServer, *, axe: bool) -> str:
    goto(staff, server, "/staff/consultations/new")
    check(staff, axe=axe)
    staff.check("input[name=main_locale][value=ru]")
    for name in ("title", "summary", "content_note"):
        staff.fill(f"#{name}_ru", RU[name])
        expect(staff.locator(f"#{name}_ru")).to_have_attribute("lang", "ru")
    open_other_languages(staff)
    check(staff, axe=axe)
    staff.fill("#title_kk", KK["title"])
    staff.fill("#summary_kk", KK["summary"])
    expect(staff.locator("#title_kk")).to_have_attribute("lang", "kk")
    opens = server_now_in_almaty(server) - timedelta(minutes=5)
    staff.fill("#opens_on", opens.strftime("%Y-%m-%d"))
    staff.fill("#opens_time", opens.strftime("%H:%M"))
    staff.fill("#closes_on", (opens + timedelta(days=14)).strftime("%Y-%m-%d"))
    staff.fill("#closes_time", opens.strftime("%H:%M"))
    submit(staff)
    public_id = path_of(staff).split("/")[3]
    assert path_of(staff) == f"/staff/consultations/{public_id}/draft", error_text(staff)

    staff.fill("#text_ru", V1_RU)
    staff.fill("#text_kk", V1_KK)
    staff.fill("#changelog", RU["changelog"])
    open_other_languages(staff)
    staff.fill("#changelog_kk", KK["changelog"])
    check(staff, axe=axe)
    with staff.expect_navigation(url=server.at(f"/staff/consultations/{public_id}/preview")):
        staff.locator("#publish").click()
    return public_id


def write_decision(staff: Page, server: LiveServer, public_id: str, *, axe: bool) -> None:
    listing = f"/staff/consultations/{public_id}/decisions"
    goto(staff, server, f"{listing}/new")
    staff.fill("#question", RU["question"])
    staff.check("input[name=kind][value=single]")
    staff.fill("#options", "\n".join(RU["options"]))
    open_other_languages(staff)
    staff.fill("#question_kk", KK["question"])
    staff.fill("#options_kk", KK["options"][0])  # one of two: refused, and kept
    staff.fill("#min_ballots", "1")
    submit(staff, status=400)
    expect(staff.locator("main .error-summary")).to_have_count(1)
    expect(staff.locator("#question_kk")).to_have_value(KK["question"])
    expect(staff.locator("main details.other-languages")).to_have_attribute("open", "")
    check(staff, axe=axe, error_documents=(server.at(f"{listing}/new"),))
    staff.fill("#options_kk", "\n".join(KK["options"]))
    submit(staff)
    assert path_of(staff) == listing, error_text(staff)


@LANGUAGES_AND_SCRIPT
def test_a_member_reads_every_field_in_their_language(
    new_page: Callable[..., Page], live_server: LiveServer, lang: str, javascript: bool
):
    server = live_server
    staff = make_staff(
        new_page, server, f"Translating Staff {lang} {int(javascript)}", javascript=javascript
    )
    goto(staff, server, f"/lang/{lang}?next=/staff/consultations")
    public_id = write_consultation(staff, server, axe=javascript)
    write_decision(staff, server, public_id, axe=javascript)

    member = new_page(viewport=PHONE, javascript=javascript)
    (code,) = invite_codes(server, 1)
    join(member, server, code, f"Reader {lang} {int(javascript)}")
    goto(member, server, f"/lang/{lang}?next=/consultations/{public_id}")
    assert path_of(member) == f"/consultations/{public_id}"
    texts = KK if lang == "kk" else RU
    title = member.locator("main h1")
    expect(title).to_have_text(texts["title"])
    expect(title).to_have_attribute("lang", lang)
    expect(member.locator("main p.lead")).to_have_text(texts["summary"])
    expect(member.locator("main p.changelog")).to_have_text(texts["changelog"])
    expect(member.locator("main p.changelog")).to_have_attribute("lang", lang)
    # Written in Russian only, the content note still warns a Kazakh reader, in Russian.
    note = member.locator("main section.content-note p.prose-text")
    expect(note).to_have_text(RU["content_note"])
    expect(note).to_have_attribute("lang", "ru")
    fallback = member.locator("main p.language-note").filter(has_text=NOTE[lang])
    expect(fallback).to_have_count(1 if lang == "kk" else 0)

    question = member.locator("main section.decision h3")
    expect(question).to_have_text(texts["question"])
    expect(question).to_have_attribute("lang", lang)
    for label in texts["options"]:
        option = member.locator(f"main section.decision span[lang={lang}]", has_text=label)
        expect(option).to_have_count(1)
    check(member, axe=javascript)

    goto(member, server, "/consultations")
    expect(member.locator(f"main li.card h2 a[href='/consultations/{public_id}']")).to_have_text(
        texts["title"]
    )
    check(member, axe=javascript)
