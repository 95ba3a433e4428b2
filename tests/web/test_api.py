"""Issue 13, the read-only JSON API: what an advocate's script would see — the lists and items,
filters, pages with `next` links, conditional requests, CORS on `/api/v1/` only, JSON errors,
a withdrawn record's tombstone — and, on the seeded portal, no member's name or comment's id in
any answer of any page (acceptance 2)."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from consultations.models import Comment, Member
from consultations.services import records
from portal.extensions import db
from tests.record_fixtures import published_record

pytestmark = pytest.mark.postgres


def api(client, path: str, status: int = 200):  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == status, (path, response.get_data(as_text=True)[:500])
    assert response.content_type == "application/json", path
    assert response.headers["Access-Control-Allow-Origin"] == "*", path
    return response.get_json(), response


def test_records_and_recommendations_read_as_json(app, client):
    made = published_record(app)
    listing, response = api(client, "/api/v1/records")
    assert response.headers["ETag"]
    assert response.headers["Last-Modified"]
    assert listing["total"] == 1
    assert listing["next"] is None
    (item,) = listing["items"]
    assert item["number"] == made.number
    assert item["url"] == f"http://localhost/records/{made.number}"
    detail, _ = api(client, f"/api/v1/records/{made.number}")
    assert [r["revision"] for r in detail["revisions"]] == [1]
    assert detail["recommendations"] == [made.recommendation]
    revision, _ = api(client, f"/api/v1/records/{made.number}/v1")
    assert revision["advice"] == "Refer **faster**."
    assert revision["quotes"][0]["text"]
    register, _ = api(client, "/api/v1/recommendations?region=turkestan")
    assert [r["number"] for r in register["items"]] == [made.recommendation]
    assert register["counts"]["proposed"] == 1
    rec, _ = api(client, f"/api/v1/recommendations/{made.recommendation}")
    assert rec["history"][0]["status"] == "proposed"
    assert rec["records"] == [made.number]
    addressees, _ = api(client, "/api/v1/addressees")
    assert addressees["items"][0]["name"]["kk"] == "Түркістан облысының әкімдігі"
    assert api(client, "/api/v1/recommendations?region=astana")[0]["total"] == 0
    assert api(client, "/api/v1/recommendations?language=en")[0]["total"] == 1
    assert api(client, "/api/v1/recommendations?language=kk")[0]["total"] == 0
    assert api(client, "/api/v1/records?language=kk")[0]["total"] == 0


def test_errors_are_json_and_bad_filters_are_said(app, client):
    published_record(app)
    for path, status in (
        ("/api/v1/records/AR-1999-999", 404),
        ("/api/v1/records/AR-1999-999/v1", 404),
        ("/api/v1/nothing-here", 404),
        ("/api/v1/records?page=0", 400),
        ("/api/v1/records?page=x", 400),
        ("/api/v1/records?language=de", 400),
        ("/api/v1/recommendations?status=%27;--", 400),
        ("/api/v1/recommendations?year=20260", 400),
    ):
        body, _ = api(client, path, status)
        assert set(body) == {"error", "message"}, path
        assert "Traceback" not in json.dumps(body)
    refused = client.post("/api/v1/records")
    assert refused.status_code == 405
    assert refused.content_type == "application/json"
    assert set(refused.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_pages_follow_next_links(app, client, monkeypatch):
    from portal.web.api import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for _ in range(3):
        published_record(app)
    seen, path = [], "/api/v1/records"
    while path:
        body, _ = api(client, path)
        seen += [item["number"] for item in body["items"]]
        path = body["next"].removeprefix("http://localhost") if body["next"] else None
    assert len(seen) == len(set(seen)) == 3
    assert seen == sorted(seen, reverse=True)  # newest first, stable


def test_a_withdrawn_record_answers_its_tombstone(app, client):
    made = published_record(app)
    with app.app_context():
        staff = db.session.scalar(select(Member).where(Member.role == "staff"))
        now = app.extensions["kenes.clock"].now()
        records.withdraw(
            db.session, records.get(db.session, made.record_id), "Repealed.", actor=staff, now=now
        )
        db.session.commit()
        db.session.remove()
    for path in (f"/api/v1/records/{made.number}", f"/api/v1/records/{made.number}/v1"):
        body, _ = api(client, path)
        assert body["withdrawn"]["reason"] == "Repealed."
        assert "summary" not in body
        assert "advice" not in body
        assert "quotes" not in body
        assert "Faster referral." not in json.dumps(body, ensure_ascii=False)


def test_conditional_requests_and_cors_only_on_the_api(app, client):
    made = published_record(app)
    first = client.get(f"/api/v1/records/{made.number}")
    again = client.get(
        f"/api/v1/records/{made.number}", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    assert again.get_data() == b""
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or set()) or rule.arguments - {"filename"}:
            continue
        path = "/static/css/kenes.css" if rule.endpoint == "static" else rule.rule
        with client.get(path) as response:
            on_api = path.startswith("/api/v1/")
            assert ("Access-Control-Allow-Origin" in response.headers) == on_api, path


def test_no_api_answer_of_a_seeded_portal_names_anyone(app_factory):
    """Acceptance 2: every endpoint and every page of its lists, and the feeds and downloads,
    on the demo portal."""
    app = app_factory(KENES_ENV="development")
    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    with app.app_context():
        names = list(db.session.scalars(select(Member.pseudonym)))
        comment_ids = {str(i) for i in db.session.scalars(select(Comment.id))}
        db.session.remove()
    client = app.test_client()
    queue = ["/api/v1/records", "/api/v1/recommendations", "/api/v1/addressees"]
    seen = set()
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        body, _ = api(client, path)
        text = json.dumps(body, ensure_ascii=False)
        for name in names:
            assert name not in text, (path, name)
        assert not re.search(r'"(comment|author|member|pseudonym)', text), path
        for item in body.get("items", []):
            if "number" in item:
                kind = "records" if item["number"].startswith("AR-") else "recommendations"
                queue.append(f"/api/v1/{kind}/{item['number']}")
        for revision in body.get("revisions", []):
            queue.append(f"/api/v1/records/{body['number']}/v{revision['revision']}")
        if body.get("next"):
            queue.append(body["next"].removeprefix("http://localhost"))
    assert len(seen) >= 3 + 3 + 2 + 6
    assert comment_ids  # the demo has comments; their ids appear nowhere above
    # The feeds and the downloads of the same portal.
    for path in (
        "/feeds/records.atom",
        "/feeds/recommendations.atom",
        "/feeds/records.csv",
        "/feeds/recommendations.csv",
    ):
        text = client.get(path).get_data(as_text=True)
        for name in names:
            assert name not in text, (path, name)
        assert not re.search(r"comment[-_/=]\d", text), path
