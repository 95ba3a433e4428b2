"""Quick exit with JavaScript off, once the visitor has a session cookie (issue 9, item 8).

Signed in, or just after opening the sign-in or join page (which carry a CSRF token, so a
session cookie), quick exit is a form: it ends the session and is answered with a redirect to
the neutral site. Our own CSP's `form-action 'self'` made Chromium block that redirect: the
session ended, but the page stayed on screen. Watched here as the person would see it: where
the browser ends up, and whether the old session still opens the account page.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import QUICK_EXIT_URL, LiveServer
from tests.browser.test_membership import goto, register

pytestmark = pytest.mark.browser


def _leave(page: Page) -> None:
    button = page.locator(".quick-exit__button")
    assert button.evaluate("el => el.tagName") == "BUTTON"  # the form, not the plain link
    button.click()
    page.wait_for_url(QUICK_EXIT_URL, timeout=10_000)
    assert page.locator("p").inner_text() == "neutral"


def test_quick_exit_leaves_when_signed_in_without_javascript(
    page_nojs: Page, live_server: LiveServer, route_neutral: Callable
):
    page = page_nojs
    route_neutral(page)
    register(page, live_server, "Leaves Quickly")
    goto(page, live_server, "/account")
    _leave(page)
    # The session is over: the same browser is asked to sign in again.
    page.goto(live_server.at("/account"))
    assert page.url.startswith(live_server.at("/auth/login"))


@pytest.mark.parametrize("path", ["/auth/login", "/auth/register", "/auth/reset"])
def test_quick_exit_leaves_from_a_form_page_without_javascript(
    page_nojs: Page, live_server: LiveServer, route_neutral: Callable, path: str
):
    page = page_nojs
    route_neutral(page)
    goto(page, live_server, path)
    _leave(page)


def test_quick_exit_leaves_when_signed_in_with_javascript(
    page: Page, live_server: LiveServer, route_neutral: Callable
):
    route_neutral(page)
    register(page, live_server, "Leaves Quickly Too")
    _leave_with_script(page)
    page.goto(live_server.at("/account"))
    assert page.url.startswith(live_server.at("/auth/login"))


def _leave_with_script(page: Page) -> None:
    page.locator(".quick-exit__button").click()
    page.wait_for_url(QUICK_EXIT_URL, timeout=10_000)
    assert page.locator("p").inner_text() == "neutral"
