"""What the Atom feeds list (issue 13), newest first, read from the outbox: each publication,
correction and withdrawal of a record, and each status change of a recommendation. A withdrawn
record's entries keep its number, title and dates and lose its summary, as its pages do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from consultations.models import (
    Action,
    AdvisoryRecord,
    OutboxEntry,
    Published,
    Recommendation,
    RecordRevision,
    StatusChange,
)

LIMIT = 50


@dataclass(frozen=True)
class RecordEntry:
    record: AdvisoryRecord
    revision: RecordRevision  # the one published (for a withdrawal: the last one)
    action: Action
    at: datetime


def record_entries(session: Session, limit: int = LIMIT) -> list[RecordEntry]:
    """Three queries whatever the number of entries."""
    outbox = list(
        session.scalars(
            select(OutboxEntry)
            .where(
                OutboxEntry.kind == Published.RECORD,
                OutboxEntry.action.in_([Action.PUBLISH, Action.CORRECT, Action.WITHDRAW]),
            )
            .order_by(OutboxEntry.id.desc())
            .limit(limit)
        )
    )
    found = {
        record.number: record
        for record in session.scalars(
            select(AdvisoryRecord)
            .where(AdvisoryRecord.number.in_({entry.number for entry in outbox}))
            .options(selectinload(AdvisoryRecord.revisions))
        )
    }
    entries = []
    for entry in outbox:
        record = found.get(entry.number)
        if record is None:
            continue
        published = [r for r in record.revisions if r.published_at is not None]
        # The revision this entry announced (a withdrawal: the last one).
        revision = next((r for r in published if r.number == entry.revision), published[-1])
        entries.append(RecordEntry(record, revision, entry.action, entry.created_at))
    return entries


def status_entries(
    session: Session, limit: int = LIMIT
) -> list[tuple[Recommendation, StatusChange]]:
    """The latest status changes of published recommendations: one query."""
    return [
        (recommendation, change)
        for change, recommendation in session.execute(
            select(StatusChange, Recommendation)
            .join(Recommendation, Recommendation.id == StatusChange.recommendation_id)
            .where(Recommendation.published_at.is_not(None))
            .order_by(StatusChange.id.desc())
            .limit(limit)
        ).all()
    ]
