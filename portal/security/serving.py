"""What gunicorn itself says about requests (issue 9, items 2 and 11): its access log, its own
error pages and its `Server` header. Loaded by `gunicorn.conf.py`.

- The access log is off unless an operator names a file (`KENES_ACCESS_LOG`). When on, a line
  holds the time to the hour, the method, the path without its query, the protocol and the
  status: no address, agent or referer (as before), and now **no response size and no
  duration** — the size of the page after a vote told the choice, that of `/account` the
  pseudonym's length — and no minute or second, which lined a sign-in up with its session row.
- gunicorn writes `Server: gunicorn` into every response, below the application, which cannot
  remove it: the header line is dropped.
- gunicorn answers a request it cannot parse (a request line over `limit_request_line`, a
  malformed header) with a page of its own that carried no security header: it now carries
  the baseline headers, the same ones every application response has.
Both are small replacements of gunicorn functions, checked against a real gunicorn by
`tests/security/test_serving.py`, so an upgrade that moves them fails a test, not silently.
"""

from __future__ import annotations

import html
import time
from typing import Any

from gunicorn import util
from gunicorn.glogging import Logger
from gunicorn.http import wsgi

from portal.security.headers import BASELINE_HEADERS, CONTENT_SECURITY_POLICY, NO_STORE

# Method, path (no query: %(U)s), protocol, status. No %(h)s address, %(a)s agent, %(f)s
# referer, %(b)s/%(B)s size, %(D)s/%(M)s/%(T)s duration.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s %(H)s" %(s)s'


class HourlyLogger(Logger):
    """gunicorn's logger, with access-log times to the hour."""

    def now(self) -> str:
        return time.strftime("[%d/%b/%Y:%H:00 %z]")


def _without_server(original: Any) -> Any:
    def default_headers(self: Any) -> list[str]:
        return [line for line in original(self) if not line.lower().startswith("server:")]

    default_headers.kenes_hardened = True  # type: ignore[attr-defined]
    return default_headers


def _error_page(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's own error page, with the headers every Kenes response carries."""
    title, text = html.escape(reason), html.escape(mesg)
    body = (
        f"<!doctype html><html><head><title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>{text}</p></body></html>"
    )
    headers = {
        **BASELINE_HEADERS,
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "Cache-Control": NO_STORE,
        "Connection": "close",
        "Content-Type": "text/html; charset=utf-8",
        "Content-Length": str(len(body.encode())),
    }
    head = f"HTTP/1.1 {status_int} {reason}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in headers.items()
    )
    util.write_nonblock(sock, (head + "\r\n").encode("latin-1") + body.encode())


def harden_gunicorn() -> None:
    """Drop the `Server` header and give gunicorn's error pages our headers (idempotent)."""
    if not getattr(wsgi.Response.default_headers, "kenes_hardened", False):
        wsgi.Response.default_headers = _without_server(wsgi.Response.default_headers)
    util.write_error = _error_page
