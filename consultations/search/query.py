"""Asking the index (issue 14): a query over the three languages at once, facets with counts,
relevance or date order, pages, and highlighted snippets.

A query's words are read by each language's analysis and looked for in every language's title
and text, and in the numbers; a document matching more of the words ranks higher (BM25F, an OR
that rewards matching all), a title or a number above the text. No field names, wildcards or
ranges: a search box, not a query language ("quoted phrases", AND, OR and NOT remain).

The result list is read from the database, not from the index: the index says which documents
match, the database what they say now — so a snippet can never show words redacted since the
index was written. A snippet is a list of pieces, each marked as matching or not; the page
escapes every piece and wraps the matching ones in `<mark>`. No markup comes from the index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import qparser, sorting
from whoosh.highlight import ContextFragmenter, Formatter, Highlighter, WholeFragmenter
from whoosh.query import And, Every, NullQuery, Query, Term
from whoosh.searching import Hit
from whoosh.searching import Searcher as WhooshSearcher

from consultations.models import Published
from consultations.search.documents import Document
from consultations.search.store import LANGUAGES, STATE_KEY

PAGE_SIZE = 10
MAX_QUERY_CHARS = 256
FACETS = ("kind", "status", "addressee", "region", "year", "language")
MULTI_VALUED = frozenset({"addressee", "region"})
SORTS = ("relevance", "date")
SNIPPET_CHARS = 240
NUMBER = re.compile(r"^\s*(AR|REC)-(\d{4})-(\d{1,6})\s*$", re.IGNORECASE)
_FIELDS = [f"{part}_{code}" for part in ("title", "body") for code in LANGUAGES]
_WITHOUT = (
    qparser.FieldsPlugin,
    qparser.WildcardPlugin,
    qparser.RangePlugin,
    qparser.BoostPlugin,
    qparser.EveryPlugin,
    qparser.SingleQuotePlugin,
)

Piece = tuple[str, bool]  # (text, matches the query)


@dataclass(frozen=True)
class Search:
    text: str = ""
    filters: tuple[tuple[str, str], ...] = ()  # (facet, value), at most one per facet
    sort: str = "relevance"
    page: int = 1

    def chosen(self, facet: str) -> str | None:
        return next((value for name, value in self.filters if name == facet), None)


@dataclass(frozen=True)
class Result:
    document: Document
    title: list[Piece]
    snippet: list[Piece]
    cut_before: bool  # the snippet starts inside the text
    cut_after: bool


@dataclass(frozen=True)
class Results:
    results: list[Result]
    total: int
    page: int
    pages: int
    facets: dict[str, list[tuple[str, int]]]  # facet → (value, count), most first

    @property
    def first(self) -> int:
        """The place in the whole list of this page's first result (1 on page 1)."""
        return (self.page - 1) * PAGE_SIZE + 1


class QuerySyntaxError(ValueError):
    """The words give nothing to search for (only punctuation or common words)."""


def exact_number(text: str) -> tuple[Published, str] | None:
    """`AR-2026-007` or `REC-2026-012`, however typed: what it numbers."""
    found = NUMBER.match(text)
    if found is None:
        return None
    prefix, year, serial = found.groups()
    kind = Published.RECORD if prefix.upper() == "AR" else Published.RECOMMENDATION
    return kind, f"{prefix.upper()}-{year}-{int(serial):03d}"


def parse(text: str, schema) -> Query:  # type: ignore[no-untyped-def]
    if not text.strip():
        return Every()
    parser = qparser.MultifieldParser(
        [*_FIELDS, "number_text"], schema, group=qparser.OrGroup.factory(0.9)
    )
    for plugin in _WITHOUT:
        parser.remove_plugin_class(plugin)
    try:
        parsed = parser.parse(text)
    except Exception as error:  # Whoosh's parser has no error type of its own
        raise QuerySyntaxError(text) from error
    if parsed is NullQuery or not any(True for _ in parsed.iter_all_terms()):
        raise QuerySyntaxError(text)
    return parsed


def _filter(search: Search) -> Query | None:
    terms = [Term(name, value) for name, value in search.filters if name in FACETS]
    return And(terms) if terms else None


class _KeptValues(sorting.FieldFacet):
    """A facet of several values a document (addressee, region), counted from lists of each
    document's values made once per segment reader — kept with the searcher between searches
    — where Whoosh's own would list the whole index again at every search."""

    def __init__(self, fieldname: str) -> None:
        super().__init__(fieldname, allow_overlap=True, maptype=sorting.Count)

    def categorizer(self, global_searcher):  # type: ignore[no-untyped-def]
        return _KeptLists(global_searcher, self.fieldname)


