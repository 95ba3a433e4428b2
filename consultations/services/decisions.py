"""Decisions: staff write them (question, explanation, kind, options, dates, quorum), close them
early or give them more time; readers load them with their ballots in two queries; and a closed
decision's result is counted from its ballots.

A decision's options cannot change once the first ballot is cast. Its electorate — members with
the `member` role who are not disabled — is recounted whenever membership changes while it is
open, so at the moment it closes the number stops moving: turnout is frozen without a job.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from consultations import permissions, tally
from consultations.errors import KenesError, NotAllowed, NotFound
from consultations.languages import set_translations
from consultations.models import (
    Ballot,
    Consultation,
    Decision,
    DecisionKind,
    DecisionStatus,
    DecisionTranslation,
    Member,
    Option,
    OptionTranslation,
    ProposalAnswer,
    Role,
)
from consultations.models.decision import DEFAULT_MIN_BALLOTS, MAX_OPTIONS, MIN_OPTIONS
from consultations.pseudonyms import has_forbidden_characters
from consultations.services import audit

_ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
MAX_QUESTION_CHARS = 300
MAX_OPTION_CHARS = 200
MAX_EXPLANATION_CHARS = 10_000

KeyFor = Callable[[int], str]  # decision id → the viewer's ballot key (portal.security.ballots)


class DecisionRefused(KenesError):
    """The decision cannot be saved as written; `code` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class DecisionDetails:
    question: str
    explanation: str
    kind: DecisionKind
    options: Sequence[str]  # ignored for a proposal: agree / disagree / abstain
    max_choices: int | None  # multiple choice only
    opens_at: datetime
    closes_at: datetime
    quorum: int | None
    live_results: bool
    min_ballots: int = DEFAULT_MIN_BALLOTS  # counts are shown only from this many ballots
    # The question and explanation in the consultation's other languages, where written:
    # locale → {"question"|"explanation": text}…
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # …and the options there: locale → labels in the main language's order (or none).
    option_translations: Mapping[str, Sequence[str]] = field(default_factory=dict)


def _clean_labels(labels: Sequence[str]) -> list[str]:
    cleaned = [unicodedata.normalize("NFC", label).strip() for label in labels]
    cleaned = [label for label in cleaned if label]
    if len(cleaned) > MAX_OPTIONS:
        raise DecisionRefused("too_many_options")
    if any(len(label) > MAX_OPTION_CHARS for label in cleaned):
        raise DecisionRefused("option_too_long")
    if any(has_forbidden_characters(label) for label in cleaned):
        raise DecisionRefused("option_hidden_characters")
    if len({label.casefold() for label in cleaned}) != len(cleaned):
        raise DecisionRefused("duplicate_option")
    return cleaned


def _clean_options(details: DecisionDetails) -> list[str]:
    if details.kind == DecisionKind.PROPOSAL:
        return []
    options = _clean_labels(details.options)
    if len(options) < MIN_OPTIONS:
        raise DecisionRefused("too_few_options")
    return options


def _translated_options(details: DecisionDetails, count: int) -> dict[str, list[str]]:
    """locale → the options' labels there: all of them, in order, or none."""
    translated: dict[str, list[str]] = {}
    for locale, labels in details.option_translations.items():
        cleaned = _clean_labels(labels) if count else []
        if cleaned and len(cleaned) != count:
            raise DecisionRefused("option_translation_count")
        translated[locale] = cleaned
    return translated


def _check(details: DecisionDetails, options: list[str], now: datetime) -> None:
    if details.closes_at <= details.opens_at:
        raise DecisionRefused("closes_before_opens")
    if details.closes_at <= now:
        raise DecisionRefused("closes_in_the_past")
    if details.min_ballots < 1:
        raise DecisionRefused("min_ballots")
    if details.kind == DecisionKind.MULTIPLE and not (
        details.max_choices and 1 <= details.max_choices <= len(options)
    ):
        raise DecisionRefused("max_choices")


def _set_options(
    decision: Decision,
    kind: DecisionKind,
    options: list[str],
    translated: Mapping[str, list[str]],
) -> None:
    if kind == DecisionKind.PROPOSAL:
        for position, answer in enumerate(ProposalAnswer):
            decision.options.append(Option(position=position, label="", code=answer.value))
        return
    for position, label in enumerate(options):
        option = Option(position=position, label=label)
        option.translations = [
            OptionTranslation(locale=locale, label=labels[position])
            for locale, labels in translated.items()
            if labels
        ]
        decision.options.append(option)


