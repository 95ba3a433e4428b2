"""Casting, changing and finding secret ballots, and keeping their storage out of voting order
(DESIGN §3, checklist 42).

A ballot is written in a transaction that writes nothing else (the website's `ballot_box` owns
it). Both engines lay new rows down in insertion order, and PostgreSQL stamps each row version
with the id of the transaction that wrote it. So every write — on both engines — upserts the
ballot and then deletes and inserts again *all* of the decision's ballots in key order, in the
same transaction: afterwards every live ballot of the decision was written by this one
transaction, in key order, and nothing says which of them just changed. Ballot writes to one
decision are serialised (the decision's row is locked FOR UPDATE), since each rewrites them all.
The website then removes what the rewrite left behind: SQLite checkpoints the WAL (TRUNCATE),
PostgreSQL clusters the table (dead row versions gone, live ones in key order).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from consultations import permissions
from consultations.clock import Clock
from consultations.errors import KenesError, NotAllowed
from consultations.models import (
    Ballot,
    Consultation,
    Decision,
    DecisionKind,
    DecisionStatus,
    Member,
    Option,
)
from consultations.services import decisions
from consultations.services.decisions import KeyFor

BALLOTS = Ballot.__table__


class BallotRefused(KenesError):
    """The choices do not make a ballot for this decision; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def check_choices(
    decision: Decision, choices: Sequence[int], positions: set[int] | None = None
) -> list[int]:
    """The ballot as it will be stored, or BallotRefused: "empty", "unknown_option",
    "duplicate" (an option chosen or ranked twice), "one_only", "too_many"."""
    if positions is None:
        positions = {option.position for option in decision.options}
    choices = list(choices)
    if not choices:
        raise BallotRefused("empty")
    if any(choice not in positions for choice in choices):
        raise BallotRefused("unknown_option")
    if len(set(choices)) != len(choices):
        raise BallotRefused("duplicate")
    if decision.kind in (DecisionKind.PROPOSAL, DecisionKind.SINGLE) and len(choices) != 1:
        raise BallotRefused("one_only")
    if decision.kind == DecisionKind.MULTIPLE and len(choices) > (decision.max_choices or 1):
        raise BallotRefused("too_many")
    if decision.kind != DecisionKind.RANKED:
        choices.sort()
    return choices


def cast(
    session: Session,
    consultation: Consultation,
    decision: Decision,
    choices: Sequence[int],
    *,
    voter: Member,
    key_for: KeyFor,
    clock: Clock,
    paper: str | None = None,
) -> None:
    """Cast or change the voter's ballot. Flushes; the caller commits at once.

    The decision is re-read under a lock, and its options and the clock after it: a ballot
    racing a close (by staff or by the clock) is either in before the close or refused with
    NotAllowed "closed" ("not_open" before it opens, "not_a_voter" for staff or a disabled
    account); one racing an edit of the options is checked against the options that stand,
    and refused ("changed") if `paper` — what the member saw — no longer matches them."""
    check_choices(decision, choices)  # what can be refused without a lock is refused first
    locked = decisions.lock_for_update(session, decision.id, to_vote=True)
    now = clock.now()
    if not permissions.can_vote(voter, consultation, locked, now):
        status = locked.status(now)
        if status == DecisionStatus.CLOSED:
            raise NotAllowed("closed")
        raise NotAllowed("not_open" if status == DecisionStatus.UPCOMING else "not_a_voter")
    standing = session.execute(
        select(Option.position, Option.code, Option.label)
        .where(Option.decision_id == decision.id)
        .order_by(Option.position)
    ).all()
    if paper is not None and paper != decisions.paper_of([tuple(row) for row in standing]):
        raise BallotRefused("changed")
    valid = check_choices(locked, choices, {position for position, _, _ in standing})
    stored = json.dumps(valid, separators=(",", ":"))
    row = {"decision_id": decision.id, "ballot_key": key_for(decision.id), "choices": stored}
    dialect = session.get_bind().dialect.name
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(BALLOTS).values(row)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[BALLOTS.c.decision_id, BALLOTS.c.ballot_key],
            set_={"choices": statement.excluded.choices},
        )
    )
    rewrite_in_key_order(session, decision.id)


def rewrite_in_key_order(session: Session, decision_id: int) -> None:
    """Delete the decision's ballots and insert them again sorted by key, so the order in which
    their bytes lie follows the keys — random — and not the order of voting."""
    rows = [
        dict(row)
        for row in session.execute(
            select(BALLOTS)
            .where(BALLOTS.c.decision_id == decision_id)
            .order_by(BALLOTS.c.ballot_key)
        ).mappings()
    ]
    session.execute(delete(BALLOTS).where(BALLOTS.c.decision_id == decision_id))
    for row in rows:  # one by one: the order of insertion is the point
        session.execute(BALLOTS.insert().values(row))


def due_for_sealing(session: Session, now: datetime) -> list[int]:
    """Closed decisions whose ballots have not yet been put in key order and compacted."""
    return list(
        session.scalars(
            select(Decision.id)
            .where(Decision.closes_at <= now, Decision.sealed.is_(False))
            .order_by(Decision.id)
        )
    )


def mark_sealed(session: Session, decision_id: int) -> None:
    """Record that the decision's ballots are in key order. Its own transaction: a ballot's
    transaction id must not be shared with any other row (checklist 42)."""
    decision = session.get(Decision, decision_id)
    if decision is not None:
        decision.sealed = True
        session.flush()


def export(session: Session, key_for: KeyFor) -> list[dict[str, Any]]:
    """The member's current ballots, found by recomputing their key for every decision: the
    database holds nothing else that could find them."""
    keys = [key_for(decision_id) for decision_id in session.scalars(select(Decision.id))]
    if not keys:
        return []
    found = dict(
        session.execute(
            select(Ballot.decision_id, Ballot.choices).where(Ballot.ballot_key.in_(keys))
        ).all()
    )
    exported = []
    for decision, title in session.execute(
        select(Decision, Consultation.title)
        .join(Consultation, Consultation.id == Decision.consultation_id)
        .where(Decision.id.in_(found))
        .order_by(Decision.id)
        .options(selectinload(Decision.options))
    ):
        labels = {option.position: option.code or option.label for option in decision.options}
        exported.append(
            {
                "consultation": title,
                "decision": decision.question,
                "kind": str(decision.kind),
                "options": list(labels.values()),
                "max_choices": decision.max_choices,
                "choices": [labels[p] for p in decisions.decode(found[decision.id])],
            }
        )
    return exported


def leave_counted(_session: Session, _member: Member, _keep_contributions: bool) -> None:
    """Erasure and ballots: nothing to delete, on purpose. A ballot names no one; erasing the
    member deletes their `ballot_token` with their row, and with it the only way to recompute
    the key. The ballot stays counted and can never be changed again (issue 5)."""
