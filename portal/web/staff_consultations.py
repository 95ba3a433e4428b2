"""Staff authoring of consultations and moderation (`/staff/consultations…`, `/staff/moderation`).

Staff write a consultation's details and its draft in up to three languages, publish versions,
move its dates, record feedback from group meetings, and handle the moderation queue. Each
action commits once, here; the services write the audit lines. Anyone but staff gets a 404.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consultations import permissions
from consultations.errors import NotAllowed, NotFound
from consultations.models import Comment, CommentStatus, Consultation
from consultations.services import comments, consultations, reading
from consultations.services.comments import CommentRefused
from portal.accounts import sessions
from portal.accounts.confirm import confirmed, needs_confirmation
from portal.extensions import db
from portal.i18n import LOCALES
from portal.web.consultation_forms import (
    ConsultationForm,
    DraftForm,
    ExtendForm,
    HideForm,
    MeetingForm,
    ModerationConfirmForm,
    almaty,
    consultation_form,
    consultation_message,
    draft_form,
    extend_form,
    in_almaty,
    meeting_form,
)
from portal.web.decisions import decision_views

bp = Blueprint("staff_consultations", __name__, url_prefix="/staff")

# Hidden comments leave the queue; the latest ones stay listed so they can be restored.
HIDDEN_LISTED = 50
MODERATED = (CommentStatus.PENDING, CommentStatus.VISIBLE, CommentStatus.HIDDEN)


@bp.before_request
@login_required
def _staff_only() -> None:
    # Anyone else gets a 404: the staff area does not admit that it exists (checklist 24).
    if not current_user.is_staff:
        abort(404)


bp.add_app_template_filter(almaty, "almaty")


def _consultation(public_id: str) -> Consultation:
    try:
        return consultations.get(db.session, public_id)
    except NotFound:
        abort(404)


def _staff():  # type: ignore[no-untyped-def]
    return current_user.member


# --------------------------------------------------------------------------- the list


@bp.get("/consultations")
def index() -> str:
    listed = consultations.listing(
        db.session, sessions.now(), include_drafts=True, include_archived=True
    )
    return render_template("staff/consultations/index.html", listed=listed)


# --------------------------------------------------------------------------- details


def _details_page(  # type: ignore[no-untyped-def]
    form: ConsultationForm,
    consultation: Consultation | None,
    status: int = 200,
    extending: ExtendForm | None = None,
):
    return render_template(
        "staff/consultations/details.html",
        form=form,
        consultation=consultation,
        status=consultation.status(sessions.now()) if consultation else None,
        extend_form=extending or (extend_form(consultation) if consultation else None),
    ), status


@bp.get("/consultations/new")
def new():  # type: ignore[no-untyped-def]
    return _details_page(consultation_form(), None)


@bp.post("/consultations/new")
def create():  # type: ignore[no-untyped-def]
    form = ConsultationForm()
    if not form.validate_on_submit():
        return _details_page(form, None, 400)
    try:
        made = consultations.create(db.session, form.details(), actor=_staff(), now=sessions.now())
    except NotAllowed as refused:
        db.session.rollback()
        form.closes_on.errors.append(consultation_message(str(refused)))
        return _details_page(form, None, 400)
    db.session.commit()
    flash(_("The consultation is created. Now write its draft."), "success")
    return redirect(url_for(".draft", public_id=made.public_id), code=303)


@bp.get("/consultations/<public_id>/edit")
def edit(public_id: str):  # type: ignore[no-untyped-def]
    consultation = _consultation(public_id)
    return _details_page(consultation_form(consultation), consultation)


@bp.post("/consultations/<public_id>/edit")
def update(public_id: str):  # type: ignore[no-untyped-def]
    consultation = _consultation(public_id)
    form = ConsultationForm()
    if not form.validate_on_submit():
        return _details_page(form, consultation, 400)
    try:
        consultations.update(
            db.session, consultation, form.details(), actor=_staff(), now=sessions.now()
        )
    except NotAllowed as refused:
        db.session.rollback()
        form.closes_on.errors.append(consultation_message(str(refused)))
        return _details_page(form, consultation, 400)
    db.session.commit()
    flash(_("The details are saved."), "success")
    return redirect(url_for(".edit", public_id=public_id), code=303)


# --------------------------------------------------------------------------- the draft


def _draft_as_it_stands(consultation: Consultation) -> tuple[int, dict[str, str]]:
    return consultations.draft_as_it_stands(db.session, consultation)


def _draft_page(  # type: ignore[no-untyped-def]
    consultation: Consultation, form: DraftForm, status: int = 200
):
    number, _texts = _draft_as_it_stands(consultation)
    return render_template(
        "staff/consultations/draft.html",
        consultation=consultation,
        form=form,
        number=number,
        status=consultation.status(sessions.now()),
    ), status


@bp.get("/consultations/<public_id>/draft")
def draft(public_id: str):  # type: ignore[no-untyped-def]
    consultation = _consultation(public_id)
    _number, texts = _draft_as_it_stands(consultation)
    return _draft_page(consultation, draft_form(texts))


@bp.post("/consultations/<public_id>/draft")
def save_draft(public_id: str):  # type: ignore[no-untyped-def]
    consultation = _consultation(public_id)
    form = DraftForm()
    if not form.validate_on_submit():
        return _draft_page(consultation, form, 400)
    version = consultations.working_copy(db.session, consultation)
    consultations.save_draft(db.session, version, form.texts())
    if not form.publish.data:
        db.session.commit()
        flash(_("The draft is saved. Members see nothing of it until you publish."), "success")
        return redirect(url_for(".draft", public_id=public_id), code=303)
    try:
        consultations.publish(
            db.session,
            consultation,
            version,
            changelog=form.changelog.data or "",
            actor=_staff(),
            now=sessions.now(),
        )
    except NotAllowed as refused:
        db.session.commit()  # the texts are saved; only publishing waits
        form.text_field(consultation.main_locale).errors.append(consultation_message(str(refused)))
        return _draft_page(consultation, form, 400)
    db.session.commit()
    flash(_("Version %(number)d is published.", number=version.number), "success")
    return redirect(url_for(".preview", public_id=public_id), code=303)


@bp.get("/consultations/<public_id>/preview")
def preview(public_id: str):  # type: ignore[no-untyped-def]
    locale = request.args.get("lang", "")
    if locale not in LOCALES:
        locale = str(get_locale())
    now = sessions.now()
    try:
        page = reading.page(
            db.session, public_id, viewer=_staff(), locale=locale, now=now, since=None
        )
    except NotFound:
        abort(404)
    # The members' own page (templates/consultations/show.html) under a staff note, with the
    # context `member.render_consultation` gives it; staff never get comment forms.
    return render_template(
        "staff/consultations/preview.html",
        page=page,
        consultation=page.consultation,
        decisions=decision_views(page.consultation),
        preview_locale=locale,
        failed=None,
        expanded=request.args.get("all", ""),
        newest=reading.NEWEST_PER_SECTION,
        can_comment=permissions.can_comment(_staff(), page.consultation, now),
        viewer=_staff(),
        permissions=permissions,
        now=now,
        new_form=None,
    )


# --------------------------------------------------------------------------- dates


@bp.post("/consultations/<public_id>/close")
def close(public_id: str) -> Response:
    consultation = _consultation(public_id)
    try:
        consultations.close_now(db.session, consultation, actor=_staff(), now=sessions.now())
    except NotAllowed as refused:
        db.session.rollback()
        flash(consultation_message(str(refused)), "error")
    else:
        db.session.commit()
        flash(_("The consultation is closed: members can no longer comment."), "success")
    return redirect(url_for(".edit", public_id=public_id), code=303)


@bp.post("/consultations/<public_id>/extend")
def extend(public_id: str):  # type: ignore[no-untyped-def]
    consultation = _consultation(public_id)
    form = ExtendForm()
    if form.validate_on_submit():
        try:
            consultations.extend(
                db.session, consultation, form.closes_at(), actor=_staff(), now=sessions.now()
            )
        except NotAllowed as refused:
            db.session.rollback()
            form.new_closes_on.errors.append(consultation_message(str(refused)))
        else:
            db.session.commit()
            flash(
                _("The consultation now closes on %(date)s.", date=almaty(consultation.closes_at)),
                "success",
            )
            return redirect(url_for(".edit", public_id=public_id), code=303)
    return _details_page(consultation_form(consultation), consultation, 400, extending=form)


@bp.post("/consultations/<public_id>/archive")
def archive(public_id: str) -> Response:
    return _set_archived(public_id, True)


@bp.post("/consultations/<public_id>/unarchive")
def unarchive(public_id: str) -> Response:
    return _set_archived(public_id, False)


def _set_archived(public_id: str, archived: bool) -> Response:
    consultation = _consultation(public_id)
    try:
        consultations.set_archived(
            db.session, consultation, archived, actor=_staff(), now=sessions.now()
        )
    except NotAllowed as refused:
        db.session.rollback()
        flash(consultation_message(str(refused)), "error")
    else:
        db.session.commit()
        flash(
            _("The consultation is archived: members no longer see it in their list.")
            if archived
            else _("The consultation is back in the members' list."),
            "success",
        )
    return redirect(url_for(".edit", public_id=public_id), code=303)


# --------------------------------------------------------------------------- meetings


def _meeting_form(consultation: Consultation) -> MeetingForm:
    versions = consultations.published_versions(db.session, consultation)
    current = versions[-1] if versions else None
    main = consultation.main_locale
    sections = [
        (section.key, text.title if (text := section.text_in(main, main)) else section.key)
        for section in (current.sections if current else [])
    ]
    return meeting_form(
        sections,
        version=current.number if current else 0,
        today=in_almaty(sessions.now()).date(),
    )


def _meeting_page(  # type: ignore[no-untyped-def]
    consultation: Consultation, form: MeetingForm, status: int = 200
):
    return render_template(
        "staff/consultations/meeting.html",
        consultation=consultation,
        form=form,
        status=consultation.status(sessions.now()),
    ), status


@bp.get("/consultations/<public_id>/meeting")
def meeting(public_id: str):  # type: ignore[no-untyped-def]
    consultation = _consultation(public_id)
    return _meeting_page(consultation, _meeting_form(consultation))


@bp.post("/consultations/<public_id>/meeting")
def record_meeting(public_id: str):  # type: ignore[no-untyped-def]
    consultation = _consultation(public_id)
    form = _meeting_form(consultation)
    if not form.validate_on_submit():
        return _meeting_page(consultation, form, 400)
    try:
        comments.record_meeting(
            db.session,
            consultation,
            held_on=form.held_on.data,
            place_type=form.place_type.data,
            participants=form.participants.data,
            feedback=form.feedback(),
            actor=_staff(),
            now=sessions.now(),
        )
    except (CommentRefused, NotAllowed) as refused:
        db.session.rollback()
        form.general.errors.append(consultation_message(str(refused)))
        return _meeting_page(consultation, form, 400)
    db.session.commit()
    flash(_("The feedback from the meeting is recorded."), "success")
    return redirect(url_for(".preview", public_id=public_id), code=303)


# --------------------------------------------------------------------------- moderation


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
        "staff/moderation.html",
        queue=queue,
        hidden=hidden,
        consultations=consultations.by_ids(
            db.session,
            {c.consultation_id for c, _reports in queue} | {c.consultation_id for c in hidden},
        ),
        failed_id=failed[0] if failed else None,
        failed_action=failed[1] if failed else None,
        hide_form=hide_form or HideForm(formdata=None),
        confirm_form=confirm_form or ModerationConfirmForm(formdata=None),
        needs_confirmation=needs_confirmation(),
    ), status


def _comment(comment_id: int, *, also: tuple[CommentStatus, ...] = ()) -> Comment:
    """A comment staff can act on: pending, visible or hidden (or a state named in `also`).

    Removed comments are gone for good, and a comment its author deleted has no text to bring
    back: it can only be removed, which closes its reports.
    """
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.status not in (*MODERATED, *also):
        abort(404)
    return comment


def _back_to_queue(message: str) -> Response:
    flash(message, "success")
    return redirect(url_for(".moderation"), code=303)


@bp.get("/moderation")
def moderation():  # type: ignore[no-untyped-def]
    return _moderation_page()


@bp.post("/moderation/<int:comment_id>/approve")
def approve(comment_id: int) -> Response:
    comments.approve(db.session, _comment(comment_id), actor=_staff(), now=sessions.now())
    db.session.commit()
    return _back_to_queue(_("The comment is approved: members can see it."))


@bp.post("/moderation/<int:comment_id>/hide")
def hide(comment_id: int):  # type: ignore[no-untyped-def]
    comment = _comment(comment_id)
    form = HideForm()
    if not form.validate_on_submit():
        return _moderation_page(failed=(comment.id, "hide"), hide_form=form, status=400)
    comments.hide(db.session, comment, actor=_staff(), reason=form.reason.data, now=sessions.now())
    db.session.commit()
    return _back_to_queue(_("The comment is hidden. Its author sees the reason."))


@bp.post("/moderation/<int:comment_id>/restore")
def restore(comment_id: int) -> Response:
    comments.restore(db.session, _comment(comment_id), actor=_staff(), now=sessions.now())
    db.session.commit()
    return _back_to_queue(_("The comment is visible again, and its reports are closed."))


@bp.post("/moderation/<int:comment_id>/remove")
def remove(comment_id: int):  # type: ignore[no-untyped-def]
    comment = _comment(comment_id, also=(CommentStatus.DELETED,))
    form = ModerationConfirmForm()
    if not (form.validate_on_submit() and confirmed(form)):
        return _moderation_page(failed=(comment.id, "remove"), confirm_form=form, status=400)
    comments.remove(db.session, comment, actor=_staff(), now=sessions.now())
    db.session.commit()
    return _back_to_queue(_("The comment is removed for good: its text is erased."))


@bp.post("/moderation/<int:comment_id>/author")
def reveal_author(comment_id: int):  # type: ignore[no-untyped-def]
    comment = db.session.get(Comment, comment_id) or abort(404)
    form = ModerationConfirmForm()
    if not (form.validate_on_submit() and confirmed(form)):
        return _moderation_page(failed=(comment.id, "reveal_author"), confirm_form=form, status=400)
    try:
        author = comments.reveal_author(db.session, comment, actor=_staff(), now=sessions.now())
    except NotAllowed as refused:
        db.session.rollback()
        flash(consultation_message(str(refused)), "error")
        return redirect(url_for(".moderation"), code=303)
    db.session.commit()
    return render_template(
        "staff/consultations/comment_author.html", comment=comment, author=author
    )
