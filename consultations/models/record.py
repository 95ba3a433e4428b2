"""Advisory records (issue 12): what the group advises, numbered `AR-<year>-<NNN>` when first
published, in revisions that never change once published.

A record is written in one language; another record may be its translation (each keeps its own
number). Its quotes are copies of words members allowed to be quoted: no column here, nor in
any table of this file, can lead to a comment or a member (a schema test checks). The only
change a published revision allows is a redaction: a quote that turns out to identify someone
loses its text, dated, in every revision that holds it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultations.db import Base, UtcDateTime
from consultations.languages import in_locales

if TYPE_CHECKING:
    from consultations.models.consultation import Consultation

MAX_TITLE_CHARS = 300
MAX_SUMMARY_CHARS = 5_000
MAX_ADVICE_CHARS = 100_000
MAX_QUOTE_CHARS = 5_000
MAX_QUOTES = 30
MAX_REASON_CHARS = 2_000


class AdvisoryRecord(Base):
    __tablename__ = "advisory_record"
    __table_args__ = (
        UniqueConstraint("year", "serial"),
        CheckConstraint(in_locales("locale"), name="locale"),
        CheckConstraint("(number IS NULL) = (serial IS NULL)", name="numbered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # AR-2026-007: the year of first publication and its serial in that year.
    number: Mapped[str | None] = mapped_column(String(16), unique=True)
    year: Mapped[int | None] = mapped_column(Integer)
    serial: Mapped[int | None] = mapped_column(Integer)
    locale: Mapped[str] = mapped_column(String(2))
    # What it was made from, if anything: a consultation is public once published.
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation.id", ondelete="SET NULL"), index=True
    )
    # The record this one translates (None: an original).
    translation_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("advisory_record.id", ondelete="SET NULL"), index=True
    )
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    consultation: Mapped[Consultation | None] = relationship(lazy="raise")
    revisions: Mapped[list[RecordRevision]] = relationship(
        back_populates="record",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="RecordRevision.number",
    )
    # Loaded when staff edit a record; readers' pages join the recommendations instead.
    links: Mapped[list[RecordRecommendation]] = relationship(
        lazy="select", cascade="all, delete-orphan"
    )


class RecordRevision(Base):
    """A revision: 1 is the record as first published, each correction the next. The last one
    may be a draft (`published_at` None), seen by staff only."""

    __tablename__ = "record_revision"
    __table_args__ = (UniqueConstraint("record_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("advisory_record.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(MAX_TITLE_CHARS))
    summary: Mapped[str] = mapped_column(Text, default="")
    advice: Mapped[str] = mapped_column(Text, default="")  # Markdown, through the one sanitizer
    changelog: Mapped[str] = mapped_column(Text, default="")  # what a correction changed
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    record: Mapped[AdvisoryRecord] = relationship(back_populates="revisions", lazy="raise")
    quotes: Mapped[list[RecordQuote]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="RecordQuote.position"
    )


class RecordQuote(Base):
    """Words a member allowed to be quoted, copied: a whole comment or an excerpt. `section` is
    the title of the part of the draft they were about. Redacted: no text, and the date."""

    __tablename__ = "record_quote"
    __table_args__ = (UniqueConstraint("revision_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("record_revision.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    section: Mapped[str] = mapped_column(String(300), default="")
    redacted_on: Mapped[date | None] = mapped_column(Date)


class RecordRecommendation(Base):
    """A recommendation the record makes or supports."""

    __tablename__ = "record_recommendation"

    record_id: Mapped[int] = mapped_column(
        ForeignKey("advisory_record.id", ondelete="CASCADE"), primary_key=True
    )
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), primary_key=True, index=True
    )
