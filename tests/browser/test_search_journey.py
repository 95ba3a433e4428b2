"""Issue 14, the search page in real Chromium on a 360 px phone, with JavaScript and without, on
the demo portal (`flask demo seed`: three advisory records, one in each language, and six
recommendations in kk, ru and en). An anonymous visitor searches in Russian, Kazakh and English,
each with the interface in that language, each time with a form of the word that the texts do
not contain (the stemmers find «разговор» for «разговоры», «бөлмеде» and «бөлмелер» for
«бөлмелерде», "psychologist" for "psychologists"); narrows the Russian results with two facets,
one after the other; opens a result by its title; and types an exact number to land on its
page. The tab's title never says what was searched for, nothing scrolls sideways, and axe-core
finds nothing on any search page visited when JavaScript runs (with it off axe cannot run: the
same pages are checked in the JavaScript run).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.test_consultations import (
    assert_phone_layout,
    check,
    note_layout_fault,
    path_of,
)
from tests.browser.test_membership import flask_cli, goto
from tests.servers import gunicorn

pytestmark = pytest.mark.browser

# The interface in each language: the page's heading and its (discreet) title.
HEADING = {
    "kk": "Топтың кеңестерінен іздеу",
    "ru": "Поиск по рекомендациям группы",
    "en": "Search the group's advice",
}
TAB_TITLE = {"kk": "Іздеу · Kenes", "ru": "Поиск · Kenes", "en": "Search · Kenes"}
RESULTS = "main ol.search-results > li.card"
ALL_PUBLISHED = 9  # the demo's 3 records (AR-…-001 ru, 002 kk, 003 en) and 6 recommendations


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The harness's gunicorn (tests/servers.py), with a server of this module's own: the demo
    it is seeded with (accounts, an open consultation, the published advice) must not reach the
    journeys of the other modules sharing the session's server, and every count below is the
    demo's alone. `flask demo seed` runs only in development: the same database, index and
    secrets, with KENES_ENV=development for that one command."""
    with gunicorn(tmp_path_factory.mktemp("search-server")) as server:
        seeder = dataclasses.replace(server, env={**server.env, "KENES_ENV": "development"})
        assert "/records/AR-" in flask_cli(seeder, "demo", "seed")
        yield server


# --------------------------------------------------------------------------- helpers


def numbers_found(page: Page) -> list[str]:
    """The permalinks' numbers of the results shown, in order."""
    hrefs = page.locator(f"{RESULTS} h2 a").evaluate_all("links => links.map(a => a.href)")
    return [urlsplit(href).path.rsplit("/", 1)[-1] for href in hrefs]


def query_of(page: Page) -> dict[str, list[str]]:
    """What the address asks for, but the order (the form sends it, the links leave it out)."""
    asked = parse_qs(urlsplit(page.url).query)
    assert asked.pop("sort", ["relevance"]) == ["relevance"], page.url
    return asked


def follow(page: Page, target: Locator) -> None:
    """Click and wait for the page it leads to, which must answer 200."""
    with page.expect_navigation() as navigation:
        target.click()
    response = navigation.value
    assert response is not None
    assert response.status == 200, f"{page.url}: HTTP {response.status}"


def search_for(page: Page, words: str) -> None:
    """Type into the search box and press the form's own button."""
    page.locator("main form.search-form #q").fill(words)
    follow(page, page.locator("main form.search-form button[type=submit]"))


def check_search_page(page: Page, lang: str, words: str, *, axe: bool) -> None:
    """In the interface's language; a title that does not say what was searched for; axe
    (JavaScript on), a quiet console and no sideways scrolling (`check`)."""
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("main h1")).to_have_text(HEADING[lang])
    assert path_of(page) == "/search"
    title = page.title()
    assert title == TAB_TITLE[lang]
    for word in words.lower().split():
        assert word not in title.lower(), f"the tab's title {title!r} says {word!r}"
    check(page, axe=axe)


