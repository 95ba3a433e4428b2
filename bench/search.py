"""How fast the search answers (issue 14, acceptance 5): a measurement, not a test.

    make bench                                   # this, after the ballot benchmark
    .venv/bin/python -m bench.search             # 10,000 records of ~300 words, SQLite
    .venv/bin/python -m bench.search --records 1000 --rounds 10    # a quick look
    scripts/with-postgres.sh .venv/bin/python -m bench.search      # PostgreSQL (its URL is
                                                 # read from KENES_TEST_DATABASE_URL)

It builds a throwaway database in a temporary directory with the project's schema
(`create_app`, then the migrations: `flask db upgrade`), or — given `--database-url` — a
throwaway database on that PostgreSQL server, dropped afterwards. It publishes generated
records (`bench.advice.add_records`: Kazakh, Russian and English in turn), times a full
rebuild of the index (`SearchIndex.rebuild`), then runs a fixed mix of queries through
`consultations.search.find` — what the search page calls: the outbox check, the Whoosh search
with its facet counts, the page's documents read from the database, and the highlighting of
its titles and snippets — and prints the wall time per query (p50, p95, p99, in ms).

For the breakdown it also times the same queries with the highlighting stubbed out (in this
process only) and the outbox check alone, and checks what the results say: hits at least the
documents that hold one of the query's words as written, every shown result highlighted,
filters and the date order kept, phrases present.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata as package_metadata
from pathlib import Path

from sqlalchemy import select, text

from bench.advice import add_records
from bench.throwaway import (
    app_on,
    database_url_option,
    load,
    machine,
    settings,
    throwaway_database,
    upgrade,
)
from consultations.models import AdvisoryRecord, RecordRevision
from consultations.search import Results, Search, analysis, find
from consultations.search import query as search_query
from consultations.search.store import LANGUAGES
from portal import searching
from portal.extensions import db

WARM_UP_ROUNDS = 2
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Case:
    label: str
    search: Search
    # What the results must show (see `check`).
    language: str | None = None  # every result in this language
    phrase: str | None = None  # every result holds these words, in this order


def cases(phrase: str, common: str) -> list[Case]:
    """The query mix. The generator's real words are of middling to rare frequency (each in a
    few dozen to a few hundred records), and two of them are rarely next to each other, so
    two queries take their words from what was generated: a phrase found in about a tenth of
    the English records, and the word in most of them — the broad search a common word
    makes."""
    return [
        Case("ru: рекомендации детям", Search("рекомендации детям")),
        Case("ru: защита пострадавших", Search("защита пострадавших от торговли людьми")),
        Case("kk: балаларға", Search("балаларға")),
        Case("kk, typed without Kazakh letters: балаларга", Search("балаларга")),
        Case("kk: отбасына көмек", Search("отбасына көмек")),
        Case("en: referrals for children", Search("referrals for children")),
        Case("en: shelter for trafficking survivors", Search("shelter for trafficking survivors")),
        Case("mixed: children детям балаларға", Search("children детям балаларға")),
        Case('phrase: "торговля людьми"', Search('"торговля людьми"'), phrase="торговля людьми"),
        Case(f'phrase: "{phrase}"', Search(f'"{phrase}"'), phrase=phrase),
        Case(
            "facet: помощь, language=ru",
            Search("помощь", filters=(("language", "ru"),)),
            language="ru",
        ),
        Case("facet: police, kind=record", Search("police", filters=(("kind", "record"),))),
        Case("date order: school", Search("school", sort="date")),
        Case(f"common word: {common}", Search(common)),
        Case("page 2: children", Search("children", page=2)),
        Case(
            "no words, language=kk (browse)",
            Search("", filters=(("language", "kk"),)),
            language="kk",
        ),
    ]


# --------------------------------------------------------------------------- the machine


def versions(engine_name: str, server: str) -> str:
    whoosh = package_metadata.version("Whoosh-Reloaded")
    database = f"SQLite {sqlite3.sqlite_version}" if engine_name == "sqlite" else server
    return f"Whoosh-Reloaded {whoosh}; {database}"


# --------------------------------------------------------------------------- figures


def percentiles(milliseconds: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(milliseconds, n=100, method="inclusive")
    return {
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
        "mean": statistics.fmean(milliseconds),
        "max": max(milliseconds),
    }


def show(label: str, milliseconds: list[float]) -> None:
    p = percentiles(milliseconds)
    print(
        f"  {label:<38} p50 {p['p50']:6.2f}  p95 {p['p95']:6.2f}  p99 {p['p99']:6.2f}  "
        f"mean {p['mean']:6.2f}  max {p['max']:6.2f}  ms  (n={len(milliseconds)})"
    )


def size_on_disk(directory: Path) -> tuple[int, int]:
    files = [path for path in directory.rglob("*") if path.is_file()]
    return sum(path.stat().st_size for path in files), len(files)


# --------------------------------------------------------------------------- what was written


@dataclass
class Written:
    locale: str
    words: str  # its words as written, lower case, one space between

    def holds(self, phrase: str) -> bool:
        return f" {phrase} " in f" {self.words} "


@dataclass
class Corpus:
    """The records as written, to check the hits against: how many records each query must
    find, reckoned from the words and each language's analysis alone (no index, no parser)."""

    records: list[Written] = field(default_factory=list)
    _stems: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    _record_stems: list[frozenset[str]] = field(default_factory=list)

    def stems(self, locale: str, words: str) -> frozenset[str]:
        """What `locale`'s analysis makes of `words` (stop words dropped), word by word."""
        cache = self._stems.setdefault(locale, {})
        analyzer = analysis.ANALYZERS[locale]()
        found: set[str] = set()
        for word in words.split():
            if word not in cache:
                cache[word] = frozenset(token.text for token in analyzer(word) if not token.stopped)
            found |= cache[word]
        return frozenset(found)

    def matching(self, search: Search) -> int:
        """Records holding a word of the query in the reading of their language (an OR over
        the words), in the filters' language and kind."""
        if not self._record_stems:
            self._record_stems = [self.stems(r.locale, r.words) for r in self.records]
        wanted = {code: self.stems(code, " ".join(words(search.text))) for code in LANGUAGES}
        chosen = dict(search.filters)
        if chosen.get("kind", "record") != "record":
            return 0
        return sum(
            1
            for record, stems in zip(self.records, self._record_stems, strict=True)
            if chosen.get("language", record.locale) == record.locale
            and (not search.text.strip() or stems & wanted[record.locale])
        )

    def holding(self, phrase: str) -> int:
        return sum(1 for record in self.records if record.holds(phrase))

    def common_word(self, locale: str) -> str:
        """The word of `locale` in the most records."""
        counted = Counter(
            word for r in self.records if r.locale == locale for word in set(r.words.split())
        )
        return min(counted, key=lambda word: (-counted[word], word))

    def phrase(self, locale: str, share: float) -> str:
        """Two different words of `locale` found next to each other in about `share` of its
        records (as "social worker" might be in real ones)."""
        counted: Counter[str] = Counter()
        records = [r for r in self.records if r.locale == locale]
        for record in records:
            split = record.words.split()
            counted.update({f"{a} {b}" for a, b in zip(split, split[1:], strict=False) if a != b})
        target = share * len(records)
        return min(counted, key=lambda pair: (abs(counted[pair] - target), pair))


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def read_corpus(session) -> Corpus:  # type: ignore[no-untyped-def]
    corpus = Corpus()
    rows = session.execute(
        select(AdvisoryRecord.locale, RecordRevision.title)
        .add_columns(RecordRevision.summary, RecordRevision.advice)
        .join(RecordRevision, RecordRevision.record_id == AdvisoryRecord.id)
    )
    for locale, *parts in rows:
        corpus.records.append(Written(locale, " ".join(words(" ".join(parts)))))
    return corpus


