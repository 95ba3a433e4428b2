"""Advisory records (issue 12): staff write a record — from a consultation or on its own — in
revisions; publishing the first numbers it, each later one is a correction; a published
revision never changes, except that a quote found to identify someone is redacted in every
revision holding it; a withdrawn record keeps its number and pages, which then say only that
it was withdrawn, when and why.

Quotes are copied from comments whose authors allowed it (visible, `quotable`), whole or as an
excerpt of their words: the copy keeps no link to the comment or its author.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, contains_eager, joinedload, lazyload, selectinload

from consultations.errors import KenesError, NotFound
from consultations.languages import LOCALES
from consultations.models import (
    Action,
    AdvisoryRecord,
    Comment,
    CommentStatus,
    Consultation,
    Member,
    Published,
    Recommendation,
    RecordQuote,
    RecordRecommendation,
    RecordRevision,
    StatusChange,
)
from consultations.models.record import (
    MAX_ADVICE_CHARS,
    MAX_QUOTE_CHARS,
    MAX_QUOTES,
    MAX_REASON_CHARS,
    MAX_SUMMARY_CHARS,
    MAX_TITLE_CHARS,
)
from consultations.paging import page_of
from consultations.services import audit, feedback, publishing
from consultations.typed import cleaned


class RecordRefused(KenesError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def comparable(text: str) -> str:
    """Text as quotes are matched: case, spacing and punctuation set aside."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in folded)
    return " ".join(kept.split())


def _clean(text: str, limit: int, *, required: bool = False) -> str:
    return cleaned(text, limit, refused=RecordRefused, required=required, allowed="\n\t")


# --------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class Texts:
    title: str
    summary: str
    advice: str
    changelog: str = ""


@dataclass(frozen=True)
class NewQuote:
    """A quote chosen from a comment: its words, or an excerpt of them (`excerpt`)."""

    comment_id: int
    excerpt: str = ""


def quotable(session: Session, consultation_id: int | None) -> list[Comment]:
    """The comments whose words may be quoted: visible, and their author said so."""
    if consultation_id is None:
        return []
    return list(
        session.scalars(
            select(Comment)
            .where(
                Comment.consultation_id == consultation_id,
                Comment.status == CommentStatus.VISIBLE,
                Comment.quotable.is_(True),
            )
            .order_by(Comment.created_on, Comment.id)
        )
    )


def _latest(session: Session, record: AdvisoryRecord) -> RecordRevision:
    return session.scalars(
        select(RecordRevision)
        .where(RecordRevision.record_id == record.id)
        .order_by(RecordRevision.number.desc())
        .limit(1)
    ).one()


def draft_of(session: Session, record: AdvisoryRecord) -> RecordRevision | None:
    """The revision staff are writing, if any."""
    latest = _latest(session, record)
    return latest if latest.published_at is None else None


def create(
    session: Session,
    *,
    locale: str,
    consultation: Consultation | None,
    texts: Texts,
    actor: Member,
    now: datetime,
) -> AdvisoryRecord:
    if locale not in LOCALES:
        raise RecordRefused("locale")
    record = AdvisoryRecord(
        locale=locale,
        consultation_id=consultation.id if consultation else None,
        created_at=now,
    )
    record.links = []
    record.revisions = [RecordRevision(number=1, **_texts(texts, first=True))]
    session.add(record)
    session.flush()
    audit.record(
        session, actor=actor, action="record.create", target=f"record:{record.id}", now=now
    )
    return record


def _texts(texts: Texts, *, first: bool) -> dict[str, str]:
    return {
        "title": _clean(texts.title, MAX_TITLE_CHARS, required=True),
        "summary": _clean(texts.summary, MAX_SUMMARY_CHARS),
        "advice": _clean(texts.advice, MAX_ADVICE_CHARS),
        "changelog": "" if first else _clean(texts.changelog, MAX_SUMMARY_CHARS),
    }


def _section_titles(session: Session, consultation_id: int | None) -> dict[str, str]:
    consultation = session.get(Consultation, consultation_id) if consultation_id else None
    return feedback.section_titles(session, consultation) if consultation else {}