def _apply(
    decision: Decision, details: DecisionDetails, options: list[str], main_locale: str
) -> None:
    decision.question = details.question.strip()
    decision.explanation = details.explanation.strip()
    set_translations(
        decision.translations,
        lambda locale: DecisionTranslation(locale=locale),
        {
            locale: {name: text.strip() for name, text in texts.items()}
            for locale, texts in details.translations.items()
        },
        main_locale,
    )
    decision.kind = details.kind
    decision.max_choices = details.max_choices if details.kind == DecisionKind.MULTIPLE else None
    decision.opens_at = details.opens_at
    decision.closes_at = details.closes_at
    decision.quorum = details.quorum
    decision.live_results = details.live_results
    decision.min_ballots = details.min_ballots


def _new_public_id(session: Session) -> str:
    while True:
        candidate = "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))
        if session.scalar(select(Decision.id).where(Decision.public_id == candidate)) is None:
            return candidate


def create(
    session: Session,
    consultation: Consultation,
    details: DecisionDetails,
    *,
    actor: Member,
    now: datetime,
) -> Decision:
    options = _clean_options(details)
    _check(details, options, now)
    decision = Decision(
        public_id=_new_public_id(session), consultation_id=consultation.id, created_at=now
    )
    translated = _translated_options(details, len(options))
    decision.options = []
    _apply(decision, details, options, consultation.main_locale)
    _set_options(decision, details.kind, options, translated)
    decision.electorate = eligible_voters(session)
    session.add(decision)
    session.flush()
    audit.record(
        session, actor=actor, action="decision.create", target=f"decision:{decision.id}", now=now
    )
    return decision


def update(
    session: Session, decision: Decision, details: DecisionDetails, *, actor: Member, now: datetime
) -> None:
    """Rewrite a decision — only before its first ballot: a ballot names options by position.

    The row is locked first, so a first ballot being cast either commits before this looks for
    ballots, or waits and then sees the new options (and refuses a paper it no longer
    matches)."""
    lock_for_update(session, decision.id)
    if has_ballots(session, decision):
        raise DecisionRefused("ballots_cast")
    if decision.status(now) == DecisionStatus.CLOSED:
        raise DecisionRefused("closed")
    options = _clean_options(details)
    translated = _translated_options(details, len(options))
    _check(details, options, now)
    main_locale = session.scalar(
        select(Consultation.main_locale).where(Consultation.id == decision.consultation_id)
    )
    _apply(decision, details, options, main_locale or "")
    decision.options.clear()
    session.flush()  # the old options go before new ones take their positions
    _set_options(decision, details.kind, options, translated)
    decision.electorate = eligible_voters(session)
    session.flush()
    audit.record(
        session, actor=actor, action="decision.edit", target=f"decision:{decision.id}", now=now
    )


def close_now(session: Session, decision: Decision, *, actor: Member, now: datetime) -> None:
    """End voting at this moment. Locks the decision row (PostgreSQL) so a ballot being cast
    either commits before the close or sees it; SQLite's write lock does the same."""
    locked = lock_for_update(session, decision.id)
    if locked.status(now) != DecisionStatus.OPEN:
        raise NotAllowed("not_open")
    locked.closes_at = now
    audit.record(
        session, actor=actor, action="decision.close", target=f"decision:{decision.id}", now=now
    )
    session.flush()


def extend(
    session: Session, decision: Decision, closes_at: datetime, *, actor: Member, now: datetime
) -> None:
    """Give an open (or upcoming) decision more time. A closed one stays closed: its result is
    frozen."""
    locked = lock_for_update(session, decision.id)
    if locked.status(now) == DecisionStatus.CLOSED:
        raise NotAllowed("closed")
    if closes_at <= max(now, locked.opens_at):
        raise NotAllowed("closes_in_the_past")
    locked.closes_at = closes_at
    audit.record(
        session, actor=actor, action="decision.extend", target=f"decision:{decision.id}", now=now
    )
    session.flush()


