"""No GET changes the database (checklist 23).

Session bookkeeping is the one named exception: the columns listed in BOOKKEEPING may change on
a GET (issue 3 adds `auth_session.last_seen_on`); nothing else may.
"""

import hashlib

import pytest

from portal.extensions import db
from tests.routes import routes_for

pytestmark = pytest.mark.postgres

# table name -> columns a GET may touch, by name.
BOOKKEEPING: dict[str, set[str]] = {}


def database_digest(app) -> str:
    digest = hashlib.sha256()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            skipped = BOOKKEEPING.get(table.name, set())
            columns = [c for c in table.columns if c.name not in skipped]
            rows = db.session.execute(table.select().with_only_columns(*columns)).all()
            for row in sorted(map(repr, rows)):
                digest.update(f"{table.name}:{row}\n".encode())
        db.session.remove()
    return digest.hexdigest()


def test_the_digest_sees_a_change(app):
    from portal.security.fingerprint import SecretFingerprint

    before = database_digest(app)
    with app.app_context():
        db.session.add(SecretFingerprint(name="probe", fingerprint="0" * 64))
        db.session.commit()
    assert database_digest(app) != before


def test_no_get_route_changes_the_database(app, client):
    before = database_digest(app)
    for route in routes_for("GET"):
        with client.get(route.url) as response:
            assert response.status_code < 500, route.url
    for url in ("/no-such-page", "/lang/xx", "/lang/kk?next=//elsewhere.example"):
        client.get(url)
    assert database_digest(app) == before
