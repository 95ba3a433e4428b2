"""Secret ballots (issue 5, acceptance 1–3; DESIGN §3, checklist 33 and 42).

- The schema: `ballot` names no member, holds no time and no integer id; on SQLite it is
  WITHOUT ROWID; and no other table records who voted (casting a ballot changes nothing else).
- Unlinkability: a copy of the database cannot tie a ballot to a member; the application, with
  the secret, finds exactly the member's own ballot; an erased member's ballot stays counted and
  no later member inherits it.
- Storage order, on each engine: SQLite keeps the ballots' bytes in key order and its WAL
  empty; on PostgreSQL no ballot shares a transaction id with any other row, and once the
  decision is closed the ballots lie in key order (`ctid`) under one transaction id (`xmin`).
- The transaction that writes a ballot writes nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, inspect, select, text

from consultations.models import Ballot, DecisionKind, Member, Role
from consultations.services import ballots, member_data
from portal.extensions import db
from portal.schema import metadata
from portal.security.ballots import BallotKeys
from tests.conftest import TEST_SECRETS
from tests.decision_fixtures import open_decision, paper_from, vote
from tests.digest import database_digest
from tests.factories import csrf_token_from, make_member, sign_in

pytestmark = pytest.mark.postgres

SECRET = TEST_SECRETS["KENES_BALLOT_SECRET"]


def signed_in(app, name: str):  # type: ignore[no-untyped-def]
    account = make_member(app, name)
    client = app.test_client()
    sign_in(client, account)
    return account, client


def ballot_rows(app, decision_id: int) -> dict[str, str]:
    with app.app_context():
        found = dict(
            db.session.execute(
                select(Ballot.ballot_key, Ballot.choices).where(Ballot.decision_id == decision_id)
            ).all()
        )
        db.session.remove()
    return found


def token_of(app, member_id: int) -> str:
    with app.app_context():
        token = db.session.scalar(select(Member.ballot_token).where(Member.id == member_id))
        db.session.remove()
    assert token
    return token


# --------------------------------------------------------------------------- schema


def test_the_ballot_table_names_no_one_and_no_time(database_url):
    from sqlalchemy import create_engine

    engine = create_engine(database_url)
    try:
        inspector = inspect(engine)
        columns = {c["name"]: c for c in inspector.get_columns("ballot")}
        assert set(columns) == {"decision_id", "ballot_key", "choices"}
        assert [
            (fk["referred_table"], fk["constrained_columns"])
            for fk in inspector.get_foreign_keys("ballot")
        ] == [("decision", ["decision_id"])]
        assert inspector.get_pk_constraint("ballot")["constrained_columns"] == [
            "decision_id",
            "ballot_key",
        ]
        assert str(columns["ballot_key"]["type"]).startswith("VARCHAR")
        assert str(columns["choices"]["type"]) == "TEXT"
        # No time, date or member anywhere in it; the only integer is the decision's id.
        for name, column in columns.items():
            assert "TIME" not in str(column["type"]).upper(), name
            assert "DATE" not in str(column["type"]).upper(), name
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                sql = connection.execute(
                    text("SELECT sql FROM sqlite_master WHERE name = 'ballot'")
                ).scalar_one()
            assert sql.rstrip().upper().endswith("WITHOUT ROWID"), sql
    finally:
        engine.dispose()


def test_no_table_but_ballot_says_who_voted():
    """Nothing in the schema could record participation: no table besides `ballot` refers to
    a decision together with a member."""
    for table in metadata.sorted_tables:
        referred = {fk.column.table.name for fk in table.foreign_keys}
        assert not (
            {"decision", "decision_option", "ballot"} & referred and "member" in referred
        ), table.name
    assert {c.name for c in metadata.tables["ballot"].columns} == {
        "decision_id",
        "ballot_key",
        "choices",
    }


def test_casting_a_ballot_changes_nothing_but_the_ballot_table(app, clock):
    """Acceptance 1: "no other table records who voted" — checked on the data, not only the
    schema. Session bookkeeping (the last-seen minute) is the named exception of
    test_get_purity, and is committed in its own transaction (see the next test)."""
    made = open_decision(app, DecisionKind.SINGLE)
    _, client = signed_in(app, "Careful Voter")
    client.get(made.url)
    before = database_digest(app, except_tables=("ballot",))
    assert vote(client, made, 1).status_code == 303
    assert vote(client, made, 2).status_code == 303
    assert database_digest(app, except_tables=("ballot",)) == before
    assert list(ballot_rows(app, made.decision_id).values()) == ["[2]"]


@contextmanager
def recorded_writes(app) -> Iterator[dict[int, list[str]]]:  # type: ignore[no-untyped-def]
    """The tables each transaction writes to while the block runs, by transaction."""
    writes: dict[int, list[str]] = {}
    current: dict[int, int] = {}
    counter = iter(range(1, 10_000))

    def on_begin(connection):  # type: ignore[no-untyped-def]
        current[id(connection.connection)] = next(counter)

    def on_execute(connection, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        words = statement.lstrip().split(None, 3)
        verb = words[0].upper() if words else ""
        if verb in ("INSERT", "UPDATE", "DELETE"):
            table = words[2] if verb in ("INSERT", "DELETE") else words[1]
            txn = current.get(id(connection.connection), 0)
            writes.setdefault(txn, []).append(table.strip('"').lower())

    with app.app_context():
        engine = db.engine
    event.listen(engine, "begin", on_begin)
    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield writes
    finally:
        event.remove(engine, "begin", on_begin)
        event.remove(engine, "before_cursor_execute", on_execute)


def test_the_ballot_transaction_writes_nothing_else(app):
    """Every transaction that writes to `ballot` writes to no other table (checklist 42)."""
    made = open_decision(app, DecisionKind.RANKED)
    _, client = signed_in(app, "Transaction Voter")
    client.get(made.url)
    with recorded_writes(app) as writes:
        assert vote(client, made, ranks={0: 2, 3: 1}).status_code == 303
        assert vote(client, made, ranks={1: 1}).status_code == 303
    with_ballot = [tables for tables in writes.values() if "ballot" in tables]
    assert len(with_ballot) == 2, writes
    for tables in with_ballot:
        assert set(tables) == {"ballot"}, writes


def test_the_ballot_request_writes_nothing_but_the_ballots(app, clock):
    """Issue 9: on PostgreSQL the voter's session bookkeeping, committed just before the ballot,
    gave its transaction id n and the ballot n + 1. The ballot POST now writes nothing else at
    all, even when its minute would move the session's last-seen time, and housekeeping never
    runs on it."""
    made = open_decision(app, DecisionKind.SINGLE)
    _, client = signed_in(app, "Quiet Voter")
    page = client.get(made.url)
    clock.advance(timedelta(minutes=20))  # a GET now would move the session's last-seen time
    with recorded_writes(app) as writes:
        response = client.post(
            made.ballot_url,
            data={
                "csrf_token": csrf_token_from(page),
                "paper": paper_from(page.get_data(as_text=True)),
                "choice": ["1"],
            },
        )
    assert response.status_code == 303
    assert [set(tables) for tables in writes.values()] == [{"ballot"}], writes


# --------------------------------------------------------------------------- unlinkability


def test_without_the_secret_no_ballot_can_be_tied_to_a_member(app):
    made = open_decision(app, DecisionKind.PROPOSAL)
    voters = [signed_in(app, f"Unlinkable {n}") for n in range(4)]
    for n, (_, client) in enumerate(voters):
        assert vote(client, made, n % 3).status_code == 303
    keys = set(ballot_rows(app, made.decision_id))
    assert len(keys) == 4
    # Everything a copy of the database holds, as text: every value of every row.
    stored: set[str] = set()
    with app.app_context():
        for table in metadata.sorted_tables:
            for row in db.session.execute(table.select()):
                stored.update(str(value) for value in row if value is not None)
        tokens = list(db.session.scalars(select(Member.ballot_token)))
        db.session.remove()
    assert SECRET not in stored
    # The obvious ways to rebuild a key from what is stored find nothing: hashes of the
    # token and decision, and HMACs keyed by any stored value (the fingerprint included).
    candidates = set()
    for token in tokens:
        message = f"{made.decision_id}:{token}".encode()
        candidates.add(hashlib.sha256(message).hexdigest())
        candidates.add(hashlib.sha256(token.encode()).hexdigest())
        for value in stored:
            candidates.add(hmac.new(value.encode(), message, hashlib.sha256).hexdigest())
    assert keys.isdisjoint(candidates)
    for key in keys:
        assert all(token not in key for token in tokens)
    # With the secret (which only the running application has), each key is one member's.
    found = {BallotKeys(SECRET).key(made.decision_id, token) for token in tokens}
    assert keys <= found


def test_with_the_secret_the_application_finds_exactly_the_members_own_ballot(app):
    made = open_decision(app, DecisionKind.SINGLE)
    cast = {}
    for n in range(3):
        account, client = signed_in(app, f"Own Ballot {n}")
        assert vote(client, made, n).status_code == 303
        cast[account.id] = n
        page = client.get(made.url).get_data(as_text=True)
        assert f'value="{n}" checked' in page
        assert page.count(" checked") == 1
    rows = ballot_rows(app, made.decision_id)
    keys = BallotKeys(SECRET)
    for member_id, choice in cast.items():
        key = keys.key(made.decision_id, token_of(app, member_id))
        assert json.loads(rows[key]) == [choice]
    # Another decision's key for the same member finds nothing here.
    other = keys.key(made.decision_id + 1, token_of(app, next(iter(cast))))
    assert other not in rows


def test_an_erased_members_ballot_stays_counted_and_no_newcomer_inherits_it(app, clock):
    made = open_decision(app, DecisionKind.SINGLE)
    leaver, leaver_client = signed_in(app, "Leaving Voter")
    assert vote(leaver_client, made, 2).status_code == 303
    old_key = BallotKeys(SECRET).key(made.decision_id, token_of(app, leaver.id))
    with app.app_context():
        member_data.erase(
            db.session,
            db.session.get(Member, leaver.id),
            app.extensions["kenes.parts"],
            keep_contributions=False,
            now=app.extensions["kenes.clock"].now(),
        )
        db.session.commit()
        db.session.remove()
    assert ballot_rows(app, made.decision_id) == {old_key: "[2]"}
    newcomer, client = signed_in(app, "Leaving Voter")  # even under the freed pseudonym
    assert token_of(app, newcomer.id) != ""
    page = client.get(made.url).get_data(as_text=True)
    assert "You have voted" not in page
    assert " checked" not in page
    with app.app_context():
        key_for = BallotKeys(SECRET).for_token(token_of(app, newcomer.id))
        assert ballots.export(db.session, key_for) == []
        db.session.remove()
    assert vote(client, made, 0).status_code == 303
    assert sorted(ballot_rows(app, made.decision_id).values()) == ["[0]", "[2]"]


def test_the_export_holds_the_members_own_choices_found_by_their_keys(app):
    made = open_decision(app, DecisionKind.RANKED)
    other = open_decision(app, DecisionKind.PROPOSAL, consultation=made.consultation)
    _, client = signed_in(app, "Exporting Voter")
    _, neighbour = signed_in(app, "Neighbour Voter")
    assert vote(client, made, ranks={3: 1, 1: 2}).status_code == 303
    assert vote(neighbour, made, ranks={0: 1}).status_code == 303
    assert vote(neighbour, other, 1).status_code == 303
    data = client.post("/account/export").get_json()
    assert data["ballots"] == [
        {
            "consultation": "Mobile group procedure",
            "decision": "Who should make the first contact? (ranked)",
            "kind": "ranked",
            "options": ["Plan A", "Plan B", "Plan C", "Plan D"],
            "choices": "1. Plan D; 2. Plan B",
            "padding": " " * len("; 3. Plan C; 4. Plan A"),
        }
    ]


# --------------------------------------------------------------------------- storage order


def _database_file(database_url: str) -> Path:
    return Path(database_url.removeprefix("sqlite:///"))


def _xmins(app, table: str) -> set[str]:
    with app.app_context():
        found = set(db.session.scalars(text(f'SELECT xmin::text FROM "{table}"')))  # noqa: S608
        db.session.remove()
    return found


def test_storage_keeps_no_trace_of_the_order_of_voting(app, clock, database_url):
    """Members vote in a known, shuffled order. SQLite: the keys' byte offsets in the file
    follow key order, not voting order, and the -wal file is empty. PostgreSQL: the ballots share
    one xmin, no other table's row has it; after staff close the decision, the ballots'
    physical order (ctid) is key order and they share one xmin."""
    made = open_decision(app, DecisionKind.SINGLE)
    voters = [signed_in(app, f"Ordered Voter {n}") for n in range(24)]
    random.Random(5).shuffle(voters)  # noqa: S311 — a repeatable order, not a secret
    keys = BallotKeys(SECRET)
    voting_order = []
    for n, (account, client) in enumerate(voters):
        assert vote(client, made, n % 3).status_code == 303
        voting_order.append(keys.key(made.decision_id, token_of(app, account.id)))
    by_key = sorted(voting_order)
    assert voting_order != by_key
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect == "sqlite":
        path = _database_file(database_url)
        wal = path.with_name(path.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0
        data = path.read_bytes()
        offsets = {key: data.find(key.encode()) for key in voting_order}
        assert all(offset > 0 for offset in offsets.values())
        assert all(data.count(key.encode()) == 1 for key in voting_order)
        by_offset = sorted(voting_order, key=offsets.__getitem__)
        # A B-tree page fills from its end, so ascending keys lie at descending offsets.
        assert by_offset in (by_key, by_key[::-1])
        return
    ballot_xmins = _xmins(app, "ballot")
    assert len(ballot_xmins) == 1  # each ballot rewrites them all (test_storage_observer)
    for table in metadata.sorted_tables:
        if table.name != "ballot":
            assert ballot_xmins.isdisjoint(_xmins(app, table.name)), table.name
    staff = make_member(app, "Closing Staff", role=Role.STAFF, two_factor=True)
    staff_client = app.test_client()
    sign_in(staff_client, staff, clock)
    assert staff_client.post(f"{made.staff_url}/close").status_code == 303
    with app.app_context():
        rows = db.session.execute(
            text("SELECT ballot_key, xmin::text FROM ballot WHERE decision_id = :d ORDER BY ctid"),
            {"d": made.decision_id},
        ).all()
        db.session.remove()
    assert [key for key, _ in rows] == by_key
    assert len({xmin for _, xmin in rows}) == 1
    sealed_xmin = rows[0][1]
    for table in metadata.sorted_tables:
        if table.name != "ballot":
            assert sealed_xmin not in _xmins(app, table.name), table.name


def test_sqlite_pages_hold_key_ranges_whatever_the_order_of_voting(app, database_url):
    """A group larger than one database page: each page holds a contiguous range of keys, so
    neither the pages nor their contents follow the order of voting. Through the service, to
    cast 150 ballots quickly; on PostgreSQL the same ballots are sealed into key order."""
    made = open_decision(app, DecisionKind.SINGLE)
    voter = make_member(app, "Many Ballots")
    keys = BallotKeys(SECRET)
    tokens = [f"{n:032x}" for n in random.Random(7).sample(range(10**9), 150)]  # noqa: S311
    with app.app_context():
        from consultations.services import consultations, decisions

        consultation = consultations.get(db.session, made.consultation)
        member = db.session.get(Member, voter.id)
        clock = app.extensions["kenes.clock"]
        for n, token in enumerate(tokens):
            decision = decisions.get(db.session, consultation, made.decision)
            ballots.cast(
                db.session,
                consultation,
                decision,
                [n % 3],
                voter=member,
                key_for=keys.for_token(token),
                clock=clock,
            )
            db.session.commit()
        dialect = db.engine.dialect.name
        if dialect == "sqlite":
            from portal.extensions import leave_no_trace

            leave_no_trace()
        else:
            from portal import ballot_box

            ballot_box.seal(made.decision_id)
            rows = db.session.execute(
                text("SELECT ballot_key FROM ballot WHERE decision_id = :d ORDER BY ctid"),
                {"d": made.decision_id},
            ).all()
            assert [key for (key,) in rows] == sorted(keys.key(made.decision_id, t) for t in tokens)
        db.session.remove()
    if dialect != "sqlite":
        return
    voting_order = [keys.key(made.decision_id, token) for token in tokens]
    rank = {key: n for n, key in enumerate(sorted(voting_order))}
    data = _database_file(database_url).read_bytes()
    page_size = 4096
    pages: dict[int, list[int]] = {}
    for key in voting_order:
        offset = data.rfind(key.encode())
        assert offset > 0
        pages.setdefault(offset // page_size, []).append(rank[key])
    leaves = [sorted(ranks) for ranks in pages.values() if len(ranks) > 3]
    assert sum(len(ranks) for ranks in leaves) > 140  # nearly all ballots live in leaf pages
    for ranks in leaves:
        # Contiguous up to the few keys an interior page holds between two leaves.
        assert ranks[-1] - ranks[0] < len(ranks) + 4, ranks
