"""Generated advisory records in bulk, for the search benchmark and the rebuild test: each a
published record of one revision, in Kazakh, Russian or English in turn, with its outbox row —
as publishing would leave them, written with a few bulk statements instead of one transaction
per record.

The words: a few dozen real words of each language in their inflected forms (the ones the
language tests search for), among pseudo-words drawn with a Zipf-like frequency, so a query
meets common and rare terms as it would in real text.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from consultations.models import (
    Action,
    AdvisoryRecord,
    OutboxEntry,
    PublicNumber,
    Published,
    RecordRevision,
)

_REAL = {
    "kk": (
        "бала балалар балаларды балаларға баланың отбасы отбасына мектеп мектепке мектепте "
        "құқық құқығы құқықтары ұсыным ұсынымдар көмек қорғау қорғауға полиция әкімдік "
        "жұмыс жұмысы жәбірленуші адам адамдар сауда қызмет қызметкер орталық"
    ),
    "ru": (
        "рекомендация рекомендации детей детям ребёнок ребенка семья семьи школа школе "
        "помощь защита защиты процедура процедуры социальный работник направление часов "
        "центр поддержка полиция опека приют торговля людьми жертва пострадавших"
    ),
    "en": (
        "recommendation recommendations child children family families school schools help "
        "protection protect procedure procedures social worker referral referrals hours "
        "centre support police shelter trafficking survivor survivors victim"
    ),
}
REAL_WORDS = {locale: words.split() for locale, words in _REAL.items()}
_SYLLABLES = {
    "kk": "ба ла қа ры ің ға те ме ке сі ұл тө әр ші жа но ды",
    "ru": "ра ко ми те до ну ли ве ст ро за по ка ны ль ти",
    "en": "ra ko mi te do nu li ve st ro za po ka ny el ti",
}


def vocabulary(locale: str, size: int, rng: random.Random) -> list[str]:
    syllables = _SYLLABLES[locale].split()
    words = set(REAL_WORDS[locale])
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    ordered = sorted(words)
    rng.shuffle(ordered)
    return ordered


def text(words: list[str], weights: list[float], length: int, rng: random.Random) -> str:
    chosen = rng.choices(words, weights=weights, k=length)
    sentences = [" ".join(chosen[i : i + 12]).capitalize() + "." for i in range(0, length, 12)]
    return " ".join(sentences)


def add_records(
    session: Session,
    count: int,
    *,
    words: int = 300,
    now: datetime,
    year: int = 2026,
    seed: int = 14,
) -> list[str]:
    """Publish `count` generated records (flushed, not committed); their numbers."""
    rng = random.Random(seed)  # noqa: S311 - the same text every run, not a secret
    vocabularies = {locale: vocabulary(locale, 5_000, rng) for locale in REAL_WORDS}
    weights = [1 / (rank + 1) for rank in range(5_000)]
    first = (
        session.scalar(
            select(func.coalesce(func.max(PublicNumber.last), 0)).where(
                PublicNumber.kind == Published.RECORD, PublicNumber.year == year
            )
        )
        or 0
    )
    numbers: list[str] = []
    for start in range(0, count, 1_000):
        batch = range(start, min(start + 1_000, count))
        records = []
        revisions = []
        for i in batch:
            serial = first + i + 1
            locale = ("kk", "ru", "en")[i % 3]
            number = f"AR-{year}-{serial:03d}"
            numbers.append(number)
            records.append(
                {
                    "number": number,
                    "year": year,
                    "serial": serial,
                    "locale": locale,
                    "withdrawal_reason": "",
                    "created_at": now - timedelta(minutes=count - i),
                }
            )
            vocab = vocabularies[locale]
            revisions.append(
                {
                    "number": 1,
                    "title": text(vocab, weights, 8, rng).rstrip("."),
                    "summary": text(vocab, weights, words // 6, rng),
                    "advice": text(vocab, weights, words - words // 6, rng),
                    "changelog": "",
                    "published_at": now - timedelta(minutes=count - i),
                }
            )
        ids = session.scalars(
            insert(AdvisoryRecord).returning(AdvisoryRecord.id, sort_by_parameter_order=True),
            records,
        ).all()
        for record_id, revision in zip(ids, revisions, strict=True):
            revision["record_id"] = record_id
        session.execute(insert(RecordRevision), revisions)
        session.execute(
            insert(OutboxEntry),
            [
                {
                    "kind": Published.RECORD,
                    "number": row["number"],
                    "action": Action.PUBLISH,
                    "revision": 1,
                    "created_at": row["created_at"],
                }
                for row in records
            ],
        )
    _count_serials(session, year, first + count)
    session.flush()
    return numbers


def _count_serials(session: Session, year: int, last: int) -> None:
    updated = session.execute(
        update(PublicNumber)
        .where(PublicNumber.kind == Published.RECORD, PublicNumber.year == year)
        .values(last=last)
    )
    if not updated.rowcount:  # type: ignore[attr-defined]
        session.add(PublicNumber(kind=Published.RECORD, year=year, last=last))
