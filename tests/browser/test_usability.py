"""What a new member and a new staff member stumbled on (issue 11), in a real browser: Kazakh
and Russian, with JavaScript on and off, on a 360 px phone, axe-core on every page when
JavaScript runs.

- item 6: a 129-character passphrase is refused with the limit, never cut in one field only;
- item 4: deleting a comment asks first; deleting an account ends on the home page saying so;
- item 3: staff hide a comment nobody reported, from the consultation's preview.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, LiveServer
from tests.browser.test_consultations import (
    TITLES_KK,
    TITLES_RU,
    V1_KK,
    V1_RU,
    V2_KK,
    V2_RU,
    check,
    comment_on,
    create_consultation,
    join,
    make_staff,
    path_of,
    publish,
    save_draft,
)
from tests.browser.test_membership import click_and_load, goto, invite_codes, submit
from tests.factories import PASSPHRASE

pytestmark = pytest.mark.browser

LANGUAGES_AND_SCRIPT = pytest.mark.parametrize(
    ("lang", "javascript"),
    [("kk", True), ("kk", False), ("ru", True), ("ru", False)],
    ids=["kk-js", "kk-nojs", "ru-js", "ru-nojs"],
)


def _in(page: Page, server: LiveServer, lang: str, path: str) -> None:
    goto(page, server, f"/lang/{lang}?next={path}")
    assert page.get_attribute("html", "lang") == lang


@LANGUAGES_AND_SCRIPT
def test_a_passphrase_over_the_limit_is_refused_with_the_limit(
    new_page: Callable[..., Page], live_server: LiveServer, lang: str, javascript: bool
):
    page = new_page(viewport=PHONE, javascript=javascript)
    (code,) = invite_codes(live_server, 1)
    _in(page, live_server, lang, "/auth/register")
    for field in ("#passphrase", "#passphrase_again"):
        assert page.get_attribute(field, "maxlength") is None
    too_long = "лампа " * 21 + "көк"  # 129 characters, the same in both fields
    assert len(too_long) == 129
    page.fill("#invite_code", code)
    page.fill("#pseudonym", f"Long Phrase {lang} {int(javascript)}")
    page.fill("#passphrase", too_long)
    page.fill("#passphrase_again", too_long)
    page.check("#acknowledge")
    submit(page, status=400)
    assert page.input_value("#pseudonym").startswith("Long Phrase")
    errors = page.locator(".field-error").all_inner_texts()
    assert len(errors) == 1, errors  # the limit, and no "the two differ"
    assert "12" in errors[0]
    assert "128" in errors[0]
    check(page, axe=javascript, error_documents=(live_server.at("/auth/register"),))


@LANGUAGES_AND_SCRIPT
def test_deleting_asks_first_and_staff_hide_any_comment(
    new_page: Callable[..., Page], live_server: LiveServer, lang: str, javascript: bool
):
    server = live_server
    tag = f"{lang}{int(javascript)}"
    staff = make_staff(new_page, server, f"Usability Staff {tag}", javascript=javascript)
    public_id, _typed = create_consultation(staff, server, title=f"Порядок {tag}", note="")
    publish(staff, server, public_id, {"ru": V1_RU}, "Первая редакция")

    member = new_page(viewport=PHONE, javascript=javascript)
    (code,) = invite_codes(server, 1)
    join(member, server, code, f"Usability Member {tag}")
    _in(member, server, lang, f"/consultations/{public_id}")
    regret = comment_on(member, "referral", "Слова, о которых я пожалею.")
    keep = comment_on(member, "team", "Здесь упомянута улица.")

    # Item 4: a link to a page that asks, which can be left without deleting.
    delete_link = f"#comment-{regret} .comment__actions a[href$='/delete']"
    click_and_load(member, delete_link)
    assert path_of(member) == f"/consultations/{public_id}/comments/{regret}/delete"
    expect(member.locator("main blockquote")).to_have_text("Слова, о которых я пожалею.")
    check(member, axe=javascript)
    click_and_load(member, f"main a[href$='#comment-{regret}']")
    expect(member.locator(f"#comment-{regret} .comment__text")).to_have_text(
        "Слова, о которых я пожалею."
    )
    click_and_load(member, delete_link)
    submit(member)
    assert path_of(member) == f"/consultations/{public_id}"
    assert "Слова, о которых я пожалею." not in member.locator("main").inner_text()
    check(member, axe=javascript)

    # Item 3: staff hide the other comment, which nobody reported, from the preview.
    _in(staff, server, lang, f"/staff/consultations/{public_id}/preview")
    click_and_load(staff, f"#comment-{keep} a[href='/staff/moderation/{keep}']")
    check(staff, axe=javascript)
    staff.fill(f"#reason-{keep}", "Названа улица.")
    click_and_load(staff, f"form[action$='/moderation/{keep}/hide'] button")
    assert path_of(staff) == f"/staff/consultations/{public_id}/preview"
    expect(staff.locator(f"#comment-{keep}")).to_have_class("comment comment--hidden")
    check(staff, axe=javascript)

    # Item 4: the account deleted, the home page says so, in the member's language.
    goto(member, server, "/account/delete")
    member.check("input[name=comments][value=keep]")
    member.check("#understood")
    member.fill("#current_passphrase", PASSPHRASE)
    submit(member)
    assert path_of(member) == "/"
    assert member.get_attribute("html", "lang") == lang
    notice = member.locator("main .panel[role=status]").first
    expect(notice.locator("h2")).to_have_count(1)
    assert "Usability Member" not in notice.inner_text()
    check(member, axe=javascript)


@LANGUAGES_AND_SCRIPT
def test_staff_preview_the_draft_as_members_will_see_it(
    new_page: Callable[..., Page], live_server: LiveServer, lang: str, javascript: bool
):
    """Item 2: before version 1 is published, the "Preview the draft" tab shows the working
    draft rendered as members will read it, in the chosen language. Item 5: once a version is
    published, the next draft's preview shows what it changes, rendered (headings, not `##`)
    with the changed words marked."""
    server = live_server
    tag = f"{lang}{int(javascript)}"
    staff = make_staff(new_page, server, f"Preview Staff {tag}", javascript=javascript)
    public_id, _typed = create_consultation(staff, server, title=f"Черновик {tag}", note="")
    save_draft(staff, server, public_id, {"ru": V1_RU, "kk": V1_KK})
    _in(staff, server, lang, f"/staff/consultations/{public_id}/draft")
    click_and_load(staff, f"nav.subnav a[href='/staff/consultations/{public_id}/draft/preview']")
    assert path_of(staff) == f"/staff/consultations/{public_id}/draft/preview"
    sections = staff.locator("main section[id^='section-']")
    assert sections.count() == 3
    expected = {"kk": TITLES_KK, "ru": TITLES_RU}[lang]["referral"]
    expect(staff.locator("#section-referral h2")).to_have_text(expected)
    assert staff.locator("#section-referral .draft-text").get_attribute("lang") == lang
    check(staff, axe=javascript)

    publish(staff, server, public_id, {"ru": V1_RU, "kk": V1_KK}, "Первая редакция")
    save_draft(staff, server, public_id, {"ru": V2_RU, "kk": V2_KK})
    _in(staff, server, lang, f"/staff/consultations/{public_id}/draft/preview")
    changes = staff.locator("#draft-changes ~ section.change, section.change")
    assert changes.count() >= 3  # referral changed, followup removed, privacy added
    changed = staff.locator("section.change--changed .diff")
    expect(changed.locator("ins").first).to_contain_text("12")
    expect(changed.locator("del").first).to_contain_text("24")
    assert "##" not in staff.locator("main").inner_text()
    check(staff, axe=javascript)
