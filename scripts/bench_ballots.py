"""How long one ballot takes now that every ballot rewrites its decision's ballots in key order
and the storage is cleaned after it (issue 9): a measurement, not a test.

    make bench                 # SQLite, in a temporary directory
    scripts/with-postgres.sh .venv/bin/python scripts/bench_ballots.py   # PostgreSQL too

For each group size it fills one open decision with that many ballots, then times further
ballots through `ballot_box.cast` (the transaction, the rewrite, then the WAL checkpoint or
`CLUSTER ballot`) and prints the median and the 95th percentile in milliseconds.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZES = (20, 200, 1000)
TIMED = 30


def main() -> None:
    directory = Path(tempfile.mkdtemp(prefix="kenes-bench-"))
    url = os.environ.get("KENES_TEST_DATABASE_URL") or f"sqlite:///{directory / 'bench.db'}"
    os.environ.update(
        {
            "KENES_ENV": "testing",
            "KENES_DATABASE_URL": url,
            "KENES_INSTANCE_PATH": str(directory / "instance"),
            "KENES_SEARCH_DIR": str(directory / "search"),
            "KENES_SECRET_KEY": "be" * 32,
            "KENES_BALLOT_SECRET": "bb" * 32,
        }
    )
    from sqlalchemy import create_engine

    from portal.extensions import configure_sqlite
    from portal.schema import metadata

    engine = create_engine(url)
    configure_sqlite(engine)
    metadata.drop_all(engine)
    metadata.create_all(engine)
    engine.dispose()

    from consultations.clock import SystemClock
    from consultations.models import DecisionKind, Member, Role
    from consultations.services import consultations, decisions, members
    from portal import ballot_box, create_app
    from portal.extensions import db
    from portal.security.ballots import BallotKeys

    app = create_app()
    keys = BallotKeys("bb" * 32)
    clock = SystemClock()
    print(f"engine: {url.split(':', 1)[0]}; {TIMED} timed ballots per size")
    with app.app_context():
        now = clock.now()
        voter, staff = (
            members.register(
                db.session, pseudonym=name, role=role, locale="en", ballot_token=token, now=now
            )
            for name, role, token in (
                ("Bench Voter", Role.MEMBER, "0" * 32),
                ("Bench Staff", Role.STAFF, "1" * 32),
            )
        )
        consultation = consultations.create(
            db.session,
            consultations.Details(
                title="Bench",
                summary="",
                main_locale="en",
                content_note="",
                opens_at=now - timedelta(days=1),
                closes_at=now + timedelta(days=14),
                premoderation=False,
            ),
            actor=staff,
            now=now,
        )
        draft = consultations.working_copy(db.session, consultation)
        consultations.save_draft(db.session, draft, {"en": "# Bench\n\nText."})
        consultations.publish(db.session, consultation, draft, changelog="v1", actor=staff, now=now)
        db.session.commit()
        for size in SIZES:
            decision = decisions.create(
                db.session,
                consultation,
                decisions.DecisionDetails(
                    question=f"Bench {size}",
                    explanation="",
                    kind=DecisionKind.PROPOSAL,
                    options=[],
                    max_choices=None,
                    opens_at=now - timedelta(hours=1),
                    closes_at=now + timedelta(days=1),
                    quorum=None,
                    live_results=False,
                ),
                actor=staff,
                now=now,
            )
            db.session.commit()
            member = db.session.get(Member, voter.id)
            public_id = decision.public_id

            def cast(n: int, public_id: str = public_id, member: Member = member) -> float:
                """One ballot by the n-th voter, through the ballot box; milliseconds."""
                paper = decisions.get(db.session, consultation, public_id)
                started = time.perf_counter()
                refusal = ballot_box.cast(
                    consultation,
                    paper,
                    [n % 3],
                    voter=member,
                    key_for=keys.for_token(f"{n:032x}"),
                    clock=clock,
                    paper=None,
                )
                if refusal is not None:
                    raise SystemExit(f"ballot refused: {refusal}")
                return (time.perf_counter() - started) * 1000

            for n in range(size):
                cast(n)
            took = [cast(size + n) for n in range(TIMED)]
            took.sort()
            print(
                f"  {size:>5} ballots: median {statistics.median(took):6.1f} ms, "
                f"p95 {took[int(0.95 * (len(took) - 1))]:6.1f} ms"
            )


if __name__ == "__main__":
    main()
