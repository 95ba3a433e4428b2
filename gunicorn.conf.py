"""gunicorn settings for Kenes (`gunicorn -c gunicorn.conf.py wsgi:app`).

No access log unless KENES_ACCESS_LOG names one; then it names no one and weighs nothing: no
remote address (%(h)s), no user agent (%(a)s), no referer (%(f)s), no query string (%(q)s,
%(r)s), no response size, no duration — the time to the hour, method, path, protocol, status
(portal/security/serving.py). The error log, always on, also tells the time to the hour, Flask's
lines in it too, and leaves queries out. The redacting filter is installed on gunicorn's loggers
as well, for anything else it logs. gunicorn's `Server` header is dropped and its own error
pages carry the security headers.
"""

import os
import subprocess
import sys

from portal.security.privacy import install_log_filter
from portal.security.serving import ACCESS_LOG_FORMAT, harden_gunicorn

harden_gunicorn()

bind = os.environ.get("KENES_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("KENES_WORKERS", "2"))
worker_class = "sync"
timeout = 30
graceful_timeout = 10
# Request limits guard the parser itself, before Flask's MAX_CONTENT_LENGTH applies.
limit_request_line = 4096
limit_request_fields = 60
limit_request_field_size = 8190
forwarded_allow_ips = os.environ.get("KENES_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = os.environ.get("KENES_ACCESS_LOG") or None
errorlog = os.environ.get("KENES_ERROR_LOG", "-")
access_log_format = ACCESS_LOG_FORMAT
logger_class = "portal.security.serving.HourlyLogger"
loglevel = os.environ.get("KENES_LOG_LEVEL", "info")
# gunicorn 23+ opens a management socket in the home directory (worker counts, reload) for its
# `gunicornc` tool. Kenes does not use it: no socket that can reconfigure the server.
control_socket_disable = True


def on_starting(server):
    """In the master process, before any log line about a client can be written."""
    install_log_filter()


def post_fork(server, worker):
    """In each worker: gunicorn sets up its loggers again after forking."""
    install_log_filter()


def when_ready(server):
    """With KENES_ANNOUNCE=1 (`make run`): say where the site is once it answers, not before —
    from a process of its own (portal/announce.py says why not a thread)."""
    if os.environ.get("KENES_ANNOUNCE") == "1":
        addresses = [str(listener) for listener in server.LISTENERS]
        subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
            [sys.executable, "-m", "portal.announce", addresses[0] if addresses else ""],
            close_fds=True,
        )
