"""CSRF: every POST refuses a missing or foreign token and changes nothing (checklist 22); a
refused form comes back with what the person typed (issue 2)."""

import time
from datetime import timedelta

import pytest
from flask import render_template_string, request

from consultations.models import Role
from tests.digest import database_digest
from tests.factories import make_member, sign_in
from tests.routes import example_url, routes_for

# Marked `postgres` one by one: only the tests whose outcome can depend on the engine (a
# session's minute-granular bookkeeping, writes that pass, a session ended) run again on
# PostgreSQL; a refused POST never reaches the database.


def _token(client) -> str:
    """Open a page with a form so the session carries a real token, and return it."""
    with client.session_transaction() as session:
        session["seen"] = True  # a session exists, so quick exit renders as a form
    page = client.get("/").get_data(as_text=True)
    marker = 'name="csrf_token" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


POSTS = routes_for("POST")


def test_there_are_posts_to_check():
    assert POSTS


@pytest.mark.parametrize("route", POSTS, ids=lambda r: r.endpoint)
def test_post_without_token_is_refused_and_changes_nothing(csrf_app, csrf_client, route):
    url = example_url(csrf_app, route)
    before = database_digest(csrf_app)
    response = csrf_client.post(url, data=route.data)
    assert response.status_code == 400
    assert database_digest(csrf_app) == before


@pytest.mark.parametrize("route", POSTS, ids=lambda r: r.endpoint)
def test_signed_in_admin_post_without_token_is_refused(csrf_app, clock, route):
    """The same with a session that could do anything: an admin's."""
    client = csrf_app.test_client()
    admin = make_member(csrf_app, "Admin One", role=Role.ADMIN, two_factor=True)
    sign_in(client, admin, clock)
    url = example_url(csrf_app, route)
    before = database_digest(csrf_app)
    response = client.post(url, data=route.data)
    assert response.status_code == 400
    assert database_digest(csrf_app) == before


@pytest.mark.postgres
def test_a_refused_post_changes_nothing_across_a_minute_boundary(csrf_app, clock):
    """Issue 9: this file's digest once counted the session's last-seen minute, and the
    testing clock followed the wall clock, so a run that crossed a minute failed. The clock now
    stands still between a test's own moves, and the one digest names the bookkeeping."""
    client = csrf_app.test_client()
    admin = make_member(csrf_app, "Admin Two", role=Role.ADMIN, two_factor=True)
    sign_in(client, admin, clock)
    seconds_left = 60 - clock.now().second
    clock.advance(timedelta(seconds=seconds_left - 1))  # one second before the next minute
    frozen = clock.now()
    before = database_digest(csrf_app)
    time.sleep(1.2)  # the wall clock crosses the minute; the testing clock does not
    assert clock.now() == frozen
    response = client.post("/account/language", data={"locale": "ru"})
    assert response.status_code == 400
    assert database_digest(csrf_app) == before
    clock.advance(timedelta(seconds=2))  # a test that moves it across: last seen moves, named
    assert client.post("/account/language", data={"locale": "ru"}).status_code == 400
    assert database_digest(csrf_app) == before


@pytest.mark.parametrize("route", POSTS, ids=lambda r: r.endpoint)
def test_post_with_a_foreign_token_is_refused(csrf_app, csrf_client, route):
    other = csrf_app.test_client()
    foreign = _token(other)
    _token(csrf_client)
    url = example_url(csrf_app, route)
    before = database_digest(csrf_app)
    response = csrf_client.post(url, data={**route.data, "csrf_token": foreign})
    assert response.status_code == 400
    assert database_digest(csrf_app) == before


@pytest.mark.postgres
def test_post_with_the_right_token_passes(csrf_client):
    token = _token(csrf_client)
    response = csrf_client.post("/quick-exit", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"] == "https://neutral.example/"
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'


@pytest.mark.postgres
def test_quick_exit_beacon_ends_the_session(csrf_client):
    token = _token(csrf_client)
    response = csrf_client.post("/quick-exit", data={"csrf_token": token, "beacon": "1"})
    assert response.status_code == 204
    with csrf_client.session_transaction() as session:
        assert dict(session) == {}


LONG_COMMENT = (
    "Мен бұл бөлімге келіспеймін: мобильді топ баланы алдымен тыңдауы керек.\n"
    "Second paragraph, with <b>markup</b> & {{ 7*7 }} kept as typed."
)


def _comment_form_app(csrf_app):
    @csrf_app.route("/test-comment", methods=["GET", "POST"])
    def test_comment():
        if request.method == "POST":
            return "COMMENT-STORED"
        return render_template_string(
            '<form method="post"><input type="hidden" name="csrf_token" '
            'value="{{ csrf_token() }}"><textarea name="text"></textarea></form>'
        )

    return csrf_app


@pytest.mark.alters_app
def test_refused_form_shows_what_was_typed(csrf_app):
    client = _comment_form_app(csrf_app).test_client()
    response = client.post(
        "/test-comment",
        data={"text": LONG_COMMENT, "stance": "concerns", "passphrase": "never shown again"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "COMMENT-STORED" not in body
    # The text comes back escaped, inside a form that posts to the same place with a new token.
    assert "Мен бұл бөлімге келіспеймін" in body
    assert "&lt;b&gt;markup&lt;/b&gt; &amp; {{ 7*7 }}" in body
    assert "49" not in body
    assert 'action="/test-comment"' in body
    assert 'name="stance" value="concerns"' in body
    assert "never shown again" not in body

    token = body.split('name="csrf_token" value="')[1].split('"')[0]
    again = client.post("/test-comment", data={"csrf_token": token, "text": LONG_COMMENT})
    assert again.get_data(as_text=True) == "COMMENT-STORED"


@pytest.mark.postgres
@pytest.mark.alters_app
def test_rotated_secret_key_keeps_the_session_and_gives_back_the_form(csrf_app):
    """SECRET_KEY_FALLBACKS keeps sessions valid; Flask-WTF ignores it, so an open form fails
    once and shows the typed text again (checklist 39)."""
    client = _comment_form_app(csrf_app).test_client()
    with client.session_transaction() as session:
        session["marker"] = "still here"
    page = client.get("/test-comment").get_data(as_text=True)
    old_token = page.split('name="csrf_token" value="')[1].split('"')[0]

    old_key = csrf_app.config["SECRET_KEY"]
    csrf_app.config["SECRET_KEY"] = "9f" * 32
    csrf_app.config["SECRET_KEY_FALLBACKS"] = [old_key]

    with client.session_transaction() as session:
        assert session["marker"] == "still here"  # the old cookie still opens the session
    response = client.post("/test-comment", data={"csrf_token": old_token, "text": LONG_COMMENT})
    assert response.status_code == 400
    assert "Мен бұл бөлімге келіспеймін" in response.get_data(as_text=True)
