"""What gunicorn itself shows of a request (issue 9, items 2 and 11), read from a real
gunicorn started with the project's gunicorn.conf.py.

- No access log unless an operator asks for one; when asked, each line holds the time to the
  hour, method, path, protocol and status: no size (it told a vote's choice), no duration, no
  minute or second (it lined a sign-in up with its session row), no query.
- No `Server` header, on the application's responses or on gunicorn's own error pages, which
  now carry the security headers.
"""

from __future__ import annotations

import http.client
import re
import socket
import urllib.parse

from tests.factories import PASSPHRASE
from tests.servers import gunicorn

ACCESS_LINE = re.compile(
    r'\[\d\d/\w{3}/\d{4}:\d\d:00 [+-]\d{4}\] "(GET|POST) /[^ ?]* HTTP/1\.1" \d{3}'
)


def _request(url: str, method: str, path: str, body: str = "", headers=None):  # type: ignore[no-untyped-def]
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _journey(url: str) -> None:
    for path in ("/", "/about", "/auth/login?next=/account", "/privacy"):
        assert _request(url, "GET", path)[0] == 200
    form = "pseudonym=Nobody+At+All&passphrase=" + urllib.parse.quote_plus(PASSPHRASE)
    status, _, _ = _request(
        url, "POST", "/auth/login", form, {"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert status == 400  # no CSRF token: refused, and logged like any request


def test_the_access_log_holds_hours_and_no_sizes(tmp_path):
    with gunicorn(tmp_path) as server:
        _journey(server.url)
    lines = [line for line in server.access_log.read_text(encoding="utf-8").splitlines() if line]
    assert any('"GET /about HTTP/1.1" 200' in line for line in lines)
    assert any('"POST /auth/login HTTP/1.1" 400' in line for line in lines)
    for line in lines:
        assert ACCESS_LINE.fullmatch(line), line  # nothing after the status: no size, no time


def test_no_access_log_unless_asked(tmp_path):
    with gunicorn(tmp_path, KENES_ACCESS_LOG="") as server:
        _journey(server.url)
    assert not server.access_log.exists()
    for name in ("gunicorn.out", "error.log"):
        written = (
            (tmp_path / name).read_text(encoding="utf-8") if (tmp_path / name).exists() else ""
        )
        assert "/about" not in written, name
        assert "/auth/login" not in written, name


def test_no_server_header_and_gunicorns_own_errors_carry_the_headers(tmp_path):
    with gunicorn(tmp_path) as server:
        status, headers, _ = _request(server.url, "GET", "/about")
        assert status == 200
        assert "Server" not in headers
        parts = urllib.parse.urlsplit(server.url)
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as raw:
            raw.sendall(b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = b""
            while chunk := raw.recv(65536):
                answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith("HTTP/1.1 4"), lines[0]  # refused by gunicorn, before the app
    sent = {name.lower(): value for name, _, value in (line.partition(": ") for line in lines[1:])}
    assert "server" not in sent
    assert sent["content-security-policy"].startswith("default-src 'none'")
    assert sent["x-content-type-options"] == "nosniff"
    assert sent["x-frame-options"] == "DENY"
    assert sent["referrer-policy"] == "same-origin"
    assert int(sent["content-length"]) == len(body)
