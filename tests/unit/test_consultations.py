"""Consultations in the domain (issue 4): dates, permissions, versions that keep comments on
their sections, languages under the same keys, comment states and moderation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from consultations import permissions
from consultations.errors import NotAllowed, NotFound
from consultations.models import (
    AuditEvent,
    Comment,
    Member,
    PlaceType,
    ReportReason,
    Role,
    Stance,
    Status,
)
from consultations.services import comments, consultations, member_data, members, reading
from consultations.services.comments import CommentRefused
from tests.factories import write_comment

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

V1 = """Procedure for identifying and referring children by inter-agency mobile groups.

## Purpose
The mobile group identifies children at risk.

## Referral
Refer the child within 24 hours.

## Interview
Speak with the child in a safe room.
"""

V2 = """Procedure for identifying and referring children by inter-agency mobile groups.

## Purpose
The mobile group identifies children at risk.

## Referral
Refer the child within 12 hours, with a psychologist.

## Complaints
A child may complain to the ombudsman.
"""

V1_KK = """Көпведомстволық мобильді топтардың балаларды анықтау рәсімі.

## Мақсаты
Мобильді топ қауіп төнген балаларды анықтайды.

## Жолдама
Баланы 24 сағат ішінде жолдаңыз.

## Әңгіме
Баламен қауіпсіз бөлмеде сөйлесіңіз.
"""


def _read(session, public_id: str, viewer, locale: str):  # type: ignore[no-untyped-def]
    """A consultation as `viewer` reads it: the first query, then sections and comments."""
    consultation = reading.opened(session, public_id, viewer=viewer, now=NOW)
    return reading.page(session, consultation, viewer=viewer, locale=locale, now=NOW)


def person(session, name: str, role: Role = Role.MEMBER) -> Member:
    return members.register(
        session,
        pseudonym=name,
        role=role,
        locale="en",
        ballot_token=name.encode().hex()[:32].ljust(32, "0"),
        now=NOW,
    )


def details(**overrides) -> consultations.Details:
    values = dict(
        title="Mobile group procedure",
        summary="Draft for comment",
        main_locale="en",
        content_note="",
        opens_at=NOW,
        closes_at=NOW + timedelta(days=14),
        premoderation=False,
    )
    values.update(overrides)
    return consultations.Details(**values)


def published(session, staff: Member, text: str = V1, **overrides):
    consultation = consultations.create(session, details(**overrides), actor=staff, now=NOW)
    draft = consultations.working_copy(session, consultation)
    consultations.save_draft(session, draft, {"en": text})
    consultations.publish(
        session, consultation, draft, changelog="First draft", actor=staff, now=NOW
    )
    return consultation


@pytest.fixture
def people(db_session):
    return {
        "staff": person(db_session, "Staff One", Role.STAFF),
        "member": person(db_session, "Quiet River"),
        "other": person(db_session, "Copper Willow"),
    }


def test_status_follows_the_dates(db_session, people):
    consultation = consultations.create(
        db_session, details(opens_at=NOW + timedelta(days=1)), actor=people["staff"], now=NOW
    )
    assert consultation.status(NOW) == Status.DRAFT
    consultation.published = True
    assert consultation.status(NOW) == Status.UPCOMING
    assert consultation.status(NOW + timedelta(days=2)) == Status.OPEN
    assert consultation.status(NOW + timedelta(days=15)) == Status.CLOSED


def test_close_early_extend_and_archive_are_audited(db_session, people):
    consultation = published(db_session, people["staff"])
    with pytest.raises(NotAllowed):
        consultations.set_archived(db_session, consultation, True, actor=people["staff"], now=NOW)
    later = NOW + timedelta(hours=1)
    consultations.close_now(db_session, consultation, actor=people["staff"], now=later)
    assert consultation.status(later) == Status.CLOSED
    consultations.extend(
        db_session, consultation, later + timedelta(days=3), actor=people["staff"], now=later
    )
    assert consultation.status(later) == Status.OPEN
    consultations.close_now(db_session, consultation, actor=people["staff"], now=later)
    consultations.set_archived(db_session, consultation, True, actor=people["staff"], now=later)
    actions = list(db_session.scalars(select(AuditEvent.action)))
    assert actions.count("consultation.close") == 2
    assert "consultation.extend" in actions
    assert "consultation.archive" in actions


def test_closing_before_opening_is_refused(db_session, people):
    with pytest.raises(NotAllowed):
        consultations.create(
            db_session, details(closes_at=NOW - timedelta(days=1)), actor=people["staff"], now=NOW
        )


@pytest.mark.parametrize(
    ("state", "member_sees", "staff_sees", "member_comments"),
    [
        ("draft", False, True, False),
        ("upcoming", True, True, False),
        ("open", True, True, True),
        ("closed", True, True, False),
    ],
)
def test_permissions_by_status(db_session, people, state, member_sees, staff_sees, member_comments):
    consultation = published(db_session, people["staff"])
    moment = {
        "draft": NOW,
        "upcoming": NOW - timedelta(days=1),
        "open": NOW,
        "closed": NOW + timedelta(days=20),
    }[state]
    if state == "draft":
        consultation.published = False
    member, staff = people["member"], people["staff"]
    assert permissions.can_view(member, consultation, moment) is member_sees
    assert permissions.can_view(staff, consultation, moment) is staff_sees
    assert permissions.can_view(None, consultation, moment) is False
    assert permissions.can_comment(member, consultation, moment) is member_comments
    assert permissions.can_comment(staff, consultation, moment) is False


def test_disabled_member_sees_nothing(db_session, people):
    consultation = published(db_session, people["staff"])
    people["member"].disabled = True
    assert not permissions.can_view(people["member"], consultation, NOW)


def test_comments_survive_a_new_version(db_session, people):
    staff, member = people["staff"], people["member"]
    consultation = published(db_session, staff)
    for key in ("purpose", "referral", "interview"):
        write_comment(
            db_session,
            consultation,
            member,
            text=f"On {key}",
            stance=Stance.CONCERNS,
            section_key=key,
            now=NOW,
        )
    draft = consultations.working_copy(db_session, consultation)
    assert draft.number == 2
    consultations.save_draft(db_session, draft, {"en": V2})
    consultations.publish(
        db_session,
        consultation,
        draft,
        changelog="Shorter referral",
        actor=staff,
        now=NOW + timedelta(days=1),
    )
    later = NOW + timedelta(days=1)
    page = reading.page(
        db_session,
        reading.opened(db_session, consultation.public_id, viewer=member, now=later),
        viewer=member,
        locale="en",
        now=later,
    )
    assert [s.key for s in page.sections] == ["intro", "purpose", "referral", "complaints"]
    by_key = {s.key: [t.comment.text for t in s.threads] for s in page.sections}
    assert by_key["purpose"] == ["On purpose"]
    assert by_key["referral"] == ["On referral"]
    assert page.removed == {"interview": page.removed["interview"]}
    assert [t.comment.text for t in page.removed["interview"]] == ["On interview"]
    assert page.removed_titles["interview"] == "Interview"
    changes = reading.changes_between(page, 1, 2, "en")
    assert {(c.key, c.kind) for c in changes} == {
        ("referral", "changed"),
        ("interview", "removed"),
        ("complaints", "added"),
    }


def test_languages_share_the_same_keys_and_comments(db_session, people):
    staff, member, other = people["staff"], people["member"], people["other"]
    consultation = consultations.create(db_session, details(main_locale="en"), actor=staff, now=NOW)
    draft = consultations.working_copy(db_session, consultation)
    consultations.save_draft(db_session, draft, {"en": V1, "kk": V1_KK})
    consultations.publish(db_session, consultation, draft, changelog="", actor=staff, now=NOW)
    kk_page = _read(db_session, consultation.public_id, member, "kk")
    referral = next(s for s in kk_page.sections if s.key == "referral")
    assert referral.title == "Жолдама"
    assert not referral.fallback
    write_comment(
        db_session,
        consultation,
        member,
        text="Жұмыс тобы балаларды қорғау рәсімін қайта қарауы керек",
        stance=Stance.CONCERNS,
        section_key="referral",
        show_pseudonym=True,
        now=NOW,
    )
    write_comment(
        db_session,
        consultation,
        other,
        text="Согласна, 24 часа — долго",
        stance=Stance.SUPPORTS,
        section_key="referral",
        now=NOW,
    )
    ru_page = _read(db_session, consultation.public_id, other, "ru")
    referral = next(s for s in ru_page.sections if s.key == "referral")
    assert referral.fallback  # no Russian text: the main language, said so on the page
    assert referral.title == "Referral"
    assert len(referral.threads) == 2


def test_comment_text_rules(db_session, people):
    consultation = published(db_session, people["staff"])

    def add(text: str):
        return write_comment(
            db_session,
            consultation,
            people["member"],
            text=text,
            section_key=None,
            now=NOW,
        )

    for text, code in [
        ("", "empty"),
        ("   \n ", "empty"),
        ("x" * 5001, "too_long"),
        ("a\u202eb", "control"),
        ("\u200b\u200b", "control"),
        ("a\x00b", "control"),
    ]:
        with pytest.raises(CommentRefused) as refused:
            add(text)
        assert refused.value.code == code
    assert add("x" * 5000).text == "x" * 5000
    assert add("line one\r\nline two").text == "line one\nline two"


def test_staff_and_closed_consultations_take_no_comments(db_session, people):
    consultation = published(db_session, people["staff"])
    with pytest.raises(NotAllowed):
        write_comment(
            db_session,
            consultation,
            people["staff"],
            text="hi",
            section_key=None,
            now=NOW,
        )
    with pytest.raises(NotAllowed):
        write_comment(
            db_session,
            consultation,
            people["member"],
            text="hi",
            section_key=None,
            now=NOW + timedelta(days=30),
        )


def test_only_the_author_edits_and_others_get_not_found(db_session, people):
    consultation = published(db_session, people["staff"])
    comment = write_comment(
        db_session,
        consultation,
        people["member"],
        text="first",
        section_key="purpose",
        now=NOW,
    )
    with pytest.raises(NotFound):
        comments.edit(
            db_session,
            comment,
            consultation,
            author=people["other"],
            text="x",
            stance=Stance.OTHER,
            now=NOW,
        )
    comments.edit(
        db_session,
        comment,
        consultation,
        author=people["member"],
        text="second",
        stance=Stance.SUPPORTS,
        now=NOW,
    )
    assert (comment.text, comment.edited) == ("second", True)
    comments.delete_own(db_session, comment, consultation, author=people["member"], now=NOW)
    assert (comment.text, comment.status) == ("", "deleted")


def test_replies_are_one_level_deep(db_session, people):
    consultation = published(db_session, people["staff"])

    def add(author, parent):
        return write_comment(
            db_session,
            consultation,
            author,
            text="text",
            stance=Stance.QUESTION,
            section_key="purpose",
            parent=parent,
            now=NOW,
        )

    top = add(people["member"], None)
    reply = add(people["other"], top)
    reply_to_reply = add(people["member"], reply)
    assert reply_to_reply.parent_id == top.id


def test_premoderation_and_moderation_are_audited(db_session, people):
    staff, member, other = people["staff"], people["member"], people["other"]
    consultation = published(db_session, staff, premoderation=True)
    comment = write_comment(
        db_session,
        consultation,
        member,
        text="names a person",
        section_key="purpose",
        quotable=True,
        now=NOW,
    )
    assert comment.status == "pending"
    assert permissions.can_see_comment(member, comment)
    assert permissions.can_see_comment(staff, comment)
    assert not permissions.can_see_comment(other, comment)
    comments.approve(db_session, comment, actor=staff, now=NOW)
    comments.report(
        db_session,
        comment,
        reporter=other,
        reason=ReportReason.IDENTIFYING,
        note="",
        today=NOW.date(),
    )
    queue = comments.moderation_queue(db_session)
    assert [c.id for c, _ in queue] == [comment.id]
    author = comments.reveal_author(db_session, comment, actor=staff, now=NOW)
    assert author.id == member.id
    comments.hide(db_session, comment, actor=staff, reason="Names a person", now=NOW)
    assert comment.status == "hidden"
    assert comment.quotable is False  # identifying: never quoted
    assert not permissions.can_see_comment(other, comment)
    comments.restore(db_session, comment, actor=staff, now=NOW)
    comments.remove(db_session, comment, actor=staff, now=NOW)
    assert comment.text == ""
    actions = [e.action for e in db_session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    for action in (
        "comment.approve",
        "comment.reveal_author",
        "comment.hide",
        "comment.restore",
        "comment.remove",
    ):
        assert action in actions
    with pytest.raises(NotFound):
        comments.hide(db_session, comment, actor=member, reason="", now=NOW)


def test_pseudonym_shown_only_when_chosen(db_session, people):
    consultation = published(db_session, people["staff"])
    named = write_comment(
        db_session,
        consultation,
        people["member"],
        text="named",
        section_key=None,
        show_pseudonym=True,
        now=NOW,
    )
    anonymous = write_comment(
        db_session,
        consultation,
        people["member"],
        text="anon",
        section_key=None,
        now=NOW,
    )
    page = _read(db_session, consultation.public_id, people["staff"], "en")
    shown = {t.comment.id: t.author for t in page.general}
    assert shown == {named.id: "Quiet River", anonymous.id: None}


def test_meeting_feedback_is_attributed_to_no_member(db_session, people):
    consultation = published(db_session, people["staff"])
    meeting = comments.record_meeting(
        db_session,
        consultation,
        held_on=NOW.date(),
        place_type=PlaceType.COMMUNITY_CENTRE,
        participants=7,
        feedback={"referral": "Too slow", None: "Thank you"},
        actor=people["staff"],
        now=NOW,
    )
    found = list(db_session.scalars(select(Comment).where(Comment.meeting_id == meeting.id)))
    assert sorted(c.text for c in found) == ["Thank you", "Too slow"]
    assert all(c.author_id is None for c in found)


def test_export_and_erasure_of_comments(db_session, people):
    consultation = published(db_session, people["staff"])
    mine = write_comment(
        db_session,
        consultation,
        people["member"],
        text="my words",
        section_key=None,
        show_pseudonym=True,
        quotable=True,
        now=NOW,
    )
    write_comment(
        db_session,
        consultation,
        people["other"],
        text="their words",
        section_key=None,
        show_pseudonym=True,
        quotable=True,
        now=NOW,
    )
    # The comments' part of the export (the whole export, with the website's parts such as
    # ballots, is tested through the account page in tests/web/test_accounts.py).
    parts = member_data.domain_parts()
    assert [part.name for part in parts] == ["profile", "comments"]
    assert [c["text"] for c in comments.export(db_session, people["member"])] == ["my words"]
    member_data.erase(db_session, people["other"], parts, keep_contributions=True, now=NOW)
    kept = db_session.scalar(select(Comment).where(Comment.text == "their words"))
    assert (kept.author_id, kept.former_member, kept.show_pseudonym) == (None, True, False)
    member_data.erase(db_session, people["member"], parts, keep_contributions=False, now=NOW)
    db_session.refresh(mine)
    assert (mine.text, mine.author_id, mine.status) == ("", None, "deleted")


def test_a_comment_needs_a_section_of_the_current_version(db_session, people):
    consultation = published(db_session, people["staff"])
    with pytest.raises(NotFound):
        write_comment(
            db_session,
            consultation,
            people["member"],
            text="x",
            section_key="no-such-section",
            now=NOW,
        )


def test_who_may_issue_a_reset_code_to_whom(db_session):
    """A reset turns two-factor off: staff reset members; only an admin resets staff or admins;
    a member resets no one. The staff page shows the button by the same predicate."""
    member = person(db_session, "Reset Member", Role.MEMBER)
    staff = person(db_session, "Reset Staff", Role.STAFF)
    admin = person(db_session, "Reset Admin", Role.ADMIN)
    allowed = {
        (actor.role, target.role)
        for actor in (member, staff, admin)
        for target in (member, staff, admin)
        if permissions.can_issue_reset_code(actor, target)
    }
    assert allowed == {
        ("staff", "member"),
        ("admin", "member"),
        ("admin", "staff"),
        ("admin", "admin"),
    }
    assert not permissions.can_issue_reset_code(None, member)
