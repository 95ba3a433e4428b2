"""Staff Markdown is rendered without raw HTML and cleaned by the one sanitizer (checklist 27)."""

import re
from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from portal.security.sanitize import ALLOWED_TAGS, render_diff, render_markdown

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


# --------------------------------------------------------------------------- the rendered diff


def test_the_diff_is_rendered_and_marks_words_not_markdown():
    """Issue 11, item 5: the change view showed raw Markdown (`##`, `**`) and a paragraph
    break made its neighbouring words look changed."""
    old = "## Referral\n\nRefer the child **within 24 hours** to the\nprotection service.\n"
    new = "## Referral\n\nRefer the child **within 12 hours** to the protection service.\n"
    html = str(render_diff(old, new))
    assert "##" not in html
    assert "**" not in html
    assert "<h2>Referral</h2>" in html
    assert "<strong>within <del>24</del> <ins>12 </ins>hours</strong>" in html
    assert "protection" not in re.findall(r"<(?:ins|del)>([^<]*)<", html)  # not "changed"
    assert html.count("<ins>") == 1
    assert html.count("<del>") == 1


def test_added_lists_and_paragraphs_are_marked_inside_their_structure():
    html = str(render_diff("- one\n- two\n", "- one\n- two\n- three\n\nA new paragraph.\n"))
    assert "<li><ins>three</ins></li>" in html
    assert "<p><ins>A new paragraph.</ins></p>" in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        "</ins><script>alert(1)</script><ins>",
        "&lt;/del&gt;<del onclick=alert(1)>",
    ],
)
def test_hostile_text_stays_text_on_both_sides_of_the_diff(hostile):
    for old, new in ((hostile, "plain"), ("plain", hostile), (hostile, hostile + " more")):
        elements = _Elements()
        elements.feed(str(render_diff(old, new)))
        assert {tag for tag, _ in elements.found} <= ALLOWED_TAGS | {"ins"}, elements.found
        for _tag, attributes in elements.found:
            assert not [name for name, _ in attributes if name.startswith("on")]
            assert not [v for name, v in attributes if name == "href" and "javascript" in (v or "")]


class _Elements(HTMLParser):
    """Every element of a piece of HTML, as a browser's parser would find it."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def test_a_section_removed_or_added_whole():
    assert str(render_diff("Old words.", "")).strip() == "<del>Old words.</del>"
    assert str(render_diff("", "New words.")).strip() == "<p><ins>New words.</ins></p>"