def save_draft(
    session: Session,
    record: AdvisoryRecord,
    texts: Texts,
    *,
    add_quotes: Sequence[NewQuote] = (),
    drop_quotes: Sequence[int] = (),
    recommendation_ids: Sequence[int] | None = None,
    translation_of: str | None = None,
    actor: Member,
    now: datetime,
) -> RecordRevision:
    """Rewrite the draft revision: its texts, quotes dropped (by quote id) and added (from
    quotable comments), and the record's links to recommendations and to its original."""
    draft = draft_of(session, record)
    if draft is None:
        raise RecordRefused("published")
    if record.withdrawn_on is not None:
        raise RecordRefused("withdrawn")
    for name, value in _texts(texts, first=draft.number == 1).items():
        setattr(draft, name, value)
    kept = [quote for quote in draft.quotes if quote.id not in set(drop_quotes)]
    draft.quotes = kept
    session.flush()
    candidates = {c.id: c for c in quotable(session, record.consultation_id)}
    titles = _section_titles(session, record.consultation_id) if add_quotes else {}
    for chosen in add_quotes:
        comment = candidates.get(chosen.comment_id)
        if comment is None:
            raise RecordRefused("not_quotable")
        words = _clean(chosen.excerpt, MAX_QUOTE_CHARS) or comment.text
        if comparable(words) not in comparable(comment.text) or not comparable(words):
            raise RecordRefused("not_an_excerpt")
        draft.quotes.append(
            RecordQuote(text=words, section=titles.get(comment.section_key or "", "")[:300])
        )
    if len(draft.quotes) > MAX_QUOTES:
        raise RecordRefused("too_many_quotes")
    for position, quote in enumerate(draft.quotes):
        quote.position = -1 - position  # clear of the unique positions while renumbering
    session.flush()
    for position, quote in enumerate(draft.quotes):
        quote.position = position
    if recommendation_ids is not None:
        _link(session, record, recommendation_ids)
    if translation_of is not None:
        record.translation_of_id = _original(session, record, translation_of)
    session.flush()
    audit.record(session, actor=actor, action="record.edit", target=f"record:{record.id}", now=now)
    return draft


def _link(session: Session, record: AdvisoryRecord, recommendation_ids: Sequence[int]) -> None:
    wanted = set(recommendation_ids)
    found = set(session.scalars(select(Recommendation.id).where(Recommendation.id.in_(wanted))))
    if found != wanted:
        raise RecordRefused("no_such_recommendation")
    record.links = [link for link in record.links if link.recommendation_id in wanted] + [
        RecordRecommendation(recommendation_id=rid)
        for rid in sorted(wanted - {link.recommendation_id for link in record.links})
    ]


def _original(session: Session, record: AdvisoryRecord, number: str) -> int | None:
    """The id of the published record `number` this one translates ("" for none)."""
    if not number.strip():
        return None
    original = session.scalar(
        select(AdvisoryRecord).where(AdvisoryRecord.number == number.strip().upper())
    )
    if original is None or original.id == record.id:
        raise RecordRefused("no_such_original")
    if original.locale == record.locale:
        raise RecordRefused("same_language")
    return original.id


def publish(session: Session, record: AdvisoryRecord, *, actor: Member, now: datetime) -> str:
    """Publish the draft revision: the first numbers the record, a later one is a correction
    (which needs its changelog). Returns the record's number."""
    draft = draft_of(session, record)
    if draft is None:
        raise RecordRefused("published")
    if record.withdrawn_on is not None:
        raise RecordRefused("withdrawn")
    if draft.number > 1 and not draft.changelog:
        raise RecordRefused("no_changelog")
    action = Action.CORRECT
    if record.number is None:
        number, serial = publishing.next_number(session, Published.RECORD, now.year)
        record.number, record.year, record.serial = number, now.year, serial
        action = Action.PUBLISH
    draft.published_at = now
    session.flush()
    audit.record(
        session, actor=actor, action=f"record.{action.value}", target=f"record:{record.id}", now=now
    )
    publishing.announce(
        session, Published.RECORD, record.number or "", action, now, revision=draft.number
    )
    return record.number or ""


