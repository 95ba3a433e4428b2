"""Draft texts: splitting Markdown into sections with stable keys, and what changed between two
versions, down to the word.

A section starts at a level-1 or level-2 heading. Its key survives from version to version, so
comments stay attached to "their" section when staff publish a new draft:

- a heading may name its key explicitly: `## Referral within 24 hours {#referral}`;
- otherwise a section keeps the key of the previous version's section with the same heading
  (compared case- and space-insensitively), or, failing that, of the section in the same place
  whose text is most alike (at least 60 % similar);
- anything else is new and gets a new key made from its heading.

Text before the first heading is the preamble, key "intro". Pure Python: no Flask, no database.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

from markdown_it import MarkdownIt

PREAMBLE_KEY = "intro"
MAX_KEY_LENGTH = 40
SIMILAR_ENOUGH = 0.6

_EXPLICIT_KEY = re.compile(r"\s*\{#([a-z0-9][a-z0-9-]{0,39})\}\s*$")
_parser = MarkdownIt("commonmark")


@dataclass(frozen=True)
class DraftSection:
    key: str
    title: str
    body: str  # Markdown source of the section, without its heading line


def split(source: str) -> list[tuple[str | None, str, str]]:
    """(explicit key or None, heading title, body) for each section of a Markdown text."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    headings = []
    tokens = _parser.parse(source.replace("\r\n", "\n").replace("\r", "\n"))
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag in ("h1", "h2") and token.map:
            inline = tokens[index + 1]
            headings.append((token.map[0], token.map[1], inline.content))
    parts: list[tuple[str | None, str, str]] = []
    preamble_end = headings[0][0] if headings else len(lines)
    preamble = "\n".join(lines[:preamble_end]).strip()
    if preamble:
        parts.append((PREAMBLE_KEY, "", preamble))
    for position, (_start, end, text) in enumerate(headings):
        following = headings[position + 1][0] if position + 1 < len(headings) else len(lines)
        body = "\n".join(lines[end:following]).strip()
        explicit = _EXPLICIT_KEY.search(text)
        title = _EXPLICIT_KEY.sub("", text).strip() if explicit else text.strip()
        parts.append((explicit.group(1) if explicit else None, title, body))
    return parts


def _comparable(title: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", title).casefold().split())


def slug(title: str, taken: Iterable[str]) -> str:
    """A key made from a heading: letters and digits of any script lowered, joined by "-"."""
    words = re.findall(r"\w+", unicodedata.normalize("NFKC", title).casefold())
    base = "-".join(words)[:MAX_KEY_LENGTH].strip("-") or "section"
    taken = set(taken)
    key, number = base, 2
    while key in taken:
        suffix = f"-{number}"
        key = f"{base[: MAX_KEY_LENGTH - len(suffix)]}{suffix}"
        number += 1
    return key


def assign_keys(source: str, previous: Sequence[DraftSection] = ()) -> list[DraftSection]:
    """The sections of `source`, keyed to carry over from `previous` where they stayed."""
    parts = split(source)
    used: set[str] = set()
    keys: list[str | None] = []
    by_title = {_comparable(s.title): s.key for s in previous if s.key != PREAMBLE_KEY}
    # Explicit keys and the preamble first, then same headings, then look-alikes, then new.
    for explicit, title, _body in parts:
        key = explicit if explicit and explicit not in used else None
        if key is None and explicit is None:
            candidate = by_title.get(_comparable(title))
            key = candidate if candidate and candidate not in used else None
        keys.append(key)
        if key:
            used.add(key)
    unmatched_previous = [s for s in previous if s.key not in used and s.key != PREAMBLE_KEY]
    for position, (explicit, title, body) in enumerate(parts):
        if keys[position] or explicit:
            continue
        best, best_ratio = None, SIMILAR_ENOUGH
        for old in unmatched_previous:
            ratio = SequenceMatcher(None, f"{old.title}\n{old.body}", f"{title}\n{body}").ratio()
            if ratio >= best_ratio:
                best, best_ratio = old, ratio
        if best is not None:
            keys[position] = best.key
            used.add(best.key)
            unmatched_previous.remove(best)
    sections = []
    for position, (explicit, title, body) in enumerate(parts):
        key = keys[position]
        if key is None:
            key = slug(explicit or title, used)
            used.add(key)
        sections.append(DraftSection(key=key, title=title, body=body))
    return sections


class Change(StrEnum):
    """What happened to a section between two versions."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class SectionChange:
    key: str
    kind: Change  # ADDED, REMOVED or CHANGED
    old: DraftSection | None
    new: DraftSection | None


def changes(old: Sequence[DraftSection], new: Sequence[DraftSection]) -> list[SectionChange]:
    """What changed between two versions, section by section, in the new version's order
    (removed sections last)."""
    before = {s.key: s for s in old}
    after_keys = {s.key for s in new}
    found = []
    for section in new:
        previous = before.get(section.key)
        if previous is None:
            found.append(SectionChange(section.key, Change.ADDED, None, section))
        elif (previous.title, previous.body) != (section.title, section.body):
            found.append(SectionChange(section.key, Change.CHANGED, previous, section))
    found.extend(
        SectionChange(s.key, Change.REMOVED, s, None) for s in old if s.key not in after_keys
    )
    return found
