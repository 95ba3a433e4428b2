"""Issue 13, "Cite this": each revision of a record is cited at a stable address in four
formats, read back by the parsers advocates' tools are built on — bibtexparser (JabRef's
format), rispy (Zotero's RIS), citeproc-py (CSL-JSON, as Pandoc and Zotero render it) — for a
title that mixes Kazakh, Russian, quotes, braces, `%`, `&` and `\\`."""

from __future__ import annotations

import html
import json

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from sqlalchemy import select

from consultations import citations
from consultations.models import Member, RecordRevision
from consultations.services import records
from consultations.services.records import Texts
from portal.extensions import db
from tests.factories import make_member, sign_in
from tests.record_fixtures import published_record

pytestmark = pytest.mark.postgres

TITLE = 'Бала «қорғау» {v2}: 100% & C:\\path — «Защита» "детей"'


@pytest.fixture
def cited(app):  # type: ignore[no-untyped-def]
    """A record whose second revision carries the hard title; returns its number."""
    made = published_record(app)  # v1 published, v2 in draft
    with app.app_context():
        now = app.extensions["kenes.clock"].now()
        staff = db.session.scalar(select(Member).where(Member.role == "staff"))
        record = records.get(db.session, made.record_id)
        records.save_draft(
            db.session,
            record,
            Texts(TITLE, "", "Advice.", "Title corrected."),
            actor=staff,
            now=now,
        )
        records.publish(db.session, record, actor=staff, now=now)
        db.session.commit()
        db.session.remove()
    return made.number


def fetch(client, path: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True), response.headers["Content-Type"]


def test_bibtex_reads_back_with_every_character(app, client, cited):
    text, media = fetch(client, f"/records/{cited}/v2/cite.bib")
    assert media == "application/x-bibtex; charset=utf-8"
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert library.failed_blocks == []
    (entry,) = library.entries
    assert (entry.entry_type, entry.key) == ("techreport", f"{cited}-v2")
    fields = {field.key: field.value for field in entry.fields}
    assert fields["title"] == TITLE
    assert fields["institution"] == "Kenes"
    assert fields["number"] == cited
    assert fields["year"].isdigit()
    assert fields["url"] == f"http://localhost/records/{cited}/v2"
    assert fields["urldate"].count("-") == 2
    assert "Бала «қорғау»" in text  # the letters stay as they are, in UTF-8


def test_ris_reads_back(app, client, cited):
    text, media = fetch(client, f"/records/{cited}/v2/cite.ris")
    assert media == "application/x-research-info-systems; charset=utf-8"
    (entry,) = rispy.loads(text)
    assert entry["type_of_reference"] == "RPRT"
    assert entry["title"] == TITLE
    assert entry["urls"] == [f"http://localhost/records/{cited}/v2"]
    assert entry["publisher"] == "Kenes"
    assert entry["issn"] == cited  # SN: where Zotero reads a report's number


def test_csl_json_renders_with_citeproc(app, client, cited, clock):
    text, media = fetch(client, f"/records/{cited}/v2/cite.json")
    assert media == "application/vnd.citationstyles.csl+json; charset=utf-8"
    items = json.loads(text)
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem(f"{cited}-v2")]))
    (rendered,) = [str(entry) for entry in bibliography.bibliography()]
    today = clock.now().date()
    year = items[0]["issued"]["date-parts"][0][0]
    assert rendered == (
        f"Survivors Advisory Group ({year}) {TITLE}. Advisory record, revision 2 {cited}. Kenes. "
        f"Available at: http://localhost/records/{cited}/v2 "
        f"(Accessed: {today.strftime('%B')} {today.day}, {today.year})."
    )


def test_the_page_shows_the_plain_citation_and_each_revision_cites_itself(app, client, cited):
    page = html.unescape(client.get(f"/records/{cited}").get_data(as_text=True))
    plain, media = fetch(client, f"/records/{cited}/v2/cite.txt")
    assert media == "text/plain; charset=utf-8"
    assert plain.strip() in page  # copy it from the page, no script needed
    assert f"/records/{cited}/v2/cite.bib" in page  # the latest names its revision too
    first = html.unescape(client.get(f"/records/{cited}/v1").get_data(as_text=True))
    assert f"/records/{cited}/v1/cite.ris" in first
    v1, _media = fetch(client, f"/records/{cited}/v1/cite.txt")
    assert f"http://localhost/records/{cited}/v1 " in v1
    assert "revision 1" in v1
    assert client.get(f"/records/{cited}/v3/cite.bib").status_code == 404
    assert client.get(f"/records/{cited}/v2/cite.docx").status_code == 404


