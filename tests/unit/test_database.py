"""The database connection: SQLite's safety pragmas, write transactions that wait their turn
instead of failing, and the domain's models seen by Flask-SQLAlchemy through one metadata."""

import threading

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, select, text

from consultations.db import Base
from portal.extensions import db
from portal.security.fingerprint import SecretFingerprint
from tests.conftest import make_engine


@pytest.mark.postgres
def test_flask_sqlalchemy_shares_the_domain_metadata(app):
    assert db.metadata is Base.metadata
    assert db.Model.metadata is Base.metadata
    with app.app_context():
        db.session.add(SecretFingerprint(name="shared", fingerprint="f" * 64))
        db.session.commit()
        assert (
            db.session.scalar(
                select(SecretFingerprint.fingerprint).where(SecretFingerprint.name == "shared")
            )
            == "f" * 64
        )


def test_sqlite_connections_are_hardened(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    with engine.connect() as connection:

        def pragma(name):
            return connection.exec_driver_sql(f"PRAGMA {name}").scalar()

        assert pragma("foreign_keys") == 1
        assert pragma("secure_delete") == 1
        assert pragma("journal_mode") == "wal"
        assert pragma("busy_timeout") >= 5000
    engine.dispose()


def test_the_app_engine_is_hardened_too(app):
    # Not marked `postgres`: the app fixture is on SQLite in this run.
    with app.app_context(), db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def run_together(functions) -> None:
    threads = [threading.Thread(target=function) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive()


def _counter_table(engine):
    metadata = MetaData()
    table = Table(
        "counter", metadata, Column("id", Integer, primary_key=True), Column("value", Integer)
    )
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(table.insert().values(id=1, value=0))
    return table


def test_read_then_write_transactions_wait_instead_of_failing(tmp_path):
    """Two transactions each read the counter, then write it. With a deferred BEGIN the second
    writer fails at once with "database is locked" (SQLITE_BUSY_SNAPSHOT) whatever the busy
    timeout; with BEGIN IMMEDIATE it waits, and no increment is lost."""
    engine = make_engine(f"sqlite:///{tmp_path / 'race.db'}")
    table = _counter_table(engine)
    first_has_read = threading.Event()
    errors: list[BaseException] = []

    def increment(wait_for_other: bool) -> None:
        try:
            with engine.begin() as connection:
                value = connection.execute(select(table.c.value)).scalar_one()
                if wait_for_other:
                    first_has_read.set()
                connection.execute(table.update().values(value=value + 1))
        except BaseException as error:  # noqa: BLE001 — reported to the main thread
            errors.append(error)

    def second() -> None:
        first_has_read.wait(timeout=10)
        increment(False)

    run_together([lambda: increment(True), second])
    assert errors == []
    with engine.connect() as connection:
        assert connection.execute(select(table.c.value)).scalar_one() == 2
    engine.dispose()


def test_many_concurrent_writers_all_succeed(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'many.db'}")
    table = _counter_table(engine)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(20):
                with engine.begin() as connection:
                    value = connection.execute(select(table.c.value)).scalar_one()
                    connection.execute(table.update().values(value=value + 1))
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    run_together([work] * 6)
    assert errors == []
    with engine.connect() as connection:
        assert connection.execute(select(table.c.value)).scalar_one() == 120
        assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    engine.dispose()
