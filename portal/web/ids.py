"""Database ids in URLs and forms: whole numbers in the range both engines store (issue 9).

An id beyond it reached the database and failed there — SQLite cannot bind a 20-digit number,
PostgreSQL refuses 3,000,000,000 for an `integer` column — as a 500 with a traceback. Every
`<int:…>` in a route is this converter (registered as `int` in `create_app`), so such an id is
a 404 before any query, like any other id that names nothing.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter

# SQLAlchemy's Integer is a 32-bit signed `integer` on PostgreSQL; SQLite's is wider.
MAX_ID = 2**31 - 1


class DatabaseId(IntegerConverter):
    """`<int:name>`: digits only, 1 to MAX_ID; anything else does not match (404)."""

    def __init__(self, map, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]  # noqa: A002
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def database_id(typed: str) -> int:
    """An id typed into a form (a hidden field): ValueError unless digits from 1 to MAX_ID."""
    if not (typed.isascii() and typed.isdigit()) or not 1 <= int(typed) <= MAX_ID:
        raise ValueError(typed)
    return int(typed)
