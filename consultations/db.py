"""The declarative base every model of Kenes shares, domain and website alike.

A naming convention gives every constraint and index a stable, predictable name, so Alembic
revisions can drop or alter them by name on both SQLite (batch mode) and PostgreSQL.
"""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

from sqlalchemy import CheckConstraint, DateTime, Dialect, MetaData, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

from consultations.languages import in_locales

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


class UtcDateTime(TypeDecorator[datetime]):
    """A point in time, always timezone-aware UTC in Python, on SQLite as on PostgreSQL.

    SQLite keeps no time zone and hands back naive datetimes; comparing those with aware ones
    raises. Every time column in Kenes uses this type, so no code has to remember.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: Kenes stores aware UTC times only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


E = TypeVar("E", bound=StrEnum)


class EnumText(TypeDecorator[E]):
    """A column of one of the domain's enums, stored as its value in a VARCHAR (the CHECK
    constraint beside it lists the values), read back as the enum member.

    Code compares members, never raw strings; writing a string that is not one of the values
    fails before it reaches the database."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[E], length: int = 16) -> None:
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return self.enum(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        return None if value is None else self.enum(value)


class TranslationRow:
    """A row's texts in one language other than its main one (`languages.shown`): the table
    holds one row per parent and language. A subclass names its parent's key in `parent_key`
    and declares it, and the text columns, which share the parent's names."""

    parent_key: ClassVar[str]

    id: Mapped[int] = mapped_column(primary_key=True)
    locale: Mapped[str] = mapped_column(String(2))

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:  # noqa: N805 — a class-level attribute
        return (
            UniqueConstraint(cls.parent_key, "locale"),
            CheckConstraint(in_locales("locale"), name="locale"),
        )
