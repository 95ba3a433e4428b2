"""The session cookie (checklist 7, 12; DESIGN §4.5) and Jinja hardening (checklist 26, 28)."""

import pytest
from flask import render_template_string
from jinja2 import UndefinedError


def _session_cookie_header(client, base_url="http://localhost") -> str:
    with client.session_transaction(base_url=base_url) as session:
        session["seen"] = True
    response = client.get(
        "/", base_url=base_url
    )  # renders the quick-exit form: a CSRF token joins the session
    return response.headers["Set-Cookie"]


@pytest.mark.postgres
def test_development_cookie_is_httponly_and_strict(client):
    header = _session_cookie_header(client)
    assert header.startswith("kenes=")
    assert "HttpOnly" in header
    assert "SameSite=Strict" in header
    assert "Expires" not in header  # no persistent, remember-me style cookie


@pytest.mark.postgres
def test_production_cookie_is_host_prefixed_and_secure(app_factory):
    app = app_factory(KENES_ENV="production")
    header = _session_cookie_header(app.test_client(), base_url="https://kenes.example")
    assert header.startswith("__Host-kenes=")
    assert "Secure" in header
    assert "HttpOnly" in header
    assert "SameSite=Strict" in header
    assert "Path=/" in header
    assert "Domain" not in header


@pytest.mark.postgres
def test_decoded_cookie_holds_only_the_csrf_token(app, client):
    client.get("/")
    header = _session_cookie_header(client)
    value = header.split(";", 1)[0].split("=", 1)[1]
    decoded = app.session_interface.get_signing_serializer(app).loads(value)
    assert set(decoded) - {"seen"} == {"csrf_token"}  # "seen" is this test's own marker


@pytest.mark.postgres
def test_language_lives_in_its_own_cookie(client):
    response = client.get("/lang/kk?next=/about")
    header = response.headers["Set-Cookie"]
    assert header.startswith("kenes_lang=kk;")
    assert "HttpOnly" in header
    assert "kenes=" not in header.split(";", 1)[0]


@pytest.mark.postgres
def test_templates_cannot_reach_the_config(app):
    assert "config" not in app.jinja_env.globals
    with app.test_request_context("/"):
        assert render_template_string("{{ config is defined }}") == "False"


@pytest.mark.postgres
def test_testing_templates_fail_on_undefined(app):
    with app.test_request_context("/"), pytest.raises(UndefinedError):
        render_template_string("{{ no_such_variable }}")


def test_no_template_marks_anything_safe():
    """`|safe` and `Markup()` would bypass autoescaping; neither is allowed outside security/."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offences = [
        str(path.relative_to(root))
        for path in (root / "templates").rglob("*.html")
        if "|safe" in path.read_text(encoding="utf-8").replace(" ", "")
        or "autoescape false" in path.read_text(encoding="utf-8")
    ]
    offences += [
        str(path.relative_to(root))
        for path in (root / "portal").rglob("*.py")
        if "Markup(" in path.read_text(encoding="utf-8") and path.parent.name != "security"
    ]
    assert offences == []
