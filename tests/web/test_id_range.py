"""An id beyond the integer range is a 404, never a 500 (issue 9, item 11).

The audit got a traceback for a 20-digit id on SQLite and for 3,000,000,000 on PostgreSQL.
Every route with a numeric id is tried with both, by an admin (who may reach them all), and
the comment form's hidden parent id as well; so is every route with a public id (consultations
and decisions), where a number is looked up as text.
"""

from __future__ import annotations

import pytest

from consultations.models import Role
from tests.consultation_fixtures import open_consultation
from tests.decision_fixtures import open_decision
from tests.factories import make_member, sign_in

pytestmark = pytest.mark.postgres

HUGE = ("99999999999999999999", "3000000000", "2147483648")


def _numeric_rules(app):  # type: ignore[no-untyped-def]
    for rule in app.url_map.iter_rules():
        numeric = [name for name, conv in rule._converters.items() if conv.regex == r"\d+"]
        if numeric:
            yield rule, numeric


def test_every_numeric_route_answers_404_beyond_the_range(app, clock):
    made = open_consultation(app)
    admin = app.test_client()
    sign_in(admin, make_member(app, "Range Admin", role=Role.ADMIN, two_factor=True), clock)
    rules = list(_numeric_rules(app))
    assert len(rules) >= 10
    for rule, numeric in rules:
        for huge in HUGE:
            values = {name: huge for name in numeric}
            if "public_id" in rule.arguments:
                values["public_id"] = made.public_id
            if "number" in rule.arguments:
                values["number"] = "AR-2026-001"
            if "fmt" in rule.arguments:
                values["fmt"] = "bib"
            path = rule.build(values, append_unknown=False)[1]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = admin.open(path, method=method)
                assert response.status_code == 404, (method, path, response.status_code)


def test_every_public_id_route_answers_404_for_a_number_beyond_the_range(app, clock):
    made = open_decision(app)
    real = {"public_id": made.consultation, "decision_id": made.decision}
    admin = app.test_client()
    sign_in(admin, make_member(app, "Public Range Admin", role=Role.ADMIN, two_factor=True), clock)
    rules = [rule for rule in app.url_map.iter_rules() if real.keys() & rule.arguments]
    assert len(rules) >= 20
    for rule in rules:
        for name in real.keys() & rule.arguments:
            for huge in HUGE:
                values = {other: real.get(other, "1") for other in rule.arguments}
                path = rule.build({**values, name: huge}, append_unknown=False)[1]
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    response = admin.open(path, method=method)
                    assert response.status_code == 404, (method, path, response.status_code)


def test_a_reply_to_an_id_beyond_the_range_is_a_404(app):
    made = open_consultation(app)
    client = app.test_client()
    sign_in(client, make_member(app, "Range Replier"))
    for huge in HUGE:
        response = client.post(
            f"/consultations/{made.public_id}/comments",
            data={"text": "A reply", "stance": "other", "section": "referral", "parent": huge},
        )
        assert response.status_code == 404, huge
