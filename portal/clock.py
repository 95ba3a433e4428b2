"""The website's clock: the real one, or in testing a clock the tests can move.

The testing clock stands still: a fixed base instant plus an offset in seconds read from a
file named by `KENES_TEST_CLOCK_FILE`. So time moves only when a test moves it — a minute- or
day-granular column cannot change under a test because the wall clock crossed a boundary
(issue 9) — and a test can move the time of a gunicorn-served app (the browser tests) as easily
as of the test client. It is only ever built when `KENES_ENV=testing` (see
`portal.config.load_settings`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import current_app, g, has_request_context

from consultations.clock import Clock, SystemClock

# A Wednesday, mid-minute and mid-morning in UTC, mid-afternoon in Almaty (UTC+5): no minute,
# hour or day boundary is near unless a test moves the clock across one.
TESTING_BASE = datetime(2026, 6, 10, 10, 0, 30, tzinfo=UTC)


class MovableClock:
    """TESTING_BASE plus an offset in seconds read from a file on each call."""

    def __init__(self, offset_file: Path) -> None:
        self.offset_file = offset_file

    def offset(self) -> float:
        try:
            return float(self.offset_file.read_text(encoding="ascii").strip() or 0)
        except FileNotFoundError:
            return 0.0

    def now(self) -> datetime:
        return TESTING_BASE + timedelta(seconds=self.offset())

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward (tests only)."""
        self.offset_file.write_text(str(self.offset() + delta.total_seconds()), encoding="ascii")


def make_clock(test_clock_file: Path | None) -> Clock:
    return MovableClock(test_clock_file) if test_clock_file else SystemClock()


def now() -> datetime:
    """The request's one reading of the time (DESIGN §2): read once, kept on `g`, so a page's
    status, "can comment" and its decisions are all decided at the same instant, even across a
    closing time. Outside a request (commands), each call reads the clock.

    A ballot reads the clock itself, after taking its lock (`ballots.cast`): that one must be
    the time at which the ballot is written, not the time the request began."""
    clock = current_app.extensions["kenes.clock"]
    if not has_request_context():
        return clock.now()
    if "kenes_now" not in g:
        g.kenes_now = clock.now()
    return g.kenes_now
