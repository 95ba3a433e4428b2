"""What time it is, as the domain sees it.

Services receive a `Clock` instead of calling `datetime.now()`, so tests can move time (session
expiry, TOTP steps, consultation dates) without sleeping, and survivor rows can be given dates
rather than times by the one function that knows how.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


def today(clock: Clock) -> date:
    """The UTC date: what survivor-authored rows store instead of a time (DESIGN §4.4)."""
    return clock.now().date()
