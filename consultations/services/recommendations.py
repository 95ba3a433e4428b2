"""The recommendation register (issue 12): staff write recommendations addressed to a body from
a managed list, publish them (which numbers them), and record each step their addressee takes
as a dated status change; anyone reads the published ones, filtered, with counts per status.

Every staff action is audited; every publication and status change goes to the outbox in the
same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from consultations.errors import KenesError, NotFound
from consultations.languages import LOCALES
from consultations.models import (
    Action,
    Addressee,
    AdvisoryRecord,
    Member,
    Priority,
    Published,
    Recommendation,
    RecommendationRegion,
    RecommendationStatus,
    RecordRecommendation,
    Region,
    StatusChange,
)
from consultations.models.recommendation import (
    MAX_EVIDENCE_CHARS,
    MAX_NOTE_CHARS,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
)
from consultations.paging import page_of
from consultations.services import audit, publishing
from consultations.typed import cleaned

PAGE_SIZE = 50


class RecommendationRefused(KenesError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _clean(text: str, limit: int, *, multiline: bool = False, required: bool = False) -> str:
    return cleaned(
        text,
        limit,
        refused=RecommendationRefused,
        required=required,
        allowed="\n" if multiline else "",
    )


# --------------------------------------------------------------------------- addressees


def addressees(session: Session) -> list[Addressee]:
    return list(session.scalars(select(Addressee).order_by(Addressee.name_en)))


def add_addressee(
    session: Session, names: dict[str, str], *, actor: Member, now: datetime
) -> Addressee:
    """A body, named in each of the three languages."""
    cleaned = {locale: _clean(names.get(locale, ""), 300, required=True) for locale in LOCALES}
    addressee = Addressee(**{f"name_{locale}": name for locale, name in cleaned.items()})
    session.add(addressee)
    session.flush()
    audit.record(
        session, actor=actor, action="addressee.add", target=f"addressee:{addressee.id}", now=now
    )
    return addressee


# --------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class Draft:
    title: str
    text: str
    locale: str
    addressee_id: int
    priority: Priority
    regions: Sequence[Region]
    review_on: date | None = None


def _apply(session: Session, recommendation: Recommendation, draft: Draft) -> None:
    if draft.locale not in LOCALES:
        raise RecommendationRefused("locale")
    if session.get(Addressee, draft.addressee_id) is None:
        raise RecommendationRefused("addressee")
    if not draft.regions:
        raise RecommendationRefused("no_region")
    recommendation.title = _clean(draft.title, MAX_TITLE_CHARS, required=True)
    recommendation.text = _clean(draft.text, MAX_TEXT_CHARS, multiline=True, required=True)
    recommendation.locale = draft.locale
    recommendation.addressee_id = draft.addressee_id
    recommendation.priority = draft.priority
    recommendation.review_on = draft.review_on
    wanted = set(draft.regions)
    recommendation.regions = [r for r in recommendation.regions if r.region in wanted] + [
        RecommendationRegion(region=region)
        for region in sorted(wanted - {r.region for r in recommendation.regions})
    ]


def _recorded(
    session: Session,
    recommendation: Recommendation,
    what: str,
    announced: Action | None,
    *,
    actor: Member,
    now: datetime,
) -> None:
    """The audit line of a staff action, and — once the recommendation is public — its outbox
    row."""
    audit.record(
        session,
        actor=actor,
        action=f"recommendation.{what}",
        target=f"recommendation:{recommendation.id}",
        now=now,
    )
    if announced is not None and recommendation.number:
        publishing.announce(
            session, Published.RECOMMENDATION, recommendation.number, announced, now
        )


def create(session: Session, draft: Draft, *, actor: Member, now: datetime) -> Recommendation:
    """A draft recommendation, staff-only until published; its history starts as proposed."""
    recommendation = Recommendation(status=RecommendationStatus.PROPOSED, created_at=now)
    recommendation.regions = []
    _apply(session, recommendation, draft)
    recommendation.history = [
        StatusChange(status=RecommendationStatus.PROPOSED, on=now.date(), note="", evidence="")
    ]
    session.add(recommendation)
    session.flush()
    _recorded(session, recommendation, "create", None, actor=actor, now=now)
    return recommendation


def update(
    session: Session,
    recommendation: Recommendation,
    draft: Draft,
    *,
    actor: Member,
    now: datetime,
) -> None:
    _apply(session, recommendation, draft)
    session.flush()
    _recorded(session, recommendation, "edit", Action.EDIT, actor=actor, now=now)


def publish(
    session: Session, recommendation: Recommendation, *, actor: Member, now: datetime
) -> str:
    """Make it public and give it its number; returns the number."""
    if recommendation.number:
        raise RecommendationRefused("published")
    number, serial = publishing.next_number(session, Published.RECOMMENDATION, now.year)
    recommendation.number, recommendation.year, recommendation.serial = number, now.year, serial
    recommendation.published_at = now
    session.flush()
    _recorded(session, recommendation, "publish", Action.PUBLISH, actor=actor, now=now)
    return number


def change_status(
    session: Session,
    recommendation: Recommendation,
    status: RecommendationStatus,
    *,
    on: date,
    note: str,
    evidence: str,
    actor: Member,
    now: datetime,
) -> StatusChange:
    """A dated step of the history. The current status is the latest step's by date (a step
    learnt late may be dated before others)."""
    if on > now.date():
        raise RecommendationRefused("future")
    change = StatusChange(
        recommendation_id=recommendation.id,
        status=status,
        on=on,
        note=_clean(note, MAX_NOTE_CHARS, multiline=True),
        evidence=_clean(evidence, MAX_EVIDENCE_CHARS),
    )
    session.add(change)
    session.flush()
    latest = session.scalars(
        select(StatusChange.status)
        .where(StatusChange.recommendation_id == recommendation.id)
        .order_by(StatusChange.on.desc(), StatusChange.id.desc())
        .limit(1)
    ).one()
    recommendation.status = latest
    session.flush()
    _recorded(session, recommendation, "status", Action.STATUS, actor=actor, now=now)
    return change


# --------------------------------------------------------------------------- reading


def get(session: Session, recommendation_id: int) -> Recommendation:
    found = session.get(Recommendation, recommendation_id)
    if found is None:
        raise NotFound("recommendation")
    return found


def history(session: Session, recommendation: Recommendation) -> list[StatusChange]:
    return list(
        session.scalars(
            select(StatusChange)
            .where(StatusChange.recommendation_id == recommendation.id)
            .order_by(StatusChange.on, StatusChange.id)
        )
    )


def published(session: Session, number: str) -> Recommendation:
    found = session.scalar(
        select(Recommendation).where(
            Recommendation.number == number, Recommendation.published_at.is_not(None)
        )
    )
    if found is None:
        raise NotFound(number)
    return found


@dataclass(frozen=True)
class Filters:
    status: RecommendationStatus | None = None
    addressee_id: int | None = None
    region: Region | None = None
    year: int | None = None
    locale: str | None = None  # the language it is written in


@dataclass(frozen=True)
class Register:
    listed: list[Recommendation]
    counts: dict[RecommendationStatus, int]  # of everything the other filters let through
    total: int  # listed before paging
    page: int
    pages: int


def register(session: Session, filters: Filters, *, page: int = 1) -> Register:
    """The published register, newest first, filtered, with counts per status: three queries
    (counts, the page, its regions) whatever the number of recommendations."""
    base = select(Recommendation.id).where(Recommendation.published_at.is_not(None))
    if filters.addressee_id is not None:
        base = base.where(Recommendation.addressee_id == filters.addressee_id)
    if filters.year is not None:
        base = base.where(Recommendation.year == filters.year)
    if filters.locale is not None:
        base = base.where(Recommendation.locale == filters.locale)
    if filters.region is not None:
        base = base.where(
            Recommendation.id.in_(
                select(RecommendationRegion.recommendation_id).where(
                    RecommendationRegion.region == filters.region
                )
            )
        )
    counted = dict(
        session.execute(
            select(Recommendation.status, func.count())
            .where(Recommendation.id.in_(base))
            .group_by(Recommendation.status)
        ).all()
    )
    counts = {status: counted.get(status, 0) for status in RecommendationStatus}
    chosen = base
    if filters.status is not None:
        chosen = chosen.where(Recommendation.status == filters.status)
    total = counts[filters.status] if filters.status is not None else sum(counts.values())
    page, pages = page_of(total, page, PAGE_SIZE)
    listed = list(
        session.scalars(
            select(Recommendation)
            .where(Recommendation.id.in_(chosen))
            .order_by(Recommendation.year.desc(), Recommendation.serial.desc())
            .limit(PAGE_SIZE)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    return Register(listed, counts, total, page, pages)


def all_published(session: Session) -> list[Recommendation]:
    """Every published recommendation, newest first: two queries (with their regions)."""
    return list(
        session.scalars(
            select(Recommendation)
            .where(Recommendation.published_at.is_not(None))
            .order_by(Recommendation.year.desc(), Recommendation.serial.desc())
        )
    )


def years(session: Session) -> list[int]:
    """The years recommendations were first published in, newest first."""
    return [
        year
        for year in session.scalars(
            select(Recommendation.year)
            .where(Recommendation.published_at.is_not(None))
            .distinct()
            .order_by(Recommendation.year.desc())
        )
        if year is not None
    ]


def staff_list(session: Session) -> list[Recommendation]:
    """Every recommendation, drafts first, then newest."""
    return list(
        session.scalars(
            select(Recommendation).order_by(
                Recommendation.published_at.is_not(None),
                Recommendation.year.desc(),
                Recommendation.serial.desc(),
                Recommendation.id.desc(),
            )
        )
    )


def due_for_review(session: Session, today: date) -> list[Recommendation]:
    """Published recommendations whose review date has come, oldest first."""
    return list(
        session.scalars(
            select(Recommendation)
            .where(Recommendation.review_on.is_not(None), Recommendation.review_on <= today)
            .order_by(Recommendation.review_on)
        )
    )


def records_of(session: Session, recommendation: Recommendation) -> list[AdvisoryRecord]:
    """The published, not withdrawn records linked to it."""
    return list(
        session.scalars(
            select(AdvisoryRecord)
            .join(RecordRecommendation, RecordRecommendation.record_id == AdvisoryRecord.id)
            .where(
                RecordRecommendation.recommendation_id == recommendation.id,
                AdvisoryRecord.number.is_not(None),
                AdvisoryRecord.withdrawn_on.is_(None),
            )
            .order_by(AdvisoryRecord.year, AdvisoryRecord.serial)
            .options(selectinload(AdvisoryRecord.revisions))
        )
    )
