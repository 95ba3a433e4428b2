"""A published advisory record (with a quote and a linked recommendation, and a correction in
draft) and a published recommendation, made through the services, for tests that need one."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from consultations.models import Addressee, Member, Priority, Region, Role
from consultations.services import consultations, recommendations, records
from consultations.services.records import NewQuote, Texts
from portal.extensions import db
from tests.consultation_fixtures import open_consultation
from tests.factories import make_member

_NUMBERS = itertools.count(1)


@dataclass(frozen=True)
class MadeRecord:
    record_id: int
    number: str
    quote_id: int
    recommendation_id: int
    recommendation: str


def published_recommendation(  # type: ignore[no-untyped-def]
    app,
    staff_id: int | None = None,
    *,
    locale: str = "en",
    title: str = "Refer the child within 12 hours",
    text: str = "Referral within **12 hours** of identification.",
) -> tuple[int, str]:
    if staff_id is None:
        staff_id = make_member(app, f"Register Staff {next(_NUMBERS)}", role=Role.STAFF).id
    with app.app_context():
        now = app.extensions["kenes.clock"].now()
        staff = db.session.get(Member, staff_id)
        addressee = Addressee(
            name_kk="Түркістан облысының әкімдігі",
            name_ru="Акимат Туркестанской области",
            name_en="Akimat of Turkestan Region",
        )
        db.session.add(addressee)
        db.session.flush()
        made = recommendations.create(
            db.session,
            recommendations.Draft(
                title=title,
                text=text,
                locale=locale,
                addressee_id=addressee.id,
                priority=Priority.HIGH,
                regions=[Region.TURKESTAN],
            ),
            actor=staff,
            now=now,
        )
        number = recommendations.publish(db.session, made, actor=staff, now=now)
        db.session.commit()
        found = (made.id, number)
        db.session.remove()
    return found


def published_record(app, *, comment_text: str | None = None) -> MadeRecord:  # type: ignore[no-untyped-def]
    """`comment_text`: the words of the comment the record quotes (the fixture's own if None)."""
    words = {} if comment_text is None else {"comment_text": comment_text}
    made = open_consultation(app, quotable=True, report=None, **words)
    staff_id = make_member(app, f"Record Staff {next(_NUMBERS)}", role=Role.STAFF).id
    recommendation_id, recommendation = published_recommendation(app, staff_id)
    with app.app_context():
        now = app.extensions["kenes.clock"].now()
        staff = db.session.get(Member, staff_id)
        record = records.create(
            db.session,
            locale="en",
            consultation=consultations.get(db.session, made.public_id),
            texts=Texts("Referral on the same day", "Faster referral.", "Refer **faster**."),
            actor=staff,
            now=now,
        )
        draft = records.save_draft(
            db.session,
            record,
            Texts("Referral on the same day", "Faster referral.", "Refer **faster**."),
            add_quotes=[NewQuote(made.comment_id)],
            recommendation_ids=[recommendation_id],
            actor=staff,
            now=now,
        )
        number = records.publish(db.session, record, actor=staff, now=now)
        records.start_correction(db.session, record, actor=staff, now=now)  # a draft v2
        db.session.commit()
        found = MadeRecord(record.id, number, draft.quotes[0].id, recommendation_id, recommendation)
        db.session.remove()
    return found
