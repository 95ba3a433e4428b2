"""Secret ballots under concurrency (issue 5 acceptance 4, and the race part of 5).

Every vote here goes through the whole website — the WSGI app from threads, or real gunicorn
with four workers — and every thread is released at once by a barrier. What is checked is what
the database holds afterwards, member by member: each member's ballot is found again by
recomputing their ballot key, exactly as the app does, so "one ballot per member", "no vote
lost" and "nothing counted after the close" are checked per person, not only as totals.

- 200 members vote at once: 200 ballots, each what its member cast, a tally that matches.
- One member changes their vote 50 times at once, from a first ballot that does not exist yet
  (50 inserts of one key racing): one ballot, one of those sent.
- Staff close a decision while 50 members vote or change their vote: a 303 is counted, a refusal
  says "closed" and leaves the member's earlier ballot (or none) as it was, and after the close
  has answered no ballot can be cast or changed.
- Two staff close the same decision at once while members vote: one closes, the other is told
  it is no longer open; nobody gets a server error.
- Staff change a decision's options at the moment its first ballot is cast: the edit or the
  ballot is refused, exactly one of them (a ballot names options by position).
- The 200-member check, smaller (32 members), against gunicorn with 4 worker processes.

The module is marked `postgres`: `make test` runs it on SQLite and again on PostgreSQL. The
gunicorn test always serves its own SQLite database, so on the PostgreSQL pass it simply runs
again.
"""

from __future__ import annotations

import http.client
import itertools
import re
import sqlite3
import threading
import urllib.parse
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consultations.models import Ballot, Decision, DecisionKind, Member, Role
from consultations.services import decisions
from portal import create_app
from portal.extensions import db
from portal.security.ballots import BallotKeys
from portal.web.fields import in_almaty
from tests.conftest import TEST_SECRETS
from tests.decision_fixtures import MadeDecision, open_decision, option_labels
from tests.factories import PASSPHRASE, Account, make_member, sign_in
from tests.servers import LiveServer, gunicorn

pytestmark = pytest.mark.postgres

CLOSED_MESSAGE = "Voting on this decision has closed, so your vote was not recorded."
NOT_OPEN_MESSAGE = "Only an open decision can be closed early."
JOIN_TIMEOUT = 120  # seconds: far beyond what any run takes; only a hang reaches it


# --------------------------------------------------------------------------- running at once


@dataclass(frozen=True)
class Answer:
    status: int
    location: str
    body: str
    kept: str = ""  # X-Kenes-Kept: the worker's pid and whether its kept part served the page


