"""The one HTML sanitizer and Markdown renderer of Kenes (DESIGN §4.9; checklist 26–28).

Staff write drafts and advisory records in Markdown. It is rendered by markdown-it-py with raw
HTML switched off, then cleaned by nh3 (the Rust `ammonia` sanitizer; bleach reached end of life
in June 2026) against an allowlist: no images, no inline style, no script, links only to
`https:` and `mailto:` — relative URLs are denied, so a record cannot point inside the member
area — and every link gets `rel="nofollow noopener noreferrer"`.

Survivor text is never rendered here: it is plain text, escaped by Jinja. This module is the only
place in `portal` that may call `Markup()`.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "s", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
})  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = frozenset({"https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"
# Larger sources are refused by the forms before they get here; this bounds the cache's memory.
CACHE_ENTRIES = 512

# "commonmark" with raw HTML off; tables and strikethrough on, for procedure texts.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])


def clean_html(html: str, *, also: frozenset[str] = frozenset()) -> str:
    """Reduce any HTML to the allowlist (and the tags `also` names). Returns a string; callers
    that render it use `render`."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS | also),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
        strip_comments=True,
        clean_content_tags={"script", "style"},
    )


@lru_cache(maxsize=CACHE_ENTRIES)
def render_markdown(source: str) -> Markup:
    """Staff Markdown to safe HTML, cached by content (the same text renders the same way)."""
    # h1 belongs to the page; a heading in a draft starts at h2.
    html = _markdown.render(source).replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return Markup(clean_html(html))  # noqa: S704 — cleaned by the allowlist just above


# A rendered page as tokens: a tag, a run of spaces, or a word (entities stay inside words).
_TOKENS = re.compile(r"(<[^>]*>)|(\s+)|([^\s<]+)")


def _tokens(html: str) -> list[tuple[str, str]]:
    kinds = ("tag", "space", "word")
    return [
        (kinds[match.lastindex - 1], match.group(0))  # type: ignore[operator]
        for match in _TOKENS.finditer(html)
    ]


def render_diff(old: str, new: str) -> Markup:
    """Two Markdown texts rendered as members read them, the new one shown with the words it
    adds in <ins> and the words it drops in <del> where they stood (issue 11, item 5).

    Words are compared, not lines or Markdown: headings, lists and emphasis are rendered, and a
    paragraph break does not make its neighbouring words look changed. Both sides are cleaned
    by the allowlist first, and the result once more, with ins and del allowed."""
    old_words = [text for kind, text in _tokens(render_markdown(old)) if kind == "word"]
    new_tokens = _tokens(render_markdown(new))
    new_words = [text for kind, text in new_tokens if kind == "word"]
    inserted: set[int] = set()
    deleted_before: dict[int, list[str]] = {}
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op in ("replace", "delete"):
            deleted_before.setdefault(b1, []).extend(old_words[a1:a2])
        if op in ("replace", "insert"):
            inserted.update(range(b1, b2))
    out: list[str] = []
    in_ins = False
    word = 0

    def close() -> None:
        nonlocal in_ins
        if in_ins:
            out.append("</ins>")
            in_ins = False

    for kind, text in new_tokens:
        if kind != "word":
            if kind == "tag":
                close()
            out.append(text)
            continue
        if word in deleted_before:
            close()
            out.append(f"<del>{' '.join(deleted_before.pop(word))}</del> ")
        if word in inserted and not in_ins:
            out.append("<ins>")
            in_ins = True
        elif word not in inserted:
            close()
        out.append(text)
        word += 1
    close()
    for words in deleted_before.values():  # dropped after the last word of the new text
        out.append(f" <del>{' '.join(words)}</del>")
    return Markup(clean_html("".join(out), also=frozenset({"ins"})))  # noqa: S704 — cleaned by the allowlist just above
