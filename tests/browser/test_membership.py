"""Membership in a real browser (issue 3, acceptance 6): joining, two-factor, signing in and out,
the account pages, export and deletion, reset codes, the staff's invitations, and the forms in
Kazakh and Russian.

Accounts are prepared the way the staff prepare them, with the `flask` commands run against the
live server's database. The server's database is shared by the whole session, so every test
uses pseudonyms of its own. Two-factor codes are computed with pyotp for the server's notion of
time (the real time plus the offset in `live_server.clock_file`).
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest
from playwright.sync_api import Page, Response

from tests.browser.conftest import (
    ARTIFACTS,
    LiveServer,
    assert_no_axe_violations,
    assert_quiet,
)
from tests.servers import BIN, PROJECT_ROOT

pytestmark = pytest.mark.browser

PASSPHRASE = "lantern orchard pebble meadow whistle"
NEW_PASSPHRASE = "copper harbour thistle lagoon ember"
SHORT_PASSPHRASE = "short one"
SIGN_IN_FAILED = "The name or the passphrase is not right."
KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
LATIN = re.compile(r"[A-Za-z]")
# The account links (sign in; account, staff, sign out): the one navigation with a sign-in link
# or a sign-out form in it, wherever the layout puts it.
ACCOUNT_NAV = "nav:has(a[href='/auth/login'], form[action='/auth/logout'])"


# --------------------------------------------------------------------------- the server's side


def flask_cli(server: LiveServer, *args: str, stdin: str | None = None) -> str:
    """Run `flask --app wsgi …` on the live server's database; return what it printed."""
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args],
        env=server.env,
        cwd=PROJECT_ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, f"flask {' '.join(args)}: {done.stdout}\n{done.stderr}"
    return done.stdout


def invite_codes(server: LiveServer, count: int = 1) -> list[str]:
    codes = flask_cli(server, "invites", "create", "--count", str(count)).split()
    assert len(codes) == count, codes
    return codes


def _clock_offset(server: LiveServer) -> float:
    try:
        return float(server.clock_file.read_text(encoding="ascii").strip() or 0)
    except FileNotFoundError:
        return 0.0


@contextmanager
def server_clock_moved(server: LiveServer, seconds: int) -> Iterator[None]:
    """Move the server's clock by `seconds`; put it back as it was afterwards, whatever happens."""
    before = server.clock_file.read_text(encoding="ascii") if server.clock_file.exists() else None
    server.clock_file.write_text(str(_clock_offset(server) + seconds), encoding="ascii")
    try:
        yield
    finally:
        if before is None:
            server.clock_file.unlink(missing_ok=True)
        else:
            server.clock_file.write_text(before, encoding="ascii")


def current_code(server: LiveServer, secret: str) -> str:
    """The code an authenticator app would show now, by the server's clock."""
    return pyotp.TOTP(secret).at(server.now())


# --------------------------------------------------------------------------- the browser's side


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def goto(page: Page, server: LiveServer, path: str, status: int = 200) -> Response:
    response = page.goto(server.at(path))
    assert response is not None
    assert response.status == status, f"{path}: HTTP {response.status}"
    return response


def click_and_load(page: Page, target: str, *, status: int = 200) -> Response:
    """Click (a locator string) and wait for the page it leads to; check its status."""
    with page.expect_navigation() as navigation:
        page.locator(target).first.click()
    response = navigation.value
    assert response is not None
    assert response.status == status, f"{page.url}: HTTP {response.status}"
    return response


def submit(page: Page, *, status: int = 200) -> Response:
    """Press the main form's own submit button (the `.button`, not a link-button)."""
    return click_and_load(page, "main form button.button", status=status)


def sign_out(page: Page, server: LiveServer) -> None:
    """The "Sign out" button of the account navigation (not the code page's "Cancel")."""
    with page.expect_navigation(url=server.at("/")):
        page.locator(f"{ACCOUNT_NAV} form[action='/auth/logout'] button").click()
    assert_signed_out(page)


def assert_signed_out(page: Page) -> None:
    nav = page.locator(ACCOUNT_NAV)
    assert nav.locator("a[href='/auth/login']").count() == 1, nav.inner_html()
    assert nav.locator("form[action='/auth/logout']").count() == 0, "a Sign out button is shown"


