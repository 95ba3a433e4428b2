"""Moderation: the queue of reported and held comments, hiding (with a reason the author
sees), restoring, removing for good, and looking up a reported comment's author (audited)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from consultations.errors import NotAllowed
from consultations.models import Comment, CommentStatus
from consultations.services import comments, consultations, records
from portal import clock
from portal.accounts.confirm import confirmed, needs_confirmation
from portal.extensions import db
from portal.web.guards import acting_staff, or_404, staff_area
from portal.web.moderation.forms import HideForm, ModerationConfirmForm, moderation_message

bp = Blueprint("moderation", __name__, url_prefix="/staff/moderation")
staff_area(bp)

# Hidden comments leave the queue; the latest ones stay listed so they can be restored.
HIDDEN_LISTED = 50
MODERATED = (CommentStatus.PENDING, CommentStatus.VISIBLE, CommentStatus.HIDDEN)


def _moderation_page(  # type: ignore[no-untyped-def]
    *,
    failed: tuple[int, str] | None = None,
    hide_form: HideForm | None = None,
    confirm_form: ModerationConfirmForm | None = None,
    status: int = 200,
):
    queue = comments.moderation_queue(db.session)
    hidden = comments.recently_hidden(db.session, HIDDEN_LISTED)
    return render_template(
        "staff/moderation/queue.html",
        queue=queue,
        hidden=hidden,
        consultations=consultations.by_ids(
            db.session,
            {c.consultation_id for c, _reports in queue} | {c.consultation_id for c in hidden},
        ),
        **_forms(failed, hide_form, confirm_form),
    ), status


def _forms(
    failed: tuple[int, str] | None,
    hide_form: HideForm | None,
    confirm_form: ModerationConfirmForm | None,
) -> dict[str, object]:
    """What both pages need to show a comment's forms, and the one that was refused."""
    return {
        "failed_id": failed[0] if failed else None,
        "failed_action": failed[1] if failed else None,
        "hide_form": hide_form or HideForm(formdata=None),
        "confirm_form": confirm_form or ModerationConfirmForm(formdata=None),
        "needs_confirmation": needs_confirmation(),
    }


def _comment_page(  # type: ignore[no-untyped-def]
    comment: Comment,
    *,
    failed: str | None = None,
    hide_form: HideForm | None = None,
    confirm_form: ModerationConfirmForm | None = None,
    status: int = 200,
):
    """One comment, reported or not, with what staff can do to it (issue 11, item 3)."""
    return render_template(
        "staff/moderation/comment.html",
        comment=comment,
        reports=comments.open_reports(db.session, comment),
        consultations=consultations.by_ids(db.session, {comment.consultation_id}),
        single=True,
        # A hidden comment's words may stand in published records: offer to take them out.
        quoted=records.quotes_within(db.session, comment.text)
        if comment.status == CommentStatus.HIDDEN
        else [],
        **_forms((comment.id, failed) if failed else None, hide_form, confirm_form),
    ), status


def _from_comment_page() -> bool:
    return request.form.get("from") == "comment"


def _refused(comment: Comment, action: str, **forms):  # type: ignore[no-untyped-def]
    """A refused form comes back on the page it was sent from, with what was typed."""
    if _from_comment_page():
        return _comment_page(comment, failed=action, status=400, **forms)
    return _moderation_page(failed=(comment.id, action), status=400, **forms)


def _done(comment: Comment, message: str) -> Response:
    """Back to the queue, or from the one-comment page to the comment in its consultation."""
    flash(message, "success")
    if _from_comment_page():
        (found,) = consultations.by_ids(db.session, {comment.consultation_id}).values()
        target = url_for(
            "staff_consultations.preview",
            public_id=found.public_id,
            _anchor=f"comment-{comment.id}",
        )
        return redirect(target, code=303)
    return redirect(url_for(".queue_page"), code=303)


