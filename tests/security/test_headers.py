"""Every response — pages, static files, JSON, redirects, errors — carries the header set
(issue 2, acceptance 2; checklist 1–6)."""

import pytest

from portal.security.headers import CONTENT_SECURITY_POLICY, content_security_policy
from tests.routes import routes_for

# Not marked `postgres`: what these tests check happens before or beside the database.

# The tests' quick-exit destination is https://neutral.example/ (tests/conftest.py): its origin,
# and no other, may receive a form — the no-JavaScript quick exit's redirect (issue 9).
EXPECTED = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "font-src 'self'; connect-src 'self'; form-action 'self' https://neutral.example; "
        "base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def assert_baseline(response, *, production=False):
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (response.request.path, name)
    policy = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert "Server" not in response.headers
    assert "X-Powered-By" not in response.headers
    # Any origin may read the API (issue 13), and nothing else.
    on_api = response.request.path.startswith("/api/v1/")
    assert ("Access-Control-Allow-Origin" in response.headers) == on_api, response.request.path
    hsts = response.headers.get("Strict-Transport-Security")
    if production:
        assert hsts == "max-age=63072000; includeSubDomains"
    else:
        assert hsts is None


def test_the_policy_is_the_one_specified():
    assert EXPECTED["Content-Security-Policy"] == content_security_policy(
        "https://neutral.example/"
    )
    # Without a quick-exit address (responses that are not the application's), only 'self'.
    assert "form-action 'self';" in CONTENT_SECURITY_POLICY


def test_form_action_names_each_apps_own_quick_exit_origin(app_factory):
    app = app_factory(KENES_QUICK_EXIT_URL="https://weather.example.kz:8443/almaty/today")
    response = app.test_client().post("/quick-exit")
    assert response.headers["Location"] == "https://weather.example.kz:8443/almaty/today"
    policy = response.headers["Content-Security-Policy"]
    assert "form-action 'self' https://weather.example.kz:8443;" in policy
    assert "neutral.example" not in policy


def test_every_get_route_carries_the_headers(app, client):
    rules = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    walked = set()
    for route in routes_for("GET"):
        with client.get(route.url) as response:
            assert_baseline(response)
        walked.add(route.endpoint)
    assert rules <= walked


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/no-such-page", 404),
        ("GET", "/static/no-such-file.css", 404),
        ("GET", "/lang/xx", 404),
        ("GET", "/quick-exit", 405),
        ("DELETE", "/", 405),
    ],
)
def test_error_responses_carry_the_headers(client, method, url, status):
    response = client.open(url, method=method)
    assert response.status_code == status
    assert_baseline(response)
    assert response.mimetype == "text/html"
    assert "Traceback" not in response.get_data(as_text=True)


def test_oversized_body_is_413_with_headers(client):
    response = client.post("/quick-exit", data={"text": "x" * (300 * 1024)})
    assert response.status_code == 413
    assert_baseline(response)


@pytest.mark.alters_app
def test_a_crash_is_a_500_page_without_traceback(app):
    def explode():
        raise RuntimeError("secret detail 203.0.113.7")

    app.add_url_rule("/explode", "explode", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the error page, not a raise
    response = app.test_client().get("/explode")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert_baseline(response)
    assert "Traceback" not in body
    assert "secret detail" not in body
    assert "RuntimeError" not in body


def test_production_adds_hsts(app_factory):
    client = app_factory(KENES_ENV="production").test_client()
    for url in ("/", "/no-such-page", "/healthz"):
        response = client.get(url, base_url="https://kenes.example")
        assert_baseline(response, production=True)


def test_signed_in_pages_are_never_stored(client):
    # A page seen with a session (here: a CSRF token in it) must not stay in a phone's cache.
    with client.session_transaction() as session:
        session["csrf_token"] = "x" * 40
    for url in ("/", "/about", "/no-such-page"):
        assert client.get(url).headers["Cache-Control"] == "no-store, no-transform"


def test_anonymous_public_pages_stay_cacheable_and_set_no_cookie(client):
    response = client.get("/about")
    assert response.headers["Cache-Control"].startswith("public")
    assert "Set-Cookie" not in response.headers
    assert {"Cookie", "Accept-Language"} <= set(response.vary)
