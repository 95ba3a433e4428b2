"""A consultation page in two layers: the part every reader of one kind sees alike, rendered
once and kept under the consultation's change stamp (`portal.fragments`), and the reader's
own bits, put into its slots on every request without rendering the rest again (issue 15).

The kept part (`templates/consultations/_draft.html`) is rendered for a reader of a *kind*
— members (who see published comments) or staff (who also see those waiting for review and
hidden ones, with the moderation link) — in one language, for one state of the consultation
(open for comments or not). It never holds anything of one reader. Its slots are HTML comments
(`portal.security.slots`) that nothing a member, staff or a draft writes can make:

- `actions` (a comment's id and status): the links to edit and delete the reader's own comment
  while the consultation is open, or to report another's;
- `new` and `toc` (the day of a thread's or a section's newest comment): "new since your last
  visit", against the reader's own last visit;
- `own` (a section) and `replies` (a thread): the reader's own comments that only they and
  staff see — awaiting review, or hidden by staff — at the end of their section or thread;
- `form` (a section): the comment form, with the reader's CSRF token, and their refused text
  and its reason when a comment came back;
- `split`: where the sections' list ends and the draft begins.

Every slot left is emptied: none reaches a browser.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app, g, get_template_attribute, render_template
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from consultations import permissions
from consultations.models import Comment, CommentStatus, Consultation, Member
from consultations.services import reading
from portal.fragments import FragmentCache
from portal.security import slots

_COMMENTS = "consultations/_comments.html"
_SECTION = "consultations/_section.html"


def install(app) -> None:  # type: ignore[no-untyped-def]
    app.jinja_env.globals["slot"] = slots.slot
    app.extensions["kenes.fragments"] = FragmentCache()
    if app.config["KENES"].env == "testing":
        # Tests through real gunicorn workers see which worker answered and whether its kept
        # part served the page; never outside tests (it would tell that a page was read).
        app.after_request(_report_kept)


def _report_kept(response):  # type: ignore[no-untyped-def]
    how = {True: "kept", False: "rendered"}.get(g.get("kenes_kept"), "none")
    response.headers["X-Kenes-Kept"] = f"{os.getpid()} {how}"
    return response


@dataclass(frozen=True)
class Kept:
    """A kept part, split at its slots once: the sections' list and the draft."""

    toc: slots.Parsed
    body: slots.Parsed
    size: int  # characters, for the cache's bound

    def __len__(self) -> int:
        return self.size


@dataclass(frozen=True)
class Parts:
    toc: Markup
    body: Markup


@dataclass
class Reader:
    """Who reads, and what of the page is theirs."""

    member: Member
    since: date | None  # their last visit: what is newer is marked
    own: list[Comment] = field(default_factory=list)  # every comment they wrote here
    form: Callable[[str], Markup] | None = None  # a section's comment form (None: not open)


def parts(
    consultation: Consultation,
    *,
    load: Callable[[], reading.Page],
    reader: Reader,
    locale: str,
    now: datetime,
    only: str | None = None,
    own: Callable[[], list[Comment]],
    keep: bool = True,
) -> Parts | None:
    """The page's parts for `reader`: the kept part (rendered by `load`ing the page only when
    it is not kept), then their own bits. None when `only` names no section.

    The key: the consultation and its change stamp (read by the page's first query), the
    reader's kind, the language, the consultation's state and whether the reader may comment
    (which move with the clock, not the stamp), and the section shown alone."""
    can_comment = permissions.can_comment(reader.member, consultation, now)
    staff = permissions.is_staff(reader.member)
    key = (staff, locale, consultation.status(now), can_comment, only)
    loaded: list[reading.Page] = []

    def render() -> Kept | None:
        page = load()
        loaded.append(page)
        chosen = None
        if only is not None:
            chosen = next((s for s in page.sections if s.key == only), None)
            if chosen is None:
                return None
        html = render_template(
            "consultations/_draft.html",
            page=page,
            staff=staff,
            can_comment=can_comment,
            limit=reading.NEWEST_PER_SECTION,
            only=chosen,
        )
        toc, body = slots.split(html, "split")
        return Kept(slots.parse(toc), slots.parse(body), len(html))

    if keep:
        cache: FragmentCache = current_app.extensions["kenes.fragments"]
        kept, hit = cache.get_or_render(consultation.id, consultation.change_stamp, key, render)
        g.kenes_kept = hit
    else:  # a draft's preview: never kept, its text is not the published one
        kept = render()
    if kept is None:
        return None
    if loaded:  # rendered now: the reader's own comments are among those loaded
        reader.own = [c for c in loaded[0].everything if c.author_id == reader.member.id]
    else:
        reader.own = own()
    put = filler(consultation, reader, staff, now)
    return Parts(toc=slots.assemble(kept.toc, put), body=slots.assemble(kept.body, put))


