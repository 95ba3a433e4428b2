"""The public pages, in three languages, and the language switch (issue 2)."""

import pytest

# Marked `postgres` one by one: only the tests whose outcome can depend on the engine
# (a session ended, the health check's query, a member's saved language) run again on PostgreSQL.

PAGES = ["/", "/about", "/privacy", "/safety"]
TITLE_EN = "Kenes: the advisory group's consultation portal"
DISCREET_WORDS = ("traffick", "торговл", "сауда", "survivor", "пострадав", "зардап")


def h1(response) -> str:
    body = response.get_data(as_text=True)
    return body.split("<h1>", 1)[1].split("</h1>", 1)[0]


def title(response) -> str:
    body = response.get_data(as_text=True)
    return body.split("<title>", 1)[1].split("</title>", 1)[0]


@pytest.mark.parametrize("locale", ["kk", "ru", "en"])
def test_home_page_speaks_the_chosen_language(client, locale):
    client.get(f"/lang/{locale}?next=/")
    response = client.get("/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<html lang="{locale}"' in body
    heading = h1(response)
    if locale == "en":
        assert heading == TITLE_EN
    else:
        assert heading != TITLE_EN
        assert any("а" <= ch.lower() <= "я" or ch in "әғқңөұүһі" for ch in heading)
    if locale == "kk":
        assert set("әғқңөұүһі") & set(body.lower())


def test_accept_language_is_the_first_guess(client):
    response = client.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert '<html lang="ru"' in response.get_data(as_text=True)
    response = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en"' in response.get_data(as_text=True)


def test_the_cookie_wins_over_accept_language(client):
    client.get("/lang/kk?next=/")
    response = client.get("/", headers={"Accept-Language": "en"})
    assert '<html lang="kk"' in response.get_data(as_text=True)


def test_without_any_hint_the_default_is_kazakh(client):
    client.environ_base.pop("HTTP_ACCEPT_LANGUAGE")
    assert '<html lang="kk"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("target", "landing"),
    [
        ("/about", "/about"),
        ("/privacy?x=1", "/privacy?x=1"),
        ("", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("javascript:alert(1)", "/"),
        ("/\r\nSet-Cookie:x=1", "/"),
        ("/%0d%0aSet-Cookie:x=1", "/%0d%0aSet-Cookie:x=1"),  # still percent-encoded: harmless
        ("/\t/evil.example", "/"),
    ],
)
def test_language_switch_goes_back_only_to_this_site(client, target, landing):
    response = client.get("/lang/ru", query_string={"next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == landing


def test_language_switch_sets_only_the_language(client):
    response = client.get("/lang/ru?next=/")
    cookies = response.headers.getlist("Set-Cookie")
    assert len(cookies) == 1
    assert cookies[0].startswith("kenes_lang=ru;")
    assert "SameSite=Lax" in cookies[0]


def test_unknown_language_is_404(client):
    assert client.get("/lang/de?next=/").status_code == 404


def test_switcher_links_come_back_to_the_same_page(client):
    body = client.get("/about?x=1").get_data(as_text=True)
    assert 'href="/lang/ru?next=/about?x%3D1"' in body
    for code, name in (("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")):
        assert f'lang="{code}" hreflang="{code}"' in body
        assert name in body


@pytest.mark.parametrize("locale", ["kk", "ru", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_pages_are_discreet(client, locale, page):
    """Titles say "Kenes" and the kind of page, never what the group is about (§4.10)."""
    client.get(f"/lang/{locale}?next=/")
    response = client.get(page)
    assert response.status_code == 200
    page_title = title(response)
    assert page_title.endswith(" · Kenes")
    assert not any(word in page_title.lower() for word in DISCREET_WORDS)


def test_every_page_has_quick_exit_and_the_safety_link(client):
    for page in [*PAGES, "/no-such-page"]:
        body = client.get(page).get_data(as_text=True)
        assert 'class="quick-exit__button" href="https://neutral.example/"' in body
        assert 'href="/safety"' in body
        assert 'class="skip-link" href="#main"' in body
        assert '<main id="main"' in body


def test_without_a_session_quick_exit_is_a_link_and_no_cookie_is_set(client):
    response = client.get("/")
    assert "Set-Cookie" not in response.headers
    assert 'action="/quick-exit"' not in response.get_data(as_text=True)


@pytest.mark.postgres
def test_with_a_session_quick_exit_is_a_form_that_ends_it(client):
    with client.session_transaction() as session:
        session["seen"] = True
    body = client.get("/").get_data(as_text=True)
    assert 'action="/quick-exit"' in body
    response = client.post("/quick-exit")
    assert response.status_code == 303
    assert response.headers["Location"] == "https://neutral.example/"
    with client.session_transaction() as session:
        assert dict(session) == {}


@pytest.mark.parametrize(
    ("locale", "text"),
    [("en", "Page not found"), ("ru", "Страница не найдена"), ("kk", "Бет табылмады")],
)
def test_error_pages_speak_the_readers_language(client, locale, text):
    client.get(f"/lang/{locale}?next=/")
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert text in response.get_data(as_text=True)


@pytest.mark.parametrize("locale", ["en", "ru", "kk"])
def test_oversized_post_gets_a_translated_413(client, locale):
    client.get(f"/lang/{locale}?next=/")
    response = client.post("/quick-exit", data={"text": "ә" * 200_000})
    assert response.status_code == 413
    body = response.get_data(as_text=True)
    assert f'<html lang="{locale}"' in body
    assert "413" in body


@pytest.mark.postgres
def test_healthz_is_json_without_secrets(app, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    assert app.config["SECRET_KEY"] not in body


def test_safety_page_shows_only_configured_contacts(client):
    body = client.get("/safety").get_data(as_text=True)
    # Testing has no KENES_SUPPORT_CONTACTS: no invented number, the fallback advice instead.
    assert "000 000 00 00" not in body
    assert 'class="placeholder"' not in body


def test_configured_contacts_are_listed(app_factory):
    import json

    contacts = json.dumps([{"name": "Helpline <b>", "contact": "150", "hours": "24/7"}])
    app = app_factory(KENES_SUPPORT_CONTACTS=contacts)
    body = app.test_client().get("/safety").get_data(as_text=True)
    assert "Helpline &lt;b&gt;: 150 (24/7)" in body


def test_development_safety_page_marks_its_placeholders(app_factory):
    app = app_factory(KENES_ENV="development")
    body = (
        app.test_client().get("/safety", headers={"Accept-Language": "en"}).get_data(as_text=True)
    )
    assert "Placeholder for the demonstration — not a real service:" in body
    assert 'class="placeholder"' in body


@pytest.mark.parametrize(
    "url",
    [
        "/instance/kenes.db",
        "/static/../instance/secrets.json",
        "/static/..%2finstance/kenes.db",
        "/static/%2e%2e/instance/secrets.json",
        "/migrations/env.py",
        "/.git/config",
    ],
)
def test_no_route_serves_the_database_or_secrets(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert b"KENES_SECRET_KEY" not in response.data
    assert b"SQLite format" not in response.data


@pytest.mark.alters_app
@pytest.mark.parametrize("code", [400, 403, 404, 405, 413, 429, 500])
@pytest.mark.parametrize("locale", ["kk", "ru", "en"])
def test_every_error_page_is_in_the_base_layout_and_language(app, locale, code):
    from flask import abort

    from portal.web.errors import MESSAGES

    app.add_url_rule(f"/fail-{code}", f"fail_{code}", lambda: abort(code))
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    client.get(f"/lang/{locale}?next=/")
    response = client.get(f"/fail-{code}")
    body = response.get_data(as_text=True)
    assert response.status_code == code
    assert f'<html lang="{locale}"' in body
    assert 'class="quick-exit' in body
    assert "Traceback" not in body
    title = str(MESSAGES[code][0])
    if locale == "en":
        assert title in body
    else:
        assert title not in body  # translated, not the English source


@pytest.mark.postgres
def test_a_signed_in_members_saved_language_comes_before_the_browsers(app):
    from tests.factories import make_member, sign_in

    account = make_member(app, "Quiet River")
    client = app.test_client()
    sign_in(client, account)
    client.post("/account/language", data={"locale": "ru"})
    client.delete_cookie("kenes_lang")  # as after a sign-out on another device
    body = client.get("/account", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ru"' in body


@pytest.mark.postgres
@pytest.mark.parametrize("how", ["switch", "browser"])
def test_after_sign_in_the_site_speaks_as_it_did_before(app, how):
    """Issue 11, item 11: a staff account made with another language kept speaking it after
    sign-in, whatever the browser said. Now a person signs in on a page in their language —
    chosen with the switch, or their browser's — and the site goes on in it, here and, saved,
    on a device that asks for no language."""
    from tests.factories import make_member, sign_in

    account = make_member(app, "Quiet River")  # saved language: the site's default, kk
    client = app.test_client()
    if how == "switch":
        client.get("/lang/ru?next=/auth/login")
    else:
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "ru-RU,ru;q=0.9"
    sign_in(client, account)
    assert '<html lang="ru"' in client.get("/account").get_data(as_text=True)
    other_device = app.test_client()
    del other_device.environ_base["HTTP_ACCEPT_LANGUAGE"]  # a device that asks for nothing
    sign_in(other_device, account)
    assert '<html lang="ru"' in other_device.get("/account").get_data(as_text=True)


@pytest.mark.parametrize(
    ("farewell", "said"),
    [
        ("kept", "shown as written by “a former member”"),
        ("erased", "Your comments are erased."),
        ("<script>", None),
        ("", None),
    ],
)
def test_the_home_page_says_what_remains_of_a_deleted_account(client, farewell, said):
    body = client.get(f"/?farewell={farewell}").get_data(as_text=True)
    if said is None:
        assert "Your account is deleted" not in body
        assert "<script>" not in body
        return
    assert "Your account is deleted" in body
    assert said in body
