"""Consultations: staff authoring (details, working draft per language, publishing versions,
dates) and what a reader loads — in a bounded number of queries."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from consultations import drafts
from consultations.errors import NotAllowed, NotFound
from consultations.languages import LOCALES, set_translations
from consultations.models import (
    Comment,
    CommentStatus,
    Consultation,
    ConsultationTranslation,
    DocumentVersion,
    Member,
    Section,
    SectionText,
    Status,
    VersionText,
    VersionTranslation,
)
from consultations.services import audit

_ID_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def _new_public_id(session: Session) -> str:
    while True:
        candidate = "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))
        if (
            session.scalar(select(Consultation.id).where(Consultation.public_id == candidate))
            is None
        ):
            return candidate


@dataclass(frozen=True)
class Details:
    # Title, summary and content note in the main language…
    title: str
    summary: str
    main_locale: str
    content_note: str
    opens_at: datetime
    closes_at: datetime
    premoderation: bool
    # …and in the others, where written: locale → {"title"|"summary"|"content_note": text}.
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def _apply(consultation: Consultation, details: Details) -> None:
    for name, value in details.__dict__.items():
        if name != "translations":
            setattr(consultation, name, value)
    set_translations(
        consultation.translations,
        lambda locale: ConsultationTranslation(locale=locale),
        details.translations,
        details.main_locale,
    )


def create(session: Session, details: Details, *, actor: Member, now: datetime) -> Consultation:
    _check_dates(details)
    consultation = Consultation(public_id=_new_public_id(session), created_at=now)
    _apply(consultation, details)
    session.add(consultation)
    session.flush()
    session.add(DocumentVersion(consultation_id=consultation.id, number=1))
    audit.record(
        session,
        actor=actor,
        action="consultation.create",
        target=f"consultation:{consultation.id}",
        now=now,
    )
    session.flush()
    return consultation


def update(
    session: Session, consultation: Consultation, details: Details, *, actor: Member, now: datetime
) -> None:
    _check_dates(details)
    _apply(consultation, details)
    audit.record(
        session,
        actor=actor,
        action="consultation.edit",
        target=f"consultation:{consultation.id}",
        now=now,
    )
    session.flush()


def _check_dates(details: Details) -> None:
    if details.closes_at <= details.opens_at:
        raise NotAllowed("closes_before_opens")


def get(session: Session, public_id: str) -> Consultation:
    found = session.scalar(select(Consultation).where(Consultation.public_id == public_id))
    if found is None:
        raise NotFound(public_id)
    return found


def working_copy(session: Session, consultation: Consultation) -> DocumentVersion:
    """The unpublished version staff edit; made from the latest published one if needed."""
    versions = list(
        session.scalars(
            select(DocumentVersion)
            .where(DocumentVersion.consultation_id == consultation.id)
            .order_by(DocumentVersion.number)
            .options(selectinload(DocumentVersion.texts))
        )
    )
    if versions and versions[-1].published_at is None:
        return versions[-1]
    latest = versions[-1] if versions else None
    copy = DocumentVersion(
        consultation_id=consultation.id, number=(latest.number + 1) if latest else 1
    )
    session.add(copy)
    session.flush()
    if latest is not None:
        for text in latest.texts:
            session.add(VersionText(version_id=copy.id, locale=text.locale, source=text.source))
        session.flush()
    return copy


def draft_as_it_stands(session: Session, consultation: Consultation) -> tuple[int, dict[str, str]]:
    """The working copy's number and texts, without starting one: a GET writes nothing.

    A new working copy starts as a copy of the latest version, so the latest version's texts
    are what staff will edit either way.
    """
    latest = session.scalar(
        select(DocumentVersion)
        .where(DocumentVersion.consultation_id == consultation.id)
        .order_by(DocumentVersion.number.desc())
        .limit(1)
    )
    if latest is None:
        return 1, {}
    number = latest.number if latest.published_at is None else latest.number + 1
    return number, draft_texts(session, latest)


def by_ids(session: Session, ids: set[int]) -> dict[int, Consultation]:
    if not ids:
        return {}
    return {c.id: c for c in session.scalars(select(Consultation).where(Consultation.id.in_(ids)))}


def draft_texts(session: Session, version: DocumentVersion) -> dict[str, str]:
    return {
        t.locale: t.source
        for t in session.scalars(select(VersionText).where(VersionText.version_id == version.id))
    }


def save_draft(session: Session, version: DocumentVersion, texts: Mapping[str, str]) -> None:
    """Replace the working copy's text in each language given (empty text removes it)."""
    if version.published_at is not None:
        raise NotAllowed("version_published")
    existing = {
        t.locale: t
        for t in session.scalars(select(VersionText).where(VersionText.version_id == version.id))
    }
    for locale in LOCALES:
        source = (texts.get(locale) or "").strip()
        if locale in existing and not source:
            session.delete(existing[locale])
        elif locale in existing:
            existing[locale].source = source
        elif source:
            session.add(VersionText(version_id=version.id, locale=locale, source=source))
    session.flush()


def published_versions(session: Session, consultation: Consultation) -> list[DocumentVersion]:
    return list(
        session.scalars(
            select(DocumentVersion)
            .where(
                DocumentVersion.consultation_id == consultation.id,
                DocumentVersion.published_at.is_not(None),
            )
            .order_by(DocumentVersion.number)
            .options(selectinload(DocumentVersion.sections).selectinload(Section.texts))
        )
    )


def _draft_sections(version: DocumentVersion | None, locale: str) -> list[drafts.DraftSection]:
    if version is None:
        return []
    return [
        drafts.DraftSection(s.key, text.title, text.body)
        for s in version.sections
        if (text := s.text_in(locale, locale)) is not None
    ]


