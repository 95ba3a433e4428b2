"""Issue 13, the Atom feeds, read by feedparser (what feed readers are built on) with no
`bozo` error, for a record whose title mixes Kazakh, Russian, quotes, braces, `%`, `&` and `\\`;
stable tag URIs, each entry's language, the withdrawn record's summary gone, no name of anyone,
and the conditional request's 304."""

from __future__ import annotations

import feedparser
import pytest
from sqlalchemy import select

from consultations.models import Member, Recommendation, RecommendationStatus
from consultations.services import recommendations, records
from consultations.services.records import Texts
from portal.extensions import db
from tests.record_fixtures import published_record

pytestmark = pytest.mark.postgres

TITLE = 'Бала «қорғау» {v2}: 100% & C:\\path — «Защита» "детей" <b>'


def staff_and_now(app):  # type: ignore[no-untyped-def]
    return (
        db.session.scalar(select(Member).where(Member.role == "staff")),
        app.extensions["kenes.clock"].now(),
    )


def test_the_records_feed_announces_publications_corrections_and_withdrawals(app, client):
    made = published_record(app)  # v1 published, v2 in draft
    with app.app_context():
        staff, now = staff_and_now(app)
        record = records.get(db.session, made.record_id)
        records.save_draft(
            db.session,
            record,
            Texts(TITLE, "Summary.", "Advice.", "Title fixed."),
            actor=staff,
            now=now,
        )
        records.publish(db.session, record, actor=staff, now=now)
        db.session.commit()
        db.session.remove()
    response = client.get("/feeds/records.atom")
    assert response.status_code == 200
    assert response.content_type == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, feed.bozo_exception
    newest, first = feed.entries[0], feed.entries[1]
    assert newest.title == f"{made.number} (revision 2): {TITLE}"
    assert newest.id == f"tag:localhost,{made.number[3:7]}:records/{made.number}/v2"
    assert newest.link == f"http://localhost/records/{made.number}/v2"
    assert newest.summary == "Title fixed."
    assert first.id.endswith(f"records/{made.number}/v1")
    assert newest.title_detail.language == "en"  # the record's language, from xml:lang
    # The same entries on the next read: ids never change.
    again = feedparser.parse(client.get("/feeds/records.atom").get_data())
    assert [e.id for e in again.entries] == [e.id for e in feed.entries]

    with app.app_context():
        staff, now = staff_and_now(app)
        records.withdraw(
            db.session, records.get(db.session, made.record_id), "Repealed.", actor=staff, now=now
        )
        db.session.commit()
        db.session.remove()
    withdrawn = feedparser.parse(client.get("/feeds/records.atom").get_data())
    assert withdrawn.entries[0].id.endswith(f"records/{made.number}/withdrawn")
    assert withdrawn.entries[0].summary == "Repealed."
    body = client.get("/feeds/records.atom").get_data(as_text=True)
    assert "Summary." not in body
    assert "Title fixed." not in body


def test_the_recommendations_feed_announces_status_changes(app, client):
    made = published_record(app)
    with app.app_context():
        staff, now = staff_and_now(app)
        recommendation = db.session.get(Recommendation, made.recommendation_id)
        recommendations.change_status(
            db.session,
            recommendation,
            RecommendationStatus.PARTIALLY_ACCEPTED,
            on=now.date(),
            note="Accepted in part & «in writing».",
            evidence="",
            actor=staff,
            now=now,
        )
        db.session.commit()
        db.session.remove()
    feed = feedparser.parse(client.get("/feeds/recommendations.atom").get_data())
    assert not feed.bozo, feed.bozo_exception
    assert feed.entries[0].title.startswith(f"{made.recommendation}: Partially accepted — ")
    russian = client.get("/feeds/recommendations.atom", headers={"Accept-Language": "ru"})
    in_russian = feedparser.parse(russian.get_data())
    assert in_russian.feed.title == "Kenes — Рекомендации"
    assert in_russian.entries[0].title.startswith(f"{made.recommendation}: Принято частично — ")
    assert feed.entries[0].summary == "Accepted in part & «in writing»."
    assert feed.entries[0].link == f"http://localhost/recommendations/{made.recommendation}"


def test_feeds_are_linked_named_no_one_and_answer_304(app, client):
    made = published_record(app)
    for page, feed in (
        ("/records", "/feeds/records.atom"),
        ("/recommendations", "/feeds/recommendations.atom"),
    ):
        assert 'rel="alternate" type="application/atom+xml"' in client.get(page).get_data(
            as_text=True
        )
        first = client.get(feed)
        again = client.get(feed, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304
        assert again.get_data() == b""
    with app.app_context():
        names = list(db.session.scalars(select(Member.pseudonym)))
        db.session.remove()
    for feed in ("/feeds/records.atom", "/feeds/recommendations.atom"):
        body = client.get(feed).get_data(as_text=True)
        for name in names:
            assert name not in body
    assert made.number in client.get("/feeds/records.atom").get_data(as_text=True)


def test_the_register_and_the_records_download_as_csv(app, client):
    """Through the one neutralising CSV writer: a title that begins like a formula comes out as
    text; a withdrawn record keeps its number, title and dates."""
    import csv
    import io

    made = published_record(app)
    with app.app_context():
        staff, now = staff_and_now(app)
        recommendation = db.session.get(Recommendation, made.recommendation_id)
        recommendation.title = '=HYPERLINK("http://example.invalid")'
        db.session.commit()
        records.withdraw(
            db.session, records.get(db.session, made.record_id), "Repealed.", actor=staff, now=now
        )
        db.session.commit()
        db.session.remove()
    register = client.get("/feeds/recommendations.csv")
    assert register.content_type == "text/csv; charset=utf-8"
    assert register.headers["Content-Disposition"] == 'attachment; filename="recommendations.csv"'
    rows = list(csv.DictReader(io.StringIO(register.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0]["number"] == made.recommendation
    assert rows[0]["title"] == '\'=HYPERLINK("http://example.invalid")'
    assert rows[0]["status"] == "proposed"
    listed = client.get("/feeds/records.csv").get_data(as_text=True).lstrip("\ufeff")
    (row,) = list(csv.DictReader(io.StringIO(listed)))
    assert (row["number"], row["title"]) == (made.number, "Referral on the same day")
    assert row["withdrawn"]
    assert "Faster referral." not in listed
