"""The declarative base every model of Kenes shares, domain and website alike.

A naming convention gives every constraint and index a stable, predictable name, so Alembic
revisions can drop or alter them by name on both SQLite (batch mode) and PostgreSQL.
"""

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of all models; its metadata is what Alembic compares the database against."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
