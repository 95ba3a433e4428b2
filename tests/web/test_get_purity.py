"""No GET changes the database (checklist 23).

Session bookkeeping is the one named exception: the columns listed in tests/digest.py's
BOOKKEEPING may change on a GET (the session's last-seen minute); nothing else may.
"""

from datetime import timedelta

import pytest

from portal.extensions import db
from tests.digest import BOOKKEEPING, database_digest
from tests.routes import ROLES, example_url, routes_for
from tests.web.test_routes import client_as

pytestmark = pytest.mark.postgres


def test_the_digest_sees_a_change(app):
    from portal.security.fingerprint import SecretFingerprint

    before = database_digest(app)
    with app.app_context():
        db.session.add(SecretFingerprint(name="probe", fingerprint="0" * 64))
        db.session.commit()
    assert database_digest(app) != before


@pytest.mark.parametrize("role", ROLES)
def test_no_get_route_changes_the_database(app, clock, role):
    client = client_as(app, role, clock)
    clock.advance(timedelta(minutes=2))  # so a GET would move last_seen: the named exception
    before = database_digest(app)
    for route in routes_for("GET"):
        with client.get(example_url(app, route) if "{" not in route.url else route.url) as r:
            assert r.status_code < 500, route.url
    for url in ("/no-such-page", "/lang/xx", "/lang/kk?next=//elsewhere.example"):
        client.get(url)
    assert database_digest(app) == before


def test_last_seen_is_the_only_thing_a_get_moves(app, clock):
    client = client_as(app, "member", clock)
    clock.advance(timedelta(minutes=2))
    before = database_digest(app)
    BOOKKEEPING.pop("auth_session")
    try:
        with_last_seen = database_digest(app)
        client.get("/account")
        assert database_digest(app) != with_last_seen  # last_seen did move…
    finally:
        BOOKKEEPING["auth_session"] = {"last_seen_at"}
    assert database_digest(app) == before  # …and nothing else did
