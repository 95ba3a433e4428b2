"""One-time passphrase reset codes, issued by staff in person (no e-mail exists to send one).

Stored hashed, valid 24 hours, one per member (a new one replaces the old), deleted when used.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from consultations.db import Base, UtcDateTime


class ResetCode(Base):
    __tablename__ = "reset_code"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
