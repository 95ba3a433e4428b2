"""A consultation on a draft procedure: its versions, and each version's sections in up to three
languages under the same keys (DESIGN §3: consultation → document_version → section).

Status is computed from the dates, so no background job is needed: draft (not yet published,
staff only) → upcoming (before `opens_at`) → open → closed (after `closes_at`); archived hides a
closed consultation from the members' default list.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultations.db import Base, TranslationRow, UtcDateTime
from consultations.languages import in_locales


class Status(StrEnum):
    DRAFT = "draft"
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


def new_stamp() -> int:
    """A consultation's next change stamp: random, so no two states share one (a restored
    backup's later changes included)."""
    return secrets.randbits(62) + 1


class Consultation(Base):
    __tablename__ = "consultation"
    __table_args__ = (CheckConstraint(in_locales("main_locale"), name="main_locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Short, random and neutral: the URL says nothing of the subject (DESIGN §4.10).
    public_id: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    main_locale: Mapped[str] = mapped_column(String(2))
    content_note: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closes_at: Mapped[datetime] = mapped_column(UtcDateTime)
    premoderation: Mapped[bool] = mapped_column(default=False)
    published: Mapped[bool] = mapped_column(default=False)
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # A new random value with every change to what the page shows all its readers alike
    # (`consultations.changes`): the key of the page's kept parts.
    change_stamp: Mapped[int] = mapped_column(BigInteger, default=new_stamp, server_default="0")

    versions: Mapped[list[DocumentVersion]] = relationship(
        back_populates="consultation",
        order_by="DocumentVersion.number",
        lazy="raise",
        cascade="all, delete-orphan",
    )
    # Title, summary and content note in the other languages (`languages.shown`).
    translations: Mapped[list[ConsultationTranslation]] = relationship(
        lazy="selectin", cascade="all, delete-orphan"
    )

    def status(self, now: datetime) -> Status:
        if not self.published:
            return Status.DRAFT
        if now < self.opens_at:
            return Status.UPCOMING
        if now < self.closes_at:
            return Status.OPEN
        return Status.CLOSED


class ConsultationTranslation(TranslationRow, Base):
    """A consultation's title, summary and content note in a language other than its main one;
    an empty field is read in the main language."""

    __tablename__ = "consultation_translation"
    parent_key = "consultation_id"

    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    content_note: Mapped[str] = mapped_column(Text, default="")


class DocumentVersion(Base):
    """A numbered version of the draft. Version 0 does not exist: the first published is 1.

    A version with `published_at` None is the staff's working copy; once published it is
    immutable, and the next edit starts a new working copy.
    """

    __tablename__ = "document_version"
    __table_args__ = (UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    changelog: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    consultation: Mapped[Consultation] = relationship(back_populates="versions", lazy="raise")
    texts: Mapped[list[VersionText]] = relationship(
        back_populates="version", lazy="raise", cascade="all, delete-orphan"
    )
    sections: Mapped[list[Section]] = relationship(
        back_populates="version",
        order_by="Section.position",
        lazy="raise",
        cascade="all, delete-orphan",
    )
    # The changelog in the other languages.
    translations: Mapped[list[VersionTranslation]] = relationship(
        lazy="selectin", cascade="all, delete-orphan"
    )


class VersionTranslation(TranslationRow, Base):
    """A version's changelog in a language other than the consultation's main one."""

    __tablename__ = "version_translation"
    parent_key = "version_id"

    version_id: Mapped[int] = mapped_column(
        ForeignKey("document_version.id", ondelete="CASCADE"), index=True
    )
    changelog: Mapped[str] = mapped_column(Text, default="")


class VersionText(Base):
    """The whole Markdown source of a version in one language, as staff wrote it."""

    __tablename__ = "version_text"
    __table_args__ = (
        UniqueConstraint("version_id", "locale"),
        CheckConstraint(in_locales("locale"), name="locale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("document_version.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str] = mapped_column(String(2))
    source: Mapped[str] = mapped_column(Text)

    version: Mapped[DocumentVersion] = relationship(back_populates="texts", lazy="raise")


class Section(Base):
    """One section of a published version: its stable key and its text in each language."""

    __tablename__ = "section"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("document_version.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)

    version: Mapped[DocumentVersion] = relationship(back_populates="sections", lazy="raise")
    texts: Mapped[list[SectionText]] = relationship(
        back_populates="section", lazy="raise", cascade="all, delete-orphan"
    )

    def text_in(self, locale: str, fallback: str) -> SectionText | None:
        by_locale = {text.locale: text for text in self.texts}
        return by_locale.get(locale) or by_locale.get(fallback)


class SectionText(Base):
    __tablename__ = "section_text"
    __table_args__ = (
        UniqueConstraint("section_id", "locale"),
        CheckConstraint(in_locales("locale"), name="locale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("section.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str] = mapped_column(String(2))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)

    section: Mapped[Section] = relationship(back_populates="texts", lazy="raise")
