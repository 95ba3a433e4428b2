"""`make run` serves where KENES_BIND says, and says so only once the site answers (issue 11,
item 12): it used to pass `--bind 127.0.0.1:8000` over gunicorn.conf.py's KENES_BIND, and to
print "Kenes is running" before gunicorn had even started."""

from __future__ import annotations

import re
import subprocess
import time
import urllib.request

from tests.servers import BIN, PROJECT_ROOT, _stop, free_port, migrate, server_env

ANNOUNCED = re.compile(r"Kenes is running: open (http://[0-9.]+:\d+) \(Ctrl-C stops it\)")
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def test_make_run_leaves_the_address_to_kenes_bind_and_announces_nothing_itself():
    recipe = subprocess.run(
        ["make", "-n", "run"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    ).stdout
    (serve,) = [line for line in recipe.splitlines() if "gunicorn" in line]
    assert "--bind" not in serve
    assert "-b " not in serve
    assert "KENES_ANNOUNCE=1" in serve
    assert "Kenes is running" not in recipe


def test_the_address_is_said_once_the_site_answers_there(tmp_path):
    env = server_env(tmp_path, KENES_ANNOUNCE="1", KENES_BIND=f"127.0.0.1:{free_port()}")
    migrate(env)
    output = tmp_path / "gunicorn.out"
    with open(output, "wb") as sink:
        process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "wsgi:app"],
            cwd=PROJECT_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        found = None
        while found is None and time.monotonic() < deadline and process.poll() is None:
            found = ANNOUNCED.search(output.read_text(errors="replace"))
            time.sleep(0.05)
        assert found, output.read_text(errors="replace")[-3000:]
        assert found.group(1) == f"http://{env['KENES_BIND']}"
        # Said once it answers: the very next request is served.
        with NO_PROXY.open(f"{found.group(1)}/healthz", timeout=5) as answer:
            assert answer.status == 200
        assert len(ANNOUNCED.findall(output.read_text(errors="replace"))) == 1
    finally:
        _stop(process)
