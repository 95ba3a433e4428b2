"""A fresh, empty database per migration test, on SQLite or on the PostgreSQL server."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.config import Config

from portal import create_app
from tests.conftest import POSTGRES_URL, TEST_SECRETS, database_of_its_own

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@pytest.fixture
def empty_database_url(tmp_path: Path) -> Iterator[str]:
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    with database_of_its_own(POSTGRES_URL, f"kenes_migration_{secrets.token_hex(4)}") as url:
        yield url


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
