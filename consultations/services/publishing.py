"""Public numbers and the outbox (issue 12): what every publication of a record or a
recommendation shares.

A number is `AR-<year>-<NNN>` or `REC-<year>-<NNN>`: the year of first publication and a serial
that counts up from 1 within it. The serial comes from the `public_number` row of that kind and
year, updated in the publishing transaction: a second publisher waits for the first to commit
(PostgreSQL's row lock; on SQLite the write lock every writing transaction takes), so no
number is given twice; and a publication that fails rolls its serial back with it, so none is
skipped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from consultations.models import Action, OutboxEntry, PublicNumber, Published

PREFIXES = {Published.RECORD: "AR", Published.RECOMMENDATION: "REC"}


def next_number(session: Session, kind: Published, year: int) -> tuple[str, int]:
    """The next number of `kind` in `year`, and its serial."""
    dialect = session.get_bind().dialect.name
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(PublicNumber)
        .values(kind=kind.value, year=year, last=0)
        .on_conflict_do_nothing(index_elements=[PublicNumber.kind, PublicNumber.year])
    )
    serial = session.execute(
        update(PublicNumber)
        .where(PublicNumber.kind == kind, PublicNumber.year == year)
        .values(last=PublicNumber.last + 1)
        .returning(PublicNumber.last)
    ).scalar_one()
    return f"{PREFIXES[kind]}-{year}-{serial:03d}", serial


def announce(
    session: Session,
    kind: Published,
    number: str,
    action: Action,
    now: datetime,
    revision: int | None = None,
) -> None:
    """An outbox row, in the caller's transaction: what the search index and feeds will read."""
    session.add(
        OutboxEntry(kind=kind, number=number, action=action, revision=revision, created_at=now)
    )
    session.flush()


def last_change(session: Session) -> datetime | None:
    """When public advice last changed: the newest outbox row's time."""
    return session.scalar(select(func.max(OutboxEntry.created_at)))
