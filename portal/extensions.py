"""Flask extensions, created unbound and initialised by `create_app`.

Flask-SQLAlchemy is given the domain's declarative base, so the models in `consultations` and
the website's own (credentials, sessions) share one metadata, one session and one migration
history.
"""

from __future__ import annotations

from typing import Any

from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

from consultations.db import Base

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


def checkpoint_wal() -> None:
    """Copy the SQLite WAL into the database file and empty it (TRUNCATE).

    With WAL, what a transaction changed lives on in the `-wal` file, frame after frame in
    commit order, until a checkpoint: deleted text (DESIGN §4.6) and the order of ballots
    (checklist 42) would survive there. Runs on a raw connection in autocommit: a checkpoint
    cannot run inside a transaction. Nothing to do on PostgreSQL.
    """
    if db.engine.dialect.name != "sqlite":
        return
    connection = db.engine.raw_connection()
    try:
        connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        connection.close()
