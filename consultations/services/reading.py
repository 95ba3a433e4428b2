"""What a reader sees of a consultation: the current version in their language, comments by
section, versions, and changes between versions — loaded in a bounded number of queries
whatever the size: the consultation with its published versions and every text of theirs in
other languages (`opened`, the page's first query, which reads the change stamp), then the
sections with their texts and the comments with the pseudonyms their authors chose to show
(`page`), or only the viewer's own comments (`own_comments`) where the page's shared part is
already rendered.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from consultations import drafts, permissions
from consultations.errors import NotFound
from consultations.models import (
    Comment,
    CommentStatus,
    Consultation,
    DocumentVersion,
    Member,
    Section,
    Status,
)
from consultations.services import consultations

NEWEST_PER_SECTION = 3  # on the consultation page; a section's own page shows all
# On the consultation page a comment longer than this shows its beginning, and each thread its
# number of replies: the page's weight stays bounded however long the comments (issue 15).
BRIEF_CHARACTERS = 200


def brief(text: str, limit: int = BRIEF_CHARACTERS) -> str:
    """`text`, or its beginning cut at a word's end with "…" when longer than `limit`."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.;:—-") + "…"


@dataclass
class Thread:
    comment: Comment
    author: str | None  # the pseudonym, when its author chose to show it
    replies: list[tuple[Comment, str | None]] = field(default_factory=list)
    # The day of its newest comment: "new since your last visit" is the reader's own to mark.
    latest: date | None = None


@dataclass
class ReadSection:
    key: str
    title: str
    body: str
    locale: str  # the language the text is shown in
    fallback: bool  # not in the reader's language: shown in the main language
    threads: list[Thread] = field(default_factory=list)

    @property
    def latest(self) -> date | None:
        return max((t.latest for t in self.threads if t.latest), default=None)


@dataclass
class Page:
    consultation: Consultation
    status: Status
    version: DocumentVersion | None
    versions: list[DocumentVersion]
    sections: list[ReadSection]
    general: list[Thread]
    removed: dict[str, list[Thread]]  # sections no longer in the current version, by key
    removed_titles: dict[str, str]
    # Every comment loaded, whoever may see it: the viewer's own are picked from here.
    everything: list[Comment] = field(default_factory=list)


def _threads(
    comments: list[Comment], viewer: Member | None, authors: dict[int, str]
) -> list[Thread]:
    def author_of(comment: Comment) -> str | None:
        if permissions.shows_author(viewer, comment):
            return authors.get(comment.author_id or 0)
        return None

    tops = [c for c in comments if c.parent_id is None]
    replies: dict[int, list[Comment]] = defaultdict(list)
    for comment in comments:
        if comment.parent_id is not None:
            replies[comment.parent_id].append(comment)
    threads = []
    for top in tops:
        thread = Thread(
            top,
            author_of(top),
            [(r, author_of(r)) for r in sorted(replies[top.id], key=lambda c: c.id)],
        )
        thread.latest = max([top.created_on, *(r.created_on for r in replies[top.id])])
        threads.append(thread)
    return threads


def opened(
    session: Session, public_id: str, *, viewer: Member | None, now: datetime
) -> Consultation:
    """The consultation as `viewer` may see it, with its translations and its published
    versions (and theirs) — one statement; NotFound if they may not (no existence oracle).
    A page's first query: it reads the change stamp that keys the page's rendered parts."""
    consultation = (
        session.execute(
            select(Consultation)
            .where(Consultation.public_id == public_id)
            .options(
                joinedload(Consultation.translations),
                joinedload(
                    Consultation.versions.and_(DocumentVersion.published_at.is_not(None))
                ).joinedload(DocumentVersion.translations),
            )
        )
        .unique()
        .scalar_one_or_none()
    )
    if consultation is None or not permissions.can_view(viewer, consultation, now):
        raise NotFound(public_id)
    return consultation


def published(consultation: Consultation) -> list[DocumentVersion]:
    """The versions `opened` loaded: the published ones, oldest first."""
    return list(consultation.versions)