def h1(page: Page) -> str:
    return page.locator("main h1").inner_text().strip()


def flash_text(page: Page) -> str:
    flashes = page.locator(".flashes")
    return flashes.inner_text() if flashes.count() else ""


def error_text(page: Page) -> str:
    summary = page.locator(".error-summary")
    return summary.inner_text() if summary.count() else ""


def fill_confirmation(page: Page, passphrase: str) -> None:
    """Type the current passphrase if the page asks for it (after five minutes it does)."""
    field = page.locator("#current_passphrase")
    if field.count():
        field.fill(passphrase)


def checked(page: Page, error_documents: Iterable[str] = (), *, axe: bool = True) -> None:
    """The page in front of us passes axe-core, and nothing went wrong in the console."""
    if axe:
        assert_no_axe_violations(page)
    assert_quiet(page, error_documents=error_documents)


def assert_stayed_on_origin(page: Page, server: LiveServer) -> None:
    seen = page.requests_seen  # type: ignore[attr-defined]
    assert seen, "no request was recorded"
    foreign = [url for url in seen if origin(url) != server.origin]
    assert not foreign, f"requests to other origins: {foreign}"


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


def fill_registration(page: Page, code: str, pseudonym: str, passphrase: str) -> None:
    page.fill("#invite_code", code)
    page.fill("#pseudonym", pseudonym)
    page.fill("#passphrase", passphrase)
    page.fill("#passphrase_again", passphrase)
    page.check("#acknowledge")


def enrol_two_factor(
    page: Page, server: LiveServer, passphrase: str, *, axe: bool = True, shot: str = ""
) -> tuple[str, str]:
    """From /account/two-factor: "Set up", type the key into "the app", send its code.

    Returns the secret and the code sent; ends on the recovery codes page. Every page is
    checked on the way.
    """
    assert page.url == server.at("/account/two-factor")
    assert h1(page) == "Switch on two-factor sign-in"
    checked(page, axe=axe)
    submit(page)  # "Set up two-factor sign-in": the secret is made by this POST
    assert page.url == server.at("/account/two-factor")
    checked(page, axe=axe)
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret), secret
    assert page.locator(".qr svg").count() == 1
    if shot:
        screenshot(page, shot)
    code = current_code(server, secret)
    page.fill("#code", code)
    fill_confirmation(page, passphrase)
    submit(page)
    assert h1(page) == "Your recovery codes", error_text(page)
    return secret, code


def register(page: Page, server: LiveServer, pseudonym: str, passphrase: str = PASSPHRASE) -> None:
    """Join with a fresh invite from the command line; ends on the account page."""
    goto(page, server, "/auth/register")
    fill_registration(page, invite_codes(server)[0], pseudonym, passphrase)
    submit(page)
    assert page.url == server.at("/account"), error_text(page)


def fill_sign_in(page: Page, pseudonym: str, passphrase: str) -> None:
    """Fill the sign-in form of the page in front of us (/auth/login)."""
    page.fill("#pseudonym", pseudonym)
    page.fill("#passphrase", passphrase)


def refused_sign_in(page: Page, server: LiveServer, pseudonym: str, passphrase: str) -> None:
    goto(page, server, "/auth/login")
    fill_sign_in(page, pseudonym, passphrase)
    submit(page, status=400)
    assert page.url == server.at("/auth/login")
    assert SIGN_IN_FAILED in error_text(page), error_text(page)
    assert page.locator(f"{ACCOUNT_NAV} form[action='/auth/logout']").count() == 0


# --------------------------------------------------------------------------- 1, 2. a member's life


