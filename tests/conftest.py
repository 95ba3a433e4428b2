"""Fixtures every Kenes test builds on.

The database is real: a SQLite file, or — when `KENES_TEST_DATABASE_URL` is set, as
`make test` does through scripts/with-postgres.sh — a throwaway PostgreSQL server. Tests marked
`postgres` are the database-facing ones that run on both.

- `database_url`: one database for the session, schema created from the models (the migration
  tests prove the migrations build the same schema).
- `app`: a fresh app per test on that database; its tables are emptied afterwards.
- `client`, `runner`: Flask's test client and CLI runner for `app`.
- `csrf_app`, `csrf_client`: the same with CSRF protection on, for the tests that test it.
- `db_session`: a plain SQLAlchemy session for the domain, rolled back after each test.
- `clock`: the movable testing clock the app reads.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from portal import create_app
from portal.clock import MovableClock
from portal.extensions import configure_sqlite, db
from portal.schema import metadata

# Fixed, test-only secrets: 64 hex characters each, never used anywhere else.
TEST_SECRETS = {
    "KENES_SECRET_KEY": "5e" * 32,
    "KENES_BALLOT_SECRET": "b0" * 32,
}

POSTGRES_URL = os.environ.get("KENES_TEST_DATABASE_URL", "")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Compile the kk/ru catalogues if a .po is newer than its .mo (they are not committed)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (
        Path(__file__).resolve().parent.parent.glob("portal/translations/*/LC_MESSAGES/*.po")
    ):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with open(po_path, "rb") as po_file:
            catalog = read_po(po_file)
        with open(mo_path, "wb") as mo_file:
            write_mo(mo_file, catalog)


def pytest_report_header() -> str:
    return f"kenes database: {'PostgreSQL' if POSTGRES_URL else 'SQLite'}"


def make_engine(url: str) -> Engine:
    engine = create_engine(url)
    configure_sqlite(engine)
    return engine


def empty_all_tables(engine: Engine) -> None:
    """Delete every row of every table, children first, and reset id sequences."""
    tables = list(reversed(metadata.sorted_tables))
    if not tables:
        return
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())
            has_sequence = connection.execute(
                text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")
            ).first()
            if has_sequence:
                connection.execute(text("DELETE FROM sqlite_sequence"))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = POSTGRES_URL or f"sqlite:///{tmp_path_factory.mktemp('db') / 'kenes-test.db'}"
    engine = make_engine(url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    engine.dispose()
    return url


@pytest.fixture
def clock(tmp_path: Path) -> MovableClock:
    return MovableClock(tmp_path / "clock-offset")


def _app_config(database_url: str, tmp_path: Path, clock: MovableClock) -> dict[str, object]:
    return {
        "KENES_ENV": "testing",
        "KENES_DATABASE_URL": database_url,
        "KENES_INSTANCE_PATH": str(tmp_path / "instance"),
        "KENES_SEARCH_DIR": str(tmp_path / "search"),
        "KENES_TEST_CLOCK_FILE": str(clock.offset_file),
        "KENES_QUICK_EXIT_URL": "https://neutral.example/",
        **TEST_SECRETS,
    }


class EnglishClient(FlaskClient):
    """A test client whose browser asks for English, so assertions can quote the source
    strings; tests about languages set their own Accept-Language or cookie."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.environ_base.setdefault("HTTP_ACCEPT_LANGUAGE", "en")


def _make_app(config: dict[str, object]) -> Iterator:
    app = create_app(config)
    app.test_client_class = EnglishClient
    yield app
    with app.app_context():
        db.session.remove()
        empty_all_tables(db.engine)
        db.engine.dispose()


@pytest.fixture
def app(database_url: str, tmp_path: Path, clock: MovableClock):
    yield from _make_app({**_app_config(database_url, tmp_path, clock), "WTF_CSRF_ENABLED": False})


@pytest.fixture
def csrf_app(database_url: str, tmp_path: Path, clock: MovableClock):
    yield from _make_app({**_app_config(database_url, tmp_path, clock), "WTF_CSRF_ENABLED": True})


@pytest.fixture
def app_factory(database_url: str, tmp_path: Path, clock: MovableClock):
    """Build apps with other settings (production, development…) on the test database.

    `app_factory(KENES_ENV="production")` returns a new app; each is cleaned up after the test.
    """
    made = []

    def make(**overrides: object):
        config = {**_app_config(database_url, tmp_path, clock), "WTF_CSRF_ENABLED": False}
        config.update(overrides)
        if overrides.get("KENES_ENV", "testing") != "testing":
            config.pop("KENES_TEST_CLOCK_FILE")
        app = create_app(config)
        app.test_client_class = EnglishClient
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    if made:
        engine = make_engine(database_url)
        empty_all_tables(engine)
        engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_client(csrf_app):
    return csrf_app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db_session(database_url: str) -> Iterator[Session]:
    """A session for domain tests; everything it does is rolled back afterwards."""
    engine = make_engine(database_url)
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()
        engine.dispose()
