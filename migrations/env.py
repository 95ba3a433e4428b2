"""Alembic environment for Kenes, run through Flask-Migrate (`flask --app wsgi db …`).

- compare_type: a changed column type is a schema change too.
- render_as_batch: SQLite cannot ALTER most things; batch mode copies the table instead.
- SQLite runs the migrations with foreign keys off: batch mode drops the old copy of a table,
  and with foreign keys on that DROP deletes every row that refers to it ON DELETE CASCADE —
  altering `decision` emptied `ballot` and `decision_option` (found by the migration harness,
  tests/migrations/harness.py). The pragma only works outside a transaction, so it is set on
  the driver's connection before the migrations' transaction begins; afterwards the keys are
  checked (`PRAGMA foreign_key_check`) and switched back on.
"""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from consultations.db import UtcDateTime
from portal.schema import metadata
from portal.security.privacy import install_log_filter

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    # Keep the loggers the app configured (and their redacting filters).
    fileConfig(config.config_file_name, disable_existing_loggers=False)
    install_log_filter(("alembic",))
logger = logging.getLogger("alembic.env")


def _engine():
    return current_app.extensions["migrate"].db.engine


def _render_item(type_, obj, autogen_context):
    """Revisions spell our UtcDateTime as what it is in the database, so they never import
    application code (which may change after the revision is written)."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _skip_empty_autogenerate(context_, revision, directives):
    """`flask db migrate` with nothing to change writes no empty revision."""
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_offline() -> None:
    context.configure(
        url=_engine().url.render_as_string(hide_password=False),
        target_metadata=metadata,
        literal_binds=True,
        compare_type=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    configure_args = dict(current_app.extensions["migrate"].configure_args)
    configure_args.setdefault("process_revision_directives", _skip_empty_autogenerate)
    configure_args.update(compare_type=True, render_as_batch=True, render_item=_render_item)
    with _engine().connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            context.configure(connection=connection, target_metadata=metadata, **configure_args)
            with context.begin_transaction():
                context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                connection.commit()
                if broken:
                    raise RuntimeError(f"the migration left dangling references: {broken[:5]}")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
