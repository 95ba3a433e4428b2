"""Staff and decisions: writing one of each kind, refusals that say why and keep what was typed,
changing a decision before its first ballot, closing early and giving more time, the audit
lines, and sealing the decisions that closed by the clock (`flask ballots seal`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from consultations.models import AuditEvent, Decision, Option, Role
from portal.extensions import db
from tests.consultation_fixtures import open_consultation
from tests.decision_fixtures import open_decision, vote
from tests.factories import make_member, sign_in

pytestmark = pytest.mark.postgres

FORM = {
    "question": "Who should make the first contact?",
    "explanation": "Think of **the child's** safety first.",
    "kind": "single",
    "options": "Mobile groups\r\n\r\n  Social workers  \r\nPolice\r\n",
    "max_choices": "",
    "opens_on": "2030-01-01",
    "opens_time": "09:00",
    "closes_on": "2030-02-01",
    "closes_time": "18:00",
    "quorum": "",
    "min_ballots": "5",
}


@pytest.fixture
def staff(app, clock):  # type: ignore[no-untyped-def]
    client = app.test_client()
    sign_in(client, make_member(app, "Decision Writer", role=Role.STAFF, two_factor=True), clock)
    return client


def saved(app, consultation: str) -> list[Decision]:
    from consultations.models import Consultation

    with app.app_context():
        found = list(
            db.session.scalars(
                select(Decision)
                .join(Consultation, Consultation.id == Decision.consultation_id)
                .where(Consultation.public_id == consultation)
                .order_by(Decision.id)
            )
        )
        for decision in found:
            db.session.expunge(decision)
        db.session.remove()
    return found


def options_of(app, decision_id: int) -> list[tuple[str, str | None]]:
    with app.app_context():
        found = [
            (o.label, o.code)
            for o in db.session.scalars(
                select(Option).where(Option.decision_id == decision_id).order_by(Option.position)
            )
        ]
        db.session.remove()
    return found


@pytest.mark.parametrize(
    ("kind", "extra", "options"),
    [
        ("proposal", {}, [("", "agree"), ("", "disagree"), ("", "abstain")]),
        ("single", {}, [("Mobile groups", None), ("Social workers", None), ("Police", None)]),
        (
            "multiple",
            {"max_choices": "2"},
            [("Mobile groups", None), ("Social workers", None), ("Police", None)],
        ),
        ("ranked", {}, [("Mobile groups", None), ("Social workers", None), ("Police", None)]),
    ],
)
def test_staff_write_a_decision_of_each_kind(app, staff, kind, extra, options):
    consultation = open_consultation(app, with_comment=False).public_id
    form = f"/staff/consultations/{consultation}/decisions/new"
    assert staff.get(form).status_code == 200
    response = staff.post(form, data=FORM | {"kind": kind} | extra)
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    (decision,) = saved(app, consultation)
    assert decision.kind == kind
    assert options_of(app, decision.id) == options
    assert decision.max_choices == (2 if kind == "multiple" else None)
    assert decision.live_results is False
    listing = staff.get(f"/staff/consultations/{consultation}/decisions").get_data(as_text=True)
    assert "Who should make the first contact?" in listing


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"question": ""}, "This field is required."),
        ({"question": "q" * 301}, "This can be at most 300 characters long."),
        ({"question": "Who\u202eevil"}, "Remove the invisible or control characters"),
        ({"options": "Only one"}, "Write at least two options, one per line."),
        ({"options": "\n".join(f"Option {n}" for n in range(13))}, "at most 12 options"),
        ({"options": "Same\nsame"}, "Two options are the same."),
        ({"options": "A\n" + "b" * 201}, "Each option can be at most 200 characters long."),
        ({"options": "A\nB\u200b"}, "Remove the invisible or control characters from the options"),
        ({"kind": "multiple"}, "say how many options a member may choose"),
        ({"kind": "multiple", "max_choices": "4"}, "say how many options a member may choose"),
        ({"max_choices": "two"}, "Enter a whole number"),
        ({"quorum": "0"}, "Enter a number from 1 to 100,000."),
        ({"max_choices": "13", "kind": "multiple"}, "Enter a number from 1 to 12."),
        ({"closes_on": "2029-12-31"}, "The closing date must come after the opening date."),
        ({"opens_on": "2020-01-01", "closes_on": "2020-02-01"}, "must be in the future"),
        ({"closes_on": "31.12.2030"}, "Enter the date as year-month-day"),
        ({"closes_on": "  ", "closes_time": " "}, "This field is required."),
        ({"kind": "secret-poll"}, "Not a valid choice"),
        ({"explanation": "x" * 10_001}, "This can be at most 10000 characters long."),
    ],
)
def test_a_refused_decision_says_why_and_keeps_what_was_typed(app, staff, change, message):
    consultation = open_consultation(app, with_comment=False).public_id
    response = staff.post(f"/staff/consultations/{consultation}/decisions/new", data=FORM | change)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in body
    assert "Social workers" in body or "options" in change  # the typed options come back
    assert saved(app, consultation) == []


def test_staff_change_a_decision_until_the_first_ballot(app, staff, clock):
    made = open_decision(app)
    edit = f"{made.staff_url}/edit"
    yesterday = (clock.now() - timedelta(days=1)).date().isoformat()
    open_now = FORM | {"opens_on": yesterday}  # so that it takes a vote
    response = staff.post(edit, data=open_now | {"kind": "proposal", "question": "Agree?"})
    assert response.status_code == 303
    assert options_of(app, made.decision_id) == [("", "agree"), ("", "disagree"), ("", "abstain")]
    response = staff.post(edit, data=open_now | {"kind": "ranked", "options": "One\nTwo"})
    assert response.status_code == 303
    assert options_of(app, made.decision_id) == [("One", None), ("Two", None)]
    member = app.test_client()
    sign_in(member, make_member(app, "Early Ballot"))
    assert vote(member, made, ranks={1: 1}).status_code == 303
    refused = staff.post(edit, data=open_now | {"options": "Three\nFour"})
    assert refused.status_code == 400
    assert "can no longer be changed" in refused.get_data(as_text=True)
    assert options_of(app, made.decision_id) == [("One", None), ("Two", None)]


def test_closing_early_extending_and_the_audit(app, staff, clock):
    made = open_decision(app, closes_in=timedelta(days=2))
    extended = staff.post(
        f"{made.staff_url}/extend", data={"new_closes_on": "2031-01-01", "new_closes_time": "12:00"}
    )
    assert extended.status_code == 303
    past = staff.post(
        f"{made.staff_url}/extend", data={"new_closes_on": "2001-01-01", "new_closes_time": "12:00"}
    )
    assert past.status_code == 400
    assert "must be in the future" in past.get_data(as_text=True)
    assert staff.post(f"{made.staff_url}/close").status_code == 303
    (decision,) = saved(app, made.consultation)
    assert decision.closes_at == clock.now().replace(microsecond=decision.closes_at.microsecond)
    assert decision.sealed is True
    again = staff.post(f"{made.staff_url}/close", follow_redirects=True)
    assert "Only an open decision can be closed early." in again.get_data(as_text=True)
    reopen = staff.post(
        f"{made.staff_url}/extend", data={"new_closes_on": "2031-01-01", "new_closes_time": "12:00"}
    )
    assert reopen.status_code == 400
    assert "This decision is closed. Its result is final." in reopen.get_data(as_text=True)
    with app.app_context():
        actions = list(
            db.session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.target == f"decision:{made.decision_id}")
                .order_by(AuditEvent.id)
            )
        )
        db.session.remove()
    assert actions == ["decision.create", "decision.extend", "decision.close"]


def test_the_seal_command_seals_what_closed_by_the_clock(app, runner, clock):
    made = open_decision(app, closes_in=timedelta(minutes=20))
    member = app.test_client()
    sign_in(member, make_member(app, "Clock Voter"))
    assert vote(member, made, 2).status_code == 303
    first = runner.invoke(args=["ballots", "seal"])
    assert first.exit_code == 0
    assert "decisions sealed: 0" in first.output
    clock.advance(timedelta(minutes=21))
    second = runner.invoke(args=["ballots", "seal"])
    assert "decisions sealed: 1" in second.output
    assert saved(app, made.consultation)[0].sealed is True
    assert "decisions sealed: 0" in runner.invoke(args=["ballots", "seal"]).output


def test_members_never_reach_the_staff_decision_pages(app):
    made = open_decision(app)
    member = app.test_client()
    sign_in(member, make_member(app, "Curious Member"))
    for url in (
        f"/staff/consultations/{made.consultation}/decisions",
        f"{made.staff_url}/edit",
    ):
        assert member.get(url).status_code == 404
    assert member.post(f"{made.staff_url}/close").status_code == 404
    assert not saved(app, made.consultation)[0].sealed
