"""Keeping addresses and user agents out of Kenes altogether (DESIGN §4.1).

Two layers, so that one mistake does not identify a member:

1. `ScrubClientIdentity`, a WSGI middleware, removes the client's address, the forwarded-for
   family of headers and the user agent from every request before any of our code (or a
   library's) can read, store or log them.
2. `RedactingFilter`, installed on the root, Flask, Werkzeug and gunicorn loggers and their
   handlers, removes IPv4/IPv6 addresses and user agents from every log record that still
   mentions one, and escapes CR/LF and other control characters so no log line can be forged
   or split by a crafted URL.
"""

from __future__ import annotations

import ipaddress
import logging
import re
from collections.abc import Callable, Iterable
from typing import Any

# Headers that carry the client's address or software. Proxies invent new ones now and then;
# the list errs on the side of removing.
IDENTIFYING_ENVIRON_KEYS = (
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_X_CLIENT_IP",
    "HTTP_CLIENT_IP",
    "HTTP_X_CLUSTER_CLIENT_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_X_ORIGINAL_FORWARDED_FOR",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_MOBILE",
    "HTTP_SEC_CH_UA_PLATFORM",
    "HTTP_VIA",
)

# What REMOTE_ADDR reads after scrubbing. Not an address, so nothing can mistake it for one;
# present, because Werkzeug's development server reads the key when it logs.
SCRUBBED_ADDRESS = "-"

REDACTED = "[redacted]"


class ScrubClientIdentity:
    """WSGI middleware: the application never sees who is asking."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        for key in IDENTIFYING_ENVIRON_KEYS:
            environ.pop(key, None)
        environ["REMOTE_ADDR"] = SCRUBBED_ADDRESS
        environ.pop("REMOTE_PORT", None)
        return self.app(environ, start_response)


_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
# Candidates only: a run of hex digits, colons and dots with at least two colons. Each is
# checked by `ipaddress`, so clock times such as 07:16:11 are left alone.
_IPV6_CANDIDATE = re.compile(r"(?<![\w:.])\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*:[0-9A-Fa-f:.%\w]*\]?")
# Browsers and HTTP clients announce themselves as product/version (comment) ... ; a header
# line names itself. The HTTP version in a request line is not a user agent.
_USER_AGENT = re.compile(
    r"(?i)(?:user-agent\s*[:=]\s*[^\r\n]*)"
    r"|(?:\b(?:Mozilla|Opera|curl|Wget|python-requests|python-urllib|python-httpx|aiohttp"
    r"|okhttp|Dalvik|Java|Go-http-client|PostmanRuntime|axios|node-fetch|HeadlessChrome"
    r"|Lynx|Links|libwww-perl|Apache-HttpClient)/[^\s\"']*(?:\s+\([^)]*\))?"
    r"(?:\s+[\w.-]+/[\w.-]+(?:\s+\([^)]*\))?)*)"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u0085\u2028\u2029\r\n]")


def _is_address(text: str) -> bool:
    candidate = text.strip("[]").split("%", 1)[0]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return True


def _escape_control(match: re.Match[str]) -> str:
    char = match.group(0)
    return {"\r": "\\r", "\n": "\\n", "\t": "\\t"}.get(char, f"\\x{ord(char):02x}")


def redact(text: str) -> str:
    """The text with addresses and user agents replaced and control characters escaped."""
    text = _USER_AGENT.sub(REDACTED, text)
    text = _IPV6_CANDIDATE.sub(lambda m: REDACTED if _is_address(m.group(0)) else m.group(0), text)
    text = _IPV4.sub(lambda m: REDACTED if _is_address(m.group(0)) else m.group(0), text)
    return _CONTROL.sub(_escape_control, text)


class RedactingFilter(logging.Filter):
    """Rewrites each record's message (and any traceback) through `redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            # Tracebacks keep their line breaks (they are ours), but lose addresses and agents.
            record.exc_text = "\n".join(redact(line) for line in record.exc_text.splitlines())
        if record.stack_info:
            record.stack_info = "\n".join(redact(line) for line in record.stack_info.splitlines())
        return True


LOGGER_NAMES = ("", "flask.app", "werkzeug", "gunicorn", "gunicorn.error", "gunicorn.access")


def install_log_filter(extra_logger_names: Iterable[str] = ()) -> None:
    """Put the filter on each named logger and on every handler they have.

    A logger's own filters see only records logged on it, not those its children pass up, so
    the handlers are filtered too; calling this twice adds nothing twice.
    """
    for name in (*LOGGER_NAMES, *extra_logger_names):
        logger = logging.getLogger(name)
        targets: list[logging.Filterer] = [logger, *logger.handlers]
        for target in targets:
            if not any(isinstance(f, RedactingFilter) for f in target.filters):
                target.addFilter(RedactingFilter())
