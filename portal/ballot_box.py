"""The ballot box: committing a ballot, and sealing a closed decision's ballots (checklist 42).

The services (`consultations.services.ballots`) decide what is written; this module owns the
transactions and the storage maintenance that only the website's database connection can do:
the WAL checkpoint after each ballot on SQLite, and the compaction of the `ballot` table on
PostgreSQL once a decision has closed.

Sealing a closed decision takes three transactions, each writing one thing, so no ballot ever
shares a transaction id with another table's row:
1. its ballots are deleted and inserted again in key order (they now share one `xmin`);
2. `CLUSTER ballot USING pk_ballot` — VACUUM FULL that writes rows in key order — rewrites
   the table compactly, so their physical order (`ctid`) is key order;
3. the decision is marked sealed.
Staff closing a decision seal it at once; `flask ballots seal` (run by a timer, see README)
seals those that closed by the clock. Sealing twice does no harm.
"""

from __future__ import annotations

from datetime import datetime

from consultations.services import ballots
from portal.extensions import checkpoint_wal, db


def committed() -> None:
    """Call right after committing a ballot: on SQLite, empty the WAL of its frames."""
    checkpoint_wal()


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
    ballot key) — whatever order the rows were written in. It needs autocommit."""
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("CLUSTER ballot USING pk_ballot")
