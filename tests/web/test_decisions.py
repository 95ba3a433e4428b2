"""Decisions through the website: voting with every kind of ballot paper, changing a vote,
refusals that keep what was chosen, results hidden until close for each role, staff
authoring, and the member's export."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consultations.models import Ballot, DecisionKind, Role
from portal.extensions import db
from tests.decision_fixtures import open_decision, option_labels, paper_from, vote
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
    assert "You have voted: your choice is marked below." in page
    if kind == DecisionKind.RANKED:
        assert page.count('value="1" selected') == 1  # the options ranked 1, 2, 3 …
        assert page.count('value="" selected') == 1  # … and the one left unranked
    else:
        marked = re.findall(r'name="choice" value="(\d+)" checked', page)
        assert sorted(int(p) for p in marked) == sorted(form["choices"])
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


# --------------------------------------------------------------------------- results


def close(app, made, clock) -> None:  # type: ignore[no-untyped-def]
    staff = make_member(app, f"Closer {made.decision}", role=Role.STAFF, two_factor=True)
    client = app.test_client()
    sign_in(client, staff, clock)
    response = client.post(f"{made.staff_url}/close")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(made.url)


def client_for(app, role: str, clock):  # type: ignore[no-untyped-def]
    client = app.test_client()
    if role in ("voter", "non_voter"):
        sign_in(client, make_member(app, f"Role {role}"))
    else:
        sign_in(client, make_member(app, f"Role {role}", role=Role(role), two_factor=True), clock)
    return client


@pytest.mark.parametrize("live", [False, True])
def test_results_are_hidden_until_close_for_every_role(app, clock, live):
    """Acceptance 7. Open: members see results only if the decision shows live results and they
    have voted; staff and admins see the number of ballots, never the choices. Closed: all."""
    made = open_decision(app, DecisionKind.SINGLE, live_results=live)
    clients = {
        role: client_for(app, role, clock) for role in ("voter", "non_voter", "staff", "admin")
    }
    assert vote(clients["voter"], made, 1).status_code == 303
    for other in range(2):
        assert vote(member_client(app, f"Other Voter {other}"), made, 0).status_code == 303
    expected_open = {
        "voter": (live, live),  # (results shown, ballot count shown)
        "non_voter": (False, False),
        "staff": (False, True),
        "admin": (False, True),
    }
    for role, (results, count) in expected_open.items():
        for url in (made.url, f"/consultations/{made.consultation}"):
            body = clients[role].get(url).get_data(as_text=True)
            full_page = url == made.url
            assert ('class="results"' in body) == (results and full_page), (role, url)
            assert ("Results so far" in body or "See the results so far" in body) == results, role
            assert ("3 ballots" in body) == count, (role, url)
            assert "Social workers</span></th>" not in body or (results and full_page), role
    staff_list = clients["staff"].get(f"/staff/consultations/{made.consultation}/decisions")
    assert '<td class="number" data-label="Ballots">3' in staff_list.get_data(as_text=True)
    close(app, made, clock)
    for role, client in clients.items():
        body = client.get(made.url).get_data(as_text=True)
        assert 'class="results"' in body, role
        assert '<h2 id="results-' in body  # under the decision's h1
        assert ">Result<" in body
        assert "3 ballots" in body


def rows_of(body: str) -> dict[str, list[str]]:
    """The results table, as {option: [votes, share]}."""

    table = body.split('<table class="results-table">', 1)[1].split("</table>", 1)[0]
    rows = {}
    for name, votes, share in re.findall(
        r'<th scope="row">(?:<span lang="\w+">)?([^<]+)(?:</span>)?<meter[^>]*></meter></th>\s*'
        r'<td class="number">(\d+) *</td>\s*<td class="number">(\d+)% *</td>',
        table,
    ):
        rows[name.strip()] = [votes, share]
    return rows


def test_the_result_counts_percentages_turnout_and_quorum(app, clock):
    made = open_decision(app, DecisionKind.MULTIPLE, quorum=4, max_choices=2)
    for n, choices in enumerate([(0, 1), (1,), (1, 3)]):
        assert vote(member_client(app, f"Counted {n}"), made, *choices).status_code == 303
    with app.app_context():
        from consultations.models import Decision

        electorate = db.session.get(Decision, made.decision_id).electorate
        members = db.session.scalar(
            select(func.count())
            .select_from(__import__("consultations").models.Member)
            .where(__import__("consultations").models.Member.role == "member")
        )
        db.session.remove()
    assert electorate == members
    close(app, made, clock)
    body = member_client(app, "Reader After").get(made.url).get_data(as_text=True)
    assert rows_of(body) == {
        "Shelter": ["1", "33"],
        "Lawyer": ["3", "100"],
        "Interpreter": ["0", "0"],
        "Doctor": ["1", "33"],
    }
    turnout = round(100 * 3 / electorate)
    assert f"turnout {turnout}% (3 of {electorate} members who could vote)" in body
    assert "quorum of 4 not met: the result does not stand" in body
    assert '<meter min="0" max="3" value="3" aria-hidden="true"></meter>' in body
    assert "style=" not in body


def test_turnout_is_frozen_when_the_decision_closes(app, clock):
    made = open_decision(app, DecisionKind.PROPOSAL)
    assert vote(member_client(app, "Frozen Voter"), made, 0).status_code == 303

    def electorate() -> int:
        with app.app_context():
            from consultations.models import Decision

            found = db.session.get(Decision, made.decision_id).electorate
            db.session.remove()
        return found

    before = electorate()
    make_member(app, "Joins While Open")
    assert electorate() == before + 1
    make_member(app, "Staff Do Not Count", role=Role.STAFF)
    assert electorate() == before + 1
    close(app, made, clock)
    frozen = electorate()
    make_member(app, "Joins After Close")
    assert electorate() == frozen
    body = member_client(app, "Late Reader").get(made.url).get_data(as_text=True)
    assert f"(1 of {frozen} members who could vote)" in body


def test_ranked_results_show_each_round_and_the_tie_break_rule(app, clock):
    """Hand-worked: A>B, A, B>C, C>B, D>C. Round 1: A 2, B 1, C 1, D 1 — B, C and D tie with
    one first preference each, so D, listed last, goes; its ballot moves to C. Round 2: A 2,
    B 1, C 2 — B goes; B>C moves to C. Round 3: A 2, C 3: C wins with more than half."""
    made = open_decision(app, DecisionKind.RANKED)
    papers = [{0: 1, 1: 2}, {0: 1}, {1: 1, 2: 2}, {2: 1, 1: 2}, {3: 1, 2: 2}]
    for n, ranks in enumerate(papers):
        assert vote(member_client(app, f"Ranker {n}"), made, ranks=ranks).status_code == 303
    close(app, made, clock)
    body = member_client(app, "Ranked Reader").get(made.url).get_data(as_text=True)
    assert rows_of(body) == {
        "Plan A": ["2", "40"],
        "Plan B": ["1", "20"],
        "Plan C": ["1", "20"],
        "Plan D": ["1", "20"],
    }
    assert "Round 3" in body
    assert "Round 4" not in body
    assert body.count("(eliminated)") == 2
    assert 'Chosen: <span lang="en">Plan C</span>' in body
    assert "Tie-break: when options tie for the fewest votes" in body


def test_a_ballot_cannot_change_the_options_once_cast(app, clock):
    made = open_decision(app, DecisionKind.SINGLE)
    assert vote(member_client(app, "First Ballot"), made, 0).status_code == 303
    staff = client_for(app, "staff", clock)
    edit = staff.get(f"{made.staff_url}/edit").get_data(as_text=True)
    assert "Members have started voting, so this decision can no longer be changed." in edit
    assert 'name="options"' not in edit
    response = staff.post(
        f"{made.staff_url}/edit",
        data={
            "question": "Changed?",
            "kind": "single",
            "options": "X\nY",
            "opens_on": "2030-01-01",
            "opens_time": "09:00",
            "closes_on": "2030-02-01",
            "closes_time": "18:00",
        },
    )
    assert response.status_code == 400
    assert ballots_in(app, made) == ["[0]"]
    assert option_labels(app, made) == ["Mobile groups", "Social workers", "Police"]


def test_a_member_who_joined_after_the_decision_opened_votes_too(app, clock):
    made = open_decision(app, DecisionKind.PROPOSAL, opens_in=timedelta(days=-2))
    clock.advance(timedelta(days=1))
    newcomer = member_client(app, "Joined Later")
    assert vote(newcomer, made, 2).status_code == 303
    assert ballots_in(app, made) == ["[2]"]


def test_a_ballot_marked_on_options_staff_have_since_changed_is_refused(app, clock):
    made = open_decision(app, DecisionKind.SINGLE)
    member = member_client(app, "Stale Page")
    stale = paper_from(member.get(made.url).get_data(as_text=True))
    assert stale
    staff = app.test_client()
    sign_in(staff, make_member(app, "Option Editor", role=Role.STAFF, two_factor=True), clock)
    yesterday = (clock.now() - timedelta(days=1)).date().isoformat()
    edited = staff.post(
        f"{made.staff_url}/edit",
        data={
            "question": "Who first?",
            "kind": "single",
            "options": "Police\nMobile groups\nSocial workers",  # the same labels, reordered
            "opens_on": yesterday,
            "opens_time": "09:00",
            "closes_on": "2030-02-01",
            "closes_time": "18:00",
            "min_ballots": "5",
        },
    )
    assert edited.status_code == 303
    response = member.post(made.ballot_url, data={"choice": ["0"], "paper": stale})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Staff changed the options of this decision while you were voting" in body
    assert ballots_in(app, made) == []
    assert paper_from(body) != stale  # the page shows the new paper
    assert vote(member, made, 0).status_code == 303


# --------------------------------------------------------------------------- small groups (issue 9)


def test_the_second_voter_learns_nothing_of_the_first_from_live_results(app, clock):
    """The audit: with live results, the second voter saw "2 ballots · 100 %" and knew the first
    voter's choice. Below the decision's minimum (5 here) no count is shown, live or final."""
    made = open_decision(app, DecisionKind.PROPOSAL, live_results=True, min_ballots=5)
    first, second = member_client(app, "First Voter"), member_client(app, "Second Voter")
    assert vote(first, made, 0).status_code == 303
    assert vote(second, made, 0).status_code == 303
    for url in (made.url, f"/consultations/{made.consultation}"):
        body = second.get(url).get_data(as_text=True)
        assert 'class="results"' not in body
        assert "2 ballots" not in body
        assert "100%" not in body
        assert "Results appear once at least 5 ballots are cast" in body
    close(app, made, clock)
    body = second.get(made.url).get_data(as_text=True)
    assert 'class="results"' not in body
    assert "Fewer than 5 ballots were cast, so no counts are shown" in body


def test_after_close_too_few_ballots_say_only_whether_quorum_was_met(app, clock):
    made = open_decision(app, DecisionKind.SINGLE, quorum=2, min_ballots=4)
    voters = [member_client(app, f"Few Voter {n}") for n in range(3)]
    for n, client in enumerate(voters):
        assert vote(client, made, n % 2).status_code == 303
    close(app, made, clock)
    body = voters[0].get(made.url).get_data(as_text=True)
    assert "quorum of 2 met" in body
    assert 'class="results"' not in body
    assert "3 ballots" not in body


def test_from_the_minimum_on_the_counts_are_shown(app, clock):
    made = open_decision(app, DecisionKind.SINGLE, live_results=True, min_ballots=3)
    voters = [member_client(app, f"Enough Voter {n}") for n in range(3)]
    for client in voters[:2]:
        assert vote(client, made, 0).status_code == 303
    assert 'class="results"' not in voters[0].get(made.url).get_data(as_text=True)
    assert vote(voters[2], made, 1).status_code == 303
    body = voters[0].get(made.url).get_data(as_text=True)
    assert 'class="results"' in body
    assert "3 ballots" in body


def test_staff_choose_the_minimum_starting_from_the_sites_setting(app_factory, clock):
    app = app_factory(KENES_MIN_BALLOTS="7")
    made = open_decision(app, DecisionKind.SINGLE)
    staff = app.test_client()
    sign_in(staff, make_member(app, "Minimum Writer", role=Role.STAFF, two_factor=True), clock)
    page = staff.get(f"/staff/consultations/{made.consultation}/decisions/new")
    body = page.get_data(as_text=True)
    (field,) = re.findall(r'<input[^>]*name="min_ballots"[^>]*>', body)
    assert 'value="7"' in field
    assert "with two ballots, each voter knows the other" in body
