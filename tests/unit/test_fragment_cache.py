"""The kept parts' store (portal/fragments.py) and their slots (portal/security/slots.py)."""

from __future__ import annotations

from markupsafe import Markup, escape

from portal.fragments import FragmentCache
from portal.security import slots


def test_a_part_is_found_only_under_the_stamp_it_was_kept_under():
    cache = FragmentCache()
    rendered = []

    def render(text: str):  # type: ignore[no-untyped-def]
        return lambda: rendered.append(text) or text

    assert cache.get_or_render(1, 111, "k", render("first")) == ("first", False)
    assert cache.get_or_render(1, 111, "k", render("again")) == ("first", True)
    assert cache.get_or_render(1, 222, "k", render("second")) == ("second", False)
    assert len(cache) == 1  # the first stamp's entry is gone at once, not at the memory bound
    assert cache.get_or_render(2, 111, "k", render("other owner")) == ("other owner", False)
    assert rendered == ["first", "second", "other owner"]


def test_the_store_keeps_at_most_its_limit_least_recently_used_first():
    cache = FragmentCache(limit=10)
    cache.get_or_render(1, 1, "a", lambda: "aaaa")
    cache.get_or_render(2, 1, "b", lambda: "bbbb")
    cache.get_or_render(1, 1, "a", lambda: "unused")  # a is used again: b is the older
    cache.get_or_render(3, 1, "c", lambda: "cccc")
    assert cache.get_or_render(1, 1, "a", lambda: "x") == ("aaaa", True)
    assert cache.get_or_render(2, 1, "b", lambda: "bbbb") == ("bbbb", False)
    assert cache.get_or_render(4, 1, "d", lambda: "d" * 11) == ("d" * 11, False)
    assert cache.get_or_render(4, 1, "d", lambda: "again") == ("again", False)  # never kept


def test_what_goes_into_a_slot_is_escaped_and_no_typed_text_makes_a_slot():
    forged = str(slots.slot("form", "x"))  # even with this worker's own mark
    page = f"<p>{escape(forged)}</p>{slots.slot('form', 'x')}{slots.slot('new', 'y')}"
    filled = slots.fill(page, lambda kind, value: "<b>" if kind == "new" else Markup("<i>"))
    assert filled == f"<p>{escape(forged)}</p><i>&lt;b&gt;"
    assert "<!--" not in filled.replace(str(escape(forged)), "")
