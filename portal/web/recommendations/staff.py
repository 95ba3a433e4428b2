"""Staff keep the register (`/staff/recommendations…`): write a recommendation, publish it
(which numbers it), record each status change with its date, note and evidence, see the ones
whose review date has come, and keep the list of addressees. Anyone but staff gets a 404.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from consultations.models import Recommendation, RecommendationStatus
from consultations.services import recommendations
from consultations.services.recommendations import RecommendationRefused
from portal import clock
from portal.extensions import db
from portal.web.guards import acting_staff, or_404, staff_area
from portal.web.recommendations.forms import (
    AddresseeForm,
    RecommendationForm,
    StatusForm,
    recommendation_form,
    recommendation_message,
    status_form,
)

bp = Blueprint("staff_recommendations", __name__, url_prefix="/staff/recommendations")

staff_area(bp)


def _recommendation(recommendation_id: int) -> Recommendation:
    return or_404(recommendations.get, db.session, recommendation_id)


@bp.get("")
def index() -> str:
    return render_template(
        "staff/recommendations/index.html",
        listed=recommendations.staff_list(db.session),
        due=recommendations.due_for_review(db.session, clock.now().date()),
    )


def _form_page(  # type: ignore[no-untyped-def]
    form: RecommendationForm,
    recommendation: Recommendation | None,
    status: int = 200,
    changing: StatusForm | None = None,
):
    form.with_addressees(recommendations.addressees(db.session), str(get_locale()))
    return render_template(
        "staff/recommendations/form.html",
        form=form,
        recommendation=recommendation,
        history=recommendations.history(db.session, recommendation) if recommendation else [],
        status_form=changing or status_form(clock.now().date()),
    ), status


@bp.get("/new")
def new():  # type: ignore[no-untyped-def]
    return _form_page(recommendation_form(None), None)


@bp.post("/new")
def create():  # type: ignore[no-untyped-def]
    form = RecommendationForm()
    form.with_addressees(recommendations.addressees(db.session), str(get_locale()))
    if not form.validate_on_submit():
        return _form_page(form, None, 400)
    try:
        made = recommendations.create(
            db.session, form.draft(), actor=acting_staff(), now=clock.now()
        )
    except RecommendationRefused as refused:
        db.session.rollback()
        form.form_errors.append(recommendation_message(refused.code))
        return _form_page(form, None, 400)
    db.session.commit()
    flash(_("The recommendation is saved. Only staff see it until you publish it."), "success")
    return redirect(url_for(".edit", recommendation_id=made.id), code=303)


@bp.get("/<int:recommendation_id>")
def edit(recommendation_id: int):  # type: ignore[no-untyped-def]
    recommendation = _recommendation(recommendation_id)
    return _form_page(recommendation_form(recommendation), recommendation)


@bp.post("/<int:recommendation_id>/edit")
def update(recommendation_id: int):  # type: ignore[no-untyped-def]
    recommendation = _recommendation(recommendation_id)
    form = RecommendationForm()
    form.with_addressees(recommendations.addressees(db.session), str(get_locale()))
    if not form.validate_on_submit():
        return _form_page(form, recommendation, 400)
    try:
        recommendations.update(
            db.session, recommendation, form.draft(), actor=acting_staff(), now=clock.now()
        )
    except RecommendationRefused as refused:
        db.session.rollback()
        form.form_errors.append(recommendation_message(refused.code))
        return _form_page(form, _recommendation(recommendation_id), 400)
    db.session.commit()
    flash(_("The recommendation is saved."), "success")
    return redirect(url_for(".edit", recommendation_id=recommendation_id), code=303)


@bp.post("/<int:recommendation_id>/publish")
def publish(recommendation_id: int) -> Response:
    recommendation = _recommendation(recommendation_id)
    try:
        number = recommendations.publish(
            db.session, recommendation, actor=acting_staff(), now=clock.now()
        )
    except RecommendationRefused as refused:
        db.session.rollback()
        flash(recommendation_message(refused.code), "error")
    else:
        db.session.commit()
        flash(_("Published as %(number)s.", number=number), "success")
    return redirect(url_for(".edit", recommendation_id=recommendation_id), code=303)


@bp.post("/<int:recommendation_id>/status")
def change_status(recommendation_id: int):  # type: ignore[no-untyped-def]
    recommendation = _recommendation(recommendation_id)
    changing = StatusForm()
    if changing.validate_on_submit():
        try:
            recommendations.change_status(
                db.session,
                recommendation,
                RecommendationStatus(changing.status.data),
                on=changing.on.data,
                note=changing.note.data or "",
                evidence=changing.evidence.data or "",
                actor=acting_staff(),
                now=clock.now(),
            )
        except RecommendationRefused as refused:
            db.session.rollback()
            changing.on.errors.append(recommendation_message(refused.code))
        else:
            db.session.commit()
            flash(_("The status change is recorded."), "success")
            return redirect(url_for(".edit", recommendation_id=recommendation_id), code=303)
    recommendation = _recommendation(recommendation_id)
    return _form_page(recommendation_form(recommendation), recommendation, 400, changing)


@bp.get("/addressees")
def addressees() -> str:
    return _addressees_page(AddresseeForm(formdata=None))[0]


def _addressees_page(form: AddresseeForm, status: int = 200):  # type: ignore[no-untyped-def]
    return render_template(
        "staff/recommendations/addressees.html",
        form=form,
        listed=recommendations.addressees(db.session),
    ), status


@bp.post("/addressees")
def add_addressee():  # type: ignore[no-untyped-def]
    form = AddresseeForm()
    if not form.validate_on_submit():
        return _addressees_page(form, 400)
    try:
        recommendations.add_addressee(
            db.session,
            {
                "kk": form.name_kk.data or "",
                "ru": form.name_ru.data or "",
                "en": form.name_en.data or "",
            },
            actor=acting_staff(),
            now=clock.now(),
        )
    except RecommendationRefused as refused:
        db.session.rollback()
        form.form_errors.append(recommendation_message(refused.code))
        return _addressees_page(form, 400)
    db.session.commit()
    flash(_("The addressee is added."), "success")
    return redirect(url_for(".addressees"), code=303)