class _KeptLists(sorting.OverlappingCategorizer):
    def set_searcher(self, segment_searcher, docoffset):  # type: ignore[no-untyped-def]
        kept = segment_searcher.reader().__dict__.setdefault("kenes_facet_lists", {})
        if self._fieldname not in kept:
            super().set_searcher(segment_searcher, docoffset)
            kept[self._fieldname] = self._lists
        self._segment_searcher = segment_searcher
        self._lists = kept[self._fieldname]


class _Pieces(Formatter):
    """Whoosh's fragments as lists of (text, matched) pieces, nothing escaped or marked up."""

    def format_fragment(self, fragment, replace=False):  # type: ignore[no-untyped-def]
        text = fragment.text
        pieces: list[Piece] = []
        index = fragment.startchar
        for token in fragment.matches:
            if token.startchar is None or token.startchar < index:
                continue
            if token.startchar > index:
                pieces.append((text[index : token.startchar], False))
            pieces.append((text[token.startchar : token.endchar], True))
            index = token.endchar
        if index < fragment.endchar:
            pieces.append((text[index : fragment.endchar], False))
        return (fragment.startchar, fragment.endchar, pieces)

    def format(self, fragments, replace=False):  # type: ignore[no-untyped-def]
        return [self.format_fragment(f) for f in fragments]


_TITLES = Highlighter(fragmenter=WholeFragmenter(), formatter=_Pieces())
_SNIPPETS = Highlighter(
    fragmenter=ContextFragmenter(maxchars=SNIPPET_CHARS, surround=80), formatter=_Pieces()
)


def _title(hit: Hit, document: Document) -> list[Piece]:
    found = _TITLES.highlight_hit(hit, f"title_{document.locale}", text=document.title, top=1)
    return found[0][2] if found else [(document.title, False)]


def _snippet(hit: Hit | None, document: Document) -> tuple[list[Piece], bool, bool]:
    text = document.body
    found = (
        _SNIPPETS.highlight_hit(hit, f"body_{document.locale}", text=text, top=1)
        if hit is not None and text
        else []
    )
    if not found:
        cut = text[:SNIPPET_CHARS]
        if len(text) > SNIPPET_CHARS and " " in cut:
            cut = cut.rsplit(" ", 1)[0]
        return [(cut, False)], False, len(cut) < len(text)
    start, end, pieces = found[0]
    # Whoosh cuts at the last word; the signs stuck to it (a bracket, a full stop) stay on.
    whole_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    after = re.search(r"\s", text[end:])
    whole_end = end + after.start() if after else len(text)
    pieces = [(text[whole_start:start], False), *pieces, (text[end:whole_end], False)]
    return [piece for piece in pieces if piece[0]], whole_start > 0, whole_end < len(text)


def run(
    searcher: WhooshSearcher,
    search: Search,
    load,  # type: ignore[no-untyped-def]  # (kind, number) pairs → {key: Document | None}
) -> Results:
    """The page of results `search` asks for. `load` reads the documents from the database."""
    parsed = parse(search.text, searcher.schema)
    facets = {
        name: _KeptValues(name)
        if name in MULTI_VALUED
        else sorting.FieldFacet(name, maptype=sorting.Count)
        for name in FACETS
    }
    newest_first = search.sort == "date" or not search.text.strip()
    page = max(1, search.page)
    hits = searcher.search_page(
        parsed,
        page,
        pagelen=PAGE_SIZE,
        filter=_filter(search),
        mask=Term("kind", STATE_KEY),
        groupedby=facets,
        sortedby=("date" if newest_first else None),
        reverse=newest_first,
        terms=True,
    )
    keys = [(Published(hit["kind"]), hit["number"]) for hit in hits]
    found = load(keys) if keys else {}
    results = []
    for hit, (kind, number) in zip(hits, keys, strict=True):
        document = found.get(f"{kind.value}:{number}")
        if document is None:  # gone from the database since the index was written
            continue
        snippet, before, after = _snippet(hit if search.text.strip() else None, document)
        title = _title(hit, document) if search.text.strip() else [(document.title, False)]
        results.append(Result(document, title, snippet, before, after))
    counted = {
        name: sorted(
            ((str(value), count) for value, count in hits.results.groups(name).items() if value),
            key=lambda item: (-item[1], item[0]),
        )
        for name in FACETS
    }
    return Results(results, hits.total, max(1, hits.pagenum), max(1, hits.pagecount), counted)
