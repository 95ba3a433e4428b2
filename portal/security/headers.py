"""The response headers every Kenes response carries, HTML or not, errors included.

One place, so the policy can be read whole: `default-src 'none'` and only our own origin for
script, style, images and fonts; no inline script or style attribute (layout that depends on a
value uses classes, <meter>/<progress> or SVG attributes); nothing may frame us.

`form-action` names one other origin: the quick-exit destination's. Without JavaScript, quick
exit is a form that ends the session and is answered with a redirect to the neutral site, and
Chromium applies `form-action` to the redirect as well: with `'self'` alone, the session ended
but the page stayed on screen (issue 9). That origin receives a navigation, never a request
from one of our pages (checklist 6).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, session
from werkzeug.wrappers import Response


def content_security_policy(quick_exit_url: str | None = None) -> str:
    """The policy; with the quick-exit URL, its origin may receive the quick-exit form."""
    form_action = "form-action 'self'"
    if quick_exit_url:
        parts = urlsplit(quick_exit_url)
        form_action += f" {parts.scheme}://{parts.netloc}"
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "font-src 'self'",
            "connect-src 'self'",
            form_action,
            "base-uri 'none'",
            "object-src 'none'",
            "frame-ancestors 'none'",
        ]
    )


# For responses that are not the application's own (e.g. the server's error pages).
CONTENT_SECURITY_POLICY = content_security_policy()

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

BASELINE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # same-origin, not no-referrer: Flask-WTF's strict HTTPS referrer check needs our own
    # origin's Referer, and same-origin never sends it anywhere else.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
}

HSTS = "max-age=63072000; includeSubDomains"

# Sent on sign-out, quick exit and account deletion: the browser forgets this site's cache,
# cookies and storage, so a phone searched afterwards holds nothing of the session.
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'

# Private pages must not stay in a phone's cache or be shown again by the back button; and no
# proxy may compress them, which would make a page showing a ballot vary in length with the
# choice (portal.security.padding).
NO_STORE = "no-store, no-transform"
# Anonymous public pages carry no session and no token, so they may be cached; they differ by
# language, chosen from a cookie or Accept-Language.
PUBLIC_CACHE = "public, max-age=300"
# Advisory records and the register may be corrected, withdrawn or have a quote redacted to
# protect a member at any moment: a cache may keep them, but must ask again before each use.
REVALIDATE = "no-cache"


def always_revalidate(response: Response) -> Response:
    """An `after_request` for pages that must never be served stale (see REVALIDATE). An
    anonymous reader's copy carries an ETag drawn from its bytes, so asking again costs a
    `304 Not Modified` and no body until the page changes — a correction, a withdrawal, a
    redaction, a status change (issue 13)."""
    response.headers.setdefault("Cache-Control", REVALIDATE)
    if (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and not session
        and not response.is_streamed
    ):
        response.add_etag()
        response.make_conditional(request)
    return response


def apply_security_headers(
    response: Response, *, production: bool, private: bool, policy: str = CONTENT_SECURITY_POLICY
) -> Response:
    """Set the baseline headers; `private` marks a response to someone with a session;
    `policy` is the site's CSP (`content_security_policy(quick_exit_url)`)."""
    for name, value in BASELINE_HEADERS.items():
        response.headers[name] = value
    response.headers["Content-Security-Policy"] = policy
    if production:
        response.headers["Strict-Transport-Security"] = HSTS
    response.headers.pop("Server", None)
    response.headers.pop("X-Powered-By", None)
    if private:
        response.headers["Cache-Control"] = NO_STORE
        response.headers.pop("Expires", None)
    elif "Cache-Control" not in response.headers and response.status_code == 200:
        response.headers["Cache-Control"] = PUBLIC_CACHE
        response.vary.update(("Cookie", "Accept-Language"))
    elif "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = NO_STORE
    return response
