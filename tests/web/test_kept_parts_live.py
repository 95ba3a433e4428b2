"""Issue 15: the consultation page's kept part (rendered once, kept by each worker under the
consultation's change counter) is never served stale — through real gunicorn with two workers,
on SQLite and, on the PostgreSQL pass, on a PostgreSQL database of its own.

Before each change both workers are seen serving the page from their kept part (the testing
header `X-Kenes-Kept` names the worker and whether the kept part served it); after it, every
answer of both workers shows the change: a comment added, edited, hidden by staff (from
another process, as from another host), deleted, and a version published. One member never
sees another's edit and delete links or their comment hidden by staff. And two workers answer
signed-in pages at once while another connection holds SQLite's write lock.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from consultations.models import Comment, Member, Role
from consultations.services import comments, consultations
from portal.extensions import db
from tests.conftest import POSTGRES_URL, database_of_its_own
from tests.consultation_fixtures import open_consultation
from tests.factories import PASSPHRASE, make_member
from tests.security.test_ballot_concurrency import (
    CSRF_INPUT,
    Answer,
    LiveClient,
    assert_no_server_error,
    server_app,
    together,
)
from tests.servers import gunicorn

pytestmark = pytest.mark.postgres

DRAFT = """Procedure for referring children.

## Purpose
The mobile group identifies children at risk.

