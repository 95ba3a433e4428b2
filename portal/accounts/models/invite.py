"""Invites: a hash of a random code, the role it grants, when it expires, who issued it.

Redeeming marks it used — a flag, not a date, and no reference to the account it created — so
the table cannot tie an invite (and whoever it was handed to) to a pseudonym.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from consultations.db import Base, UtcDateTime


class Invite(Base):
    __tablename__ = "invite"
    __table_args__ = (CheckConstraint("role IN ('member', 'staff')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    used: Mapped[bool] = mapped_column(default=False)
    revoked: Mapped[bool] = mapped_column(default=False)
