"""PostgreSQL: tables rewritten so their pages keep no dead version of a row (DESIGN §4.6,
checklist 42).

An UPDATE or DELETE leaves the old version of the row in the table's pages, stamped with the id
of the transaction that removed it (`xmax`), until a vacuum. For two tables that is a leak:
- `ballot`: casting rewrites the decision's ballots, so the dead versions are the ballots as
  they stood before the vote: the live ones minus the dead ones is the ballot just cast, and
  its `xmax` sits next to the voter's own transactions;
- `invite`: redeeming deletes the invite in the transaction that creates the account.

`CLUSTER` rewrites a table into a new file, sorted by an index, keeping each live row's `xmin`.
But PostgreSQL keeps every version that some running transaction might still read: a
REPEATABLE READ reader (a backup, a report, a shell) holds them, and so does CLUSTER's own
snapshot whenever any transaction with an id is running anywhere on the server, in any
database. Such versions are copied into the new file as they were. So one attempt is:

1. `VACUUM` (not FULL): removes the dead versions no snapshot of this database can still see
   (it ignores other databases' transactions and its own) and counts those it had to keep;
2. `CLUSTER … USING <index>`: a new file in key order, without the bytes VACUUM pruned;
3. done when VACUUM kept none (`pg_stat_user_tables.n_dead_tup`, which VACUUM sets to what it
   kept, including versions it could not reach for a concurrent pin).

Each step waits at most `LOCK_WAIT` for a lock: a backup's read lock must not make a vote hang.
When an attempt is not done, the rewrite is owed (`portal.security.owed`) and tried again
until the reader has gone. It needs autocommit and the table's owner (README), and
`track_counts` on (PostgreSQL's default; checked when the app starts).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from portal.security.owed import Owed

# The tables rewritten after a commit that removed rows from them, and the index each is
# sorted by (its primary key: a ballot's position says nothing but its key).
REWRITTEN = {"ballot": "pk_ballot", "invite": "pk_invite"}

LOCK_WAIT = "50ms"
RETRY_EVERY = 0.5
RETRY_FOR = 300.0


def rewrite(engine: Engine, table: str) -> bool:
    """One attempt; True when the table's pages hold no dead row version."""
    index = REWRITTEN[table]
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f"SET lock_timeout = '{LOCK_WAIT}'")
        try:
            connection.exec_driver_sql(f'VACUUM "{table}"')
            kept = connection.scalar(
                text(
                    "SELECT n_dead_tup FROM pg_stat_user_tables "
                    "WHERE relid = CAST(:table AS regclass)"
                ),
                {"table": table},
            )
            connection.exec_driver_sql(f'CLUSTER "{table}" USING "{index}"')
        except OperationalError as error:
            if getattr(error.orig, "sqlstate", None) != "55P03":  # lock_not_available
                raise
            return False
        finally:
            connection.exec_driver_sql("RESET lock_timeout")
    return kept == 0


def rewriter(engine: Engine, table: str, instance: Path) -> Owed:
    """The rewrite of `table`, done now or as soon as the transactions in its way have ended."""
    return Owed(
        f"rewrite-{table}",
        lambda: rewrite(engine, table),
        instance / f"postgres-{table}-rewrite-owed",
        every=RETRY_EVERY,
        retry_for=RETRY_FOR,
    )


def counts_dead_rows(engine: Engine) -> bool:
    """Whether VACUUM reports what it kept: `track_counts` is on."""
    with engine.connect() as connection:
        return connection.exec_driver_sql("SHOW track_counts").scalar() == "on"
