"""`make run`'s announcement, in a process of its own: say where the site is once it answers.

gunicorn's master (gunicorn.conf.py, `when_ready`) starts this as a separate process, not a
thread: a thread of the master that was inside an import (urllib pulls in `encodings.idna`)
while a worker was forked left that worker holding the import's lock forever, and its first
request hung until gunicorn killed it 30 s later. A process of its own shares no lock with the
workers."""

from __future__ import annotations

import sys
import time
import urllib.request

# How long to wait for the site to answer before giving up (seconds).
ANNOUNCE_WITHIN = 120


def announce(address: str, within: float = ANNOUNCE_WITHIN) -> bool:
    """Print the address once `address/healthz` answers 200; False if it never did."""
    if not address.startswith("http://"):  # a unix socket: nothing to open in a browser
        return False
    # Straight to the site on this machine, never through a proxy named in the environment.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with opener.open(f"{address}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    print(f"\n  Kenes is running: open {address} (Ctrl-C stops it)\n", flush=True)
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


if __name__ == "__main__":
    announce(sys.argv[1] if len(sys.argv) > 1 else "")
