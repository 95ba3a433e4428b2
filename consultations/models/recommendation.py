"""The recommendation register (issue 12): recommendations the group addresses to the bodies
that can act, numbered `REC-<year>-<NNN>` when first published, with a dated status history.

Nothing here can reach a comment or a member: no column names either (a schema test checks).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultations.db import Base, EnumText, UtcDateTime
from consultations.languages import in_locales

MAX_TITLE_CHARS = 300
MAX_TEXT_CHARS = 20_000
MAX_NOTE_CHARS = 5_000
MAX_EVIDENCE_CHARS = 2_000


class RecommendationStatus(StrEnum):
    """After GAO's open / closed–implemented / closed–not implemented, in the steps a body takes."""

    PROPOSED = "proposed"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    PARTIALLY_ACCEPTED = "partially_accepted"
    REJECTED = "rejected"
    IMPLEMENTED = "implemented"
    WITHDRAWN = "withdrawn"


class Priority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Region(StrEnum):
    """Kazakhstan's regions and cities of republican significance (2022 division), and the
    whole country."""

    NATIONAL = "national"
    ASTANA = "astana"
    ALMATY_CITY = "almaty_city"
    SHYMKENT = "shymkent"
    ABAI = "abai"
    AKMOLA = "akmola"
    AKTOBE = "aktobe"
    ALMATY_REGION = "almaty_region"
    ATYRAU = "atyrau"
    EAST_KAZAKHSTAN = "east_kazakhstan"
    JAMBYL = "jambyl"
    JETISU = "jetisu"
    KARAGANDA = "karaganda"
    KOSTANAY = "kostanay"
    KYZYLORDA = "kyzylorda"
    MANGYSTAU = "mangystau"
    NORTH_KAZAKHSTAN = "north_kazakhstan"
    PAVLODAR = "pavlodar"
    TURKESTAN = "turkestan"
    ULYTAU = "ulytau"
    WEST_KAZAKHSTAN = "west_kazakhstan"


def _one_of(column: str, values: type[StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class Addressee(Base):
    """A body that can act on a recommendation, named in each language (a managed list)."""

    __tablename__ = "addressee"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_kk: Mapped[str] = mapped_column(String(300))
    name_ru: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))

    def name_in(self, locale: str) -> str:
        return str(getattr(self, f"name_{locale}", "") or self.name_en)


class Recommendation(Base):
    __tablename__ = "recommendation"
    __table_args__ = (
        UniqueConstraint("year", "serial"),
        CheckConstraint(in_locales("locale"), name="locale"),
        CheckConstraint(_one_of("status", RecommendationStatus), name="status"),
        CheckConstraint(_one_of("priority", Priority), name="priority"),
        # Numbered exactly when published.
        CheckConstraint(
            "(published_at IS NULL) = (number IS NULL) AND (number IS NULL) = (serial IS NULL)",
            name="numbered_when_published",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # REC-2026-012: the year of first publication and its serial in that year.
    number: Mapped[str | None] = mapped_column(String(16), unique=True)
    year: Mapped[int | None] = mapped_column(Integer)
    serial: Mapped[int | None] = mapped_column(Integer)
    locale: Mapped[str] = mapped_column(String(2))  # the language it is written in
    title: Mapped[str] = mapped_column(String(MAX_TITLE_CHARS))
    text: Mapped[str] = mapped_column(Text)  # Markdown, through the one sanitizer
    addressee_id: Mapped[int] = mapped_column(ForeignKey("addressee.id"), index=True)
    priority: Mapped[Priority] = mapped_column(EnumText(Priority))
    # The latest status of the history below, kept here to filter and count in one query.
    status: Mapped[RecommendationStatus] = mapped_column(EnumText(RecommendationStatus, 24))
    review_on: Mapped[date | None] = mapped_column(Date)  # staff see it listed once it passes
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    addressee: Mapped[Addressee] = relationship(lazy="joined")
    regions: Mapped[list[RecommendationRegion]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="RecommendationRegion.region"
    )
    history: Mapped[list[StatusChange]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        order_by=lambda: [StatusChange.on, StatusChange.id],
    )


class RecommendationRegion(Base):
    __tablename__ = "recommendation_region"
    __table_args__ = (CheckConstraint(_one_of("region", Region), name="region"),)

    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), primary_key=True
    )
    region: Mapped[Region] = mapped_column(EnumText(Region, 24), primary_key=True)


class StatusChange(Base):
    """One dated step of a recommendation's history: what its addressee did, as staff learnt."""

    __tablename__ = "recommendation_status"
    __table_args__ = (CheckConstraint(_one_of("status", RecommendationStatus), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[RecommendationStatus] = mapped_column(EnumText(RecommendationStatus, 24))
    on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    # A citation, or a URL shown as text (and as a link only with rel="noopener noreferrer
    # nofollow").
    evidence: Mapped[str] = mapped_column(String(MAX_EVIDENCE_CHARS), default="")
