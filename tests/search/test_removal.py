"""Acceptance 3 of issue 14, read as someone who copies a seized server's search directory
would read it: after a redaction or a withdrawal, the removed words are in no file of the index
directory — not only absent from the results. Checked right after the staff action's commit,
before anyone searches again: a removal is applied at once, not at the next search.

The scan first proves it can see the words (they are in the files before the removal), in
every form the index could keep them: as written, lower-cased, and as each language's
analysis stems them."""

from __future__ import annotations

from pathlib import Path

import pytest

from consultations.models import Member, Role
from consultations.search import analysis
from consultations.services import records
from consultations.services.records import Texts
from portal import searching
from portal.extensions import db
from tests.factories import make_member
from tests.record_fixtures import published_record
from tests.search.helpers import find, numbers

SECRET_QUOTE = "Zhanargul waited at the Kentaubazaar crossing near Shardarinsk"
SECRET_WORDS = ("Zhanargul", "Kentaubazaar", "Shardarinsk")
WITHDRAWN_WORDS = ("Quorvalley", "Blinstrand")


def _forms(word: str) -> set[bytes]:
    forms = {word, word.lower()}
    for make in analysis.ANALYZERS.values():
        forms |= {token.text for token in make()(word)}
    return {form.encode("utf-8") for form in forms if len(form) >= 4}


def _files_holding(app, words) -> list[str]:  # type: ignore[no-untyped-def]
    """Every file of the search directory (every index in it) that holds any form of any of
    `words`, as bytes."""
    root = Path(app.config["KENES"].search_dir)
    held = []
    for path in root.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            held += [f"{path.name}: {f!r}" for w in words for f in _forms(w) if f in content]
    return held


@pytest.mark.postgres
def test_a_redacted_quote_leaves_every_file_of_the_index(app):
    made = published_record(app, comment_text=SECRET_QUOTE + ".")
    staff_id = make_member(app, "Redacting Staff", role=Role.STAFF).id
    assert len(numbers(find(app, "Kentaubazaar"))) == 1
    assert _files_holding(app, SECRET_WORDS), "the scan must see the words while they are there"
    with app.app_context():
        staff = db.session.get(Member, staff_id)
        quote = db.session.get(records.RecordQuote, made.quote_id)
        records.redact(db.session, quote, actor=staff, now=app.extensions["kenes.clock"].now())
        db.session.commit()  # … and nothing else: no search in between
        db.session.remove()
    assert _files_holding(app, SECRET_WORDS) == []
    assert numbers(find(app, "Kentaubazaar")) == []
    assert numbers(find(app, "faster")) == [made.number]  # the record itself is still found


@pytest.mark.postgres
def test_a_withdrawn_records_words_leave_every_file_of_the_index(app):
    staff_id = make_member(app, "Withdrawing Staff", role=Role.STAFF).id
    with app.app_context():
        now = app.extensions["kenes.clock"].now()
        staff = db.session.get(Member, staff_id)
        record = records.create(
            db.session,
            locale="en",
            consultation=None,
            texts=Texts("Valley report", " ".join(WITHDRAWN_WORDS), "Kept apart."),
            actor=staff,
            now=now,
        )
        records.publish(db.session, record, actor=staff, now=now)
        db.session.commit()
        record_id = record.id
        db.session.remove()
    assert len(numbers(find(app, "Quorvalley"))) == 1
    assert _files_holding(app, WITHDRAWN_WORDS)
    with app.app_context():
        staff = db.session.get(Member, staff_id)
        record = records.get(db.session, record_id)
        records.withdraw(db.session, record, "Identified a place", actor=staff, now=now)
        db.session.commit()
        db.session.remove()
    assert _files_holding(app, WITHDRAWN_WORDS) == []
    assert numbers(find(app, "Quorvalley")) == []


def test_the_index_directory_is_the_portals_alone(app):
    find(app, "")
    root = Path(app.config["KENES"].search_dir)
    with app.app_context():
        directory = searching.index().directory()
    assert directory is not None
    assert (root.stat().st_mode & 0o077) == 0
    assert (directory.stat().st_mode & 0o077) == 0