def _with_sections(session: Session, versions: list[DocumentVersion]) -> None:
    """Every version's sections with their texts, in one statement."""
    by_version: dict[int, list[Section]] = {v.id: [] for v in versions}
    for section in session.scalars(
        select(Section)
        .where(Section.version_id.in_(by_version))
        .order_by(Section.position)
        .options(joinedload(Section.texts))
    ).unique():
        by_version[section.version_id].append(section)
    for version in versions:
        set_committed_value(version, "sections", by_version[version.id])


def page(
    session: Session,
    consultation: Consultation,
    *,
    viewer: Member | None,
    locale: str,
    now: datetime,
) -> Page:
    """The consultation (from `opened`) as `viewer` may see it: two statements more."""
    versions = published(consultation)
    _with_sections(session, versions)
    current = versions[-1] if versions else None
    everything, authors = _comments(session, Comment.consultation_id == consultation.id)
    comments = [c for c in everything if _may_see(viewer, c)]

    by_section: dict[str | None, list[Comment]] = defaultdict(list)
    for comment in comments:
        by_section[comment.section_key].append(comment)
    sections = []
    current_keys = set()
    for section in current.sections if current else []:
        current_keys.add(section.key)
        text = section.text_in(locale, consultation.main_locale)
        threads = _threads(by_section.get(section.key, []), viewer, authors)
        sections.append(
            ReadSection(
                key=section.key,
                title=text.title if text else "",
                body=text.body if text else "",
                locale=text.locale if text else consultation.main_locale,
                fallback=bool(text and text.locale != locale),
                threads=threads,
            )
        )
    removed: dict[str, list[Thread]] = {}
    removed_titles: dict[str, str] = {}
    for key, found in by_section.items():
        if key is not None and key not in current_keys:
            removed[key] = _threads(found, viewer, authors)
            removed_titles[key] = _last_title(versions, key, locale, consultation.main_locale)
    return Page(
        consultation=consultation,
        status=consultation.status(now),
        version=current,
        versions=versions,
        sections=sections,
        general=_threads(by_section.get(None, []), viewer, authors),
        removed=removed,
        removed_titles=removed_titles,
        everything=everything,
    )


def head(consultation: Consultation, now: datetime) -> Page:
    """The page without its sections and comments (what a page shows around its kept part):
    nothing more to load after `opened`."""
    versions = published(consultation)
    return Page(
        consultation=consultation,
        status=consultation.status(now),
        version=versions[-1] if versions else None,
        versions=versions,
        sections=[],
        general=[],
        removed={},
        removed_titles={},
    )


def version_is_new(current: DocumentVersion | None, since: date | None) -> bool:
    return bool(since and current and current.published_at and current.published_at.date() > since)


def own_comments(session: Session, consultation: Consultation, viewer: Member) -> list[Comment]:
    """The comments `viewer` wrote on the consultation, oldest first: one statement."""
    return list(
        session.scalars(
            select(Comment)
            .where(Comment.consultation_id == consultation.id, Comment.author_id == viewer.id)
            .order_by(Comment.id)
        )
    )


def _may_see(viewer: Member | None, comment: Comment) -> bool:
    return permissions.can_see_comment(viewer, comment) or _is_placeholder(comment)


def _comments(session: Session, where: ColumnElement[bool]) -> tuple[list[Comment], dict[int, str]]:
    """Every comment `where` picks, oldest first, and the pseudonyms that come with them — only
    those their authors chose to show. The caller keeps what its reader may see."""
    authors: dict[int, str] = {}
    comments = []
    for c, pseudonym in session.execute(
        select(Comment, Member.pseudonym)
        .outerjoin(Member, and_(Member.id == Comment.author_id, Comment.show_pseudonym.is_(True)))
        .where(where)
        .order_by(Comment.id)
    ):
        comments.append(c)
        if pseudonym is not None and c.author_id is not None:
            authors[c.author_id] = pseudonym
    return comments, authors


