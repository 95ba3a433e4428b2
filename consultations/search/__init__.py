"""Search over what the group has published (issue 14; DESIGN §6; docs/search.md): the only
home of the Whoosh index.

- `analysis`: how each language is read (Russian and English stemming, Kazakh folding and the
  suffix stripper).
- `documents`: what a published record or recommendation gives the index, read from the
  database in bulk. Survivor comments never enter it.
- `store`: the directory, the outbox catch-up with its gaps, removal that leaves no old file,
  the rebuild that swaps a new directory in.
- `query`: parsing, facets, order, pages, snippets as escaped-later pieces.

`find` is what a search page calls: catch up, then ask.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from consultations.search import documents
from consultations.search.query import (
    MAX_QUERY_CHARS,
    QuerySyntaxError,
    Results,
    Search,
    exact_number,
    run,
)
from consultations.search.store import CatchUp, SearchIndex, Status

__all__ = [
    "MAX_QUERY_CHARS",
    "CatchUp",
    "QuerySyntaxError",
    "Results",
    "Search",
    "SearchIndex",
    "Status",
    "exact_number",
    "find",
]


def find(index: SearchIndex, session: Session, search: Search, now: datetime) -> Results:
    """Catch the index up with the database (or, if another process is doing it, take it as it
    is), then answer `search`. QuerySyntaxError when the words give nothing to look for."""
    index.catch_up(session, now)
    searcher = index.searcher(session, now)
    return run(searcher, search, lambda keys: documents.load(session, keys, facets=False))
