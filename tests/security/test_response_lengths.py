"""A page that shows a member's ballot has the same length on the wire whatever they chose
(issue 9, item 2) — measured as a network observer of TLS record sizes, or the old access
log, would measure it: the number of bytes of each response.

For every kind of decision and every choice the test can make (every answer, every allowed
set of options, rankings of every length), one member votes that choice and the test
measures the responses that show it: the consultation page the vote redirects to, and the
decision's own page, with live results visible (other members voted first, so the counts cross
from one digit to two). Then the same for a closed decision. All lengths must be equal.

Compression: Kenes compresses nothing, even when a client asks for gzip, and every private
page says `no-transform`, so no proxy may compress it either (README, Deployment): gzip would
make equal lengths unequal again.
"""

from __future__ import annotations

import itertools

import pytest

from consultations.models import DecisionKind, Member, Role
from consultations.services import consultations, decisions
from portal.extensions import db
from tests.decision_fixtures import MadeDecision, open_decision, vote
from tests.factories import make_member, sign_in

# Labels of different lengths and scripts, one with a character HTML escapes.
OPTIONS = {
    DecisionKind.PROPOSAL: [],
    DecisionKind.SINGLE: ["Police", "Мобильные группы", "A & B"],
    DecisionKind.MULTIPLE: ["Shelter", "Адвокат", "Interpreter & doctor", "Ү"],
    DecisionKind.RANKED: ["Plan A", "План Б", "Plan C — the long one", "Ж"],
}


def _choices(kind: DecisionKind) -> list[dict]:
    if kind == DecisionKind.PROPOSAL:
        return [{"choices": (n,)} for n in range(3)]
    if kind == DecisionKind.SINGLE:
        return [{"choices": (n,)} for n in range(3)]
    if kind == DecisionKind.MULTIPLE:  # up to 2 of 4
        return [
            {"choices": combo}
            for size in (1, 2)
            for combo in itertools.combinations(range(4), size)
        ]
    rankings = []
    for size in (1, 2, 4):
        for order in list(itertools.permutations(range(4), size))[:6]:
            rankings.append({"ranks": {position: rank + 1 for rank, position in enumerate(order)}})
    return rankings


def _member(app, name: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    sign_in(client, make_member(app, name))
    return client


def _lengths(client, made: MadeDecision) -> tuple[int, int]:
    """The bytes of the two responses that show the ballot, asking for gzip as browsers do."""
    sizes = []
    for url in (f"/consultations/{made.consultation}", made.url):
        response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
        assert response.status_code == 200
        assert "Content-Encoding" not in response.headers
        assert "no-transform" in response.headers["Cache-Control"]
        sizes.append(len(response.get_data()))
    return sizes[0], sizes[1]


@pytest.mark.parametrize("kind", list(DecisionKind))
def test_an_open_decisions_pages_weigh_the_same_whatever_the_choice(app, kind):
    made = open_decision(
        app,
        kind,
        options=OPTIONS[kind],
        max_choices=2 if kind == DecisionKind.MULTIPLE else None,
        live_results=True,
        min_ballots=3,
    )
    for n in range(9):  # nine ballots for the first option: the tenth makes two digits
        voter = _member(app, f"Earlier Voter {n}")
        first = {"ranks": {0: 1}} if kind == DecisionKind.RANKED else {"choices": (0,)}
        assert (
            vote(voter, made, *first.get("choices", ()), ranks=first.get("ranks")).status_code
            == 303
        )
    client = _member(app, "Measured Voter")
    measured = {}
    for choice in _choices(kind):
        response = vote(client, made, *choice.get("choices", ()), ranks=choice.get("ranks"))
        assert response.status_code == 303, choice
        measured[repr(choice)] = _lengths(client, made)
        page = client.get(made.url).get_data(as_text=True)
        assert "Results so far" in page  # the counts are on the measured page
    assert len(set(measured.values())) == 1, measured


@pytest.mark.parametrize("kind", list(DecisionKind))
def test_a_closed_decisions_pages_weigh_the_same_whatever_the_choice(app, clock, kind):
    """After close the member's own ballot is listed with every option, theirs marked; the
    counts are hidden here (fewer ballots than the minimum), so the whole page is measured."""
    staff = make_member(app, "Closing Staff", role=Role.STAFF)
    measured = {}
    for n, choice in enumerate(_choices(kind)):
        made = open_decision(
            app,
            kind,
            options=OPTIONS[kind],
            max_choices=2 if kind == DecisionKind.MULTIPLE else None,
            min_ballots=5,
        )
        client = _member(app, f"Closed Voter {n}")
        response = vote(client, made, *choice.get("choices", ()), ranks=choice.get("ranks"))
        assert response.status_code == 303, choice
        with app.app_context():
            consultation = consultations.get(db.session, made.consultation)
            decision = decisions.get(db.session, consultation, made.decision)
            decisions.close_now(
                db.session, decision, actor=db.session.get(Member, staff.id), now=clock.now()
            )
            db.session.commit()
            db.session.remove()
        page = client.get(made.url).get_data(as_text=True)
        assert "Your vote:" in page
        assert "(your choice" in page
        measured[repr(choice)] = len(client.get(made.url).get_data())
    assert len(set(measured.values())) == 1, measured


@pytest.mark.parametrize("kind", list(DecisionKind))
def test_the_export_weighs_the_same_whatever_the_choice(app, kind):
    """The account export lists the member's ballots: each choice is one line, padded to the
    longest line the decision allows."""
    made = open_decision(
        app,
        kind,
        options=OPTIONS[kind],
        max_choices=2 if kind == DecisionKind.MULTIPLE else None,
    )
    client = _member(app, "Exporting Voter")
    measured = {}
    for choice in _choices(kind):
        response = vote(client, made, *choice.get("choices", ()), ranks=choice.get("ranks"))
        assert response.status_code == 303, choice
        exported = client.post("/account/export")
        assert exported.status_code == 200
        assert "Content-Encoding" not in exported.headers
        assert len(exported.get_json()["ballots"]) == 1
        measured[repr(choice)] = len(exported.get_data())
    assert len(set(measured.values())) == 1, measured
