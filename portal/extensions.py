"""Flask extensions, created unbound and initialised by `create_app`.

Flask-SQLAlchemy is given the domain's declarative base, so the models in `consultations` and
the website's own (credentials, sessions) share one metadata, one session and one migration
history.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

from consultations.db import Base
from portal.security.wal import Checkpointer

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
    - BEGIN IMMEDIATE: a deferred transaction that reads and then writes fails at once with
      "database is locked" when another connection committed in between, whatever the busy
      timeout. Taking the write lock at BEGIN makes such a transaction wait its turn instead.
      Readers are not blocked (WAL); writers queue for the few milliseconds a request takes.
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
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _is_memory(engine: Engine) -> bool:
    database = engine.url.database
    return not database or database == ":memory:" or "mode=memory" in str(engine.url)


def wal_checkpointer(engine: Engine) -> Checkpointer | None:
    """The checkpointer of a SQLite database file; None for PostgreSQL or an in-memory one."""
    if engine.dialect.name != "sqlite" or _is_memory(engine):
        return None
    return Checkpointer(Path(engine.url.database or "").resolve())


def checkpoint_wal() -> None:
    """Empty the SQLite WAL now, or as soon as its readers allow (`portal.security.wal`).

    Runs outside any transaction, on a connection of its own. Nothing to do on PostgreSQL.
    """
    checkpointer = current_app.extensions.get("kenes.wal")
    if checkpointer is not None:
        checkpointer.empty_log()


def settle_wal(_error: BaseException | None = None) -> None:
    """End of every request and command: pay a checkpoint owed by any worker. The request's
    own transaction is ended first, so it is not the reader in the way."""
    checkpointer = current_app.extensions.get("kenes.wal")
    if checkpointer is not None:
        db.session.remove()
        checkpointer.settle()


# PostgreSQL keeps a deleted row's old version, with the id of the transaction that deleted it
# (`xmax`), until a vacuum. These tables are rewritten (VACUUM FULL) after a commit that
# deleted from them, because that id is the one of the rows written with the deletion:
# redeeming an invite deletes it in the transaction that creates the account.
POSTGRES_REWRITTEN_AFTER_DELETE = frozenset({"invite"})


def _tables_of(objects: Any) -> set[str]:
    return {getattr(type(o), "__tablename__", "") for o in objects}


def _note_removal(session: Any, _context: Any = None) -> None:
    touched = _tables_of(session.deleted) | _tables_of(session.dirty)
    if touched:
        session.info.setdefault("kenes.removed", set()).update(touched)


def _note_bulk_removal(state: Any) -> None:
    if state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        state.session.info.setdefault("kenes.removed", set()).add(getattr(table, "name", ""))


def _after_removal(session: Any) -> None:
    removed = session.info.pop("kenes.removed", None)
    if not removed:
        return
    checkpoint_wal()
    if db.engine.dialect.name == "postgresql":
        for table in sorted(removed & POSTGRES_REWRITTEN_AFTER_DELETE):
            vacuum_full(table)


def _forget_removal(session: Any) -> None:
    session.info.pop("kenes.removed", None)


def vacuum_full(table: str) -> None:
    """PostgreSQL: rewrite `table` without its dead row versions (autocommit; the table's
    owner, as the site's role is when it ran `db upgrade`)."""
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(f'VACUUM FULL "{table}"')


def watch_removals() -> None:
    """After every commit that deleted or overwrote a row: checkpoint the SQLite WAL, and on
    PostgreSQL rewrite the tables of POSTGRES_REWRITTEN_AFTER_DELETE (DESIGN §4.6).

    Deleting a comment, editing it, hiding or removing it, erasing an account, redeeming an
    invite, renaming, signing out: each leaves the old row's bytes in the `-wal` file until a
    checkpoint. Watching the website's session for any UPDATE or DELETE (flushed objects and
    bulk statements alike), rather than calling a checkpoint from each view, means a new
    feature cannot forget it. Inserts alone remove nothing and are not checkpointed."""
    session_class = db.session.session_factory.class_
    if event.contains(session_class, "after_commit", _after_removal):
        return
    event.listen(session_class, "after_flush", _note_removal)
    event.listen(session_class, "do_orm_execute", _note_bulk_removal)
    event.listen(session_class, "after_commit", _after_removal)
    event.listen(session_class, "after_rollback", _forget_removal)
