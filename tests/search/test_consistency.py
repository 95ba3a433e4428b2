"""Acceptance 2 of issue 14, as an observer of the database and the index directory sees it:

- four OS processes publish, correct and withdraw records while two others search through the
  page; afterwards the index holds exactly what the database publishes (each record at its
  latest revision, nothing withdrawn), and no search failed — none with a lock error;
- on PostgreSQL, an outbox row whose transaction commits after a higher one was applied (a
  lower id seen late) is applied all the same.
"""

from __future__ import annotations

import multiprocessing
import time
import traceback

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session, selectinload

from consultations.models import AdvisoryRecord, Member, Recommendation, Role
from consultations.services import records
from consultations.services.records import Texts
from portal import searching
from portal.app import create_app
from portal.extensions import db
from tests.conftest import _app_config
from tests.factories import make_member
from tests.search.helpers import find, numbers, publish_record

WRITERS = 4
SEARCHERS = 2
PUBLISHED_BY_EACH = 8


def _writer(config: dict, staff_id: int, tag: int, failures) -> None:  # type: ignore[type-arg,no-untyped-def]
    """Publish records; correct every second one; withdraw every fourth."""
    try:
        app = create_app(config)
        with app.app_context():
            clock = app.extensions["kenes.clock"]
            for i in range(PUBLISHED_BY_EACH):
                actor = db.session.get(Member, staff_id)
                record = records.create(
                    db.session,
                    locale=("kk", "ru", "en")[i % 3],
                    consultation=None,
                    texts=Texts(f"Writer{tag} record{i}", f"first{tag}x{i} words", ""),
                    actor=actor,
                    now=clock.now(),
                )
                records.publish(db.session, record, actor=actor, now=clock.now())
                db.session.commit()
                if i % 2:
                    records.start_correction(db.session, record, actor=actor, now=clock.now())
                    records.save_draft(
                        db.session,
                        record,
                        Texts(f"Writer{tag} record{i}", f"second{tag}x{i} words", "", "fixed"),
                        actor=actor,
                        now=clock.now(),
                    )
                    records.publish(db.session, record, actor=actor, now=clock.now())
                    db.session.commit()
                if i % 4 == 3:
                    records.withdraw(db.session, record, "wrong", actor=actor, now=clock.now())
                    db.session.commit()
            db.session.remove()
    except Exception:
        failures.put(f"writer {tag}: {traceback.format_exc()}")


def _searcher(config: dict, stop, failures, answered) -> None:  # type: ignore[type-arg,no-untyped-def]
    try:
        app = create_app(config)
        client = app.test_client()
        queries = ("words", "record", "first0x1", "second1x3", "")
        i = 0
        while not stop.is_set():
            response = client.get(f"/search?q={queries[i % len(queries)]}")
            if response.status_code != 200:
                failures.put(f"search answered {response.status_code}")
            answered.put(1)
            i += 1
    except Exception:
        failures.put(f"searcher: {traceback.format_exc()}")


def _published(app) -> set[tuple[str, int | None]]:  # type: ignore[no-untyped-def]
    """What the database publishes: each record not withdrawn at its latest published
    revision, each published recommendation."""
    with app.app_context():
        found: set[tuple[str, int | None]] = set()
        for record in db.session.scalars(
            select(AdvisoryRecord)
            .where(AdvisoryRecord.number.is_not(None), AdvisoryRecord.withdrawn_on.is_(None))
            .options(selectinload(AdvisoryRecord.revisions))
        ):
            latest = [r for r in record.revisions if r.published_at is not None][-1]
            found.add((record.number, latest.number))
        for number in db.session.scalars(
            select(Recommendation.number).where(Recommendation.published_at.is_not(None))
        ):
            found.add((number, None))
        db.session.remove()
    return found


def _indexed(app) -> set[tuple[str, int | None]]:  # type: ignore[no-untyped-def]
    """What the index directory holds, read with Whoosh alone (no catch-up)."""
    with app.app_context():
        ix = searching.index().open(db.session, app.extensions["kenes.clock"].now())
        db.session.remove()
    with ix.searcher() as searcher:
        return {
            (fields["number"], fields.get("revision"))
            for fields in searcher.all_stored_fields()
            if fields["kind"] != "_state"
        }


