"""What was published, and the counters that number it (issue 12).

`outbox`: every publication, correction, redaction, withdrawal and recommendation change
writes a row in the same transaction; the search index and the feeds (issues 13 and 14) read
it. `public_number`: the last serial given, per kind and year, so numbers are sequential,
never reused, and never given twice — the row is updated in the publishing transaction, which
serialises publishers (PostgreSQL's row lock; SQLite's write lock).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from consultations.db import Base, EnumText, UtcDateTime


class Published(StrEnum):
    RECORD = "record"
    RECOMMENDATION = "recommendation"


class Action(StrEnum):
    PUBLISH = "publish"
    CORRECT = "correct"
    REDACT = "redact"
    WITHDRAW = "withdraw"
    STATUS = "status"
    EDIT = "edit"


class OutboxEntry(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        CheckConstraint("kind IN ('record', 'recommendation')", name="kind"),
        CheckConstraint(
            "action IN ('publish', 'correct', 'redact', 'withdraw', 'status', 'edit')",
            name="action",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[Published] = mapped_column(EnumText(Published))
    number: Mapped[str] = mapped_column(String(16), index=True)
    action: Mapped[Action] = mapped_column(EnumText(Action))
    # A record's revision the action made public (publish, correct); None otherwise.
    revision: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PublicNumber(Base):
    __tablename__ = "public_number"
    __table_args__ = (CheckConstraint("kind IN ('record', 'recommendation')", name="kind"),)

    kind: Mapped[Published] = mapped_column(EnumText(Published), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)
