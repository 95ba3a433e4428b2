"""The per-pseudonym throttle: a growing wait capped at 15 minutes, in the database, keyed by an
HMAC of what was typed (checklist 15). Time is passed in; nothing sleeps."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from portal.security import throttle
from portal.security.throttle import LoginThrottle

pytestmark = pytest.mark.postgres

SECRET = "7a" * 32
NOW = datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
PSEUDONYM = "Aigerim Nurlanovna"


def key_for(subject: str = PSEUDONYM, kind: str = "login") -> str:
    return throttle.throttle_key(SECRET, kind, subject)


def fail(session, key: str, times: int, at: datetime) -> None:
    for _ in range(times):
        throttle.record_failure(session, key, at)


def fail_as_soon_as_allowed(session, key: str, times: int, start: datetime) -> datetime:
    """Fail `times` times, each as soon as the wait allows; returns the last failure's time."""
    moment = start
    for _ in range(times):
        moment += timedelta(seconds=throttle.seconds_to_wait(session, key, moment))
        throttle.record_failure(session, key, moment)
    return moment


def test_four_failures_cost_nothing(db_session):
    key = key_for()
    fail(db_session, key, 4, NOW)
    assert throttle.seconds_to_wait(db_session, key, NOW) == 0


def test_the_fifth_failure_starts_a_one_minute_wait(db_session):
    key = key_for()
    fail(db_session, key, 5, NOW)
    assert throttle.seconds_to_wait(db_session, key, NOW) == 60
    assert throttle.seconds_to_wait(db_session, key, NOW + timedelta(seconds=45)) == 15
    assert throttle.seconds_to_wait(db_session, key, NOW + timedelta(seconds=59.5)) == 1


def test_the_wait_passes_with_time(db_session):
    key = key_for()
    fail(db_session, key, 5, NOW)
    assert throttle.seconds_to_wait(db_session, key, NOW + timedelta(minutes=1)) == 0
    assert throttle.seconds_to_wait(db_session, key, NOW + timedelta(hours=1)) == 0


def test_waits_double_and_stop_at_15_minutes(db_session):
    key = key_for()
    fail(db_session, key, 4, NOW)
    moment = NOW
    waits = []
    for _ in range(8):
        # Each failure as soon as the previous wait is over: the attacker's fastest pace.
        moment = fail_as_soon_as_allowed(db_session, key, 1, moment)
        waits.append(throttle.seconds_to_wait(db_session, key, moment))
    assert waits == [60, 120, 240, 480, 900, 900, 900, 900]


def test_a_failure_during_a_wait_does_not_lengthen_it(db_session):
    key = key_for()
    fail(db_session, key, 5, NOW)
    fail(db_session, key, 20, NOW + timedelta(seconds=30))
    assert throttle.seconds_to_wait(db_session, key, NOW + timedelta(seconds=30)) == 30
    assert throttle.seconds_to_wait(db_session, key, NOW + timedelta(minutes=1)) == 0


def test_many_failures_never_wait_longer_than_15_minutes(db_session):
    key = key_for()
    moment = NOW
    for _ in range(200):
        moment = fail_as_soon_as_allowed(db_session, key, 1, moment)
        assert throttle.seconds_to_wait(db_session, key, moment) <= 15 * 60


def test_other_keys_are_unaffected(db_session):
    key = key_for()
    fail(db_session, key, 5, NOW)
    assert throttle.seconds_to_wait(db_session, key, NOW) == 60
    assert throttle.seconds_to_wait(db_session, key_for("Someone Else"), NOW) == 0
    assert throttle.seconds_to_wait(db_session, key_for(kind="reset"), NOW) == 0
    assert throttle.seconds_to_wait(db_session, key_for(kind="totp"), NOW) == 0


def test_success_clears_the_count(db_session):
    key = key_for()
    fail(db_session, key, 4, NOW)
    throttle.record_success(db_session, key)
    assert db_session.get(LoginThrottle, key) is None
    throttle.record_failure(db_session, key, NOW)
    assert throttle.seconds_to_wait(db_session, key, NOW) == 0
    assert db_session.get(LoginThrottle, key).failures == 1


def test_success_without_failures_is_harmless(db_session):
    throttle.record_success(db_session, key_for())
    assert db_session.scalar(select(func.count()).select_from(LoginThrottle)) == 0


