"""What every benchmark stands on: a throwaway database, the app on it with the schema the
migrations make, and a line about the machine the figures were measured on.

A benchmark must measure the schema production runs — the migrations', not `create_all`'s —
on a database nobody else uses, and leave nothing behind, also when it fails.
"""

from __future__ import annotations

import argparse
import os
import platform
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from secrets import token_hex

import flask_migrate
from flask import Flask

from portal import create_app
from portal.extensions import db, migrate

# The fixed test-only secrets of tests/conftest.py (TEST_SECRETS): never used anywhere else.
TEST_SECRETS = {
    "KENES_SECRET_KEY": "5e" * 32,
    "KENES_BALLOT_SECRET": "b0" * 32,
}


def database_url_option(parser: argparse.ArgumentParser) -> None:
    """`--database-url`, as every benchmark takes it."""
    parser.add_argument(
        "--database-url",
        default=os.environ.get("KENES_TEST_DATABASE_URL") or None,
        help="a PostgreSQL server's URL: a throwaway database is made on it "
        "(default: $KENES_TEST_DATABASE_URL, else SQLite in a temporary directory)",
    )


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        f"{os.cpu_count()} cores ({usable} usable), {model}; "
        f"Python {platform.python_version()}; {platform.system()} {platform.release()}"
    )


def load() -> str:
    """The load averages over 1, 5 and 15 minutes."""
    return "load average " + ", ".join(f"{n:.2f}" for n in os.getloadavg())


@contextmanager
def throwaway_database(server_url: str | None, directory: Path) -> Iterator[str]:
    """A SQLite file in `directory`, or a new database on the PostgreSQL server of
    `server_url`, dropped afterwards (the test suite's own helper)."""
    if not server_url:
        yield f"sqlite:///{directory / 'bench.db'}"
        return
    from tests.conftest import database_of_its_own

    with database_of_its_own(server_url, f"kenes_bench_{token_hex(4)}") as url:
        yield url


def settings(url: str, directory: Path, **overrides: str) -> dict[str, str]:
    """The `KENES_*` settings of an app on `url` whose instance folder and search index are
    in `directory`: testing, with the tests' secrets, unless `overrides` say otherwise."""
    return {
        "KENES_ENV": "testing",
        "KENES_DATABASE_URL": url,
        "KENES_INSTANCE_PATH": str(directory / "instance"),
        "KENES_SEARCH_DIR": str(directory / "search"),
        **TEST_SECRETS,
        **overrides,
    }


@contextmanager
def app_on(config: Mapping[str, str]) -> Iterator[Flask]:
    """`create_app(config)`; its search index and connections closed afterwards, so the
    database can be dropped. No app context is pushed: a request made through the test client
    inside one would share its `g` (and what a request caches there) with every other."""
    app = create_app(config)
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            if "kenes.search" in app.extensions:
                app.extensions["kenes.search"].close()
            db.engine.dispose()


def upgrade() -> None:
    """The schema by the migrations (`flask db upgrade`), in the current app's context, logging
    through the app rather than through alembic.ini."""

    @migrate.configure
    def quiet(config):  # type: ignore[no-untyped-def]
        config.attributes["configure_logging"] = False
        return config

    flask_migrate.upgrade()
