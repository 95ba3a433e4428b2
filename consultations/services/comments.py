"""Comments: writing, editing, deleting, reporting, moderating, meeting feedback, and the
member's export and erasure.

Comment text is plain text, 1 to MAX_COMMENT_CHARS characters, never HTML or Markdown; the website
escapes it.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from consultations import permissions
from consultations.errors import KenesError, NotAllowed, NotFound
from consultations.models import (
    Comment,
    CommentStatus,
    Consultation,
    Meeting,
    Member,
    PlaceType,
    Report,
    ReportReason,
    Stance,
)
from consultations.models.comment import MAX_COMMENT_CHARS, MAX_COMMENTS_PER_DAY
from consultations.pseudonyms import has_forbidden_characters
from consultations.services import audit


class CommentRefused(KenesError):
    """The text cannot be a comment; `code` says why ("empty", "too_long", "control",
    "daily_limit")."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def clean_text(text: str) -> str:
    """The comment as it will be stored: NFC, Windows line ends folded, outer space trimmed.

    Refuses empty or whitespace-only text, text over the limit, and control, bidi-override or
    zero-width characters (which can disguise what a comment says).
    """
    text = unicodedata.normalize("NFC", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    if has_forbidden_characters(text.replace("\n", " ").replace("\t", " ")):
        raise CommentRefused("control")
    text = text.strip()
    if not text:
        raise CommentRefused("empty")
    if len(text) > MAX_COMMENT_CHARS:
        raise CommentRefused("too_long")
    return text


def _current_keys(session: Session, consultation: Consultation) -> set[str]:
    from consultations.models import DocumentVersion, Section

    number = _current_version_number(session, consultation)
    return set(
        session.scalars(
            select(Section.key)
            .join(DocumentVersion, DocumentVersion.id == Section.version_id)
            .where(
                DocumentVersion.consultation_id == consultation.id, DocumentVersion.number == number
            )
        )
    )


def _current_version_number(session: Session, consultation: Consultation) -> int:
    from consultations.models import DocumentVersion

    number = session.scalar(
        select(DocumentVersion.number)
        .where(
            DocumentVersion.consultation_id == consultation.id,
            DocumentVersion.published_at.is_not(None),
        )
        .order_by(DocumentVersion.number.desc())
        .limit(1)
    )
    return number or 0


def add(
    session: Session,
    consultation: Consultation,
    *,
    author: Member,
    text: str,
    stance: Stance,
    section_key: str | None,
    parent: Comment | None,
    show_pseudonym: bool,
    quotable: bool,
    now: datetime,
) -> Comment:
    if not permissions.can_comment(author, consultation, now):
        raise NotAllowed("cannot_comment")
    written_today = session.scalar(
        select(func.count())
        .select_from(Comment)
        .where(Comment.author_id == author.id, Comment.created_on == now.date())
    )
    if (written_today or 0) >= MAX_COMMENTS_PER_DAY:
        raise CommentRefused("daily_limit")
    if parent is not None:
        if parent.consultation_id != consultation.id or not permissions.can_see_comment(
            author, parent
        ):
            raise NotFound("parent")
        # One level of replies: a reply to a reply joins its thread.
        if parent.parent_id is not None:
            parent = session.get(Comment, parent.parent_id)
        section_key = parent.section_key
    elif section_key is not None and section_key not in _current_keys(session, consultation):
        # Only a section of the version being read can take a new comment.
        raise NotFound("section")
    comment = Comment(
        consultation_id=consultation.id,
        section_key=section_key,
        version_number=_current_version_number(session, consultation),
        parent_id=parent.id if parent else None,
        author_id=author.id,
        text=clean_text(text),
        stance=Stance(stance),
        show_pseudonym=show_pseudonym,
        quotable=quotable,
        status=CommentStatus.PENDING if consultation.premoderation else CommentStatus.VISIBLE,
        created_on=now.date(),
    )
    session.add(comment)
    session.flush()
    return comment


def find(
    session: Session, consultation: Consultation, comment_id: int, viewer: Member | None
) -> Comment:
    comment = session.get(Comment, comment_id)
    if (
        comment is None
        or comment.consultation_id != consultation.id
        or not permissions.can_see_comment(viewer, comment)
    ):
        raise NotFound("comment")
    return comment


def edit(
    session: Session,
    comment: Comment,
    consultation: Consultation,
    *,
    author: Member,
    text: str,
    stance: Stance,
    now: datetime,
) -> None:
    if not permissions.can_edit(author, comment, consultation, now):
        raise NotFound("comment")
    comment.text = clean_text(text)
    comment.stance = Stance(stance)
    comment.edited = True
    session.flush()


def delete_own(
    session: Session, comment: Comment, consultation: Consultation, *, author: Member, now: datetime
) -> None:
    """The author takes their words back: the text is erased, a placeholder keeps replies'
    context."""
    if not permissions.can_edit(author, comment, consultation, now):
        raise NotFound("comment")
    comment.text = ""
    comment.status = CommentStatus.DELETED
    comment.quotable = False
    session.flush()


def report(
    session: Session,
    comment: Comment,
    *,
    reporter: Member,
    reason: ReportReason,
    note: str,
    today: date,
) -> Report:
    if not permissions.can_report(reporter, comment):
        raise NotFound("comment")
    found = Report(
        comment_id=comment.id,
        reporter_id=reporter.id,
        reason=ReportReason(reason),
        note=clean_text(note) if note.strip() else "",
        created_on=today,
    )
    session.add(found)
    session.flush()
    return found


# --------------------------------------------------------------------------- moderation


def moderation_queue(session: Session) -> list[tuple[Comment, list[Report]]]:
    """Pending comments and comments with unhandled reports, oldest first."""
    reports = list(session.scalars(select(Report).where(Report.handled.is_(False))))
    reported_ids = {r.comment_id for r in reports}
    comments = list(
        session.scalars(
            select(Comment)
            .where((Comment.status == CommentStatus.PENDING) | (Comment.id.in_(reported_ids)))
            .order_by(Comment.id)
        )
    )
    by_comment: dict[int, list[Report]] = {}
    for found in reports:
        by_comment.setdefault(found.comment_id, []).append(found)
    return [(comment, by_comment.get(comment.id, [])) for comment in comments]


def open_reports(session: Session, comment: Comment) -> list[Report]:
    """The reports on one comment that staff have not handled yet, oldest first."""
    return list(
        session.scalars(
            select(Report)
            .where(Report.comment_id == comment.id, Report.handled.is_(False))
            .order_by(Report.id)
        )
    )


def recently_hidden(session: Session, limit: int) -> list[Comment]:
    """Hidden comments, newest first: the ones staff may want to restore."""
    return list(
        session.scalars(
            select(Comment)
            .where(Comment.status == CommentStatus.HIDDEN)
            .order_by(Comment.id.desc())
            .limit(limit)
        )
    )


def _moderate(
    session: Session,
    comment: Comment,
    status: CommentStatus,
    action: str,
    *,
    actor: Member,
    now: datetime,
    reason: str = "",
) -> None:
    if not permissions.can_moderate(actor):
        raise NotFound("comment")
    comment.status = status
    comment.hidden_reason = reason.strip()[:500] if status == CommentStatus.HIDDEN else ""
    session.execute(update(Report).where(Report.comment_id == comment.id).values(handled=True))
    audit.record(
        session, actor=actor, action=f"comment.{action}", target=f"comment:{comment.id}", now=now
    )
    session.flush()


def approve(session: Session, comment: Comment, *, actor: Member, now: datetime) -> None:
    _moderate(session, comment, CommentStatus.VISIBLE, "approve", actor=actor, now=now)


def hide(session: Session, comment: Comment, *, actor: Member, reason: str, now: datetime) -> None:
    """Hidden from everyone but its author (who sees the reason) and staff."""
    _moderate(session, comment, CommentStatus.HIDDEN, "hide", actor=actor, now=now, reason=reason)
    if any(
        r.reason == ReportReason.IDENTIFYING
        for r in session.scalars(select(Report).where(Report.comment_id == comment.id))
    ):
        # A comment that identifies someone must not be quotable anywhere (issue 6 builds on it).
        comment.quotable = False
        session.flush()


def restore(session: Session, comment: Comment, *, actor: Member, now: datetime) -> None:
    _moderate(session, comment, CommentStatus.VISIBLE, "restore", actor=actor, now=now)


def remove(session: Session, comment: Comment, *, actor: Member, now: datetime) -> None:
    """Removed for good: the text is erased."""
    _moderate(session, comment, CommentStatus.REMOVED, "remove", actor=actor, now=now)
    comment.text = ""
    comment.quotable = False
    session.flush()


def reveal_author(
    session: Session, comment: Comment, *, actor: Member, now: datetime
) -> Member | None:
    """The author of a reported comment, for the moderator handling the report. Audited."""
    if not permissions.can_moderate(actor):
        raise NotFound("comment")
    if session.scalar(select(Report.id).where(Report.comment_id == comment.id)) is None:
        raise NotAllowed("not_reported")
    audit.record(
        session,
        actor=actor,
        action="comment.reveal_author",
        target=f"comment:{comment.id}",
        now=now,
    )
    session.flush()
    return session.get(Member, comment.author_id) if comment.author_id else None


# --------------------------------------------------------------------------- meetings


def record_meeting(
    session: Session,
    consultation: Consultation,
    *,
    held_on: date,
    place_type: PlaceType,
    participants: int,
    feedback: dict[str | None, str],
    actor: Member,
    now: datetime,
) -> Meeting:
    """Feedback given at a group meeting, per section, attributed to no member."""
    if not permissions.can_moderate(actor):
        raise NotFound("consultation")
    if participants < 1:
        raise NotAllowed("participants")
    meeting = Meeting(
        consultation_id=consultation.id,
        held_on=held_on,
        place_type=place_type,
        participants=participants,
    )
    session.add(meeting)
    session.flush()
    version = _current_version_number(session, consultation)
    for section_key, text in feedback.items():
        if text and text.strip():
            session.add(
                Comment(
                    consultation_id=consultation.id,
                    section_key=section_key,
                    version_number=version,
                    author_id=None,
                    meeting_id=meeting.id,
                    text=clean_text(text),
                    stance=Stance.OTHER,
                    show_pseudonym=False,
                    quotable=True,
                    status=CommentStatus.VISIBLE,
                    created_on=held_on,
                )
            )
    audit.record(
        session, actor=actor, action="meeting.record", target=f"meeting:{meeting.id}", now=now
    )
    session.flush()
    return meeting


# --------------------------------------------------------------------------- member data


def export(session: Session, member: Member) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Comment, Consultation.public_id, Consultation.title)
        .join(Consultation, Consultation.id == Comment.consultation_id)
        .where(Comment.author_id == member.id)
        .order_by(Comment.id)
    ).all()
    return [
        {
            "consultation": public_id,
            "consultation_title": title,
            "section": c.section_key,
            "version": c.version_number,
            "reply_to": c.parent_id,
            "text": c.text,
            "stance": c.stance,
            "shows_my_name": c.show_pseudonym,
            "quotable": c.quotable,
            "status": c.status,
            "edited": c.edited,
            "written_on": c.created_on.isoformat(),
        }
        for c, public_id, title in rows
    ]


def erase_member(session: Session, member: Member, keep_contributions: bool) -> None:
    """Erasure and comments: kept as "a former member's", or emptied and unlinked."""
    if keep_contributions:
        session.execute(
            update(Comment)
            .where(Comment.author_id == member.id)
            .values(author_id=None, former_member=True, show_pseudonym=False)
        )
    else:
        # Overwrite before deleting: secure_delete zeroes the freed pages, and nothing of the
        # text waits in a row that replies still point to.
        session.execute(
            update(Comment)
            .where(Comment.author_id == member.id)
            .values(text="", status=CommentStatus.DELETED, quotable=False)
        )
        session.execute(
            update(Comment).where(Comment.author_id == member.id).values(author_id=None)
        )
    session.execute(update(Report).where(Report.reporter_id == member.id).values(reporter_id=None))