def test_failures_spread_over_more_than_the_window_never_block(db_session):
    key = key_for()
    moment = NOW
    for _ in range(40):  # one every three minutes for two hours
        throttle.record_failure(db_session, key, moment)
        assert throttle.seconds_to_wait(db_session, key, moment) == 0
        moment += timedelta(minutes=3)


def test_a_quiet_window_after_a_wait_starts_the_count_afresh(db_session):
    key = key_for()
    last = fail_as_soon_as_allowed(db_session, key, 6, NOW)
    assert last == NOW + timedelta(minutes=1)  # and waits two minutes more, until NOW + 3
    later = NOW + timedelta(minutes=3) + throttle.WINDOW
    fail(db_session, key, 4, later)
    assert throttle.seconds_to_wait(db_session, key, later) == 0
    throttle.record_failure(db_session, key, later)
    assert throttle.seconds_to_wait(db_session, key, later) == 60


def test_the_count_goes_on_soon_after_a_wait(db_session):
    key = key_for()
    fail(db_session, key, 5, NOW)
    # Nine minutes after the wait ended, more than ten after the window began: still counting.
    moment = NOW + timedelta(minutes=10)
    throttle.record_failure(db_session, key, moment)
    assert throttle.seconds_to_wait(db_session, key, moment) == 120


def test_purge_removes_only_rows_without_effect(db_session):
    old, blocked_long_ago, blocked_recently, recent = (
        key_for(name) for name in ("old", "blocked long ago", "blocked recently", "recent")
    )
    throttle.record_failure(db_session, old, NOW - timedelta(minutes=30))
    fail(db_session, blocked_long_ago, 5, NOW - timedelta(minutes=30))
    # Window from NOW - 20 min; waits of 1, 2, 4 and 8 minutes, the last until NOW - 5 min.
    last = fail_as_soon_as_allowed(db_session, blocked_recently, 8, NOW - timedelta(minutes=20))
    assert last == NOW - timedelta(minutes=13)
    assert throttle.seconds_to_wait(db_session, blocked_recently, last) == 8 * 60
    throttle.record_failure(db_session, recent, NOW - timedelta(minutes=5))

    assert throttle.purge(db_session, NOW) == 2

    remaining = set(db_session.scalars(select(LoginThrottle.key)))
    assert remaining == {blocked_recently, recent}
    assert throttle.seconds_to_wait(db_session, blocked_recently, NOW) == 0
    assert throttle.purge(db_session, NOW) == 0
    assert throttle.purge(db_session, NOW + timedelta(hours=1)) == 2


def test_table_holds_no_plain_subject(db_session):
    typed = "Aigerim Nurlanovna Bekova"
    fail(db_session, key_for(typed), 5, NOW)
    fail(db_session, key_for("42", kind="totp"), 2, NOW)
    rows = db_session.execute(select(LoginThrottle.__table__)).all()
    assert len(rows) == 2
    for row in rows:
        for value in row:
            text = str(value).casefold()
            assert "aigerim" not in text
            assert "bekova" not in text
    assert {row.key for row in rows} == {key_for(typed), key_for("42", kind="totp")}


def test_throttle_key_is_an_hmac():
    assert key_for() == key_for()
    assert len(key_for()) == 64
    assert int(key_for(), 16) >= 0
    assert key_for() != key_for(kind="reset")
    assert key_for() != key_for("aigerim nurlanovna")
    assert throttle.throttle_key("other secret", "login", PSEUDONYM) != key_for()
    assert PSEUDONYM.casefold() not in key_for().casefold()


def test_throttle_key_refuses_a_kind_with_a_colon():
    with pytest.raises(ValueError, match="kind"):
        throttle.throttle_key(SECRET, "login:x", "y")


def test_times_come_back_aware_in_utc(db_session):
    key = key_for()
    almaty = NOW.astimezone(timezone(timedelta(hours=5)))
    fail(db_session, key, 5, almaty)
    db_session.expire_all()
    row = db_session.get(LoginThrottle, key)
    assert row.window_started_at == NOW
    assert row.window_started_at.tzinfo is not None
    assert row.blocked_until == NOW + timedelta(minutes=1)


def test_naive_now_is_refused(db_session):
    with pytest.raises(ValueError, match="timezone-aware"):
        throttle.record_failure(db_session, key_for(), NOW.replace(tzinfo=None))
