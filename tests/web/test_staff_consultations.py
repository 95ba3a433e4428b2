"""Staff authoring and moderation (issue 4), through the real pages: details and dates in
Almaty time, the draft in two languages, publishing, the preview (inert XSS), closing,
extending and archiving, meeting feedback, the moderation queue with its audit rows, bad input
kept and explained, and nothing of it for anyone but staff."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from consultations.models import (
    AuditEvent,
    Comment,
    Consultation,
    DocumentVersion,
    Meeting,
    PlaceType,
    ReportReason,
    Role,
    VersionText,
)
from portal.extensions import db
from portal.web.consultations.forms import MAX_DRAFT_CHARS
from portal.web.fields import ALMATY
from tests.consultation_fixtures import open_consultation
from tests.digest import database_digest
from tests.factories import PASSPHRASE, csrf_token_from, make_member, sign_in
from tests.routes_staff_consultations import STAFF_CONSULTATION_ROUTES, fill
from tests.web.test_routes import client_as

pytestmark = pytest.mark.postgres

RU_DRAFT = """Порядок работы межведомственных мобильных групп.

## Цель {#purpose}
Мобильная группа выявляет детей, которым грозит опасность.

## Направление {#referral}
Направить ребёнка в службу защиты в течение 24 часов.

<script>alert(1)</script>

[x](javascript:alert(1))
"""

KK_DRAFT = """Ведомствоаралық жылжымалы топтардың жұмыс тәртібі.

## Мақсаты {#purpose}
Жылжымалы топ қауіп төнген балаларды анықтайды.

