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
import sqlite3
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from consultations.models import DecisionKind
from portal import clock
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
        from portal.accounts import credentials

        issued = credentials.issue_invites(
            db.session, role="member", count=3, days=7, issued_by=None, now=clock.now()
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


class _Holder:
    """Someone else's transaction that keeps old row versions alive while it runs.

    - `snapshot`: a REPEATABLE READ reader in the same database (a backup, a report, a shell);
      on SQLite, a read transaction on the file.
    - `elsewhere` (PostgreSQL): a writing transaction in another database of the same server.
      Every new snapshot's horizon counts it, CLUSTER's own included: this is how two
      pytest-xdist workers first showed a ballot's dead versions surviving CLUSTER.
    """

    def __init__(self, kind: str, database_url: str) -> None:
        if database_url.startswith("sqlite:///"):
            self.connection = sqlite3.connect(
                database_url.removeprefix("sqlite:///"), isolation_level=None
            )
            self.connection.execute("BEGIN")
            self.connection.execute("SELECT count(*) FROM ballot").fetchall()
            self.connection.execute("SELECT count(*) FROM invite").fetchall()
            return
        url = make_url(database_url).set(drivername="postgresql")
        if kind == "elsewhere":
            url = url.set(database="postgres")
        self.connection = psycopg.connect(url.render_as_string(hide_password=False))
        if kind == "snapshot":
            self.connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            self.connection.execute("SELECT count(*) FROM ballot").fetchall()
            self.connection.execute("SELECT count(*) FROM invite").fetchall()
        else:
            self.connection.execute("SELECT pg_current_xact_id()").fetchall()

    def leave(self) -> None:
        self.connection.rollback()
        self.connection.close()


def _dead_ballot_versions(app, database_url: str) -> int:  # type: ignore[no-untyped-def]
    if _dialect(app) == "sqlite":
        path = Path(database_url.removeprefix("sqlite:///"))
        wal_file = path.with_name(path.name + "-wal")
        return wal_file.stat().st_size if wal_file.exists() else 0
    return sum(1 for _, xmax in _all_tuple_versions(app, "ballot") if xmax != 0)


@pytest.mark.parametrize("kind", ["snapshot", "elsewhere"])
def test_ballot_versions_a_concurrent_transaction_kept_leave_once_it_ends(app, database_url, kind):
    """While another transaction may still read them, the old versions of the ballots (the
    state before the last vote: with it, the new ballot is the difference) cannot be removed.
    Once it ends they must go on their own — not wait for the next vote, which may never come.
    The observer checks the pages (PostgreSQL, pageinspect) or the `-wal` (SQLite) with no
    request made after the holder left."""
    if kind == "elsewhere" and _dialect(app) == "sqlite":
        kind = "snapshot"  # one SQLite file: no other database to hold a transaction in
    made = open_decision(app, DecisionKind.PROPOSAL)
    clients = []
    for n in range(3):
        client = app.test_client()
        sign_in(client, make_member(app, f"Held Voter {n}"))
        clients.append(client)
    assert vote(clients[0], made, 0).status_code == 303
    assert vote(clients[1], made, 1).status_code == 303
    assert _dead_ballot_versions(app, database_url) == 0
    holder = _Holder(kind, database_url)
    try:
        started = time.monotonic()
        assert vote(clients[2], made, 2).status_code == 303
        took = time.monotonic() - started
    finally:
        holder.leave()
    assert took < 5, f"the vote waited {took:.1f} s behind the other transaction"
    deadline = time.monotonic() + 10
    while _dead_ballot_versions(app, database_url) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _dead_ballot_versions(app, database_url) == 0, (
        "old ballot versions stayed after the transaction that held them ended"
    )


def test_an_invite_version_a_reader_kept_leaves_once_it_ends(app, database_url):
    """Redeeming an invite deletes it in the account's own transaction (item 7 above). With a
    backup's snapshot open the deleted version must stay while it runs — and go once it ends,
    without another invite being redeemed; on SQLite the -wal empties likewise."""
    with app.app_context():
        from portal.accounts import credentials

        issued = credentials.issue_invites(
            db.session, role="member", count=2, days=7, issued_by=None, now=clock.now()
        )
        db.session.commit()
        code = issued[0].code
        db.session.remove()
    holder = _Holder("snapshot", database_url)
    try:
        response = app.test_client().post(
            "/auth/register",
            data={
                "invite_code": code,
                "pseudonym": "Joined Beside A Backup",
                "passphrase": "lantern orchard quietly folding maps",
                "passphrase_again": "lantern orchard quietly folding maps",
                "acknowledge": "y",
            },
        )
        assert response.status_code == 303
    finally:
        holder.leave()

    def left() -> int:
        if _dialect(app) == "sqlite":
            return _dead_ballot_versions(app, database_url)  # the -wal's size
        return sum(1 for _, xmax in _all_tuple_versions(app, "invite") if xmax != 0)

    deadline = time.monotonic() + 10
    while left() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left() == 0, "the redeemed invite's old version stayed after the reader ended"


def test_postgres_must_count_dead_rows_for_the_app_to_start(app, app_factory, database_url):
    """The rewrite knows a reader kept old versions only from the counts VACUUM reports: with
    `track_counts` off it could not tell, so the app refuses to start rather than promise. On
    SQLite the clean-up is the -wal's checkpoint."""
    from portal.extensions import traces_to_clear

    with app.app_context():
        if _dialect(app) == "sqlite":
            assert set(traces_to_clear(db.engine, Path(app.instance_path))) == {"wal"}
            return
        database = db.engine.url.database
        db.session.remove()
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'ALTER DATABASE "{database}" SET track_counts = off')
        with pytest.raises(RuntimeError, match="track_counts"):
            app_factory()
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'ALTER DATABASE "{database}" RESET track_counts')
        admin.dispose()
