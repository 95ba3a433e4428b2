"""Issue 15: a request that only reads never takes SQLite's write lock. Seen from outside:
another connection holds the write lock (a writer in another worker, a backup's restore), and
a signed-in member's pages still answer at once; a GET that would write without `writing()`
is stopped rather than left to fail under load."""

from __future__ import annotations

import sqlite3
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from portal.extensions import WriteInARead, db
from tests.consultation_fixtures import open_consultation
from tests.factories import make_member, sign_in


@pytest.fixture
def database_file(database_url: str) -> Path:
    if not database_url.startswith("sqlite:///"):
        pytest.fail("SQLite's write lock is SQLite's (these tests are not marked postgres)")
    return Path(database_url.removeprefix("sqlite:///"))


class WriteLockHolder:
    """Another connection that has taken the write lock and keeps it."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None, timeout=0.1)
        self.connection.execute("BEGIN IMMEDIATE")

    def leave(self) -> None:
        self.connection.execute("ROLLBACK")
        self.connection.close()


def test_signed_in_pages_answer_while_another_connection_holds_the_write_lock(
    app, clock, database_file
):
    made = open_consultation(app)
    member = app.test_client()
    sign_in(member, make_member(app, "Reader Beside A Writer"), clock)
    pages = ("/", "/consultations", f"/consultations/{made.public_id}", "/account", "/records")
    for path in pages:  # warm: the last-seen minute is already this one
        assert member.get(path).status_code == 200
    holder = WriteLockHolder(database_file)
    try:
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            sqlite3.connect(database_file, timeout=0.1).execute("BEGIN IMMEDIATE")
        for path in pages:
            started = time.monotonic()
            response = member.get(path)
            took = time.monotonic() - started
            assert response.status_code == 200, path
            assert took < 2, f"{path} waited {took:.1f} s for the write lock"
    finally:
        holder.leave()


def test_a_due_last_seen_minute_is_written_in_its_own_short_transaction(app, clock):
    made = open_consultation(app)
    member = app.test_client()
    sign_in(member, make_member(app, "Minute Keeper"), clock)
    with app.app_context():
        before = db.session.execute(text("SELECT last_seen_at FROM auth_session")).scalars().all()
        db.session.remove()
    clock.advance(timedelta(minutes=3))
    assert member.get(f"/consultations/{made.public_id}").status_code == 200
    with app.app_context():
        after = db.session.execute(text("SELECT last_seen_at FROM auth_session")).scalars().all()
        db.session.remove()
    assert after != before  # moved on, by the GET, without a WriteInARead


@pytest.mark.alters_app
def test_a_get_that_writes_without_saying_so_is_stopped(app, database_file):
    @app.get("/test-writes-in-a-read")
    def writes():  # type: ignore[no-untyped-def]
        db.session.execute(text("UPDATE public_number SET last = last WHERE 1 = 0"))
        return "wrote"

    with pytest.raises(WriteInARead):
        app.test_client().get("/test-writes-in-a-read")