def _comment(comment_id: int, *, also: tuple[CommentStatus, ...] = ()) -> Comment:
    """A comment staff can act on: pending, visible or hidden (or a state named in `also`).

    Removed comments are gone for good, and a comment its author deleted has no text to bring
    back: it can only be removed, which closes its reports.
    """
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.status not in (*MODERATED, *also):
        abort(404)
    return comment


@bp.get("")
def queue_page():  # type: ignore[no-untyped-def]
    return _moderation_page()


@bp.get("/<int:comment_id>")
def comment_page(comment_id: int):  # type: ignore[no-untyped-def]
    return _comment_page(_comment(comment_id, also=(CommentStatus.DELETED,)))


@bp.post("/<int:comment_id>/approve")
def approve(comment_id: int) -> Response:
    comment = _comment(comment_id)
    comments.approve(db.session, comment, actor=acting_staff(), now=clock.now())
    db.session.commit()
    return _done(comment, _("The comment is approved: members can see it."))


@bp.post("/<int:comment_id>/hide")
def hide(comment_id: int):  # type: ignore[no-untyped-def]
    comment = _comment(comment_id)
    form = HideForm()
    if not form.validate_on_submit():
        return _refused(comment, "hide", hide_form=form)
    comments.hide(
        db.session, comment, actor=acting_staff(), reason=form.reason.data, now=clock.now()
    )
    db.session.commit()
    if records.quotes_within(db.session, comment.text):
        flash(
            _(
                "The comment is hidden. Its words are quoted in advisory records: if they could "
                "identify someone, remove them below."
            ),
            "success",
        )
        return redirect(url_for(".comment_page", comment_id=comment.id), code=303)
    return _done(comment, _("The comment is hidden. Its author sees the reason."))


@bp.post("/<int:comment_id>/redact-quotes")
def redact_quotes(comment_id: int) -> Response:
    """Take this hidden comment's words out of every advisory record that quotes them."""
    comment = _comment(comment_id)
    if comment.status != CommentStatus.HIDDEN:
        flash(_("Hide the comment first: only a hidden comment's words are removed."), "error")
        return redirect(url_for(".comment_page", comment_id=comment.id), code=303)
    redacted = records.redact_within(
        db.session, comment.text, actor=acting_staff(), now=clock.now()
    )
    db.session.commit()
    flash(
        ngettext(
            "The words are removed from %(num)d quote in advisory records.",
            "The words are removed from %(num)d quotes in advisory records.",
            len(redacted),
        ),
        "success",
    )
    return redirect(url_for(".comment_page", comment_id=comment.id), code=303)


@bp.post("/<int:comment_id>/restore")
def restore(comment_id: int) -> Response:
    comment = _comment(comment_id)
    comments.restore(db.session, comment, actor=acting_staff(), now=clock.now())
    db.session.commit()
    return _done(comment, _("The comment is visible again, and its reports are closed."))


@bp.post("/<int:comment_id>/remove")
def remove(comment_id: int):  # type: ignore[no-untyped-def]
    comment = _comment(comment_id, also=(CommentStatus.DELETED,))
    form = ModerationConfirmForm()
    if not (form.validate_on_submit() and confirmed(form)):
        return _refused(comment, "remove", confirm_form=form)
    comments.remove(db.session, comment, actor=acting_staff(), now=clock.now())
    db.session.commit()
    return _done(comment, _("The comment is removed for good: its text is erased."))


@bp.post("/<int:comment_id>/author")
def reveal_author(comment_id: int):  # type: ignore[no-untyped-def]
    comment = or_404(db.session.get, Comment, comment_id)
    form = ModerationConfirmForm()
    if not (form.validate_on_submit() and confirmed(form)):
        return _refused(comment, "reveal_author", confirm_form=form)
    try:
        author = comments.reveal_author(db.session, comment, actor=acting_staff(), now=clock.now())
    except NotAllowed as refused:
        db.session.rollback()
        flash(moderation_message(str(refused)), "error")
        return redirect(url_for(".queue_page"), code=303)
    db.session.commit()
    return render_template("staff/moderation/comment_author.html", comment=comment, author=author)