def thread(
    session: Session,
    public_id: str,
    comment_id: int,
    *,
    viewer: Member | None,
    now: datetime,
) -> tuple[Consultation, Thread]:
    """One top-level comment with its replies, as `viewer` may see them (the reply page):
    two queries. NotFound for a reply, or a comment the viewer may not see."""
    consultation = opened(session, public_id, viewer=viewer, now=now)
    everything, authors = _comments(
        session,
        and_(
            Comment.consultation_id == consultation.id,
            or_(Comment.id == comment_id, Comment.parent_id == comment_id),
        ),
    )
    comments = [c for c in everything if _may_see(viewer, c)]
    found = [t for t in _threads(comments, viewer, authors) if t.comment.id == comment_id]
    if not found:
        raise NotFound("comment")
    return consultation, found[0]


def _is_placeholder(comment: Comment) -> bool:
    """A deleted comment that has replies stays as "deleted" so the replies keep context."""
    return comment.status == CommentStatus.DELETED and comment.parent_id is None


def _last_title(versions: list[DocumentVersion], key: str, locale: str, main: str) -> str:
    for version in reversed(versions):
        for section in version.sections:
            if section.key == key:
                text = section.text_in(locale, main)
                return text.title if text else key
    return key


@dataclass(frozen=True)
class Change:
    key: str
    kind: str
    title: str
    old_body: str  # Markdown; the page renders the two and marks the words that changed
    new_body: str


def changes_between(page_data: Page, first: int, second: int, locale: str) -> list[Change]:
    """The readable diff between two published versions, section by section."""
    by_number = {v.number: v for v in page_data.versions}
    if first not in by_number or second not in by_number:
        raise NotFound("version")
    main = page_data.consultation.main_locale
    return _changes(
        _sections_of(by_number[first], locale, main), _sections_of(by_number[second], locale, main)
    )


def _sections_of(version: DocumentVersion, locale: str, main: str) -> list[drafts.DraftSection]:
    found = []
    for section in version.sections:
        text = section.text_in(locale, main)
        found.append(
            drafts.DraftSection(section.key, text.title if text else "", text.body if text else "")
        )
    return found


def _changes(old: list[drafts.DraftSection], new: list[drafts.DraftSection]) -> list[Change]:
    result = []
    for change in drafts.changes(old, new):
        old_title = change.old.title if change.old else ""
        new_title = change.new.title if change.new else ""
        result.append(
            Change(
                key=change.key,
                kind=change.kind,
                title=new_title or old_title,
                old_body=change.old.body if change.old else "",
                new_body=change.new.body if change.new else "",
            )
        )
    return result


@dataclass(frozen=True)
class DraftPreview:
    """The working draft as members will read it once published, and what it changes."""

    page: Page
    number: int  # the version it will be
    changes: list[Change]  # against the last published version; empty before the first


def draft_preview(
    session: Session, consultation: Consultation, *, locale: str, now: datetime
) -> DraftPreview:
    """Staff's preview of the working draft in `locale` (the main language where a section
    has no text in it), with no comments: they belong to published sections. Reads only: a
    GET must not make the working copy (`consultations.draft_as_it_stands`)."""
    number, texts = consultations.draft_as_it_stands(session, consultation)
    versions = consultations.published_versions(session, consultation)
    last = versions[-1] if versions else None
    main = consultation.main_locale
    sections = []
    for item in consultations.plan_sections(main, texts, last):
        shown = locale if locale in item.texts else main
        text = item.texts[shown]
        sections.append(
            ReadSection(
                key=item.key,
                title=text.title,
                body=text.body,
                locale=shown,
                fallback=shown != locale,
            )
        )
    page = Page(
        consultation=consultation,
        status=consultation.status(now),
        version=None,
        versions=versions,
        sections=sections,
        general=[],
        removed={},
        removed_titles={},
    )
    changes = []
    if last is not None:
        changes = _changes(
            _sections_of(last, locale, main),
            [drafts.DraftSection(s.key, s.title, s.body) for s in sections],
        )
    return DraftPreview(page=page, number=number, changes=changes)
