"""Issue 15, acceptance 4: every page type of a seeded portal weighs at most 25 KB
transferred gzip-compressed, with its CSS and its script — the consultation of 20 sections,
300 comments and two open decisions included, and staff's feedback workspace of that
consultation with its comments coded into themes. Measured as a phone would receive it: each
page's bytes compressed with gzip, plus the stylesheet and the script it links."""

from __future__ import annotations

import gzip
import random
import re

import pytest
from sqlalchemy import select

from consultations.models import Comment, Consultation, Member, Role
from consultations.services import feedback, reading
from portal.extensions import db
from tests.consultation_fixtures import open_consultation
from tests.decision_fixtures import open_decision
from tests.factories import make_member, sign_in
from tests.record_fixtures import published_record
from tests.web.test_replies import COMMENTS, _add_comments, _big_draft

BUDGET = 25 * 1024


def _gzipped(client, path: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    response = client.get(path)
    try:
        assert response.status_code == 200, path
        body = response.get_data()
    finally:
        response.close()
    return len(gzip.compress(body, compresslevel=6)), body.decode("utf-8", "replace")


def _linked(client, page: str) -> int:  # type: ignore[no-untyped-def]
    """The gzip weight of the stylesheets and scripts a page links."""
    assets = re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', page)
    return sum(_gzipped(client, asset)[0] for asset in set(assets))


THEMES = ("Referral takes too long", "Who speaks first", "Interpreters", "Shelter", "Police")
# Russian and Kazakh words of the length members write, drawn at random: comments gzip cannot
# fold into almost nothing, as it does the seeded "Comment number 7 on s7." (real prose, with its
# larger vocabulary, compresses less still).
# fmt: off
WORDS = (
    "ребёнок", "направление", "сутки", "слишком", "долго", "социальный", "работник", "мобильная",
    "группа", "полиция", "приют", "переводчик", "врач", "психолог", "семья", "родственник",
    "школа", "опека", "решение", "порядок", "срок", "разговор", "доверие", "страх", "помощь",
    "защита", "право", "закон", "суд", "адвокат", "документ", "бала", "жолдау", "тәулік",
    "әлеуметтік", "қызметкер", "баспана", "аудармашы", "дәрігер", "отбасы", "мектеп", "шешім",
    "мерзім", "сенім", "қорқыныш", "көмек", "қорғау", "құқық", "заң",
)
# fmt: on


def _code_into_themes(app, public_id: str) -> list[int]:  # type: ignore[no-untyped-def]
    """Five themes in the consultation's feedback workspace; two comments in three coded with
    one of them, one in six with a second."""
    coder_id = make_member(app, "Coding Staff", role=Role.STAFF, two_factor=True).id
    with app.app_context():
        now = app.extensions["kenes.clock"].now()
        consultation = db.session.scalar(
            select(Consultation).where(Consultation.public_id == public_id)
        )
        coder = db.session.get(Member, coder_id)
        themes = [
            feedback.add_theme(db.session, consultation, name, actor=coder, now=now).id
            for name in THEMES
        ]
        ids = db.session.scalars(
            select(Comment.id).where(Comment.consultation_id == consultation.id)
        ).all()
        for n, theme in enumerate(themes):
            coded = [c for i, c in enumerate(ids) if i % 3 and i % len(themes) == n]
            coded += [c for i, c in enumerate(ids) if i % 6 == 1 and (i + 1) % len(themes) == n]
            feedback.tag(db.session, consultation, coded, [theme], add=True, actor=coder, now=now)
        db.session.commit()
        db.session.remove()
    return themes


def _lengthen(app, public_id: str, characters: int) -> None:  # type: ignore[no-untyped-def]
    """Every comment of the consultation rewritten to about `characters` characters."""
    words = random.Random(15)  # noqa: S311 — repeatable text, not a secret
    with app.app_context():
        consultation = db.session.scalar(
            select(Consultation).where(Consultation.public_id == public_id)
        )
        for comment in db.session.scalars(
            select(Comment).where(Comment.consultation_id == consultation.id)
        ):
            said: list[str] = []
            while sum(len(word) + 1 for word in said) < characters:
                said.append(words.choice(WORDS))
            comment.text = " ".join(said).capitalize() + "."
        db.session.commit()
        db.session.remove()


def _weighed(client, paths: list[str]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    measured = {}
    for path in paths:
        weight, body = _gzipped(client, path)
        measured[path] = weight + _linked(client, body)
    return measured


def test_every_page_type_weighs_at_most_25_kb_gzipped_with_its_css_and_js(app, clock):
    made = open_consultation(app, text=_big_draft(), with_comment=False)
    _add_comments(app, made.public_id, COMMENTS)
    first = open_decision(app, consultation=made.public_id)
    open_decision(app, consultation=made.public_id)
    record = published_record(app)
    member = app.test_client()
    sign_in(member, make_member(app, "Weighing Member"), clock)
    staff = app.test_client()
    sign_in(staff, make_member(app, "Weighing Staff", role=Role.STAFF, two_factor=True), clock)
    workspace = f"/staff/consultations/{made.public_id}/feedback"
    coded = _code_into_themes(app, made.public_id)
    page = member.get(f"/consultations/{made.public_id}").get_data(as_text=True)
    reply = re.search(r'href="(/consultations/[^"]+/comments/\d+/reply)"', page)
    assert reply is not None
    pages = {
        member: [
            "/",
            "/consultations",
            f"/consultations/{made.public_id}",
            f"/consultations/{made.public_id}/sections/s3",
            reply.group(1),
            first.url,
            "/consultations/outcomes",
            "/account",
            "/records",
            f"/records/{record.number}",
            "/recommendations",
            f"/recommendations/{record.recommendation}",
            "/search?q=referral",
            "/about",
            "/safety",
        ],
        staff: [
            f"/staff/consultations/{made.public_id}/preview",
            "/staff/moderation",
            # The feedback workspace: its first and last page, a theme's, a section's, a search.
            workspace,
            f"{workspace}?page=6",
            f"{workspace}?theme={coded[0]}",
            f"{workspace}?section=s3",
            f"{workspace}?stance=other&text=comment",
        ],
    }
    measured = {}
    for client, paths in pages.items():
        measured |= _weighed(client, paths)
    heavy = {path: total for path, total in measured.items() if total > BUDGET}
    assert heavy == {}, f"over {BUDGET} bytes gzipped with CSS and JS: {heavy}"
    # The scale is read right: the 300 comments are on the page (the newest few of each
    # section), which outweighs a page of one section and a page without comments.
    whole = measured[f"/consultations/{made.public_id}"]
    assert whole > measured[f"/consultations/{made.public_id}/sections/s3"] > measured["/about"]
    assert page.count('class="comment ') >= reading.NEWEST_PER_SECTION * 20
    listed = staff.get(workspace).get_data(as_text=True)
    assert "300 comments and meeting notes shown · 300 in all" in listed
    assert listed.count('class="card"') == feedback.PAGE_SIZE
    assert 'class="theme-name"' in listed


def test_the_feedback_workspace_of_300_long_comments_weighs_at_most_25_kb(app, clock):
    """The workspace shows every comment's whole text: its weight follows the comments on a
    page, so the first and the last page of 300 comments of some 300 characters each (a
    paragraph in Russian or Kazakh) stay within the budget. All on one page, they weighed 40 KB."""
    made = open_consultation(app, text=_big_draft(), with_comment=False)
    _add_comments(app, made.public_id, COMMENTS)
    _lengthen(app, made.public_id, 300)
    coded = _code_into_themes(app, made.public_id)
    staff = app.test_client()
    sign_in(staff, make_member(app, "Weighing Staff", role=Role.STAFF, two_factor=True), clock)
    workspace = f"/staff/consultations/{made.public_id}/feedback"
    paths = [workspace, f"{workspace}?page=6", f"{workspace}?theme={coded[0]}"]
    measured = _weighed(staff, paths)
    heavy = {path: total for path, total in measured.items() if total > BUDGET}
    assert heavy == {}, f"over {BUDGET} bytes gzipped with CSS and JS: {heavy}"
    last = staff.get(paths[1]).get_data(as_text=True)
    assert last.count('class="card"') == COMMENTS - 5 * feedback.PAGE_SIZE


def test_the_consultation_page_of_300_long_comments_weighs_at_most_25_kb(app, clock):
    """The same 300 comments of some 300 characters in Russian and Kazakh words, read by a
    member: the consultation page (the newest few of each section) and a section's page."""
    made = open_consultation(app, text=_big_draft(), with_comment=False)
    _add_comments(app, made.public_id, COMMENTS)
    _lengthen(app, made.public_id, 300)
    member = app.test_client()
    sign_in(member, make_member(app, "Reading Member"), clock)
    paths = [f"/consultations/{made.public_id}", f"/consultations/{made.public_id}/sections/s3"]
    measured = _weighed(member, paths)
    heavy = {path: total for path, total in measured.items() if total > BUDGET}
    assert heavy == {}, f"over {BUDGET} bytes gzipped with CSS and JS: {measured}"
    page = member.get(paths[0]).get_data(as_text=True)
    assert page.count('class="comment ') >= reading.NEWEST_PER_SECTION * 20


@pytest.mark.parametrize("asset", ["/static/css/kenes.css", "/static/js/quick-exit.js"])
def test_no_web_font_is_linked(client, asset):
    weight, text = _gzipped(client, asset)
    assert weight > 0
    assert "@font-face" not in text
    assert ".woff" not in text