def member_journey(
    page: Page,
    server: LiveServer,
    new_page: Callable[..., Page],
    *,
    name: str,
    javascript: bool,
) -> None:
    """Join, switch on two-factor, sign out and in, rename, export, delete; checked throughout.

    axe-core runs with JavaScript on only: with it off, the page runs no task of its own, so
    axe's asynchronous run would never finish (the same pages are checked with it on).
    """
    axe = javascript
    shots = "js" if javascript else "nojs"
    renamed = f"{name} Renamed"
    neighbour = f"{name} Neighbour"
    login_url = server.at("/auth/login")
    # Pages the journey is meant to be refused on (HTTP 400), which the console reports.
    refusals: list[str] = []

    def check() -> None:
        checked(page, refusals, axe=axe)

    # Someone else on the site, whose data must never be in our member's export.
    other = new_page(javascript=javascript)
    register(other, server, neighbour)

    # Join.
    goto(page, server, "/auth/register")
    assert page.get_attribute("html", "lang") == "en"
    check()
    fill_registration(page, invite_codes(server)[0], name, PASSPHRASE)
    submit(page)
    assert page.url == server.at("/account"), error_text(page)
    assert "Welcome to Kenes" in flash_text(page)
    assert name in page.locator("dl.summary").inner_text()
    check()
    screenshot(page, f"account-{shots}-360")

    # Switch on two-factor sign-in with the key typed "by hand".
    click_and_load(page, "a[href='/account/two-factor']")
    secret, enrolment_code = enrol_two_factor(
        page, server, PASSPHRASE, axe=axe, shot=f"two-factor-enrol-{shots}-360"
    )
    codes = page.locator("ol.codes li code").all_inner_texts()
    assert len(codes) == 10
    assert len(set(codes)) == 10
    check()
    screenshot(page, f"recovery-codes-{shots}-360")

    sign_out(page, server)

    # The enrolment code is spent: sign in again in a later 30-second step.
    with server_clock_moved(server, 30):
        click_and_load(page, f"{ACCOUNT_NAV} a[href='/auth/login']")
        assert page.url == login_url
        check()
        fill_sign_in(page, name, PASSPHRASE)
        submit(page)
        assert page.url == server.at("/auth/two-factor"), error_text(page)
        check()
        page.fill("#code", enrolment_code)  # spent: refused
        submit(page, status=400)
        assert "it was used already" in error_text(page), error_text(page)
        refusals.append(page.url)
        check()
        page.fill("#code", current_code(server, secret))
        submit(page)
        assert page.url == server.at("/account"), error_text(page)
        assert "On. Recovery codes left: 10." in page.locator("dl.summary").inner_text()
        check()

        # A new name.
        click_and_load(page, "a[href='/account/pseudonym']")
        check()
        page.fill("#pseudonym", renamed)
        fill_confirmation(page, PASSPHRASE)
        submit(page)
        assert page.url == server.at("/account"), error_text(page)
        assert "Your name on Kenes is changed." in flash_text(page)
        assert renamed in page.locator("dl.summary").inner_text()
        check()

        # Everything the member wrote, as a file.
        click_and_load(page, "a[href='/account/export']")
        check()
        fill_confirmation(page, PASSPHRASE)
        with page.expect_download() as downloading:
            page.locator("main form button.button").click()
        download = downloading.value
        assert download.failure() is None
        assert download.suggested_filename == "kenes-export.json"
        text = Path(download.path()).read_text(encoding="utf-8")
        exported = json.loads(text)
        assert exported["kenes_export"] == 1
        assert exported["profile"]["pseudonym"] == renamed
        assert neighbour not in text
        assert name not in text.replace(renamed, "")
        assert page.url == server.at("/account/export")
        check()

        # And the account erased.
        goto(page, server, "/account")
        click_and_load(page, "a[href='/account/delete']")
        check()
        screenshot(page, f"delete-{shots}-360")
        page.check("input[name=comments][value=erase]")
        page.check("#understood")
        page.fill("#current_passphrase", PASSPHRASE)
        submit(page)
        # Home, saying the account is gone and what remains (issue 11, item 4).
        assert page.url == server.at("/?farewell=erased"), error_text(page)
        assert "Your account is deleted" in page.locator("main").inner_text()
        assert_signed_out(page)
        check()

    # Gone: its name and passphrase, old or new, open nothing; the refusal says only that.
    refused_sign_in(page, server, renamed, PASSPHRASE)
    refused_sign_in(page, server, name, PASSPHRASE)
    refusals.append(login_url)
    check()
    goto(page, server, "/account")  # the account pages ask for a sign-in again
    assert urlsplit(page.url).path == "/auth/login"

    assert_stayed_on_origin(page, server)
    assert_stayed_on_origin(other, server)
    assert_quiet(other)


def test_member_journey_with_javascript(
    page: Page, live_server: LiveServer, new_page: Callable[..., Page]
):
    assert page.viewport_size == {"width": 360, "height": 740}
    member_journey(page, live_server, new_page, name="Birch Lantern", javascript=True)
    assert "js" in (page.get_attribute("html", "class") or "").split()


