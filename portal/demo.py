"""Demonstration content for `flask demo seed` — development databases only.

Accounts with known demo passphrases (printed, never for production: the command refuses to
run unless KENES_ENV=development), invitation codes to try joining, a consultation with its
decisions, demonstration ballots, and the group's published advice (`portal.demo_advice`): a
closed and an upcoming consultation, an advisory record, the recommendation register.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consultations.models import Ballot, Consultation, Decision, Member, Role
from consultations.services import ballots, decisions, members
from portal import demo_advice, demo_consultation
from portal.accounts import credentials

DEMO_PASSPHRASE = "demo only quiet river morning"  # noqa: S105 — printed demo value, development only
DEMO_ACCOUNTS = (
    ("Demo Admin", Role.ADMIN, "en"),
    ("Тыныш Өзен", Role.MEMBER, "kk"),
    ("Тихая Река", Role.MEMBER, "ru"),
)


def seed(session: Session, *, only_if_empty: bool, now: datetime) -> list[str]:
    """Add the demo content; return lines saying what was done."""
    if only_if_empty and session.scalar(select(func.count()).select_from(Member)):
        return ["Demo content: the database has accounts already; nothing added."]
    lines = [f"Demo accounts (passphrase for each: {DEMO_PASSPHRASE!r}):"]
    made: list[Member] = []
    for pseudonym, role, locale in DEMO_ACCOUNTS:
        existing = members.find_by_pseudonym(session, pseudonym)
        if existing is not None:
            made.append(existing)
            continue
        member = credentials.create_account(
            session,
            pseudonym=pseudonym,
            role=role,
            locale=locale,
            passphrase=DEMO_PASSPHRASE,
            now=now,
        )
        made.append(member)
        note = " — must enrol two-factor sign-in first" if member.is_staff else ""
        lines.append(f"  {pseudonym} ({role}){note}")
    session.flush()
    public_id = demo_consultation.seed(session, staff=made[0], voices=made[1:], now=now)
    lines.append(f"A demonstration consultation: /consultations/{public_id}")
    lines += demo_advice.seed(session, staff=made[0], voices=made[1:], now=now)
    issued = credentials.issue_invites(
        session, role=Role.MEMBER, count=2, days=14, issued_by=None, now=now
    )
    lines.append("Invitation codes to try joining: " + ", ".join(item.code for item in issued))
    session.flush()
    return lines


class _At:
    """A clock stopped at one moment: the demo's ballots were cast while voting was open."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self) -> datetime:
        return self.moment


def cast_ballots(
    session: Session, key_for: Callable[[Member], Callable[[int], str]]
) -> Iterator[None]:
    """Cast the demo members' ballots, one per step: the caller commits after each, so every
    ballot has a transaction of its own (checklist 42). Casts nothing if the demo decisions
    have ballots already."""
    voters = [members.find_by_pseudonym(session, name) for name, role, _ in DEMO_ACCOUNTS]
    voters = [v for v in voters if v is not None and v.role == Role.MEMBER]
    yield from _open_consultation_ballots(session, key_for, voters)
    for consultation, decision, voter, choices in demo_advice.cast_ballots(
        session, key_for, voters
    ):
        _cast(session, consultation, decision, voter, choices, key_for)
        yield


def _cast(  # noqa: PLR0913 — one ballot, as a member cast it while voting was open
    session: Session,
    consultation: Consultation,
    decision: Decision,
    voter: Member,
    choices: list[int],
    key_for: Callable[[Member], Callable[[int], str]],
) -> None:
    ballots.cast(
        session,
        consultation,
        decision,
        choices,
        voter=voter,
        key_for=key_for(voter),
        clock=_At(decision.opens_at + timedelta(hours=1)),
    )


def _open_consultation_ballots(
    session: Session,
    key_for: Callable[[Member], Callable[[int], str]],
    voters: list[Member],
) -> Iterator[None]:
    consultation = session.scalar(
        select(Consultation).where(Consultation.title == demo_consultation.TITLE)
    )
    if consultation is None:
        return
    found = list(
        session.scalars(
            select(Decision)
            .where(Decision.consultation_id == consultation.id)
            .order_by(Decision.id)
        )
    )
    if len(found) != len(demo_consultation.DECISIONS) or session.scalar(
        select(Ballot.decision_id).where(Ballot.decision_id.in_([d.id for d in found])).limit(1)
    ):
        return
    for position, voter_index, choices in demo_consultation.DEMO_BALLOTS:
        decision = decisions.get(session, consultation, found[position].public_id)
        _cast(session, consultation, decision, voters[voter_index], choices, key_for)
        yield
