"""`/api/v1/…`: the published records and recommendations, read-only, as JSON.

Only what the public pages show: no pseudonym, comment id, account id or staff name — a
withdrawn record answers its tombstone fields, never its text. Lists are filtered as the public
lists are, in a stable order, a page at a time with a `next` link. Every answer carries an ETag
(a `304` for a matching `If-None-Match`), `Last-Modified` (the newest change to public
advice), and `Access-Control-Allow-Origin: *` — here and nowhere else on the site. Errors are
JSON too (`portal.web.errors`).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, request, url_for
from flask_babel import get_locale

from consultations.errors import NotFound
from consultations.languages import LOCALES
from consultations.models import (
    Addressee,
    AdvisoryRecord,
    Recommendation,
    RecommendationStatus,
    RecordRevision,
    Region,
    StatusChange,
)
from consultations.services import recommendations, records
from portal.extensions import csrf, db
from portal.web.freshness import revalidated

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Read-only, no session, no form: a POST is refused as the method it is (405, in JSON), not as
# a form without its token.
csrf.exempt(bp)

PAGE_SIZE = 50


@bp.after_request
def _open_and_conditional(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    return revalidated(response)


def _page_number() -> int:
    value = request.args.get("page", "1")
    if not (value.isascii() and value.isdigit() and 1 <= len(value) <= 6) or int(value) < 1:
        abort(400, description="page: a whole number from 1")
    return int(value)


def _choice(name: str, allowed: set[str]) -> str | None:
    value = request.args.get(name, "")
    if not value:
        return None
    if value not in allowed:
        abort(400, description=f"{name}: one of {', '.join(sorted(allowed))}")
    return value


def _year() -> int | None:
    value = request.args.get("year", "")
    if not value:
        return None
    if not (value.isascii() and value.isdigit() and len(value) == 4):
        abort(400, description="year: four digits")
    return int(value)


def _listing(items: list[dict[str, Any]], page: int, total: int, endpoint: str) -> dict:  # type: ignore[type-arg]
    """A page of a list, with the address of the next one (the same filters) if any."""
    pages = max(1, -(-total // PAGE_SIZE))
    kept = {k: v[:40] for k, v in request.args.items() if k != "page"}
    return {
        "items": items,
        "page": page,
        "pages": pages,
        "total": total,
        "next": url_for(endpoint, **kept, page=page + 1, _external=True) if page < pages else None,
    }


# --------------------------------------------------------------------------- records


def _revision_summary(record: AdvisoryRecord, revision: RecordRevision) -> dict[str, Any]:
    return {
        "revision": revision.number,
        "published": revision.published_at.date().isoformat() if revision.published_at else None,
        "url": url_for(
            "records.revision", number=record.number, revision=revision.number, _external=True
        ),
        "changelog": None if record.withdrawn_on else (revision.changelog or None),
    }


def _record(record: AdvisoryRecord, revision: RecordRevision) -> dict[str, Any]:
    withdrawn = record.withdrawn_on is not None
    published = [r for r in record.revisions if r.published_at is not None]
    data: dict[str, Any] = {
        "number": record.number,
        "title": revision.title,
        "language": record.locale,
        "url": url_for("records.show", number=record.number, _external=True),
        "published": published[0].published_at.date().isoformat()
        if published[0].published_at
        else None,
        "latest_revision": published[-1].number,
        "withdrawn": {"on": record.withdrawn_on.isoformat(), "reason": record.withdrawal_reason}
        if withdrawn
        else None,
    }
    if not withdrawn:
        data["summary"] = revision.summary
    return data


@bp.get("/records")
def record_list() -> Response:
    page = _page_number()
    language = _choice("language", set(LOCALES))
    year = _year()
    listed = [
        (record, revision)
        for record, revision in records.public_list(db.session)
        if (language is None or record.locale == language) and (year is None or record.year == year)
    ]
    shown = listed[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return jsonify(
        _listing(
            [_record(record, revision) for record, revision in shown],
            page,
            len(listed),
            "api.record_list",
        )
    )


def _record_page(number: str, revision: int | None) -> records.RecordPage:
    try:
        return records.page(db.session, number.upper()[:16], revision)
    except NotFound:
        abort(404, description=f"no published record {number}")


@bp.get("/records/<number>")
def record(number: str) -> Response:
    page = _record_page(number, None)
    data = _record(page.record, page.revision)
    data["revisions"] = [_revision_summary(page.record, r) for r in page.revisions]
    if not page.withdrawn:
        data["recommendations"] = [rec.number for rec in page.recommendations]
        data["original"] = page.original.number if page.original else None
        data["translations"] = [
            {"number": t.number, "language": t.locale} for t in page.translations
        ]
    return jsonify(data)


@bp.get("/records/<number>/v<int:revision>")
def record_revision(number: str, revision: int) -> Response:
    page = _record_page(number, revision)
    data = _record(page.record, page.revision)
    data.update(_revision_summary(page.record, page.revision))
    if not page.withdrawn:
        data["advice"] = page.revision.advice  # Markdown, as written
        data["quotes"] = [
            {"text": None, "redacted": quote.redacted_on.isoformat()}
            if quote.redacted_on
            else {"text": quote.text, "section": quote.section or None}
            for quote in page.revision.quotes
        ]
        data["recommendations"] = [rec.number for rec in page.recommendations]
    return jsonify(data)


# --------------------------------------------------------------------------- recommendations


def _recommendation(rec: Recommendation, locale: str) -> dict[str, Any]:
    return {
        "number": rec.number,
        "title": rec.title,
        "language": rec.locale,
        "url": url_for("recommendations.show", number=rec.number, _external=True),
        "status": rec.status.value,
        "addressee": {"id": rec.addressee_id, "name": rec.addressee.name_in(locale)},
        "priority": rec.priority.value,
        "regions": [r.region.value for r in rec.regions],
        "published": rec.published_at.date().isoformat() if rec.published_at else None,
    }


def _change(change: StatusChange) -> dict[str, Any]:
    return {
        "status": change.status.value,
        "on": change.on.isoformat(),
        "note": change.note or None,
        "evidence": change.evidence or None,
    }


@bp.get("/recommendations")
def recommendation_list() -> Response:
    page = _page_number()
    status = _choice("status", {s.value for s in RecommendationStatus})
    region = _choice("region", {r.value for r in Region})
    addressee = request.args.get("addressee", "")
    if addressee and not (addressee.isascii() and addressee.isdigit() and len(addressee) <= 9):
        abort(400, description="addressee: an addressee's id")
    register = recommendations.register(
        db.session,
        recommendations.Filters(
            status=RecommendationStatus(status) if status else None,
            addressee_id=int(addressee) if addressee else None,
            region=Region(region) if region else None,
            year=_year(),
            locale=_choice("language", set(LOCALES)),
        ),
        page=page,
    )
    locale = str(get_locale())
    payload = _listing(
        [_recommendation(rec, locale) for rec in register.listed],
        register.page,
        register.total,
        "api.recommendation_list",
    )
    payload["counts"] = {status.value: n for status, n in register.counts.items()}
    return jsonify(payload)


@bp.get("/recommendations/<number>")
def recommendation(number: str) -> Response:
    try:
        rec = recommendations.published(db.session, number.upper()[:16])
    except NotFound:
        abort(404, description=f"no published recommendation {number}")
    data = _recommendation(rec, str(get_locale()))
    data["text"] = rec.text  # Markdown, as written
    data["history"] = [_change(change) for change in recommendations.history(db.session, rec)]
    data["records"] = [r.number for r in recommendations.records_of(db.session, rec)]
    return jsonify(data)


@bp.get("/addressees")
def addressee_list() -> Response:
    listed: list[Addressee] = recommendations.addressees(db.session)
    return jsonify(
        {
            "items": [
                {"id": a.id, "name": {"kk": a.name_kk, "ru": a.name_ru, "en": a.name_en}}
                for a in listed
            ]
        }
    )