def assert_found(page: Page, numbers: set[str], counted: str) -> None:
    """Exactly these results, and the status line counting them."""
    expect(page.locator(RESULTS)).to_have_count(len(numbers))
    assert set(numbers_found(page)) == numbers
    expect(page.locator("main p[role=status]")).to_have_text(counted)


def assert_marked(page: Page, stem: str, typed: str) -> list[str]:
    """Every highlighted word is a form of `stem` — and none is the form that was typed, so
    each was found through the language's analysis, not by matching the letters."""
    marks = [m.strip().lower() for m in page.locator(f"{RESULTS} mark").all_inner_texts()]
    assert marks, "no word is highlighted in the results"
    assert all(m.startswith(stem) for m in marks), marks
    assert typed.lower() not in marks, marks
    return marks


def facet_link(page: Page, facet: str, value: str) -> tuple[Locator, int]:
    """The link of a facet's value in the facets' navigation, and its count (the facet's
    heading is there: it is offered, not already chosen)."""
    group = page.locator("main nav.facets h2", has_text=re.compile(f"^{re.escape(facet)}$"))
    expect(group).to_have_count(1)
    item = page.locator("main nav.facets li").filter(
        has=page.get_by_role("link", name=value, exact=True)
    )
    expect(item).to_have_count(1)
    return item.get_by_role("link"), int(item.locator(".count").inner_text())


def check_facets_after_results(page: Page) -> None:
    """On a phone the facets come after the results, where the reading (and tabbing) order
    puts them, not above them."""
    results = page.locator("main ol.search-results").bounding_box()
    facets = page.locator("main nav.facets").bounding_box()
    assert results is not None
    assert facets is not None
    if facets["y"] < results["y"] + results["height"]:
        note_layout_fault(page, f"{page.url}: the facets are above the results")


def chosen_filters(page: Page) -> list[str]:
    return [
        " ".join(text.split()) for text in page.locator("main a.chosen-filter").all_inner_texts()
    ]


# --------------------------------------------------------------------------- the journey


def russian(page: Page, server: LiveServer, *, axe: bool) -> None:
    """Russian: «разговоры» (the texts say «разговор», «разговора»); two facets; a result."""
    goto(page, server, "/lang/ru?next=/search")
    check_search_page(page, "ru", "", axe=axe)
    # Nothing typed yet: everything published.
    expect(page.locator(RESULTS)).to_have_count(ALL_PUBLISHED)

    words = "разговоры"
    search_for(page, words)
    check_search_page(page, "ru", words, axe=axe)
    assert query_of(page) == {"q": [words]}
    expect(page.locator("main form.search-form #q")).to_have_value(words)
    assert_found(page, {"AR-2026-001", "REC-2026-001", "REC-2026-004"}, "3 результата")
    marks = assert_marked(page, "разговор", words)
    assert "разговор" in marks
    expect(page.locator(RESULTS).first.locator("h2 a mark")).to_have_text("разговор")
    expect(page.locator("main a.chosen-filter")).to_have_count(0)
    check_facets_after_results(page)

    # First facet: the kind. Its count is what the list narrows to.
    link, count = facet_link(page, "Вид", "Рекомендации")
    assert count == 2
    follow(page, link)
    check_search_page(page, "ru", words, axe=axe)
    assert query_of(page) == {"q": [words], "kind": ["recommendation"]}
    expect(page.locator("main form.search-form #q")).to_have_value(words)
    assert_found(page, {"REC-2026-001", "REC-2026-004"}, "2 результата")
    assert chosen_filters(page) == ["Вид: Рекомендации (убрать этот фильтр) ✕"]
    # A facet already chosen is no longer offered.
    expect(page.locator("main nav.facets h2", has_text="Вид")).to_have_count(0)

    # Second facet, on top of the first: the status.
    link, count = facet_link(page, "Статус", "Отклонено")
    assert count == 1
    follow(page, link)
    check_search_page(page, "ru", words, axe=axe)
    assert query_of(page) == {"q": [words], "kind": ["recommendation"], "status": ["rejected"]}
    assert_found(page, {"REC-2026-004"}, "1 результат")
    check_facets_after_results(page)
    assert chosen_filters(page) == [
        "Вид: Рекомендации (убрать этот фильтр) ✕",
        "Статус: Отклонено (убрать этот фильтр) ✕",
    ]
    # Each chosen filter's link takes only that filter away.
    remove_kind = page.locator("main a.chosen-filter").first.get_attribute("href") or ""
    assert parse_qs(urlsplit(remove_kind).query) == {"q": [words], "status": ["rejected"]}

    # Open the result by its title.
    title = page.locator(f"{RESULTS} h2 a")
    expect(title).to_have_text("Не доставлять ребёнка в отдел полиции")
    follow(page, title)
    assert path_of(page) == "/recommendations/REC-2026-004"
    expect(page.locator("main h1")).to_have_text("Не доставлять ребёнка в отдел полиции")
    check(page, axe=axe)


