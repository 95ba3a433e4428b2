"""Consultation pages as members use them (issue 4): reading, commenting with bad input,
replies, reports, states, the diff page, and a bounded number of queries."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from consultations.models import (
    AdvisoryRecord,
    Comment,
    CommentStatus,
    Consultation,
    Decision,
    DecisionKind,
    Member,
    Role,
)
from consultations.services import comments, consultations
from portal.extensions import db
from tests.consultation_fixtures import open_consultation
from tests.decision_fixtures import open_decision, vote
from tests.factories import make_member, sign_in, write_comment
from tests.record_fixtures import published_record

pytestmark = pytest.mark.postgres

KAZAKH = "Жұмыс тобы балаларды қорғау рәсімін қайта қарауы керек"


@contextmanager
def counted_queries(app):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def big_draft(sections: int) -> str:
    return "Preamble.\n\n" + "\n\n".join(
        f"## Section {n}\nText of section {n}, long enough to read." for n in range(sections)
    )


def with_comments(
    app, public_id: str, count: int, tag: str, sections: int, keys: list | None = None
) -> None:
    # Enough writers that none reaches the day's limit (MAX_COMMENTS_PER_DAY).
    writers = [make_member(app, f"Writer {tag} {n}").id for n in range(max(3, count // 40 + 1))]
    with app.app_context():
        consultation = consultations.get(db.session, public_id)
        now = app.extensions["kenes.clock"].now()
        keys = keys or [f"section-{n}" for n in range(sections)]
        for n in range(count):
            write_comment(
                db.session,
                consultation,
                db.session.get(Member, writers[n % len(writers)]),
                text=f"Comment {n}",
                section_key=keys[n % sections],
                show_pseudonym=bool(n % 2),
                now=now,
            )
        db.session.commit()
        db.session.remove()


def with_decisions(app, public_id: str, count: int, voters: int) -> None:
    """`count` decisions, one of each kind in turn, each with `voters` ballots."""
    kinds = list(DecisionKind)
    made = [open_decision(app, kinds[n % len(kinds)], consultation=public_id) for n in range(count)]
    for n in range(voters):
        client = app.test_client()
        sign_in(client, make_member(app, f"Voter {public_id} {n}"))
        for decision in made:
            if decision.decision.endswith(("a", "e")):
                continue  # some decisions get fewer ballots
            ranked = "ranked" in decision_kind(app, decision)
            assert vote(client, decision, 0, ranks={0: 1} if ranked else None).status_code == 303


def decision_kind(app, made) -> str:  # type: ignore[no-untyped-def]
    with app.app_context():
        kind = db.session.get(Decision, made.decision_id).kind
        db.session.remove()
    return kind


def with_every_kind_of_comment(app, public_id: str, reader_id: int) -> None:
    """Replies, a deleted comment with a reply (its placeholder), one hidden by staff, one
    removed, and the reader's own: one published, one hidden (only they and staff see it)."""
    staff_id = make_member(app, "Moderator for the bound", role=Role.STAFF).id
    writer_id = make_member(app, "Writer of every kind").id
    with app.app_context():
        consultation = consultations.get(db.session, public_id)
        now = app.extensions["kenes.clock"].now()
        staff, writer = db.session.get(Member, staff_id), db.session.get(Member, writer_id)
        reader = db.session.get(Member, reader_id)
        first = write_comment(db.session, consultation, writer, now=now, section_key="section-1")
        write_comment(db.session, consultation, reader, now=now, parent=first, show_pseudonym=True)
        gone = write_comment(db.session, consultation, writer, now=now, section_key="section-2")
        write_comment(db.session, consultation, reader, now=now, parent=gone)
        comments.delete_own(db.session, gone, consultation, author=writer, now=now)
        hidden = write_comment(db.session, consultation, writer, now=now)
        comments.hide(db.session, hidden, actor=staff, reason="off topic", now=now)
        removed = write_comment(db.session, consultation, writer, now=now)
        comments.remove(db.session, removed, actor=staff, now=now)
        own_hidden = write_comment(db.session, consultation, reader, now=now, text="Mine, hidden")
        comments.hide(db.session, own_hidden, actor=staff, reason="names a place", now=now)
        write_comment(db.session, consultation, reader, now=now, text="Mine, published")
        db.session.commit()
        db.session.remove()