## Referral {#referral}
Refer the child within 24 hours.
"""


@contextmanager
def live(tmp_path: Path, database_url: str) -> Iterator:  # type: ignore[no-untyped-def]
    """gunicorn with two workers on a database of its own (of the pass's engine)."""
    if database_url.startswith("postgresql"):
        with (
            database_of_its_own(POSTGRES_URL, f"kenes_live_{tmp_path.name[-20:]}") as url,
            gunicorn(tmp_path, KENES_WORKERS="2", KENES_DATABASE_URL=url) as server,
        ):
            yield server
        return
    with gunicorn(tmp_path, KENES_WORKERS="2") as server:
        yield server


@contextmanager
def setup_app(server) -> Iterator:  # type: ignore[no-untyped-def]
    """Another process's view of the same database: staff's changes come from here."""
    app = server_app(server)
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def both_workers(client: LiveClient, path: str, want: str) -> list[Answer]:
    """Ask for `path` four at a time until both workers have answered `want` ("kept" or
    "rendered" or "" for either), and return every answer seen."""
    seen: list[Answer] = []
    pids: set[str] = set()
    for _ in range(40):
        answers = together([lambda: client.request("GET", path)] * 4)
        assert_no_server_error(answers)
        seen += answers
        for answer in answers:
            assert answer.status == 200, (path, answer.status, answer.body[:500])
            pid, _, how = answer.kept.partition(" ")
            if not want or how == want:
                pids.add(pid)
        if len(pids) == 2:
            return seen
    raise AssertionError(f"both workers never answered {want!r}: {[a.kept for a in seen]}")


def every_answer(client: LiveClient, path: str, check: Callable[[str], bool]) -> None:
    """After a change: both workers, warm before it, answer with it — every answer."""
    answers = both_workers(client, path, "")
    stale = [a.kept for a in answers if not check(a.body)]
    assert not stale, f"stale pages served by {stale}"


def comment_form(client: LiveClient, path: str) -> str:
    page = client.request("GET", path)
    found = CSRF_INPUT.search(page.body)
    assert found, "no form"
    return found.group(1)


def test_a_kept_part_is_never_served_after_a_change(tmp_path, database_url):
    with live(tmp_path, database_url) as server, setup_app(server) as setup:
        made = open_consultation(setup, text=DRAFT, with_comment=False)
        reader_account = make_member(setup, "Live Reader", passphrase=PASSPHRASE)
        writer_account = make_member(setup, "Live Writer", passphrase=PASSPHRASE)
        staff_id = make_member(setup, "Live Moderator", role=Role.STAFF).id
        reader, writer = LiveClient(server), LiveClient(server)
        reader.sign_in(reader_account)
        writer.sign_in(writer_account)
        page = f"/consultations/{made.public_id}"

        # Added: the writer comments through the site.
        both_workers(reader, page, "kept")
        answer = writer.request(
            "POST",
            f"{page}/comments",
            {
                "text": "Twenty-four hours is too long",
                "stance": "concerns",
                "section": "referral",
                "csrf_token": comment_form(writer, page),
            },
        )
        assert answer.status == 303, re.findall(r"field-error.{0,300}", answer.body, re.S)
        every_answer(reader, page, lambda body: "Twenty-four hours is too long" in body)
        with setup.app_context():
            comment_id = db.session.scalar(select(Comment.id).order_by(Comment.id.desc()))
            db.session.remove()
        # The writer sees their own links; the reader never does, only "Report".
        mine = writer.request("GET", page).body
        assert f"/comments/{comment_id}/edit" in mine
        theirs = [a.body for a in both_workers(reader, page, "kept")]
        assert all(f"/comments/{comment_id}/edit" not in body for body in theirs)
        assert all(f"/comments/{comment_id}/delete" not in body for body in theirs)
        assert all(f"/comments/{comment_id}/report" in body for body in theirs)

        # Edited by its author.
        edit = f"{page}/comments/{comment_id}/edit"
        answer = writer.request(
            "POST",
            edit,
            {
                "text": "Twelve hours at most",
                "stance": "concerns",
                "csrf_token": comment_form(writer, edit),
            },
        )
        assert answer.status == 303, re.findall(r"field-error.{0,300}", answer.body, re.S)
        every_answer(
            reader,
            page,
            lambda body: "Twelve hours at most" in body and "Twenty-four hours" not in body,
        )

        # Hidden by staff, from another process (as from another host).
        both_workers(reader, page, "kept")
        with setup.app_context():
            comments.hide(
                db.session,
                db.session.get(Comment, comment_id),
                actor=db.session.get(Member, staff_id),
                reason="names a place",
                now=setup.extensions["kenes.clock"].now(),
            )
            db.session.commit()
            db.session.remove()
        every_answer(reader, page, lambda body: "Twelve hours at most" not in body)
        # Its author still sees it, with the reason; the reader never does.
        mine = writer.request("GET", page).body
        assert "Twelve hours at most" in mine
        assert "names a place" in mine
        assert all("names a place" not in a.body for a in both_workers(reader, page, "kept"))

        # Deleted by its author (a second comment, published).
        answer = writer.request(
            "POST",
            f"{page}/comments",
            {
                "text": "A second thought",
                "stance": "supports",
                "section": "referral",
                "csrf_token": comment_form(writer, page),
            },
        )
        assert answer.status == 303
        every_answer(reader, page, lambda body: "A second thought" in body)
        with setup.app_context():
            second = db.session.scalar(select(Comment.id).order_by(Comment.id.desc()))
            db.session.remove()
        both_workers(reader, page, "kept")
        delete = f"{page}/comments/{second}/delete"
        answer = writer.request("POST", delete, {"csrf_token": comment_form(writer, delete)})
        assert answer.status == 303, re.findall(r"field-error.{0,300}", answer.body, re.S)
        every_answer(reader, page, lambda body: "A second thought" not in body)

        # A version published, from another process.
        both_workers(reader, page, "kept")
        with setup.app_context():
            consultation = consultations.get(db.session, made.public_id)
            staff = db.session.get(Member, staff_id)
            draft = consultations.working_copy(db.session, consultation)
            consultations.save_draft(
                db.session,
                draft,
                {"en": DRAFT + "\n## Complaints {#complaints}\nA child may complain.\n"},
            )
            consultations.publish(
                db.session,
                consultation,
                draft,
                changelog="Complaints added",
                actor=staff,
                now=setup.extensions["kenes.clock"].now(),
            )
            db.session.commit()
            db.session.remove()
        every_answer(reader, page, lambda body: "A child may complain." in body)
        log = server.error_log.read_text(encoding="utf-8", errors="replace")
        assert "Traceback" not in log


def test_two_workers_answer_signed_in_pages_at_once_beside_a_writer(tmp_path, database_url):
    """Reads take no lock and hold no transaction while they render: with another connection
    holding SQLite's write lock (or, on PostgreSQL, a transaction that has written), both
    workers answer a member's pages, four at a time, promptly."""
    with live(tmp_path, database_url) as server, setup_app(server) as setup:
        made = open_consultation(setup, text=DRAFT)
        account = make_member(setup, "Busy Reader", passphrase=PASSPHRASE)
        client = LiveClient(server)
        client.sign_in(account)
        pages = ["/", "/consultations", f"/consultations/{made.public_id}", "/account"]
        for path in pages:  # the last-seen minute is this one: no GET below writes
            assert client.request("GET", path).status == 200
        with holding_a_writer(server.env["KENES_DATABASE_URL"], setup):
            started = time.monotonic()
            for path in pages:
                both_workers(client, path, "" if "consultations/" not in path else "kept")
            took = time.monotonic() - started
        assert took < 20, f"the pages took {took:.1f} s beside a writer"


@contextmanager
def holding_a_writer(url: str, setup) -> Iterator[None]:  # type: ignore[no-untyped-def]
    if url.startswith("sqlite:///"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            connection.execute("ROLLBACK")
            connection.close()
        return
    with setup.app_context():
        db.session.execute(select(Member).with_for_update())  # rows locked, uncommitted
        try:
            yield
        finally:
            db.session.rollback()
            db.session.remove()
