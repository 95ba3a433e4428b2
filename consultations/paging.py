"""Lists read a page at a time (the records, the register, the feedback workspace)."""

from __future__ import annotations


def page_of(total: int, asked: int, size: int) -> tuple[int, int]:
    """(the page to show, the number of pages) for `total` items `size` to a page: at least one
    page; a page asked before the first is the first, past the last the last (the list a reader
    comes back to may have shrunk)."""
    pages = max(1, -(-total // size))
    return min(max(asked, 1), pages), pages
