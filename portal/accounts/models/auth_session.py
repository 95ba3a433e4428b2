"""Server-side sessions (DESIGN §3 `auth_session`, §4.5).

The cookie carries only a random token; this table stores its hash, so a leaked database gives
no usable session. `stage` is "pending" between passphrase and second factor (five minutes at
most) and "full" after. Times are operational and the rows expire and are purged.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from consultations.db import Base, EnumText, UtcDateTime


class Stage(StrEnum):
    """How far a session has signed in: the passphrase only, or the second factor too."""

    PENDING = "pending"
    FULL = "full"


class AuthSession(Base):
    __tablename__ = "auth_session"
    __table_args__ = (CheckConstraint("stage IN ('pending', 'full')", name="stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    stage: Mapped[Stage] = mapped_column(EnumText(Stage, 8))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # To the minute: enough for the idle timeout, too coarse to trace a reading pattern.
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # When the member last typed their passphrase in this session (sensitive actions need
    # it within five minutes).
    confirmed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The member's last visit before this session began, for "new since your last visit".
    previous_visit_on: Mapped[date | None] = mapped_column(Date)