def test_the_page_loads_in_a_bounded_number_of_queries(app, clock):
    """Every statement a signed-in page runs, the session's lookup included, is counted: at
    most 8 for any number of sections, comments, decisions and ballots — when the page's kept
    part is rendered (the first view after a change) and when it is kept."""
    small = open_consultation(app, text=big_draft(2), with_comment=False)
    large = open_consultation(app, text=big_draft(20), with_comment=False)
    with_comments(app, small.public_id, 3, "a", 2)
    with_comments(app, large.public_id, 300, "b", 20)
    with_decisions(app, small.public_id, 1, 1)
    with_decisions(app, large.public_id, 8, 12)
    client = app.test_client()
    account = make_member(app, "Reader")
    sign_in(client, account)
    with_every_kind_of_comment(app, large.public_id, account.id)
    vote(client, open_decision(app, consultation=large.public_id), 1)  # the reader's own ballot
    client.get("/account")  # warm up: last_seen is moved once
    counted: dict[tuple[str, str], int] = {}
    for name, made in (("small", small), ("large", large)):
        for state in ("rendered", "kept"):
            with counted_queries(app) as statements:
                body = client.get(f"/consultations/{made.public_id}").get_data(as_text=True)
            counted[(name, state)] = len(statements)
            assert len(statements) <= 8, (name, state, [q[:120] for q in statements])
    assert counted[("small", "rendered")] == counted[("large", "rendered")], counted
    assert counted[("small", "kept")] == counted[("large", "kept")], counted
    # What the large page shows, kept: everything of every kind, the reader's own bits too.
    assert "Comment 299" in body
    assert body.count('class="decision"') == 9
    assert "You have voted" in body
    assert "This comment was deleted by its author." in body
    assert "Mine, hidden" in body
    assert "Hidden by staff. Reason: names a place" in body
    # The reader's published comment; their two replies are folded into their threads'
    # "1 reply" links to the section's own page (the consultation page shows threads briefly).
    assert body.count(">Edit</a>") == 1
    assert body.count(">1 reply</a>") >= 2
    assert "off topic" not in body  # another member's hidden comment


def test_a_closed_consultation_with_results_and_outcomes_stays_within_the_bound(app, clock):
    """A closed consultation shows its decisions' results and what became of the advice (the
    records made from it and their recommendations' last steps): still at most 8."""
    made = published_record(app)
    client = app.test_client()
    sign_in(client, make_member(app, "Reader of outcomes"))
    with app.app_context():
        record = db.session.get(AdvisoryRecord, made.record_id)
        consultation = db.session.get(Consultation, record.consultation_id)
        public_id = consultation.public_id
        db.session.remove()
    with_comments(app, public_id, 40, "c", 2, keys=["referral", None])
    with_decisions(app, public_id, 3, 6)
    with app.app_context():
        consultation = consultations.get(db.session, public_id)
        consultation.closes_at = app.extensions["kenes.clock"].now() - timedelta(minutes=1)
        for decision in db.session.scalars(
            select(Decision).where(Decision.consultation_id == consultation.id)
        ):
            decision.closes_at = consultation.closes_at
        db.session.commit()
        db.session.remove()
    client.get("/account")
    for state in ("rendered", "kept"):
        with counted_queries(app) as statements:
            body = client.get(f"/consultations/{public_id}").get_data(as_text=True)
        tables = re.findall(r"FROM (\w+)", " ".join(statements))
        assert len(statements) <= 8, (state, tables)
    assert "What became of our advice" in body
    assert made.number in body
    assert "Result" in body or "result" in body


@pytest.fixture
def reader(app):
    client = app.test_client()
    account = make_member(app, "Quiet Reader")
    sign_in(client, account)
    return client


def post_comment(client, public_id: str, text: str, **extra):  # type: ignore[no-untyped-def]
    return client.post(
        f"/consultations/{public_id}/comments",
        data={"text": text, "stance": "concerns", "section": "referral", **extra},
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write your comment first"),
        ("   \n\t  ", "Write your comment first"),
        ("x" * 5001, "at most 5,000 characters"),
        ("hidden\u202etext", "invisible or control characters"),
        ("\u200b\u200b\u200b", "invisible or control characters"),
        ("bell\x07", "invisible or control characters"),
    ],
)
def test_bad_comments_are_refused_and_the_text_is_kept(app, reader, text, message):
    made = open_consultation(app)
    response = post_comment(reader, made.public_id, text)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in body
    if text.strip() and len(text) < 5001:
        assert text.replace("\x07", "") in body or text in body
    with app.app_context():
        assert db.session.scalar(select(Comment).where(Comment.text == text)) is None


