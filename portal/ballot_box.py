"""The ballot box: the only way in for casting, closing's sealing, and the storage maintenance
that keeps the order of voting out of the database (DESIGN §3, checklist 42).

The services (`consultations.services.ballots`) decide what is written; this module owns the
transactions, and the maintenance only the website's database connection can do.

Casting (`cast`) is one transaction that writes the decision's ballots and nothing else: the
upsert, then every ballot of the decision deleted and inserted again in key order. The request
made no session bookkeeping before it (`sessions.without_bookkeeping`). After the commit — done
by `portal.extensions.watch_removals` for every commit that writes a ballot, this one and any
other:
- SQLite: the WAL is checkpointed (`TRUNCATE`, retried while a reader is in the way), so the
  `-wal` file keeps no frames in voting order;
- PostgreSQL: the table is rewritten sorted by key without its dead row versions
  (`portal.security.dead_rows`), so every live ballot of the decision carries the `xmin` of
  this last write and lies in key order (`ctid`): which ballot just changed is not written
  anywhere. Old versions that another transaction may still read (a backup's snapshot) are
  removed as soon as it ends, not at the next vote.

Sealing a closed decision takes three transactions, each writing one thing, so no ballot ever
shares a transaction id with another table's row: its ballots rewritten in key order (and the
table rewritten after, as after a vote); the decision marked sealed. Staff closing a decision
seal it at once; the hourly housekeeping and `flask ballots seal` seal those that closed by the
clock. Sealing twice does no harm.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from consultations.clock import Clock
from consultations.errors import NotAllowed
from consultations.models import Consultation, Decision, Member
from consultations.services import ballots
from consultations.services.ballots import BallotRefused
from consultations.services.decisions import KeyFor
from portal.extensions import db


def cast(
    consultation: Consultation,
    decision: Decision,
    choices: Sequence[int],
    *,
    voter: Member,
    key_for: KeyFor,
    clock: Clock,
    paper: str | None,
) -> str | None:
    """Cast or change a ballot in a transaction of its own; the refusal's code, or None.

    The request may have read in this transaction, never written: on PostgreSQL a
    transaction gets its id at its first write, so the ballots' `xmin` is shared with no other
    row. A refusal rolls back and writes nothing."""
    if db.session.new or db.session.dirty or db.session.deleted:
        raise RuntimeError("a ballot's transaction must write nothing else")
    try:
        ballots.cast(
            db.session,
            consultation,
            decision,
            choices,
            voter=voter,
            key_for=key_for,
            clock=clock,
            paper=paper,
        )
    except BallotRefused as refused:
        db.session.rollback()
        return refused.code
    except NotAllowed as refused:
        db.session.rollback()
        return str(refused)
    db.session.commit()  # and `portal.extensions.watch_removals` clears the traces
    return None


def seal(decision_id: int) -> None:
    db.session.commit()  # nothing of the caller's may share the ballots' transaction
    ballots.rewrite_in_key_order(db.session, decision_id)
    db.session.commit()
    ballots.mark_sealed(db.session, decision_id)
    db.session.commit()


def seal_due(now: datetime) -> list[int]:
    """Seal every decision that has closed and is not sealed yet; return their ids."""
    due = ballots.due_for_sealing(db.session, now)
    for decision_id in due:
        seal(decision_id)
    return due
