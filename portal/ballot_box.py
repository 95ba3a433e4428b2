"""The ballot box: the only way in for casting, closing's sealing, and the storage maintenance
that keeps the order of voting out of the database (DESIGN §3, checklist 42).

The services (`consultations.services.ballots`) decide what is written; this module owns the
transactions, and the maintenance only the website's database connection can do.

Casting (`cast`) is one transaction that writes the decision's ballots and nothing else: the
upsert, then every ballot of the decision deleted and inserted again in key order. The request
made no session bookkeeping before it (`sessions.without_bookkeeping`). After the commit:
- SQLite: the WAL is checkpointed (`TRUNCATE`, retried while a reader is in the way), so the
  `-wal` file keeps no frames in voting order;
- PostgreSQL: `CLUSTER ballot USING pk_ballot` rewrites the table sorted by key and drops the
  dead row versions, so every live ballot of the decision carries the `xmin` of this last write
  and lies in key order (`ctid`): which ballot just changed is not written anywhere.

Sealing a closed decision takes three transactions, each writing one thing, so no ballot ever
shares a transaction id with another table's row: its ballots rewritten in key order; the table
clustered; the decision marked sealed. Staff closing a decision seal it at once; the hourly
housekeeping and `flask ballots seal` seal those that closed by the clock. Sealing twice does no
harm.
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
from portal.extensions import checkpoint_wal, db


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
    db.session.commit()
    committed()
    return None


def committed() -> None:
    """Right after a ballot's commit (also one written outside `cast`: the demo's seeding):
    nothing of the order of voting may stay in storage."""
    checkpoint_wal()
    _compact()


def seal(decision_id: int) -> None:
    db.session.commit()  # nothing of the caller's may share the ballots' transaction
    ballots.rewrite_in_key_order(db.session, decision_id)
    db.session.commit()
    _compact()
    ballots.mark_sealed(db.session, decision_id)
    db.session.commit()
    checkpoint_wal()


def seal_due(now: datetime) -> list[int]:
    """Seal every decision that has closed and is not sealed yet; return their ids."""
    due = ballots.due_for_sealing(db.session, now)
    for decision_id in due:
        seal(decision_id)
    return due


def _compact() -> None:
    """PostgreSQL keeps deleted row versions, and lays new rows wherever its free-space map
    finds room. CLUSTER rewrites `ballot` compactly, sorted by its primary key — (decision,
    ballot key) — whatever order the rows were written in, keeping each live row's `xmin`
    and dropping the dead ones. It needs autocommit, and the table's owner (README)."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("CLUSTER ballot USING pk_ballot")
