"""Issue 15, acceptance 4: every page type of a seeded portal weighs at most 25 KB
transferred gzip-compressed, with its CSS and its script — the consultation of 20 sections,
300 comments and two open decisions included. Measured as a phone would receive it: each
page's bytes compressed with gzip, plus the stylesheet and the script it links."""

from __future__ import annotations

import gzip
import re

import pytest

from consultations.models import Role
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
        staff: [f"/staff/consultations/{made.public_id}/preview", "/staff/moderation"],
    }
    measured = {}
    for client, paths in pages.items():
        for path in paths:
            weight, body = _gzipped(client, path)
            measured[path] = weight + _linked(client, body)
    heavy = {path: total for path, total in measured.items() if total > BUDGET}
    assert heavy == {}, f"over {BUDGET} bytes gzipped with CSS and JS: {heavy}"
    # The scale is read right: the 300 comments are on the page (the newest five of each
    # section), which outweighs a page of one section and a page without comments.
    whole = measured[f"/consultations/{made.public_id}"]
    assert whole > measured[f"/consultations/{made.public_id}/sections/s3"] > measured["/about"]
    assert page.count('class="comment ') >= 5 * 20


@pytest.mark.parametrize("asset", ["/static/css/kenes.css", "/static/js/quick-exit.js"])
def test_no_web_font_is_linked(client, asset):
    weight, text = _gzipped(client, asset)
    assert weight > 0
    assert "@font-face" not in text
    assert ".woff" not in text