def expected(case: Case, corpus: Corpus) -> tuple[int, bool]:
    """How many hits the query must have, and whether that is exact (else at least): a phrase
    at least the records holding it as written (a phrase of other forms of its words counts
    too)."""
    if case.phrase:
        return corpus.holding(case.phrase.lower()), False
    return corpus.matching(case.search), True


def check(case: Case, results: Results, corpus: Corpus) -> list[str]:
    """What is wrong with these results, in words."""
    problems = []
    want, exact = expected(case, corpus)
    if (results.total != want) if exact else (results.total < want):
        problems.append(f"{results.total} hits, expected {'' if exact else 'at least '}{want}")
    if case.search.text.strip():
        unmarked = [
            r.document.number
            for r in results.results
            if not any(matched for _text, matched in [*r.title, *r.snippet])
        ]
        if unmarked:
            problems.append(f"{len(unmarked)} of {len(results.results)} shown not highlighted")
    if case.language:
        others = [r.document.number for r in results.results if r.document.locale != case.language]
        if others:
            problems.append(f"{len(others)} shown not in {case.language}")
    for facet, value in case.search.filters:
        if facet == "kind" and any(r.document.kind.value != value for r in results.results):
            problems.append(f"a result not of kind {value}")
    if case.search.sort == "date" or not case.search.text.strip():
        dates = [r.document.published for r in results.results]
        if dates != sorted(dates, reverse=True):
            problems.append("not newest first")
    if case.phrase:
        phrase = case.phrase.lower()
        missing = [
            r.document.number
            for r in results.results
            if not Written("", " ".join(words(r.document.title + " " + r.document.body))).holds(
                phrase
            )
        ]
        if missing:
            problems.append(f"{len(missing)} shown without the phrase as written")
    if len(results.results) != min(10, max(0, results.total - 10 * (results.page - 1))):
        problems.append(f"{len(results.results)} shown of {results.total} hits on this page")
    return problems


