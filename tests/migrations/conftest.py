"""A fresh, empty database per migration test, on SQLite or on the PostgreSQL server."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from portal import create_app
from tests.conftest import POSTGRES_URL, TEST_SECRETS

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"kenes_migration_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def migration_app(database_url: str, tmp_path: Path):
    """An app on `database_url` (its context pushed) and an Alembic config for it."""
    app = create_app(
        {
            "KENES_ENV": "testing",
            "KENES_DATABASE_URL": database_url,
            "KENES_INSTANCE_PATH": str(tmp_path / "instance"),
            **TEST_SECRETS,
        }
    )
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    # Leave the test run's logging alone.
    config.attributes["configure_logging"] = False
    with app.app_context():
        try:
            yield app, config
        finally:
            from portal.extensions import db

            db.session.remove()
            db.engine.dispose()
