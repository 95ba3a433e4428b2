"""The session cookie, decoded, holds only the session token and the CSRF token — no `_id`,
no address hash, no pseudonym, no user id — at every step of an account's life (issue 3,
acceptance 2; checklist 11, 12)."""

from __future__ import annotations

import pytest

from consultations.models import Role
from tests.factories import NEW_PASSPHRASE_FOR_TESTS, csrf_token_from, make_member

pytestmark = pytest.mark.postgres

# Flash messages are transient and name no one (checked below).
ALLOWED = {"token", "csrf_token", "_flashes"}


def decoded(app, client) -> dict:  # type: ignore[no-untyped-def]
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    if cookie is None:
        return {}
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def check(app, client, step: str) -> dict:  # type: ignore[no-untyped-def]
    content = decoded(app, client)
    assert set(content) <= ALLOWED, (step, content)
    assert "_id" not in content, step
    assert "_user_id" not in content, step
    text = repr(content)
    for forbidden in (
        "Quiet River",
        "Quiet Stream",
        "127.0.0.1",
        "Werkzeug",
        "_fresh",
        "_remember",
    ):
        assert forbidden not in text, (step, content)
    return content


def test_cookie_holds_only_tokens_through_an_accounts_life(csrf_app, clock):
    app, client = csrf_app, csrf_app.test_client()
    account = make_member(app, "Quiet River", role=Role.MEMBER)

    def post(url, data):  # type: ignore[no-untyped-def]
        token = csrf_token_from(client.get(url if not url.endswith("/logout") else "/account"))
        return client.post(
            url,
            data={**data, "csrf_token": token},
            headers={"User-Agent": "Mozilla/5.0 Werkzeug-probe"},
            environ_base={"REMOTE_ADDR": "127.0.0.1"},
        )

    client.get("/auth/login")
    check(app, client, "before sign-in")
    assert (
        post(
            "/auth/login", {"pseudonym": account.pseudonym, "passphrase": account.passphrase}
        ).status_code
        == 303
    )
    signed_in = check(app, client, "after sign-in")
    assert "token" in signed_in
    post("/account/pseudonym", {"pseudonym": "Quiet Stream"})
    check(app, client, "after a name change")
    post(
        "/account/passphrase",
        {"passphrase": NEW_PASSPHRASE_FOR_TESTS, "passphrase_again": NEW_PASSPHRASE_FOR_TESTS},
    )
    check(app, client, "after a passphrase change")
    post("/account/two-factor/start", {})
    page = client.get("/account/two-factor").get_data(as_text=True)
    secret = page.split('id="totp-secret">')[1].split("</code>")[0].replace(" ", "")
    import pyotp

    post("/account/two-factor", {"code": pyotp.TOTP(secret).at(clock.now())})
    check(app, client, "after two-factor enrolment")
    assert post("/auth/logout", {}).status_code == 303
    after = check(app, client, "after sign-out")
    assert "token" not in after

    # Signing in again with two-factor: pending, then full.
    account.passphrase = NEW_PASSPHRASE_FOR_TESTS
    account.pseudonym = "Quiet Stream"
    post("/auth/login", {"pseudonym": account.pseudonym, "passphrase": account.passphrase})
    check(app, client, "half signed in")
    from datetime import timedelta

    clock.advance(timedelta(seconds=30))
    assert post("/auth/two-factor", {"code": pyotp.TOTP(secret).at(clock.now())}).status_code == 303
    check(app, client, "after the second factor")