def start_correction(
    session: Session, record: AdvisoryRecord, *, actor: Member, now: datetime
) -> RecordRevision:
    """A new draft revision, a copy of the published one, to correct."""
    if record.withdrawn_on is not None:
        raise RecordRefused("withdrawn")
    latest = _latest(session, record)
    if latest.published_at is None:
        return latest
    draft = RecordRevision(
        record_id=record.id,
        number=latest.number + 1,
        title=latest.title,
        summary=latest.summary,
        advice=latest.advice,
        changelog="",
    )
    draft.quotes = [
        RecordQuote(position=q.position, text=q.text, section=q.section, redacted_on=q.redacted_on)
        for q in latest.quotes
    ]
    session.add(draft)
    session.flush()
    audit.record(
        session, actor=actor, action="record.correction", target=f"record:{record.id}", now=now
    )
    return draft


def withdraw(
    session: Session, record: AdvisoryRecord, reason: str, *, actor: Member, now: datetime
) -> None:
    """The record's pages — each revision's too — become a tombstone: number, title, dates and
    this reason. Staff keep the text."""
    if record.number is None:
        raise RecordRefused("not_published")
    if record.withdrawn_on is not None:
        raise RecordRefused("withdrawn")
    record.withdrawal_reason = _clean(reason, MAX_REASON_CHARS, required=True)
    record.withdrawn_on = now.date()
    draft = draft_of(session, record)
    if draft is not None:
        session.delete(draft)
    session.flush()
    audit.record(
        session, actor=actor, action="record.withdraw", target=f"record:{record.id}", now=now
    )
    publishing.announce(session, Published.RECORD, record.number, Action.WITHDRAW, now)


# --------------------------------------------------------------------------- redaction


def quotes_within(session: Session, text: str) -> list[RecordQuote]:
    """Unredacted quotes whose words are found in `text` (a comment being hidden for
    identifying someone): each is to be redacted."""
    within = comparable(text)
    if not within:
        return []
    return [
        quote
        for quote in session.scalars(select(RecordQuote).where(RecordQuote.redacted_on.is_(None)))
        if comparable(quote.text) and comparable(quote.text) in within
    ]


def redact(
    session: Session, quote: RecordQuote, *, actor: Member, now: datetime
) -> list[RecordQuote]:
    """Remove the quote's words from every revision of every record that holds them, published
    ones included: a member's safety comes before the letter of a citation. Returns the quotes
    redacted."""
    return _redact_words(session, {comparable(quote.text)}, actor=actor, now=now)


def redact_within(
    session: Session, text: str, *, actor: Member, now: datetime
) -> list[RecordQuote]:
    """Redact every quote found in `text`, wherever its words stand."""
    words = {comparable(quote.text) for quote in quotes_within(session, text)}
    return _redact_words(session, words, actor=actor, now=now)


def _redact_words(
    session: Session, words: set[str], *, actor: Member, now: datetime
) -> list[RecordQuote]:
    """Empty every unredacted quote whose words are among `words`; one audit line and one
    outbox row per record touched."""
    words.discard("")
    found = [
        quote
        for quote in session.scalars(select(RecordQuote).where(RecordQuote.redacted_on.is_(None)))
        if comparable(quote.text) in words
    ]
    if not found:
        return []
    for quote in found:
        quote.text = ""
        quote.redacted_on = now.date()
    session.flush()
    touched = session.scalars(
        select(AdvisoryRecord)
        .join(RecordRevision, RecordRevision.record_id == AdvisoryRecord.id)
        .where(RecordRevision.id.in_({quote.revision_id for quote in found}))
        .distinct()
    ).all()
    for record in touched:
        audit.record(
            session, actor=actor, action="record.redact", target=f"record:{record.id}", now=now
        )
        if record.number:
            publishing.announce(session, Published.RECORD, record.number, Action.REDACT, now)
    return found


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class RecordPage:
    record: AdvisoryRecord
    revision: RecordRevision  # the one shown
    revisions: list[RecordRevision]  # the published ones, oldest first
    recommendations: list[Recommendation]
    original: AdvisoryRecord | None  # what this translates
    translations: list[AdvisoryRecord]  # records translating this one (or its original)

    @property
    def latest(self) -> bool:
        return self.revision.number == self.revisions[-1].number

    @property
    def withdrawn(self) -> bool:
        return self.record.withdrawn_on is not None


