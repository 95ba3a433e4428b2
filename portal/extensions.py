"""Flask extensions, created unbound and initialised by `create_app`.

Flask-SQLAlchemy is given the domain's declarative base, so the models in `consultations` and
the website's own (credentials, sessions) share one metadata, one session and one migration
history.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from flask import Flask, before_render_template, current_app, g, request
from flask_babel import Babel
from flask_login import LoginManager, current_user
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from consultations.db import Base
from portal.security import dead_rows, wal
from portal.security.owed import Owed

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()

# How long a SQLite connection waits for another writer before giving up, in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 15_000


def configure_sqlite(engine: Engine) -> None:
    """Make every SQLite connection safe and privacy-preserving (DESIGN §4.6).

    - foreign_keys: SQLite does not enforce them unless asked, per connection.
    - secure_delete: deleted survivor text is overwritten with zeros, not left in free pages.
    - WAL: readers do not block the writer.
    - busy_timeout: a writer waits for another instead of failing at once.
    - BEGIN IMMEDIATE for every transaction that may write: a deferred transaction that reads
      and then writes fails at once with "database is locked" when another connection
      committed in between, whatever the busy timeout. Taking the write lock at BEGIN makes
      such a transaction wait its turn instead; writers queue for the few milliseconds a
      request takes.
    - A plain (deferred) BEGIN for a request that only reads (`reads_only`: a GET or HEAD,
      issue 15): it takes no write lock, so readers never queue behind each other or behind a
      writer (WAL). Should such a transaction write, `WriteInARead` stops it at once: the
      write belongs inside `writing()`, which takes the lock for its own short transaction.
    """
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's BEGIN (below) be the only transaction control: pysqlite's own
        # implicit BEGIN is deferred.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if not _is_memory(engine):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        deferred = _READS_ONLY.get()
        connection.info["kenes_deferred"] = deferred
        connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")

    @event.listens_for(engine, "before_cursor_execute")
    def _no_write_in_a_read(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if connection.info.get("kenes_deferred") and _WRITES.match(statement):
            raise WriteInARead(
                "a request that only reads wrote to the database: do it inside "
                "`portal.extensions.writing()` (or make the route a POST)"
            )


# Whether the work in hand only reads (set for a GET or HEAD request by `reads_only`): its
# SQLite transactions begin deferred, without the write lock.
_READS_ONLY: ContextVar[bool] = ContextVar("kenes_reads_only", default=False)
_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


class WriteInARead(RuntimeError):
    """A transaction begun without the write lock (a request that only reads) wrote."""


def reading() -> bool:
    return _READS_ONLY.get()


@contextmanager
def writing() -> Iterator[None]:
    """Within a request that only reads, the transactions begun here may write (they take the
    write lock at BEGIN): the session's last-seen minute, say."""
    token = _READS_ONLY.set(False)
    try:
        yield
    finally:
        _READS_ONLY.reset(token)


def reads_only(app: Flask) -> None:
    """A GET or HEAD request's transactions begin without the write lock, for the whole
    request (reset at its end: a worker's next request starts afresh)."""

    @app.before_request
    def _mark() -> None:
        if request.method in ("GET", "HEAD"):
            g.kenes_reads_only = _READS_ONLY.set(True)

    @app.teardown_request
    def _unmark(_error: BaseException | None = None) -> None:
        token = g.pop("kenes_reads_only", None)
        if token is not None:
            _READS_ONLY.reset(token)


def done_before_rendering(app: Flask) -> None:
    """No transaction stays open while a template renders (issue 15). A page loads what it
    shows first; when a template is about to render, a transaction that has written nothing
    ends (committed without expiring what it loaded: there is nothing to commit). On SQLite its
    snapshot then no longer holds a WAL checkpoint back; on PostgreSQL its connection goes back
    to the pool instead of sitting "idle in transaction" while Jinja works. A transaction that
    has written is left to its view, which commits or rolls back."""

    @before_render_template.connect_via(app)
    def _end(_sender: Flask, **_extra: Any) -> None:
        # Who is signed in is asked now, not halfway through the template — and read again
        # now if a rollback (an error page's) expired them.
        member = getattr(current_user._get_current_object(), "member", None)  # noqa: SLF001
        session = db.session()
        if member is not None and member in session and inspect(member).expired_attributes:
            session.refresh(member)
        if (
            not session.in_transaction()
            or session.info.get(_FLUSHED)
            or session.new
            or session.dirty
            or session.deleted
        ):
            return
        expire, session.expire_on_commit = session.expire_on_commit, False
        try:
            session.commit()
        finally:
            session.expire_on_commit = expire


