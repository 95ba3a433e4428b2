"""Issue 12, acceptance 2: on the seeded demo portal, every public page reachable from
`/records` and `/recommendations` — each record, revision, translation and recommendation, in
each language — is read as an anonymous visitor would read it, and no member's pseudonym and no
comment's id appears in any of them. The demo quotes members' words, so the quotes are there:
only who said them must not be."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from consultations.models import Comment, Member, RecordQuote
from portal.extensions import db

LINK = re.compile(r'href="(?:http://localhost)?(/(?:records|recommendations)[^"#]*)"')


def test_no_public_advice_page_names_a_member_or_a_comment(app_factory):
    app = app_factory(KENES_ENV="development")
    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    with app.app_context():
        pseudonyms = [name for name in db.session.scalars(select(Member.pseudonym))]
        comment_ids = {str(i) for i in db.session.scalars(select(Comment.id))}
        quoted = [q for q in db.session.scalars(select(RecordQuote.text)) if q]
        db.session.remove()
    assert pseudonyms
    assert comment_ids
    assert quoted  # the demo record quotes members: their words are public, their names not

    visitor = app.test_client()
    seen: set[tuple[str, str]] = set()
    for locale in ("kk", "ru", "en"):
        visitor.get(f"/lang/{locale}?next=/")
        queue = ["/records", "/recommendations"]
        while queue:
            path = queue.pop()
            if (locale, path) in seen:
                continue
            seen.add((locale, path))
            response = visitor.get(path)
            assert response.status_code == 200, path
            body = html.unescape(response.get_data(as_text=True))
            for name in pseudonyms:
                assert name not in body, (locale, path, name)
            # No comment id: not in an address, an anchor, or a form field.
            assert not re.search(r"comment[-_/=]\d", body), (locale, path)
            assert not re.search(r"/comments/\d", body), (locale, path)
            queue += [found for found in LINK.findall(body) if "?" not in found]
    paths = {path for _locale, path in seen}
    # The lists, three records with the original's two revisions, six recommendations.
    assert len(paths) >= 2 + 3 + 2 + 6, sorted(paths)
    assert any(re.fullmatch(r"/records/AR-\d{4}-\d{3}/v2", p) for p in paths)
