"""SQLite's write-ahead log must keep neither what was removed nor the order of voting
(DESIGN §4.6, checklist 34 and 42).

With WAL, what a transaction wrote lives on in the `-wal` file, frame after frame in commit
order, until a checkpoint copies it into the database file and `TRUNCATE` empties the log: the
text of a deleted comment, an old pseudonym, a session row written just before a ballot. So
after every commit that deletes or overwrites a row (portal.extensions watches the session
for them) and after every ballot, the log is checkpointed with `TRUNCATE`.

A `TRUNCATE` checkpoint must wait until no other connection is reading from the log. Waiting
the connection's whole busy timeout (15 s) made a vote hang behind a slow reader and then
leave its frames anyway. So each attempt waits at most `ATTEMPT_WAIT`, and when a reader is in
the way the checkpoint is owed (`portal.security.owed`: `<db>-checkpoint-owed`, a background
retry, and any later request). Nothing here applies to PostgreSQL, whose log is its own
(README, Security); its dead row versions are `portal.security.dead_rows`'.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from portal.security.owed import Owed

# One attempt waits at most this long for other connections to leave the log (seconds).
ATTEMPT_WAIT = 0.05
RETRY_EVERY = 0.2
RETRY_FOR = 300.0


def log_file(database: Path) -> Path:
    return database.with_name(database.name + "-wal")


def checkpoint(database: Path) -> bool:
    """One `wal_checkpoint(TRUNCATE)`, waiting at most ATTEMPT_WAIT; True when it completed:
    every frame written so far is in the database file and the log was emptied.

    A connection of its own, opened read-write on an existing file only (`mode=rw`), so an
    attempt after the database is gone fails instead of creating an empty one."""
    try:
        connection = sqlite3.connect(
            f"{database.as_uri()}?mode=rw", uri=True, timeout=ATTEMPT_WAIT, isolation_level=None
        )
    except sqlite3.Error:
        return False
    try:
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.Error:
        return False
    finally:
        connection.close()
    return busy == 0


def checkpointer(database: Path) -> Owed:
    """The log of one SQLite database, emptied now or as soon as its readers let it."""
    return Owed(
        "wal-checkpoint",
        lambda: checkpoint(database),
        database.with_name(database.name + "-checkpoint-owed"),
        every=RETRY_EVERY,
        retry_for=RETRY_FOR,
        still_wanted=database.exists,
    )
