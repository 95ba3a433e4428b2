"""The public pages in a real browser: languages, quick exit, accessibility, privacy, phone layout.

Every page is checked in Kazakh, Russian and English, on a 360 px phone and (for axe) a 1280 px
desktop, under the site's real Content-Security-Policy.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Page, Response

from tests.browser.conftest import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    QUICK_EXIT_URL,
    LiveServer,
    assert_no_axe_violations,
    assert_quiet,
    forget_observations,
)

pytestmark = pytest.mark.browser

LANGUAGES = ("kk", "ru", "en")
PAGES = {
    "home": ("/", 200),
    "about": ("/about", 200),
    "privacy": ("/privacy", 200),
    "safety": ("/safety", 200),
    "not-found": ("/no-such-page", 404),
}
KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[A-Za-z]")
VIEWPORTS = pytest.mark.parametrize(
    "page", [{"viewport": PHONE}, {"viewport": DESKTOP}], indirect=True, ids=["360px", "1280px"]
)
EVERY_LANGUAGE = pytest.mark.parametrize("lang", LANGUAGES)


def visit(page: Page, server: LiveServer, path: str, lang: str, status: int = 200) -> Response:
    """Choose `lang` with the site's own switch link, which brings the reader to `path`."""
    response = page.goto(server.at(f"/lang/{lang}?next={quote(path)}"))
    assert response is not None
    assert response.status == status, f"{path} in {lang}: HTTP {response.status}"
    assert page.url == server.at(path)
    assert page.get_attribute("html", "lang") == lang
    return response


def h1_text(page: Page) -> str:
    return page.locator("h1").inner_text().strip()


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# ------------------------------------------------------------------ a. three languages


def test_home_page_in_three_languages(page: Page, live_server: LiveServer):
    headings = {}
    for lang in LANGUAGES:
        visit(page, live_server, "/", lang)
        headings[lang] = h1_text(page)
        current = page.locator('nav.language-switch a[aria-current="true"]')
        assert current.get_attribute("hreflang") == lang
    assert KAZAKH_LETTERS & set(headings["kk"]), f"kk heading has no Kazakh letter: {headings}"
    assert CYRILLIC.search(headings["ru"]), f"ru heading is not in Cyrillic: {headings}"
    assert not LATIN.search(headings["ru"].replace("Kenes", "")), headings
    assert not CYRILLIC.search(headings["en"]), headings
    assert len(set(headings.values())) == len(LANGUAGES), f"untranslated heading: {headings}"
    assert_quiet(page)


# ------------------------------------------------------------------ b. switching by clicking


@pytest.mark.parametrize("path", ["/", "/about"])
def test_language_switch_link_keeps_the_page(page: Page, live_server: LiveServer, path: str):
    visit(page, live_server, path, "en")
    english = h1_text(page)
    with page.expect_navigation(url=live_server.at(path)):
        page.locator('nav.language-switch a[hreflang="ru"]').click()
    assert page.url == live_server.at(path)
    assert page.get_attribute("html", "lang") == "ru"
    assert h1_text(page) != english
    assert_quiet(page)


# ------------------------------------------------------------------ c. quick exit


def _exit(page: Page, how: str) -> None:
    if how == "button":
        page.locator(".quick-exit__button").click()
    else:
        for _ in range(3):
            page.keyboard.press("Shift")
    page.wait_for_url(QUICK_EXIT_URL)


@pytest.mark.parametrize("how", ["button", "shift-three-times"])
def test_quick_exit_leaves_the_site(
    page: Page, live_server: LiveServer, route_neutral: Callable, how: str
):
    served = route_neutral(page)
    visit(page, live_server, "/", "en")
    _exit(page, how)
    assert page.url == QUICK_EXIT_URL
    assert page.locator("p").inner_text() == "neutral"
    # The neutral site is not told where the visitor came from.
    assert [request["url"] for request in served] == [QUICK_EXIT_URL]
    assert "referer" not in served[0]["headers"]


@pytest.mark.parametrize("how", ["button", "shift-three-times"])
def test_back_after_quick_exit_does_not_return_to_the_page(
    page: Page, live_server: LiveServer, route_neutral: Callable, how: str
):
    route_neutral(page)
    visit(page, live_server, "/about", "en")
    page.goto(live_server.at("/"))
    _exit(page, how)
    page.go_back()
    page.wait_for_load_state()
    assert page.url != live_server.at("/"), "Back returned to the page the visitor fled"
    assert page.url in (live_server.at("/about"), QUICK_EXIT_URL)


# ------------------------------------------------------------------ d. accessibility


def for_each_page(
    page: Page, server: LiveServer, lang: str, check: Callable[[Page, str], None]
) -> None:
    """Visit every public page in `lang` in this one tab; run `check`; report every failure.

    One tab for all the pages keeps the suite fast (Chromium reuses the renderer, and with it
    the compiled axe-core), while each page's records are checked on their own.
    """
    failures = {}
    for path, status in PAGES.values():
        forget_observations(page)
        try:
            visit(page, server, path, lang, status)
            check(page, path)
        except AssertionError as error:
            failures[path] = str(error)
    if failures:
        report = "\n\n".join(f"{path}: {message}" for path, message in failures.items())
        pytest.fail(f"in {lang}:\n{report}", pytrace=False)