## Жолдау {#referral}
Баланы 24 сағат ішінде қорғау қызметіне жолдау.
"""


def query(app, statement):  # type: ignore[no-untyped-def]
    with app.app_context():
        result = list(db.session.execute(statement).scalars())
        db.session.remove()
    return result


def audit_actions(app) -> list[str]:  # type: ignore[no-untyped-def]
    return query(app, select(AuditEvent.action).order_by(AuditEvent.id))


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def almaty_fields(moment: datetime) -> tuple[str, str]:
    local = moment.astimezone(ALMATY)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M")


def details(clock, *, opens: timedelta, closes: timedelta, **extra) -> dict[str, str]:  # type: ignore[no-untyped-def]
    opens_on, opens_time = almaty_fields(clock.now() + opens)
    closes_on, closes_time = almaty_fields(clock.now() + closes)
    return {
        "title_ru": "Mobile group procedure",
        "summary_ru": "How mobile groups identify and refer children.",
        "main_locale": "ru",
        "content_note_ru": "The draft describes exploitation of children.",
        "opens_on": opens_on,
        "opens_time": opens_time,
        "closes_on": closes_on,
        "closes_time": closes_time,
        **extra,
    }


@pytest.fixture
def staff(app, client, clock):  # type: ignore[no-untyped-def]
    account = make_member(app, "Staff One", role=Role.STAFF, two_factor=True)
    sign_in(client, account, clock)
    return account


def create_consultation(client, clock, **extra) -> str:  # type: ignore[no-untyped-def]
    """Create through the page; returns the public id."""
    fields = details(clock, opens=timedelta(days=-1), closes=timedelta(days=14))
    response = client.post("/staff/consultations/new", data={**fields, **extra})
    assert response.status_code == 303, text_of(response)[:3000]
    match = re.fullmatch(r"/staff/consultations/([a-z0-9]+)/draft", response.location)
    assert match, response.location
    return match.group(1)


def publish(client, public_id: str, texts: dict[str, str], changelog: str = "First draft"):  # type: ignore[no-untyped-def]
    data = {f"text_{locale}": text for locale, text in texts.items()}
    return client.post(
        f"/staff/consultations/{public_id}/draft",
        data={**data, "changelog": changelog, "publish": "Publish this version"},
    )


def consultation_row(app, public_id: str) -> Consultation:  # type: ignore[no-untyped-def]
    (found,) = query(app, select(Consultation).where(Consultation.public_id == public_id))
    return found


# --------------------------------------------------------------------------- authoring


def test_create_save_publish_and_preview(app, client, clock, staff):
    fields = details(clock, opens=timedelta(days=-1), closes=timedelta(days=14))
    response = client.post("/staff/consultations/new", data=fields)
    assert response.status_code == 303
    public_id = response.location.split("/")[3]
    found = consultation_row(app, public_id)
    # Typed in Almaty time, stored in UTC, to the minute.
    expected_opens = (clock.now() - timedelta(days=1)).replace(second=0, microsecond=0)
    assert found.opens_at == expected_opens.astimezone(UTC)
    assert found.main_locale == "ru"
    assert not found.published
    assert not found.premoderation
    assert public_id not in found.title.lower()

    listing = text_of(client.get("/staff/consultations"))
    assert "Mobile group procedure" in listing
    assert "draft" in listing
    opens_local = expected_opens.astimezone(ALMATY)
    assert f"{opens_local.day} {opens_local:%B %Y, %H:%M}" in listing

    # Save in two languages: the page stays, the texts come back.
    saved = client.post(
        f"/staff/consultations/{public_id}/draft",
        data={"text_ru": RU_DRAFT, "text_kk": KK_DRAFT, "text_en": "", "save": "Save"},
    )
    assert saved.status_code == 303
    assert saved.location == f"/staff/consultations/{public_id}/draft"
    page = text_of(client.get(saved.location))
    assert "The draft is saved" in page
    assert "Жылжымалы топ қауіп төнген балаларды анықтайды." in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # in the textarea, as text
    assert "## Referral within 24 hours {#referral}" in page  # the hint's example
    assert query(app, select(DocumentVersion.published_at)) == [None]

    published = publish(client, public_id, {"ru": RU_DRAFT, "kk": KK_DRAFT, "en": ""})
    assert published.status_code == 303
    assert published.location == f"/staff/consultations/{public_id}/preview"
    assert consultation_row(app, public_id).published

    preview = text_of(client.get(published.location))
    assert "Version 1 is published" in preview
    assert "Цель" in preview
    assert "Направление" in preview
    assert "Направить ребёнка в службу защиты в течение 24 часов." in preview
    # The payloads are inert: no script element, no javascript: link.
    assert "<script>alert(1)</script>" not in preview
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in preview
    assert 'href="javascript:' not in preview
    assert preview.count("<script") == 1  # the quick-exit script of the layout, nothing else
    # The same sections in Kazakh.
    kazakh = text_of(client.get(f"/staff/consultations/{public_id}/preview?lang=kk"))
    assert "Мақсаты" in kazakh
    assert "Жолдау" in kazakh
    english = text_of(client.get(f"/staff/consultations/{public_id}/preview?lang=en"))
    assert "Цель" in english
    assert "not available in your language" in english

    assert audit_actions(app) == ["consultation.create", "consultation.publish"]
    # The next edit starts version 2 from version 1's texts, without a GET writing anything.
    again = text_of(client.get(f"/staff/consultations/{public_id}/draft"))
    assert "working copy of version 2" in again
    assert "Цель {#purpose}" in again
    assert len(query(app, select(DocumentVersion.id))) == 1


def test_publishing_needs_the_main_language(app, client, clock, staff):
    public_id = create_consultation(client, clock)
    response = publish(client, public_id, {"kk": KK_DRAFT, "ru": "", "en": ""})
    assert response.status_code == 400
    assert "Publishing needs the text in the main language" in text_of(response)
    assert "Жылжымалы топ" in text_of(response)
    assert not consultation_row(app, public_id).published
    preview = client.get(f"/staff/consultations/{public_id}/preview")
    assert preview.status_code == 200
    assert "Nothing is published yet" in text_of(preview)
    # The texts were saved all the same.
    assert "Жылжымалы топ" in text_of(client.get(f"/staff/consultations/{public_id}/draft"))


def test_edit_details(app, client, clock, staff):
    public_id = create_consultation(client, clock)
    page = text_of(client.get(f"/staff/consultations/{public_id}/edit"))
    opens_on, opens_time = almaty_fields(clock.now() - timedelta(days=1))
    assert f'value="{opens_on}"' in page
    assert f'value="{opens_time}"' in page
    fields = details(
        clock,
        opens=timedelta(days=2),
        closes=timedelta(days=20),
        title_ru="Referral procedure",
        premoderation="y",
    )
    response = client.post(f"/staff/consultations/{public_id}/edit", data=fields)
    assert response.status_code == 303
    found = consultation_row(app, public_id)
    assert found.title == "Referral procedure"
    assert found.premoderation
    assert found.status(clock.now()) == "draft"
    assert audit_actions(app) == ["consultation.create", "consultation.edit"]


def test_close_extend_archive(app, client, clock, staff):
    public_id = create_consultation(client, clock)
    url = f"/staff/consultations/{public_id}"
    assert publish(client, public_id, {"ru": RU_DRAFT}).status_code == 303
    opens_on, _opens_time = almaty_fields(clock.now() - timedelta(days=1))

    refused = client.post(f"{url}/archive", follow_redirects=True)
    assert "Only a closed consultation can be archived." in text_of(refused)
    assert not consultation_row(app, public_id).archived

    closed = client.post(f"{url}/close", follow_redirects=True)
    assert "The consultation is closed" in text_of(closed)
    assert consultation_row(app, public_id).status(clock.now()) == "closed"
    again = client.post(f"{url}/close", follow_redirects=True)
    assert "Only an open consultation can be closed early." in text_of(again)

    new_on, new_time = almaty_fields(clock.now() + timedelta(days=7))
    extended = client.post(
        f"{url}/extend", data={"new_closes_on": new_on, "new_closes_time": new_time}
    )
    assert extended.status_code == 303
    found = consultation_row(app, public_id)
    assert found.status(clock.now()) == "open"
    assert found.closes_at.astimezone(ALMATY).strftime("%Y-%m-%d %H:%M") == f"{new_on} {new_time}"

    past_on, past_time = almaty_fields(clock.now() - timedelta(days=3))
    refused = client.post(
        f"{url}/extend", data={"new_closes_on": past_on, "new_closes_time": past_time}
    )
    assert refused.status_code == 400
    assert "must be in the future" in text_of(refused)
    assert f'value="{past_on}"' in text_of(refused)
    # The details form on the same page still shows the consultation, not the refused post.
    assert 'value="Mobile group procedure"' in text_of(refused)
    assert f'name="opens_on" required type="date" value="{opens_on}"' in text_of(refused)

    client.post(f"{url}/close")
    archived = client.post(f"{url}/archive", follow_redirects=True)
    assert "The consultation is archived" in text_of(archived)
    assert consultation_row(app, public_id).archived
    assert "archived" in text_of(client.get("/staff/consultations"))
    client.post(f"{url}/unarchive")
    assert not consultation_row(app, public_id).archived
    assert audit_actions(app) == [
        "consultation.create",
        "consultation.publish",
        "consultation.close",
        "consultation.extend",
        "consultation.close",
        "consultation.archive",
        "consultation.unarchive",
    ]


def test_meeting_feedback_is_recorded_without_an_author(app, client, clock, staff):
    public_id = create_consultation(client, clock)
    publish(client, public_id, {"ru": RU_DRAFT})
    page = text_of(client.get(f"/staff/consultations/{public_id}/meeting"))
    # One box per section (the introduction, "Цель", "Направление") and one for the whole draft.
    assert 'name="section_0"' in page
    assert 'name="section_2"' in page
    assert 'name="section_3"' not in page
    assert "Направление" in page
    held_on = (clock.now() - timedelta(days=2)).astimezone(ALMATY).date()
    response = client.post(
        f"/staff/consultations/{public_id}/meeting",
        data={
            "held_on": held_on.isoformat(),
            "place_type": "community_centre",
            "participants": "9",
            "version": "1",
            "section_1": "The group agrees with the purpose.",
            "section_2": "24 hours is too short\nin rural districts.",
            "general": "Please use plain words.",
        },
    )
    assert response.status_code == 303, text_of(response)[:3000]
    (meeting,) = query(app, select(Meeting))
    assert (meeting.held_on, meeting.place_type, meeting.participants) == (
        held_on,
        PlaceType.COMMUNITY_CENTRE,
        9,
    )
    recorded = query(app, select(Comment).order_by(Comment.id))
    assert [(c.section_key, c.author_id, c.meeting_id) for c in recorded] == [
        ("purpose", None, meeting.id),
        ("referral", None, meeting.id),
        (None, None, meeting.id),
    ]
    preview = text_of(client.get(response.location))
    assert "Recorded by staff from a group meeting" in preview
    assert "The group agrees with the purpose." in preview
    assert audit_actions(app)[-1] == "meeting.record"


def test_forms_carry_their_csrf_token(csrf_app, csrf_client, clock):
    sign_in(
        csrf_client, make_member(csrf_app, "Staff One", role=Role.STAFF, two_factor=True), clock
    )
    fields = details(clock, opens=timedelta(days=-1), closes=timedelta(days=14))
    assert csrf_client.post("/staff/consultations/new", data=fields).status_code == 400
    token = csrf_token_from(csrf_client.get("/staff/consultations/new"))
    created = csrf_client.post("/staff/consultations/new", data={**fields, "csrf_token": token})
    assert created.status_code == 303
    # The draft form is multipart (long Cyrillic texts): its token travels all the same.
    token = csrf_token_from(csrf_client.get(created.location))
    saved = csrf_client.post(
        created.location,
        data={"text_ru": RU_DRAFT, "publish": "Publish", "csrf_token": token},
        content_type="multipart/form-data",
    )
    assert saved.status_code == 303
    edit_page = csrf_client.get(saved.location.replace("/preview", "/edit"))
    close = csrf_client.post(
        saved.location.replace("/preview", "/close"),
        data={"csrf_token": csrf_token_from(edit_page)},
    )
    assert close.status_code == 303


# --------------------------------------------------------------------------- moderation


def _commented(app, clock, *, premoderation: bool) -> tuple[str, int, str]:  # type: ignore[no-untyped-def]
    """A published, open consultation; a member's comment (name not shown), reported by another
    member unless pending. Returns (public id, comment id, author's pseudonym)."""
    made = open_consultation(
        app,
        texts={"ru": RU_DRAFT},
        main_locale="ru",
        premoderation=premoderation,
        comment_text="<b>Жұмыс тобы</b> балаларды қорғау рәсімін қайта қарауы керек",
        show_pseudonym=False,
        quotable=True,
        report=ReportReason.IDENTIFYING,
        report_note="It names my village.",
        approve=False,
    )
    return made.public_id, made.comment_id, made.author_pseudonym


def comment_row(app, comment_id: int) -> Comment:  # type: ignore[no-untyped-def]
    (found,) = query(app, select(Comment).where(Comment.id == comment_id))
    return found


def test_approve_a_pending_comment(app, client, clock, staff):
    _public_id, comment_id, author = _commented(app, clock, premoderation=True)
    queue = text_of(client.get("/staff/moderation"))
    assert "Waiting for approval" in queue
    assert "&lt;b&gt;Жұмыс тобы&lt;/b&gt;" in queue
    assert "<b>Жұмыс" not in queue
    assert author not in queue
    assert "Look up the author" not in queue  # nobody reported it
    response = client.post(f"/staff/moderation/{comment_id}/approve")
    assert response.status_code == 303
    assert response.location == "/staff/moderation"
    assert comment_row(app, comment_id).status == "visible"
    assert "Nothing is waiting" in text_of(client.get("/staff/moderation"))
    assert audit_actions(app)[-1] == "comment.approve"


def test_hide_restore_remove_and_reveal_a_reported_comment(app, client, clock, staff):
    _public_id, comment_id, author = _commented(app, clock, premoderation=False)
    queue = text_of(client.get("/staff/moderation"))
    assert "Could identify someone" in queue
    assert "It names my village." in queue
    assert "section “referral”" in queue
    assert author not in queue
    assert "Bright Hill" not in queue

    refused = client.post(f"/staff/moderation/{comment_id}/hide", data={"reason": "  "})
    assert refused.status_code == 400
    assert "Say why the comment is hidden" in text_of(refused)
    hidden = client.post(
        f"/staff/moderation/{comment_id}/hide", data={"reason": "It names a village."}
    )
    assert hidden.status_code == 303
    found = comment_row(app, comment_id)
    assert (found.status, found.hidden_reason, found.quotable) == (
        "hidden",
        "It names a village.",
        False,
    )
    listed = text_of(client.get("/staff/moderation"))
    assert "Nothing is waiting" in listed
    assert "Reason given: It names a village." in listed

    assert client.post(f"/staff/moderation/{comment_id}/restore").status_code == 303
    assert comment_row(app, comment_id).status == "visible"

    revealed = client.post(f"/staff/moderation/{comment_id}/author")
    assert revealed.status_code == 200
    assert author in text_of(revealed)
    assert "This look is recorded" in text_of(revealed)

    assert client.post(f"/staff/moderation/{comment_id}/remove").status_code == 303
    found = comment_row(app, comment_id)
    assert (found.status, found.text) == ("removed", "")
    # Gone for good: nothing more to do with it.
    assert client.post(f"/staff/moderation/{comment_id}/restore").status_code == 404
    assert audit_actions(app)[-4:] == [
        "comment.hide",
        "comment.restore",
        "comment.reveal_author",
        "comment.remove",
    ]
    (event,) = query(app, select(AuditEvent).where(AuditEvent.action == "comment.reveal_author"))
    assert event.target == f"comment:{comment_id}"
    assert event.actor_id == staff.id


def test_looking_up_an_author_asks_for_the_passphrase_after_a_while(app, client, clock, staff):
    _public_id, comment_id, author = _commented(app, clock, premoderation=False)
    clock.advance(timedelta(minutes=6))
    queue = text_of(client.get("/staff/moderation"))
    assert 'name="current_passphrase"' in queue
    refused = client.post(f"/staff/moderation/{comment_id}/author")
    assert refused.status_code == 400
    assert "Enter your current passphrase to confirm." in text_of(refused)
    assert author not in text_of(refused)
    assert "comment.reveal_author" not in audit_actions(app)
    wrong = client.post(
        f"/staff/moderation/{comment_id}/remove", data={"current_passphrase": "not it"}
    )
    assert wrong.status_code == 400
    assert comment_row(app, comment_id).status == "visible"
    shown = client.post(
        f"/staff/moderation/{comment_id}/author", data={"current_passphrase": PASSPHRASE}
    )
    assert shown.status_code == 200
    assert author in text_of(shown)


def test_an_unreported_comment_keeps_its_author(app, client, clock, staff):
    _public_id, comment_id, author = _commented(app, clock, premoderation=True)
    response = client.post(f"/staff/moderation/{comment_id}/author", follow_redirects=True)
    assert "only for a comment someone reported" in text_of(response)
    assert author not in text_of(response)
    assert "comment.reveal_author" not in audit_actions(app)


# --------------------------------------------------------------------------- bad input


def test_bad_details_are_explained_and_kept(app, client, clock, staff):
    fields = details(clock, opens=timedelta(days=1), closes=timedelta(days=10), title_ru="   ")
    fields["summary_ru"] = "Typed summary, kept."
    response = client.post("/staff/consultations/new", data=fields)
    assert response.status_code == 400
    body = text_of(response)
    assert "There is a problem" in body
    assert "Write the title in the main language (Русский)." in body
    assert "Typed summary, kept." in body

    backwards = details(
        clock, opens=timedelta(days=10), closes=timedelta(days=1), title_ru="Backwards dates"
    )
    response = client.post("/staff/consultations/new", data=backwards)
    assert response.status_code == 400
    assert "The closing date must come after the opening date." in text_of(response)
    assert 'value="Backwards dates"' in text_of(response)

    garbled = {**backwards, "opens_on": "31/12/2030", "closes_time": "half past six"}
    response = client.post("/staff/consultations/new", data=garbled)
    assert response.status_code == 400
    assert "Enter the date as year-month-day" in text_of(response)
    assert "Enter the time as hours:minutes" in text_of(response)
    assert 'value="31/12/2030"' in text_of(response)

    hidden = {**backwards, "title_ru": "Title\u202eevil"}
    response = client.post("/staff/consultations/new", data=hidden)
    assert "Remove the invisible or control characters" in text_of(response)
    assert query(app, select(Consultation)) == []


def test_an_oversized_draft_is_refused_and_kept(app, client, clock, staff):
    public_id = create_consultation(client, clock)
    # ASCII: a Cyrillic text this long would pass the request size limit (413) before the form.
    too_long = "## Purpose\n" + "a" * MAX_DRAFT_CHARS
    response = client.post(
        f"/staff/consultations/{public_id}/draft",
        data={"text_ru": too_long, "text_en": "Kept English text.", "save": "Save"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    body = text_of(response)
    assert "A draft can be at most 200000 characters long" in body
    assert "Kept English text." in body
    assert "a" * 1000 in body
    assert query(app, select(DocumentVersion.id))
    assert query(app, select(VersionText.source)) == []  # nothing saved


@pytest.mark.parametrize(
    "hidden", ["\u202e", "\u200b", "\u2066", "\x07"], ids=["rlo", "zwsp", "lri", "bell"]
)
def test_a_draft_with_hidden_characters_is_refused_and_kept(app, client, clock, staff, hidden):
    """Issue 11, item 9: every other field refused bidi-override and zero-width characters; a
    draft took them, and with them a text that reads differently from what it says. Line
    breaks and tabs are a draft's own and pass."""
    public_id = create_consultation(client, clock)
    sneaky = f"## Referral {{#referral}}\n\nWithin 24{hidden} hours.\n\tIndented line.\r\n"
    response = client.post(
        f"/staff/consultations/{public_id}/draft",
        data={"text_ru": RU_DRAFT, "text_en": sneaky, "save": "Save"},
    )
    assert response.status_code == 400
    body = text_of(response)
    assert "Remove the invisible or control characters from this field." in body
    assert "Indented line." in body  # what was typed comes back
    assert query(app, select(VersionText.source)) == []  # nothing saved
    clean = client.post(
        f"/staff/consultations/{public_id}/draft",
        data={"text_en": sneaky.replace(hidden, ""), "save": "Save"},
    )
    assert clean.status_code == 303


def test_bad_meeting_input_is_explained(app, client, clock, staff):
    public_id = create_consultation(client, clock)
    publish(client, public_id, {"ru": RU_DRAFT})
    url = f"/staff/consultations/{public_id}/meeting"
    tomorrow = (clock.now() + timedelta(days=2)).astimezone(ALMATY).date().isoformat()
    response = client.post(
        url,
        data={"held_on": tomorrow, "place_type": "", "participants": "501", "version": "1"},
        # An empty choice is the same as none; a name typed in is not a kind of place.
    )
    assert response.status_code == 400
    body = text_of(response)
    assert "cannot be in the future" in body
    assert "Choose the kind of place." in body
    assert "Enter a number from 1 to 500." in body
    made_up = client.post(
        url,
        data={"held_on": "2024-01-01", "place_type": "the shelter in Saryagash", "version": "1"},
    )
    assert made_up.status_code == 400
    assert "Not a valid choice." in text_of(made_up)

    empty = client.post(
        url,
        data={
            "held_on": "2024-01-01",
            "place_type": "shelter",
            "participants": "1_0",
            "version": "1",
        },
    )
    assert "Enter a whole number" in text_of(empty)
    nothing = client.post(
        url,
        data={
            "held_on": "2024-01-01",
            "place_type": "shelter",
            "participants": "4",
            "version": "1",
        },
    )
    assert nothing.status_code == 400
    assert "at least one section or the whole draft" in text_of(nothing)
    moved = client.post(
        url,
        data={
            "held_on": "2024-01-01",
            "place_type": "shelter",
            "participants": "4",
            "version": "0",
            "general": "Typed feedback, kept.",
        },
    )
    assert moved.status_code == 400
    assert "A new version was published meanwhile" in text_of(moved)
    assert "Typed feedback, kept." in text_of(moved)
    assert query(app, select(Meeting)) == []


# --------------------------------------------------------------------------- who may


# Each route's answer to each role is in the route x role table (tests/routes.py).


def test_a_member_changes_nothing_through_staff_routes(app, clock):
    client = client_as(app, "member", clock)
    for route in STAFF_CONSULTATION_ROUTES:
        url = fill(app, route.url)
        before = audit_actions(app)
        response = client.open(url, method=route.method, data=route.data)
        assert response.status_code == 404, route
        assert audit_actions(app) == before, route


def test_no_staff_page_changes_the_database_on_get(app, clock):
    """The draft page shows the next working copy without starting it; nothing else writes."""
    client = client_as(app, "staff", clock)
    urls = [fill(app, r.url) for r in STAFF_CONSULTATION_ROUTES if r.method == "GET"]
    clock.advance(timedelta(minutes=2))
    before = database_digest(app)
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert client.get(url + "?lang=kk&all=purpose").status_code == 200, url
    assert database_digest(app) == before


def test_staff_hide_or_remove_a_comment_nobody_reported(app, client, clock, staff):
    """Issue 11, item 3: staff could act only on a reported comment. From the consultation's
    staff preview, any comment now links to its own moderation page; hiding from there comes
    back to the comment in the preview, a refusal stays on that page with what was typed, and
    each action is audited as from the queue."""
    made = open_consultation(app, report=None)
    assert "Nothing is waiting" in text_of(client.get("/staff/moderation"))
    preview = text_of(client.get(f"/staff/consultations/{made.public_id}/preview"))
    page_url = f"/staff/moderation/{made.comment_id}"
    assert f'<a href="{page_url}">Hide or remove</a>' in preview
    page = client.get(page_url)
    assert page.status_code == 200
    assert "24 hours is too long for a frightened child." in text_of(page)
    assert made.author_pseudonym not in text_of(page)  # the author is never shown here

    refused = client.post(f"{page_url}/hide", data={"reason": " ", "from": "comment"})
    assert refused.status_code == 400
    assert "Moderate a comment" in text_of(refused)  # the same page, not the queue
    assert "Say why the comment is hidden" in text_of(refused)

    hidden = client.post(f"{page_url}/hide", data={"reason": "Names a street.", "from": "comment"})
    assert hidden.status_code == 303
    assert hidden.location == (
        f"/staff/consultations/{made.public_id}/preview#comment-{made.comment_id}"
    )
    assert comment_row(app, made.comment_id).status == "hidden"
    removed = client.post(f"{page_url}/remove", data={"from": "comment"})
    assert removed.status_code == 303
    assert comment_row(app, made.comment_id).status == "removed"
    assert audit_actions(app)[-2:] == ["comment.hide", "comment.remove"]
    assert client.get(page_url).status_code == 404  # removed: nothing more to do


def test_members_see_no_moderation_link(app, client):
    made = open_consultation(app, report=None)
    sign_in(client, make_member(app, "Plain Reader"))
    body = text_of(client.get(f"/consultations/{made.public_id}"))
    assert "/staff/moderation" not in body
    assert "Hide or remove" not in body


def test_staff_preview_the_working_draft_in_each_language_before_publishing(
    app, client, clock, staff
):
    """Issue 11, item 2: the Preview tab showed only published versions, so a draft was first
    seen rendered when members saw it. Now the working draft is shown as members will see it,
    in each language (a section missing in one is shown in the main language, with the note),
    before version 1 and before each next version, with what it changes; nothing is written."""
    public_id = create_consultation(client, clock)  # main language: ru
    url = f"/staff/consultations/{public_id}/draft/preview"
    client.post(
        f"/staff/consultations/{public_id}/draft",
        data={"text_ru": RU_DRAFT, "text_kk": KK_DRAFT, "save": "Save"},
    )
    before = database_digest(app)
    ru = text_of(client.get(f"{url}?lang=ru"))
    assert "Preview of the draft, version 1." in ru
    assert "<h2" in ru
    assert "Направить ребёнка в службу защиты в течение 24 часов." in ru
    assert "<script>alert(1)</script>" not in ru  # rendered and cleaned as members get it
    kk = text_of(client.get(f"{url}?lang=kk"))
    assert "Баланы 24 сағат ішінде қорғау қызметіне жолдау." in kk
    en = text_of(client.get(f"{url}?lang=en"))  # no English text: the main language, noted
    assert "Направить ребёнка в службу защиты" in en
    assert "This section is not available in your language yet. It is shown in" in en
    assert database_digest(app) == before  # a preview writes nothing
    assert query(app, select(DocumentVersion.published_at)) == [None]

    publish(client, public_id, {"ru": RU_DRAFT, "kk": KK_DRAFT})
    changed = RU_DRAFT.replace("в течение 24 часов", "в течение 12 часов")
    client.post(
        f"/staff/consultations/{public_id}/draft",
        data={"text_ru": changed, "text_kk": KK_DRAFT, "save": "Save"},
    )
    second = text_of(client.get(f"{url}?lang=ru"))
    assert "Preview of the draft, version 2." in second
    assert "What this draft changes in version 1" in second
    assert "<del>24</del>" in second
    assert "<ins>12 </ins>" in second
    members = text_of(client.get(f"/consultations/{public_id}"))
    assert "в течение 24 часов" in members  # members still read version 1
