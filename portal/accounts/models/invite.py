"""Invites: a hash of a random code, the role it grants, when it expires, who issued it.

Redeeming deletes it, in the transaction that creates the account, so no row — live, or on
PostgreSQL dead with the account's transaction id — ties an invite (and whoever it was handed
to) to a pseudonym. Expired and revoked invites are deleted `KENES_RETENTION_DAYS` after they
expire (portal.housekeeping).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from consultations.db import Base, EnumText, UtcDateTime
from consultations.models.member import Role


class Invite(Base):
    __tablename__ = "invite"
    __table_args__ = (CheckConstraint("role IN ('member', 'staff')", name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[Role] = mapped_column(EnumText(Role))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    revoked: Mapped[bool] = mapped_column(default=False)
