"""Recording what staff did."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from consultations.models import AuditEvent, Member


def record(
    session: Session, *, actor: Member | None, action: str, target: str, now: datetime
) -> AuditEvent:
    """Write one audit line. `target` is "kind:id", never a name."""
    event = AuditEvent(
        actor_id=actor.id if actor else None, action=action, target=target, created_at=now
    )
    session.add(event)
    session.flush()
    return event
