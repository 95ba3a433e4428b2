"""Issue 12: advisory records and the recommendation register, seen from the outside — the
public pages and permalinks an advocate opens, the rows a leaked database would show, and
numbers handed out while several staff publish at once.
"""

from __future__ import annotations

import html
import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import inspect, select

from consultations.models import (
    Addressee,
    AdvisoryRecord,
    Comment,
    Consultation,
    Member,
    OutboxEntry,
    Priority,
    Recommendation,
    RecommendationStatus,
    RecordQuote,
    RecordRevision,
    Region,
    Role,
)
from consultations.services import recommendations, records
from consultations.services.records import NewQuote, RecordRefused, Texts
from portal.extensions import db
from tests.consultation_fixtures import open_consultation
from tests.factories import make_member, sign_in
from tests.record_fixtures import published_record

pytestmark = pytest.mark.postgres

QUOTE = "Сутки — это слишком долго для испуганного ребёнка."


def page_of(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def staff(app, clock):  # type: ignore[no-untyped-def]
    account = make_member(app, "Record Staff", role=Role.STAFF, two_factor=True)
    client = app.test_client()
    sign_in(client, account, clock)
    client.account = account  # type: ignore[attr-defined]
    return client


def now_of(app):  # type: ignore[no-untyped-def]
    return app.extensions["kenes.clock"].now()


def actor(app, client) -> Member:  # type: ignore[no-untyped-def]
    return db.session.get(Member, client.account.id)


def an_addressee(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        made = Addressee(
            name_kk="Түркістан облысының әкімдігі",
            name_ru="Акимат Туркестанской области",
            name_en="Akimat of Turkestan Region",
        )
        db.session.add(made)
        db.session.commit()
        found = made.id
        db.session.remove()
    return found


def a_recommendation(app, client, *, publish: bool = True, title: str = "Refer within 12 hours"):  # type: ignore[no-untyped-def]
    addressee = an_addressee(app)
    with app.app_context():
        made = recommendations.create(
            db.session,
            recommendations.Draft(
                title=title,
                text="Refer the child **the same day**.",
                locale="en",
                addressee_id=addressee,
                priority=Priority.HIGH,
                regions=[Region.TURKESTAN, Region.SHYMKENT],
            ),
            actor=actor(app, client),
            now=now_of(app),
        )
        number = (
            recommendations.publish(db.session, made, actor=actor(app, client), now=now_of(app))
            if publish
            else None
        )
        db.session.commit()
        found = (made.id, number)
        db.session.remove()
    return found


def a_record(app, client, consultation: str | None = None) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        from consultations.services import consultations

        source = consultations.get(db.session, consultation) if consultation else None
        made = records.create(
            db.session,
            locale="en",
            consultation=source,
            texts=Texts(
                "Referral on the same day",
                "The group asks for faster referral.",
                "## Advice\n\nRefer **faster**.",
            ),
            actor=actor(app, client),
            now=now_of(app),
        )
        db.session.commit()
        found = made.id
        db.session.remove()
    return found


def quotable_comment(app, *, quotable: bool = True, text: str = QUOTE) -> tuple[str, int]:  # type: ignore[no-untyped-def]
    made = open_consultation(app, comment_text=text, quotable=quotable, report=None)
    return made.public_id, made.comment_id


# --------------------------------------------------------------------------- the schema


def test_no_record_or_recommendation_column_can_reach_a_comment_or_a_member(app):
    """Acceptance 1: no foreign key of these tables leads to `comment` or `member`, and no column
    is named as if it held their ids."""
    tables = (
        "advisory_record",
        "record_revision",
        "record_quote",
        "record_recommendation",
        "recommendation",
        "recommendation_region",
        "recommendation_status",
        "addressee",
        "outbox",
        "public_number",
    )
    with app.app_context():
        inspector = inspect(db.engine)
        for table in tables:
            for key in inspector.get_foreign_keys(table):
                assert key["referred_table"] not in {"comment", "member", "meeting"}, (table, key)
            for column in inspector.get_columns(table):
                assert not re.search(r"comment|member|author|pseudonym", column["name"]), (
                    table,
                    column["name"],
                )
        # The only way out of a record is to what is public anyway.
        reachable = {
            key["referred_table"] for table in tables for key in inspector.get_foreign_keys(table)
        }
        db.session.remove()
    assert reachable == {
        "consultation",
        "advisory_record",
        "record_revision",
        "recommendation",
        "addressee",
    }


# --------------------------------------------------------------------------- numbers


def test_numbers_count_up_per_year_and_a_failed_publication_takes_none(app, staff, clock):
    first_id, first = a_recommendation(app, staff)
    draft_id, _ = a_recommendation(app, staff, publish=False)
    with app.app_context():
        draft = db.session.get(Recommendation, draft_id)
        recommendations.publish(db.session, draft, actor=actor(app, staff), now=now_of(app))
        db.session.rollback()  # the publishing transaction fails
        db.session.remove()
    _, second = a_recommendation(app, staff)
    year = now_of(app).year
    assert (first, second) == (f"REC-{year}-001", f"REC-{year}-002")
    clock.advance(timedelta(days=366))
    _, next_year = a_recommendation(app, staff)
    assert next_year == f"REC-{year + 1}-001"


def test_concurrent_publication_never_duplicates_or_skips(app, staff):
    """Acceptance 1, on SQLite and PostgreSQL: eight staff publish eight records at once."""
    made = [a_record(app, staff) for _ in range(8)]
    barrier = threading.Barrier(len(made))
    numbers: list[str] = []
    errors: list[BaseException] = []

    def publish(record_id: int) -> None:
        try:
            with app.app_context():
                barrier.wait(timeout=30)  # before the transaction: all start together
                record = db.session.get(AdvisoryRecord, record_id)
                number = records.publish(
                    db.session, record, actor=actor(app, staff), now=now_of(app)
                )
                db.session.commit()
                numbers.append(number)
                db.session.remove()
        except BaseException as error:  # handed back to the test
            errors.append(error)

    threads = [threading.Thread(target=publish, args=(record_id,)) for record_id in made]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors[0]
    year = now_of(app).year
    assert sorted(numbers) == [f"AR-{year}-{n:03d}" for n in range(1, 9)]
    with app.app_context():
        entries = list(db.session.scalars(select(OutboxEntry.number).order_by(OutboxEntry.id)))
        db.session.remove()
    assert sorted(entries) == sorted(numbers)


# --------------------------------------------------------------------------- records


def test_a_record_from_publication_to_withdrawal(app, staff, clock):
    """Quotes only from quotable, visible comments; publish; a published revision cannot
    change; a correction keeps v1 readable; withdrawal leaves a tombstone at every address."""
    public_id, comment_id = quotable_comment(app)
    _, refused_id = quotable_comment(app, quotable=False, text="Not to be quoted.")
    rec_id, rec_number = a_recommendation(app, staff)
    record_id = a_record(app, staff, consultation=public_id)
    base = f"/staff/records/{record_id}"
    draft = f"{base}/draft"
    form = {
        "title": "Referral on the same day",
        "summary": "The group asks for faster referral.",
        "advice": "## Advice\n\nRefer **faster**.",
        "recommendation": [rec_id],
    }
    refused = staff.post(draft, data=form | {"add_quote": [refused_id]})
    assert refused.status_code == 400
    assert "cannot be quoted" in page_of(refused)
    not_words = staff.post(
        draft, data=form | {"add_quote": [comment_id], f"excerpt-{comment_id}": "Words never said"}
    )
    assert "must be words of the comment" in page_of(not_words)
    excerpt = "слишком ДОЛГО для испуганного"
    saved = staff.post(
        draft, data=form | {"add_quote": [comment_id], f"excerpt-{comment_id}": excerpt}
    )
    assert saved.status_code == 303

    preview = page_of(staff.get(f"{base}/preview"))
    assert excerpt in preview
    assert "Preview: this is how the public will see" in preview
    assert staff.post(f"{base}/publish").status_code == 303
    with app.app_context():
        record = db.session.get(AdvisoryRecord, record_id)
        number = record.number
        db.session.remove()
    year = now_of(app).year
    assert number == f"AR-{year}-001"

    reader = app.test_client()
    public = page_of(reader.get(f"/records/{number}"))
    assert "Referral on the same day" in public
    assert excerpt in public
    assert rec_number in public
    assert "Refer <strong>faster</strong>." in public
    assert reader.get(f"/records/{number}/v1").status_code == 200
    assert reader.get(f"/records/{number}/v2").status_code == 404
    assert reader.get(f"/records/{number.lower()}").status_code == 200

    # A published revision does not change: the service refuses, the row stays as it was.
    with app.app_context():
        record = db.session.get(AdvisoryRecord, record_id)
        before = db.session.execute(
            select(RecordRevision.title, RecordRevision.advice, RecordRevision.published_at)
        ).all()
        with pytest.raises(RecordRefused):
            records.save_draft(
                db.session,
                record,
                Texts("Changed", "", ""),
                actor=actor(app, staff),
                now=now_of(app),
            )
        db.session.rollback()
        after = db.session.execute(
            select(RecordRevision.title, RecordRevision.advice, RecordRevision.published_at)
        ).all()
        db.session.remove()
    assert before == after
    assert staff.post(draft, data=form | {"title": "Changed"}).status_code == 400

    # A correction: v2 with its changelog; v1 still reads as it was.
    clock.advance(timedelta(minutes=3))
    assert staff.post(f"{base}/correct").status_code == 303
    assert staff.post(f"{base}/publish").status_code == 303  # refused: no changelog
    corrected = form | {
        "title": "Referral on the same day, within 12 hours",
        "changelog": "Twelve hours, not the same day.",
    }
    assert staff.post(draft, data=corrected).status_code == 303
    assert staff.post(f"{base}/publish").status_code == 303
    latest = page_of(reader.get(f"/records/{number}"))
    assert "within 12 hours" in latest
    assert "This record was revised." in latest
    assert "Twelve hours, not the same day." in latest
    first = page_of(reader.get(f"/records/{number}/v1"))
    assert "Referral on the same day</h1>" in first
    assert "within 12 hours</h1>" not in first
    assert "read the latest revision" in first

    # Withdrawal: the same addresses answer, with the tombstone only.
    refused = staff.post(f"{base}/withdraw", data={"reason": ""})
    assert refused.status_code == 400
    assert (
        staff.post(
            f"{base}/withdraw",
            data={"reason": "The ministry's procedure it advised on was repealed."},
        ).status_code
        == 303
    )
    for path in (f"/records/{number}", f"/records/{number}/v1", f"/records/{number}/v2"):
        response = reader.get(path)
        assert response.status_code == 200, path
        body = page_of(response)
        assert "This record was withdrawn" in body
        assert "procedure it advised on was repealed" in body
        assert excerpt not in body
        assert "Refer <strong>faster</strong>" not in body
        assert "Twelve hours, not the same day." not in body
    listing = page_of(reader.get("/records"))
    assert number in listing
    assert "The group asks for faster referral." not in listing
    # Staff keep the text.
    assert "within 12 hours" in page_of(staff.get(base))
    with app.app_context():
        actions = [
            e.action for e in db.session.scalars(select(OutboxEntry).order_by(OutboxEntry.id))
        ]
        db.session.remove()
    assert actions.count("withdraw") == 1


def test_redaction_reaches_every_revision_holding_the_quote(app, staff, clock):
    public_id, comment_id = quotable_comment(app)
    record_id = a_record(app, staff, consultation=public_id)
    with app.app_context():
        record = db.session.get(AdvisoryRecord, record_id)
        records.save_draft(
            db.session,
            record,
            Texts("Title", "", "Advice"),
            add_quotes=[NewQuote(comment_id)],
            actor=actor(app, staff),
            now=now_of(app),
        )
        records.publish(db.session, record, actor=actor(app, staff), now=now_of(app))
        records.start_correction(db.session, record, actor=actor(app, staff), now=now_of(app))
        db.session.commit()
        quote_ids = list(db.session.scalars(select(RecordQuote.id).order_by(RecordQuote.id)))
        number = record.number
        db.session.remove()
    assert len(quote_ids) == 2  # v1 (published) and the v2 draft hold the same words
    clock.advance(timedelta(minutes=3))
    response = staff.post(f"/staff/records/quotes/{quote_ids[0]}/redact")
    assert response.status_code == 303
    with app.app_context():
        rows = db.session.execute(select(RecordQuote.text, RecordQuote.redacted_on)).all()
        db.session.remove()
    assert all(text == "" and on is not None for text, on in rows)
    public = page_of(app.test_client().get(f"/records/{number}/v1"))
    assert QUOTE not in public
    assert "[removed to protect a member]" in public
    assert "Removed on" in public


# --------------------------------------------------------------------------- the register


def test_the_register_filters_counts_and_shows_a_timeline(app, staff):
    rec_id, number = a_recommendation(app, staff)
    _, other = a_recommendation(app, staff, title="Train the mobile groups")
    a_recommendation(app, staff, publish=False, title="A draft nobody sees")
    change = staff.post(
        f"/staff/recommendations/{rec_id}/status",
        data={
            "status": "accepted",
            "on": now_of(app).date().isoformat(),
            "note": "The akimat answered in writing.",
            "evidence": "https://example.invalid/answer?x=<script>",
        },
    )
    assert change.status_code == 303
    reader = app.test_client()
    listing = page_of(reader.get("/recommendations"))
    assert number in listing
    assert other in listing
    assert "A draft nobody sees" not in listing
    accepted = page_of(reader.get("/recommendations", query_string={"status": "accepted"}))
    assert number in accepted
    assert other not in accepted
    by_region = page_of(reader.get("/recommendations", query_string={"region": "astana"}))
    assert number not in by_region
    for bad in ({"status": "nope"}, {"year": "x" * 500}, {"addressee": "-1"}, {"page": "99999999"}):
        assert reader.get("/recommendations", query_string=bad).status_code == 200
    page = reader.get(f"/recommendations/{number}")
    body = page_of(page)
    assert "The akimat answered in writing." in body
    assert 'rel="noopener noreferrer nofollow"' in body
    assert "<script>" not in page.get_data(as_text=True).replace("&lt;script&gt;", "")
    assert reader.get("/recommendations/REC-1999-999").status_code == 404
    with app.app_context():
        draft = db.session.scalar(select(Recommendation).where(Recommendation.number.is_(None)))
        db.session.remove()
    assert draft is not None
    assert staff.get(f"/staff/recommendations/{draft.id}").status_code == 200


def test_a_status_change_in_the_future_is_refused_with_what_was_typed(app, staff):
    rec_id, _ = a_recommendation(app, staff)
    tomorrow = (now_of(app) + timedelta(days=2)).date().isoformat()
    response = staff.post(
        f"/staff/recommendations/{rec_id}/status",
        data={"status": "implemented", "on": tomorrow, "note": "Typed note, kept."},
    )
    assert response.status_code == 400
    body = page_of(response)
    assert "cannot be in the future" in body
    assert "Typed note, kept." in body
    with app.app_context():
        status = db.session.get(Recommendation, rec_id).status
        db.session.remove()
    assert status == RecommendationStatus.PROPOSED


def test_public_pages_name_no_member(app, staff):
    """Acceptance 2 in small: walk every link from /records and /recommendations and find no
    pseudonym and no comment id."""
    public_id, comment_id = quotable_comment(app)
    record_id = a_record(app, staff, consultation=public_id)
    rec_id, _ = a_recommendation(app, staff)
    staff.post(
        f"/staff/records/{record_id}/draft",
        data={
            "title": "T",
            "summary": "",
            "advice": "A",
            "add_quote": [comment_id],
            "recommendation": [rec_id],
        },
    )
    staff.post(f"/staff/records/{record_id}/publish")
    with app.app_context():
        pseudonyms = list(db.session.scalars(select(Member.pseudonym)))
        comment_ids = {str(i) for i in db.session.scalars(select(Comment.id))}
        db.session.remove()
    reader = app.test_client()
    seen: set[str] = set()
    queue = ["/records", "/recommendations"]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = reader.get(path)
        assert response.status_code == 200, path
        body = page_of(response)
        for name in pseudonyms:
            assert name not in body, (path, name)
        for found in re.findall(
            r'href="(?:http://localhost)?(/(?:records|recommendations)[^"#?]*)"', body
        ):
            queue.append(found)
        assert not re.search(r"comment[-_]?(?:id)?[=-]?\d", body), path
    assert len(seen) >= 5  # the lists, the record and its v1 permalink, the recommendation
    assert not comment_ids & set(re.findall(r"(?<=/)\d+(?=\W)", " ".join(seen)))


def test_hiding_a_quoted_comment_offers_to_redact_it_everywhere(app, staff):
    """Issue 12: hiding a comment for identifying someone finds every quote whose words are in
    it and offers, on the moderation page, one click to redact them all."""
    public_id, comment_id = quotable_comment(app)
    record_id = a_record(app, staff, consultation=public_id)
    excerpt = "слишком долго"
    staff.post(
        f"/staff/records/{record_id}/draft",
        data={
            "title": "T",
            "summary": "",
            "advice": "A",
            "add_quote": [comment_id],
            f"excerpt-{comment_id}": excerpt,
        },
    )
    staff.post(f"/staff/records/{record_id}/publish")
    hidden = staff.post(
        f"/staff/moderation/{comment_id}/hide", data={"reason": "It could identify someone."}
    )
    assert hidden.status_code == 303
    assert hidden.location == f"/staff/moderation/{comment_id}"
    page = page_of(staff.get(hidden.location))
    assert "Its words are quoted in advisory records" in page
    assert f"«{excerpt}»" in page
    assert staff.post(f"/staff/moderation/{comment_id}/redact-quotes").status_code == 303
    assert "removed from 1 quote" in page_of(staff.get(f"/staff/moderation/{comment_id}"))
    with app.app_context():
        number = db.session.get(AdvisoryRecord, record_id).number
        db.session.remove()
    public = page_of(app.test_client().get(f"/records/{number}"))
    assert excerpt not in public
    assert "[removed to protect a member]" in public


def test_members_see_what_became_of_their_advice(app, staff, clock):
    """A closed consultation, and `/consultations/outcomes`, show the records made from it and
    where each recommendation stands, with its last change."""
    made = published_record(app)
    member = app.test_client()
    sign_in(member, make_member(app, "Curious Member"), clock)
    with app.app_context():
        record = db.session.get(AdvisoryRecord, made.record_id)
        consultation = db.session.get(Consultation, record.consultation_id)
        public_id = consultation.public_id
        recommendation = db.session.get(Recommendation, made.recommendation_id)
        recommendations.change_status(
            db.session,
            recommendation,
            RecommendationStatus.ACCEPTED,
            on=now_of(app).date(),
            note="Accepted in writing.",
            evidence="",
            actor=db.session.get(Member, staff.account.id),
            now=now_of(app),
        )
        consultation.closes_at = now_of(app) - timedelta(minutes=1)
        db.session.commit()
        db.session.remove()
    outcomes = page_of(member.get("/consultations/outcomes"))
    assert made.number in outcomes
    assert made.recommendation in outcomes
    assert "Accepted" in outcomes
    assert "last change on" in outcomes
    closed = page_of(member.get(f"/consultations/{public_id}"))
    assert "What became of our advice" in closed
    assert made.number in closed


def test_no_cache_serves_a_record_or_the_register_stale(app, clock):
    """A record can be corrected, withdrawn or have a quote redacted at any moment: an
    anonymous reader's cache must ask again each time (signed-in pages are not stored at all)."""
    made = published_record(app)
    reader = app.test_client()
    for path in (
        "/records",
        f"/records/{made.number}",
        "/recommendations",
        f"/recommendations/{made.recommendation}",
    ):
        response = reader.get(path)
        assert response.headers["Cache-Control"] == "no-cache", path
    assert reader.get("/about").headers["Cache-Control"].startswith("public")
    member = app.test_client()
    sign_in(member, make_member(app, "Cached Reader"), clock)
    assert member.get(f"/records/{made.number}").headers["Cache-Control"].startswith("no-store")


def test_the_records_list_comes_a_page_at_a_time(app, clock):
    """120 records: pages of 50, newest first, the links keep no one's place but the page's;
    a page number typed wrong shows the first page, one past the last shows the last."""
    from bench.advice import add_records

    with app.app_context():
        numbers = add_records(db.session, 120, words=20, now=clock.now())
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    first = client.get("/records").get_data(as_text=True)
    assert first.count('class="card"') == records.PAGE_SIZE
    assert numbers[-1] in first  # the newest
    assert "Page 1 of 3" in first
    assert 'href="/records?page=2" rel="next"' in first
    last = client.get("/records?page=3").get_data(as_text=True)
    assert last.count('class="card"') == 120 - 2 * records.PAGE_SIZE
    assert numbers[0] in last
    assert 'rel="next"' not in last
    for typed in ("0", "-1", "x", "２", "9" * 12):
        answer = client.get(f"/records?page={typed}")
        assert answer.status_code == 200, typed
        assert "Page 1 of 3" in answer.get_data(as_text=True), typed
    assert "Page 3 of 3" in client.get("/records?page=99").get_data(as_text=True)
    # A page of 50 records of 20 words weighs what the page-weight test allows (the records
    # list was one page of every record: 64 KB gzipped at 310).
    from tests.web.test_page_weight import BUDGET, _weighed

    assert _weighed(client, ["/records"])["/records"] <= BUDGET
