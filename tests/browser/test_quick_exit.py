"""Quick exit with JavaScript off, once the visitor has a session cookie (issue 9, item 8).

Signed in, or just after opening the sign-in or join page (which carry a CSRF token, so a
session cookie), quick exit is a form: it ends the session and is answered with a redirect to
the neutral site. Our own CSP's `form-action 'self'` made Chromium block that redirect: the
session ended, but the page stayed on screen. Watched here as the person would see it: where
the browser ends up, and whether the session cookie still opens the account page — in the same
browser, and copied before leaving into another one (someone who took it off the phone).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import QUICK_EXIT_URL, LiveServer
from tests.browser.test_membership import goto, register

pytestmark = pytest.mark.browser


def _leave(page: Page, *, javascript: bool = False) -> None:
    button = page.locator(".quick-exit__button")
    if not javascript:
        assert button.evaluate("el => el.tagName") == "BUTTON"  # the form, not the plain link
    button.click()
    page.wait_for_url(QUICK_EXIT_URL, timeout=10_000)
    assert page.locator("p").inner_text() == "neutral"


def _opens_account(new_page: Callable[..., Page], server: LiveServer, cookies: Any) -> bool:
    """Whether these cookies, in a browser of their own, open the account page."""
    other = new_page(javascript=False)
    other.context.add_cookies(cookies)
    other.goto(server.at("/account"))
    return other.url == server.at("/account")


@pytest.mark.parametrize("javascript", [False, True], ids=["without-js", "with-js"])
def test_quick_exit_leaves_when_signed_in(
    live_server: LiveServer,
    route_neutral: Callable,
    new_page: Callable[..., Page],
    javascript: bool,
):
    page = new_page(javascript=javascript)
    route_neutral(page)
    register(page, live_server, f"Leaves Quickly {'With' if javascript else 'Without'}")
    copied = page.context.cookies(live_server.url)
    assert _opens_account(new_page, live_server, copied)  # the copy is a working session…
    _leave(page, javascript=javascript)
    page.goto(live_server.at("/account"))
    assert page.url.startswith(live_server.at("/auth/login"))
    assert not _opens_account(new_page, live_server, copied)  # …and after quick exit it is not


@pytest.mark.parametrize("path", ["/auth/login", "/auth/register", "/auth/reset"])
def test_quick_exit_leaves_from_a_form_page_without_javascript(
    page_nojs: Page, live_server: LiveServer, route_neutral: Callable, path: str
):
    page = page_nojs
    route_neutral(page)
    goto(page, live_server, path)
    _leave(page)
