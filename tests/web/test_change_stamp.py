"""Issue 15: a consultation's change stamp — the key of its page's kept part — moves with
every change to what its page shows alike to every reader, in the change's own transaction,
and with nothing else: not a member joining, not a ballot (whose transaction writes ballots
and nothing else)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from consultations.models import Comment, Consultation, Member, Role
from consultations.services import comments, consultations
from portal.extensions import db
from tests.consultation_fixtures import open_consultation
from tests.decision_fixtures import open_decision, vote
from tests.factories import make_member, sign_in, write_comment

pytestmark = pytest.mark.postgres


def stamps(app) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with app.app_context():
        rows = db.session.execute(select(Consultation.public_id, Consultation.change_stamp))
        found = {public_id: stamp for public_id, stamp in rows}
        db.session.remove()
    return found


def test_the_stamp_moves_with_what_the_page_shows_and_nothing_else(app, clock):
    made = open_consultation(app)
    other = open_consultation(app)
    decision = open_decision(app, consultation=made.public_id)
    staff_id = make_member(app, "Stamp Moderator", role=Role.STAFF).id
    writer_id = make_member(app, "Stamp Writer").id

    def change(what) -> set[str]:  # type: ignore[no-untyped-def]
        before = stamps(app)
        with app.app_context():
            what(db.session)
            db.session.commit()
            db.session.remove()
        after = stamps(app)
        return {public_id for public_id in before if before[public_id] != after[public_id]}

    def consultation(session):  # type: ignore[no-untyped-def]
        return consultations.get(session, made.public_id)

    def comment(session):  # type: ignore[no-untyped-def]
        return session.scalar(select(Comment).where(Comment.text == "Stamped"))

    now = app.extensions["kenes.clock"].now()
    assert change(
        lambda s: write_comment(
            s, consultation(s), s.get(Member, writer_id), text="Stamped", now=now
        )
    ) == {made.public_id}
    assert change(lambda s: setattr(comment(s), "text", "Stamped, edited")) == {made.public_id}
    assert change(
        lambda s: comments.hide(
            s,
            s.scalar(select(Comment).where(Comment.text == "Stamped, edited")),
            actor=s.get(Member, staff_id),
            reason="a place",
            now=now,
        )
    ) == {made.public_id}
    # A member's new pseudonym shows beside their comments everywhere: every page is stamped.
    assert change(lambda s: setattr(s.get(Member, writer_id), "pseudonym", "Stamp Renamed")) == {
        made.public_id,
        other.public_id,
    }
    # Nothing the pages show: a member joining, a ballot.
    before = stamps(app)
    voter = app.test_client()
    account = make_member(app, "Stamp Voter")
    assert stamps(app) == before, "joining"
    sign_in(voter, account)
    assert stamps(app) == before, "signing in"
    assert vote(voter, decision, 0).status_code == 303
    assert stamps(app) == before, "voting"
