"""What gunicorn itself says about requests (issue 9, items 2 and 11): its access log, its own
error pages and its `Server` header. Loaded by `gunicorn.conf.py`.

- The access log is off unless an operator names a file (`KENES_ACCESS_LOG`). When on, a line
  holds the time to the hour, the method, the path without its query, the protocol and the
  status: no address, agent or referer (as before), and now **no response size and no
  duration** — the size of the page after a vote told the choice, that of `/account` the
  pseudonym's length — and no minute or second, which lined a sign-in up with its session row.
- The error log is written whether or not the access log is on, and some of its lines are about
  one request: a request gunicorn could not parse, a crash (gunicorn's "Error handling request"
  or, in the same file, Flask's "Exception on …"). Its times are to the hour as well — Flask's
  lines came to the millisecond — and a request's query string is left out of gunicorn's lines.
- gunicorn writes `Server: gunicorn` into every response, below the application, which cannot
  remove it: the header line is dropped.
- gunicorn answers a request it cannot parse (a request line over `limit_request_line`, a
  malformed header) with a page of its own that carried no security header: it now carries
  the baseline headers, the same ones every application response has.
The logger is gunicorn's own, subclassed (`logger_class`); the header and the error page are
small replacements of gunicorn functions. All are checked against a real gunicorn by
`tests/security/test_serving.py`, so an upgrade that moves them fails a test, not silently.
"""

from __future__ import annotations

import html
import logging
import re
import time
from typing import Any

from flask.logging import default_handler
from gunicorn import util
from gunicorn.glogging import Logger
from gunicorn.http import wsgi

from portal.security.headers import BASELINE_HEADERS, NO_STORE

# Method, path (no query: %(U)s), protocol, status. No %(h)s address, %(a)s agent, %(f)s
# referer, %(b)s/%(B)s size, %(D)s/%(M)s/%(T)s duration.
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s %(H)s" %(s)s'


# Times in gunicorn's error log and in Flask's default line (flask.logging), to the hour.
HOUR = "%Y-%m-%d %H:00 %z"
FLASK_LOG_FORMAT = "[%(asctime)s] %(levelname)s in %(module)s: %(message)s"

# The query of a request target (`/path?query`) quoted in a message.
_QUERY = re.compile(r"(/[^\s?'\"]*)\?[^\s'\"]*")


class WithoutQuery(logging.Filter):
    """Drops the query string from request targets that gunicorn quotes in its error log."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "?" in message:
            record.msg, record.args = _QUERY.sub(r"\1", message), None
        return True


class HourlyLogger(Logger):
    """gunicorn's logger, with access- and error-log times to the hour and no query string."""

    datefmt = f"[{HOUR}]"

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        if not any(isinstance(f, WithoutQuery) for f in self.error_log.filters):
            self.error_log.addFilter(WithoutQuery())

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
    """Drop the `Server` header, give gunicorn's error pages our headers, and let Flask's own
    log lines (written into gunicorn's error log) tell the time to the hour (idempotent)."""
    if not getattr(wsgi.Response.default_headers, "kenes_hardened", False):
        wsgi.Response.default_headers = _without_server(wsgi.Response.default_headers)
    util.write_error = _error_page
    default_handler.setFormatter(logging.Formatter(FLASK_LOG_FORMAT, HOUR))
