"""Sign-in history is not kept (issue 9, item 6) — read from the database, as a dump shows it.

- Session rows hold no time finer than the minute.
- Expired sessions, spent throttle rows and long-expired invitations disappear without anyone
  running a command: the site purges them after a POST that succeeded, at most once an hour
  (never after a refused one, which changes nothing).
- `KENES_RETENTION_DAYS` is how long an expired or revoked invitation stays visible to staff.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.accounts import credentials
from portal.accounts.models import AuthSession, Invite
from portal.extensions import db
from portal.security.throttle import LoginThrottle
from tests.factories import make_member, sign_in

pytestmark = pytest.mark.postgres


def _count(app, model, *where) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        found = db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0
        db.session.remove()
    return found


def _sessions_of(app, member_id: int) -> int:
    return _count(app, AuthSession, AuthSession.member_id == member_id)


def _fail_sign_in(app) -> None:
    """A stranger's failed sign-in: a throttle row for the name typed."""
    response = app.test_client().post(
        "/auth/login", data={"pseudonym": "Nobody Here", "passphrase": "not the one"}
    )
    assert response.status_code == 400


def _post(app) -> None:
    """Any POST that succeeds, by anyone: here a visitor's quick exit."""
    assert app.test_client().post("/quick-exit").status_code == 303


def test_session_rows_hold_minutes_not_seconds(app, clock):
    clock.advance(timedelta(seconds=37, microseconds=123))
    account = make_member(app, "Minute Keeper", two_factor=True)
    client = app.test_client()
    sign_in(client, account, clock)
    with app.app_context():
        rows = list(db.session.scalars(select(AuthSession)))
        db.session.remove()
    assert rows
    for row in rows:
        for moment in (row.created_at, row.last_seen_at, row.confirmed_at, row.expires_at):
            assert (moment.second, moment.microsecond) == (0, 0), row


def test_expired_sessions_and_spent_throttles_go_by_themselves_at_most_hourly(app, clock):
    early = make_member(app, "Early Reader")
    sign_in(app.test_client(), early)  # this POST ran the first housekeeping
    _fail_sign_in(app)
    assert _count(app, LoginThrottle) == 1
    clock.advance(timedelta(hours=13))  # the session has expired, the throttle is spent
    assert _sessions_of(app, early.id) == 1  # nothing has run since
    _post(app)  # an hour has passed since the last run: this one purges
    assert _sessions_of(app, early.id) == 0
    assert _count(app, LoginThrottle) == 0
    later = make_member(app, "Later Reader")
    sign_in(app.test_client(), later)
    clock.advance(timedelta(minutes=40))  # idle for 40 minutes: expired
    _post(app)
    assert _sessions_of(app, later.id) == 1  # less than an hour since the last run
    clock.advance(timedelta(minutes=21))
    _post(app)
    assert _sessions_of(app, later.id) == 0


def test_invitations_stay_the_retention_days_after_they_expire(app_factory, clock):
    app = app_factory(KENES_RETENTION_DAYS="3")
    with app.app_context():
        now = clock.now()
        for days in (1, 10):
            credentials.issue_invites(
                db.session, role="member", count=1, days=days, issued_by=None, now=now
            )
        db.session.commit()
        db.session.remove()
    clock.advance(timedelta(days=3, hours=23))  # the 1-day code expired 2 days 23 hours ago
    _post(app)
    assert _count(app, Invite) == 2
    clock.advance(timedelta(hours=2))  # now 3 days and 1 hour ago
    _post(app)
    assert _count(app, Invite) == 1  # the 10-day one stays
