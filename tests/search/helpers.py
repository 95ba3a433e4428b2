"""Records and recommendations published through the services, and searches run as the page
runs them, for the search tests."""

from __future__ import annotations

import itertools

from consultations import search
from consultations.models import Member, Role
from consultations.services import records
from consultations.services.records import Texts
from portal import searching
from portal.extensions import db
from tests.factories import make_member
from tests.record_fixtures import published_recommendation

_STAFF = itertools.count(1)


def staff(app) -> int:  # type: ignore[no-untyped-def]
    return make_member(app, f"Search Staff {next(_STAFF)}", role=Role.STAFF).id


def publish_record(  # type: ignore[no-untyped-def]
    app,
    locale: str,
    title: str,
    summary: str = "",
    advice: str = "",
    *,
    staff_id: int | None = None,
) -> str:
    staff_id = staff_id or staff(app)
    with app.app_context():
        now = app.extensions["kenes.clock"].now()
        actor = db.session.get(Member, staff_id)
        record = records.create(
            db.session,
            locale=locale,
            consultation=None,
            texts=Texts(title, summary, advice),
            actor=actor,
            now=now,
        )
        number = records.publish(db.session, record, actor=actor, now=now)
        db.session.commit()
        db.session.remove()
    return number


def publish_recommendation(  # type: ignore[no-untyped-def]
    app, locale: str, title: str, text: str, *, staff_id: int | None = None
) -> str:
    """Addressed to the Akimat of Turkestan Region, for the Turkestan region."""
    return published_recommendation(app, staff_id, locale=locale, title=title, text=text)[1]


def find(app, text: str = "", **filters: str) -> search.Results:  # type: ignore[no-untyped-def]
    with app.app_context():
        try:
            return search.find(
                searching.index(),
                db.session,
                search.Search(text=text, filters=tuple(filters.items())),
                app.extensions["kenes.clock"].now(),
            )
        finally:
            db.session.remove()


def numbers(results: search.Results) -> list[str]:
    return [result.document.number for result in results.results]
