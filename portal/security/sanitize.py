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


def clean_html(html: str) -> str:
    """Reduce any HTML to the allowlist. Returns a string; callers that render it use `render`."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
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
