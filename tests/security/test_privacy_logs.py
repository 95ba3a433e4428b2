"""No address, forwarded-for value or user agent reaches a log line, the database or a cookie,
and no log line can be split by a crafted URL (issue 2 acceptance 3; DESIGN §4.1; checklist 31).

Distinctive values are sent with every request, through the test client and through real
gunicorn and Werkzeug servers, and then looked for in every byte they wrote.
"""

import http.client
import logging
import urllib.parse

import pytest

from portal.extensions import db
from portal.security.privacy import REDACTED, RedactingFilter, install_log_filter, redact
from tests.servers import flask_dev_server, gunicorn

ADDRESS = "198.51.100.23"
FORWARDED = ["203.0.113.45", "2001:db8:4006:812::200e"]
REAL_IP = "192.0.2.99"
AGENT_MARK = "KenesCanaryAgent"
AGENT = f"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 {AGENT_MARK}/7.7"
BARE_AGENT = f"{AGENT_MARK}/9.1 (probe)"
NEEDLES = [ADDRESS, *FORWARDED, REAL_IP, AGENT_MARK, "2001:db8"]

IDENTIFYING_HEADERS = {
    "X-Forwarded-For": ", ".join(FORWARDED),
    "X-Real-IP": REAL_IP,
    "Forwarded": f'for="[{FORWARDED[1]}]";proto=https',
}
# A path that, once decoded, would start a forged log line.
FORGED = "/x%0D%0A127.0.0.1%20-%20-%20FORGED-LINE%0A"
PATHS = [
    "/",
    "/about",
    "/privacy",
    "/safety",
    "/healthz",
    "/lang/ru?next=/about",
    "/no-such-page",
    FORGED,
]


def assert_no_needles(text_seen: str, where: str) -> None:
    for needle in NEEDLES:
        assert needle not in text_seen, f"{needle!r} found in {where}"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("client 203.0.113.9 said hi", f"client {REDACTED} said hi"),
        ("from [2001:db8::1]:443", f"from {REDACTED}:443"),
        ("v6 ::ffff:192.0.2.1 mapped", f"v6 {REDACTED} mapped"),
        ("fe80::1%eth0 link", f"{REDACTED} link"),
        ("at 07:16:11 on 29/Nov/2026", "at 07:16:11 on 29/Nov/2026"),
        ('"GET /about HTTP/1.1" 200', '"GET /about HTTP/1.1" 200'),
        ("version 3.1.9 of werkzeug", "version 3.1.9 of werkzeug"),
        ("line\r\nFORGED", "line\\r\\nFORGED"),
        ("bell\x07 and \x1b[31mred", "bell\\x07 and \\x1b[31mred"),
        ("ua Mozilla/5.0 (X11; Linux) Gecko/2010 Firefox/133.0 end", f"ua {REDACTED} end"),
        ("User-Agent: anything at all", REDACTED),
        ("curl/8.5.0", REDACTED),
    ],
)
def test_redact(raw, expected):
    assert redact(raw) == expected


def test_installed_filter_redacts_records_and_tracebacks(tmp_path):
    logger = logging.getLogger("kenes.test.redaction")
    logger.propagate = False
    handler = logging.FileHandler(tmp_path / "log", encoding="utf-8")
    logger.addHandler(handler)
    try:
        install_log_filter(("kenes.test.redaction",))
        install_log_filter(("kenes.test.redaction",))  # twice adds nothing twice
        assert sum(isinstance(f, RedactingFilter) for f in handler.filters) == 1
        try:
            raise ValueError(f"bad peer {ADDRESS}")
        except ValueError:
            logger.exception("request from %s with %s\r\nforged", FORWARDED[1], AGENT)
    finally:
        handler.close()
        logger.removeHandler(handler)
    written = (tmp_path / "log").read_text(encoding="utf-8")
    assert_no_needles(written, "a filtered log file")
    assert "\\r\\nforged" in written
    assert "ValueError: bad peer [redacted]" in written


