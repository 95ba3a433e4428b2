"""Every endpoint has a declared expectation for every role, and meets it (checklist 25)."""

import pytest

from tests.routes import ROLES, ROUTES

pytestmark = pytest.mark.postgres


def _endpoint_methods(app) -> set[tuple[str, str]]:
    pairs = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            pairs.add((rule.endpoint, method))
    return pairs


def test_every_route_has_a_row(app):
    declared = {(route.endpoint, route.method) for route in ROUTES}
    missing = _endpoint_methods(app) - declared
    assert not missing, f"routes without a row in tests/routes.py: {sorted(missing)}"


def test_every_row_names_a_real_route(app):
    stale = {(route.endpoint, route.method) for route in ROUTES} - _endpoint_methods(app)
    assert not stale, f"rows for routes that no longer exist: {sorted(stale)}"


def test_every_row_declares_every_role():
    for route in ROUTES:
        assert set(route.expect) == set(ROLES), route


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.endpoint}")
def test_anonymous_gets_what_the_table_says(client, route):
    with client.open(route.url, method=route.method, data=route.data) as response:
        assert response.status_code == route.expect["anonymous"], route.url