@dataclass(frozen=True)
class PlannedSection:
    """A section as publishing would make it: its key, and its text in each language."""

    key: str
    texts: dict[str, drafts.DraftSection]


def plan_sections(
    main_locale: str, texts: dict[str, str], last: DocumentVersion | None
) -> list[PlannedSection]:
    """The sections the draft `texts` make, as `publish` writes them and a preview shows them.

    The main language decides the keys, carried over from the `last` published version; the
    other languages' sections are matched to them by key (explicit `{#key}`), heading or
    position, so a member reading Kazakh and one reading Russian comment on the same section.
    """
    main = texts.get(main_locale)
    if not main:
        return []
    main_sections = drafts.assign_keys(main, _draft_sections(last, main_locale))
    planned = [PlannedSection(s.key, {main_locale: s}) for s in main_sections]
    for locale, source in texts.items():
        if locale == main_locale or not source:
            continue
        translated = drafts.assign_keys(source, main_sections)
        by_key = {s.key: s for s in translated}
        for position, item in enumerate(planned):
            match = by_key.get(item.key)
            if match is None and position < len(translated):
                match = translated[position]  # same place, different heading: a translation
            if match is not None:
                item.texts[locale] = match
    return planned


def publish(
    session: Session,
    consultation: Consultation,
    version: DocumentVersion,
    *,
    changelog: str,
    changelog_translations: Mapping[str, str] | None = None,
    actor: Member,
    now: datetime,
) -> DocumentVersion:
    """Split the working copy into sections whose keys carry over from the last version
    (`plan_sections`)."""
    texts = draft_texts(session, version)
    if not texts.get(consultation.main_locale):
        raise NotAllowed("no_main_text")
    previous = published_versions(session, consultation)
    planned = plan_sections(consultation.main_locale, texts, previous[-1] if previous else None)
    for position, item in enumerate(planned):
        row = Section(version_id=version.id, key=item.key, position=position)
        session.add(row)
        session.flush()
        for locale, text in item.texts.items():
            session.add(
                SectionText(section_id=row.id, locale=locale, title=text.title, body=text.body)
            )
    version.changelog = changelog.strip()
    set_translations(
        version.translations,
        lambda locale: VersionTranslation(locale=locale),
        {
            locale: {"changelog": text.strip()}
            for locale, text in (changelog_translations or {}).items()
        },
        consultation.main_locale,
    )
    version.published_at = now
    consultation.published = True
    audit.record(
        session,
        actor=actor,
        action="consultation.publish",
        target=f"consultation:{consultation.id}:v{version.number}",
        now=now,
    )
    session.flush()
    return version


def close_now(
    session: Session, consultation: Consultation, *, actor: Member, now: datetime
) -> None:
    if consultation.status(now) != Status.OPEN:
        raise NotAllowed("not_open")
    consultation.closes_at = now
    audit.record(
        session,
        actor=actor,
        action="consultation.close",
        target=f"consultation:{consultation.id}",
        now=now,
    )
    session.flush()


def extend(
    session: Session,
    consultation: Consultation,
    closes_at: datetime,
    *,
    actor: Member,
    now: datetime,
) -> None:
    if closes_at <= max(now, consultation.opens_at):
        raise NotAllowed("closes_in_the_past")
    consultation.closes_at = closes_at
    audit.record(
        session,
        actor=actor,
        action="consultation.extend",
        target=f"consultation:{consultation.id}",
        now=now,
    )
    session.flush()


def set_archived(
    session: Session, consultation: Consultation, archived: bool, *, actor: Member, now: datetime
) -> None:
    if archived and consultation.status(now) != Status.CLOSED:
        raise NotAllowed("not_closed")
    consultation.archived = archived
    audit.record(
        session,
        actor=actor,
        action="consultation.archive" if archived else "consultation.unarchive",
        target=f"consultation:{consultation.id}",
        now=now,
    )
    session.flush()


@dataclass(frozen=True)
class Listed:
    consultation: Consultation
    status: Status
    sections: int
    comments: int


def listing(
    session: Session, now: datetime, *, include_drafts: bool, include_archived: bool
) -> list[Listed]:
    """Consultations with their counts of sections (current version) and visible comments."""
    query = select(Consultation).order_by(Consultation.closes_at.desc())
    if not include_drafts:
        query = query.where(Consultation.published.is_(True))
    if not include_archived:
        query = query.where(Consultation.archived.is_(False))
    found = list(session.scalars(query))
    ids = [c.id for c in found]
    comment_counts = (
        dict(
            session.execute(
                select(Comment.consultation_id, func.count())
                .where(Comment.consultation_id.in_(ids), Comment.status == CommentStatus.VISIBLE)
                .group_by(Comment.consultation_id)
            ).all()
        )
        if ids
        else {}
    )
    latest = (
        select(DocumentVersion.consultation_id, func.max(DocumentVersion.number).label("number"))
        .where(DocumentVersion.published_at.is_not(None), DocumentVersion.consultation_id.in_(ids))
        .group_by(DocumentVersion.consultation_id)
        .subquery()
    )
    section_counts = (
        dict(
            session.execute(
                select(DocumentVersion.consultation_id, func.count(Section.id))
                .join(
                    latest,
                    (latest.c.consultation_id == DocumentVersion.consultation_id)
                    & (latest.c.number == DocumentVersion.number),
                )
                .join(Section, Section.version_id == DocumentVersion.id)
                .group_by(DocumentVersion.consultation_id)
            ).all()
        )
        if ids
        else {}
    )
    return [
        Listed(c, c.status(now), section_counts.get(c.id, 0), comment_counts.get(c.id, 0))
        for c in found
    ]