def test_a_comment_in_kazakh_appears_under_its_section(app, reader):
    made = open_consultation(app)
    response = post_comment(reader, made.public_id, KAZAKH + "\nЕкінші жол.")
    assert response.status_code == 303
    page = reader.get(f"/consultations/{made.public_id}").get_data(as_text=True)
    section = page.split('id="section-referral"')[1].split("</section>")[0]
    assert KAZAKH in section
    assert "Екінші жол." in section


def test_hostile_comment_renders_inert(app, reader):
    made = open_consultation(app)
    payload = "<script>alert(1)</script><img src=x onerror=alert(2)>{{ 7*7 }}"
    post_comment(reader, made.public_id, payload)
    body = reader.get(f"/consultations/{made.public_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    assert "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "{{ 7*7 }}" in body


def test_a_comment_cannot_make_a_slot_of_the_kept_part(app, reader):
    """Even written with this worker's own mark, a slot in a comment is text: escaped, never
    filled (no form, no one's links put there), shown as typed to the next reader too."""
    from portal.security.slots import slot

    made = open_consultation(app)
    forms = (
        reader.get(f"/consultations/{made.public_id}")
        .get_data(as_text=True)
        .count('<details class="new-comment"')
    )
    forged = f"{slot('form', 'referral')}{slot('actions', '1:visible')}<!-- x -->"
    assert post_comment(reader, made.public_id, forged).status_code == 303
    for _ in range(2):  # rendered, then kept
        body = reader.get(f"/consultations/{made.public_id}").get_data(as_text=True)
        assert forged.replace("<", "&lt;").replace(">", "&gt;") in body
        assert body.count('<details class="new-comment"') == forms  # one per section
        assert "<!--" not in body


def test_every_form_of_a_kept_page_carries_its_own_readers_token(csrf_app, clock):
    """The comment forms are rendered once a worker and put in each reader's page: each reader's
    page holds their own session's CSRF token in every form, never the first reader's."""
    made = open_consultation(csrf_app)
    tokens = []
    for name in ("First Reader", "Second Reader"):
        client = csrf_app.test_client()
        sign_in(client, make_member(csrf_app, name))
        body = client.get(f"/consultations/{made.public_id}").get_data(as_text=True)
        found = set(re.findall(r'name="csrf_token" value="([^"]+)"', body))
        assert body.count('<details class="new-comment"') >= 2
        assert len(found) == 1, found  # the section forms' token is the sign-out form's
        tokens.append(found.pop())
        answer = client.post(
            f"/consultations/{made.public_id}/comments",
            data={
                "text": f"From {name}",
                "stance": "other",
                "section": "referral",
                "csrf_token": tokens[-1],
            },
        )
        assert answer.status_code == 303
    assert tokens[0] != tokens[1]


def test_hostile_draft_renders_inert(app, reader):
    made = open_consultation(
        app,
        with_comment=False,
        text="## Purpose\n<script>alert(1)</script>\n"
        "[click](javascript:alert(2))\n<b onclick=x>b</b>",
    )
    body = reader.get(f"/consultations/{made.public_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in body
    assert 'href="javascript:' not in body
    assert "<b onclick" not in body


def test_replies_reports_and_ownership(app, reader):
    made = open_consultation(app)
    reply = reader.post(
        f"/consultations/{made.public_id}/comments",
        data={"text": "I agree", "stance": "supports", "parent": str(made.comment_id)},
    )
    assert reply.status_code == 303
    with app.app_context():
        found = db.session.scalar(select(Comment).where(Comment.text == "I agree"))
        assert (found.parent_id, found.section_key) == (made.comment_id, "referral")
    report = reader.post(
        f"/consultations/{made.public_id}/comments/{made.comment_id}/report",
        data={"reason": "identifying"},
    )
    assert report.status_code == 303
    # Another member's comment cannot be edited or deleted: 404, not 403.
    assert (
        reader.get(f"/consultations/{made.public_id}/comments/{made.comment_id}/edit").status_code
        == 404
    )
    assert (
        reader.post(
            f"/consultations/{made.public_id}/comments/{made.comment_id}/delete"
        ).status_code
        == 404
    )


def test_author_edits_and_deletes_while_open(app, clock):
    reader = app.test_client()
    account = make_member(app, "Editing Reader")
    sign_in(reader, account)
    made = open_consultation(app, with_comment=False)
    post_comment(reader, made.public_id, "first words")
    with app.app_context():
        comment_id = db.session.scalar(select(Comment.id).where(Comment.text == "first words"))
    edit = reader.post(
        f"/consultations/{made.public_id}/comments/{comment_id}/edit",
        data={"text": "second words", "stance": "supports"},
    )
    assert edit.status_code == 303
    body = reader.get(f"/consultations/{made.public_id}").get_data(as_text=True)
    assert "second words" in body
    assert "edited" in body
    clock.advance(timedelta(days=20))  # closed now
    reader = app.test_client()
    sign_in(reader, account)
    assert (
        reader.get(f"/consultations/{made.public_id}/comments/{comment_id}/edit").status_code == 404
    )


def test_drafts_are_invisible_to_members(app, reader):
    staff = make_member(app, "Draft Staff", role=Role.STAFF)
    with app.app_context():
        now = app.extensions["kenes.clock"].now()
        consultation = consultations.create(
            db.session,
            consultations.Details(
                title="Unpublished",
                summary="",
                main_locale="en",
                content_note="",
                opens_at=now,
                closes_at=now + timedelta(days=3),
                premoderation=False,
            ),
            actor=db.session.get(Member, staff.id),
            now=now,
        )
        db.session.commit()
        public_id = consultation.public_id
    assert reader.get(f"/consultations/{public_id}").status_code == 404
    assert "Unpublished" not in reader.get("/consultations").get_data(as_text=True)


def test_premoderated_comment_waits_for_review(app, reader):
    made = open_consultation(app, premoderation=True, with_comment=False)
    post_comment(reader, made.public_id, "please review me")
    mine = reader.get(f"/consultations/{made.public_id}").get_data(as_text=True)
    assert "please review me" in mine
    assert "Awaiting review" in mine
    other = app.test_client()
    sign_in(other, make_member(app, "Other Reader"))
    assert "please review me" not in other.get(f"/consultations/{made.public_id}").get_data(
        as_text=True
    )


def test_content_note_comes_first_and_can_be_skipped(app, reader):
    made = open_consultation(app, content_note="This text describes exploitation.")
    body = reader.get(f"/consultations/{made.public_id}").get_data(as_text=True)
    assert body.index("This text describes exploitation.") < body.index('id="draft"')
    assert 'href="#draft"' in body


def test_page_title_is_discreet(app, reader):
    made = open_consultation(app)
    body = reader.get(f"/consultations/{made.public_id}").get_data(as_text=True)
    assert "<title>Consultation · Kenes</title>" in body


def test_new_version_diff_page(app, reader):
    made = open_consultation(app)
    with app.app_context():
        consultation = consultations.get(db.session, made.public_id)
        staff = db.session.scalar(select(Member).where(Member.role == "staff"))
        draft = consultations.working_copy(db.session, consultation)
        consultations.save_draft(
            db.session,
            draft,
            {
                "en": (
                    "Procedure for identifying and referring children by inter-agency "
                    "mobile groups."
                    "\n\n## Referral {#referral}\nRefer the child within 12 hours.\n\n"
                    "## Complaints\nA child may complain.\n"
                )
            },
        )
        consultations.publish(
            db.session,
            consultation,
            draft,
            changelog="Faster referral",
            actor=staff,
            now=app.extensions["kenes.clock"].now(),
        )
        db.session.commit()
    body = reader.get(f"/consultations/{made.public_id}/changes?from=1&to=2").get_data(as_text=True)
    assert body.count('class="change change--') == 3
    # Rendered, words marked (issue 11, item 5): no Markdown shows through.
    assert "<del>24</del> <ins>12 </ins>" in body
    assert "##" not in body
    assert "{#referral}" not in body
    assert "change--removed" in body
    assert "change--added" in body
    page = reader.get(f"/consultations/{made.public_id}").get_data(as_text=True)
    assert "Faster referral" in page
    assert reader.get(f"/consultations/{made.public_id}/changes?from=1&to=9").status_code == 404


def test_new_since_the_last_visit_is_marked(app, clock):
    made = open_consultation(app)
    account = make_member(app, "Returning Reader")
    first = app.test_client()
    sign_in(first, account)  # the first visit: nothing is "new" to someone who never came
    assert "New since your last visit" not in first.get(
        f"/consultations/{made.public_id}"
    ).get_data(as_text=True)
    clock.advance(timedelta(days=2))
    writer = app.test_client()
    sign_in(writer, make_member(app, "Busy Writer"))
    post_comment(writer, made.public_id, "Written while you were away")
    again = app.test_client()
    sign_in(again, account)
    body = again.get(f"/consultations/{made.public_id}").get_data(as_text=True)
    marked = body.split("Written while you were away")[0].rsplit("<article", 1)[1]
    assert "New since your last visit" in marked
    old = body.split("24 hours is too long")[0].rsplit("<article", 1)[1]
    assert "New since your last visit" not in old


def test_many_comments_show_the_newest_few_and_a_link_to_all(app, reader):
    made = open_consultation(app, with_comment=False)
    for n in range(7):
        assert post_comment(reader, made.public_id, f"Numbered comment {n}").status_code == 303
    section = (
        reader.get(f"/consultations/{made.public_id}")
        .get_data(as_text=True)
        .split('id="section-referral"')[1]
        .split("</section>")[0]
    )
    assert "Numbered comment 6" in section
    assert "Numbered comment 1" not in section
    assert "Show all 7 comments" in section
    assert f'href="/consultations/{made.public_id}/sections/referral"' in section
    everything = reader.get(f"/consultations/{made.public_id}/sections/referral")
    assert all(f"Numbered comment {n}" in everything.get_data(as_text=True) for n in range(7))


def test_a_member_may_post_a_days_worth_of_comments_and_no_more(app, clock):
    """Issue 9: a script posted 430 comments in five minutes. Replies count too; the refusal
    says why in the member's language and keeps the text; the next day they may write again.
    Counted from the comments' dates: no time of writing is stored for it. A refused reply keeps
    its text too, though its thread (someone else's, older than the day's fifty) is no longer
    among the newest a section shows."""
    from consultations.models.comment import MAX_COMMENTS_PER_DAY

    reader = app.test_client()
    sign_in(reader, make_member(app, "Prolific Reader"))
    made = open_consultation(app)
    for n in range(MAX_COMMENTS_PER_DAY):
        post_comment(reader, made.public_id, f"comment number {n}")
    refused = reader.post(
        f"/consultations/{made.public_id}/comments",
        data={"text": "one too many", "stance": "other", "section": "referral"},
    )
    body = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "as many comments today as one member can in a day" in body
    assert "one too many" in body
    reply = post_comment(reader, made.public_id, "a reply too many", parent=str(made.comment_id))
    body = reply.get_data(as_text=True)
    assert reply.status_code == 400
    assert "as many comments today as one member can in a day" in body
    assert "a reply too many" in body
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Comment))
        db.session.remove()
    assert count == MAX_COMMENTS_PER_DAY + 1  # and the fixture's own comment
    clock.advance(timedelta(days=1))
    post_comment(reader, made.public_id, "the next day")