def test_member_journey_without_javascript(
    page_nojs: Page, live_server: LiveServer, new_page: Callable[..., Page]
):
    member_journey(page_nojs, live_server, new_page, name="Silent Harbour", javascript=False)
    assert "js" not in (page_nojs.get_attribute("html", "class") or "").split()


# --------------------------------------------------------------------------- 3. reset codes


def test_reset_code_sets_a_new_passphrase_once(page: Page, live_server: LiveServer):
    server = live_server
    name = "Amber Willow"
    register(page, server, name)
    sign_out(page, server)

    code = flask_cli(server, "users", "reset-code", name).strip()
    assert code

    goto(page, server, "/auth/login")
    click_and_load(page, "main a[href='/auth/reset']")
    assert page.url == server.at("/auth/reset")
    checked(page)
    page.fill("#pseudonym", name)
    page.fill("#reset_code", code)
    page.fill("#passphrase", NEW_PASSPHRASE)
    page.fill("#passphrase_again", NEW_PASSPHRASE)
    submit(page)
    assert page.url == server.at("/auth/login"), error_text(page)
    assert "Your passphrase is changed. Sign in with it now." in flash_text(page)
    checked(page)

    # The old passphrase no longer opens the account; the new one does.
    fill_sign_in(page, name, PASSPHRASE)
    submit(page, status=400)
    assert SIGN_IN_FAILED in error_text(page)
    fill_sign_in(page, name, NEW_PASSPHRASE)
    submit(page)
    assert page.url == server.at("/account"), error_text(page)
    assert name in page.locator("dl.summary").inner_text()
    sign_out(page, server)

    # A reset code works once.
    goto(page, server, "/auth/reset")
    page.fill("#pseudonym", name)
    page.fill("#reset_code", code)
    page.fill("#passphrase", PASSPHRASE)
    page.fill("#passphrase_again", PASSPHRASE)
    submit(page, status=400)
    assert page.url == server.at("/auth/reset")
    assert "reset code is not right" in error_text(page), error_text(page)
    checked(page, error_documents=[server.at("/auth/login"), server.at("/auth/reset")])

    # …and the refused attempt changed nothing.
    goto(page, server, "/auth/login")
    fill_sign_in(page, name, NEW_PASSPHRASE)
    submit(page)
    assert page.url == server.at("/account")
    assert_stayed_on_origin(page, server)


# --------------------------------------------------------------------------- 4. staff


