"""Issue 15: no form per comment. A member replies on the comment's own reply page (it works
without JavaScript: a link and a form); the consultation page carries at most one comment form
per section, however many comments it shows — its weight follows the comments, not forms."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import insert, select

from consultations.models import Comment, CommentStatus, Consultation, Role, Stance
from portal.extensions import db
from tests.consultation_fixtures import open_consultation
from tests.factories import make_member, sign_in

pytestmark = pytest.mark.postgres

SECTIONS = 20
COMMENTS = 300


def _big_draft() -> str:
    return "Preamble.\n\n" + "\n\n".join(
        f"## Section {n} {{#s{n}}}\nText of section {n}." for n in range(SECTIONS)
    )


def _add_comments(app, public_id: str, count: int) -> None:  # type: ignore[no-untyped-def]
    """`count` visible comments by five members across the sections, one in three a reply."""
    authors = [make_member(app, f"Busy Member {n}").id for n in range(5)]
    with app.app_context():
        now = app.extensions["kenes.clock"].now()
        consultation = db.session.scalar(
            select(Consultation).where(Consultation.public_id == public_id)
        )
        tops: dict[str, int] = {}
        for n in range(count):
            key = f"s{n % SECTIONS}"
            row = {
                "consultation_id": consultation.id,
                "section_key": key,
                "version_number": 1,
                "parent_id": tops.get(key) if n % 3 == 2 else None,
                "author_id": authors[n % 5],
                "text": f"Comment number {n} on {key}.",
                "stance": Stance.OTHER,
                "show_pseudonym": n % 2 == 0,
                "status": CommentStatus.VISIBLE,
                "created_on": now.date(),
            }
            made = db.session.execute(insert(Comment).returning(Comment.id), [row]).scalar_one()
            if row["parent_id"] is None:
                tops[key] = made
        db.session.commit()
        db.session.remove()


def test_a_page_of_300_comments_has_one_comment_form_per_section_and_none_per_comment(app, clock):
    made = open_consultation(app, text=_big_draft(), with_comment=False)
    _add_comments(app, made.public_id, COMMENTS)
    reader = app.test_client()
    sign_in(reader, make_member(app, "Counting Forms"), clock)
    for path in (
        f"/consultations/{made.public_id}",
        f"/consultations/{made.public_id}/sections/s3",
    ):
        page = reader.get(path).get_data(as_text=True)
        forms = re.findall(r'<form method="post" action="[^"]*/comments[#"]', page)
        sections = set(re.findall(r'<section[^>]* id="section-([\w-]+)"', page))
        assert len(forms) <= len(sections) + 1  # one per section, and the general one
        assert 'name="parent" value=""' in page
        assert not re.search(r'name="parent" value="\d+"', page), "a reply form on the page"
        replies = re.findall(r'href="/consultations/[^"]+/comments/(\d+)/reply"', page)
        assert len(replies) == len(set(replies)) > 0
        assert page.count("<textarea") == len(forms)


def test_a_reply_is_written_on_its_own_page(app, clock):
    made = open_consultation(app)
    reader = app.test_client()
    sign_in(reader, make_member(app, "Replying Member"), clock)
    url = f"/consultations/{made.public_id}/comments/{made.comment_id}/reply"
    page = reader.get(url)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "24 hours is too long for a frightened child." in body
    assert f'name="parent" value="{made.comment_id}"' in body
    assert "<title>Reply · Kenes</title>" in body
    sent = reader.post(
        f"/consultations/{made.public_id}/comments",
        data={"text": "Twelve at most.", "stance": "supports", "parent": str(made.comment_id)},
    )
    assert sent.status_code == 303
    with app.app_context():
        reply = db.session.scalar(select(Comment).where(Comment.text == "Twelve at most."))
        assert reply.parent_id == made.comment_id
        db.session.remove()
    # Back to the reply in its whole thread: on its section's page.
    whole = f"/consultations/{made.public_id}/sections/referral"
    assert sent.headers["Location"] == f"{whole}#comment-{reply.id}"
    assert "Twelve at most." in reader.get(whole).get_data(as_text=True)
    again = reader.get(url).get_data(as_text=True)
    assert "Twelve at most." in again  # the replies so far are on the page


def test_a_refused_reply_comes_back_on_its_page_with_the_text_kept(app, clock):
    made = open_consultation(app)
    reader = app.test_client()
    sign_in(reader, make_member(app, "Long Replier"), clock)
    typed = "Too long. " * 600
    refused = reader.post(
        f"/consultations/{made.public_id}/comments",
        data={"text": typed, "stance": "question", "parent": str(made.comment_id)},
    )
    assert refused.status_code == 400
    body = refused.get_data(as_text=True)
    assert "<h1>Reply to a comment</h1>" in body
    assert "A comment can be at most 5,000 characters long." in body
    assert typed.strip() in body
    assert 'value="question" checked' in body
    reader.get("/lang/ru?next=/")
    russian = reader.post(
        f"/consultations/{made.public_id}/comments",
        data={"text": "", "stance": "other", "parent": str(made.comment_id)},
    )
    assert russian.status_code == 400
    assert "Ответ на комментарий" in russian.get_data(as_text=True)


def test_no_reply_page_where_no_reply_may_be_written(app, clock):
    made = open_consultation(app)
    member = app.test_client()
    sign_in(member, make_member(app, "Curious Member"), clock)
    base = f"/consultations/{made.public_id}/comments"
    reply_id = int(
        member.post(
            base, data={"text": "A reply.", "stance": "other", "parent": str(made.comment_id)}
        )
        .headers["Location"]
        .rsplit("-", 1)[1]
    )
    assert member.get(f"{base}/{reply_id}/reply").status_code == 404  # one level of replies
    assert member.get(f"{base}/999999/reply").status_code == 404
    other = open_consultation(app)
    assert member.get(f"{base}/{other.comment_id}/reply").status_code == 404  # not this one's
    staff = app.test_client()
    sign_in(staff, make_member(app, "Reply Staff", role=Role.STAFF, two_factor=True), clock)
    with app.app_context():
        comment = db.session.get(Comment, made.comment_id)
        comment.status = CommentStatus.HIDDEN
        db.session.commit()
        db.session.remove()
    assert member.get(f"{base}/{made.comment_id}/reply").status_code == 404  # hidden


def test_no_reply_after_close(app, clock):
    made = open_consultation(app)
    member = app.test_client()
    sign_in(member, make_member(app, "Late Member"), clock)
    with app.app_context():
        consultation = db.session.scalar(
            select(Consultation).where(Consultation.public_id == made.public_id)
        )
        consultation.closes_at = app.extensions["kenes.clock"].now()
        db.session.commit()
        db.session.remove()
    url = f"/consultations/{made.public_id}/comments/{made.comment_id}/reply"
    assert member.get(url).status_code == 404
    page = member.get(f"/consultations/{made.public_id}").get_data(as_text=True)
    assert "/reply" not in page


def test_show_all_is_a_page_of_its_own_section(app, clock):
    made = open_consultation(app, text=_big_draft(), with_comment=False)
    _add_comments(app, made.public_id, COMMENTS)
    reader = app.test_client()
    sign_in(reader, make_member(app, "Reading One Section"), clock)
    whole = reader.get(f"/consultations/{made.public_id}").get_data(as_text=True)
    link = f'href="/consultations/{made.public_id}/sections/s3"'
    assert link in whole
    shown_on_whole = re.findall(r'id="comment-(\d+)"', whole)
    section = reader.get(f"/consultations/{made.public_id}/sections/s3")
    assert section.status_code == 200
    page = section.get_data(as_text=True)
    assert "Comment number 3 on s3." in page
    assert "on s4." not in page  # only its own section
    on_s3 = re.findall(r'id="comment-(\d+)"', page)
    assert len(on_s3) == COMMENTS // SECTIONS  # every comment of the section, replies included
    assert set(on_s3) - set(shown_on_whole), "the whole page shows only the newest few"
    assert reader.get(f"/consultations/{made.public_id}/sections/nope").status_code == 404


def test_a_sections_page_warns_first_as_the_whole_page_does(app, clock):
    made = open_consultation(app, content_note="Describes violence against children.")
    reader = app.test_client()
    sign_in(reader, make_member(app, "Warned Reader"), clock)
    page = reader.get(f"/consultations/{made.public_id}/sections/referral").get_data(as_text=True)
    main = page[page.index("<main") :]
    assert main.index("Describes violence against children.") < main.index("within 24 hours")
    assert "<title>Consultation · Kenes</title>" in page  # discreet, as the whole page


def test_the_consultation_page_shows_a_long_comment_briefly_and_the_section_page_whole(app, clock):
    """On the consultation page a long comment shows its beginning and a link to the whole
    of it on its section's page, and a thread its number of replies; the section's page shows
    every word and every reply."""
    made = open_consultation(app, text=_big_draft(), with_comment=False)
    _add_comments(app, made.public_id, 3)
    long = "Слишком долго ждать. " * 40
    with app.app_context():
        comment = db.session.scalar(select(Comment).where(Comment.section_key == "s0"))
        comment.text = long.strip()
        comment_id = comment.id
        reply = {c.key: getattr(comment, c.key) for c in Comment.__table__.columns}
        reply |= {"id": None, "parent_id": comment_id, "text": "A reply to it."}
        db.session.execute(insert(Comment), [reply])
        db.session.commit()
        db.session.remove()
    reader = app.test_client()
    sign_in(reader, make_member(app, "Reader Of Long Comments"), clock)
    whole = reader.get(f"/consultations/{made.public_id}").get_data(as_text=True)
    shown = re.search(rf'id="comment-{comment_id}".*?</article>', whole, re.S).group(0)
    assert long.strip() not in shown
    assert "Слишком долго ждать." in shown
    section_url = f"/consultations/{made.public_id}/sections/s0"
    assert f'<a href="{section_url}#comment-{comment_id}">Read the whole comment</a>' in shown
    assert ">1 reply</a>" in whole
    section = reader.get(section_url).get_data(as_text=True)
    assert long.strip() in section
    assert "Read the whole comment" not in section
    assert 'class="replies"' in section