@VIEWPORTS
@EVERY_LANGUAGE
def test_no_axe_violations(page: Page, live_server: LiveServer, lang: str):
    for_each_page(page, live_server, lang, lambda page, _path: assert_no_axe_violations(page))


# ------------------------------------------------------------------ e. nothing leaves the origin


@EVERY_LANGUAGE
def test_every_request_stays_on_the_origin(page: Page, live_server: LiveServer, lang: str):
    error_pages = [live_server.at(path) for path, status in PAGES.values() if status != 200]

    def check(page: Page, path: str) -> None:
        page.wait_for_load_state("networkidle")
        seen = page.requests_seen  # type: ignore[attr-defined]
        assert live_server.at(path) in seen, f"the page's own request was not recorded: {seen}"
        foreign = [url for url in seen if origin(url) != live_server.origin]
        assert not foreign, f"requests to other origins: {foreign}"
        assert_quiet(page, error_documents=error_pages)

    for_each_page(page, live_server, lang, check)


# ------------------------------------------------------------------ f. without JavaScript


def test_works_without_javascript(
    page_nojs: Page, live_server: LiveServer, route_neutral: Callable
):
    page = page_nojs
    served = route_neutral(page)
    visit(page, live_server, "/", "en")
    assert page.locator("h1").is_visible()
    assert "js" not in (page.get_attribute("html", "class") or "").split()
    # The Shift hint is only shown when the script that answers it runs.
    assert not page.locator(".quick-exit__hint").is_visible()

    with page.expect_navigation(url=live_server.at("/")):
        page.locator('nav.language-switch a[hreflang="ru"]').click()
    assert page.get_attribute("html", "lang") == "ru"

    button = page.locator(".quick-exit__button")
    assert button.evaluate("el => el.tagName") == "A"
    assert button.get_attribute("href") == QUICK_EXIT_URL
    assert {"noreferrer", "noopener"} <= set((button.get_attribute("rel") or "").split())
    button.click()
    page.wait_for_url(QUICK_EXIT_URL)
    assert page.locator("p").inner_text() == "neutral"
    assert [request["url"] for request in served] == [QUICK_EXIT_URL]
    assert "referer" not in served[0]["headers"]


# ------------------------------------------------------------------ g. phone layout


def _in_viewport(box: dict[str, float] | None, width: int, height: int) -> bool:
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= width
        and box["y"] + box["height"] <= height
    )


@EVERY_LANGUAGE
def test_phone_layout(page: Page, live_server: LiveServer, lang: str):
    width, height = PHONE

    def check(page: Page, path: str) -> None:
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"the page scrolls sideways: {scroll_width}px wide"

        assert page.evaluate("window.scrollY") == 0
        button = page.locator(".quick-exit__button")
        assert button.is_visible()
        box = button.bounding_box()
        assert _in_viewport(box, width, height), f"quick exit is off screen: {box}"
        header = page.locator(".site-header").bounding_box()
        assert header is not None
        assert box is not None
        assert header["y"] == 0, f"the header is not at the top: {header}"
        assert box["y"] + box["height"] <= header["y"] + header["height"], (box, header)

        # The header is sticky: at the end of the page, quick exit is still on screen.
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        assert _in_viewport(button.bounding_box(), width, height), "quick exit scrolled away"

    for_each_page(page, live_server, lang, check)


# ------------------------------------------------------------------ h. screenshots for people


SCREENSHOTS = {PHONE: ("kk", "ru", "en"), DESKTOP: ("ru", "kk")}


@pytest.mark.screenshots
def test_screenshots_of_home(new_page: Callable[..., Page], live_server: LiveServer):
    """Pictures of the home page for a person to look at, in test-artifacts/ — each of a page
    in its language that fits its width, written as a real PNG."""
    ARTIFACTS.mkdir(exist_ok=True)
    for viewport, languages in SCREENSHOTS.items():
        page = new_page(viewport=viewport)
        for lang in languages:
            visit(page, live_server, "/", lang)
            assert page.get_attribute("html", "lang") == lang
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport[0], (lang, viewport, width)
            stem = f"home-{lang}-{viewport[0]}"
            for path, full in (
                (ARTIFACTS / f"{stem}.png", True),
                (ARTIFACTS / f"{stem}-screen.png", False),
            ):
                page.screenshot(path=path, full_page=full)
                assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", path


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_someone_with_an_invitation_finds_where_to_join_from_the_home_page(
    new_page: Callable[..., Page], live_server: LiveServer, lang: str, javascript: bool
):
    """Issue 11, item 10: the home page said invitations exist but not where to use one. On a
    phone, in Kazakh and Russian, with and without JavaScript, a link from the home page leads
    to the joining form; the page still fits and has no axe violation."""
    page = new_page(viewport=PHONE, javascript=javascript)
    visit(page, live_server, "/", lang)
    join = page.locator("main a[href='/auth/register']")
    assert join.count() == 1
    assert CYRILLIC.search(join.inner_text()), join.inner_text()
    assert page.locator("main a[href='/auth/login']").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    if javascript:
        assert_no_axe_violations(page)
    join.click()
    page.wait_for_load_state()
    assert urlsplit(page.url).path == "/auth/register"
    assert page.locator("input[name='invite_code']").count() == 1
    assert_quiet(page)
