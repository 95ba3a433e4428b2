"""A clean-up that privacy needs done now, or — when another connection is in the way — as soon
as it lets go (DESIGN §4.6, checklist 34 and 42).

Two such clean-ups exist: emptying SQLite's write-ahead log (`portal.security.wal`) and, on
PostgreSQL, rewriting a table without the dead versions of its rows
(`portal.security.dead_rows`). Neither may make the request that needs it wait behind a
backup or a report, and neither may be forgotten when it cannot happen at once. So one
attempt waits only briefly; when it fails, the debt is written down (a marker file, seen by
every worker of this host) and paid:
- by a background thread of this process, which tries again every `every` seconds for up to
  `retry_for`;
- at the end of any later request, in any worker (a `stat` of the marker when nothing is
  owed), in case this process ended first.
Attempts on one debt by this process's threads take turns, so a background retry cannot make
a request's own attempt fail as "busy".
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

_TURNS: dict[Path, threading.Lock] = {}
_TURNS_LOCK = threading.Lock()


def _turn(marker: Path) -> threading.Lock:
    with _TURNS_LOCK:
        return _TURNS.setdefault(marker, threading.Lock())


class Owed:
    """One clean-up: `attempt()` returns True when it is complete."""

    def __init__(
        self,
        name: str,
        attempt: Callable[[], bool],
        marker: Path,
        *,
        every: float,
        retry_for: float,
        still_wanted: Callable[[], bool] = lambda: True,
    ) -> None:
        self.name = name
        self.marker = marker
        self._attempt = attempt
        self._every = every
        self._retry_for = retry_for
        self._still_wanted = still_wanted
        self._lock = threading.Lock()
        self._retrying = False
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def attempt(self) -> bool:
        with _turn(self.marker):
            return self._attempt()

    def pay(self) -> bool:
        """Try now; if something is in the way, owe it and retry in the background. True when
        it was done now."""
        if self.attempt():
            self.marker.unlink(missing_ok=True)
            return True
        self.marker.touch()
        self._retry_in_background()
        return False

    def settle(self) -> None:
        """Pay it if it is owed (end of every request; cheap when nothing is owed)."""
        if self.marker.exists() and self.attempt():
            self.marker.unlink(missing_ok=True)

    def stop(self, wait: float = 10.0) -> None:
        """No more background retries; wait for one under way to end (an app being disposed:
        its thread must not hold a connection of an engine that is going away). The marker
        stays: a later request of another app or worker pays the debt."""
        self._stopping.set()
        thread = self._thread
        if thread is not None:
            thread.join(wait)

    def _retry_in_background(self) -> None:
        with self._lock:
            if self._retrying or self._stopping.is_set():
                return
            self._retrying = True
            self._thread = threading.Thread(
                target=self._retry, name=f"kenes-owed-{self.name}", daemon=True
            )
        self._thread.start()

    def _retry(self) -> None:
        deadline = time.monotonic() + self._retry_for
        try:
            # Until this thread's own attempt succeeds: another process may have removed the
            # marker after an attempt that came before this process's commit.
            while time.monotonic() < deadline and self._still_wanted():
                if self._stopping.wait(self._every):
                    return
                if self.attempt():
                    self.marker.unlink(missing_ok=True)
                    return
        finally:
            with self._lock:
                self._retrying = False
