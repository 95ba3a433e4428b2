"""Pages anyone may read: home, about, privacy, safety, the language switch, health, quick exit."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.accounts import sessions
from portal.extensions import db
from portal.i18n import LANGUAGE_COOKIE, LOCALES, is_local_path
from portal.security.headers import CLEAR_SITE_DATA

bp = Blueprint("public", __name__)

LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600


@bp.get("/")
def home() -> str:
    # After an account is deleted (account.delete): say so, and what remains.
    farewell = request.args.get("farewell")
    return render_template(
        "public/home.html", farewell=farewell if farewell in ("kept", "erased") else None
    )


@bp.get("/about")
def about() -> str:
    return render_template("public/about.html")


@bp.get("/privacy")
def privacy() -> str:
    return render_template("public/privacy.html")


@bp.get("/safety")
def safety() -> str:
    contacts = current_app.config["KENES"].support_contacts
    return render_template("public/safety.html", contacts=contacts)


@bp.get("/lang/<code>")
def switch_language(code: str) -> Response:
    """A plain link that sets the language cookie and goes back where the reader was."""
    if code not in LOCALES:
        abort(404)
    target = request.args.get("next", "")
    if not is_local_path(target):
        target = url_for(".home")
    response = redirect(target, code=303)
    response.set_cookie(
        LANGUAGE_COOKIE,
        code,
        max_age=LANGUAGE_COOKIE_SECONDS,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
        path="/",
    )
    return response


@bp.get("/healthz")
def healthz() -> Response:
    """For the load balancer and `make run`: is the app up and can it reach its database?"""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        response = jsonify(status="unavailable", database="unreachable")
        response.status_code = 503
    else:
        response = jsonify(status="ok", database="ok")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/quick-exit")
def quick_exit() -> Response:
    """End the session and leave: the script's beacon gets 204, a plain form post a redirect."""
    sessions.end_current()
    db.session.commit()
    if request.form.get("beacon") == "1":
        response = make_response("", 204)
    else:
        response = redirect(current_app.config["KENES"].quick_exit_url, code=303)
    # Ask the browser to forget this site's cache, cookies and storage too.
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response
