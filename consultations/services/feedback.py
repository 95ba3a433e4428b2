"""The staff's feedback workspace (issue 12): every comment and meeting note of a consultation in
one place, grouped by section key across versions and languages, filtered, coded into themes,
counted, and exported for offline analysis.

Filtering by text happens here, over the consultation's comments already loaded for grouping,
with Unicode case folding: SQLite's LIKE folds ASCII letters only, so «Ребёнок» would not find
«ребёнок» there. Survivor text never enters any search index. The filtered list is then cut
into pages (`listing`), also in memory: the counts stay those of everything filtered, and the
queries are the same for the first page of seven comments as for the last of three thousand.

The export is what an analyst needs and no more: section, stance, themes, date, text and a
label drawn afresh for every row of every export — no pseudonym, no comment or account id, and
only comments members can see (nothing pending, hidden, deleted or removed).
"""

from __future__ import annotations

import secrets
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from consultations.errors import KenesError, NotFound
from consultations.models import (
    Comment,
    CommentStatus,
    CommentTheme,
    Consultation,
    DocumentVersion,
    Member,
    Report,
    ReportReason,
    Stance,
    Theme,
)
from consultations.models.theme import MAX_THEME_CHARS, MAX_THEMES
from consultations.paging import page_of
from consultations.pseudonyms import has_forbidden_characters
from consultations.services import audit, consultations

# What the workspace lists: what has text. Deleted and removed comments have none left.
LISTED = (CommentStatus.VISIBLE, CommentStatus.PENDING, CommentStatus.HIDDEN)
MAX_QUERY_CHARS = 200
# Comments listed on one page of the workspace: enough to code in one sitting, and a page a phone
# receives in one go (issue 15: at most 25 KB gzipped) whatever the consultation's size.
PAGE_SIZE = 50


