"""What gunicorn itself shows of a request (issue 9, items 2 and 11), read from a real
gunicorn started with the project's gunicorn.conf.py.

- No access log unless an operator asks for one; when asked, each line holds the time to the
  hour, method, path, protocol and status: no size (it told a vote's choice), no duration, no
  minute or second (it lined a sign-in up with its session row), no query.
- The error log, always written, tells the time to the hour too — gunicorn's lines about a
  request it could not parse or a crash, and Flask's "Exception on …" in the same file — and
  quotes no query string.
- No `Server` header, on the application's responses or on gunicorn's own error pages (a
  request it cannot parse, a crash below the application), which carry the security headers.
"""

from __future__ import annotations

import http.client
import re
import socket
import time
import urllib.parse

from portal.extensions import db
from portal.security.headers import BASELINE_HEADERS, content_security_policy
from tests.factories import PASSPHRASE, make_member
from tests.security.test_ballot_concurrency import LiveClient, server_app
from tests.servers import LiveServer, gunicorn

ACCESS_LINE = re.compile(
    r'\[\d\d/\w{3}/\d{4}:\d\d:00 [+-]\d{4}\] "(GET|POST) /[^ ?]* HTTP/1\.1" \d{3}'
)
# The error log's times (gunicorn's and Flask's lines) and any time finer than the hour.
ERROR_LOG_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d[:,.\d]*")
HOUR_STAMP = re.compile(r"\[\d{4}-\d\d-\d\d \d\d:00 [+-]\d{4}\] ")
TO_THE_SECOND = re.compile(r"\d\d:\d\d:\d\d")
QUERY_MARK = "who="


def _request(url: str, method: str, path: str, body: str = "", headers=None):  # type: ignore[no-untyped-def]
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _raw(url: str, request: bytes) -> bytes:
    """Send bytes no HTTP client would, and read the whole answer."""
    parts = urllib.parse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as raw:
        raw.sendall(request)
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    return answer


def _journey(server: LiveServer) -> None:
    """A member signs in and looks around; someone else posts a form without its token."""
    setup = server_app(server)
    try:
        account = make_member(setup, "Leaves No Trace", passphrase=PASSPHRASE)
    finally:
        with setup.app_context():
            db.session.remove()
            db.engine.dispose()
    member = LiveClient(server)
    for path in ("/", "/about", f"/privacy?{QUERY_MARK}member"):
        assert member.request("GET", path).status == 200, path
    member.csrf_token("/auth/login?next=/account")
    member.sign_in(account)
    assert member.request("GET", "/account").status == 200
    refused = LiveClient(server).request(
        "POST", "/auth/login", {"pseudonym": account.pseudonym, "passphrase": PASSPHRASE}
    )
    assert refused.status == 400  # no CSRF token: refused, and logged like any request


def test_the_access_log_holds_hours_and_no_sizes(tmp_path):
    with gunicorn(tmp_path) as server:
        _journey(server)
    log = server.access_log.read_text(encoding="utf-8")
    lines = [line for line in log.splitlines() if line]
    for expected in (
        '"GET /about HTTP/1.1" 200',
        '"GET /privacy HTTP/1.1" 200',
        '"POST /auth/login HTTP/1.1" 303',
        '"GET /account HTTP/1.1" 200',
        '"POST /auth/login HTTP/1.1" 400',
    ):
        assert any(expected in line for line in lines), expected
    for line in lines:
        # Nothing after the status: no size, no duration; the time to the hour; no query.
        assert ACCESS_LINE.fullmatch(line), line
    assert QUERY_MARK not in log


def test_no_access_log_unless_asked(tmp_path):
    # Neither log named: the error log goes to stderr, and what the server process writes on
    # stdout and stderr is all in gunicorn.out.
    with gunicorn(tmp_path, KENES_ACCESS_LOG=None, KENES_ERROR_LOG=None) as server:
        _journey(server)
    written = (tmp_path / "gunicorn.out").read_text(encoding="utf-8")
    assert "Booting worker" in written  # the server's own output is captured here…
    for path in ("/healthz", "/about", "/privacy", "/auth/login", "/account"):
        assert path not in written, path  # …and no request is in it
    assert not server.access_log.exists()
    assert not server.error_log.exists()


