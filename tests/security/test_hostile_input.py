"""Hostile input to every form, as every role: never a 500, never a traceback, and what a
person typed (but never a secret) comes back (issue 3, "Languages and bad input"; checklist
28–30)."""

from __future__ import annotations

import pytest

from tests.routes import ROUTES, example_url
from tests.web.test_routes import client_as

# Input handling, not storage: this suite runs once, on SQLite (issue 2: fuzzing and XSS suites
# run once).

HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",
    "\u200b\u200b\u200b",
    "Aigul\u2066x\u2069",
    "{{ 7*7 }}",
    "{% raw %}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "Ａｉｇｕｌ",
    "ǅemal",
    "x" * 5000,
    "💥" * 40,
    "\r\nSet-Cookie: x=1",
    "AАigul",
]

FIELDS = (
    "invite_code",
    "pseudonym",
    "passphrase",
    "passphrase_again",
    "acknowledge",
    "code",
    "reset_code",
    "current_passphrase",
    "comments",
    "understood",
    "locale",
    "role",
    "count",
    "days",
    # Decisions and ballots (issue 5).
    "question",
    "explanation",
    "kind",
    "options",
    "max_choices",
    "quorum",
    "opens_on",
    "opens_time",
    "closes_on",
    "closes_time",
    "live_results",
    "new_closes_on",
    "new_closes_time",
    "choice",
    "rank-0",
    "rank-1",
)

POST_ROUTES = [
    route
    for route in ROUTES
    if route.method == "POST" and route.endpoint not in ("public.quick_exit", "auth.logout")
]


@pytest.mark.parametrize("role", ["anonymous", "member", "admin"])
@pytest.mark.parametrize("route", POST_ROUTES, ids=lambda r: r.endpoint)
def test_no_hostile_value_makes_a_500(app, clock, role, route):
    client = client_as(app, role, clock)
    url = example_url(app, route)
    for value in HOSTILE:
        data = dict.fromkeys(FIELDS, value)
        response = client.post(url, data=data)
        body = response.get_data(as_text=True)
        assert response.status_code < 500, (route.endpoint, role, value[:20])
        assert "Traceback" not in body
        if value == "{{ 7*7 }}":
            assert 'value="49"' not in body
            assert ">49<" not in body


@pytest.mark.parametrize("value", ["{{ 7*7 }}", "<b>bold</b>", "Тыныш\u202eӨзен"])
def test_typed_text_comes_back_escaped(client, value):
    response = client.post("/auth/register", data={"pseudonym": value, "invite_code": "X"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    if value == "{{ 7*7 }}":
        assert 'value="{{ 7*7 }}"' in body
        assert ">49<" not in body
    if value == "<b>bold</b>":
        assert "&lt;b&gt;bold&lt;/b&gt;" in body
        assert "<b>bold</b>" not in body


def test_control_characters_get_a_field_message(client):
    response = client.post("/auth/register", data={"pseudonym": "Aigul\u202e", "invite_code": "X"})
    assert "Remove the invisible or control characters" in response.get_data(as_text=True)


def test_mixed_script_pseudonym_gets_a_field_message(app, client):
    from tests.web.test_accounts import issue_invite, register

    response = register(client, issue_invite(app), pseudonym="AАigul")
    assert response.status_code == 400
    assert "Use one alphabet for the whole name" in response.get_data(as_text=True)
