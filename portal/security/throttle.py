"""A growing wait after repeated failures, per pseudonym typed, kept in the database (checklist 15).

Keyed by what was typed, whether or not such a member exists: the wait itself then tells a
stranger nothing. Kept in the database, so every worker sees the same count and a restart does
not reset it. Never keyed by an address — Kenes stores none — and never a lockout: a member who
forgot their passphrase, or whose pseudonym someone else is guessing, waits at most 15 minutes.

Five failures within ten minutes are free; the fifth starts a wait of one minute, and each
further failure while the count runs doubles it, up to 15 minutes. The count runs until ten
minutes have passed since the window started and since the last wait ended; then it starts
afresh, and `purge` may delete the row, which has no effect left.

The key is an HMAC of the typed name under a server secret, never the name itself: people do
type their real name into a sign-in form, and this table must not keep it. Rows hold times,
not dates, because a wait needs them; they are operational, not a member's, and purged soon.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import UTC, datetime, timedelta

from sqlalchemy import String, delete, or_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from consultations.db import Base, UtcDateTime

FAILURES_ALLOWED = 5
WINDOW = timedelta(minutes=10)
FIRST_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(minutes=15)
# 2^4 minutes already exceeds MAX_DELAY; bounding the exponent keeps a long attack's ever
# larger count from overflowing timedelta.
_MAX_DOUBLINGS = 4

# Kenes runs on these two; both can insert a row unless it exists, in one statement.
_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class LoginThrottle(Base):
    """Recent failures for one key; no row means no recent failure."""

    __tablename__ = "login_throttle"

    # HMAC-SHA256 hex of kind and subject (see throttle_key).
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    window_started_at: Mapped[datetime] = mapped_column(UtcDateTime)
    blocked_until: Mapped[datetime | None] = mapped_column(UtcDateTime)


def throttle_key(secret: str, kind: str, subject: str) -> str:
    """The row's key: HMAC-SHA256(secret, "kind:subject") in hex.

    `kind` keeps throttles apart ("login" and "reset" by the normalized pseudonym typed, "totp"
    by member id). Keyed with a server secret, so a dump of the table cannot be checked against
    a list of names without that secret.
    """
    if ":" in kind:
        raise ValueError("kind must not contain ':'")
    message = f"{kind}:{subject}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def seconds_to_wait(session: Session, key: str, now: datetime) -> int:
    """Whole seconds before `key` may try again; 0 when it may try now."""
    now = _utc(now)
    row = session.get(LoginThrottle, key)
    if row is None or row.blocked_until is None:
        return 0
    return max(0, math.ceil((row.blocked_until - now).total_seconds()))


def record_failure(session: Session, key: str, now: datetime) -> None:
    """Count a failed attempt, and start or lengthen the wait from the fifth on.

    Callers check `seconds_to_wait` first and check nothing while a wait runs. A failure
    recorded during a wait anyway is ignored: it was never a real attempt, and counting it would
    let anyone who knows a pseudonym stretch its owner's wait at will.
    """
    now = _utc(now)
    row = _locked_row(session, key, now)
    if _spent(row, now):
        row.failures = 0
        row.window_started_at = now
        row.blocked_until = None
    elif row.blocked_until is not None and row.blocked_until > now:
        return
    row.failures += 1
    if row.failures >= FAILURES_ALLOWED:
        doublings = min(row.failures - FAILURES_ALLOWED, _MAX_DOUBLINGS)
        row.blocked_until = now + min(FIRST_DELAY * 2**doublings, MAX_DELAY)
    session.flush()


def record_success(session: Session, key: str) -> None:
    """Forget the failures of `key`: the right passphrase or code was given."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))
    session.flush()


def purge(session: Session, now: datetime) -> int:
    """Delete the rows that no longer have any effect; returns how many.

    That is, rows whose window started and whose wait (if any) ended at least WINDOW ago: the
    next failure would start afresh anyway, so keeping them would only keep a trace.
    """
    cutoff = _utc(now) - WINDOW
    result = session.execute(
        delete(LoginThrottle)
        .where(
            LoginThrottle.window_started_at <= cutoff,
            or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until <= cutoff),
        )
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    return result.rowcount or 0


def _spent(row: LoginThrottle, now: datetime) -> bool:
    """Whether the count has run out (the same test as `purge`'s)."""
    window_over = now >= row.window_started_at + WINDOW
    wait_over = row.blocked_until is None or now >= row.blocked_until + WINDOW
    return window_over and wait_over


def _locked_row(session: Session, key: str, now: datetime) -> LoginThrottle:
    """The key's row, created empty if missing, locked until the transaction ends.

    Insert-unless-present and then SELECT … FOR UPDATE (PostgreSQL; SQLite's BEGIN IMMEDIATE
    already serializes writers), so failures sent in parallel are all counted instead of
    overwriting each other, and two first failures cannot both try to insert.
    """
    insert = _INSERT[session.get_bind().dialect.name]
    session.execute(
        insert(LoginThrottle)
        .values(key=key, failures=0, window_started_at=now, blocked_until=None)
        .on_conflict_do_nothing(index_elements=[LoginThrottle.key])
    )
    row = session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)
    if row is None:  # pragma: no cover — inserted or found just above
        raise RuntimeError("throttle row vanished")
    return row


def _utc(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(UTC)
