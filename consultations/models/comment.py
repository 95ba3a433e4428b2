"""Comments on a section (by its stable key) or on the whole draft, their reports, and feedback
staff recorded from group meetings.

Survivor rows: dates, not times. A comment posted "as a member" shows no pseudonym to anyone;
staff see its author only when handling a report of it, and each such look is audited.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultations.db import Base, EnumText


class Stance(StrEnum):
    SUPPORTS = "supports"
    CONCERNS = "concerns"
    QUESTION = "question"
    OTHER = "other"


class CommentStatus(StrEnum):
    PENDING = "pending"  # pre-moderation: seen by its author and staff only
    VISIBLE = "visible"
    HIDDEN = "hidden"  # by staff, with a reason shown to the author
    DELETED = "deleted"  # by its author
    REMOVED = "removed"  # by staff, for good


class ReportReason(StrEnum):
    HARMFUL = "harmful"
    IDENTIFYING = "identifying"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


MAX_COMMENT_CHARS = 5000
# The most comments (replies included) one member may post in a day (issue 9: a script posted
# 430 in five minutes). Counted from the comments' own dates: no new record of when anyone
# wrote is kept for it.
MAX_COMMENTS_PER_DAY = 50


class PlaceType(StrEnum):
    """Where a group meeting was held: a kind of place from a fixed list, named in each reader's
    language, never a free-text place that could say which shelter or village the members who
    attended live in."""

    COMMUNITY_CENTRE = "community_centre"
    SHELTER = "shelter"
    OFFICE = "office"
    ONLINE = "online"
    OTHER = "other"


class Meeting(Base):
    """A group meeting where staff wrote down what was said, never who said it."""

    __tablename__ = "meeting"
    __table_args__ = (
        CheckConstraint(
            f"place_type IN ({', '.join(repr(p.value) for p in PlaceType)})", name="place_type"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    place_type: Mapped[PlaceType] = mapped_column(EnumText(PlaceType, 80))
    participants: Mapped[int] = mapped_column(Integer)


class Comment(Base):
    __tablename__ = "comment"
    __table_args__ = (
        CheckConstraint(f"stance IN ({', '.join(repr(s.value) for s in Stance)})", name="stance"),
        CheckConstraint(
            "status IN ('pending', 'visible', 'hidden', 'deleted', 'removed')", name="status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    # None: a comment on the whole draft.
    section_key: Mapped[str | None] = mapped_column(String(40))
    # The version the author was reading when they wrote it.
    version_number: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), index=True
    )
    # None for feedback from a meeting, and for a former member's kept comments.
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), index=True
    )
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    # The author chose to keep their comments when they deleted their account.
    former_member: Mapped[bool] = mapped_column(default=False)
    text: Mapped[str] = mapped_column(Text)
    stance: Mapped[Stance] = mapped_column(EnumText(Stance))
    show_pseudonym: Mapped[bool] = mapped_column(default=False)
    quotable: Mapped[bool] = mapped_column(default=False)
    status: Mapped[CommentStatus] = mapped_column(EnumText(CommentStatus))
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")
    edited: Mapped[bool] = mapped_column(default=False)
    created_on: Mapped[date] = mapped_column(Date)

    replies: Mapped[list[Comment]] = relationship(lazy="raise", order_by="Comment.id")


class Report(Base):
    """A member's report of a comment. The reporter is known to staff only."""

    __tablename__ = "comment_report"
    __table_args__ = (
        CheckConstraint(
            "reason IN ('harmful', 'identifying', 'off_topic', 'other')", name="reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), index=True
    )
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    created_on: Mapped[date] = mapped_column(Date)
    handled: Mapped[bool] = mapped_column(default=False)
