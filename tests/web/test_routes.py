"""Every endpoint has a declared expectation for every role, and meets it (checklist 13, 19,
24, 25)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from consultations.models import Member, Role
from portal.accounts.guard import PENDING_OPEN
from portal.extensions import db
from tests.factories import make_member, sign_in, sign_in_pending
from tests.routes import ROLES, ROUTES, example_url

# The table's declarations and the half-signed-in walk run on both engines; the full route x
# role matrix (hundreds of sign-ins) answers the same on either, so it runs once, on SQLite.


def _endpoint_methods(app) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    pairs = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            pairs.add((rule.endpoint, method))
    return pairs


@pytest.mark.postgres
def test_every_route_has_a_row(app):
    declared = {(route.endpoint, route.method) for route in ROUTES}
    missing = _endpoint_methods(app) - declared
    assert not missing, f"routes without a row in tests/routes.py: {sorted(missing)}"


@pytest.mark.postgres
def test_every_row_names_a_real_route(app):
    stale = {(route.endpoint, route.method) for route in ROUTES} - _endpoint_methods(app)
    assert not stale, f"rows for routes that no longer exist: {sorted(stale)}"


def test_every_row_declares_every_role():
    for route in ROUTES:
        assert set(route.expect) == set(ROLES), route


def client_as(app, role: str, clock):  # type: ignore[no-untyped-def]
    """A test client signed in (or half-signed-in) as `role`."""
    client = app.test_client()
    if role == "anonymous":
        return client
    if role == "pending":
        sign_in_pending(client, make_member(app, "Pending One", two_factor=True))
    elif role == "member":
        sign_in(client, make_member(app, "Member One"))
    elif role == "staff_unenrolled":
        sign_in(client, make_member(app, "Staff Unenrolled", role=Role.STAFF))
    elif role == "staff":
        sign_in(client, make_member(app, "Staff One", role=Role.STAFF, two_factor=True), clock)
    elif role == "admin":
        sign_in(client, make_member(app, "Admin One", role=Role.ADMIN, two_factor=True), clock)
    elif role == "disabled":
        account = make_member(app, "Disabled One")
        sign_in(client, account)
        with app.app_context():
            db.session.execute(update(Member).where(Member.id == account.id).values(disabled=True))
            db.session.commit()
    return client


CASES = [(route, role) for route in ROUTES for role in ROLES]


@pytest.mark.parametrize(
    ("route", "role"), CASES, ids=[f"{r.method} {r.endpoint} as {role}" for r, role in CASES]
)
def test_each_role_gets_what_the_table_says(app, clock, route, role):
    client = client_as(app, role, clock)
    url = example_url(app, route)
    with client.open(url, method=route.method, data=route.data) as response:
        assert response.status_code == route.expect[role], (url, role, response.location)
        if route.expect[role] == 302:
            assert response.location.startswith("/auth/login")


@pytest.mark.postgres
def test_half_signed_in_session_reaches_only_its_allowlist(app, clock):
    """Walk the url_map: outside the code page, sign-out and public pages (the records and the
    register among them), a pending session is sent to the code page (checklist 13)."""
    client = client_as(app, "pending", clock)
    for route in ROUTES:
        if route.endpoint in PENDING_OPEN or route.endpoint.startswith(
            ("public.", "records.", "recommendations.", "feeds.", "api.", "search.")
        ):
            continue
        if route.endpoint == "static":
            continue
        response = client.open(example_url(app, route), method=route.method, data=route.data)
        assert response.status_code == 303, route
        assert response.location == "/auth/two-factor", route