def languages(results: Results) -> str:
    counted = Counter(r.document.locale for r in results.results)
    return " ".join(f"{locale}:{n}" for locale, n in sorted(counted.items())) or "-"


# --------------------------------------------------------------------------- timing


def timed_find(search: Search) -> tuple[float, Results]:
    """One search as the page makes it, on a new session (as a request has); milliseconds."""
    now = datetime.now(UTC)
    started = time.perf_counter()
    results = find(searching.index(), db.session, search, now)
    took = (time.perf_counter() - started) * 1000
    db.session.remove()
    return took, results


def timed_catch_up() -> float:
    now = datetime.now(UTC)
    started = time.perf_counter()
    searching.index().catch_up(db.session, now)
    took = (time.perf_counter() - started) * 1000
    db.session.remove()
    return took


@contextmanager
def highlighting_stubbed() -> Iterator[None]:
    """The titles and snippets cut as if nothing matched: in this process, for the breakdown."""
    snippet, title = search_query._snippet, search_query._title
    search_query._snippet = lambda hit, document: snippet(None, document)  # type: ignore[assignment]
    search_query._title = lambda hit, document: [(document.title, False)]  # type: ignore[assignment]
    try:
        yield
    finally:
        search_query._snippet, search_query._title = snippet, title  # type: ignore[assignment]


def rounds_of(mix: list[Case], rounds: int, seed: int) -> list[Case]:
    """Every case `rounds` times, each round in its own shuffled order."""
    rng = random.Random(seed)  # noqa: S311 - an order, not a secret
    order: list[Case] = []
    for _ in range(rounds):
        one = list(mix)
        rng.shuffle(one)
        order += one
    return order


def run_all(order: list[Case], each: Callable[[Case], float]) -> dict[str, list[float]]:
    took: dict[str, list[float]] = {}
    for case in order:
        took.setdefault(case.label, []).append(each(case))
    return took


# --------------------------------------------------------------------------- main


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000, help="records to publish")
    parser.add_argument("--words", type=int, default=300, help="words per record")
    parser.add_argument(
        "--rounds", type=int, default=30, help="timed rounds of the query mix (default 30)"
    )
    database_url_option(parser)
    parser.add_argument(
        "--profile", action="store_true", help="then profile 5 rounds (cProfile) and print the top"
    )
    return parser.parse_args()


def main() -> None:
    args = arguments()
    directory = Path(tempfile.mkdtemp(prefix="kenes-bench-search-"))
    try:
        with throwaway_database(args.database_url, directory) as url:
            bench(args, url, directory)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def bench(args: argparse.Namespace, url: str, directory: Path) -> None:
    with app_on(settings(url, directory)) as app, app.app_context():
        measure(args)


