"""Consultations in a real browser (issue 4, acceptance 4, 5 and 7): staff write and publish a
draft in Russian and Kazakh, members read it past its content note, comment section by section
in either language, reply and report; staff hide a comment and publish a second version; members
read what changed. Also with JavaScript off, with hostile text in comments and drafts, and with
the languages side by side.

Accounts are made the way staff make them, with `flask` commands on the live server's database
(tests/browser/test_membership.py), which the whole session shares: every test uses pseudonyms
and consultations of its own. The member pages' UI is being translated into Kazakh and Russian
while this is written, so where a page is read in kk or ru the checks look at structure (ids,
classes, `lang` attributes, URLs), not at the UI's words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Dialog, Page, expect

from tests.browser.conftest import ARTIFACTS, LiveServer, assert_no_axe_violations, assert_quiet
from tests.browser.test_membership import (
    PASSPHRASE,
    assert_stayed_on_origin,
    click_and_load,
    enrol_two_factor,
    error_text,
    fill_registration,
    fill_sign_in,
    flash_text,
    flask_cli,
    goto,
    submit,
    switch_language,
)

pytestmark = pytest.mark.browser

ALMATY = ZoneInfo("Asia/Almaty")
PUBLIC_ID = re.compile(r"[a-z2-9]{8}")
KAZAKH_COMMENT = "Жұмыс тобы балаларды қорғау рәсімін қайта қарауы керек"
RUSSIAN_COMMENT = "Шести месяцев сопровождения мало: нужен хотя бы год."
CONTENT_NOTE = "В тексте говорится о насилии над детьми и о торговле людьми."

# Three sections under explicit keys, the Kazakh text under the same keys.
V1_RU = """\
## Состав мобильной группы {#team}

В мобильную группу входят социальный работник, психолог и инспектор по делам
несовершеннолетних.

## Направление в течение 24 часов {#referral}

Ребёнка направляют в кризисный центр в течение 24 часов после выявления.

## Последующее сопровождение {#followup}

Социальный работник сопровождает ребёнка не менее шести месяцев.
"""
V1_KK = """\
## Мобильді топтың құрамы {#team}

Мобильді топқа әлеуметтік қызметкер, психолог және кәмелетке толмағандар істері жөніндегі
инспектор кіреді.

## 24 сағат ішінде жолдау {#referral}

Бала анықталғаннан кейін 24 сағат ішінде дағдарыс орталығына жолданады.

## Кейінгі сүйемелдеу {#followup}

Әлеуметтік қызметкер баланы кемінде алты ай бойы сүйемелдейді.
"""
# Version 2: "team" stays, "referral" changes, "followup" goes, "privacy" comes.
V2_RU = """\
## Состав мобильной группы {#team}

В мобильную группу входят социальный работник, психолог и инспектор по делам
несовершеннолетних.

## Направление в течение 24 часов {#referral}

Ребёнка направляют в кризисный центр в течение 12 часов после выявления, с его согласия.

## Конфиденциальность {#privacy}

Сведения о ребёнке не передаются третьим лицам без его согласия.
"""
V2_KK = """\
## Мобильді топтың құрамы {#team}

Мобильді топқа әлеуметтік қызметкер, психолог және кәмелетке толмағандар істері жөніндегі
инспектор кіреді.

## 24 сағат ішінде жолдау {#referral}

Бала анықталғаннан кейін 12 сағат ішінде, өз келісімімен, дағдарыс орталығына жолданады.

## Құпиялылық {#privacy}

Бала туралы мәліметтер оның келісімінсіз үшінші тұлғаларға берілмейді.
"""
TITLES_RU = {
    "team": "Состав мобильной группы",
    "referral": "Направление в течение 24 часов",
    "followup": "Последующее сопровождение",
}
TITLES_KK = {
    "team": "Мобильді топтың құрамы",
    "referral": "24 сағат ішінде жолдау",
    "followup": "Кейінгі сүйемелдеу",
}


@pytest.fixture(scope="module")
def invites(live_server: LiveServer) -> Iterator[str]:
    """Invitation codes for this module's members, made with one command."""
    codes = flask_cli(live_server, "invites", "create", "--count", "16").split()
    assert len(codes) == 16, codes
    return iter(codes)


# --------------------------------------------------------------------------- helpers


def server_now_in_almaty(server: LiveServer) -> datetime:
    """The server's idea of now (its testing clock), in Almaty."""
    return server.now().astimezone(ALMATY)


def path_of(page: Page) -> str:
    return urlsplit(page.url).path


def fragment_of(page: Page) -> str:
    return urlsplit(page.url).fragment


def check(page: Page, *, axe: bool = True, error_documents: tuple[str, ...] = ()) -> None:
    """axe-core (JavaScript on only: its run is asynchronous and never ends without it), a
    quiet console (no error, no uncaught exception, no CSP violation), and a page that fits
    the phone's width."""
    if axe:
        assert_no_axe_violations(page)
    assert_quiet(page, error_documents=error_documents)
    viewport = page.viewport_size
    assert viewport is not None
    scroll_width = page.locator("html").evaluate("html => html.scrollWidth")
    if scroll_width > viewport["width"]:
        note_layout_fault(page, f"{path_of(page)} scrolls sideways: {scroll_width}px wide")


