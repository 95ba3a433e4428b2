"""Staff Markdown is rendered without raw HTML and cleaned by the one sanitizer (checklist 27)."""

from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from portal.security.sanitize import ALLOWED_TAGS, render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![pixel](https://tracker.example/p.gif)",
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(https://evil.example)">x</div>',
    "<svg onload=alert(1)>",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "<!-- comment --><style>body{display:none}</style>",
    '[x](https://ok.example/"onmouseover="alert(1))',
    '<https://ok.example/a"b>',
    "[x]( java\tscript:alert(1))",
]


class ElementsSeen(HTMLParser):
    """What a browser would build from the HTML: elements and attributes, not escaped text."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_comment(self, data):
        self.comments.append(data)


def elements(html: str) -> ElementsSeen:
    parser = ElementsSeen()
    parser.feed(html)
    parser.close()
    return parser


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_renders_harmless(source):
    seen = elements(str(render_markdown(source)))
    assert seen.comments == []
    for tag, attrs in seen.elements:
        assert tag in ALLOWED_TAGS, (source, tag)
        assert not any(name.startswith("on") or name == "style" for name in attrs), source
        if "href" in attrs:
            assert attrs["href"].startswith(("https://", "mailto:")), source


def test_ordinary_markdown_is_kept():
    html = str(
        render_markdown(
            "# Procedure\n\nThe **mobile group** *must* listen.\n\n"
            "1. identify\n2. refer\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~"
        )
    )
    assert "<h2>Procedure</h2>" in html
    assert "<h1>" not in html
    assert "<strong>mobile group</strong>" in html
    assert "<em>must</em>" in html
    assert "<ol>" in html
    assert "<table>" in html
    assert "<s>old</s>" in html


def test_links_are_https_or_mailto_with_safe_rel():
    html = str(
        render_markdown(
            "[law](https://adilet.example/doc) [write](mailto:staff@example.org) "
            "[plain](http://insecure.example/) [inside](/staff/invites) [rel](../account)"
        )
    )
    assert '<a href="https://adilet.example/doc" rel="nofollow noopener noreferrer">law</a>' in html
    assert 'href="mailto:staff@example.org"' in html
    assert "http://insecure.example" not in html
    assert "/staff/invites" not in html
    assert "../account" not in html


def test_result_is_markup_and_template_syntax_is_text():
    rendered = render_markdown("{{ 7*7 }} and {% raw %}")
    assert isinstance(rendered, Markup)
    assert "{{ 7*7 }}" in str(rendered)


def test_rendering_is_cached_by_content():
    render_markdown.cache_clear()
    render_markdown("same text")
    render_markdown("same text")
    assert render_markdown.cache_info().hits == 1
