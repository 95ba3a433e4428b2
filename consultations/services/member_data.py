"""Everything a member wrote or chose: one registry for export and for erasure (DESIGN §4.7).

Each feature that stores a member's data contributes a `Part`: an exporter (what to hand the
member) and an eraser (what to do on deletion). The parts are listed explicitly — the domain's
by `domain_parts`, all of them in the website's `create_app` — and passed in: nothing joins
the export or the erasure as a side effect of being imported (issue 10).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from consultations.models import Member
from consultations.services import comments, decisions

Exporter = Callable[[Session, Member], Any]
# (session, member, keep_contributions): keep_contributions=True means the member chose to leave
# their comments up, shown as written by "a former member".
Eraser = Callable[[Session, Member, bool], None]


@dataclass(frozen=True)
class Part:
    """One part of a member's data: how to export it, what to do with it on erasure."""

    name: str
    exporter: Exporter | None = None
    eraser: Eraser | None = None


def export(session: Session, member: Member, parts: Sequence[Part]) -> dict[str, Any]:
    """All the member's own data, by part, in a JSON-ready dictionary."""
    return {
        part.name: part.exporter(session, member)
        for part in sorted(parts, key=lambda p: p.name)
        if part.exporter is not None
    }


def erase(
    session: Session,
    member: Member,
    parts: Sequence[Part],
    *,
    keep_contributions: bool,
    now: datetime,
) -> None:
    """Run every part's eraser, then delete the member row (its dependants cascade). Flushes.

    Open decisions stop counting the member in their electorate; their ballots stay counted."""
    for part in sorted(parts, key=lambda p: p.name):
        if part.eraser is not None:
            part.eraser(session, member, keep_contributions)
    session.delete(member)
    session.flush()
    decisions.recount_electorate(session, now)


def _export_profile(_session: Session, member: Member) -> dict[str, Any]:
    return {
        "pseudonym": member.pseudonym,
        "role": str(member.role),
        "language": member.locale,
        "joined_on": member.created_on.isoformat(),
        "last_visit_on": member.last_visit_on.isoformat() if member.last_visit_on else None,
    }


def domain_parts() -> tuple[Part, ...]:
    """The parts the domain keeps: the profile and the comments. The website adds its own
    (how the member signs in, their ballots) and lists them all in `create_app`."""
    return (
        Part("profile", exporter=_export_profile),
        Part("comments", exporter=comments.export, eraser=comments.erase_member),
    )
