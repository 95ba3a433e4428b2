"""Advisory records for everyone (`/records…`): the list, and each record at a permalink that
never breaks — `/records/AR-2026-007` for the latest revision, `/records/AR-2026-007/v1` for
each one. A withdrawn record answers at the same addresses with its tombstone: number, title,
dates and why — never its text, never a 404. No session is started for a reader.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, url_for

from consultations import citations
from consultations.errors import NotFound
from consultations.services import records
from portal import clock
from portal.extensions import db
from portal.web.citing import CITATION_FORMATS, PUBLISHER, citation_response
from portal.web.fields import page_asked, page_links
from portal.web.freshness import revalidated

bp = Blueprint("records", __name__, url_prefix="/records")
bp.after_request(revalidated)


@bp.get("")
def index() -> str:
    """The records, newest first, a page at a time (`?page=`: a bad number is the first)."""
    found = records.public_page(db.session, page_asked())
    return render_template(
        "records/index.html",
        found=found,
        listed=found.listed,
        **page_links(found.page, found.pages, lambda n: url_for(".index", page=n)),
    )


def _page(number: str, revision: int | None) -> records.RecordPage:
    try:
        return records.page(db.session, number.upper()[:16], revision)
    except NotFound:
        abort(404)


def citable(page: records.RecordPage) -> citations.Citable:
    """The revision shown, as citations name it: its own permalink, its own date."""
    record, revision = page.record, page.revision
    return citations.Citable(
        number=record.number or "",
        revision=revision.number,
        title=revision.title,
        locale=record.locale,
        published=(revision.published_at or clock.now()).date(),
        url=url_for(
            "records.revision", number=record.number, revision=revision.number, _external=True
        ),
        accessed=clock.now().date(),
        publisher=PUBLISHER,
        kind="Advisory record",
    )


def _show(number: str, revision: int | None) -> str:
    page = _page(number, revision)
    return render_template(
        "records/show.html",
        page=page,
        preview=False,
        citation=citations.plain(citable(page)),
        cite_url=lambda fmt: url_for(
            ".cite", number=page.record.number, revision=page.revision.number, fmt=fmt
        ),
    )


@bp.get("/<number>")
def show(number: str) -> str:
    return _show(number, None)


@bp.get("/<number>/v<int:revision>")
def revision(number: str, revision: int) -> str:
    return _show(number, revision)


@bp.get("/<number>/v<int:revision>/cite.<fmt>")
def cite(number: str, revision: int, fmt: str) -> Response:
    """The revision's citation in one format, at a stable address."""
    if fmt not in CITATION_FORMATS:
        abort(404)
    return citation_response(citable(_page(number, revision)), fmt)