def test_no_citation_names_anyone(app, client, cited):
    with app.app_context():
        names = list(db.session.scalars(select(Member.pseudonym)))
        db.session.remove()
    for fmt in ("txt", "bib", "ris", "json"):
        text, _media = fetch(client, f"/records/{cited}/v2/cite.{fmt}")
        for name in names:
            assert name not in text, (fmt, name)


def test_tex_escapes_what_tex_would_read_as_commands():
    assert citations.tex(r"50% & {x} \ $ # _ ~ ^") == (
        r"50\% \& \{x\} \textbackslash{} \$ \# \_ \textasciitilde{} \textasciicircum{}"
    )


def test_a_signed_in_reader_gets_the_same_citation(app, cited, clock):
    member = app.test_client()
    sign_in(member, make_member(app, "Citing Member"), clock)
    with app.app_context():
        assert db.session.scalar(select(RecordRevision.title).where(RecordRevision.number == 2))
        db.session.remove()
    text, _media = fetch(member, f"/records/{cited}/v2/cite.txt")
    assert TITLE in text


def test_a_recommendation_is_cited_at_its_permalink(app, client):
    made = published_record(app)
    page = html.unescape(client.get(f"/recommendations/{made.recommendation}").get_data(True))
    plain, _media = fetch(client, f"/recommendations/{made.recommendation}/cite.txt")
    assert plain.strip() in page
    assert f"Recommendation {made.recommendation}." in plain
    assert f"/recommendations/{made.recommendation}/cite.ris" in page
    (entry,) = rispy.loads(fetch(client, f"/recommendations/{made.recommendation}/cite.ris")[0])
    assert entry["urls"] == [f"http://localhost/recommendations/{made.recommendation}"]
    library = bibtexparser.parse_string(
        fetch(client, f"/recommendations/{made.recommendation}/cite.bib")[0]
    )
    assert library.entries[0].key == made.recommendation
    assert "version" not in {field.key for field in library.entries[0].fields}


def test_conditional_requests_answer_304_until_the_record_changes(app, client):
    """Issue 13, acceptance 3 (pages): asking again with the ETag costs a 304 and no body; a
    correction changes the ETag, and the old one then gets the new page."""
    made = published_record(app)  # v1 published, v2 in draft
    paths = (
        "/records",
        f"/records/{made.number}",
        f"/records/{made.number}/v1",
        f"/records/{made.number}/v1/cite.bib",
        "/recommendations",
        f"/recommendations/{made.recommendation}",
        f"/recommendations/{made.recommendation}/cite.json",
    )
    tags = {}
    for path in paths:
        first = client.get(path)
        assert first.status_code == 200, path
        tags[path] = first.headers["ETag"]
        assert first.headers["Last-Modified"], path
        again = client.get(path, headers={"If-None-Match": tags[path]})
        assert again.status_code == 304, path
        assert again.get_data() == b"", path
        assert again.headers["Cache-Control"] == "no-cache", path
    since = client.get("/records").headers["Last-Modified"]
    assert client.get("/records", headers={"If-Modified-Since": since}).status_code == 304
    with app.app_context():
        now = app.extensions["kenes.clock"].now()
        staff = db.session.scalar(select(Member).where(Member.role == "staff"))
        record = records.get(db.session, made.record_id)
        texts = Texts("A corrected title", "", "Advice.", "Corrected.")
        records.save_draft(db.session, record, texts, actor=staff, now=now)
        records.publish(db.session, record, actor=staff, now=now)
        db.session.commit()
        db.session.remove()
    latest = client.get(
        f"/records/{made.number}", headers={"If-None-Match": tags[f"/records/{made.number}"]}
    )
    assert latest.status_code == 200
    assert "A corrected title" in latest.get_data(as_text=True)
    assert latest.headers["ETag"] != tags[f"/records/{made.number}"]
    # v1's words did not change, but its page now points to the newer revision: a new ETag.
    first = client.get(
        f"/records/{made.number}/v1", headers={"If-None-Match": tags[f"/records/{made.number}/v1"]}
    )
    assert first.status_code == 200
    assert "read the latest revision" in first.get_data(as_text=True)
    # Its citation file names only v1 and its date of reading: unchanged, a 304.
    cited = f"/records/{made.number}/v1/cite.bib"
    assert client.get(cited, headers={"If-None-Match": tags[cited]}).status_code == 304
