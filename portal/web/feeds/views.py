"""Atom feeds (RFC 4287), for anyone: `/feeds/records.atom` (publications, corrections and
withdrawals of advisory records) and `/feeds/recommendations.atom` (status changes), newest
first. Each entry has a tag URI that never changes and says its language (`xml:lang`). No
session is started for a reader; copies are revalidated like the pages they announce.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import Blueprint, Response, render_template, request

from consultations.services import feeds
from portal import clock
from portal.extensions import db
from portal.security.headers import always_revalidate

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
bp.after_request(always_revalidate)

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