@pytest.mark.postgres
def test_the_index_holds_exactly_what_is_published_after_concurrent_writers_and_searchers(
    app, database_url, app_home, clock
):
    staff_id = make_member(app, "Concurrent Staff", role=Role.STAFF).id
    publish_record(app, "en", "Before the storm", "already there")
    find(app, "")  # the index exists before the processes start
    config = {**_app_config(database_url, app_home, clock), "WTF_CSRF_ENABLED": False}
    spawn = multiprocessing.get_context("spawn")
    failures, answered, stop = spawn.Queue(), spawn.Queue(), spawn.Event()
    searchers = [
        spawn.Process(target=_searcher, args=(config, stop, failures, answered))
        for _ in range(SEARCHERS)
    ]
    writers = [
        spawn.Process(target=_writer, args=(config, staff_id, tag, failures))
        for tag in range(WRITERS)
    ]
    for process in searchers + writers:
        process.start()
    for process in writers:
        process.join(120)
    stop.set()
    for process in searchers:
        process.join(60)
    problems = []
    while not failures.empty():
        problems.append(failures.get())
    searches = 0
    while not answered.empty():
        searches += answered.get()
    assert not problems, "\n".join(problems)
    assert all(p.exitcode == 0 for p in searchers + writers)
    assert searches >= 10, f"only {searches} searches ran beside the writers"

    published = _published(app)
    assert len(published) == 1 + WRITERS * (PUBLISHED_BY_EACH - PUBLISHED_BY_EACH // 4)
    find(app, "")  # the last catch-up, as the next visitor's search would make it
    assert _indexed(app) == published
    # The latest revision's words are found, a replaced revision's and a withdrawn record's not.
    assert len(numbers(find(app, "second1x1"))) == 1
    assert numbers(find(app, "first1x1")) == []
    assert numbers(find(app, "second2x3")) == []  # corrected, then withdrawn


RENUMBER_NEWEST = text("UPDATE outbox SET id = id + :by WHERE id = (SELECT max(id) FROM outbox)")


def _correct_in(session: Session, staff_id: int, record_id: int, words: str, now) -> None:  # type: ignore[no-untyped-def]
    actor = session.get(Member, staff_id)
    record = records.get(session, record_id)
    records.start_correction(session, record, actor=actor, now=now)
    records.save_draft(
        session, record, Texts("Corrected", words, "", "late words"), actor=actor, now=now
    )
    records.publish(session, record, actor=actor, now=now)


@pytest.mark.postgres
def test_a_lower_outbox_id_committed_after_a_higher_one_is_applied(app, database_url):
    """On PostgreSQL, for real: a correction takes the lower outbox id and its transaction
    stays open while a publication takes a higher one, commits and is applied. (Two new
    publications cannot overlap so: the year's number row serialises them.) SQLite commits in
    id order, so there the same late lower id is made by hand: the higher row is renumbered
    above a hole, which the correction's row then fills."""
    staff_id = make_member(app, "Slow Staff", role=Role.STAFF).id
    publish_record(app, "en", "To be corrected", "original words", staff_id=staff_id)
    find(app, "")
    with app.app_context():
        now = app.extensions["kenes.clock"].now()
        record_id = db.session.scalars(select(AdvisoryRecord.id)).one()
        db.session.remove()
    on_postgres = database_url.startswith("postgresql")
    with app.app_context():
        engine = db.engine  # the app's own: SQLite's busy timeout and WAL settings included
    with Session(engine) as slow:
        if on_postgres:
            _correct_in(slow, staff_id, record_id, "latecomer", now)  # lower id, open …
            publish_record(app, "en", "Fast", "early bird")  # … the higher, committed
        else:
            publish_record(app, "en", "Fast", "early bird")
            with engine.begin() as hand:  # a hole below the newest row
                hand.execute(RENUMBER_NEWEST, {"by": 1})
        assert len(numbers(find(app, "early bird"))) == 1  # applied: the position passes …
        assert numbers(find(app, "latecomer")) == []  # … the lower id, not yet visible
        if not on_postgres:
            _correct_in(slow, staff_id, record_id, "latecomer", now)
            slow.execute(RENUMBER_NEWEST, {"by": -2})
        slow.commit()
    assert len(numbers(find(app, "latecomer"))) == 1  # the gap was asked for again


@pytest.mark.postgres
def test_a_search_answers_from_the_index_as_it_is_while_another_process_writes(app, client):
    """Another process holds Whoosh's writer lock (a long catch-up, a rebuild's last step):
    a search does not fail or queue behind it — it answers from the index as it stands, a
    moment behind — and the next search after the lock is let go catches up."""
    before = publish_record(app, "en", "Already indexed", "lantern")
    find(app, "")
    after = publish_record(app, "en", "Published meanwhile", "lantern")
    with app.app_context():
        ix = searching.index().open(db.session, app.extensions["kenes.clock"].now())
        db.session.remove()
    holder = ix.writer()  # the lock, held as another process would hold it
    try:
        started = time.monotonic()
        response = client.get("/search?q=lantern")
        took = time.monotonic() - started
        assert response.status_code == 200
        assert took < 3, f"the search waited {took:.1f} s for the writer"
        page = response.get_data(as_text=True)
        assert before in page
        assert after not in page  # not applied yet: answered from the index as it was
    finally:
        holder.cancel()
    assert sorted(numbers(find(app, "lantern"))) == sorted([before, after])
