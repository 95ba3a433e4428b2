"""Staff authoring of consultations and moderation (`/staff/consultations…`, `/staff/moderation`).

Staff write a consultation's details and its draft in up to three languages, publish versions,
move its dates, record feedback from group meetings, and handle the moderation queue. Each
action commits once, here; the services write the audit lines. Anyone but staff gets a 404.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from consultations.errors import NotAllowed
from consultations.models import CommentStatus, Consultation, PlaceType
from consultations.services import comments, consultations, reading
from consultations.services.comments import CommentRefused
from portal import clock
from portal.extensions import db
from portal.i18n import LOCALES
from portal.web.consultations.forms import (
    ConsultationForm,
    DraftForm,
    MeetingForm,
    consultation_form,
    consultation_message,
    draft_form,
    meeting_form,
)
from portal.web.consultations.views import reading_context
from portal.web.decisions.views import decision_views
from portal.web.fields import ExtendForm, almaty, extend_form, in_almaty
from portal.web.guards import acting_staff, or_404, staff_area

bp = Blueprint("staff_consultations", __name__, url_prefix="/staff/consultations")

# Hidden comments leave the queue; the latest ones stay listed so they can be restored.
HIDDEN_LISTED = 50
MODERATED = (CommentStatus.PENDING, CommentStatus.VISIBLE, CommentStatus.HIDDEN)


staff_area(bp)


def _consultation(public_id: str) -> Consultation:
    return or_404(consultations.get, db.session, public_id)


# --------------------------------------------------------------------------- the list


@bp.get("")
def index() -> str:
    listed = consultations.listing(
        db.session, clock.now(), include_drafts=True, include_archived=True
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
        status=consultation.status(clock.now()) if consultation else None,
        extend_form=extending or (extend_form(consultation) if consultation else None),
    ), status


@bp.get("/new")
def new():  # type: ignore[no-untyped-def]
    return _details_page(consultation_form(), None)


@bp.post("/new")
def create():  # type: ignore[no-untyped-def]
    form = ConsultationForm()
    if not form.validate_on_submit():
        return _details_page(form, None, 400)
    try:
        made = consultations.create(
            db.session, form.details(), actor=acting_staff(), now=clock.now()
        )
    except NotAllowed as refused:
        db.session.rollback()
        form.closes_on.errors.append(consultation_message(str(refused)))
        return _details_page(form, None, 400)
    db.session.commit()
    flash(_("The consultation is created. Now write its draft."), "success")
    return redirect(url_for(".draft", public_id=made.public_id), code=303)


@bp.get("/<public_id>/edit")
def edit(public_id: str):  # type: ignore[no-untyped-def]
    consultation = _consultation(public_id)
    return _details_page(consultation_form(consultation), consultation)


@bp.post("/<public_id>/edit")
def update(public_id: str):  # type: ignore[no-untyped-def]
    consultation = _consultation(public_id)
    form = ConsultationForm()
    if not form.validate_on_submit():
        return _details_page(form, consultation, 400)
    try:
        consultations.update(
            db.session, consultation, form.details(), actor=acting_staff(), now=clock.now()
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
        status=consultation.status(clock.now()),
    ), status


@bp.get("/<public_id>/draft")
def draft(public_id: str):  # type: ignore[no-untyped-def]
    consultation = _consultation(public_id)
    _number, texts = _draft_as_it_stands(consultation)
    return _draft_page(consultation, draft_form(texts))


@bp.post("/<public_id>/draft")
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
            changelog_translations=form.changelog_translations(consultation.main_locale),
            actor=acting_staff(),
            now=clock.now(),
        )
    except NotAllowed as refused:
        db.session.commit()  # the texts are saved; only publishing waits
        form.text_field(consultation.main_locale).errors.append(consultation_message(str(refused)))
        return _draft_page(consultation, form, 400)
    db.session.commit()
    flash(_("Version %(number)d is published.", number=version.number), "success")
    return redirect(url_for(".preview", public_id=public_id), code=303)


@bp.get("/<public_id>/preview")
def preview(public_id: str):  # type: ignore[no-untyped-def]
    locale = request.args.get("lang", "")
    if locale not in LOCALES:
        locale = str(get_locale())
    now = clock.now()
    consultation = or_404(reading.opened, db.session, public_id, viewer=acting_staff(), now=now)
    # The members' own page (templates/consultations/show.html) under a staff note, with the
    # context the members' pages get (kept parts: staff's); staff never get comment forms.
    return render_template(
        "staff/consultations/preview.html",
        consultation=consultation,
        decisions=decision_views(consultation),
        preview_locale=locale,
        **reading_context(
            consultation,
            load=lambda: reading.page(
                db.session, consultation, viewer=acting_staff(), locale=locale, now=now
            ),
            locale=locale,
        ),
    )


@bp.get("/<public_id>/draft/preview")
def draft_preview(public_id: str):  # type: ignore[no-untyped-def]
    """The working draft exactly as members will read it once published, in each language,
    with what it changes against the published version (issue 11, item 2)."""
    consultation = _consultation(public_id)
    locale = request.args.get("lang", "")
    if locale not in LOCALES:
        locale = str(get_locale())
    now = clock.now()
    preview = reading.draft_preview(db.session, consultation, locale=locale, now=now)
    return render_template(
        "staff/consultations/draft_preview.html",
        consultation=consultation,
        draft_number=preview.number,
        changes=preview.changes,
        decisions=decision_views(consultation),
        preview_locale=locale,
        has_sections=bool(preview.page.sections),
        **reading_context(
            consultation, load=lambda: preview.page, locale=locale, keep=False, head=preview.page
        ),
    )


# --------------------------------------------------------------------------- dates


@bp.post("/<public_id>/close")
def close(public_id: str) -> Response:
    consultation = _consultation(public_id)
    try:
        consultations.close_now(db.session, consultation, actor=acting_staff(), now=clock.now())
    except NotAllowed as refused:
        db.session.rollback()
        flash(consultation_message(str(refused)), "error")
    else:
        db.session.commit()
        flash(_("The consultation is closed: members can no longer comment."), "success")
    return redirect(url_for(".edit", public_id=public_id), code=303)


@bp.post("/<public_id>/extend")
def extend(public_id: str):  # type: ignore[no-untyped-def]
    consultation = _consultation(public_id)
    form = ExtendForm()
    if form.validate_on_submit():
        try:
            consultations.extend(
                db.session, consultation, form.closes_at(), actor=acting_staff(), now=clock.now()
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


@bp.post("/<public_id>/archive")
def archive(public_id: str) -> Response:
    return _set_archived(public_id, True)


@bp.post("/<public_id>/unarchive")
def unarchive(public_id: str) -> Response:
    return _set_archived(public_id, False)


def _set_archived(public_id: str, archived: bool) -> Response:
    consultation = _consultation(public_id)
    try:
        consultations.set_archived(
            db.session, consultation, archived, actor=acting_staff(), now=clock.now()
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
        today=in_almaty(clock.now()).date(),
    )


def _meeting_page(  # type: ignore[no-untyped-def]
    consultation: Consultation, form: MeetingForm, status: int = 200
):
    return render_template(
        "staff/consultations/meeting.html",
        consultation=consultation,
        form=form,
        status=consultation.status(clock.now()),
    ), status


@bp.get("/<public_id>/meeting")
def meeting(public_id: str):  # type: ignore[no-untyped-def]
    consultation = _consultation(public_id)
    return _meeting_page(consultation, _meeting_form(consultation))


@bp.post("/<public_id>/meeting")
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
            place_type=PlaceType(form.place_type.data),
            participants=form.participants.data,
            feedback=form.feedback(),
            actor=acting_staff(),
            now=clock.now(),
        )
    except (CommentRefused, NotAllowed) as refused:
        db.session.rollback()
        form.general.errors.append(consultation_message(str(refused)))
        return _meeting_page(consultation, form, 400)
    db.session.commit()
    flash(_("The feedback from the meeting is recorded."), "success")
    return redirect(url_for(".preview", public_id=public_id), code=303)
