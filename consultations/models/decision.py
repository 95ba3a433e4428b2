"""A decision the group votes on, its options, and its secret ballots (DESIGN §3, issue 5).

`ballot` is the one place a choice is kept, and it says nothing of who made it or when: no
member reference, no time, no integer id. A ballot is found again only by recomputing its key,
HMAC(KENES_BALLOT_SECRET, "decision_id:ballot_token"), which needs a secret the database does
not hold. There is no participation table: turnout is the number of ballots.

On SQLite the table is WITHOUT ROWID, so there is no hidden rowid counting insertions either;
how the ballots' bytes are kept out of voting order is `consultations.services.ballots`' job.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consultations.db import Base, EnumText, TranslationRow, UtcDateTime

MAX_OPTIONS = 12
MIN_OPTIONS = 2
# Counts are shown — live or final — only from this many ballots (a decision may set another):
# with two ballots, each voter would know the other's choice (issue 9).
DEFAULT_MIN_BALLOTS = 5


class DecisionKind(StrEnum):
    PROPOSAL = "proposal"  # agree / disagree / abstain
    SINGLE = "single"  # one of 2–12 options
    MULTIPLE = "multiple"  # up to k of n options
    RANKED = "ranked"  # any number of options, in order; counted by instant runoff


class DecisionStatus(StrEnum):
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


class ProposalAnswer(StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    ABSTAIN = "abstain"


class Decision(Base):
    __tablename__ = "decision"
    __table_args__ = (
        CheckConstraint("kind IN ('proposal', 'single', 'multiple', 'ranked')", name="kind"),
        CheckConstraint("quorum IS NULL OR quorum >= 1", name="quorum"),
        CheckConstraint("max_choices IS NULL OR max_choices >= 1", name="max_choices"),
        CheckConstraint("min_ballots >= 1", name="min_ballots"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Short, random and neutral, like a consultation's (DESIGN §4.10).
    public_id: Mapped[str] = mapped_column(String(12), unique=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(String(300))
    explanation: Mapped[str] = mapped_column(Text, default="")  # Markdown, sanitized on display
    kind: Mapped[DecisionKind] = mapped_column(EnumText(DecisionKind))
    max_choices: Mapped[int | None] = mapped_column(Integer)  # multiple choice: k
    opens_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closes_at: Mapped[datetime] = mapped_column(UtcDateTime)
    quorum: Mapped[int | None] = mapped_column(Integer)  # fewest ballots for the result to stand
    live_results: Mapped[bool] = mapped_column(default=False)  # shown to voters before close
    # The fewest ballots for any count to be shown, live or after close (staff choose it when
    # they write the decision); below it, only whether it closed and whether quorum was met.
    min_ballots: Mapped[int] = mapped_column(
        Integer, default=DEFAULT_MIN_BALLOTS, server_default=str(DEFAULT_MIN_BALLOTS)
    )
    # Members who may vote (role `member`, not disabled). Recounted whenever membership changes
    # while the decision is open, so once it closes the number stands as it was at that moment.
    electorate: Mapped[int] = mapped_column(Integer, default=0)
    # Set once the closed decision's ballots have been rewritten in key order (and, on
    # PostgreSQL, the table compacted): see `services.ballots.seal`.
    sealed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    options: Mapped[list[Option]] = relationship(
        back_populates="decision",
        order_by="Option.position",
        lazy="raise",
        cascade="all, delete-orphan",
    )
    # The question and explanation in the consultation's other languages.
    translations: Mapped[list[DecisionTranslation]] = relationship(
        lazy="selectin", cascade="all, delete-orphan"
    )

    def status(self, now: datetime) -> DecisionStatus:
        if now < self.opens_at:
            return DecisionStatus.UPCOMING
        if now < self.closes_at:
            return DecisionStatus.OPEN
        return DecisionStatus.CLOSED


class Option(Base):
    """One answer on the ballot paper. A proposal's three have a `code` and are named in the
    reader's language; other options have the `label` staff wrote."""

    __tablename__ = "decision_option"
    __table_args__ = (
        UniqueConstraint("decision_id", "position"),
        CheckConstraint("code IS NULL OR code IN ('agree', 'disagree', 'abstain')", name="code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decision.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # what a ballot's choices name
    label: Mapped[str] = mapped_column(String(200), default="")
    code: Mapped[str | None] = mapped_column(String(16))

    decision: Mapped[Decision] = relationship(back_populates="options", lazy="raise")
    # The label in the consultation's other languages (a proposal's three have none).
    translations: Mapped[list[OptionTranslation]] = relationship(
        lazy="selectin", cascade="all, delete-orphan"
    )


class DecisionTranslation(TranslationRow, Base):
    __tablename__ = "decision_translation"
    parent_key = "decision_id"

    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decision.id", ondelete="CASCADE"), index=True
    )
    question: Mapped[str] = mapped_column(String(300), default="")
    explanation: Mapped[str] = mapped_column(Text, default="")


class OptionTranslation(TranslationRow, Base):
    __tablename__ = "decision_option_translation"
    parent_key = "option_id"

    option_id: Mapped[int] = mapped_column(
        ForeignKey("decision_option.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(200), default="")


class Ballot(Base):
    """A secret ballot. `choices` is a JSON list of option positions (ranked: best first)."""

    __tablename__ = "ballot"
    __table_args__ = ({"sqlite_with_rowid": False},)

    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decision.id", ondelete="CASCADE"), primary_key=True
    )
    ballot_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    choices: Mapped[str] = mapped_column(Text)