def test_deleting_a_comment_asks_first(app):
    """Issue 11, item 4: one tap deleted a comment. The page now links to a confirmation page
    (no JavaScript needed) that shows the comment; only its button deletes."""
    reader = app.test_client()
    sign_in(reader, make_member(app, "Careful Deleter"))
    made = open_consultation(app, with_comment=False)
    post_comment(reader, made.public_id, "words I may regret")
    with app.app_context():
        comment_id = db.session.scalar(
            select(Comment.id).where(Comment.text == "words I may regret")
        )
    url = f"/consultations/{made.public_id}/comments/{comment_id}/delete"
    page = reader.get(f"/consultations/{made.public_id}").get_data(as_text=True)
    assert f'<a href="{url}">Delete this comment</a>' in page
    assert f'action="{url}"' not in page  # no one-tap form on the consultation page
    asked = reader.get(url)
    assert asked.status_code == 200
    body = asked.get_data(as_text=True)
    assert "Delete your comment?" in body
    assert "words I may regret" in body
    assert f'href="/consultations/{made.public_id}#comment-{comment_id}"' in body  # keep it
    with app.app_context():
        assert db.session.get(Comment, comment_id).status == CommentStatus.VISIBLE
    deleted = reader.post(url)
    assert deleted.status_code == 303
    with app.app_context():
        assert db.session.get(Comment, comment_id).status == CommentStatus.DELETED
    assert reader.get(url).status_code == 404  # nothing left to delete