def lock_for_update(session: Session, decision_id: int, *, to_vote: bool = False) -> Decision:
    """The decision as it is now, its row locked FOR UPDATE (PostgreSQL; SQLite's BEGIN
    IMMEDIATE has already serialised the transaction). Staff changes and ballots alike take
    it: a ballot rewrites all of the decision's ballots (`ballots.cast`), so two ballots to one
    decision must not interleave, and a close or an edit waits for a ballot or is waited for."""
    query = (
        select(Decision)
        .where(Decision.id == decision_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if not to_vote:  # staff's changes read the options; a ballot reads them itself
        query = query.options(selectinload(Decision.options))
    return session.execute(query).scalar_one()


def eligible_voters(session: Session) -> int:
    """Members who may vote: the `member` role, not disabled."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Member)
            .where(Member.role == Role.MEMBER, Member.disabled.is_(False))
        )
        or 0
    )


def recount_electorate(session: Session, now: datetime) -> None:
    """Set every not-yet-closed decision's electorate to the members who may vote now.

    Called by every change to membership (joining, erasure, role, disabling): a closed decision
    keeps the number it had when it closed. The rows are locked in id order first, so two
    membership changes at once queue rather than deadlock."""
    open_ids = list(
        session.scalars(
            select(Decision.id)
            .where(Decision.closes_at > now)
            .order_by(Decision.id)
            .with_for_update()
        )
    )
    if not open_ids:
        return
    session.execute(
        sa.update(Decision)
        .where(Decision.id.in_(open_ids))
        .values(electorate=eligible_voters(session))
        .execution_options(synchronize_session=False)
    )
    for decision in session.identity_map.values():
        if isinstance(decision, Decision) and decision.id in open_ids:
            session.expire(decision, ["electorate"])


def has_ballots(session: Session, decision: Decision) -> bool:
    return (
        session.scalar(select(Ballot.decision_id).where(Ballot.decision_id == decision.id).limit(1))
        is not None
    )


def get(session: Session, consultation: Consultation, public_id: str) -> Decision:
    decision = session.scalar(
        select(Decision)
        .where(Decision.consultation_id == consultation.id, Decision.public_id == public_id)
        .options(selectinload(Decision.options))
    )
    if decision is None:
        raise NotFound(public_id)
    return decision


def ballot_count(session: Session, decision: Decision) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(Ballot).where(Ballot.decision_id == decision.id)
        )
        or 0
    )


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class OptionCount:
    option: Option
    votes: int
    percent: int  # of ballots, rounded


@dataclass(frozen=True)
class Results:
    ballots: int
    electorate: int
    turnout_percent: int | None  # None when nobody could vote
    quorum: int | None
    quorum_met: bool
    counts: list[OptionCount]
    runoff: tally.RunoffResult | None  # ranked choice only
    winner: Option | None
    final: bool  # the decision is closed: these numbers will not change


def quorum_met(decision: Decision, ballots: int) -> bool:
    """Whether the result stands: no quorum, or at least that many ballots."""
    return decision.quorum is None or ballots >= decision.quorum


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def count(decision: Decision, choices: Sequence[Sequence[int]], now: datetime) -> Results:
    """Count a decision's ballots (each a list of option positions). Pure: no query."""
    by_name = {str(option.position): option for option in decision.options}
    names = list(by_name)
    papers = [[str(position) for position in ballot] for ballot in choices]
    runoff = None
    if decision.kind == DecisionKind.RANKED:
        runoff = tally.instant_runoff(papers, names)
        votes = runoff.first_preferences
        winner = by_name.get(runoff.winner or "")
    else:
        votes = tally.count_choices(papers, names)
        winner = None
    ballots = len(choices)
    return Results(
        ballots=ballots,
        electorate=decision.electorate,
        turnout_percent=_percent(ballots, decision.electorate) if decision.electorate else None,
        quorum=decision.quorum,
        quorum_met=quorum_met(decision, ballots),
        counts=[
            OptionCount(by_name[name], votes[name], _percent(votes[name], ballots))
            for name in names
        ],
        runoff=runoff,
        winner=winner,
        final=decision.status(now) == DecisionStatus.CLOSED,
    )


# --------------------------------------------------------------------------- readers


def paper_of(options: Sequence[tuple[int, str | None, str]]) -> str:
    """A short fingerprint of the ballot paper — each option's (position, code, label) — sent
    with the form, so a ballot marked on a paper that staff have since rewritten is refused
    instead of counted for whatever now stands at that position."""
    text = json.dumps([list(option) for option in options], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class DecisionView:
    decision: Decision
    status: DecisionStatus
    own_choices: list[int] | None  # the viewer's current ballot, None if they have not voted
    can_vote: bool
    ballots: int | None  # the number of ballots, when the viewer may know it
    results: Results | None  # when the viewer may see them
    paper: str  # the ballot paper's fingerprint, sent back with a ballot
    # The viewer could see results but for the number of ballots, below the decision's
    # minimum; a closed decision then says only whether quorum was met.
    too_few: bool = False
    quorum_met: bool | None = None


def decode(choices: str) -> list[int]:
    return [int(position) for position in json.loads(choices)]


def for_consultation(
    session: Session,
    consultation: Consultation,
    *,
    viewer: Member | None,
    key_for: KeyFor | None,
    now: datetime,
    only: str | None = None,
) -> list[DecisionView]:
    """The consultation's decisions as `viewer` may see them, in two queries whatever their
    number: the decisions with their options and every text in other languages, then what of
    their ballots the page may need (`_ballots`; never who cast them). `key_for` recomputes
    the viewer's ballot keys; `only` picks one decision by id."""
    query = (
        select(Decision)
        .where(Decision.consultation_id == consultation.id)
        .order_by(Decision.opens_at, Decision.id)
        .options(
            joinedload(Decision.options).joinedload(Option.translations),
            joinedload(Decision.translations),
        )
    )
    if only is not None:
        query = query.where(Decision.public_id == only)
    found = list(session.scalars(query).unique())
    if not found:
        return []
    tallied, counted, own = _ballots(session, found, key_for, now)
    views = []
    for decision in found:
        number = counted.get(decision.id, 0)
        mine = own.get(decision.id)
        allowed = permissions.can_see_results(viewer, decision, now, voted=mine is not None)
        too_few = allowed and not permissions.enough_ballots(decision, number)
        may_see = allowed and not too_few
        status = decision.status(now)
        views.append(
            DecisionView(
                decision=decision,
                status=status,
                own_choices=decode(mine) if mine is not None else None,
                can_vote=permissions.can_vote(viewer, consultation, decision, now),
                ballots=number if may_see or permissions.can_see_ballot_count(viewer) else None,
                results=count(decision, [decode(c) for c in tallied[decision.id]], now)
                if may_see
                else None,
                paper=paper_of([(o.position, o.code, o.label) for o in decision.options]),
                too_few=too_few,
                quorum_met=quorum_met(decision, number)
                if too_few and status == DecisionStatus.CLOSED
                else None,
            )
        )
    return views


def _may_show_results(decision: Decision, now: datetime) -> bool:
    """Whether anyone may see this decision's result now: once it closes, or while it is open
    with live results (to those who voted)."""
    status = decision.status(now)
    return status == DecisionStatus.CLOSED or (
        decision.live_results and status == DecisionStatus.OPEN
    )


def _ballots(
    session: Session, found: Sequence[Decision], key_for: KeyFor | None, now: datetime
) -> tuple[dict[int, list[str]], dict[int, int], dict[int, str]]:
    """One statement for every decision's ballots: every ballot's choices only where a result
    may be shown; elsewhere their number, counted in SQL, and the viewer's own ballot, read by
    its key. Returns the choices to tally, the numbers of ballots and the viewer's choices."""
    shown = [d.id for d in found if _may_show_results(d, now)]
    hidden = [d.id for d in found if d.id not in shown]
    keys = {d.id: key_for(d.id) for d in found} if key_for is not None else {}
    kind = sa.literal_column("'all'").label("kind")
    parts = [
        select(
            kind, Ballot.decision_id, sa.literal(1).label("n"), Ballot.ballot_key, Ballot.choices
        ).where(Ballot.decision_id.in_(shown))
    ]
    if hidden:
        parts.append(
            select(
                sa.literal_column("'count'"),
                Ballot.decision_id,
                func.count(),
                sa.cast(sa.null(), Ballot.ballot_key.type),
                sa.cast(sa.null(), Ballot.choices.type),
            )
            .where(Ballot.decision_id.in_(hidden))
            .group_by(Ballot.decision_id)
        )
    if hidden and keys:
        parts.append(
            select(
                sa.literal_column("'own'"),
                Ballot.decision_id,
                sa.literal(0),
                Ballot.ballot_key,
                Ballot.choices,
            ).where(
                Ballot.decision_id.in_(hidden),
                Ballot.ballot_key.in_([keys[d] for d in hidden]),
            )
        )
    tallied: dict[int, list[str]] = {d.id: [] for d in found}
    counted: dict[int, int] = {}
    own: dict[int, str] = {}
    for row in session.execute(sa.union_all(*parts) if len(parts) > 1 else parts[0]):
        if row.kind == "count":
            counted[row.decision_id] = row.n
            continue
        if row.kind == "all":
            tallied[row.decision_id].append(row.choices)
            counted[row.decision_id] = counted.get(row.decision_id, 0) + 1
        if row.ballot_key is not None and row.ballot_key == keys.get(row.decision_id):
            own[row.decision_id] = row.choices
    return tallied, counted, own


def listing(session: Session, consultation: Consultation) -> list[tuple[Decision, int]]:
    """Staff's list: each decision with its number of ballots (never what they say)."""
    counts = dict(
        session.execute(
            select(Ballot.decision_id, func.count())
            .join(Decision, Decision.id == Ballot.decision_id)
            .where(Decision.consultation_id == consultation.id)
            .group_by(Ballot.decision_id)
        ).all()
    )
    decisions = session.scalars(
        select(Decision)
        .where(Decision.consultation_id == consultation.id)
        .order_by(Decision.opens_at, Decision.id)
    )
    return [(decision, counts.get(decision.id, 0)) for decision in decisions]
