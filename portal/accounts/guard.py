"""Where a half-signed-in session, or a staff account without two-factor, may go (checklist
13 and 19). Everything else redirects to the code page or the enrolment page.
"""

from __future__ import annotations

from flask import Flask, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.accounts import credentials, sessions
from portal.extensions import db

# Public pages (the `public` blueprint, the advisory records, the recommendation register,
# their feeds, the API and the search) and static files are always reachable.
ALWAYS_OPEN_BLUEPRINTS = frozenset(
    {"public", "records", "recommendations", "feeds", "api", "search"}
)
ALWAYS_OPEN_ENDPOINTS = frozenset({"static", "auth.logout"})
PENDING_OPEN = ALWAYS_OPEN_ENDPOINTS | {"auth.two_factor"}
UNENROLLED_STAFF_OPEN = ALWAYS_OPEN_ENDPOINTS | {"account.two_factor", "account.start_two_factor"}


def _open_to(allowed: frozenset[str]) -> bool:
    endpoint = request.endpoint
    if endpoint is None:  # no such route: let it be a 404
        return True
    return endpoint in allowed or request.blueprint in ALWAYS_OPEN_BLUEPRINTS


def check_session_stage() -> Response | None:
    state = sessions.current()
    if state is None:
        return None
    if state.pending:
        if not _open_to(PENDING_OPEN):
            return redirect(url_for("auth.two_factor"), code=303)
        return None
    if (
        current_user.is_authenticated
        and current_user.is_staff
        and not credentials.two_factor_enabled(db.session, current_user.member)
        and not _open_to(UNENROLLED_STAFF_OPEN)
    ):
        return redirect(url_for("account.two_factor"), code=303)
    return None


def register(app: Flask) -> None:
    app.before_request(check_session_stage)
