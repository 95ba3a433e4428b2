"""Issue 12, acceptance 4, and issue 13's speed: the public pages of the records and the
register, the members' "what became of our advice", the feeds, the downloads, the API and the
citations stay within eight queries whatever the number of records, recommendations, revisions
or status changes — on SQLite and on PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from consultations.models import AdvisoryRecord, Member, Recommendation, RecommendationStatus
from consultations.services import recommendations, records
from portal.extensions import db
from tests.factories import make_member, sign_in
from tests.record_fixtures import MadeRecord, published_record
from tests.web.test_consultation_pages import counted_queries

pytestmark = pytest.mark.postgres

BOUND = 8


def grow(app, made: MadeRecord, *, revisions: int, changes: int) -> None:  # type: ignore[no-untyped-def]
    """More revisions of the record (each a published correction) and more status changes of
    its recommendation."""
    with app.app_context():
        now = app.extensions["kenes.clock"].now()
        staff = db.session.scalar(db.select(Member).where(Member.role == "staff"))
        record = records.get(db.session, made.record_id)
        for number in range(revisions):
            records.save_draft(
                db.session,
                record,
                records.Texts(f"Title {number}", "", "Advice.", f"Correction {number}."),
                actor=staff,
                now=now,
            )
            records.publish(db.session, record, actor=staff, now=now)
            records.start_correction(db.session, record, actor=staff, now=now)
        recommendation = db.session.get(Recommendation, made.recommendation_id)
        for step in range(changes):
            recommendations.change_status(
                db.session,
                recommendation,
                list(RecommendationStatus)[step % len(RecommendationStatus)],
                on=(now - timedelta(days=changes - step)).date(),
                note=f"Step {step}.",
                evidence="",
                actor=staff,
                now=now,
            )
        db.session.commit()
        db.session.remove()


def pages(made: MadeRecord) -> list[str]:
    return [
        "/records",
        f"/records/{made.number}",
        f"/records/{made.number}/v1",
        "/recommendations",
        "/recommendations?status=accepted&region=turkestan",
        f"/recommendations/{made.recommendation}",
        "/consultations/outcomes",
        "/feeds/records.atom",
        "/feeds/recommendations.atom",
        "/feeds/records.csv",
        "/feeds/recommendations.csv",
        "/api/v1/records",
        f"/api/v1/records/{made.number}",
        f"/api/v1/records/{made.number}/v1",
        "/api/v1/recommendations",
        f"/api/v1/recommendations/{made.recommendation}",
        f"/records/{made.number}/v1/cite.bib",
        "/search",
        "/search?q=faster+referral&sort=date",
        "/search?q=referral&kind=record&region=turkestan",
    ]


def caught_up(client) -> None:  # type: ignore[no-untyped-def]
    """The first search after a change applies it to the index (docs/search.md) — work of the
    change, paid once, not of the page: done before counting."""
    assert client.get("/search").status_code == 200


def test_advice_pages_stay_within_the_query_bound(app, clock):
    """Signed in (the outcomes page needs it); an anonymous reader's answers add one query for
    Last-Modified and drop the two of the session — see the next test."""
    few = published_record(app)
    reader = app.test_client()
    sign_in(reader, make_member(app, "Counting Reader"), clock)
    reader.get("/records")  # warm up: the visit date is moved once
    caught_up(reader)
    counted_few = {}
    for path in pages(few):
        with counted_queries(app) as statements:
            assert reader.get(path).status_code == 200, path
        counted_few[path] = len(statements)

    many = [published_record(app) for _ in range(6)]
    grow(app, many[0], revisions=5, changes=12)
    with app.app_context():
        assert db.session.query(AdvisoryRecord).count() == 7
        db.session.remove()
    caught_up(reader)
    for path, before in zip(pages(many[0]), counted_few.values(), strict=True):
        with counted_queries(app) as statements:
            assert reader.get(path).status_code == 200, path
        tables = [found.group(1) for s in statements if (found := re.search(r"FROM (\w+)", s))]
        assert len(statements) == before, (path, before, tables)
        assert len(statements) <= BOUND, (path, tables)


def test_an_anonymous_reader_stays_within_the_bound_too(app):
    few = published_record(app)
    reader = app.test_client()
    public = [path for path in pages(few) if path != "/consultations/outcomes"]
    caught_up(reader)
    counted = {}
    for path in public:
        with counted_queries(app) as statements:
            assert reader.get(path).status_code == 200, path
        counted[path] = len(statements)
    many = [published_record(app) for _ in range(5)]
    grow(app, many[0], revisions=4, changes=9)
    caught_up(reader)
    for path, before in zip(
        [p for p in pages(many[0]) if p != "/consultations/outcomes"], counted.values(), strict=True
    ):
        with counted_queries(app) as statements:
            response = reader.get(path)
            assert response.status_code == 200, path
        assert "Last-Modified" in response.headers, path
        assert len(statements) == before <= BOUND, (path, before, len(statements))
