"""Consultations as members read them (`/consultations/…`): the list, a consultation page with
its sections and comments, writing, editing, deleting and reporting comments, and the changes
between versions. Anything a member may not see is a 404.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    get_template_attribute,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from consultations import permissions
from consultations.errors import NotAllowed, NotFound
from consultations.models import Comment, CommentStatus, Consultation, Status
from consultations.services import comments, consultations, reading, records
from consultations.services.comments import CommentRefused
from portal import clock
from portal.extensions import db
from portal.web.consultations import fragments
from portal.web.consultations.comment_forms import (
    COMMENT_TOO_LONG,
    CommentForm,
    ConfirmDeleteForm,
    EditCommentForm,
    ReportForm,
)
from portal.web.decisions.views import decision_views
from portal.web.guards import or_404
from portal.web.ids import database_id

bp = Blueprint("consultations", __name__, url_prefix="/consultations")

COMMENT_REFUSALS = {
    "empty": _l("Write your comment first: it cannot be empty or only spaces."),
    "too_long": COMMENT_TOO_LONG,
    "control": _l("Remove the invisible or control characters from your comment."),
    "daily_limit": _l(
        "You have written as many comments today as one member can in a day. Your text is kept "
        "here: please send it tomorrow."
    ),
}


@bp.before_request
@login_required
def _signed_in_only() -> None:
    """Consultations are for the group: members and staff."""


def _viewer():  # type: ignore[no-untyped-def]
    return current_user.member


def _locale() -> str:
    return str(get_locale() or "kk")


def _opened(public_id: str) -> Consultation:
    """The page's first query (the consultation, its versions and its change stamp)."""
    return or_404(reading.opened, db.session, public_id, viewer=_viewer(), now=clock.now())


def _page(public_id: str) -> reading.Page:
    return _loaded(_opened(public_id))


def _loaded(consultation: Consultation) -> reading.Page:
    return reading.page(
        db.session, consultation, viewer=_shared_viewer(), locale=_locale(), now=clock.now()
    )


def _shared_viewer():  # type: ignore[no-untyped-def]
    """Whose view the kept part of a page is rendered for: staff's (every comment) or any
    member's (published ones; each reader's own are added by `fragments`)."""
    return _viewer() if permissions.is_staff(_viewer()) else None


def _back_to(public_id: str, comment: Comment) -> Response:
    """To the comment where it is shown whole: a reply on a section, in its thread on the
    section's own page (the consultation page shows threads briefly); any other comment on
    the consultation page."""
    anchor = f"comment-{comment.id}"
    if comment.parent_id is not None and comment.section_key:
        return redirect(
            url_for(".section", public_id=public_id, key=comment.section_key, _anchor=anchor),
            code=303,
        )
    return redirect(url_for(".show", public_id=public_id, _anchor=anchor), code=303)


@bp.get("")
def index() -> str:
    show_archived = request.args.get("archived") == "1"
    listed = consultations.listing(
        db.session,
        clock.now(),
        include_drafts=permissions.is_staff(_viewer()),
        include_archived=show_archived,
    )
    return render_template("consultations/list.html", listed=listed, show_archived=show_archived)


def reading_context(
    consultation: Consultation,
    *,
    load: Callable[[], reading.Page],
    failed: CommentForm | None = None,
    only: str | None = None,
    keep: bool = True,
    locale: str | None = None,
    head: reading.Page | None = None,
) -> dict[str, object]:
    """What a page of the consultation's text and comments needs — the whole page, a section's
    page and staff's previews alike: the page's head (without its sections and comments), its
    kept part with the reader's own bits (`fragments`), whether its version is new to them.
    Staff never get a comment form: they do not comment."""
    now = clock.now()
    reader = fragments.Reader(
        member=_viewer(),
        since=current_user.state.previous_visit_on,
        form=fragments.section_forms(
            consultation, lambda key: CommentForm(formdata=None, section=key or ""), failed
        )
        if permissions.can_comment(_viewer(), consultation, now)
        else None,
    )
    parts = fragments.parts(
        consultation,
        load=load,
        reader=reader,
        locale=locale or _locale(),
        now=now,
        only=only,
        own=lambda: reading.own_comments(db.session, consultation, _viewer()),
        keep=keep,
    )
    if parts is None:
        abort(404)
    head = head or reading.head(consultation, now)
    return {
        "page": head,
        "parts": parts,
        "failed": failed,
        "version_is_new": reading.version_is_new(head.version, reader.since),
    }