_FLUSHED = "kenes.flushed"


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context: Any) -> None:
    session.info[_FLUSHED] = True


@event.listens_for(Session, "after_transaction_end")
def _transaction_ended(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        session.info.pop(_FLUSHED, None)


def _is_memory(engine: Engine) -> bool:
    database = engine.url.database
    return not database or database == ":memory:" or "mode=memory" in str(engine.url)


def traces_to_clear(engine: Engine, instance: Path) -> dict[str, Owed]:
    """What `leave_no_trace` clears on this database: the SQLite log of a database file (none
    for an in-memory one), or on PostgreSQL the tables of `dead_rows.REWRITTEN`."""
    if engine.dialect.name == "sqlite":
        if _is_memory(engine):
            return {}
        return {"wal": wal.checkpointer(Path(engine.url.database or "").resolve())}
    if not dead_rows.counts_dead_rows(engine):
        raise RuntimeError(
            "PostgreSQL's track_counts is off: Kenes could not tell whether a ballot's old "
            "versions left the table. Turn it back on (it is on by default)."
        )
    return {table: dead_rows.rewriter(engine, table, instance) for table in dead_rows.REWRITTEN}


def leave_no_trace(*tables: str) -> None:
    """Right after a commit that removed or reordered rows: the SQLite log emptied, and on
    PostgreSQL the named tables rewritten without dead row versions — now, or as soon as the
    transactions in the way let it (`portal.security.owed`).

    Runs outside any transaction, on connections of its own."""
    owed = current_app.extensions.get("kenes.traces", {})
    for name in ("wal", *tables):
        if name in owed:
            owed[name].pay()


def settle_traces(_error: BaseException | None = None) -> None:
    """End of every request and command: pay what any worker owes. The request's own
    transaction is ended first, so it is not the reader in the way."""
    owed = current_app.extensions.get("kenes.traces", {})
    if owed:
        db.session.remove()
        for debt in owed.values():
            debt.settle()


# Inserts into these tables are traced too: on SQLite the -wal keeps the frames of new ballots in
# the order they were cast, until a checkpoint.
TRACED_ON_INSERT = frozenset({"ballot"})


def _tables_of(objects: Any) -> set[str]:
    return {getattr(type(o), "__tablename__", "") for o in objects}


def _note_removal(session: Any, _context: Any = None) -> None:
    touched = _tables_of(session.deleted) | _tables_of(session.dirty)
    touched |= _tables_of(session.new) & TRACED_ON_INSERT
    if touched:
        session.info.setdefault("kenes.removed", set()).update(touched)


def _note_bulk_removal(state: Any) -> None:
    table = getattr(getattr(state.statement, "table", None), "name", "")
    if state.is_update or state.is_delete or (state.is_insert and table in TRACED_ON_INSERT):
        state.session.info.setdefault("kenes.removed", set()).add(table)


def _committed(session: Any) -> None:
    removed = session.info.pop("kenes.removed", None)
    if removed:
        session.info.setdefault("kenes.to_clear", set()).update(removed)


def _after_transaction(session: Any, transaction: Any) -> None:
    # After the session has given its connection back: a clean-up that has to wait its turn
    # must not hold one of the pool's connections while it waits.
    if transaction.parent is None and (tables := session.info.pop("kenes.to_clear", None)):
        leave_no_trace(*sorted(tables))


def _forget_removal(session: Any) -> None:
    session.info.pop("kenes.removed", None)


def watch_removals() -> None:
    """After every commit that deleted or overwrote a row, or cast a ballot: `leave_no_trace`
    for the tables it touched (DESIGN §4.6), once the session has let go of its connection.

    Deleting a comment, editing it, hiding or removing it, erasing an account, redeeming an
    invite, renaming, signing out: each leaves the old row's bytes in the `-wal` file until a
    checkpoint; a ballot leaves the order of voting there, and on PostgreSQL the ballots as they
    stood before it in the table's dead row versions; redeeming an invite deletes it in the
    transaction that creates the account. Watching the website's session for any UPDATE or
    DELETE and for inserts into `TRACED_ON_INSERT` (flushed objects and bulk statements alike),
    rather than calling a clean-up from each view, means a new feature cannot forget it.
    Other inserts remove nothing and are not cleared after."""
    session_class = db.session.session_factory.class_
    if event.contains(session_class, "after_commit", _committed):
        return
    event.listen(session_class, "after_flush", _note_removal)
    event.listen(session_class, "do_orm_execute", _note_bulk_removal)
    event.listen(session_class, "after_commit", _committed)
    event.listen(session_class, "after_rollback", _forget_removal)
    event.listen(session_class, "after_transaction_end", _after_transaction)
