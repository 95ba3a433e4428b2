"""What someone holding the live database sees while a decision is open, and after someone
joins with an invite (issue 9, items 1 and 7) — written from the observer's side.

The audit paired 4 of 4 open ballots with their voters on PostgreSQL: each voter's session
bookkeeping had transaction id n, their ballot n + 1. Here members vote in a known order, each
after viewing the page as a person would, and after every ballot the test looks as that
observer would: the ballots' `xmin`s, their physical order (`ctid`), the dead row versions left
in the table's pages (pageinspect), and the transaction ids of every other table.

On SQLite the same questions are asked of the file and its `-wal`.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from sqlalchemy import text

from consultations.models import DecisionKind
from portal.extensions import db
from portal.schema import metadata
from portal.security.ballots import BallotKeys
from tests.conftest import TEST_SECRETS
from tests.decision_fixtures import open_decision, vote
from tests.factories import make_member, sign_in

pytestmark = pytest.mark.postgres

SECRET = TEST_SECRETS["KENES_BALLOT_SECRET"]


def _dialect(app) -> str:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.engine.dialect.name


def _rows(app, sql: str, **params):  # type: ignore[no-untyped-def]
    with app.app_context():
        found = db.session.execute(text(sql), params).all()
        db.session.remove()
    return found


def _all_tuple_versions(app, table: str) -> list[tuple[int, int]]:
    """Every row version in the table's pages, live or dead: (t_xmin, t_xmax), as pageinspect
    reads them from the raw pages — what a copy of the data files holds."""
    with app.app_context():
        db.session.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
        db.session.commit()
        blocks = db.session.scalar(
            text(
                "SELECT pg_relation_size(CAST(:t AS regclass)) / current_setting('block_size')::int"
            ),
            {"t": table},
        )
        versions = []
        for block in range(int(blocks or 0)):
            versions += [
                (int(xmin), int(xmax or 0))
                for xmin, xmax in db.session.execute(
                    text(
                        "SELECT t_xmin::text::bigint, t_xmax::text::bigint "
                        "FROM heap_page_items(get_raw_page(:t, :b)) WHERE lp_flags = 1"
                    ),
                    {"t": table, "b": block},
                )
            ]
        db.session.remove()
    return versions


def _xmins_of_other_tables(app) -> dict[str, set[int]]:
    return {
        table.name: {
            int(x)
            for (x,) in _rows(app, f'SELECT xmin::text::bigint FROM "{table.name}"')  # noqa: S608
        }
        for table in metadata.sorted_tables
        if table.name != "ballot"
    }


def test_open_ballots_cannot_be_paired_with_their_voters(app, database_url):
    """After each of several members votes (in a known, shuffled order, each after opening the
    page), every live ballot of the open decision has the same xmin, lies in key order, and no
    dead version of a ballot is left in the pages; the ballots' xmin is no other row's. On
    SQLite, the -wal is empty after every ballot and the keys lie in key order in the file."""
    made = open_decision(app, DecisionKind.PROPOSAL)
    voters = []
    for n in range(6):
        account = make_member(app, f"Observed Voter {n}")
        client = app.test_client()
        sign_in(client, account)
        voters.append((account, client))
    random.Random(11).shuffle(voters)  # noqa: S311 — a repeatable order, not a secret
    keys = BallotKeys(SECRET)
    dialect = _dialect(app)
    voted = []
    for n, (account, client) in enumerate(voters):
        # A person opens the consultation, then votes: the page view may touch the session.
        assert client.get(f"/consultations/{made.consultation}").status_code == 200
        assert vote(client, made, n % 3).status_code == 303
        token = _rows(app, "SELECT ballot_token FROM member WHERE id = :m", m=account.id)[0][0]
        voted.append(keys.key(made.decision_id, token))
        if dialect == "sqlite":
            _sqlite_holds_no_voting_order(database_url, voted)
            continue
        rows = _rows(
            app,
            "SELECT ballot_key, xmin::text::bigint FROM ballot "
            "WHERE decision_id = :d ORDER BY ctid",
            d=made.decision_id,
        )
        assert [key for key, _ in rows] == sorted(voted), "ctid order is key order"
        xmins = {xmin for _, xmin in rows}
        assert len(xmins) == 1, f"after ballot {n + 1}, ballots carry {len(xmins)} xmins"
        (shared,) = xmins
        versions = _all_tuple_versions(app, "ballot")
        assert all(xmax == 0 for _, xmax in versions), "a deleted ballot version stays"
        assert sum(1 for xmin, _ in versions if xmin == shared) == len(voted)
        others = _xmins_of_other_tables(app)
        for table, table_xmins in others.items():
            assert shared not in table_xmins, table
    if dialect == "sqlite":
        return
    # The audit's attack, replayed on the final state: pair each ballot with the session whose
    # transaction came just before its own. Every ballot points at the same transaction, so at
    # most one session — the last page view before the last vote — is found, the same for all
    # ballots: it cannot say which ballot, if any, is that member's (README, Security).
    ballot_xmins = [x for _, x in _rows(app, "SELECT ballot_key, xmin::text::bigint FROM ballot")]
    session_xmins = {int(x) for (x,) in _rows(app, "SELECT xmin::text::bigint FROM auth_session")}
    assert len(set(ballot_xmins)) == 1
    assert len({x - 1 for x in ballot_xmins} & session_xmins) <= 1


def _sqlite_holds_no_voting_order(database_url: str, voted: list[str]) -> None:
    path = Path(database_url.removeprefix("sqlite:///"))
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0, "the -wal keeps frames after a ballot"
    data = path.read_bytes()
    offsets = {key: data.find(key.encode()) for key in voted}
    assert all(offset > 0 for offset in offsets.values())
    by_offset = sorted(voted, key=offsets.__getitem__)
    assert by_offset in (sorted(voted), sorted(voted)[::-1])


def test_no_invite_row_live_or_dead_shares_a_transaction_with_the_account_it_made(
    app, database_url
):
    """Item 7: redeeming an invite used to flag it in the account's own transaction, so on
    PostgreSQL `invite.xmin` equalled `credential.xmin`, even after VACUUM FREEZE. Now the
    invite is deleted and the table rewritten: no version of any invite row, live or dead, has
    the account's transaction id as its xmin or xmax. On SQLite the invite's code hash is gone
    from the file and the -wal is empty."""
    with app.app_context():
        from portal.accounts import credentials, sessions

        issued = credentials.issue_invites(
            db.session, role="member", count=3, days=7, issued_by=None, now=sessions.now()
        )
        db.session.commit()
        codes = [item.code for item in issued]
        hashes = [item.invite.code_hash for item in issued]
        db.session.remove()
    client = app.test_client()
    response = client.post(
        "/auth/register",
        data={
            "invite_code": codes[1],
            "pseudonym": "Joined By Invite",
            "passphrase": "lantern orchard quietly folding maps",
            "passphrase_again": "lantern orchard quietly folding maps",
            "acknowledge": "y",
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    assert _rows(app, "SELECT count(*) FROM invite")[0][0] == 2
    if _dialect(app) == "sqlite":
        path = Path(database_url.removeprefix("sqlite:///"))
        wal = path.with_name(path.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0
        assert hashes[1].encode() not in path.read_bytes()
        return
    (account_xmin,) = _rows(
        app,
        "SELECT c.xmin::text::bigint FROM credential c JOIN member m ON m.id = c.member_id "
        "WHERE m.pseudonym = 'Joined By Invite'",
    )[0]
    for xmin, xmax in _all_tuple_versions(app, "invite"):
        assert account_xmin not in (xmin, xmax)
    for (xmin,) in _rows(app, "SELECT xmin::text::bigint FROM invite"):
        assert xmin != account_xmin