def render_consultation(
    consultation: Consultation, *, failed: CommentForm | None = None, status: int = 200
):  # type: ignore[no-untyped-def]
    """The consultation page: its head, decisions and outcomes, and its kept part."""
    context = reading_context(consultation, load=lambda: _loaded(consultation), failed=failed)
    return render_template(
        "consultations/show.html",
        decisions=decision_views(consultation),
        outcomes=[
            outcome
            for _consultation, found in records.outcomes(
                db.session, consultation_id=consultation.id
            )
            for outcome in found
        ]
        if consultation.status(clock.now()) == Status.CLOSED
        else [],
        **context,
    ), status


@bp.get("/outcomes")
def outcomes() -> str:
    """What became of the group's advice: for each consultation members can see, the records
    made from it and where each of their recommendations stands."""
    return render_template(
        "consultations/outcomes.html",
        listed=records.outcomes(db.session, published_only=not permissions.is_staff(_viewer())),
    )


@bp.get("/<public_id>")
def show(public_id: str) -> tuple[str, int]:
    return render_consultation(_opened(public_id))


@bp.get("/<public_id>/sections/<key>")
def section(public_id: str, key: str) -> str:
    """A section with all its comments (the consultation page shows the newest few)."""
    consultation = _opened(public_id)
    context = reading_context(consultation, load=lambda: _loaded(consultation), only=key[:40])
    return render_template("consultations/section.html", key=key[:40], **context)


@bp.post("/<public_id>/comments")
def add_comment(public_id: str):  # type: ignore[no-untyped-def]
    consultation = _opened(public_id)
    form = CommentForm()
    if form.validate_on_submit():
        parent = None
        if form.parent.data:
            try:
                parent = comments.find(
                    db.session, consultation, database_id(form.parent.data), _viewer()
                )
            except (NotFound, ValueError):
                abort(404)
        try:
            comment = comments.add(
                db.session,
                consultation,
                author=_viewer(),
                text=form.text.data,
                stance=form.stance.data,
                section_key=form.section.data or None,
                parent=parent,
                show_pseudonym=form.show_pseudonym.data,
                quotable=form.quotable.data,
                now=clock.now(),
            )
        except CommentRefused as refused:
            form.text.errors.append(str(COMMENT_REFUSALS[refused.code]))
        except NotAllowed:
            form.text.errors.append(_("This consultation is not open for comments."))
        except NotFound:
            abort(404)
        else:
            db.session.commit()
            flash(
                _("Your comment is waiting for review by staff.")
                if comment.status == CommentStatus.PENDING
                else _("Your comment is published."),
                "success",
            )
            return _back_to(public_id, comment)
    db.session.rollback()
    if form.parent.data:  # a refused reply: back on its reply page, with its text and the reason
        consultation, thread = _repliable(public_id, form.parent.data)
        return render_reply(consultation, thread, form, status=400)
    return render_consultation(_opened(public_id), failed=form, status=400)


def _repliable(public_id: str, comment_id: int | str):  # type: ignore[no-untyped-def]
    """The consultation and the thread a member may reply to now, or a 404."""
    try:
        wanted = database_id(str(comment_id))
    except ValueError:
        abort(404)
    consultation, thread = or_404(
        reading.thread,
        db.session,
        public_id,
        wanted,
        viewer=_viewer(),
        now=clock.now(),
    )
    if thread.comment.status != CommentStatus.VISIBLE or not permissions.can_comment(
        _viewer(), consultation, clock.now()
    ):
        abort(404)
    return consultation, thread


def render_reply(consultation, thread, form: CommentForm, *, status: int = 200):  # type: ignore[no-untyped-def]
    page = {"consultation": consultation}
    reader = fragments.Reader(member=_viewer(), since=current_user.state.previous_visit_on)
    shown = get_template_attribute("consultations/_comments.html", "one_thread")(
        thread, page, False
    )
    return render_template(
        "consultations/reply.html",
        page=page,
        thread=thread,
        shown=fragments.fill(shown, consultation, reader, False, clock.now()),
        form=form,
    ), status


