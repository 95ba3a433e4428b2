"""Route × role rows for the advisory records and the recommendation register (issue 12).

Placeholders (`fill`): `{record}` is a published record's number and `{record_id}` its id — it
has a correction in draft, so its staff pages can save and preview — `{quote}` one of its
quotes; `{recommendation}` a published recommendation's number, `{recommendation_id}` its id.
"""

from __future__ import annotations

from tests.route_roles import STAFF, STAFF_DONE, STAFF_REFUSED, Route, same

_R = "/staff/records/{record_id}"
_S = "/staff/recommendations/{recommendation_id}"

RECORD_ROUTES: tuple[Route, ...] = (
    # Anyone reads the published records and the register, signed in or not.
    Route("records.index", "GET", "/records", same(200)),
    Route("records.show", "GET", "/records/{record}", same(200)),
    Route("records.revision", "GET", "/records/{record}/v1", same(200)),
    Route("records.cite", "GET", "/records/{record}/v1/cite.bib", same(200)),
    Route("recommendations.index", "GET", "/recommendations", same(200)),
    Route("recommendations.show", "GET", "/recommendations/{recommendation}", same(200)),
    Route("recommendations.cite", "GET", "/recommendations/{recommendation}/cite.ris", same(200)),
    Route("feeds.records", "GET", "/feeds/records.atom", same(200)),
    Route("feeds.recommendations", "GET", "/feeds/recommendations.atom", same(200)),
    Route("feeds.records_csv", "GET", "/feeds/records.csv", same(200)),
    Route("feeds.recommendations_csv", "GET", "/feeds/recommendations.csv", same(200)),
    Route("api.record_list", "GET", "/api/v1/records", same(200)),
    Route("api.record", "GET", "/api/v1/records/{record}", same(200)),
    Route("api.record_revision", "GET", "/api/v1/records/{record}/v1", same(200)),
    Route("api.recommendation_list", "GET", "/api/v1/recommendations", same(200)),
    Route("api.recommendation", "GET", "/api/v1/recommendations/{recommendation}", same(200)),
    Route("api.addressee_list", "GET", "/api/v1/addressees", same(200)),
    # Staff write them.
    Route("staff_records.index", "GET", "/staff/records", STAFF),
    Route("staff_records.new", "GET", "/staff/records/new", STAFF),
    Route(
        "staff_records.create",
        "POST",
        "/staff/records/new",
        STAFF_DONE,
        {"locale": "en", "title": "A record", "summary": "", "advice": "Advice."},
    ),
    Route("staff_records.edit", "GET", _R, STAFF),
    Route(
        "staff_records.save",
        "POST",
        f"{_R}/draft",
        STAFF_DONE,
        {"title": "Corrected", "summary": "", "advice": "Advice.", "changelog": "A fix."},
    ),
    Route("staff_records.preview", "GET", f"{_R}/preview", STAFF),
    Route("staff_records.publish", "POST", f"{_R}/publish", STAFF_DONE),
    Route("staff_records.correct", "POST", f"{_R}/correct", STAFF_DONE),
    Route("staff_records.withdraw", "POST", f"{_R}/withdraw", STAFF_DONE, {"reason": "Repealed."}),
    Route("staff_records.redact", "POST", "/staff/records/quotes/{quote}/redact", STAFF_DONE),
    Route("staff_recommendations.index", "GET", "/staff/recommendations", STAFF),
    Route("staff_recommendations.new", "GET", "/staff/recommendations/new", STAFF),
    # No addressee chosen: refused, with what was typed.
    Route(
        "staff_recommendations.create",
        "POST",
        "/staff/recommendations/new",
        STAFF_REFUSED,
        {"title": "T", "text": "Text", "locale": "en", "priority": "high", "regions": "national"},
    ),
    Route("staff_recommendations.edit", "GET", _S, STAFF),
    Route("staff_recommendations.update", "POST", f"{_S}/edit", STAFF_REFUSED, {"title": ""}),
    # Already published: said so on the page it goes back to.
    Route("staff_recommendations.publish", "POST", f"{_S}/publish", STAFF_DONE),
    Route(
        "staff_recommendations.change_status",
        "POST",
        f"{_S}/status",
        STAFF_DONE,
        {"status": "submitted", "on": "2020-01-01", "note": "Sent to the akimat."},
    ),
    Route("staff_recommendations.addressees", "GET", "/staff/recommendations/addressees", STAFF),
    Route(
        "staff_recommendations.add_addressee",
        "POST",
        "/staff/recommendations/addressees",
        STAFF_DONE,
        {"name_kk": "Министрлік", "name_ru": "Министерство", "name_en": "Ministry"},
    ),
)
