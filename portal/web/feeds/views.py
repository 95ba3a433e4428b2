"""Atom feeds (RFC 4287) and downloads, for anyone: `/feeds/records.atom` (publications,
corrections and withdrawals of advisory records) and `/feeds/recommendations.atom` (status
changes), newest first, each entry with a tag URI that never changes and its language
(`xml:lang`); `/feeds/records.csv` and `/feeds/recommendations.csv`, through the one CSV
writer. No session is started for a reader; copies are revalidated like the pages they
announce.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import get_locale

from consultations.services import feeds
from consultations.services import recommendations as register
from consultations.services import records as record_service
from portal import clock
from portal.extensions import db
from portal.security.spreadsheet import csv_text
from portal.web.freshness import revalidated

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
bp.after_request(revalidated)

ATOM = "application/atom+xml; charset=utf-8"


def _authority() -> str:
    """The tag URIs' authority: this site's host name (RFC 4151)."""
    return request.host.split(":")[0]


def _atom(template: str, **context: object) -> Response:
    return Response(
        render_template(template, authority=_authority(), now=clock.now(), **context),
        content_type=ATOM,
    )


def _midnight(day) -> datetime:  # type: ignore[no-untyped-def]
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


@bp.get("/records.atom")
def records() -> Response:
    return _atom("feeds/records.atom.xml", entries=feeds.record_entries(db.session))


@bp.get("/recommendations.atom")
def recommendations() -> Response:
    return _atom(
        "feeds/recommendations.atom.xml",
        entries=feeds.status_entries(db.session),
        midnight=_midnight,
    )


# --------------------------------------------------------------------------- downloads


def _csv(name: str, header: list[str], rows: list[list[object]]) -> Response:
    return Response(
        csv_text(header, rows),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@bp.get("/records.csv")
def records_csv() -> Response:
    """The records list as a spreadsheet: a withdrawn record keeps its number, title and
    dates, as its pages do."""
    rows = []
    for record, revision in record_service.public_list(db.session):
        published = [r for r in record.revisions if r.published_at is not None]
        rows.append(
            [
                record.number,
                revision.title,
                record.locale,
                published[0].published_at.date().isoformat() if published[0].published_at else "",
                revision.number,
                revision.published_at.date().isoformat() if revision.published_at else "",
                record.withdrawn_on.isoformat() if record.withdrawn_on else "",
                url_for("records.show", number=record.number, _external=True),
            ]
        )
    header = ["number", "title", "language", "published", "revision", "revised", "withdrawn", "url"]
    return _csv("records", header, rows)


@bp.get("/recommendations.csv")
def recommendations_csv() -> Response:
    """The register with current statuses, every published recommendation."""
    locale = str(get_locale())
    rows = [
        [
            rec.number,
            rec.title,
            rec.locale,
            rec.status.value,
            rec.addressee.name_in(locale),
            rec.priority.value,
            " ".join(r.region.value for r in rec.regions),
            rec.published_at.date().isoformat() if rec.published_at else "",
            url_for("recommendations.show", number=rec.number, _external=True),
        ]
        for rec in register.all_published(db.session)
    ]
    header = [
        "number",
        "title",
        "language",
        "status",
        "addressee",
        "priority",
        "regions",
        "published",
        "url",
    ]
    return _csv("recommendations", header, rows)
