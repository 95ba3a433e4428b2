"""Issue 12, the feedback workspace in a real browser, on a 360 px phone, in Russian with
JavaScript and in Kazakh without: staff add two themes, tick two comments and give them both
themes in one go, filter by a theme, take one away, and download the CSV — whose rows hold no
pseudonym and whose formula-looking cell comes out as text. axe-core on every page with JS.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, LiveServer
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

THEMES = {
    "ru": ("Сроки направления", "Кто говорит первым"),
    "kk": ("Жолдау мерзімі", "Кім бірінші сөйлейді"),
}
SAID = (
    ("referral", "concerns", "Сутки — это слишком долго для испуганного ребёнка."),
    ("team", "supports", "Хорошо, что в группе есть психолог."),
    ("referral", "question", '=HYPERLINK("http://example.invalid","x")'),
)
SHOWN = {"ru": "Показаны 2 комментария", "kk": "2 пікір мен кездесу жазбасы көрсетілді"}


@pytest.mark.parametrize(
    ("lang", "javascript"), [("ru", True), ("kk", False)], ids=["ru-js", "kk-nojs"]
)
def test_staff_code_feedback_into_themes_and_download_it(
    new_page: Callable[..., Page], live_server: LiveServer, lang: str, javascript: bool
):
    server = live_server
    axe = javascript
    staff = make_staff(new_page, server, f"Coding Staff {lang}", javascript=javascript)
    public_id, _typed = create_consultation(staff, server, title=f"Порядок {lang}")
    publish(staff, server, public_id, {"ru": V1_RU, "kk": V1_KK}, "Первая редакция.")

    member = new_page(viewport=PHONE, javascript=javascript)
    (code,) = invite_codes(server, 1)
    # Names no other browser test takes: the live server is shared by the whole session.
    name = {"ru": "Светлая Поляна", "kk": "Жарық Алаң"}[lang]
    join(member, server, code, name)
    goto(member, server, f"/consultations/{public_id}")
    ids = [comment_on(member, key, text, stance=stance) for key, stance, text in SAID]

    goto(staff, server, f"/lang/{lang}?next=/staff/consultations/{public_id}/feedback")
    assert path_of(staff) == f"/staff/consultations/{public_id}/feedback"
    check(staff, axe=axe)
    for theme in THEMES[lang]:
        staff.fill("#name", theme)
        with staff.expect_navigation():
            staff.locator("main form[action$='/feedback/themes'] button").click()
        expect(staff.locator("main ul.themes")).to_contain_text(theme)
    check(staff, axe=axe)

    # Both themes, two comments, one press.
    for theme in THEMES[lang]:
        staff.locator("main fieldset label", has_text=theme).click()
    for comment_id in ids[:2]:
        staff.check(f"#pick-{comment_id}")
    with staff.expect_navigation():
        staff.locator("main button[name=add]").click()
    expect(staff.locator(".flashes")).to_contain_text("4")
    for comment_id in ids[:2]:
        card = staff.locator(f"#feedback-{comment_id}")
        for theme in THEMES[lang]:
            expect(card).to_contain_text(theme)
    check(staff, axe=axe)

    # Filtered by a theme: the two; then one of them loses it, and the filter stays.
    staff.select_option("#theme", label=THEMES[lang][1])
    with staff.expect_navigation():
        staff.locator("form.filters button[type=submit]").click()
    expect(
        staff.locator("main section[aria-labelledby=filters-title] [role=status]")
    ).to_contain_text(SHOWN[lang])
    staff.locator("main fieldset label", has_text=THEMES[lang][1]).click()
    staff.check(f"#pick-{ids[1]}")
    with staff.expect_navigation():
        staff.locator("main button[name=remove]").click()
    assert "theme=" in staff.url  # back on the filtered list
    expect(staff.locator(f"#feedback-{ids[1]}")).to_have_count(0)
    expect(staff.locator(f"#feedback-{ids[0]}")).to_have_count(1)
    check(staff, axe=axe)

    # The download: published comments, no pseudonym, the formula as text.
    with staff.expect_download() as download:
        staff.locator("main form[action$='/feedback.csv'] button").click()
    assert download.value.suggested_filename == "feedback.csv"
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + len(SAID)
    assert name not in text
    cells = [cell for row in rows for cell in row]
    assert "'" + SAID[2][2] in cells
    assert SAID[0][2] in cells
    assert any(THEMES[lang][0] in cell and THEMES[lang][1] in cell for cell in cells)
