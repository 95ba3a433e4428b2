"""Error pages in the base layout and the reader's language; never a traceback.

A CSRF failure (a form left open too long, a session that expired, a rotated key) gets a page of
its own: nothing was saved, here is what you typed, send it again. A member who wrote a long
comment on a phone must not lose it.
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.extensions import db

# What each status says to a person. Codes not listed fall back to the generic message.
MESSAGES = {
    400: (
        _l("The request could not be understood"),
        _l("Something in the request was not right. Go back and try again."),
    ),
    403: (_l("Not allowed"), _l("You do not have permission to open this page.")),
    404: (
        _l("Page not found"),
        _l("There is no page at this address. Check the address, or start from the home page."),
    ),
    405: (
        _l("Not allowed this way"),
        _l("This page cannot be used like that. Go back and use the page's own buttons."),
    ),
    413: (
        _l("Too much to send"),
        _l("What you tried to send is too large. Shorten it and try again."),
    ),
    429: (
        _l("Please wait a moment"),
        _l("There were too many attempts. Wait a few minutes, then try again."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("The page could not be shown. Nothing you did caused this. Please try again later."),
    ),
}

# Form fields never shown back to the person: secrets must not sit in a page or its cache.
_NOT_ECHOED = ("csrf", "pass", "code", "token", "secret", "otp", "totp")


def echoable_fields(form) -> list[tuple[str, str, bool]]:  # type: ignore[no-untyped-def]
    """(name, value, is_prose) for each field of a failed form worth giving back.

    Prose — what a person typed — is shown in a text box to check and edit; short values such
    as a chosen option ride along hidden. Secrets are never given back.
    """
    return [
        (name, value, len(value) > 40 or any(ch.isspace() for ch in value))
        for name, value in form.items(multi=True)
        if value.strip() and not any(word in name.lower() for word in _NOT_ECHOED)
    ]


def _render(code: int):  # type: ignore[no-untyped-def]
    title, message = MESSAGES.get(code, MESSAGES[400 if code < 500 else 500])
    return render_template("errors/error.html", code=code, title=title, message=message), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_failed(_error: CSRFError):  # type: ignore[no-untyped-def]
        db.session.rollback()
        fields = echoable_fields(request.form)
        return render_template("errors/resubmit.html", fields=fields, action=request.path), 400

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):  # type: ignore[no-untyped-def]
        if error.code is None or error.code < 400:
            return error
        db.session.rollback()
        if request.path.startswith(API_PREFIX):
            return _json_error(error)
        response = _render(error.code)
        if error.code == 405 and error.valid_methods:
            return (*response, {"Allow": ", ".join(error.valid_methods)})
        return response

    @app.errorhandler(InternalServerError)
    def _server_error(error: InternalServerError):  # type: ignore[no-untyped-def]
        # Flask has logged the exception already (through the redacting filter).
        db.session.rollback()
        if request.path.startswith(API_PREFIX):
            return _json_error(InternalServerError())
        return _render(500)


API_PREFIX = "/api/v1/"


def _json_error(error: HTTPException):  # type: ignore[no-untyped-def]
    """The API answers errors in JSON, with the status's name and what was wrong — never a
    page, never a traceback — and, like every API answer, to any origin."""
    code = error.code or 500
    body = {"error": error.name, "message": error.description if code < 500 else error.name}
    headers = {"Access-Control-Allow-Origin": "*", "Cache-Control": "no-store"}
    if code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    return jsonify(body), code, headers
