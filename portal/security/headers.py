"""The response headers every Kenes response carries, HTML or not, errors included.

One place, so the policy can be read whole: `default-src 'none'` and only our own origin for
script, style, images and fonts; no inline script or style attribute (layout that depends on a
value uses classes, <meter>/<progress> or SVG attributes); nothing may frame us.
"""

from __future__ import annotations

from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ]
)

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


def apply_security_headers(response: Response, *, production: bool, private: bool) -> Response:
    """Set the baseline headers; `private` marks a response to someone with a session."""
    for name, value in BASELINE_HEADERS.items():
        response.headers[name] = value
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
