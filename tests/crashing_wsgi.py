"""What gunicorn serves in tests that watch the application crash (tests/security/test_serving.py):
the site of wsgi.py with two ways to fail, as a bug would.

- `/crash`: a view raises; Flask logs it and answers its 500 page, as in production (the
  testing settings would let the exception through to gunicorn).
- `/crash-below-flask`: the exception escapes the application; gunicorn logs it and answers
  with its own error page.
"""

from typing import Any

from wsgi import app

app.config["PROPAGATE_EXCEPTIONS"] = False


def _crash() -> str:
    raise RuntimeError("a bug in a view")


app.add_url_rule("/crash", "crash", _crash)
_flask = app.wsgi_app


def _crash_below_flask(environ: dict[str, Any], start_response: Any) -> Any:
    if environ.get("PATH_INFO") == "/crash-below-flask":
        raise RuntimeError("a bug below the application")
    return _flask(environ, start_response)


app.wsgi_app = _crash_below_flask  # type: ignore[method-assign]