class ThemeRefused(KenesError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Filters:
    stance: Stance | None = None
    theme_id: int | None = None
    version: int | None = None
    status: CommentStatus | None = None
    text: str = ""
    section: str | None = None  # a section key; "" the whole draft; None every section


@dataclass(frozen=True)
class Item:
    comment: Comment
    themes: list[Theme]
    # Hidden after a report that it could identify someone: listed, never exported or quoted.
    identifying: bool


@dataclass(frozen=True)
class Group:
    key: str | None  # None: the whole draft
    title: str  # the section's latest title in the main language ("" for the whole draft)
    items: list[Item]
    count: int  # how many the filters let through in this section, on every page


@dataclass(frozen=True)
class StanceCounts:
    by_stance: dict[Stance, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_stance.values())


@dataclass(frozen=True)
class Workspace:
    """Everything listed, before any filter."""

    themes: list[Theme]
    versions: list[int]  # the versions comments were written on
    items: list[Item]
    titles: dict[str, str]  # section key → its latest title in the main language
    order: list[str]  # section keys in the latest version's order

    def uses(self, theme: Theme) -> int:
        return sum(1 for item in self.items if theme in item.themes)

    def sections(self) -> list[tuple[str | None, str]]:
        """(key, title) of each section with something listed, in the order `narrow` groups
        them: the draft's order, sections no longer in it after, the whole draft (None) last."""
        keys = _ordered({item.comment.section_key for item in self.items}, self.order)
        return [(key, self.titles.get(key, key) if key else "") for key in keys]


@dataclass(frozen=True)
class Narrowed:
    """What the filters let through, grouped by section, and counted."""

    groups: list[Group]
    shown: int
    total: int
    by_theme: list[tuple[str, StanceCounts]]  # by theme name
    by_section: list[tuple[str, StanceCounts]]  # by section title ("": the whole draft)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _titles(versions: list[DocumentVersion], main_locale: str) -> dict[str, str]:
    """Each section key's latest title in the main language (or another it was written in)."""
    titles: dict[str, str] = {}
    for version in versions:
        for section in version.sections:
            text = section.text_in(main_locale, main_locale) or next(iter(section.texts), None)
            if text is not None and text.title:
                titles[section.key] = text.title
    return titles


def section_titles(session: Session, consultation: Consultation) -> dict[str, str]:
    """Each section key's latest title in the consultation's main language."""
    versions = consultations.published_versions(session, consultation)
    return _titles(versions, consultation.main_locale)


def themes_of(session: Session, consultation: Consultation) -> list[Theme]:
    return list(
        session.scalars(
            select(Theme).where(Theme.consultation_id == consultation.id).order_by(Theme.name)
        )
    )


def _identifying(session: Session, comment_ids: Iterable[int]) -> set[int]:
    ids = list(comment_ids)
    if not ids:
        return set()
    return set(
        session.scalars(
            select(Report.comment_id).where(
                Report.comment_id.in_(ids), Report.reason == ReportReason.IDENTIFYING
            )
        )
    )


def load(session: Session, consultation: Consultation) -> Workspace:
    """The consultation's listed comments with their themes, in a fixed number of queries."""
    themes = themes_of(session, consultation)
    by_id = {theme.id: theme for theme in themes}
    comments = list(
        session.scalars(
            select(Comment)
            .where(Comment.consultation_id == consultation.id, Comment.status.in_(LISTED))
            .order_by(Comment.created_on, Comment.id)
        )
    )
    tags: dict[int, list[Theme]] = defaultdict(list)
    for comment_id, theme_id in session.execute(
        select(CommentTheme.comment_id, CommentTheme.theme_id)
        .join(Theme, Theme.id == CommentTheme.theme_id)
        .where(Theme.consultation_id == consultation.id)
    ):
        tags[comment_id].append(by_id[theme_id])
    identifying = _identifying(
        session, (c.id for c in comments if c.status == CommentStatus.HIDDEN)
    )
    versions = consultations.published_versions(session, consultation)
    return Workspace(
        themes=themes,
        versions=sorted({c.version_number for c in comments}),
        items=[
            Item(c, sorted(tags[c.id], key=lambda t: t.name), c.id in identifying) for c in comments
        ],
        titles=_titles(versions, consultation.main_locale),
        order=[section.key for section in versions[-1].sections] if versions else [],
    )


def _ordered(present: set[str | None], order: list[str]) -> list[str | None]:
    keys: list[str | None] = [key for key in order if key in present]
    keys += sorted(key for key in present if key is not None and key not in order)
    if None in present:
        keys.append(None)
    return keys


def _matches(item: Item, filters: Filters, folded_query: str) -> bool:
    comment = item.comment
    return (
        (filters.section is None or (comment.section_key or "") == filters.section)
        and (filters.stance is None or comment.stance == filters.stance)
        and (filters.version is None or comment.version_number == filters.version)
        and (filters.status is None or comment.status == filters.status)
        and (filters.theme_id is None or any(t.id == filters.theme_id for t in item.themes))
        and (not folded_query or folded_query in _fold(comment.text))
    )


def _stance_counts(items: Iterable[Item]) -> StanceCounts:
    counted = Counter(item.comment.stance for item in items)
    return StanceCounts({stance: counted.get(stance, 0) for stance in Stance})


def narrow(page: Workspace, filters: Filters) -> Narrowed:
    """The comments the filters let through, by section in the draft's order (sections no
    longer in the draft after them, the whole draft last), with their counts. No query."""
    folded = _fold(filters.text.strip())
    shown = [item for item in page.items if _matches(item, filters, folded)]
    grouped: dict[str | None, list[Item]] = defaultdict(list)
    for item in shown:
        grouped[item.comment.section_key].append(item)
    groups = [
        Group(key, page.titles.get(key, key) if key else "", grouped[key], len(grouped[key]))
        for key in _ordered(set(grouped), page.order)
    ]
    return Narrowed(
        groups=groups,
        shown=len(shown),
        total=len(page.items),
        by_theme=[
            (theme.name, _stance_counts(i for i in shown if theme in i.themes))
            for theme in page.themes
        ],
        by_section=[(group.title, _stance_counts(group.items)) for group in groups],
    )


@dataclass(frozen=True)
class Listing:
    """One page of what the filters let through, still grouped by section."""

    groups: list[Group]  # a section cut by the page keeps its `count` on every page
    number: int  # this page, from 1
    pages: int  # at least 1


def listing(narrowed: Narrowed, number: int, size: int = PAGE_SIZE) -> Listing:
    """Page `number` of the narrowed list; a number past the last gives the last page (the
    list a coder comes back to may have shrunk under a theme filter). No query."""
    number, pages = page_of(narrowed.shown, number, size)
    start, end = (number - 1) * size, number * size
    groups, position = [], 0
    for group in narrowed.groups:
        first, position = position, position + len(group.items)
        if position > start and first < end:
            cut = group.items[max(start - first, 0) : end - first]
            groups.append(Group(group.key, group.title, cut, group.count))
    return Listing(groups, number, pages)


# --------------------------------------------------------------------------- themes


def _theme(session: Session, consultation: Consultation, theme_id: int) -> Theme:
    theme = session.get(Theme, theme_id)
    if theme is None or theme.consultation_id != consultation.id:
        raise NotFound("theme")
    return theme


def add_theme(
    session: Session, consultation: Consultation, name: str, *, actor: Member, now: datetime
) -> Theme:
    cleaned = " ".join(unicodedata.normalize("NFC", name).split())
    if not cleaned:
        raise ThemeRefused("empty")
    if len(cleaned) > MAX_THEME_CHARS:
        raise ThemeRefused("too_long")
    if has_forbidden_characters(cleaned):
        raise ThemeRefused("control")
    existing = themes_of(session, consultation)
    if any(_fold(theme.name) == _fold(cleaned) for theme in existing):
        raise ThemeRefused("duplicate")
    if len(existing) >= MAX_THEMES:
        raise ThemeRefused("too_many")
    theme = Theme(consultation_id=consultation.id, name=cleaned)
    session.add(theme)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="feedback.theme_add",
        target=f"consultation:{consultation.id}:theme:{theme.id}",
        now=now,
    )
    return theme