def page(session: Session, number: str, revision: int | None = None) -> RecordPage:
    """A published record as the public sees it: the latest revision, or the one asked for.
    NotFound for a draft, an unknown number or revision."""
    record = session.scalar(
        select(AdvisoryRecord)
        .where(AdvisoryRecord.number == number)
        .options(selectinload(AdvisoryRecord.revisions))
    )
    if record is None:
        raise NotFound(number)
    published = [r for r in record.revisions if r.published_at is not None]
    if not published:
        raise NotFound(number)
    shown = (
        published[-1]
        if revision is None
        else next((r for r in published if r.number == revision), None)
    )
    if shown is None:
        raise NotFound(f"{number}/v{revision}")
    return _page(session, record, shown, published)


def preview(session: Session, record: AdvisoryRecord, draft: RecordRevision) -> RecordPage:
    """The draft revision as the public will see it once published."""
    published = [r for r in record.revisions if r.published_at is not None]
    return _page(session, record, draft, [*published, draft])


def _page(
    session: Session,
    record: AdvisoryRecord,
    shown: RecordRevision,
    revisions: list[RecordRevision],
) -> RecordPage:
    recommendations = list(
        session.scalars(
            select(Recommendation)
            .join(RecordRecommendation, RecordRecommendation.recommendation_id == Recommendation.id)
            .where(
                RecordRecommendation.record_id == record.id,
                Recommendation.published_at.is_not(None),
            )
            .order_by(Recommendation.year, Recommendation.serial)
            .options(lazyload(Recommendation.regions))
        )
    )
    root = record.translation_of_id or record.id
    family = list(
        session.scalars(
            select(AdvisoryRecord).where(
                (AdvisoryRecord.id == root) | (AdvisoryRecord.translation_of_id == root),
                AdvisoryRecord.number.is_not(None),
                AdvisoryRecord.id != record.id,
            )
        )
    )
    original = next((r for r in family if r.id == record.translation_of_id), None)
    translations = [r for r in family if r.id != root]
    return RecordPage(record, shown, revisions, recommendations, original, translations)


def record_id_of(session: Session, quote: RecordQuote) -> int:
    return session.scalars(
        select(RecordRevision.record_id).where(RecordRevision.id == quote.revision_id)
    ).one()


def public_list(session: Session) -> list[tuple[AdvisoryRecord, RecordRevision]]:
    """Every published record (withdrawn ones too, as tombstones), newest first, with the
    revision that titles it: two queries."""
    return _titled(session.scalars(_newest_first()))


PAGE_SIZE = 50


@dataclass(frozen=True)
class RecordsPage:
    listed: list[tuple[AdvisoryRecord, RecordRevision]]
    page: int  # from 1; a page past the last is the last
    pages: int


def public_page(session: Session, page: int) -> RecordsPage:
    """One page of `public_list` (the list a reader browses; feeds and the API take it
    whole): three queries, whatever the number of records."""
    total = session.scalar(
        select(func.count()).select_from(AdvisoryRecord).where(AdvisoryRecord.number.is_not(None))
    )
    page, pages = page_of(total or 0, page, PAGE_SIZE)
    chosen = _newest_first().limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    return RecordsPage(_titled(session.scalars(chosen)), page, pages)


def _newest_first() -> Select[tuple[AdvisoryRecord]]:
    return (
        select(AdvisoryRecord)
        .where(AdvisoryRecord.number.is_not(None))
        .order_by(AdvisoryRecord.year.desc(), AdvisoryRecord.serial.desc())
        .options(selectinload(AdvisoryRecord.revisions))
    )


def _titled(
    records: Iterable[AdvisoryRecord],
) -> list[tuple[AdvisoryRecord, RecordRevision]]:
    """Each record with its latest published revision."""
    return [
        (record, [r for r in record.revisions if r.published_at is not None][-1])
        for record in records
    ]


def staff_list(session: Session) -> list[tuple[AdvisoryRecord, RecordRevision]]:
    records = list(
        session.scalars(
            select(AdvisoryRecord)
            .order_by(AdvisoryRecord.number.is_not(None), AdvisoryRecord.id.desc())
            .options(selectinload(AdvisoryRecord.revisions))
        )
    )
    return [(record, record.revisions[-1]) for record in records]