@bp.get("/<public_id>/comments/<int:comment_id>/reply")
def reply(public_id: str, comment_id: int):  # type: ignore[no-untyped-def]
    """A reply is written on a page of its own (the consultation page carries no form per
    comment): the comment, the replies so far, and the form. Works without JavaScript."""
    consultation, thread = _repliable(public_id, comment_id)
    form = CommentForm(
        formdata=None, section=thread.comment.section_key or "", parent=str(comment_id)
    )
    return render_reply(consultation, thread, form)


def _head(public_id: str) -> reading.Page:
    """The consultation without its sections and comments: what a page about one comment
    needs."""
    return reading.head(_opened(public_id), clock.now())


def _own_comment(public_id: str, comment_id: int):  # type: ignore[no-untyped-def]
    page_data = _head(public_id)
    comment = or_404(comments.find, db.session, page_data.consultation, comment_id, _viewer())
    if not permissions.can_edit(_viewer(), comment, page_data.consultation, clock.now()):
        abort(404)
    return page_data, comment


@bp.route("/<public_id>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
def edit_comment(public_id: str, comment_id: int):  # type: ignore[no-untyped-def]
    page_data, comment = _own_comment(public_id, comment_id)
    form = EditCommentForm(obj=comment)
    if form.validate_on_submit():
        try:
            comments.edit(
                db.session,
                comment,
                page_data.consultation,
                author=_viewer(),
                text=form.text.data,
                stance=form.stance.data,
                now=clock.now(),
            )
        except CommentRefused as refused:
            db.session.rollback()
            form.text.errors.append(str(COMMENT_REFUSALS[refused.code]))
        else:
            db.session.commit()
            flash(_("Your comment is changed."), "success")
            return _back_to(public_id, comment)
    return render_template(
        "consultations/edit_comment.html", page=page_data, form=form, comment=comment
    ), 400 if form.is_submitted() else 200


@bp.route("/<public_id>/comments/<int:comment_id>/delete", methods=["GET", "POST"])
def delete_comment(public_id: str, comment_id: int):  # type: ignore[no-untyped-def]
    """A page that asks first (it works without JavaScript); the POST deletes."""
    page_data, comment = _own_comment(public_id, comment_id)
    if request.method == "GET":
        return render_template(
            "consultations/delete_comment.html",
            page=page_data,
            comment=comment,
            form=ConfirmDeleteForm(),
        )
    if not ConfirmDeleteForm().validate_on_submit():
        abort(400)
    comments.delete_own(
        db.session, comment, page_data.consultation, author=_viewer(), now=clock.now()
    )
    db.session.commit()
    flash(_("Your comment is deleted."), "success")
    return redirect(url_for(".show", public_id=public_id), code=303)


@bp.route("/<public_id>/comments/<int:comment_id>/report", methods=["GET", "POST"])
def report_comment(public_id: str, comment_id: int):  # type: ignore[no-untyped-def]
    page_data = _head(public_id)
    comment = or_404(comments.find, db.session, page_data.consultation, comment_id, _viewer())
    if not permissions.can_report(_viewer(), comment):
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            comments.report(
                db.session,
                comment,
                reporter=_viewer(),
                reason=form.reason.data,
                note=form.note.data or "",
                today=clock.now().date(),
            )
        except CommentRefused as refused:
            form.note.errors.append(str(COMMENT_REFUSALS[refused.code]))
        else:
            db.session.commit()
            flash(
                _("Thank you. Staff will look at this comment. Only staff know who reported it."),
                "success",
            )
            return _back_to(public_id, comment)
    return render_template(
        "consultations/report.html", page=page_data, form=form, comment=comment
    ), 400 if form.is_submitted() else 200


@bp.get("/<public_id>/changes")
def changes(public_id: str) -> str:
    page_data = _page(public_id)
    numbers = [v.number for v in page_data.versions]
    if len(numbers) < 2:
        return render_template(
            "consultations/changes.html", page=page_data, changes=None, first=None, second=None
        )
    try:
        first = int(request.args.get("from", numbers[-2]))
        second = int(request.args.get("to", numbers[-1]))
        found = reading.changes_between(page_data, first, second, _locale())
    except (ValueError, NotFound):
        abort(404)
    return render_template(
        "consultations/changes.html", page=page_data, changes=found, first=first, second=second
    )
