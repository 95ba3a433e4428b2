"""The website's clock: the real one, or in testing a clock the tests can move.

The movable clock reads its offset from a file named by `KENES_TEST_CLOCK_FILE`, so a test can
move the time of a gunicorn-served app (the browser tests) as easily as of the test client. It is
only ever built when `KENES_ENV=testing` (see `portal.config.load_settings`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from consultations.clock import Clock, SystemClock


class MovableClock:
    """The system time plus an offset in seconds read from a file on each call."""

    def __init__(self, offset_file: Path) -> None:
        self.offset_file = offset_file

    def now(self) -> datetime:
        try:
            offset = float(self.offset_file.read_text(encoding="ascii").strip() or 0)
        except FileNotFoundError:
            offset = 0.0
        return SystemClock().now() + timedelta(seconds=offset)

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward (tests only)."""
        try:
            current = float(self.offset_file.read_text(encoding="ascii").strip() or 0)
        except FileNotFoundError:
            current = 0.0
        self.offset_file.write_text(str(current + delta.total_seconds()), encoding="ascii")


def make_clock(test_clock_file: Path | None) -> Clock:
    return MovableClock(test_clock_file) if test_clock_file else SystemClock()
