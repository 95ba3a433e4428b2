"""Issue 15: no transaction stays open while a template renders — seen by another connection
at the moment each page's template has rendered (before the response leaves).

On PostgreSQL the observer asks `pg_stat_activity` whether any other client of the database is
inside a transaction (PostgreSQL's own autovacuum workers are not clients). On SQLite it writes
a row and asks for a full checkpoint that truncates the log, without waiting: a request still
holding its read snapshot would make the checkpoint fail (the audit's silently failing
checkpoint), and a request holding the write lock would make the write fail. Every GET route of
the route table is rendered, as a member and as staff, plus a consultation page the first time
(its kept part rendered) and again (kept).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from flask import request, template_rendered
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from tests.consultation_fixtures import open_consultation
from tests.routes import example_url, routes_for
from tests.web.test_routes import client_as

pytestmark = pytest.mark.postgres


def _sqlite_observer(path: str) -> Callable[[], str | None]:
    connection = sqlite3.connect(path, isolation_level=None, timeout=0)
    connection.execute("PRAGMA busy_timeout = 0")
    connection.execute("CREATE TABLE IF NOT EXISTS observer_mark (n INTEGER)")

    def look() -> str | None:
        try:
            connection.execute("INSERT INTO observer_mark VALUES (1)")
        except sqlite3.OperationalError as refused:
            return f"the write lock is held: {refused}"
        busy, log, done = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy or log != done:
            return f"a reader holds the log back (busy={busy}, log={log}, done={done})"
        return None

    return look


def _postgres_observer(url: str) -> Callable[[], str | None]:
    engine = create_engine(url, poolclass=NullPool)

    def look() -> str | None:
        with engine.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT state, left(query, 80) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND backend_type = 'client backend' AND xact_start IS NOT NULL"
                )
            ).all()
        return f"open transactions: {found}" if found else None

    return look


@contextmanager
def observed(app, database_url: str) -> Iterator[list[tuple[str, str | None]]]:  # type: ignore[no-untyped-def]
    look = (
        _sqlite_observer(database_url.removeprefix("sqlite:///"))
        if database_url.startswith("sqlite")
        else _postgres_observer(database_url)
    )
    seen: list[tuple[str, str | None]] = []

    def rendered(_sender, template, **_extra) -> None:  # type: ignore[no-untyped-def]
        seen.append((f"{request.path} {template.name}", look()))

    with template_rendered.connected_to(rendered, app):
        yield seen


@pytest.mark.parametrize("role", ["member", "staff"])
def test_no_page_renders_inside_a_transaction(app, clock, database_url, role):
    made = open_consultation(app)
    client = client_as(app, role, clock)
    clock.advance(timedelta(minutes=2))  # the first page moves last-seen: a write of its own
    with observed(app, database_url) as seen:
        for _ in range(2):  # the consultation page rendered, then kept
            with client.get(f"/consultations/{made.public_id}") as response:
                assert response.status_code == 200
        for route in routes_for("GET"):
            url = example_url(app, route)
            with client.get(url) as response:
                assert response.status_code < 500, url
    assert len(seen) > 40, "the observer saw too few pages to mean anything"
    problems = [(name, found) for name, found in seen if found is not None]
    assert not problems, problems
