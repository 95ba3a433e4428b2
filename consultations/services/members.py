"""Members: joining under a pseudonym, renaming, roles, disabling, and the visit date."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from consultations import pseudonyms
from consultations.errors import NotAllowed, PseudonymTaken
from consultations.languages import LOCALES
from consultations.models import Member, Role
from consultations.services import decisions


def find_by_pseudonym(session: Session, typed: str) -> Member | None:
    """The member whose pseudonym looks like `typed` (same skeleton), if any.

    Comparing skeletons lets a member sign in whether their phone typed a Latin or a Cyrillic
    "A"; it never lets two members share a look-alike name, because registration refuses those.
    """
    try:
        key = pseudonyms.skeleton(pseudonyms.normalize(typed))
    except pseudonyms.PseudonymError:
        return None
    if not key:
        return None
    return session.scalar(select(Member).where(Member.pseudonym_key == key))


def is_available(session: Session, pseudonym: str, *, except_member: Member | None = None) -> bool:
    key = pseudonyms.skeleton(pseudonym)
    query = select(Member.id).where(Member.pseudonym_key == key)
    if except_member is not None:
        query = query.where(Member.id != except_member.id)
    return session.scalar(query) is None


def register(
    session: Session, *, pseudonym: str, role: Role, locale: str, ballot_token: str, now: datetime
) -> Member:
    """Create a member. `pseudonym` is validated here; raises PseudonymError or PseudonymTaken.

    The row holds the day, never the time (DESIGN §4.4); `now` also tells which decisions are
    still open, and so count the newcomer in their electorate."""
    pseudonym = pseudonyms.validate(pseudonym)
    if not is_available(session, pseudonym):
        raise PseudonymTaken(pseudonym)
    member = Member(
        pseudonym=pseudonym,
        pseudonym_key=pseudonyms.skeleton(pseudonym),
        role=role,
        locale=locale,
        created_on=now.date(),
        last_visit_on=now.date(),
        ballot_token=ballot_token,
    )
    session.add(member)
    _flush_or_taken(session, pseudonym)
    decisions.recount_electorate(session, now)
    return member


def rename(session: Session, member: Member, new_pseudonym: str) -> Member:
    """Change the pseudonym everywhere it is shown (comments show the member's current one)."""
    new_pseudonym = pseudonyms.validate(new_pseudonym)
    if not is_available(session, new_pseudonym, except_member=member):
        raise PseudonymTaken(new_pseudonym)
    member.pseudonym = new_pseudonym
    member.pseudonym_key = pseudonyms.skeleton(new_pseudonym)
    _flush_or_taken(session, new_pseudonym)
    return member


def _flush_or_taken(session: Session, pseudonym: str) -> None:
    # Two registrations racing for look-alike names: the unique key decides.
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise PseudonymTaken(pseudonym) from None


def set_role(session: Session, member: Member, role: Role, *, now: datetime) -> None:
    if member.role == Role.ADMIN and role != Role.ADMIN and _active_admins(session) <= 1:
        raise NotAllowed("the last admin cannot stop being one")
    member.role = role
    session.flush()
    decisions.recount_electorate(session, now)


def set_disabled(session: Session, member: Member, disabled: bool, *, now: datetime) -> None:
    if disabled and member.role == Role.ADMIN and _active_admins(session) <= 1:
        raise NotAllowed("the last admin cannot be disabled")
    member.disabled = disabled
    session.flush()
    decisions.recount_electorate(session, now)


def _active_admins(session: Session) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(Member)
            .where(Member.role == Role.ADMIN, Member.disabled.is_(False))
        )
        or 0
    )


def set_locale(member: Member, locale: str) -> None:
    """The language the member reads in: chosen in their account, or the one they signed in
    with (so the site speaks after sign-in as it did before)."""
    if locale not in LOCALES:
        raise ValueError(f"not a language of the site: {locale!r}")
    member.locale = locale


def record_visit(session: Session, member: Member, today: date) -> date | None:
    """Set today's date as the last visit; return the previous one (for "new since")."""
    previous = member.last_visit_on
    if previous != today:
        member.last_visit_on = today
        session.flush()
    return previous


def get(session: Session, member_id: int) -> Member | None:
    return session.get(Member, member_id)


def staff_and_members(session: Session) -> list[Member]:
    return list(session.scalars(select(Member).order_by(Member.role, Member.pseudonym_key)))
