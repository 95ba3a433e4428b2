"""Everything a member wrote or chose: one registry for export and for erasure (DESIGN §4.7).

Each feature that stores a member's data registers an exporter (what to hand the member) and
an eraser (what to do on deletion) here, so comments, ballots and whatever comes later join the
export and the erasure without this module or the account pages changing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from consultations.models import Member
from consultations.services import decisions

Exporter = Callable[[Session, Member], Any]
# (session, member, keep_contributions): keep_contributions=True means the member chose to leave
# their comments up, shown as written by "a former member".
Eraser = Callable[[Session, Member, bool], None]


@dataclass(frozen=True)
class _Entry:
    name: str
    exporter: Exporter | None
    eraser: Eraser | None


_REGISTRY: dict[str, _Entry] = {}


def register(name: str, *, exporter: Exporter | None = None, eraser: Eraser | None = None) -> None:
    """Add (or replace, on re-import) a part of the member's data under `name`."""
    _REGISTRY[name] = _Entry(name, exporter, eraser)


def registered() -> list[str]:
    return sorted(_REGISTRY)


def export(session: Session, member: Member) -> dict[str, Any]:
    """All the member's own data, by part, in a JSON-ready dictionary."""
    return {
        entry.name: entry.exporter(session, member)
        for entry in sorted(_REGISTRY.values(), key=lambda e: e.name)
        if entry.exporter is not None
    }


def erase(session: Session, member: Member, *, keep_contributions: bool, now: datetime) -> None:
    """Run every eraser, then delete the member row (its dependants cascade). Flushes only.

    Open decisions stop counting the member in their electorate; their ballots stay counted."""
    for entry in sorted(_REGISTRY.values(), key=lambda e: e.name):
        if entry.eraser is not None:
            entry.eraser(session, member, keep_contributions)
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


register("profile", exporter=_export_profile)
