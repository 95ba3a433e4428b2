"""Advisory records for everyone (`/records…`): the list, and each record at a permalink that
never breaks — `/records/AR-2026-007` for the latest revision, `/records/AR-2026-007/v1` for
each one. A withdrawn record answers at the same addresses with its tombstone: number, title,
dates and why — never its text, never a 404. No session is started for a reader.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from consultations.errors import NotFound
from consultations.services import records
from portal.extensions import db
from portal.security.headers import always_revalidate

bp = Blueprint("records", __name__, url_prefix="/records")
bp.after_request(always_revalidate)


@bp.get("")
def index() -> str:
    return render_template("records/index.html", listed=records.public_list(db.session))


def _show(number: str, revision: int | None) -> str:
    try:
        page = records.page(db.session, number.upper()[:16], revision)
    except NotFound:
        abort(404)
    return render_template("records/show.html", page=page, preview=False)


@bp.get("/<number>")
def show(number: str) -> str:
    return _show(number, None)


@bp.get("/<number>/v<int:revision>")
def revision(number: str, revision: int) -> str:
    return _show(number, revision)
