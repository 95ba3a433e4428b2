"""Parts of pages rendered once and kept, in this worker's memory, under a stamp read from the
database (issue 15; Rails' and Discourse's "fragment caching" on a change counter).

An entry is found only under the exact stamp the page has just read in its first query, so a
stale entry is never served, whichever worker or host made the change: the change gave its
owner a new stamp in its own transaction (`consultations/changes.py`). When a page reads
another stamp for an owner than the one its entries were kept under, they are dropped at once
— a hidden or removed comment's words do not wait for the memory limit to leave this worker.
No new server: each worker keeps its own entries, bounded in size (least recently used go
first).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sized

# The most text the entries of one worker may hold, in characters.
DEFAULT_LIMIT = 24 * 1024 * 1024


class FragmentCache:
    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self._limit = limit
        self._entries: OrderedDict[tuple[Hashable, int, Hashable], Sized] = OrderedDict()
        self._stamps: dict[Hashable, int] = {}
        self._size = 0
        self._lock = threading.Lock()

    def get_or_render(
        self, owner: Hashable, stamp: int, key: Hashable, render: Callable[[], Sized | None]
    ) -> tuple[Sized | None, bool]:
        """The part `key` of `owner` at `stamp`: kept, or rendered now (outside the lock) and
        kept (None, nothing to keep, is not). Returns it and whether it was kept. An entry's
        `len` is its size."""
        with self._lock:
            self._forget_others(owner, stamp)
            found = self._entries.get((owner, stamp, key))
            if found is not None:
                self._entries.move_to_end((owner, stamp, key))
                return found, True
        rendered = render()
        with self._lock:
            if rendered is None:
                return None, False
            if self._stamps.get(owner) == stamp and len(rendered) <= self._limit:
                if (owner, stamp, key) not in self._entries:
                    self._entries[(owner, stamp, key)] = rendered
                    self._size += len(rendered)
                while self._size > self._limit:
                    _key, dropped = self._entries.popitem(last=False)
                    self._size -= len(dropped)
        return rendered, False

    def _forget_others(self, owner: Hashable, stamp: int) -> None:
        if self._stamps.get(owner) == stamp:
            return
        self._stamps[owner] = stamp
        for stale in [k for k in self._entries if k[0] == owner and k[1] != stamp]:
            self._size -= len(self._entries.pop(stale))

    def __len__(self) -> int:
        return len(self._entries)
