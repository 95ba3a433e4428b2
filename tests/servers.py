"""Real servers for tests that need one: gunicorn (as in production) and Flask's development
server, each started on a free loopback port with a throwaway SQLite database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from portal.clock import MovableClock
from tests.conftest import TEST_SECRETS

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class LiveServer:
    url: str
    directory: Path
    env: dict[str, str]

    @property
    def access_log(self) -> Path:
        return self.directory / "access.log"

    @property
    def error_log(self) -> Path:
        return self.directory / "error.log"

    @property
    def clock_file(self) -> Path:
        """Write a number of seconds here to move the server's clock (portal/clock.py)."""
        return self.directory / "clock-offset"

    def now(self) -> datetime:
        """The server's idea of now: the same testing clock it reads."""
        return MovableClock(self.clock_file).now()

    @property
    def origin(self) -> str:
        return self.url

    def at(self, path: str) -> str:
        return self.url + path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(directory: Path, **extra: str | None) -> dict[str, str]:
    """The environment of a testing app on its own SQLite database in `directory`; a setting
    given as None is left out (e.g. `KENES_ACCESS_LOG=None`: the server's own default)."""
    # Nothing of the developer's own KENES_*/FLASK_* settings leaks into the server under test.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KENES_", "FLASK_"))}
    env |= {
        "KENES_ENV": "testing",
        "KENES_DATABASE_URL": f"sqlite:///{directory / 'kenes.db'}",
        "KENES_INSTANCE_PATH": str(directory / "instance"),
        "KENES_SEARCH_DIR": str(directory / "search"),
        "KENES_TEST_CLOCK_FILE": str(directory / "clock-offset"),
        "KENES_QUICK_EXIT_URL": "https://neutral.example/",
        "KENES_ACCESS_LOG": str(directory / "access.log"),
        "KENES_ERROR_LOG": str(directory / "error.log"),
        "KENES_WORKERS": "2",
        "PYTHONDONTWRITEBYTECODE": "1",
        **TEST_SECRETS,
    }
    env |= extra
    return {name: value for name, value in env.items() if value is not None}


# Never through a proxy from the environment: the servers are on loopback.
_LOCAL_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return "(no log)"


def _wait_until_healthy(
    url: str, process: subprocess.Popen, output: Path, timeout: float = 30
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{_tail(output)}")
        try:
            with _LOCAL_OPENER.open(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            error.close()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not become healthy in {timeout} s:\n{_tail(output)}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def migrate(env: dict[str, str]) -> None:
    subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


@contextmanager
def _serve(directory: Path, command: list[str], output_name: str, **extra: str | None):
    env = server_env(directory, **extra)
    migrate(env)
    port = free_port()
    command = [arg.replace("{port}", str(port)) for arg in command]
    with open(directory / output_name, "wb") as output:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_healthy(url, process, directory / output_name)
            yield LiveServer(url, directory, env)
        finally:
            _stop(process)


def gunicorn(directory: Path, wsgi_app: str = "wsgi:app", **extra: str | None):
    """gunicorn with the project's own gunicorn.conf.py, logs written to files in `directory`.

    Console output goes to gunicorn.out; the access and error logs to access.log and error.log.
    `wsgi_app` is what it serves (another module only for tests that need a route the site
    lacks, such as one that crashes).
    """
    command = [
        str(BIN / "gunicorn"),
        "-c",
        "gunicorn.conf.py",
        "--bind",
        "127.0.0.1:{port}",
        wsgi_app,
    ]
    return _serve(directory, command, "gunicorn.out", **extra)


def flask_dev_server(directory: Path, **extra: str | None):
    """Flask's (Werkzeug's) development server; everything it logs goes to dev-server.log."""
    command = [
        str(BIN / "flask"),
        "--app",
        "wsgi",
        "run",
        "--host",
        "127.0.0.1",
        "--port",
        "{port}",
    ]
    return _serve(directory, command, "dev-server.log", **extra)