def get(session: Session, record_id: int) -> AdvisoryRecord:
    found = session.scalar(
        select(AdvisoryRecord)
        .where(AdvisoryRecord.id == record_id)
        .options(selectinload(AdvisoryRecord.revisions))
    )
    if found is None:
        raise NotFound("record")
    return found


def for_consultation(session: Session, consultation: Consultation) -> list[AdvisoryRecord]:
    """The published records made from a consultation, with their recommendations' ids."""
    return list(
        session.scalars(
            select(AdvisoryRecord)
            .where(
                AdvisoryRecord.consultation_id == consultation.id,
                AdvisoryRecord.number.is_not(None),
                AdvisoryRecord.withdrawn_on.is_(None),
            )
            .order_by(AdvisoryRecord.year, AdvisoryRecord.serial)
            .options(selectinload(AdvisoryRecord.revisions))
        )
    )


def published_on(record: AdvisoryRecord) -> date | None:
    first = next((r for r in record.revisions if r.published_at is not None), None)
    return first.published_at.date() if first and first.published_at else None


# --------------------------------------------------------------------------- outcomes


@dataclass(frozen=True)
class Outcome:
    """A published record made from a consultation, and where each of its recommendations
    stands: its current status and the latest step of its history."""

    record: AdvisoryRecord
    revision: RecordRevision  # the latest published
    recommendations: list[tuple[Recommendation, StatusChange | None]]


def outcomes(
    session: Session, *, published_only: bool = True, consultation_id: int | None = None
) -> list[tuple[Consultation, list[Outcome]]]:
    """Each consultation with records made from it (or only `consultation_id`), newest closing
    first, with what came of it: two queries whatever their number (a consultation's page
    counts them within its bound)."""
    query = (
        select(AdvisoryRecord)
        .join(Consultation, Consultation.id == AdvisoryRecord.consultation_id)
        .where(AdvisoryRecord.number.is_not(None), AdvisoryRecord.withdrawn_on.is_(None))
        .order_by(Consultation.closes_at.desc(), AdvisoryRecord.year, AdvisoryRecord.serial)
        .options(
            contains_eager(AdvisoryRecord.consultation),
            joinedload(AdvisoryRecord.revisions).lazyload(RecordRevision.quotes),
        )
    )
    if published_only:
        query = query.where(Consultation.published.is_(True))
    if consultation_id is not None:
        # A consultation's own page: it has loaded the consultation with its texts already.
        query = query.where(AdvisoryRecord.consultation_id == consultation_id).options(
            lazyload(AdvisoryRecord.consultation, Consultation.translations)
        )
    found = list(session.scalars(query).unique())
    if not found:
        return []
    latest = (
        select(StatusChange.id)
        .where(StatusChange.recommendation_id == Recommendation.id)
        .order_by(StatusChange.on.desc(), StatusChange.id.desc())
        .limit(1)
        .correlate(Recommendation)
        .scalar_subquery()
    )
    linked: dict[int, list[Recommendation]] = {}
    last: dict[int, StatusChange] = {}
    for record_id, rec, change in session.execute(
        select(RecordRecommendation.record_id, Recommendation, StatusChange)
        .join(Recommendation, Recommendation.id == RecordRecommendation.recommendation_id)
        .outerjoin(StatusChange, StatusChange.id == latest)
        .where(
            RecordRecommendation.record_id.in_([record.id for record in found]),
            Recommendation.published_at.is_not(None),
        )
        .order_by(Recommendation.year, Recommendation.serial)
        .options(lazyload(Recommendation.regions))
    ):
        linked.setdefault(record_id, []).append(rec)
        if change is not None:
            last[rec.id] = change
    result: dict[int, tuple[Consultation, list[Outcome]]] = {}
    for record in found:
        if record.consultation is None:  # joined above: never
            continue
        published = [r for r in record.revisions if r.published_at is not None]
        entry = result.setdefault(record.consultation.id, (record.consultation, []))
        entry[1].append(
            Outcome(
                record,
                published[-1],
                [(rec, last.get(rec.id)) for rec in linked.get(record.id, [])],
            )
        )
    return list(result.values())
