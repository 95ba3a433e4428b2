"""Issue 12, the feedback workspace: every comment and meeting note of a consultation in one
place, filtered, coded into themes, counted, and exported as CSV.

From the observer's side: what the page shows staff (and a member's 404), what the downloaded
file holds — and what it never holds (a pseudonym, a comment or account id, a hidden comment,
a cell a spreadsheet would run)."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from consultations.models import (
    AuditEvent,
    CommentTheme,
    Consultation,
    Member,
    PlaceType,
    ReportReason,
    Role,
    Stance,
    Theme,
)
from consultations.services import comments
from consultations.services import feedback as workspace
from portal.extensions import db
from portal.security.spreadsheet import BOM, csv_text, neutralize
from portal.web.feedback.forms import WHOLE_DRAFT
from tests.consultation_fixtures import open_consultation
from tests.factories import make_member, sign_in, write_comment
from tests.web.test_consultation_pages import counted_queries
from tests.web.test_replies import _add_comments, _big_draft

pytestmark = pytest.mark.postgres

SAID = (
    ("referral", Stance.CONCERNS, "Ребёнка нужно направить в тот же день, а не через сутки."),
    ("referral", Stance.SUPPORTS, "Хорошо, что направление занимает не больше 24 часов."),
    (None, Stance.QUESTION, '=HYPERLINK("http://example.invalid/x","click")'),
    ("referral", Stance.OTHER, "+1 to the previous comment"),
)


@pytest.fixture
def feedback(app, clock):  # type: ignore[no-untyped-def]
    """An open consultation with four comments by two members (one shown under its pseudonym),
    a reply, a meeting note, a deleted comment and one hidden after an "identifying" report."""
    made = open_consultation(app, with_comment=False)
    first = make_member(app, "Тыныш Өзен")
    second = make_member(app, "Quiet Harbour")
    staff = make_member(app, "Coding Staff", role=Role.STAFF, two_factor=True)
    with app.app_context():
        now = app.extensions["kenes.clock"].now()
        consultation = db.session.scalar(
            select(Consultation).where(Consultation.public_id == made.public_id)
        )
        authors = [db.session.get(Member, first.id), db.session.get(Member, second.id)]
        written = [
            write_comment(
                db.session,
                consultation,
                authors[n % 2],
                text=text,
                stance=stance,
                section_key=key,
                show_pseudonym=n == 0,
                quotable=True,
                now=now,
            )
            for n, (key, stance, text) in enumerate(SAID)
        ]
        write_comment(
            db.session,
            consultation,
            authors[1],
            text="Reply: agreed.",
            stance=Stance.SUPPORTS,
            parent=written[0],
            now=now,
        )
        gone = write_comment(db.session, consultation, authors[0], text="Deleted words", now=now)
        comments.delete_own(db.session, gone, consultation, author=authors[0], now=now)
        identifying = write_comment(
            db.session,
            consultation,
            authors[0],
            text="The girl from the house by the mosque in Saryagash",
            section_key="referral",
            now=now,
        )
        comments.report(
            db.session,
            identifying,
            reporter=authors[1],
            reason=ReportReason.IDENTIFYING,
            note="",
            today=now.date(),
        )
        acting = db.session.get(Member, staff.id)
        comments.hide(db.session, identifying, actor=acting, reason="Could identify", now=now)
        comments.record_meeting(
            db.session,
            consultation,
            held_on=now.date(),
            place_type=PlaceType.COMMUNITY_CENTRE,
            participants=6,
            feedback={"referral": "The group asked for a woman in the team."},
            actor=acting,
            now=now,
        )
        db.session.commit()
        ids = [c.id for c in written] + [identifying.id]
        db.session.remove()
    client = app.test_client()
    sign_in(client, staff, clock)
    return made.public_id, client, ids, (first, second)


def page_of(response) -> str:  # type: ignore[no-untyped-def]
    return html.unescape(response.get_data(as_text=True))


def themes(app) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        found = {t.name: t.id for t in db.session.scalars(select(Theme))}
        db.session.remove()
    return found


def test_every_comment_and_meeting_note_in_one_place(app, feedback):
    public_id, staff, ids, _members = feedback
    body = page_of(staff.get(f"/staff/consultations/{public_id}/feedback"))
    for _key, _stance, text in SAID:
        assert text in body
    assert "Reply: agreed." in body
    assert "The group asked for a woman in the team." in body
    assert "from a group meeting" in body
    assert "Deleted words" not in body  # deleted: its words are gone
    assert "Hidden · could identify someone" in body  # listed to staff, and marked
    assert "7 comments and meeting notes shown · 7 in all" in body
    # Grouped by section (a reply with its parent's), the whole draft last.
    assert re.findall(r"<h3[^>]*>([^<]*)</h3>", body)[:2] == ["Referral (6)", "The whole draft (1)"]
    # No author is named here: a pseudonym shown to members still says nothing of who coded.
    assert "Тыныш Өзен" not in body


def test_only_staff_find_it(app, feedback, clock):
    public_id, _staff, _ids, (first, _second) = feedback
    member = app.test_client()
    sign_in(member, first, clock)
    assert member.get(f"/staff/consultations/{public_id}/feedback").status_code == 404
    assert member.post(f"/staff/consultations/{public_id}/feedback.csv").status_code == 404
    assert app.test_client().get(f"/staff/consultations/{public_id}/feedback").status_code == 302


def test_filters_narrow_the_list_and_bad_ones_do_no_harm(app, feedback):
    public_id, staff, _ids, _members = feedback
    url = f"/staff/consultations/{public_id}/feedback"
    # Unicode case folding, on SQLite as on PostgreSQL.
    body = page_of(staff.get(url, query_string={"text": "РЕБЁНКА"}))
    assert SAID[0][2] in body
    assert SAID[1][2] not in body
    assert "1 comment or meeting note shown · 7 in all" in body
    body = page_of(staff.get(url, query_string={"stance": "supports"}))
    assert "2 comments and meeting notes shown" in body
    body = page_of(staff.get(url, query_string={"status": "hidden"}))
    assert "1 comment or meeting note shown" in body
    body = page_of(staff.get(url, query_string={"version": "1", "stance": "question"}))
    assert SAID[2][2] in body
    body = page_of(staff.get(url, query_string={"section": "referral"}))
    assert "6 comments and meeting notes shown" in body
    body = page_of(staff.get(url, query_string={"section": WHOLE_DRAFT}))
    assert "1 comment or meeting note shown" in body
    assert SAID[2][2] in body
    # One filter asked leaves the others at "All", not in error.
    assert "field-error" not in body
    # Hostile or stale filters: the page still answers, showing everything.
    for bad in (
        {"stance": "'; DROP TABLE comment;--"},
        {"theme": "99999999999999999999"},
        {"version": "-1"},
        {"text": "x" * 5000},
        {"text": "a\u202eb"},
        {"section": "nowhere"},
        {"page": "x"},
    ):
        response = staff.get(url, query_string=bad)
        assert response.status_code == 200, bad
        assert "7 in all" in page_of(response)
    refused = page_of(staff.get(url, query_string={"text": "x" * 5000}))
    assert "at most 200 characters" in refused


def test_themes_are_made_given_to_several_at_once_counted_and_taken_away(app, feedback):
    public_id, staff, ids, _members = feedback
    base = f"/staff/consultations/{public_id}/feedback"
    for name in ("Сроки направления", "Who speaks first"):
        assert staff.post(f"{base}/themes", data={"name": name}).status_code == 303
    refused = staff.post(f"{base}/themes", data={"name": "  сроки   НАПРАВЛЕНИЯ "})
    assert refused.status_code == 400
    assert "There is already a theme with this name." in page_of(refused)
    assert 'value="сроки   НАПРАВЛЕНИЯ"' in page_of(refused)  # kept as typed
    hidden = staff.post(f"{base}/themes", data={"name": "Hidden\u200bchars"})
    assert "Remove the invisible or control characters" in page_of(hidden)
    made = themes(app)
    assert set(made) == {"Сроки направления", "Who speaks first"}

    given = staff.post(
        f"{base}/tag",
        data={"comment": [ids[0], ids[1], ids[3]], "theme": list(made.values()), "add": "1"},
    )
    assert given.status_code == 303
    body = page_of(staff.get(base))
    assert "6 themes given." in body
    assert "Сроки направления</span> (3 comments)" in body
    by_theme = page_of(staff.get(base, query_string={"theme": made["Who speaks first"]}))
    assert "3 comments and meeting notes shown" in by_theme
    # The counts table: each theme by stance (concerns, supports, other: one each).
    table = by_theme[by_theme.index("By theme and stance") :]
    row = re.search(r"Who speaks first</th>(.*?)</tr>", table, re.S)
    assert row is not None
    assert re.findall(r">(\d+)</td>", row.group(1)) == ["1", "1", "0", "1", "3"]

    taken = staff.post(
        f"{base}/tag",
        data={"comment": [ids[3]], "theme": [made["Who speaks first"]], "remove": "1"},
    )
    assert taken.status_code == 303
    assert "1 theme taken away." in page_of(staff.get(base))
    # Nothing ticked: said so, nothing changes.
    staff.post(f"{base}/tag", data={"theme": [made["Who speaks first"]], "add": "1"})
    assert "Tick at least one comment." in page_of(staff.get(base))

    staff.post(f"{base}/themes/{made['Who speaks first']}/delete")
    assert set(themes(app)) == {"Сроки направления"}
    with app.app_context():
        assert len(list(db.session.scalars(select(CommentTheme)))) == 3
        actions = [e.action for e in db.session.scalars(select(AuditEvent))]
        db.session.remove()
    for action in ("feedback.theme_add", "feedback.tag", "feedback.untag", "feedback.theme_delete"):
        assert action in actions


def test_a_theme_or_comment_of_another_consultation_is_refused(app, feedback):
    public_id, staff, ids, _members = feedback
    other = open_consultation(app).public_id
    staff.post(f"/staff/consultations/{other}/feedback/themes", data={"name": "Elsewhere"})
    elsewhere = themes(app)["Elsewhere"]
    response = staff.post(
        f"/staff/consultations/{public_id}/feedback/tag",
        data={"comment": [ids[0]], "theme": [elsewhere], "add": "1"},
    )
    assert response.status_code == 303
    assert "Some of those comments or themes are gone." in page_of(
        staff.get(f"/staff/consultations/{public_id}/feedback")
    )
    with app.app_context():
        assert list(db.session.scalars(select(CommentTheme))) == []
        db.session.remove()


def read_csv(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    text = response.get_data(as_text=True)
    assert text.startswith(BOM)
    return list(csv.DictReader(io.StringIO(text[len(BOM) :])))


def test_the_csv_holds_published_feedback_and_nothing_that_leads_to_a_member(app, feedback):
    public_id, staff, ids, (first, second) = feedback
    base = f"/staff/consultations/{public_id}/feedback"
    staff.post(f"{base}/themes", data={"name": "Сроки"})
    staff.post(f"{base}/tag", data={"comment": [ids[0]], "theme": list(themes(app).values())})
    response = staff.post(f"{base}.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="feedback.csv"'
    raw = response.get_data(as_text=True)
    rows = read_csv(response)
    assert list(rows[0]) == ["Label", "Section", "Stance", "Themes", "Date", "Text", "From"]
    texts = [row["Text"] for row in rows]
    texts_kept = {"Reply: agreed.", "The group asked for a woman in the team."}
    # Published comments, the reply and the meeting note; never the hidden one.
    assert len(rows) == 6
    assert "The girl from the house by the mosque in Saryagash" not in raw
    assert "Deleted words" not in raw
    first_row = next(row for row in rows if row["Text"] == SAID[0][2])
    assert (first_row["Section"], first_row["Stance"], first_row["Themes"]) == (
        "Referral",
        "Has concerns",
        "Сроки",
    )
    assert any(row["From"] == "a group meeting" for row in rows)
    # Formula cells come out as text.
    assert '\'=HYPERLINK("http://example.invalid/x","click")' in texts
    assert "'+1 to the previous comment" in texts
    # Nothing that leads back to a member: no pseudonym, no comment id, no account id.
    for name in (first.pseudonym, second.pseudonym):
        assert name not in raw
    numbers = {str(number) for number in (*ids, first.id, second.id)}
    for row in rows:
        assert re.fullmatch(r"[0-9a-f]{8}", row["Label"])  # random: see below
        assert not numbers & set(re.findall(r"\d+", row["Section"] + row["Themes"] + row["From"]))
        assert row["Text"].removeprefix("'") in {*(text for _k, _s, text in SAID), *texts_kept}
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["Date"])
    # A label per row, drawn afresh for every download.
    again = read_csv(staff.post(f"{base}.csv"))
    labels = [row["Label"] for row in rows]
    assert len(set(labels)) == len(labels)
    assert not set(labels) & {row["Label"] for row in again}
    with app.app_context():
        exports = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "feedback.export")
        ).all()
        db.session.remove()
    assert len(exports) == 2


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("плюс +1", "плюс +1"),
        ("", ""),
    ],
)
def test_every_csv_cell_is_neutralized(cell, written):
    assert neutralize(cell) == written
    document = csv_text(["head"], [[cell]])
    (row,) = list(csv.reader(io.StringIO(document[len(BOM) :], newline="")))[1:]
    assert row == [written]


def test_the_closed_decisions_results_stand_beside_the_feedback(app, feedback, clock):
    from tests.decision_fixtures import open_decision, vote

    public_id, staff, _ids, (first, _second) = feedback
    made = open_decision(app, consultation=public_id, closes_in=timedelta(minutes=5))
    member = app.test_client()
    sign_in(member, first, clock)
    vote(member, made, 1)
    clock.advance(timedelta(minutes=6))
    body = page_of(staff.get(f"/staff/consultations/{public_id}/feedback"))
    assert "What the group decided" in body
    assert f'id="decision-{made.decision}"' in body


@pytest.fixture
def crowded(app, clock):  # type: ignore[no-untyped-def]
    """A consultation of 20 sections and 120 comments (six a section), and staff on it."""
    made = open_consultation(app, text=_big_draft(), with_comment=False)
    _add_comments(app, made.public_id, 120)
    staff = app.test_client()
    sign_in(staff, make_member(app, "Paging Staff", role=Role.STAFF, two_factor=True), clock)
    return f"/staff/consultations/{made.public_id}/feedback", staff


def cards(body: str) -> int:
    return body.count('class="card"')


def test_the_list_comes_fifty_to_a_page_with_its_filters_kept(crowded):
    url, staff = crowded
    first = page_of(staff.get(url))
    assert cards(first) == workspace.PAGE_SIZE
    assert "120 comments and meeting notes shown · 120 in all · Page 1 of 3" in first
    assert f'href="{url}?page=2" rel="next"' in first
    assert 'rel="prev"' not in first
    # The counts are of everything the filters let through, not of the page.
    assert re.search(r"Section 19</th>.*?>6</td>\s*</tr>", first, re.S)
    # A section the page cuts says how much of it the page shows.
    assert "Section 8 (2 of 6)" in first
    last = page_of(staff.get(url, query_string={"page": "3"}))
    assert cards(last) == 120 - 2 * workspace.PAGE_SIZE
    assert "Section 16 (2 of 6)" in last
    assert f'href="{url}?page=2" rel="prev"' in last
    assert 'rel="next"' not in last
    # Every link to another page keeps the filters; a new filter starts on page 1.
    other = page_of(staff.get(url, query_string={"stance": "other", "page": "2"}))
    assert f'href="{url}?stance=other&page=3" rel="next"' in other
    assert "field-error" not in other
    section = page_of(staff.get(url, query_string={"section": "s3", "page": "2"}))
    assert "6 comments and meeting notes shown" in section
    assert "Section 3 (6)" in section
    assert cards(section) == 6


@pytest.mark.parametrize(
    ("asked", "shown"),
    [
        ("x", 1),
        ("0", 1),
        ("-2", 1),
        ("", 1),
        ("2.5", 1),
        ("\uff12", 1),  # a full-width two
        ("9" * 40, 1),
        ("999", 3),  # past the last page: the last
    ],
)
def test_a_wrong_page_number_shows_a_page_of_the_list(crowded, asked, shown):
    url, staff = crowded
    response = staff.get(url, query_string={"page": asked})
    assert response.status_code == 200
    assert f"Page {shown} of 3" in page_of(response)


def test_coding_on_a_page_comes_back_to_that_page(app, crowded):
    url, staff = crowded
    staff.post(f"{url}/themes", data={"name": "Waiting", "keep_page": "2"})
    (theme,) = themes(app).values()
    body = page_of(staff.get(url, query_string={"stance": "other", "page": "2"}))
    picked = re.findall(r'name="comment" value="(\d+)"', body)[:3]
    given = staff.post(
        f"{url}/tag",
        data={
            "comment": picked,
            "theme": [theme],
            "add": "1",
            "keep_stance": "other",
            "keep_page": "2",
        },
    )
    assert given.status_code == 303
    assert given.location.endswith("?stance=other&page=2")
    back = page_of(staff.get(given.location))
    assert "3 themes given." in back
    assert "Page 2 of 3" in back
    # Filtered by the theme the list is one page: asking for page 2 of it shows that page.
    only = page_of(staff.get(url, query_string={"theme": theme, "page": "2"}))
    assert "3 comments and meeting notes shown" in only
    assert cards(only) == 3


def test_the_workspace_makes_as_many_queries_for_300_comments_as_for_7(app, feedback, clock):
    """The list is loaded whole in a fixed set of queries and cut into pages in memory, so the
    count follows neither the comments, the themes, nor the page asked."""
    public_id, staff, ids, _members = feedback
    small = f"/staff/consultations/{public_id}/feedback"
    staff.get(small)  # the visit date is moved once
    with counted_queries(app) as few:
        assert staff.get(small).status_code == 200
    made = open_consultation(app, text=_big_draft(), with_comment=False)
    _add_comments(app, made.public_id, 300)
    big = f"/staff/consultations/{made.public_id}/feedback"
    for name in ("Delays", "Interpreters", "Who speaks first"):
        staff.post(f"{big}/themes", data={"name": name})
    body = page_of(staff.get(big))
    picked = re.findall(r'name="comment" value="(\d+)"', body)
    staff.post(f"{big}/tag", data={"comment": picked, "theme": list(themes(app).values())})
    for asked in ({}, {"page": "6"}, {"theme": str(min(themes(app).values())), "text": "s1"}):
        with counted_queries(app) as many:
            assert staff.get(big, query_string=asked).status_code == 200
        # At most: the reports are looked up only when a comment is hidden, as one is in `few`.
        assert len(many) <= len(few), (asked, len(few), len(many))
