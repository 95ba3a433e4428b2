"""Route × role rows for the staff consultation pages and moderation (issue 4).

Placeholders: `{consultation}` is the public id of a published, open consultation with sections,
and `{comment}` the id of a visible comment on it that another member reported; `fill` makes
them. POST examples carry data that succeeds for staff, so each row also proves the action.
"""

from __future__ import annotations

# The placeholders are filled by the same helper as the member rows'.
from tests.consultation_fixtures import fill  # noqa: F401 — used by the staff page tests
from tests.route_roles import STAFF, STAFF_DONE, Route

_C = "/staff/consultations/{consultation}"
_M = "/staff/moderation/{comment}"

DETAILS = {
    "title_en": "Route check",
    "summary_en": "A summary.",
    "main_locale": "en",
    "opens_on": "2030-01-01",
    "opens_time": "09:00",
    "closes_on": "2030-02-01",
    "closes_time": "18:00",
}

_D = f"{_C}/decisions/{{decision}}"
DECISION = {
    "question": "Who should make the first contact?",
    "kind": "single",
    "options": "Mobile groups\nSocial workers",
    "opens_on": "2030-01-01",
    "opens_time": "09:00",
    "closes_on": "2030-02-01",
    "closes_time": "18:00",
    "min_ballots": "5",
}

STAFF_CONSULTATION_ROUTES: tuple[Route, ...] = (
    Route("staff_decisions.index", "GET", f"{_C}/decisions", STAFF),
    Route("staff_decisions.new", "GET", f"{_C}/decisions/new", STAFF),
    Route("staff_decisions.create", "POST", f"{_C}/decisions/new", STAFF_DONE, DECISION),
    Route("staff_decisions.edit", "GET", f"{_D}/edit", STAFF),
    Route("staff_decisions.update", "POST", f"{_D}/edit", STAFF_DONE, DECISION),
    Route("staff_decisions.close", "POST", f"{_D}/close", STAFF_DONE),
    Route(
        "staff_decisions.extend",
        "POST",
        f"{_D}/extend",
        STAFF_DONE,
        {"new_closes_on": "2031-01-01", "new_closes_time": "12:00"},
    ),
    Route("staff_consultations.index", "GET", "/staff/consultations", STAFF),
    Route("staff_consultations.new", "GET", "/staff/consultations/new", STAFF),
    Route("staff_consultations.create", "POST", "/staff/consultations/new", STAFF_DONE, DETAILS),
    Route("staff_consultations.edit", "GET", f"{_C}/edit", STAFF),
    Route("staff_consultations.update", "POST", f"{_C}/edit", STAFF_DONE, DETAILS),
    Route("staff_consultations.draft", "GET", f"{_C}/draft", STAFF),
    Route(
        "staff_consultations.save_draft",
        "POST",
        f"{_C}/draft",
        STAFF_DONE,
        {"text_en": "## Purpose\n\nThe mobile group identifies children at risk."},
    ),
    Route("staff_consultations.preview", "GET", f"{_C}/preview", STAFF),
    Route("staff_consultations.draft_preview", "GET", f"{_C}/draft/preview", STAFF),
    Route("staff_consultations.close", "POST", f"{_C}/close", STAFF_DONE),
    Route(
        "staff_consultations.extend",
        "POST",
        f"{_C}/extend",
        STAFF_DONE,
        {"new_closes_on": "2031-01-01", "new_closes_time": "12:00"},
    ),
    # Archiving an open consultation is refused with a message: still a redirect.
    Route("staff_consultations.archive", "POST", f"{_C}/archive", STAFF_DONE),
    Route("staff_consultations.unarchive", "POST", f"{_C}/unarchive", STAFF_DONE),
    Route("staff_consultations.meeting", "GET", f"{_C}/meeting", STAFF),
    Route(
        "staff_consultations.record_meeting",
        "POST",
        f"{_C}/meeting",
        STAFF_DONE,
        {
            "held_on": "2024-01-15",
            "place_type": "community_centre",
            "participants": "8",
            "version": "1",
            "general": "The group asked for shorter deadlines.",
        },
    ),
    Route("feedback.workspace", "GET", f"{_C}/feedback", STAFF),
    Route("feedback.export", "POST", f"{_C}/feedback.csv", STAFF),
    Route("feedback.add_theme", "POST", f"{_C}/feedback/themes", STAFF_DONE, {"name": "Delays"}),
    Route("feedback.delete_theme", "POST", f"{_C}/feedback/themes/{{theme}}/delete", STAFF_DONE),
    # Nothing ticked: said so on the page it goes back to.
    Route("feedback.tag", "POST", f"{_C}/feedback/tag", STAFF_DONE),
    Route("moderation.queue_page", "GET", "/staff/moderation", STAFF),
    Route("moderation.comment_page", "GET", _M, STAFF),
    Route("moderation.approve", "POST", f"{_M}/approve", STAFF_DONE),
    Route(
        "moderation.hide",
        "POST",
        f"{_M}/hide",
        STAFF_DONE,
        {"reason": "It could identify someone."},
    ),
    Route("moderation.restore", "POST", f"{_M}/restore", STAFF_DONE),
    # A visible comment: said so on its page (hide it first).
    Route("moderation.redact_quotes", "POST", f"{_M}/redact-quotes", STAFF_DONE),
    # A session signed in moments ago needs no passphrase for these two.
    Route("moderation.remove", "POST", f"{_M}/remove", STAFF_DONE),
    Route("moderation.reveal_author", "POST", f"{_M}/author", STAFF),
)
