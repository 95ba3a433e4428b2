"""What the index holds of each published thing, read from the database (issue 14).

A *document* is the latest published revision of a record that is not withdrawn, or a
published recommendation — nothing else: no draft, no tombstone, no comment, no member. Its
text is plain (the Markdown's words without its marks), each piece under the language it is
written in: a record's title, summary, advice and the quotes it keeps (a redacted quote has no
text left to give); a recommendation's title and text, and its addressee's name in each of
the three languages. Facets: kind, status (recommendations), addressee and region (a record
takes those of the published recommendations it makes), year, language.

Loading is in bulk — a fixed number of queries per batch of numbers, whatever its size — for
the catch-up, the rebuild and the result list alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from markdown_it import MarkdownIt
from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload, selectinload

from consultations.languages import LOCALES
from consultations.models import (
    AdvisoryRecord,
    Published,
    Recommendation,
    RecommendationRegion,
    RecommendationStatus,
    RecordRecommendation,
)

BATCH = 500
_markdown = MarkdownIt("commonmark", {"html": False})


def plain_text(markdown: str) -> str:
    """The words of a Markdown text, one block per line: no marks, no markup. Raw HTML in the
    source stays as the characters it is (`<script>` is seven characters of text)."""
    blocks: list[str] = []
    for token in _markdown.parse(markdown):
        if token.type == "inline":
            blocks.append(
                "".join(
                    child.content if child.type in ("text", "code_inline") else " "
                    for child in token.children or []
                    if child.type in ("text", "code_inline", "softbreak", "hardbreak")
                )
            )
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content)
    return "\n".join(block.strip() for block in blocks if block.strip())


@dataclass(frozen=True)
class Document:
    kind: Published
    number: str
    locale: str
    title: str
    # language → the plain texts written in it
    texts: dict[str, list[str]]
    year: int
    published: datetime  # first published
    revision: int | None = None  # a record's latest published revision
    status: RecommendationStatus | None = None  # a recommendation's
    addressees: frozenset[int] = field(default_factory=frozenset)
    regions: frozenset[str] = field(default_factory=frozenset)

    @property
    def key(self) -> str:
        return key_of(self.kind, self.number)

    @property
    def body(self) -> str:
        """Its main text, in its own language (what a result's snippet is cut from)."""
        return "\n".join(self.texts.get(self.locale, []))


def key_of(kind: Published, number: str) -> str:
    return f"{kind.value}:{number}"


def _batches(numbers: Iterable[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for number in numbers:
        batch.append(number)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def records(
    session: Session, numbers: Iterable[str], *, facets: bool = True
) -> dict[str, Document | None]:
    """Each record's document, or None where it has none (a draft, withdrawn, unknown): four
    queries per batch (records, their revisions, their quotes, what they recommend), three
    without the facets (a result list, which shows none)."""
    found: dict[str, Document | None] = {}
    for batch in _batches(numbers):
        found.update(dict.fromkeys(batch))
        loaded = list(
            session.scalars(
                select(AdvisoryRecord)
                .where(AdvisoryRecord.number.in_(batch), AdvisoryRecord.withdrawn_on.is_(None))
                .options(selectinload(AdvisoryRecord.revisions))
            )
        )
        linked = _record_facets(session, [record.id for record in loaded]) if facets else {}
        for record in loaded:
            published = [r for r in record.revisions if r.published_at is not None]
            if not published or record.number is None or record.year is None:
                continue
            latest = published[-1]
            texts = [latest.summary, plain_text(latest.advice)]
            texts += [quote.text for quote in latest.quotes if quote.text]
            addressees, regions = linked.get(record.id, (set(), set()))
            found[record.number] = Document(
                kind=Published.RECORD,
                number=record.number,
                locale=record.locale,
                title=latest.title,
                texts={record.locale: [text for text in texts if text]},
                year=record.year,
                published=published[0].published_at or latest.published_at,  # type: ignore[arg-type]
                revision=latest.number,
                addressees=frozenset(addressees),
                regions=frozenset(regions),
            )
    return found


def _record_facets(
    session: Session, record_ids: Sequence[int]
) -> dict[int, tuple[set[int], set[str]]]:
    """Each record's addressees and regions: those of the published recommendations it makes."""
    facets: dict[int, tuple[set[int], set[str]]] = defaultdict(lambda: (set(), set()))
    if not record_ids:
        return facets
    rows = session.execute(
        select(
            RecordRecommendation.record_id,
            Recommendation.addressee_id,
            RecommendationRegion.region,
        )
        .join(Recommendation, Recommendation.id == RecordRecommendation.recommendation_id)
        .outerjoin(
            RecommendationRegion, RecommendationRegion.recommendation_id == Recommendation.id
        )
        .where(
            RecordRecommendation.record_id.in_(record_ids),
            Recommendation.published_at.is_not(None),
        )
    )
    for record_id, addressee_id, region in rows:
        addressees, regions = facets[record_id]
        addressees.add(addressee_id)
        if region is not None:
            regions.add(region.value)
    return facets


def recommendations(
    session: Session, numbers: Iterable[str], *, facets: bool = True
) -> dict[str, Document | None]:
    """Each recommendation's document, or None where it has none (a draft, unknown): two
    queries per batch (with their addressees; their regions), one without the facets."""
    found: dict[str, Document | None] = {}
    regions = [] if facets else [lazyload(Recommendation.regions)]
    for batch in _batches(numbers):
        found.update(dict.fromkeys(batch))
        for rec in session.scalars(
            select(Recommendation)
            .where(Recommendation.number.in_(batch), Recommendation.published_at.is_not(None))
            .options(*regions)
        ):
            if rec.number is None or rec.year is None or rec.published_at is None:
                continue
            texts: dict[str, list[str]] = defaultdict(list)
            texts[rec.locale].append(plain_text(rec.text))
            for locale in LOCALES:
                texts[locale].append(rec.addressee.name_in(locale))
            found[rec.number] = Document(
                kind=Published.RECOMMENDATION,
                number=rec.number,
                locale=rec.locale,
                title=rec.title,
                texts=dict(texts),
                year=rec.year,
                published=rec.published_at,
                status=rec.status,
                addressees=frozenset({rec.addressee_id}),
                regions=frozenset(r.region.value for r in rec.regions) if facets else frozenset(),
            )
    return found


def load(
    session: Session, keys: Iterable[tuple[Published, str]], *, facets: bool = True
) -> dict[str, Document | None]:
    """Documents by (kind, number), keyed by `key_of`; without their addressees and regions
    when `facets` is False (what a result list needs: one query less of each kind)."""
    wanted: dict[Published, list[str]] = defaultdict(list)
    for kind, number in keys:
        wanted[kind].append(number)
    loaders = {Published.RECORD: records, Published.RECOMMENDATION: recommendations}
    return {
        key_of(kind, number): document
        for kind, numbers in wanted.items()
        for number, document in loaders[kind](session, numbers, facets=facets).items()
    }


def records_making(session: Session, recommendation_numbers: Iterable[str]) -> set[str]:
    """The numbers of the published records that make these recommendations: a change to a
    recommendation (its addressee, its regions) changes their facets too."""
    numbers = list(recommendation_numbers)
    if not numbers:
        return set()
    return set(
        session.scalars(
            select(AdvisoryRecord.number)
            .join(RecordRecommendation, RecordRecommendation.record_id == AdvisoryRecord.id)
            .join(Recommendation, Recommendation.id == RecordRecommendation.recommendation_id)
            .where(Recommendation.number.in_(numbers), AdvisoryRecord.number.is_not(None))
        )
    )


def published_keys(session: Session) -> list[tuple[Published, str]]:
    """Every record and recommendation that has a number, oldest first: the rebuild loads each
    (a withdrawn record loads as None, and is left out)."""
    record_numbers = session.scalars(
        select(AdvisoryRecord.number)
        .where(AdvisoryRecord.number.is_not(None), AdvisoryRecord.withdrawn_on.is_(None))
        .order_by(AdvisoryRecord.id)
    )
    recommendation_numbers = session.scalars(
        select(Recommendation.number)
        .where(Recommendation.published_at.is_not(None))
        .order_by(Recommendation.id)
    )
    return [(Published.RECORD, n) for n in record_numbers if n] + [
        (Published.RECOMMENDATION, n) for n in recommendation_numbers if n
    ]