def test_the_error_log_tells_hours_and_no_query(tmp_path):
    """The error log is always written; some of its lines are about one request."""
    with gunicorn(tmp_path, "tests.crashing_wsgi:app") as server:
        assert _request(server.url, "GET", f"/crash?{QUERY_MARK}view")[0] == 500
        assert _request(server.url, "GET", f"/crash-below-flask?{QUERY_MARK}wsgi")[0] == 500
        for unparsable in (
            f"GET /about?{QUERY_MARK}{'a' * 5000} HTTP/1.1\r\nHost: x\r\n\r\n",
            f"GET /about?{QUERY_MARK}line\r\n\r\n",
            f"GET /about?{QUERY_MARK}version junk HTTP/1.1\r\nHost: x\r\n\r\n",
        ):
            assert _raw(server.url, unparsable.encode()).startswith(b"HTTP/1.1 4")
    log = server.error_log.read_text(encoding="utf-8")
    about_a_request = [
        line
        for line in log.splitlines()
        if "Exception on /crash [GET]" in line  # Flask's line, in gunicorn's error log
        or "Error handling request GET /crash-below-flask" in line  # gunicorn's
        or "Invalid request" in line  # gunicorn's, one for each it could not parse
    ]
    assert len(about_a_request) == 5, about_a_request
    for line in about_a_request:
        assert HOUR_STAMP.match(line), line
    assert all(time.endswith(":00") for time in ERROR_LOG_TIME.findall(log)), log
    assert not TO_THE_SECOND.search(log)
    assert QUERY_MARK not in log


def _answer(url: str, request: bytes) -> tuple[str, dict[str, str], bytes]:
    """The status line, the headers (names in lower case) and the body of the answer."""
    head, _, body = _raw(url, request).partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    sent = {name.lower(): value for name, _, value in (line.partition(": ") for line in lines)}
    return status, sent, body


# Requests gunicorn answers itself, with a page of its own, before or around the application.
GUNICORN_ERRORS = [
    ("a request line over limit_request_line", b"GET /" + b"a" * 5000 + b" HTTP/1.1", 414),
    ("a header line without a colon", b"GET /about HTTP/1.1\r\nHost: x\r\nNo colon", 400),
    ("no request line at all", b"BROKEN", 400),
    ("a header over limit_request_field_size", b"GET / HTTP/1.1\r\nX-Long: " + b"a" * 9000, 431),
    ("a crash below the application", b"GET /crash-below-flask HTTP/1.1\r\nHost: x", 500),
]


def _assert_hardened(sent: dict[str, str], where: str) -> None:
    assert "server" not in sent, where
    assert sent.get("content-security-policy", "").startswith("default-src 'none';"), where
    assert sent.get("x-content-type-options") == "nosniff", where
    assert sent.get("x-frame-options") == "DENY", where


def test_no_server_header_and_gunicorns_own_errors_carry_the_headers(tmp_path):
    with gunicorn(tmp_path, "tests.crashing_wsgi:app") as server:
        page = _answer(server.url, b"GET /about HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        errors = [
            (what, status, _answer(server.url, request + b"\r\n\r\n"))
            for what, request, status in GUNICORN_ERRORS
        ]
    status_line, sent, _ = page
    assert status_line == "HTTP/1.1 200 OK"
    _assert_hardened(sent, "a page")
    assert sent["content-security-policy"] == content_security_policy("https://neutral.example/")
    for what, status, (status_line, sent, body) in errors:
        assert status_line.startswith(f"HTTP/1.1 {status} "), (what, status_line)
        _assert_hardened(sent, what)
        # The very headers every application response carries (one dict, headers.py).
        assert {name: sent.get(name.lower()) for name in BASELINE_HEADERS} == BASELINE_HEADERS
        assert int(sent["content-length"]) == len(body), what


def test_no_control_socket_that_could_reconfigure_the_server(tmp_path):
    """gunicorn 23+ opens a management socket (worker counts, reload) in the home directory
    unless told not to; Kenes does not use it."""
    home, runtime = tmp_path / "home", tmp_path / "runtime"
    home.mkdir()
    runtime.mkdir()
    with gunicorn(tmp_path, HOME=str(home), XDG_RUNTIME_DIR=str(runtime)) as server:
        assert _request(server.url, "GET", "/about")[0] == 200
        time.sleep(0.5)  # gunicorn opens it once its workers run
        sockets = [*home.rglob("*.ctl"), *runtime.rglob("*.ctl")]
    assert sockets == []
    for name in ("gunicorn.out", "error.log"):
        path = tmp_path / name
        written = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        assert "Control socket" not in written, name
