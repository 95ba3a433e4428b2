"""Fixtures every Kenes test builds on.

The database is real: a SQLite file, or — when `KENES_TEST_DATABASE_URL` is set, as
`make test` does through scripts/with-postgres.sh — a throwaway PostgreSQL server. Tests marked
`postgres` are the database-facing ones that run on both.

- `database_url`: one database for the session, schema created from the models (the migration
  tests prove the migrations build the same schema).
- `app`: the session's app on that database (one per configuration, built once), made as new
  after each test: tables emptied, the fingerprint recorded again, the clock set back, the
  instance folder as `create_app` left it. A test marked `alters_app` (it adds a route or a
  hook, or changes the config) gets a fresh app of its own instead.
- `client`, `runner`: Flask's test client and CLI runner for `app`.
- `csrf_app`, `csrf_client`: the same with CSRF protection on, for the tests that test it.
- `db_session`: a plain SQLAlchemy session for the domain, rolled back after each test.
- `clock`: the movable testing clock the app reads.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from portal import create_app
from portal.clock import MovableClock
from portal.extensions import configure_sqlite, db
from portal.schema import metadata
from portal.security import fingerprint

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
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The session's database. Under pytest-xdist each worker has its own: a SQLite file in its
    own temporary folder, or on PostgreSQL a database of its own on the same server."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if POSTGRES_URL and worker:
        with database_of_its_own(POSTGRES_URL, f"kenes_test_{worker}") as url:
            yield _with_schema(url)
        return
    yield _with_schema(
        POSTGRES_URL or f"sqlite:///{tmp_path_factory.mktemp('db') / 'kenes-test.db'}"
    )


def _with_schema(url: str) -> str:
    engine = make_engine(url)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    engine.dispose()
    return url


@contextmanager
def database_of_its_own(server_url: str, name: str) -> Iterator[str]:
    """A new database on the server of `server_url`, dropped afterwards."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def app_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of the session's shared apps: their instance folder and the clock file."""
    return tmp_path_factory.mktemp("app")


@pytest.fixture
def clock(app_home: Path) -> MovableClock:
    """The testing clock, back at TESTING_BASE for every test."""
    clock = MovableClock(app_home / "clock-offset")
    clock.offset_file.unlink(missing_ok=True)
    return clock


def _app_config(database_url: str, home: Path, clock: MovableClock) -> dict[str, object]:
    return {
        "KENES_ENV": "testing",
        "KENES_DATABASE_URL": database_url,
        "KENES_INSTANCE_PATH": str(home / "instance"),
        "KENES_SEARCH_DIR": str(home / "search"),
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


def _build_app(config: dict[str, object]):  # type: ignore[no-untyped-def]
    app = create_app(config)
    app.test_client_class = EnglishClient
    return app


def _dispose(app) -> None:  # type: ignore[no-untyped-def]
    for debt in app.extensions.get("kenes.traces", {}).values():
        debt.stop()  # a background retry must not outlive the engine it uses
    if "kenes.search" in app.extensions:
        app.extensions["kenes.search"].close()  # its kept searchers' files
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _shape(app) -> tuple:  # type: ignore[no-untyped-def]
    """What a test could change in an app and leave behind for the next: routes, hooks,
    config, extensions, template globals."""
    hooks = (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs)
    return (
        sorted(f"{rule.rule} {rule.endpoint}" for rule in app.url_map.iter_rules()),
        [{key: len(funcs) for key, funcs in hook.items()} for hook in hooks],
        {key: repr(value) for key, value in app.config.items()},
        {key: id(value) for key, value in app.extensions.items()},
        {key: id(value) for key, value in app.jinja_env.globals.items()},
    )


def _record_fingerprint(app) -> None:  # type: ignore[no-untyped-def]
    """What `create_app` writes to the database: the ballot secret's fingerprint. Another
    test's clean-up may have emptied the tables since."""
    with app.app_context():
        fingerprint.check_or_record(
            db.session, fingerprint.BALLOT_SECRET, app.config["KENES"].ballot_secret
        )
        db.session.commit()
        db.session.remove()


def _as_new(app) -> None:  # type: ignore[no-untyped-def]
    """Put a shared app's database and instance folder back as they were before the test:
    every table empty, no housekeeping marker."""
    with app.app_context():
        db.session.remove()
        empty_all_tables(db.engine)
    instance = Path(app.instance_path)
    for path in instance.iterdir():
        if path.name not in _INSTANCE_FILES_AT_START:
            path.unlink()
    # The search index followed the database the test filled: it goes with it.
    shutil.rmtree(app.config["KENES"].search_dir, ignore_errors=True)


# What `create_app` itself writes to the instance folder.
_INSTANCE_FILES_AT_START = {"secrets.json"}


@pytest.fixture(scope="session")
def _shared_apps() -> Iterator[dict[bool, tuple]]:
    """One app per configuration (CSRF off, CSRF on) for the whole session: building an app
    (URL map, Jinja templates, SQLAlchemy's statement cache) cost more than most tests."""
    apps: dict[bool, tuple] = {}
    yield apps
    for app, _shape_at_start in apps.values():
        _dispose(app)


def _app_for(request: pytest.FixtureRequest, csrf_on: bool) -> Iterator:
    """The session's shared app, made as new for this test; a fresh app of its own for a test
    marked `alters_app` (one that adds a route, a hook or changes the config)."""
    database_url = request.getfixturevalue("database_url")
    clock = request.getfixturevalue("clock")
    config = {
        **_app_config(database_url, request.getfixturevalue("app_home"), clock),
        "WTF_CSRF_ENABLED": csrf_on,
    }
    if request.node.get_closest_marker("alters_app"):
        config["KENES_INSTANCE_PATH"] = str(request.getfixturevalue("tmp_path") / "instance")
        config["KENES_SEARCH_DIR"] = str(request.getfixturevalue("tmp_path") / "search")
        app = _build_app(config)
        try:
            yield app
        finally:
            with app.app_context():
                db.session.remove()
                empty_all_tables(db.engine)
            _dispose(app)
        return
    apps = request.getfixturevalue("_shared_apps")
    if csrf_on not in apps:
        app = _build_app(config)
        apps[csrf_on] = app, _shape(app)
    app, shape = apps[csrf_on]
    _record_fingerprint(app)
    try:
        yield app
    finally:
        _as_new(app)
        if _shape(app) != shape:
            del apps[csrf_on]
            _dispose(app)
            pytest.fail(
                f"{request.node.nodeid} changed the shared app: mark it `alters_app`",
                pytrace=False,
            )


@pytest.fixture
def app(request: pytest.FixtureRequest):
    yield from _app_for(request, csrf_on=False)


@pytest.fixture
def csrf_app(request: pytest.FixtureRequest):
    yield from _app_for(request, csrf_on=True)


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
        app = _build_app(config)
        made.append(app)
        return app

    yield make
    for app in made:
        _dispose(app)
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


@pytest.fixture(scope="session")
def _domain_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db_session(_domain_engine: Engine) -> Iterator[Session]:
    """A session for domain tests; everything it does is rolled back afterwards."""
    connection = _domain_engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()