def fill(
    html: str, consultation: Consultation, reader: Reader, staff: bool, now: datetime
) -> Markup:
    """Rendered `html` with `reader`'s own bits in its slots (a page not kept: a reply's)."""
    return slots.fill(html, filler(consultation, reader, staff, now))


def filler(
    consultation: Consultation, reader: Reader, staff: bool, now: datetime
) -> Callable[[str, str], str | Markup]:
    """What goes into each slot for `reader`."""
    one = get_template_attribute(_COMMENTS, "own_comment")
    actions = get_template_attribute(_COMMENTS, "comment_actions")
    badge = get_template_attribute(_COMMENTS, "new_badge")
    since = reader.since.isoformat() if reader.since else None
    mine = {c.id: c for c in reader.own}
    # Only they and staff see these; staff's kept part has them in place already.
    apart: dict[tuple[str, str], list[Comment]] = defaultdict(list)
    if not staff:
        for c in reader.own:
            if c.status in (CommentStatus.PENDING, CommentStatus.HIDDEN):
                kind = ("replies", str(c.parent_id)) if c.parent_id else ("own", c.section_key)
                apart[(kind[0], kind[1] or "")].append(c)
    shown_author = reader.member.pseudonym
    page = {"consultation": consultation}
    links: dict[bool, Markup] = {}
    may_report = not reader.member.disabled
    new_mark = badge() if since else ""
    toc_mark = badge(True) if since else ""

    def link(comment_id: int, own: bool) -> Markup:
        if own not in links:
            links[own] = actions(consultation.public_id, _SAMPLE_ID, own)
        return slots.with_values(links[own], {str(_SAMPLE_ID): str(comment_id)})

    def put(kind: str, value: str) -> str | Markup:
        if kind == "actions":
            comment_id, status = value.split(":")
            own = mine.get(int(comment_id))
            if own is not None:
                editable = permissions.can_edit(reader.member, own, consultation, now)
                return link(own.id, True) if editable else ""
            if may_report and status == CommentStatus.VISIBLE:
                return link(int(comment_id), False)
            return ""
        if kind == "new":
            return new_mark if since and value and value > since else ""
        if kind == "toc":
            return toc_mark if since and value and value > since else ""
        if kind in ("own", "replies"):
            written = apart.get((kind, value))
            if not written:
                return ""
            shown = escape("").join(
                one(c, shown_author if c.show_pseudonym else None, page) for c in written
            )
            return slots.fill(shown, put)
        if kind == "form":
            return reader.form(value) if reader.form is not None else ""
        return ""

    return put


# A comment id no real comment has, replaced in the rendered links by each comment's own.
_SAMPLE_ID = 2_147_483_647


def section_forms(consultation: Consultation, make_form, failed) -> Callable[[str], Markup]:  # type: ignore[no-untyped-def]
    """Each section's comment form, with the reader's CSRF token, put in each section's slot;
    a refused form is rendered as it came back. The blank forms are rendered once a worker and
    language (`_blank`): every reader's differ only in consultation, section and token."""
    page = {"consultation": consultation}
    token = generate_csrf()

    def render(key: str) -> Markup:
        if failed is not None and (failed.section.data or "") == key and not failed.parent.data:
            if key:
                return get_template_attribute(_SECTION, "section_form")(
                    make_form(key), page, key, failed
                )
            return get_template_attribute(_COMMENTS, "comment_form")(
                make_form(None), page, None, None, failed
            )
        blank = _blank(make_form)[bool(key)]
        return slots.with_values(
            blank,
            {_SAMPLE_PUBLIC_ID: consultation.public_id, _SAMPLE_KEY: key, _SAMPLE_TOKEN: token},
        )

    return render


_SAMPLE_PUBLIC_ID = "kenes-sample-consultation"
_SAMPLE_KEY = "kenes-sample-section"
_SAMPLE_TOKEN = "kenes-sample-token"  # noqa: S105 — where each reader's CSRF token goes
_BLANK_FORMS: dict[str, tuple[Markup, Markup]] = {}


def _blank(make_form) -> tuple[Markup, Markup]:  # type: ignore[no-untyped-def]
    """(the whole draft's form, a section's form) in the reader's language, blank, with
    samples for the consultation, the section and the token."""
    locale = str(get_locale())
    if locale not in _BLANK_FORMS:
        page = {"consultation": {"public_id": _SAMPLE_PUBLIC_ID}}
        token = generate_csrf()
        whole = get_template_attribute(_COMMENTS, "comment_form")
        section = get_template_attribute(_SECTION, "section_form")
        forms = (
            whole(make_form(None), page, None, None, None),
            section(make_form(_SAMPLE_KEY), page, _SAMPLE_KEY, None),
        )
        if not all(token in form for form in forms):
            return forms  # never kept with someone's token in it
        _BLANK_FORMS[locale] = (
            slots.with_values(forms[0], {token: _SAMPLE_TOKEN}),
            slots.with_values(forms[1], {token: _SAMPLE_TOKEN}),
        )
    return _BLANK_FORMS[locale]
