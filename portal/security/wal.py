"""SQLite's write-ahead log must keep neither what was removed nor the order of voting
(DESIGN §4.6, checklist 34 and 42).

With WAL, what a transaction wrote lives on in the `-wal` file, frame after frame in commit
order, until a checkpoint copies it into the database file and `TRUNCATE` empties the log: the
text of a deleted comment, an old pseudonym, a session row written just before a ballot. So
after every commit that deletes or overwrites a row (portal.extensions watches the session
for them) and after every ballot, the log is checkpointed with `TRUNCATE`.

A `TRUNCATE` checkpoint must wait until no other connection is reading from the log. Waiting
the connection's whole busy timeout (15 s) made a vote hang behind a slow reader and then
leave its frames anyway. So each attempt waits at most `ATTEMPT_WAIT`; when a reader is in the
way, the debt is written down beside the database (`<db>-checkpoint-owed`, seen by every
worker) and paid:
- by a background thread of this process, which tries again every `RETRY_EVERY` for up to
  `RETRY_FOR`;
- at the end of any later request, in any worker (a `stat` of the marker when nothing is
  owed), in case this process ended first.
Nothing here applies to PostgreSQL, whose log is its own (README, Security).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

# One attempt waits at most this long for other connections to leave the log (seconds).
ATTEMPT_WAIT = 0.05
RETRY_EVERY = 0.2
RETRY_FOR = 300.0


def log_file(database: Path) -> Path:
    return database.with_name(database.name + "-wal")


# One attempt at a time per database in this process: a background retry and a request's own
# checkpoint must not make each other fail as "busy".
_ATTEMPTS: dict[Path, threading.Lock] = {}
_ATTEMPTS_LOCK = threading.Lock()


def _attempt_lock(database: Path) -> threading.Lock:
    with _ATTEMPTS_LOCK:
        return _ATTEMPTS.setdefault(database, threading.Lock())


def checkpoint(database: Path) -> bool:
    """One `wal_checkpoint(TRUNCATE)`, waiting at most ATTEMPT_WAIT; True when it completed:
    every frame written so far is in the database file and the log was emptied.
    Attempts on one database by this process's threads take turns.

    A connection of its own, opened read-write on an existing file only (`mode=rw`), so an
    attempt after the database is gone fails instead of creating an empty one."""
    with _attempt_lock(database):
        return _checkpoint(database)


def _checkpoint(database: Path) -> bool:
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


class Checkpointer:
    """Checkpoints one SQLite database's log now, or as soon as its readers let it."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.owed = database.with_name(database.name + "-checkpoint-owed")
        self._lock = threading.Lock()
        self._retrying = False

    def empty_log(self) -> bool:
        """Try now; if a reader is in the way, owe it and retry in the background. True when
        the log was emptied now."""
        if checkpoint(self.database):
            self.owed.unlink(missing_ok=True)
            return True
        self.owed.touch()
        self._retry_in_background()
        return False

    def settle(self) -> None:
        """Pay an owed checkpoint (end of every request; cheap when nothing is owed)."""
        if self.owed.exists() and checkpoint(self.database):
            self.owed.unlink(missing_ok=True)

    def _retry_in_background(self) -> None:
        with self._lock:
            if self._retrying:
                return
            self._retrying = True
        threading.Thread(target=self._retry, name="kenes-wal-checkpoint", daemon=True).start()

    def _retry(self) -> None:
        deadline = time.monotonic() + RETRY_FOR
        try:
            # Until this thread's own attempt succeeds: another process may have removed the
            # marker after a checkpoint that came before this process's commit.
            while time.monotonic() < deadline and self.database.exists():
                time.sleep(RETRY_EVERY)
                if checkpoint(self.database):
                    self.owed.unlink(missing_ok=True)
                    return
        finally:
            with self._lock:
                self._retrying = False
