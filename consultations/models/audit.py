"""What staff did — never what members read or chose (DESIGN §3).

Staff actions carry a time: they are operational records of people with power over others'
accounts, not survivors' rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from consultations.db import Base, UtcDateTime


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The staff member who acted; kept as NULL if their account is later erased.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(48))
    # What was acted on, as "kind:id" (e.g. "member:12", "invite:5"); never a pseudonym.
    target: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
