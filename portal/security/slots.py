"""Slots in HTML rendered ahead of time: the one other place in `portal` (with `sanitize`) that
makes `Markup`, because it puts HTML into HTML.

A part of a page rendered once for many readers (portal/web/consultations/fragments.py) leaves
a slot where each reader's own bits go. A slot is an HTML comment carrying this worker's random
mark and a hex-encoded value, so nothing a reader or writer types can make one or end one early:
comment text is escaped by Jinja, staff Markdown is cleaned by `sanitize` (which drops
comments), and neither knows the mark. What goes into a slot is escaped unless it is already
`Markup` (rendered by a template), and every slot is emptied: none reaches a browser.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

from markupsafe import Markup, escape

_MARK = secrets.token_hex(8)
_SLOT = re.compile(rf"<!--{_MARK} (\w+) ([0-9a-f]*)-->")


def slot(kind: str, value: object = "") -> Markup:
    """A slot of `kind` holding `value` (a template global)."""
    return Markup(f"<!--{_MARK} {kind} {str(value).encode().hex()}-->")  # noqa: S704 — a word and hex digits


# A template's output split at its slots: its text, and each slot as (kind, value).
Parsed = tuple[str | tuple[str, str], ...]


def parse(html: str) -> Parsed:
    """`html` — a template's output — split once at its slots, to be filled many times."""
    parts: list[str | tuple[str, str]] = []
    last = 0
    for found in _SLOT.finditer(html):
        parts.append(html[last : found.start()])
        parts.append((found.group(1), bytes.fromhex(found.group(2)).decode()))
        last = found.end()
    parts.append(html[last:])
    return tuple(parts)


def assemble(parts: Parsed, put: Callable[[str, str], str | Markup]) -> Markup:
    """The parsed output with each slot replaced by `put(kind, value)`, escaped unless it is
    `Markup`."""
    out = [part if isinstance(part, str) else str(escape(put(*part))) for part in parts]
    return Markup("".join(out))  # noqa: S704 — rendered by Jinja, slots escaped above


def fill(html: str, put: Callable[[str, str], str | Markup]) -> Markup:
    """`html` — a template's output — with each slot replaced by `put(kind, value)`."""
    return assemble(parse(html), put)


def split(html: str, kind: str) -> tuple[str, str]:
    """`html` before and after its last slot of `kind` (both still with their other slots)."""
    before, _slot, after = html.rpartition(str(slot(kind)))
    return before, after


def with_values(rendered: Markup, values: dict[str, str]) -> Markup:
    """A rendered piece made for each sample made for its value instead (escaped): one
    rendering of a form or a link serves every section or comment."""
    text = str(rendered)
    for sample, value in values.items():
        text = text.replace(sample, str(escape(value)))
    return Markup(text)  # noqa: S704 — rendered by Jinja, values escaped above