def _journey(client):
    for path in PATHS:
        client.get(
            path,
            headers={**IDENTIFYING_HEADERS, "User-Agent": AGENT},
            environ_base={"REMOTE_ADDR": ADDRESS},
        )
    client.post(
        "/quick-exit",
        headers={**IDENTIFYING_HEADERS, "User-Agent": BARE_AGENT},
        environ_base={"REMOTE_ADDR": ADDRESS},
    )


def _database_text() -> str:
    rows = []
    for table in db.metadata.sorted_tables:
        rows.extend(map(repr, db.session.execute(table.select()).all()))
    return "\n".join(rows)


@pytest.mark.alters_app
@pytest.mark.postgres
def test_the_app_never_sees_who_is_asking(app, client):
    seen = {}

    @app.before_request
    def _look():
        from flask import request

        seen["remote_addr"] = request.remote_addr
        seen["agent"] = request.headers.get("User-Agent")
        seen["forwarded"] = request.headers.get("X-Forwarded-For")
        seen["real_ip"] = request.headers.get("X-Real-IP")
        seen["access_route"] = list(request.access_route)

    _journey(client)
    assert seen["agent"] is None
    assert seen["forwarded"] is None
    assert seen["real_ip"] is None
    assert_no_needles(repr(seen), "what a view can read")


@pytest.mark.alters_app
@pytest.mark.postgres
def test_nothing_identifying_in_logs_database_or_cookies(app, client, capfd, caplog):
    caplog.set_level(logging.DEBUG)
    app.add_url_rule("/explode", "explode", _explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    _journey(client)
    response = client.get(
        "/explode?x=1", headers={"User-Agent": AGENT}, environ_base={"REMOTE_ADDR": ADDRESS}
    )
    assert response.status_code == 500
    captured = capfd.readouterr()
    logged = captured.out + captured.err + caplog.text
    assert "Exception on /explode" in logged  # Flask did log the crash…
    assert_no_needles(logged, "the app's log output")  # …without the address in it
    for cookie in client._cookies.values():
        assert_no_needles(f"{cookie.key}={cookie.value}", "a cookie")
    with app.app_context():
        assert_no_needles(_database_text(), "the database")


def _explode():
    from flask import request

    raise RuntimeError(f"crash while serving {request.remote_addr} {request.user_agent}")


def _send(url: str, path: str, agent: str) -> None:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        connection.putheader("User-Agent", agent)
        for name, value in IDENTIFYING_HEADERS.items():
            connection.putheader(name, value)
        connection.endheaders()
        connection.getresponse().read()
    finally:
        connection.close()


def _assert_log_lines_unsplit(log: str, where: str) -> None:
    assert "FORGED-LINE" in log, f"the crafted request was not logged in {where}"
    for line in log.splitlines():
        assert not line.startswith(("127.0.0.1 - - FORGED", "FORGED")), (where, line)
        if "FORGED-LINE" in line:
            # The forged text stays on the line of the request that carried it.
            assert "GET /x" in line, (where, line)


def test_gunicorn_access_and_error_logs_name_no_one(tmp_path):
    with gunicorn(tmp_path) as server:
        for path in PATHS:
            _send(server.url, path, AGENT)
            _send(server.url, path, BARE_AGENT)
    access = server.access_log.read_text(encoding="utf-8")
    errors = server.error_log.read_text(encoding="utf-8")
    console = (tmp_path / "gunicorn.out").read_text(encoding="utf-8")
    assert '"GET /about HTTP/1.1" 200' in access  # the access log is really written
    assert "lang=ru" not in access  # and carries no query string
    for where, log in (("access log", access), ("error log", errors), ("console", console)):
        assert_no_needles(log, f"gunicorn's {where}")
    _assert_log_lines_unsplit(access, "gunicorn's access log")
    database = (tmp_path / "kenes.db").read_bytes()
    for needle in NEEDLES:
        assert needle.encode() not in database


def test_werkzeug_development_server_log_names_no_one(tmp_path):
    with flask_dev_server(tmp_path) as server:
        for path in PATHS:
            _send(server.url, path, AGENT)
    log = (tmp_path / "dev-server.log").read_text(encoding="utf-8")
    assert '"GET /about HTTP/1.1" 200' in log
    assert_no_needles(log, "the development server's log")
    _assert_log_lines_unsplit(log, "the development server's log")