def note_layout_fault(page: Page, fault: str) -> None:
    """Layout faults are noted as they are met and asserted at the end of the test
    (`assert_phone_layout`), so that one of them does not hide the rest of the journey."""
    if not hasattr(page, "layout_faults"):
        page.layout_faults = []  # type: ignore[attr-defined]
    page.layout_faults.append(fault)  # type: ignore[attr-defined]


def assert_phone_layout(*pages: Page) -> None:
    faults = list(dict.fromkeys(f for page in pages for f in getattr(page, "layout_faults", [])))
    assert not faults, "layout faults on the 360 px phone:\n" + "\n".join(faults)


def check_not_under_header(page: Page, target: str, what: str) -> None:
    """The element a link took the reader to is not hidden under the sticky site header."""
    header = page.locator(".site-header").bounding_box()
    box = page.locator(target).bounding_box()
    assert header is not None
    assert box is not None
    covered = header["y"] + header["height"] - box["y"]
    if covered > 1:
        note_layout_fault(
            page, f"{path_of(page)}#{fragment_of(page)}: {what} is {covered:.0f}px under the header"
        )


def shot(page: Page, name: str, *, at: str = "") -> None:
    """A screenshot in test-artifacts/: the whole page from its top, or the phone's screen
    with the element `at` scrolled into view."""
    ARTIFACTS.mkdir(exist_ok=True)
    if at:
        page.locator(at).scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / f"{name}.png")
    else:
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def make_staff(
    new_page: Callable[..., Page],
    server: LiveServer,
    name: str,
    *,
    axe: bool = False,
    javascript: bool = True,
) -> Page:
    """A staff account made with the CLI (passphrase on stdin, twice), its two-factor sign-in
    switched on through the site (in a browser with or without JavaScript); the page is signed
    in, on the recovery codes page."""
    made = flask_cli(server, "users", "create-staff", name, stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert name in made, made
    staff = new_page(javascript=javascript)
    goto(staff, server, "/auth/login")
    fill_sign_in(staff, name, PASSPHRASE)
    submit(staff)
    assert staff.url == server.at("/account/two-factor"), error_text(staff)
    enrol_two_factor(staff, server, PASSPHRASE, axe=axe)
    return staff


def join(page: Page, server: LiveServer, code: str, name: str) -> Page:
    """Register with an invitation code made with the CLI; ends on the account page."""
    goto(page, server, "/auth/register")
    fill_registration(page, code, name, PASSPHRASE)
    submit(page)
    assert page.url == server.at("/account"), error_text(page)
    return page


def create_consultation(
    staff: Page,
    server: LiveServer,
    *,
    title: str,
    summary: str = "Проект порядка работы мобильных групп. Выскажите своё мнение.",
    note: str = CONTENT_NOTE,
    axe: bool = False,
) -> tuple[str, dict[str, str]]:
    """Through /staff/consultations/new, opening five minutes ago and closing in two weeks
    (Almaty date and time, as the form takes them); returns the consultation's public id and
    the dates and times typed, by field id."""
    goto(staff, server, "/staff/consultations")
    check(staff, axe=axe)
    click_and_load(staff, "main a[href='/staff/consultations/new']")
    assert path_of(staff) == "/staff/consultations/new"
    check(staff, axe=axe)
    opens = server_now_in_almaty(server) - timedelta(minutes=5)
    closes = opens + timedelta(days=14)
    staff.fill("#title_ru", title)
    staff.fill("#summary_ru", summary)
    staff.check("input[name=main_locale][value=ru]")
    staff.fill("#content_note_ru", note)
    typed = {
        "opens_on": opens.strftime("%Y-%m-%d"),
        "opens_time": opens.strftime("%H:%M"),
        "closes_on": closes.strftime("%Y-%m-%d"),
        "closes_time": closes.strftime("%H:%M"),
    }
    for field_id, value in typed.items():
        staff.fill(f"#{field_id}", value)
    submit(staff)
    found = re.fullmatch(r"/staff/consultations/([^/]+)/draft", path_of(staff))
    assert found, f"{staff.url}: {error_text(staff)}"
    public_id = found.group(1)
    # A short neutral id in the address, never the title.
    assert PUBLIC_ID.fullmatch(public_id), public_id
    assert flash_text(staff), "no message after creating the consultation"
    return public_id, typed


def save_draft(staff: Page, server: LiveServer, public_id: str, texts: dict[str, str]) -> None:
    """Type the texts (kk/ru/en) into the draft page and press Save; they come back as typed."""
    draft = f"/staff/consultations/{public_id}/draft"
    if path_of(staff) != draft:
        goto(staff, server, draft)
    for locale, text in texts.items():
        staff.fill(f"#text_{locale}", text)
    with staff.expect_navigation(url=server.at(draft)):
        staff.locator("#save").click()
    assert flash_text(staff), error_text(staff)
    for locale, text in texts.items():
        assert staff.input_value(f"#text_{locale}").strip() == text.strip(), locale


def publish(
    staff: Page, server: LiveServer, public_id: str, texts: dict[str, str], changelog: str
) -> None:
    """Type the texts and a changelog, press Publish; staff land on the preview."""
    draft = f"/staff/consultations/{public_id}/draft"
    if path_of(staff) != draft:
        goto(staff, server, draft)
    for locale, text in texts.items():
        staff.fill(f"#text_{locale}", text)
    staff.fill("#changelog", changelog)
    with staff.expect_navigation(url=server.at(f"/staff/consultations/{public_id}/preview")):
        staff.locator("#publish").click()
    assert flash_text(staff), error_text(staff)


def open_consultation(
    page: Page, server: LiveServer, public_id: str, title: str, *, axe: bool
) -> None:
    """From the account bar's "Consultations", the list, then the consultation's card."""
    click_and_load(page, "nav.account-bar a[href='/consultations']")
    assert path_of(page) == "/consultations"
    check(page, axe=axe)
    card = page.locator("main li.card").filter(
        has=page.locator(f"a[href='/consultations/{public_id}']")
    )
    expect(card).to_have_count(1)
    expect(card.locator("h2 a")).to_have_text(title)
    expect(card.locator(".status")).to_have_class(re.compile(r"\bstatus--open\b"))
    click_and_load(page, f"main a[href='/consultations/{public_id}']")
    assert path_of(page) == f"/consultations/{public_id}"


def comment_on(
    page: Page,
    key: str,
    text: str,
    *,
    stance: str = "other",
    parent: int | None = None,
    show_name: bool = False,
    quotable: bool = False,
) -> int:
    """Open the section's "Comment on this section" <details> by its <summary> (or follow a
    thread's "Reply" link to its reply page: no form per comment on the consultation page),
    write, send; returns the new comment's id (the page lands on its anchor)."""
    if parent is None:
        details = page.locator(f"#section-{key} details.new-comment")
        expect(details).to_have_count(1)
        expect(details).not_to_have_attribute("open", "")
        details.locator("summary").click()
        expect(details).to_have_attribute("open", "")
        form = details.locator("form.comment-form")
    else:
        thread = page.locator(f"#section-{key} .thread").filter(
            has=page.locator(f"#comment-{parent}")
        )
        expect(thread.locator("form")).to_have_count(0)
        link = thread.locator("p.reply-link a")
        expect(link).to_have_count(1)
        with page.expect_navigation():
            link.click()
        assert re.search(rf"/comments/{parent}/reply$", page.url), page.url
        expect(page.locator(f"main #comment-{parent}")).to_have_count(1)
        form = page.locator("main form.comment-form")
    expect(form).to_be_visible()
    form.locator("textarea[name=text]").fill(text)
    form.locator(f"input[name=stance][value={stance}]").check()
    if show_name:
        form.locator("input[name=show_pseudonym]").check()
    if quotable:
        form.locator("input[name=quotable]").check()
    with page.expect_navigation() as navigation:
        form.locator("button[type=submit]").click()
    response = navigation.value
    assert response is not None
    assert response.status == 200, f"{page.url}: HTTP {response.status}"
    found = re.fullmatch(r"comment-(\d+)", fragment_of(page))
    assert found, f"{page.url}: {page.locator('.field-error').all_inner_texts()}"
    comment_id = int(found.group(1))
    article = page.locator(f"#section-{key} #comment-{comment_id}")
    expect(article).to_have_count(1)
    check_not_under_header(page, f"#comment-{comment_id}", "the comment just sent")
    expect(article.locator(".comment__text")).to_have_text(text)
    expect(article.locator(".stance")).to_have_class(re.compile(rf"\bstance--{stance}\b"))
    if parent is not None:
        expect(
            page.locator(f".thread:has(#comment-{parent}) .replies #comment-{comment_id}")
        ).to_have_count(1)
    return comment_id


def report(page: Page, public_id: str, comment_id: int, *, axe: bool) -> None:
    """The comment's "Report" link, a reason, a note; back on the comment with thanks. (From
    a section's own page, where a reply leads, first back to the consultation by its link.)"""
    if path_of(page) != f"/consultations/{public_id}":
        click_and_load(page, f"main a[href^='/consultations/{public_id}#']")
    click_and_load(page, f"#comment-{comment_id} .comment__actions a[href$='/report']")
    assert path_of(page) == f"/consultations/{public_id}/comments/{comment_id}/report"
    check(page, axe=axe)
    page.check("input[name=reason][value=identifying]")
    page.fill("#note", "Здесь названо имя.")
    submit(page)
    assert path_of(page) == f"/consultations/{public_id}"
    assert fragment_of(page) == f"comment-{comment_id}"
    assert flash_text(page)


def hide(staff: Page, server: LiveServer, comment_id: int, reason: str, *, axe: bool) -> None:
    """From the moderation queue: the reported comment, a reason, "Hide"."""
    goto(staff, server, "/staff/moderation")
    check(staff, axe=axe)
    article = staff.locator(f"article#comment-{comment_id}")
    expect(article).to_have_class(re.compile(r"\bcomment--visible\b"))
    expect(article.locator("h4")).to_have_text("1 report")
    staff.fill(f"#reason-{comment_id}", reason)
    with staff.expect_navigation(url=server.at("/staff/moderation")):
        article.locator(f"form[action$='/moderation/{comment_id}/hide'] button").click()
    assert "hidden" in flash_text(staff), error_text(staff)
    expect(article).to_have_class(re.compile(r"\bcomment--hidden\b"))
    expect(article).to_contain_text(reason)
    check(staff, axe=axe)


def read_past_content_note(page: Page, *, javascript: bool) -> None:
    """The content note comes first, before the summary and the draft; its link skips it."""
    note = page.locator("main section.content-note")
    expect(note).to_have_count(1)
    expect(note).to_contain_text(CONTENT_NOTE)
    expect(page.locator("main h1 + section.content-note")).to_have_count(1)
    expect(page.locator("main section.content-note ~ p.lead")).to_have_count(1)
    expect(page.locator("main section.content-note ~ #draft")).to_have_count(1)
    note.locator("a[href='#draft']").click()
    expect(page).to_have_url(re.compile(r"#draft$"))
    expect(page.locator("#draft")).to_be_in_viewport()
    check_not_under_header(page, "#draft h2:visible >> nth=0", "the draft's first heading")
    if javascript:
        # The target takes the focus (tabindex=-1), so reading and tabbing go on from there.
        assert page.evaluate("document.activeElement && document.activeElement.id") == "draft"


def assert_changes(
    page: Page, public_id: str, *, axe: bool, error_documents: tuple[str, ...] = ()
) -> None:
    """The "What changed" page from 1 to 2: exactly one section added, one removed, one
    changed, with word-level <ins>/<del> highlights."""
    assert path_of(page) == f"/consultations/{public_id}/changes"
    check(page, axe=axe, error_documents=error_documents)
    expect(page.locator("main section.change")).to_have_count(3)
    for kind in ("added", "removed", "changed"):
        expect(page.locator(f"main section.change--{kind}")).to_have_count(1)
    changed = page.locator("section.change--changed")
    expect(changed.locator("h2")).to_have_attribute("id", "change-referral")
    expect(changed.locator(".diff ins").first).to_be_visible()
    expect(changed.locator(".diff del").first).to_be_visible()
    inserted = " ".join(changed.locator(".diff ins").all_inner_texts())
    deleted = " ".join(changed.locator(".diff del").all_inner_texts())
    assert "12" in inserted, inserted
    assert "24" in deleted, deleted
    assert "24" not in inserted, inserted
    removed = page.locator("section.change--removed")
    expect(removed.locator("h2")).to_have_attribute("id", "change-followup")
    expect(removed.locator(".diff ins")).to_have_count(0)
    expect(removed.locator(".diff del").first).to_be_visible()
    added = page.locator("section.change--added")
    expect(added.locator("h2")).to_have_attribute("id", "change-privacy")
    expect(added.locator(".diff del")).to_have_count(0)
    expect(added.locator(".diff ins").first).to_be_visible()
    # Unchanged sections are not listed.
    expect(page.locator("#change-team")).to_have_count(0)
    expect(page.locator("select#from")).to_have_value("1")
    expect(page.locator("select#to")).to_have_value("2")


# --------------------------------------------------------------------------- 1. the journey


def test_consultation_journey_with_javascript(
    page: Page, live_server: LiveServer, new_page: Callable[..., Page], invites: Iterator[str]
):
    server = live_server
    title = "Порядок работы мобильных групп (журнал)"
    assert page.viewport_size == {"width": 360, "height": 740}

    # ---- Staff: create, write in Russian and Kazakh, publish version 1, preview.
    staff = make_staff(new_page, server, "Journey Curator", axe=True)
    public_id, typed = create_consultation(staff, server, title=title, axe=True)
    check(staff)  # the draft page, empty
    shot(staff, "consultation-staff-draft-top-360", at="main h1")
    save_draft(staff, server, public_id, {"ru": V1_RU, "kk": V1_KK})
    expect(staff.locator("#text_ru")).to_have_attribute("lang", "ru")
    expect(staff.locator("#text_kk")).to_have_attribute("lang", "kk")
    check(staff)
    shot(staff, "consultation-staff-draft-360")

    # The details page shows the Almaty dates and times as typed (they are stored in UTC).
    click_and_load(staff, f"nav.subnav a[href='/staff/consultations/{public_id}/edit']")
    expect(staff.locator("#title_ru")).to_have_value(title)
    expect(staff.locator("input[name=main_locale][value=ru]")).to_be_checked()
    expect(staff.locator("#content_note_ru")).to_have_value(CONTENT_NOTE)
    for field_id, value in typed.items():
        expect(staff.locator(f"#{field_id}")).to_have_value(value)
    check(staff)

    # Publish version 1 with its changelog; the preview is the members' page.
    goto(staff, server, f"/staff/consultations/{public_id}/draft")
    publish(staff, server, public_id, {"ru": V1_RU, "kk": V1_KK}, "Первая версия для обсуждения.")
    expect(staff.locator("main section.draft-section")).to_have_count(3)
    for key, heading in TITLES_RU.items():
        expect(staff.locator(f"#title-{key}")).to_have_text(heading)
    expect(staff.locator("main .changelog")).to_have_text("Первая версия для обсуждения.")
    check(staff)
    click_and_load(staff, "main .panel a[hreflang='kk']")
    for key, heading in TITLES_KK.items():
        expect(staff.locator(f"#title-{key}")).to_have_text(heading)
        expect(staff.locator(f"#title-{key}")).to_have_attribute("lang", "kk")
    check(staff)
    click_and_load(staff, f"nav.subnav a[href='/staff/consultations/{public_id}/meeting']")
    expect(staff.locator("main textarea")).to_have_count(4)  # three sections and the whole
    check(staff)

    # ---- Another member writes two comments: one to reply to, one that gets reported.
    other_name = "Journey Thistle"
    other = join(new_page(), server, next(invites), other_name)
    goto(other, server, f"/consultations/{public_id}")
    to_reply = comment_on(
        other,
        "referral",
        "Сутки — слишком долго для ребёнка в опасности.",
        stance="concerns",
        show_name=True,
    )
    reported_text = "Инспектор в нашем районе — это Серик, он знает всех по именам."
    to_report = comment_on(other, "team", reported_text, stance="other")

    # ---- Our member: the list, the consultation, the content note, skip to the draft.
    name = "Journey Saxaul"
    join(page, server, next(invites), name)
    open_consultation(page, server, public_id, title, axe=True)
    check(page)
    shot(page, "consultation-member-360")
    read_past_content_note(page, javascript=True)

    # Commenting in Kazakh while reading in Kazakh.
    switch_language(page, "kk")
    expect(page.locator("#title-team")).to_have_attribute("lang", "kk")
    expect(page.locator("#title-team")).to_have_text(TITLES_KK["team"])
    expect(page.locator("#section-team .note")).to_have_count(0)
    kazakh = comment_on(page, "team", KAZAKH_COMMENT, stance="concerns")
    check(page)
    shot(page, "consultation-member-kk-360", at=f"#comment-{kazakh}")

    # In Russian on another section while reading in Russian.
    switch_language(page, "ru")
    expect(page.locator("#title-followup")).to_have_attribute("lang", "ru")
    russian = comment_on(page, "followup", RUSSIAN_COMMENT, stance="question")
    # Both comments are there, each under its section, the other member's name as they chose.
    expect(page.locator(f"#section-team #comment-{kazakh} .comment__text")).to_have_text(
        KAZAKH_COMMENT
    )
    expect(page.locator(f"#comment-{to_reply} .comment__meta strong")).to_have_text(other_name)

    # A reply, then a report of the other member's comment.
    reply_text = "Согласна: двенадцать часов было бы правильнее."
    reply = comment_on(page, "referral", reply_text, stance="supports", parent=to_reply)
    expect(
        page.locator(f"#section-referral .thread:has(#comment-{to_reply}) .replies")
    ).to_contain_text(reply_text)
    check(page)
    report(page, public_id, to_report, axe=True)
    check(page)

    # ---- Staff hide it; it disappears for the reporter, its author sees why.
    reason = "It names a person who could be recognised."
    hide(staff, server, to_report, reason, axe=True)
    goto(page, server, f"/consultations/{public_id}")
    expect(page.locator(f"#comment-{to_report}")).to_have_count(0)
    assert reported_text not in page.locator("main").inner_text()
    goto(other, server, f"/consultations/{public_id}")
    hidden = other.locator(f"#comment-{to_report}")
    expect(hidden.locator(".comment__status")).to_contain_text(reason)
    # Members who left their name off stay "a member", even for other members.
    assert name not in other.locator("main").inner_text()

    # ---- Staff publish version 2: one section changed, one removed, one added.
    publish(staff, server, public_id, {"ru": V2_RU, "kk": V2_KK}, "Сокращён срок направления.")
    expect(staff.locator("main section.draft-section")).to_have_count(3)
    check(staff)

    # ---- The member reads what changed, and finds their comment on the removed section.
    goto(page, server, f"/consultations/{public_id}")
    click_and_load(page, f"main .version a[href='/consultations/{public_id}/changes']")
    assert_changes(page, public_id, axe=True)
    shot(page, "consultation-changes-ru-360")
    click_and_load(page, f"main a[href='/consultations/{public_id}']")
    expect(page.locator("main section.draft-section")).to_have_count(3)
    expect(page.locator("#section-followup")).to_have_count(0)
    removed = page.locator("main section.removed-sections")
    expect(removed.locator("#removed-title")).to_contain_text("2")
    expect(removed.locator("h3")).to_have_text([TITLES_RU["followup"]])
    expect(removed.locator(f"#comment-{russian} .comment__text")).to_have_text(RUSSIAN_COMMENT)
    # Comments on the sections that stayed are still on them.
    expect(page.locator(f"#section-team #comment-{kazakh}")).to_have_count(1)
    # The reply is folded into its thread's link on the consultation page, whole on the
    # section's own page.
    folded = page.locator(f"#section-referral .thread:has(#comment-{to_reply}) .thread__replies a")
    expect(folded).to_have_count(1)
    check(page)
    click_and_load(page, f"#section-referral .thread:has(#comment-{to_reply}) .thread__replies a")
    expect(page.locator(f"#section-referral #comment-{reply}")).to_have_count(1)
    check(page)
    # The other member reads in English, where the heading can be checked in words.
    goto(other, server, f"/consultations/{public_id}")
    expect(other.locator("#removed-title")).to_have_text("Sections removed in version 2")
    expect(other.locator(f".removed-sections #comment-{russian}")).to_have_count(1)

    for seen in (page, other, staff):
        assert_quiet(seen)
        assert_stayed_on_origin(seen, server)
    assert_phone_layout(page, other, staff)


# --------------------------------------------------------------------------- 2. without JavaScript


def test_consultation_journey_without_javascript(
    page_nojs: Page, live_server: LiveServer, new_page: Callable[..., Page], invites: Iterator[str]
):
    """Issue 4, acceptance 5: the whole journey, staff's side and members', with JavaScript
    off in every browser."""
    # axe-core is not run here: its run is asynchronous and needs the page's JavaScript. The
    # same pages are checked with axe in the test above.
    server = live_server
    page = page_nojs
    title = "Порядок работы мобильных групп (без JS)"

    # ---- Staff, JavaScript off: sign in and switch on two-factor sign-in, create, write the
    # draft in Russian and Kazakh, publish version 1.
    staff = make_staff(new_page, server, "Plain Curator", javascript=False)
    assert "js" not in (staff.get_attribute("html", "class") or "").split()
    public_id, _typed = create_consultation(staff, server, title=title)
    check(staff, axe=False)  # the draft page, empty
    save_draft(staff, server, public_id, {"ru": V1_RU, "kk": V1_KK})
    check(staff, axe=False)
    publish(staff, server, public_id, {"ru": V1_RU, "kk": V1_KK}, "Первая версия.")
    expect(staff.locator("main section.draft-section")).to_have_count(3)
    for key, heading in TITLES_RU.items():
        expect(staff.locator(f"#title-{key}")).to_have_text(heading)
    expect(staff.locator("main .changelog")).to_have_text("Первая версия.")
    click_and_load(staff, "main .panel a[hreflang='kk']")
    for key, heading in TITLES_KK.items():
        expect(staff.locator(f"#title-{key}")).to_have_text(heading)
    check(staff, axe=False)

    other = join(new_page(javascript=False), server, next(invites), "Plain Thistle")
    goto(other, server, f"/consultations/{public_id}")
    to_reply = comment_on(other, "referral", "Сутки — это долго.", stance="concerns")
    reported_text = "Здесь названо чьё-то имя."
    to_report = comment_on(other, "team", reported_text)

    # ---- The member, JavaScript off.
    join(page, server, next(invites), "Plain Saxaul")
    assert "js" not in (page.get_attribute("html", "class") or "").split()
    open_consultation(page, server, public_id, title, axe=False)
    check(page, axe=False)
    read_past_content_note(page, javascript=False)

    switch_language(page, "kk")
    kazakh = comment_on(page, "team", KAZAKH_COMMENT, stance="concerns")
    switch_language(page, "ru")
    russian = comment_on(page, "followup", RUSSIAN_COMMENT, stance="question")
    reply = comment_on(page, "referral", "Согласна.", stance="supports", parent=to_reply)
    report(page, public_id, to_report, axe=False)

    # A refused (empty) comment comes back in its <details>, open, with the message.
    details = page.locator("#section-followup details.new-comment")
    details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    details.locator("textarea[name=text]").fill("   ")
    with page.expect_navigation() as navigation:
        details.locator("button[type=submit]").click()
    assert navigation.value is not None
    assert navigation.value.status == 400
    refused = page.locator("#section-followup details.new-comment")
    expect(refused).to_have_attribute("open", "")
    expect(refused.locator(".field-error")).to_be_visible()
    expect(refused.locator("textarea[name=text]")).to_have_attribute("aria-invalid", "true")
    # Chromium reports the refusal's 400 document on the console: that one is expected.
    refused_post = server.at(f"/consultations/{public_id}/comments")
    refusals = (refused_post, refused_post + "#section-followup")
    assert_quiet(page, error_documents=refusals)

    # ---- Staff, JavaScript off: hide the reported comment with a reason; it is gone for the
    # reporter, and its author sees why.
    reason = "It names a person who could be recognised."
    hide(staff, server, to_report, reason, axe=False)
    goto(page, server, f"/consultations/{public_id}")
    expect(page.locator(f"#comment-{to_report}")).to_have_count(0)
    assert reported_text not in page.locator("main").inner_text()
    goto(other, server, f"/consultations/{public_id}")
    expect(other.locator(f"#comment-{to_report} .comment__status")).to_contain_text(reason)

    # ---- Staff, JavaScript off: publish version 2.
    publish(staff, server, public_id, {"ru": V2_RU, "kk": V2_KK}, "Вторая версия.")
    expect(staff.locator("main section.draft-section")).to_have_count(3)
    expect(staff.locator("#section-privacy")).to_have_count(1)
    check(staff, axe=False)

    # ---- The member sees the three changes.
    goto(page, server, f"/consultations/{public_id}")
    click_and_load(page, f"main .version a[href='/consultations/{public_id}/changes']")
    assert_changes(page, public_id, axe=False, error_documents=refusals)
    # The versions to compare are chosen with a plain GET form.
    page.select_option("select#from", "2")
    click_and_load(page, "main form button[type=submit]")
    assert urlsplit(page.url).query == "from=2&to=2"
    expect(page.locator("main section.change")).to_have_count(0)
    goto(page, server, f"/consultations/{public_id}")
    expect(page.locator(f".removed-sections #comment-{russian}")).to_have_count(1)
    expect(page.locator(f"#section-team #comment-{kazakh}")).to_have_count(1)
    # The reply, folded on the consultation page, is whole on the section's page (no script).
    click_and_load(page, f"#section-referral .thread:has(#comment-{to_reply}) .thread__replies a")
    expect(page.locator(f"#section-referral #comment-{reply}")).to_have_count(1)

    for seen in (page, other):
        assert_quiet(seen, error_documents=refusals)
    assert_quiet(staff)
    for seen in (page, other, staff):
        assert_stayed_on_origin(seen, server)
    assert_phone_layout(page, other, staff)


# --------------------------------------------------------------------------- 3. hostile text

XSS_COMMENT = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
XSS_DRAFT = """\
## Раздел с разметкой {#markup}

<script>window.__pwned=3</script>

Ссылка: [x](javascript:window.__pwned=4) и [y](JaVaScRiPt:alert(1)).

<img src=x onerror="alert(2)">
"""


def assert_inert(page: Page, dialogs: list[str]) -> None:
    assert page.evaluate("window.__pwned") is None
    assert not dialogs, dialogs
    assert page.csp_violations == []  # type: ignore[attr-defined]
    assert page.locator("main script").count() == 0
    assert page.locator("main img").count() == 0
    assert page.locator("a[href^='javascript' i]").count() == 0
    requested = [urlsplit(url).path for url in page.requests_seen]  # type: ignore[attr-defined]
    assert not [p for p in requested if p.endswith("/x")], requested


def watch_dialogs(page: Page) -> list[str]:
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def test_hostile_markup_stays_inert(
    page: Page, live_server: LiveServer, new_page: Callable[..., Page], invites: Iterator[str]
):
    server = live_server
    title = "<script>window.__pwned=5</script> Проверка разметки"
    staff = make_staff(new_page, server, "Inert Curator")
    staff_dialogs = watch_dialogs(staff)
    public_id, _typed = create_consultation(
        staff, server, title=title, note='<img src=x onerror="window.__pwned=6"> Осторожно.'
    )
    publish(staff, server, public_id, {"ru": XSS_DRAFT}, "<script>window.__pwned=7</script>")
    assert_inert(staff, staff_dialogs)

    dialogs = watch_dialogs(page)
    join(page, server, next(invites), "Inert Saxaul")
    goto(page, server, f"/consultations/{public_id}")
    expect(page.locator("main h1")).to_have_text(title)
    draft = page.locator("#section-markup .draft-text")
    expect(draft).to_contain_text("<script>window.__pwned=3</script>")
    expect(draft).to_contain_text('<img src=x onerror="alert(2)">')
    # markdown-it refuses a javascript: link: it stays text. Clicking where it would be does
    # nothing either.
    link_text = draft.get_by_text("[x](javascript:window.__pwned=4)", exact=False)
    expect(link_text).to_be_visible()
    link_text.click()
    assert page.url == server.at(f"/consultations/{public_id}")
    assert_inert(page, dialogs)

    comment_id = comment_on(page, "markup", XSS_COMMENT)
    expect(page.locator(f"#comment-{comment_id} .comment__text")).to_have_text(XSS_COMMENT)
    page.reload()
    assert_inert(page, dialogs)
    check(page)

    # Another member reads and reports it; the report page quotes it; staff moderate it.
    other = join(new_page(), server, next(invites), "Inert Thistle")
    other_dialogs = watch_dialogs(other)
    goto(other, server, f"/consultations/{public_id}")
    expect(other.locator(f"#comment-{comment_id} .comment__text")).to_have_text(XSS_COMMENT)
    assert_inert(other, other_dialogs)
    click_and_load(other, f"#comment-{comment_id} .comment__actions a[href$='/report']")
    expect(other.locator("main blockquote")).to_have_text(XSS_COMMENT)
    assert_inert(other, other_dialogs)
    other.check("input[name=reason][value=harmful]")
    other.fill("#note", XSS_COMMENT)
    submit(other)
    assert_inert(other, other_dialogs)

    goto(staff, server, "/staff/moderation")
    article = staff.locator(f"article#comment-{comment_id}")
    expect(article.locator(".comment__text")).to_have_text(XSS_COMMENT)
    expect(article.locator("li .prose-text")).to_have_text(XSS_COMMENT)
    assert_inert(staff, staff_dialogs)
    goto(staff, server, f"/staff/consultations/{public_id}/preview")
    expect(staff.locator(f"#comment-{comment_id} .comment__text")).to_have_text(XSS_COMMENT)
    assert_inert(staff, staff_dialogs)

    for seen in (page, other, staff):
        assert_quiet(seen)
        assert_stayed_on_origin(seen, server)


# --------------------------------------------------------------------------- 4. languages


def test_languages_share_their_sections_and_comments(
    page: Page, live_server: LiveServer, new_page: Callable[..., Page], invites: Iterator[str]
):
    server = live_server
    title = "Порядок работы мобильных групп (языки)"
    staff = make_staff(new_page, server, "Lingua Curator")
    public_id, _typed = create_consultation(staff, server, title=title)
    publish(staff, server, public_id, {"ru": V1_RU, "kk": V1_KK}, "Первая версия.")

    # Reading in English: no English text, so the main language (Russian), said so.
    english = join(page, server, next(invites), "Lingua Poplar")
    goto(english, server, f"/consultations/{public_id}")
    assert english.get_attribute("html", "lang") == "en"
    for key, heading in TITLES_RU.items():
        section = english.locator(f"#section-{key}")
        expect(section.locator("h2")).to_have_text(heading)
        expect(section.locator("h2")).to_have_attribute("lang", "ru")
        expect(section.locator(".draft-text")).to_have_attribute("lang", "ru")
        expect(section.locator(".note")).to_have_text(
            "This section is not available in your language yet. It is shown in Русский."
        )
    check(english)
    shot(english, "consultation-member-en-fallback-360")
    english_comment = comment_on(
        english, "team", "Who decides who the inspector is?", stance="question"
    )

    # Reading in Kazakh: the Kazakh text, no note.
    kazakh = join(new_page(), server, next(invites), "Lingua Juniper")
    switch_language(kazakh, "kk")
    goto(kazakh, server, f"/consultations/{public_id}")
    assert kazakh.get_attribute("html", "lang") == "kk"
    for key, heading in TITLES_KK.items():
        section = kazakh.locator(f"#section-{key}")
        expect(section.locator("h2")).to_have_text(heading)
        expect(section.locator("h2")).to_have_attribute("lang", "kk")
        expect(section.locator(".draft-text")).to_have_attribute("lang", "kk")
        expect(section.locator(".note")).to_have_count(0)
    expect(kazakh.locator("#section-referral .draft-text")).to_contain_text("дағдарыс орталығына")
    kazakh_comment = comment_on(kazakh, "team", KAZAKH_COMMENT, stance="concerns")
    check(kazakh)

    # Both comments under the one section, whichever language it is read in.
    for reader in (english, kazakh):
        reader.reload()
        threads = reader.locator("#section-team .section-comments .thread")
        expect(threads).to_have_count(2)
        expect(reader.locator(f"#section-team #comment-{english_comment}")).to_have_count(1)
        expect(reader.locator(f"#section-team #comment-{kazakh_comment}")).to_have_count(1)
        expect(reader.locator("main nav.toc li:has(a[href='#section-team'])")).to_contain_text(
            "(2)"
        )

    # Staff preview either language the same way.
    goto(staff, server, f"/staff/consultations/{public_id}/preview?lang=en")
    expect(staff.locator("#section-team .note")).to_have_count(1)
    expect(staff.locator("#section-team .thread")).to_have_count(2)
    goto(staff, server, f"/staff/consultations/{public_id}/preview?lang=kk")
    expect(staff.locator("#title-team")).to_have_text(TITLES_KK["team"])
    expect(staff.locator("#section-team .thread")).to_have_count(2)

    for seen in (english, kazakh, staff):
        assert_quiet(seen)
        assert_stayed_on_origin(seen, server)
