"""One digest of the whole database, for the tests that check a request changed nothing
(no GET changes the database; a refused CSRF POST changes nothing; casting a ballot changes
nothing but `ballot`).

Session bookkeeping is the one named exception: the columns in BOOKKEEPING may change on any
request that reads its session (the last-seen minute). Digesting them made the CSRF test fail
whenever its requests crossed a minute boundary (issue 9); with the testing clock standing still
they no longer can, and the exception is named here, once, for every digest.
"""

from __future__ import annotations

import hashlib

from portal.extensions import db

# table name -> columns a request may touch without changing anything: the last-seen minute.
BOOKKEEPING: dict[str, set[str]] = {"auth_session": {"last_seen_at"}}


def database_digest(app, *, except_tables: tuple[str, ...] = ()) -> str:  # type: ignore[no-untyped-def]
    """A digest of every row of every table (but BOOKKEEPING), in a stable order."""
    digest = hashlib.sha256()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if table.name in except_tables:
                continue
            skipped = BOOKKEEPING.get(table.name, set())
            columns = [c for c in table.columns if c.name not in skipped]
            rows = db.session.execute(table.select().with_only_columns(*columns)).all()
            for row in sorted(map(repr, rows)):
                digest.update(f"{table.name}:{row}\n".encode())
        db.session.remove()
    return digest.hexdigest()
