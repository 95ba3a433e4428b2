"""Demonstration content for `flask demo seed` — development databases only.

Accounts with known demo passphrases (printed, never for production: the command refuses to
run unless KENES_ENV=development), and invitation codes to try joining. Later issues add
consultations, decisions and published records.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consultations.models import Member, Role
from consultations.services import members
from portal import demo_consultation
from portal.accounts import credentials
from portal.accounts.models import Credential
from portal.security import tokens

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
        member = members.register(
            session,
            pseudonym=pseudonym,
            role=role,
            locale=locale,
            ballot_token=tokens.new_ballot_token(),
            now=now,
        )
        session.add(
            Credential(
                member_id=member.id, passphrase_hash=credentials.passphrases().hash(DEMO_PASSPHRASE)
            )
        )
        made.append(member)
        note = " — must enrol two-factor sign-in first" if member.is_staff else ""
        lines.append(f"  {pseudonym} ({role}){note}")
    session.flush()
    public_id = demo_consultation.seed(session, staff=made[0], voices=made[1:], now=now)
    lines.append(f"A demonstration consultation: /consultations/{public_id}")
    issued = credentials.issue_invites(
        session, role=Role.MEMBER, count=2, days=14, issued_by=None, now=now
    )
    lines.append("Invitation codes to try joining: " + ", ".join(item.code for item in issued))
    session.flush()
    return lines
