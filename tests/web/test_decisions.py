"""Decisions through the website: voting with every kind of ballot paper, changing a vote,
refusals that keep what was chosen, results hidden until close for each role, staff
authoring, and the member's export."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consultations.models import Ballot, DecisionKind, Role
from portal.extensions import db
from tests.decision_fixtures import open_decision, vote
from tests.factories import make_member, sign_in

pytestmark = pytest.mark.postgres


def ballots_in(app, made) -> list[str]:  # type: ignore[no-untyped-def]
    with app.app_context():
        found = list(
            db.session.scalars(select(Ballot.choices).where(Ballot.decision_id == made.decision_id))
        )
        db.session.remove()
    return sorted(found)


def member_client(app, name: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    sign_in(client, make_member(app, name))
    return client


@pytest.mark.parametrize(
    ("kind", "form", "stored"),
    [
        (DecisionKind.PROPOSAL, {"choices": (0,)}, "[0]"),
        (DecisionKind.SINGLE, {"choices": (2,)}, "[2]"),
        (DecisionKind.MULTIPLE, {"choices": (3, 1)}, "[1,3]"),
        (DecisionKind.RANKED, {"ranks": {2: 1, 0: 2, 3: 3}}, "[2,0,3]"),
    ],
)
def test_a_member_votes_and_sees_their_own_choice(app, kind, form, stored):
    made = open_decision(app, kind)
    client = member_client(app, "Voter One")
    response = vote(client, made, *form.get("choices", ()), ranks=form.get("ranks"))
    assert response.status_code == 303, response.get_data(as_text=True)[:3000]
    assert response.headers["Location"].endswith(f"#decision-{made.decision}")
    assert ballots_in(app, made) == [stored]
    page = client.get(f"/consultations/{made.consultation}").get_data(as_text=True)
    assert "Your vote:" in page
    assert "Change my vote" in page
    assert "Results are shown when voting closes." in page


def test_changing_a_vote_replaces_the_ballot(app):
    made = open_decision(app, DecisionKind.SINGLE)
    client = member_client(app, "Voter Two")
    assert vote(client, made, 0).status_code == 303
    assert vote(client, made, 1).status_code == 303
    assert vote(client, made, 1).status_code == 303  # a double submission
    assert ballots_in(app, made) == ["[1]"]
    page = client.get(made.url).get_data(as_text=True)
    assert 'value="1" checked' in page


@pytest.mark.parametrize(
    ("kind", "form", "message"),
    [
        (DecisionKind.SINGLE, {"choices": ()}, "Choose an option before you vote."),
        (DecisionKind.SINGLE, {"choices": (0, 1)}, "Choose one option only."),
        (DecisionKind.SINGLE, {"choices": (9,)}, "That choice is not on this ballot."),
        (DecisionKind.MULTIPLE, {"choices": (0, 1, 2)}, "You can choose at most 2 options."),
        (DecisionKind.RANKED, {"ranks": {0: 1, 1: 1}}, "Two options have the same number."),
        (DecisionKind.RANKED, {"ranks": {}}, "Give the number 1 to the option you prefer"),
    ],
)
def test_a_refused_ballot_says_why_and_keeps_the_choices(app, kind, form, message):
    made = open_decision(app, kind)
    client = member_client(app, "Voter Three")
    response = vote(client, made, *form.get("choices", ()), ranks=form.get("ranks"))
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in body
    assert ballots_in(app, made) == []
    if kind == DecisionKind.MULTIPLE:
        assert body.count(" checked") == 3
    if form.get("ranks"):
        assert body.count('value="1" selected') == 2


def test_hostile_ballot_values_are_refused_without_error(app):
    made = open_decision(app, DecisionKind.RANKED)
    client = member_client(app, "Voter Four")
    for data in (
        {"choice": ["0"]},
        {"rank-0": "x"},
        {"rank-0": "-1"},
        {"rank-0": "１"},
        {"rank-0": "9" * 5000},
        {"rank-99": "1"},
    ):
        response = client.post(made.ballot_url, data=data)
        assert response.status_code == 400, data
    single = open_decision(app, DecisionKind.SINGLE)
    for data in ({"choice": ["0x1"]}, {"choice": ["-1"]}, {"choice": ["٣"]}, {"choice": [""]}):
        assert client.post(single.ballot_url, data=data).status_code == 400, data
    assert ballots_in(app, made) == []
    assert ballots_in(app, single) == []


def test_votes_after_close_are_refused_with_a_clear_message(app, clock):
    made = open_decision(app, DecisionKind.SINGLE, closes_in=timedelta(minutes=20))
    client = member_client(app, "Late Voter")
    page = client.get(made.url)
    clock.advance(timedelta(minutes=20))  # the page was open as voting closed
    from tests.factories import csrf_token_from

    response = client.post(
        made.ballot_url, data={"choice": ["0"], "csrf_token": csrf_token_from(page)}
    )
    assert response.status_code == 400
    assert "Voting on this decision has closed, so your vote was not recorded." in (
        response.get_data(as_text=True)
    )
    assert ballots_in(app, made) == []


def test_staff_do_not_vote(app, clock):
    made = open_decision(app, DecisionKind.SINGLE)
    client = app.test_client()
    sign_in(client, make_member(app, "Facilitator", role=Role.STAFF, two_factor=True), clock)
    response = client.post(made.ballot_url, data={"choice": ["0"]})
    assert response.status_code == 403
    assert "Only members vote on decisions" in response.get_data(as_text=True)
    assert ballots_in(app, made) == []


def test_an_upcoming_decision_takes_no_ballot(app):
    made = open_decision(app, DecisionKind.SINGLE, opens_in=timedelta(days=1))
    client = member_client(app, "Early Voter")
    response = client.post(made.ballot_url, data={"choice": ["0"]})
    assert response.status_code == 400
    assert ballots_in(app, made) == []


def count_ballots(app) -> int:
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(Ballot))
        db.session.remove()
    return n or 0