def kazakh(page: Page, server: LiveServer, *, axe: bool) -> None:
    """Kazakh: «бөлмелерде» (plural and locative; the texts say «бөлмеде», «бөлмелер»,
    «бөлме»); the record in Kazakh opens from its title."""
    goto(page, server, "/lang/kk?next=/search")
    check_search_page(page, "kk", "", axe=axe)
    words = "бөлмелерде"
    search_for(page, words)
    check_search_page(page, "kk", words, axe=axe)
    assert_found(page, {"AR-2026-002", "REC-2026-002"}, "2 нәтиже")
    marks = assert_marked(page, "бөлме", words)
    assert {"бөлме", "бөлмелер"} <= set(marks), marks
    record = page.locator(f"{RESULTS} h2 a[href='/records/AR-2026-002']")
    expect(record).to_have_text("Бір әңгіме, тыныш бөлме (демонстрация)")
    expect(record).to_have_attribute("lang", "kk")
    follow(page, record)
    assert path_of(page) == "/records/AR-2026-002"
    expect(page.locator("main h1")).to_have_text("Бір әңгіме, тыныш бөлме (демонстрация)")
    check(page, axe=axe)


def english(page: Page, server: LiveServer, *, axe: bool) -> None:
    """English: "psychologists" (the texts say "psychologist"); a recommendation opens from
    its title; an exact number goes straight to its page."""
    goto(page, server, "/lang/en?next=/search")
    check_search_page(page, "en", "", axe=axe)
    words = "psychologists"
    search_for(page, words)
    check_search_page(page, "en", words, axe=axe)
    assert_found(page, {"AR-2026-003", "REC-2026-003"}, "2 results")
    assert "psychologist" in assert_marked(page, "psychologist", words)
    recommendation = page.locator(f"{RESULTS} h2 a[href='/recommendations/REC-2026-003']")
    expect(recommendation).to_have_text("A woman psychologist for girls")
    follow(page, recommendation)
    assert path_of(page) == "/recommendations/REC-2026-003"
    expect(page.locator("main h1")).to_have_text("A woman psychologist for girls")
    check(page, axe=axe)

    goto(page, server, "/search")
    search_for(page, "AR-2026-001")
    assert path_of(page) == "/records/AR-2026-001"
    expect(page.locator("main h1")).to_have_text("Один разговор, тихая комната (демонстрация)")
    check(page, axe=axe)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_search_in_three_languages_narrow_and_open(
    new_page: Callable[..., Page], live_server: LiveServer, javascript: bool
):
    page = new_page(javascript=javascript)  # 360×740, a phone
    assert page.viewport_size == {"width": 360, "height": 740}
    russian(page, live_server, axe=javascript)
    kazakh(page, live_server, axe=javascript)
    english(page, live_server, axe=javascript)
    assert_phone_layout(page)