def delete_theme(
    session: Session, consultation: Consultation, theme_id: int, *, actor: Member, now: datetime
) -> str:
    """The theme goes, and with it its tags; the comments stay as they were. Returns its name."""
    theme = _theme(session, consultation, theme_id)
    session.execute(delete(CommentTheme).where(CommentTheme.theme_id == theme.id))
    session.delete(theme)
    audit.record(
        session,
        actor=actor,
        action="feedback.theme_delete",
        target=f"consultation:{consultation.id}:theme:{theme_id}",
        now=now,
    )
    session.flush()
    return theme.name


def tag(
    session: Session,
    consultation: Consultation,
    comment_ids: Sequence[int],
    theme_ids: Sequence[int],
    *,
    add: bool,
    actor: Member,
    now: datetime,
) -> int:
    """Give the comments these themes (`add`) or take them away; returns how many tags changed.
    Comments and themes of another consultation are refused as not found."""
    if not comment_ids:
        raise ThemeRefused("no_comments")
    if not theme_ids:
        raise ThemeRefused("no_themes")
    wanted_comments = set(comment_ids)
    found = set(
        session.scalars(
            select(Comment.id).where(
                Comment.id.in_(wanted_comments),
                Comment.consultation_id == consultation.id,
                Comment.status.in_(LISTED),
            )
        )
    )
    themes = {theme.id for theme in themes_of(session, consultation)}
    if found != wanted_comments or not set(theme_ids) <= themes:
        raise NotFound("comment")
    existing = {
        (comment_id, theme_id)
        for comment_id, theme_id in session.execute(
            select(CommentTheme.comment_id, CommentTheme.theme_id).where(
                CommentTheme.comment_id.in_(found), CommentTheme.theme_id.in_(theme_ids)
            )
        )
    }
    pairs = {(comment_id, theme_id) for comment_id in found for theme_id in set(theme_ids)}
    if add:
        changed = sorted(pairs - existing)
        session.add_all(CommentTheme(comment_id=c, theme_id=t) for c, t in changed)
    else:
        changed = sorted(pairs & existing)
        for comment_id, theme_id in changed:
            session.execute(
                delete(CommentTheme).where(
                    CommentTheme.comment_id == comment_id, CommentTheme.theme_id == theme_id
                )
            )
    audit.record(
        session,
        actor=actor,
        action="feedback.tag" if add else "feedback.untag",
        target=f"consultation:{consultation.id}",
        now=now,
    )
    session.flush()
    return len(changed)


# --------------------------------------------------------------------------- export


@dataclass(frozen=True)
class ExportRow:
    label: str  # random, new with every export
    section: str  # the section's title, or "" for the whole draft
    stance: Stance
    themes: list[str]
    on: date
    text: str
    from_meeting: bool


def export_rows(
    session: Session, consultation: Consultation, *, actor: Member, now: datetime
) -> list[ExportRow]:
    """What members can see of the consultation's feedback, for offline analysis. Audited."""
    visible = narrow(load(session, consultation), Filters(status=CommentStatus.VISIBLE))
    labels: set[str] = set()
    rows = []
    for group in visible.groups:
        for item in group.items:
            label = secrets.token_hex(4)
            while label in labels:
                label = secrets.token_hex(4)
            labels.add(label)
            rows.append(
                ExportRow(
                    label=label,
                    section=group.title,
                    stance=item.comment.stance,
                    themes=[theme.name for theme in item.themes],
                    on=item.comment.created_on,
                    text=item.comment.text,
                    from_meeting=item.comment.meeting_id is not None,
                )
            )
    audit.record(
        session,
        actor=actor,
        action="feedback.export",
        target=f"consultation:{consultation.id}",
        now=now,
    )
    session.flush()
    return rows