def invite_rows(page: Page) -> dict[str, str]:
    """/staff/invites: {invite number: status} for every listed invitation."""
    rows = {}
    for row in page.locator("main table tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        rows[cells[0].strip()] = cells[3].strip()
    return rows


def test_staff_issue_and_revoke_invites(
    page: Page, live_server: LiveServer, new_page: Callable[..., Page]
):
    server = live_server
    staff = "Staff Person"
    newcomer = "Meadow Finch"
    created = flask_cli(
        server, "users", "create-staff", staff, "--admin", stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n"
    )
    assert "Created admin account" in created

    goto(page, server, "/auth/login")
    fill_sign_in(page, staff, PASSPHRASE)
    submit(page)
    # No staff page opens before two-factor sign-in is on.
    assert page.url == server.at("/account/two-factor"), error_text(page)
    for path in ("/staff", "/staff/invites", "/staff/members", "/account"):
        goto(page, server, path)
        assert page.url == server.at("/account/two-factor"), path

    assert "Staff accounts must switch it on" in page.locator("main").inner_text()
    enrol_two_factor(page, server, PASSPHRASE)
    checked(page)

    click_and_load(page, f"{ACCOUNT_NAV} a[href='/staff/invites']")
    assert page.url == server.at("/staff/invites")
    checked(page)
    before = invite_rows(page)

    page.select_option("#role", "member")
    page.select_option("#count", "2")
    submit(page)
    assert h1(page) == "Invitation slips"
    codes = page.locator(".slip .slip__code code").all_inner_texts()
    assert len(codes) == 2
    assert len(set(codes)) == 2
    screenshot(page, "staff-invite-slips-360")
    checked(page)

    # One of them joins, in a browser of their own.
    other = new_page()
    goto(other, server, "/auth/register")
    fill_registration(other, codes[0], newcomer, NEW_PASSPHRASE)
    submit(other)
    assert other.url == server.at("/account"), error_text(other)
    assert_quiet(other)

    goto(page, server, "/staff/invites")
    rows = invite_rows(page)
    new = {number: status for number, status in rows.items() if number not in before}
    # The used code is gone from the list: nothing ties it to the account it made (issue 9).
    assert list(new.values()) == ["unused"], rows
    (unused,) = new
    row = page.locator("main table tbody tr").filter(
        has=page.locator("td:first-child", has_text=re.compile(rf"^{unused}$"))
    )
    with page.expect_navigation(url=server.at("/staff/invites")):
        row.get_by_role("button", name="Revoke").click()
    assert "The invitation is revoked." in flash_text(page)
    rows = invite_rows(page)
    assert rows[unused] == "revoked"
    assert row.get_by_role("button", name="Revoke").count() == 0
    checked(page)

    # The code revoked no longer lets anyone in.
    goto(other, server, "/auth/register")
    fill_registration(other, codes[1], "Meadow Finch Two", NEW_PASSPHRASE)
    submit(other, status=400)
    assert "This invitation code does not work." in error_text(other)

    click_and_load(page, "nav.subnav a[href='/staff/members']")
    assert page.url == server.at("/staff/members")
    names = page.locator("main table tbody tr td:first-child").all_inner_texts()
    assert newcomer in names
    assert staff in names
    screenshot(page, "staff-members-360")
    checked(page)
    assert_stayed_on_origin(page, server)
    assert_stayed_on_origin(other, server)


# --------------------------------------------------------------------------- 5. kk and ru


def passphrase_error(page: Page) -> str:
    return page.locator("#passphrase-error").inner_text().strip()


def switch_language(page: Page, lang: str) -> None:
    path = urlsplit(page.url).path
    with page.expect_navigation():
        page.locator(f'nav.language-switch a[hreflang="{lang}"]').click()
    assert urlsplit(page.url).path == path
    assert page.get_attribute("html", "lang") == lang


def in_language(text: str, lang: str) -> bool:
    if lang == "kk":
        return bool(KAZAKH_LETTERS & set(text))
    return bool(CYRILLIC.search(text)) and not LATIN.search(text)


@pytest.mark.parametrize(
    ("lang", "name"), [("kk", "Ақ бұлт"), ("ru", "Тихий берег")], ids=["kk", "ru"]
)
def test_join_and_sign_in_in_kazakh_and_russian(
    page: Page, live_server: LiveServer, lang: str, name: str
):
    server = live_server
    register_url = server.at("/auth/register")
    code = invite_codes(server)[0]

    # A passphrase that is too short, in English first.
    goto(page, server, "/auth/register")
    assert page.get_attribute("html", "lang") == "en"
    fill_registration(page, code, name, SHORT_PASSPHRASE)
    submit(page, status=400)
    english = passphrase_error(page)
    assert "12" in english

    # The same in the reader's language, chosen with the site's own link.
    switch_language(page, lang)
    fill_registration(page, code, name, SHORT_PASSPHRASE)
    submit(page, status=400)
    assert page.get_attribute("html", "lang") == lang
    translated = passphrase_error(page)
    assert translated != english, f"the message is not translated into {lang}: {translated!r}"
    assert in_language(translated, lang), translated
    assert in_language(error_text(page).split("\n")[0], lang), error_text(page)
    checked(page, error_documents=[register_url])

    # Joining works in that language too (a Cyrillic pseudonym, typed as is).
    fill_registration(page, code, name, PASSPHRASE)
    submit(page)
    assert page.url == server.at("/account"), error_text(page)
    assert page.get_attribute("html", "lang") == lang
    assert in_language(h1(page), lang), h1(page)

    # Signing out clears the site's cookies, the language with them; choose it again.
    sign_out(page, server)
    switch_language(page, lang)
    click_and_load(page, f"{ACCOUNT_NAV} a[href='/auth/login']")
    assert page.get_attribute("html", "lang") == lang
    fill_sign_in(page, name, PASSPHRASE)
    submit(page)
    assert page.url == server.at("/account"), error_text(page)
    assert page.get_attribute("html", "lang") == lang
    assert name in page.locator("dl.summary").inner_text()
    checked(page, error_documents=[register_url])
    assert_stayed_on_origin(page, server)
