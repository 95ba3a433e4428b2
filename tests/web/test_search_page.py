"""The search page as a visitor meets it (issue 14): bad input answered in the reader's
language with what was typed kept, an exact number opening its page, facets that narrow with
their counts, pages, order, a discreet title, no session; and nothing but what is published —
no draft, no withdrawn record, no comment — ever found."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from consultations.models import Member, Role
from consultations.services import records
from consultations.services.records import Texts
from portal.extensions import db
from tests.consultation_fixtures import open_consultation
from tests.factories import make_member
from tests.search.helpers import publish_recommendation, publish_record

pytestmark = pytest.mark.postgres


def _main(response) -> str:  # type: ignore[no-untyped-def]
    page = response.get_data(as_text=True)
    return page[page.index("<main") : page.index("</main>")]


def _results(response) -> list[str]:  # type: ignore[no-untyped-def]
    return re.findall(
        r'href="/(?:records|recommendations)/((?:AR|REC)-\d{4}-\d{3})"', _main(response)
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("x" * 257, "This can be at most 256 characters long."),
        ("referral\u202eevil", "Remove the invisible or control characters from this field."),
        ("bell\x07", "Remove the invisible or control characters from this field."),
        ('"" ((( -', "These words give nothing to search for."),
        (") - (", "These words give nothing to search for."),
    ],
)
def test_bad_input_is_answered_and_kept(client, query, message):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    main = _main(response)
    assert message in main
    if "\x07" not in query:
        assert 'value="' in main
        assert "&#34;" in main or query[:20] in main  # what was typed is in the box


def test_bad_input_is_answered_in_the_readers_language(client):
    response = client.get("/search?q=" + "я" * 300, headers={"Accept-Language": "ru"})
    assert "Здесь может быть не больше 256 символов." in _main(response)
    assert 'lang="ru"' in response.get_data(as_text=True)
    kazakh = client.get('/search?q="" (((', headers={"Accept-Language": "kk"})
    assert "Бұл сөздер бойынша іздеуге болмайды" in _main(kazakh)


def test_an_exact_number_opens_its_page(app, client):
    record = publish_record(app, "en", "Numbered", "text")
    recommendation = publish_recommendation(app, "en", "Numbered too", "text")
    assert client.get(f"/search?q={record}").headers["Location"] == f"/records/{record}"
    typed = record.lower().replace("-00", "-")  # ar-2026-1
    assert client.get(f"/search?q={typed}").headers["Location"] == f"/records/{record}"
    answer = client.get(f"/search?q= {recommendation} ")
    assert answer.status_code == 303
    assert answer.headers["Location"] == f"/recommendations/{recommendation}"
    unknown = client.get("/search?q=AR-2026-999")
    assert unknown.status_code == 200
    assert "Nothing published matches this search" in _main(unknown)


def test_facets_count_and_narrow(app, client):
    a = publish_record(app, "en", "Referral one", "referral")
    b = publish_record(app, "ru", "Направление", "направление referral")
    rec = publish_recommendation(app, "kk", "Жолдама", "referral жолдама")
    everything = _main(client.get("/search?q=referral"))
    assert "3 results" in everything
    assert re.search(r'kind=record">Advisory records</a> <span class="count">2<', everything)
    assert re.search(r'kind=recommendation">Recommendations</a> <span class="count">1<', everything)
    assert re.search(r'language=kk">Қазақша</a> <span class="count">1<', everything)
    only_records = client.get("/search?q=referral&kind=record")
    assert sorted(_results(only_records)) == sorted([a, b])
    narrowed = client.get("/search?q=referral&kind=record&language=ru")
    assert _results(narrowed) == [b]
    assert "Showing only:" in _main(narrowed)
    status = client.get("/search?q=referral&status=proposed")
    assert _results(status) == [rec]
    ignored = client.get("/search?q=referral&kind=evil&year=20x6&addressee=-1&region=mars")
    assert len(_results(ignored)) == 3


def test_pages_and_order(app, client, clock):
    staff_id = make_member(app, "Paging Staff", role=Role.STAFF).id
    made = []
    for i in range(12):
        clock.advance(timedelta(hours=1))
        made.append(publish_record(app, "en", f"Paged {i}", "paging words", staff_id=staff_id))
    first = client.get("/search?q=paging&sort=date")
    assert _results(first) == list(reversed(made))[:10]
    assert "Page 1 of 2" in _main(first)
    second = client.get("/search?q=paging&sort=date&page=2")
    assert _results(second) == list(reversed(made))[10:]
    beyond = client.get("/search?q=paging&sort=date&page=999")
    assert _results(beyond) == _results(second)
    newest = client.get("/search")  # no words: the newest first
    assert _results(newest)[:3] == list(reversed(made))[:3]


def test_the_title_is_discreet_and_no_session_starts(app, client):
    publish_record(app, "en", "Trafficking", "trafficking survivors")
    response = client.get("/search?q=trafficking+survivors")
    title = re.search(r"<title>(.*?)</title>", response.get_data(as_text=True)).group(1)
    assert title == "Search · Kenes"
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"].startswith("no-cache")


def test_only_what_is_published_is_found(app, client):
    made = open_consultation(app, comment_text="Quillibrant waited by the gate.")
    staff_id = make_member(app, "Draft Staff", role=Role.STAFF).id
    with app.app_context():
        now = app.extensions["kenes.clock"].now()
        staff = db.session.get(Member, staff_id)
        records.create(
            db.session,
            locale="en",
            consultation=None,
            texts=Texts("Unpublished Zorblat", "Zorblat draft", ""),
            actor=staff,
            now=now,
        )
        db.session.commit()
        db.session.remove()
    published = publish_record(app, "en", "Published", "Glimmerfold", staff_id=staff_id)
    assert _results(client.get("/search?q=Glimmerfold")) == [published]
    assert _results(client.get("/search?q=Quillibrant")) == []  # a member's comment
    assert _results(client.get("/search?q=Zorblat")) == []  # a draft
    assert made.public_id  # the consultation the comment is on is public