def measure(args: argparse.Namespace) -> None:
    engine = db.engine
    server = ""
    upgrade()
    if engine.dialect.name == "postgresql":
        server = "PostgreSQL " + str(db.session.scalar(text("SHOW server_version")))
        db.session.remove()
    print("Kenes search benchmark (issue 14)")
    print(f"  machine:  {machine()}")
    print(f"  load:     {load()} (before the run: other work on the machine skews the figures)")
    print(f"  software: {versions(engine.dialect.name, server)}")
    sys.stdout.flush()

    now = datetime.now(UTC)
    started = time.perf_counter()
    add_records(db.session, args.records, words=args.words, now=now)
    db.session.commit()
    db.session.remove()
    print(
        f"  data:     {args.records:,} records of ~{args.words} words (kk/ru/en in turn), "
        f"generated and committed in {time.perf_counter() - started:.1f} s"
    )
    corpus = read_corpus(db.session)
    db.session.remove()

    index = searching.index()
    shown = [-1]

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty() and done * 10 // max(total, 1) != shown[0]:
            shown[0] = done * 10 // max(total, 1)
            print(f"\r  indexing  {done:>6,}/{total:,}", end="", file=sys.stderr, flush=True)

    started = time.perf_counter()
    built = index.rebuild(db.session, datetime.now(UTC), progress=progress)
    reindex = time.perf_counter() - started
    if shown[0] >= 0:
        print("\r" + " " * 40 + "\r", end="", file=sys.stderr, flush=True)
    db.session.remove()
    status = index.status(db.session, datetime.now(UTC))
    db.session.remove()
    size, files = size_on_disk(built)
    print(
        f"  reindex:  {reindex:.1f} s for {status.documents:,} documents "
        f"({status.documents / reindex:,.0f} a second); index {size / 2**20:.1f} MiB on disk "
        f"in {files} files; outbox behind: {status.lag}"
    )

    mix = cases(corpus.phrase("en", share=0.1), corpus.common_word("en"))
    order = rounds_of(mix, args.rounds, seed=14)
    for _ in range(WARM_UP_ROUNDS):
        for case in mix:
            timed_find(case.search)

    # With highlights: the figure. Then the parts, for the breakdown.
    found: dict[str, Results] = {}

    def full(case: Case) -> float:
        took, found[case.label] = timed_find(case.search)
        return took

    with_highlights = run_all(order, full)
    with highlighting_stubbed():
        for case in mix:
            timed_find(case.search)
        without_highlights = run_all(order, lambda case: timed_find(case.search)[0])
    catch_up = [timed_catch_up() for _ in range(len(order))]

    print(f"  load:     {load()} (after the queries)")
    print(
        f"  queries:  {len(mix)} kinds x {args.rounds} rounds = {len(order)} timed "
        f"through consultations.search.find, after {WARM_UP_ROUNDS} warm-up rounds"
    )
    print()
    print(f"  {'query':<46} {'hits':>6} {'shown':>5}  {'languages':<16} {'p50':>6} {'p95':>6}")
    problems: list[str] = []
    for case in mix:
        results = found[case.label]
        p = percentiles(with_highlights[case.label])
        print(
            f"  {case.label[:46]:<46} {results.total:>6} {len(results.results):>5}  "
            f"{languages(results):<16} {p['p50']:6.2f} {p['p95']:6.2f}"
        )
        problems += [f"{case.label}: {what}" for what in check(case, results, corpus)]
    print()
    print("  per query, wall time:")
    show("find, with highlights", [t for ts in with_highlights.values() for t in ts])
    show("find, highlighting stubbed", [t for ts in without_highlights.values() for t in ts])
    show("of which the outbox check (catch_up)", catch_up)
    print()
    if problems:
        print("  checks: " + str(len(problems)) + " problem(s)")
        for problem in problems:
            print(f"    - {problem}")
    else:
        print("  checks: hits, highlights, filters, order and phrases as expected")

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        run_all(rounds_of(mix, 5, seed=15), lambda case: timed_find(case.search)[0])
        profiler.disable()
        print("\n  cProfile, 5 rounds with highlights, by own time:")
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
