"""SQLite's `-wal` file, read as someone who copies the files of a seized server would read it
(issue 9, items 4 and 5; DESIGN §4.6).

- A ballot cast while another connection holds a read transaction no longer waits 15 s for a
  checkpoint that then fails: it answers at once, owes the checkpoint, and the frames leave the
  `-wal` as soon as the reader is gone — by the background retry, or by the next request.
- Every write that removes survivor text (a comment deleted, edited, hidden or removed; an
  account erased) leaves the `-wal` empty, and the old text is in neither file.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from consultations.models import Comment, DecisionKind, Role
from portal.extensions import db
from portal.security import owed
from tests.consultation_fixtures import open_consultation
from tests.decision_fixtures import open_decision, vote
from tests.factories import make_member, sign_in


@pytest.fixture
def files(database_url: str) -> tuple[Path, Path]:
    if not database_url.startswith("sqlite:///"):
        pytest.fail("the -wal tests need the SQLite database (they are not marked postgres)")
    path = Path(database_url.removeprefix("sqlite:///"))
    return path, path.with_name(path.name + "-wal")


def _wal_size(wal_file: Path) -> int:
    return wal_file.stat().st_size if wal_file.exists() else 0


class Reader:
    """Another connection in the middle of a read transaction, e.g. a backup or a shell."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.execute("BEGIN")
        self.connection.execute("SELECT count(*) FROM member").fetchall()

    def leave(self) -> None:
        self.connection.execute("COMMIT")
        self.connection.close()


def _signed_in(app, name: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    sign_in(client, make_member(app, name))
    return client


def test_a_vote_does_not_wait_for_a_reader_and_its_frames_leave_after_it(app, files):
    path, wal_file = files
    made = open_decision(app, DecisionKind.PROPOSAL)
    client = _signed_in(app, "Voter Beside A Reader")
    client.get(made.url)
    reader = Reader(path)
    try:
        started = time.monotonic()
        assert vote(client, made, 1).status_code == 303
        took = time.monotonic() - started
        assert took < 5, f"the vote waited {took:.1f} s for the reader"
        assert _wal_size(wal_file) > 0  # the reader still holds the frames …
        assert path.with_name(path.name + "-checkpoint-owed").exists()  # … and it is owed
    finally:
        reader.leave()
    # The retry empties the -wal, then crosses the debt off: wait for both (an observer that
    # looked between the two steps once saw the marker still there).
    marker = path.with_name(path.name + "-checkpoint-owed")
    deadline = time.monotonic() + 5
    while (_wal_size(wal_file) or marker.exists()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _wal_size(wal_file) == 0, "the background retry did not empty the -wal"
    assert not marker.exists(), "the background retry emptied the -wal but still owes it"


def test_the_next_request_pays_an_owed_checkpoint(app, files, monkeypatch):
    """Without the background retry (as when the worker that owed it has ended), any later
    request, in any worker, empties the log once the reader is gone."""
    path, wal_file = files
    monkeypatch.setattr(owed.Owed, "_retry_in_background", lambda self: None)
    made = open_decision(app, DecisionKind.SINGLE)
    client = _signed_in(app, "Voter Before A Request")
    client.get(made.url)
    reader = Reader(path)
    try:
        assert vote(client, made, 2).status_code == 303
    finally:
        reader.leave()
    assert _wal_size(wal_file) > 0
    assert app.test_client().get("/about").status_code == 200
    assert _wal_size(wal_file) == 0
    assert not path.with_name(path.name + "-checkpoint-owed").exists()


def _comment(app, client, public_id: str, text: str) -> int:
    posted = client.post(
        f"/consultations/{public_id}/comments",
        data={"text": text, "stance": "concerns", "section": "referral"},
    )
    assert posted.status_code == 303
    with app.app_context():
        found = db.session.scalar(select(Comment.id).where(Comment.text == text))
        db.session.remove()
    assert found is not None
    return found


def _staff(app, clock):  # type: ignore[no-untyped-def]
    client = app.test_client()
    sign_in(client, make_member(app, "Careful Moderator", role=Role.STAFF, two_factor=True), clock)
    return client


@pytest.mark.parametrize("action", ["delete", "edit", "hide", "remove"])
def test_removing_survivor_text_leaves_the_wal_empty(app, clock, files, action):
    path, wal_file = files
    made = open_consultation(app, with_comment=False)
    author = _signed_in(app, "Writer Of Words")
    words = f"Quindecimal lanterns by the {action} crossing"
    comment_id = _comment(app, author, made.public_id, words)
    base = f"/consultations/{made.public_id}/comments/{comment_id}"
    if action == "delete":
        response = author.post(f"{base}/delete")
    elif action == "edit":
        response = author.post(f"{base}/edit", data={"text": "plain words", "stance": "other"})
    else:
        staff = _staff(app, clock)
        data = {"reason": "It names a place."} if action == "hide" else {}
        response = staff.post(f"/staff/moderation/{comment_id}/{action}", data=data)
    assert response.status_code == 303
    assert _wal_size(wal_file) == 0
    if action != "hide":  # a hidden comment is kept, to be restored or removed
        assert words.encode() not in path.read_bytes()