def together(tasks: Sequence[Callable[[], Any]]) -> list[Any]:
    """Run every task in its own thread, all released at once by a barrier; return what each
    returned, or the exception it raised (so a failure in a thread fails the test, visibly)."""
    barrier = threading.Barrier(len(tasks))
    results: list[Any] = [None] * len(tasks)

    def run(index: int, task: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=JOIN_TIMEOUT)
            results[index] = task()
        except Exception as error:  # handed back to the test, which fails on it
            results[index] = error

    threads = [
        threading.Thread(target=run, args=(index, task), name=f"concurrent-{index}")
        for index, task in enumerate(tasks)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a request never returned"
    failures = [result for result in results if isinstance(result, Exception)]
    assert not failures, f"{len(failures)} threads raised; the first: {failures[0]!r}"
    return results


def post(client, url: str, data: dict[str, Any]) -> Answer:  # type: ignore[no-untyped-def]
    response = client.post(url, data=data)
    try:
        return Answer(
            response.status_code,
            response.headers.get("Location", ""),
            response.get_data(as_text=True),
        )
    finally:
        response.close()


def assert_no_server_error(answers: Sequence[Answer]) -> None:
    errors = [answer for answer in answers if answer.status >= 500]
    assert not errors, f"{len(errors)} server errors; the first:\n{errors[0].body[:3000]}"


def choice_form(choices: Sequence[int]) -> dict[str, Any]:
    return {"choice": [str(choice) for choice in choices]}


def rank_form(ranking: Sequence[int]) -> dict[str, Any]:
    """Option `ranking[0]` gets number 1, and so on; options left out stay blank."""
    return {f"rank-{option}": str(place) for place, option in enumerate(ranking, start=1)}


# --------------------------------------------------------------------------- members and ballots


def signed_in(app, prefix: str, count: int):  # type: ignore[no-untyped-def]
    """`count` members, each signed in through the real pages on a client of their own."""
    members = []
    for number in range(count):
        account = make_member(app, f"{prefix} {number:03d}")
        client = app.test_client()
        sign_in(client, account)
        members.append((account, client))
    return members


def tabs(app, client, count: int):  # type: ignore[no-untyped-def]
    """`count` clients carrying `client`'s session cookie: one browser's tabs, one session."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None, "not signed in"
    clones = []
    for _ in range(count):
        clone = app.test_client()
        clone.set_cookie(cookie.key, cookie.value)
        clones.append(clone)
    return clones


def ballots_by_member(  # type: ignore[no-untyped-def]
    app, made: MadeDecision, accounts: Sequence[Account]
) -> dict[int, list[int]]:
    """The decision's ballots, each attributed to its member by recomputing their ballot key.

    Fails if a ballot belongs to none of `accounts`: every ballot must be one of theirs."""
    keys = app.extensions["kenes.ballot_keys"]
    with app.app_context():
        stored = dict(
            db.session.execute(
                select(Ballot.ballot_key, Ballot.choices).where(
                    Ballot.decision_id == made.decision_id
                )
            ).all()
        )
        tokens = dict(
            db.session.execute(
                select(Member.id, Member.ballot_token).where(
                    Member.id.in_([account.id for account in accounts])
                )
            ).all()
        )
        db.session.remove()
    found = {}
    for account in accounts:
        key = keys.key(made.decision_id, tokens[account.id])
        if key in stored:
            found[account.id] = decisions.decode(stored.pop(key))
    assert not stored, f"{len(stored)} ballots belong to none of the voters"
    return found


# --------------------------------------------------------------------------- 200 at once


PATTERNS = [(0,), (1,), (1, 2), (3,), (0, 3), (2,), (1,)]  # uneven on purpose


def test_two_hundred_members_vote_at_once(app):
    made = open_decision(app, DecisionKind.MULTIPLE)  # four options, at most two
    voters = signed_in(app, "Crowd Voter", 200)
    cast = {account.id: list(PATTERNS[n % len(PATTERNS)]) for n, (account, _) in enumerate(voters)}

    answers = together(
        [
            lambda client=client, choices=cast[account.id]: post(
                client, made.ballot_url, choice_form(choices)
            )
            for account, client in voters
        ]
    )

    assert_no_server_error(answers)
    refused = [answer for answer in answers if answer.status != 303]
    assert not refused, f"{len(refused)} votes refused; the first:\n{refused[0].body[:3000]}"
    stored = ballots_by_member(app, made, [account for account, _ in voters])
    assert len(stored) == 200
    assert stored == cast  # one ballot per member, and it is what they cast

    with app.app_context():
        decision = db.session.get(
            Decision, made.decision_id, options=[selectinload(Decision.options)]
        )
        results = decisions.count(
            decision, list(stored.values()), app.extensions["kenes.clock"].now()
        )
        counted = {row.option.position: row.votes for row in results.counts}
        db.session.remove()
    expected = Counter(choice for choices in cast.values() for choice in choices)
    assert results.ballots == 200
    assert counted == {position: expected[position] for position in range(4)}


# --------------------------------------------------------------------------- one member, 50 at once


def test_fifty_concurrent_changes_by_one_member_leave_one_ballot(app):
    made = open_decision(app, DecisionKind.RANKED)  # four options
    [(account, client)] = signed_in(app, "Restless Voter", 1)
    clients = tabs(app, client, 50)  # 50 tabs of one browser: one session
    rankings = list(
        itertools.islice(
            itertools.chain(
                itertools.permutations(range(4)),
                itertools.permutations(range(4), 3),
                itertools.permutations(range(4), 2),
            ),
            50,
        )
    )
    # No ballot exists yet: the first of the 50 inserts it while the others race to.
    answers = together(
        [
            lambda client=client, ranking=ranking: post(client, made.ballot_url, rank_form(ranking))
            for client, ranking in zip(clients, rankings, strict=True)
        ]
    )

    assert_no_server_error(answers)
    assert [answer.status for answer in answers] == [303] * 50, [a.body[:500] for a in answers]
    stored = ballots_by_member(app, made, [account])
    assert list(stored) == [account.id]  # exactly one ballot, and it is this member's
    assert stored[account.id] in [list(ranking) for ranking in rankings]


# --------------------------------------------------------------------------- close against vote


@dataclass
class Recorded:
    """Counts accepted votes across threads; `reached` is set at the `after`-th."""

    after: int
    accepted: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    reached: threading.Event = field(default_factory=threading.Event)

    def saw(self, answer: Answer) -> Answer:
        if answer.status == 303:
            with self.lock:
                self.accepted += 1
                if self.accepted >= self.after:
                    self.reached.set()
        return answer


def staff_client(app, clock, name: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    sign_in(client, make_member(app, name, role=Role.STAFF, two_factor=True), clock)
    return client


def test_closing_while_members_vote_counts_exactly_the_accepted_votes(app, clock):
    made = open_decision(app, DecisionKind.SINGLE)  # three options
    closer = staff_client(app, clock, "Closing Staff")
    voters = signed_in(app, "Racing Voter", 50)
    accounts = [account for account, _ in voters]
    # Half of them voted earlier, for option 0; during the close everyone votes 1 or 2.
    before = {}
    for account, client in voters[:25]:
        assert post(client, made.ballot_url, choice_form([0])).status == 303
        before[account.id] = [0]
    during = {account.id: [1 + n % 2] for n, (account, _) in enumerate(voters)}
    recorded = Recorded(after=12)

    def close() -> Answer:
        # Staff press "close" once a dozen of the racing votes are in, with the rest in flight.
        assert recorded.reached.wait(JOIN_TIMEOUT), "the votes before the close never came"
        return post(closer, f"{made.staff_url}/close", {})

    answers = together(
        [
            close,
            *[
                lambda client=client, choices=during[account.id]: recorded.saw(
                    post(client, made.ballot_url, choice_form(choices))
                )
                for account, client in voters
            ],
        ]
    )

    closed, votes = answers[0], answers[1:]
    assert_no_server_error(answers)
    assert closed.status == 303, closed.body[:3000]
    assert closed.location.endswith(made.url)
    accepted = set()
    for account, answer in zip(accounts, votes, strict=True):
        if answer.status == 303:
            accepted.add(account.id)
        else:
            assert answer.status == 400, answer.body[:3000]
            assert CLOSED_MESSAGE in answer.body
    assert len(accepted) >= 12
    # An accepted vote is counted as cast; a refused one left the earlier ballot, or none.
    expected = {**before, **{member: during[member] for member in accepted}}
    stored = ballots_by_member(app, made, accounts)
    assert stored == expected
    assert len(stored) == len(before.keys() | accepted)

    # The close has answered: nobody can vote or change their vote any more, all at once.
    late = together(
        [
            lambda client=client: post(client, made.ballot_url, choice_form([2]))
            for _, client in voters
        ]
    )
    assert_no_server_error(late)
    assert [answer.status for answer in late] == [400] * 50
    assert all(CLOSED_MESSAGE in answer.body for answer in late)
    assert ballots_by_member(app, made, accounts) == expected

    with app.app_context():
        decision = db.session.get(Decision, made.decision_id)
        assert decision.closes_at <= clock.now()
        assert decision.sealed  # the close put the ballots in key order
        db.session.remove()


def test_two_staff_closing_at_once_close_it_once(app, clock):
    made = open_decision(app, DecisionKind.PROPOSAL)  # agree / disagree / abstain
    closers = [staff_client(app, clock, f"Hurried Staff {n}") for n in range(2)]
    voters = signed_in(app, "Steady Voter", 10)
    answers = together(
        [
            *[
                lambda client=client: post(client, f"{made.staff_url}/close", {})
                for client in closers
            ],
            *[
                lambda client=client, n=n: post(client, made.ballot_url, choice_form([n % 3]))
                for n, (_, client) in enumerate(voters)
            ],
        ]
    )

    assert_no_server_error(answers)
    closes, votes = answers[:2], answers[2:]
    assert [answer.status for answer in closes] == [303, 303]
    # One closed it (and lands on the decision), the other was told it was no longer open.
    landed = sorted(answer.location for answer in closes)
    assert landed == sorted([made.url, f"{made.staff_url}/edit"]), landed
    refusal = next(answer for answer in closes if answer.location.endswith("/edit"))
    refused_page = closers[closes.index(refusal)].get(refusal.location)
    assert NOT_OPEN_MESSAGE in refused_page.get_data(as_text=True)
    # Votes before the close are counted, votes after it refused: none lost, none extra.
    assert {answer.status for answer in votes} <= {303, 400}
    accepted = {
        account.id: [n % 3]
        for n, ((account, _), answer) in enumerate(zip(voters, votes, strict=True))
        if answer.status == 303
    }
    assert ballots_by_member(app, made, [account for account, _ in voters]) == accepted


# --------------------------------------------------------------------------- edit against vote

RACED_EDITS = 12
CHANGED_OPTIONS = ["Alpha", "Beta"]


def edit_form(app, made: MadeDecision) -> dict[str, str]:
    """The decision as it stands, with two new options instead of its three."""
    with app.app_context():
        decision = db.session.get(Decision, made.decision_id)
        opens, closes = in_almaty(decision.opens_at), in_almaty(decision.closes_at)
        question = decision.question
        db.session.remove()
    return {
        "question": question,
        "explanation": "",
        "kind": "single",
        "options": "\n".join(CHANGED_OPTIONS),
        "opens_on": opens.date().isoformat(),
        "opens_time": opens.strftime("%H:%M"),
        "closes_on": closes.date().isoformat(),
        "closes_time": closes.strftime("%H:%M"),
        "min_ballots": "5",
    }


def test_a_first_ballot_and_an_edit_of_the_options_never_both_stand(app, clock):
    """Options can change only before the first ballot, since a ballot names options by
    position. Staff save new options at the moment a member casts the first ballot — on
    RACED_EDITS decisions, one after another: either the edit is refused ("members have started
    voting") and the ballot stands, or the edit stands and the ballot, for an option that no
    longer exists, is refused."""
    first = open_decision(app, DecisionKind.SINGLE)  # Mobile groups, Social workers, Police
    made = [
        first,
        *[
            open_decision(app, DecisionKind.SINGLE, consultation=first.consultation)
            for _ in range(RACED_EDITS - 1)
        ],
    ]
    editor = staff_client(app, clock, "Editing Staff")
    [(account, voter)] = signed_in(app, "Prompt Voter", 1)

    for number, decision in enumerate(made):
        form = edit_form(app, decision)
        edit, vote = together(
            [
                lambda made=decision, form=form: post(editor, f"{made.staff_url}/edit", form),
                lambda made=decision: post(voter, made.ballot_url, choice_form([2])),
            ]
        )

        assert_no_server_error([edit, vote])
        stored = ballots_by_member(app, decision, [account])
        labels = option_labels(app, decision)
        if vote.status == 303:  # the ballot ("Police") is in: its option must still be there
            assert stored == {account.id: [2]}
            assert edit.status == 400, f"round {number}: options {labels} under ballot [2]"
            assert "Members have started voting" in edit.body
            assert labels == ["Mobile groups", "Social workers", "Police"]
        else:  # the edit came first: the ballot paper named an option that is gone
            assert vote.status == 400, vote.body[:3000]
            assert stored == {}
            assert edit.status == 303, edit.body[:3000]
            assert labels == CHANGED_OPTIONS


# --------------------------------------------------------------------------- gunicorn, 4 workers

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
GUNICORN_VOTERS = 32


class LiveClient:
    """One member's browser against a live server: its own cookies, no proxy, no redirects
    followed (so a vote's 303 is seen as such)."""

    def __init__(self, server: LiveServer) -> None:
        parsed = urllib.parse.urlsplit(server.url)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, Any] | None = None) -> Answer:
        headers = {"Accept-Language": "en", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if value and "Max-Age=0" not in header and "1970" not in header:
                    self.cookies[name.strip()] = value
                else:
                    self.cookies.pop(name.strip(), None)
            return Answer(
                response.status,
                response.headers.get("Location", ""),
                text,
                response.headers.get("X-Kenes-Kept", ""),
            )
        finally:
            connection.close()

    def csrf_token(self, path: str) -> str:
        page = self.request("GET", path)
        assert page.status == 200, (path, page.status, page.body[:2000])
        found = CSRF_INPUT.search(page.body)
        assert found, f"no csrf_token on {path}"
        return found.group(1)

    def sign_in(self, account: Account) -> None:
        token = self.csrf_token("/auth/login")
        answer = self.request(
            "POST",
            "/auth/login",
            {"pseudonym": account.pseudonym, "passphrase": account.passphrase, "csrf_token": token},
        )
        assert answer.status == 303, answer.body[:2000]


def server_app(server: LiveServer):  # type: ignore[no-untyped-def]
    """An app on the live server's own database and secrets, to write its members and decision
    as the tests' fixtures do (the server has CSRF on; this app serves no request)."""
    return create_app({k: v for k, v in server.env.items() if k.startswith("KENES_")})


def test_votes_through_gunicorn_with_four_workers(tmp_path: Path):
    with gunicorn(tmp_path, KENES_WORKERS="4") as server:
        setup = server_app(server)
        try:
            made = open_decision(setup, DecisionKind.PROPOSAL)
            accounts = [
                make_member(setup, f"Live Voter {n:03d}", passphrase=PASSPHRASE)
                for n in range(GUNICORN_VOTERS)
            ]
        finally:
            with setup.app_context():
                db.session.remove()
                db.engine.dispose()
        voters = []
        for account in accounts:
            client = LiveClient(server)
            client.sign_in(account)
            voters.append((client, client.csrf_token(made.url)))
        cast = {account.id: [n % 3] for n, account in enumerate(accounts)}

        answers = together(
            [
                lambda client=client, token=token, choices=cast[account.id]: client.request(
                    "POST", made.ballot_url, {**choice_form(choices), "csrf_token": token}
                )
                for account, (client, token) in zip(accounts, voters, strict=True)
            ]
        )

        assert_no_server_error(answers)
        assert [answer.status for answer in answers] == [303] * GUNICORN_VOTERS, [
            answer.body[:500] for answer in answers if answer.status != 303
        ]
        database = server.env["KENES_DATABASE_URL"].removeprefix("sqlite:///")
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
            stored = dict(
                connection.execute(
                    "SELECT ballot_key, choices FROM ballot WHERE decision_id = ?",
                    (made.decision_id,),
                ).fetchall()
            )
            tokens = dict(connection.execute("SELECT id, ballot_token FROM member").fetchall())
        connection.close()
        assert len(stored) == GUNICORN_VOTERS
        keys = BallotKeys(TEST_SECRETS["KENES_BALLOT_SECRET"])
        by_member = {
            account.id: decisions.decode(stored[keys.key(made.decision_id, tokens[account.id])])
            for account in accounts
        }
        assert by_member == cast
        assert "Traceback" not in server.error_log.read_text(encoding="utf-8", errors="replace")


def test_staff_editing_decisions_while_members_join_never_deadlock(app, clock):
    """Editing a decision locks its own row only; a member joining recounts every open
    decision's electorate, locking their rows in id order. So six edits of six decisions and
    six members joining, all at once, neither deadlock nor fail, and every electorate ends up
    counting everyone who may vote."""
    first = open_decision(app, DecisionKind.SINGLE)
    made = [first, *[open_decision(app, consultation=first.consultation) for _ in range(5)]]
    editors = [staff_client(app, clock, f"Parallel Editor {n}") for n in range(len(made))]
    forms = [edit_form(app, decision) for decision in made]
    answers = together(
        [
            *[
                lambda client=client, decision=decision, form=form: post(
                    client, f"{decision.staff_url}/edit", form
                )
                for client, decision, form in zip(editors, made, forms, strict=True)
            ],
            *[lambda n=n: make_member(app, f"Joining Member {n}") for n in range(6)],
        ]
    )
    edits = answers[: len(made)]
    assert_no_server_error(edits)
    assert [answer.status for answer in edits] == [303] * len(made)
    with app.app_context():
        from consultations.services.decisions import eligible_voters

        eligible = eligible_voters(db.session)
        electorates = [db.session.get(Decision, d.decision_id).electorate for d in made]
        db.session.remove()
    assert electorates == [eligible] * len(made)
    for decision in made:
        assert option_labels(app, decision) == CHANGED_OPTIONS
