"""Staff and decisions (`/staff/consultations/<id>/decisions…`): write a decision, change it
before the first ballot, close it early or give it more time.

Staff see how many ballots a decision has, never what they say, until it closes; then they
read the result on the decision's own page, as members do. Anyone but staff gets a 404.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from consultations.errors import NotAllowed
from consultations.models import Consultation, Decision
from consultations.services import consultations, decisions
from consultations.services.decisions import DecisionRefused
from portal import ballot_box, clock
from portal.extensions import db
from portal.web.decisions.forms import DecisionForm, decision_form, decision_message
from portal.web.fields import ExtendForm, almaty, extend_form
from portal.web.guards import acting_staff, or_404, staff_area

bp = Blueprint("staff_decisions", __name__, url_prefix="/staff/consultations")


staff_area(bp)


def _consultation(public_id: str) -> Consultation:
    return or_404(consultations.get, db.session, public_id)


def _decision(consultation: Consultation, decision_id: str) -> Decision:
    return or_404(decisions.get, db.session, consultation, decision_id)


@bp.get("/<public_id>/decisions")
def index(public_id: str) -> str:
    consultation = _consultation(public_id)
    return render_template(
        "staff/decisions/index.html",
        consultation=consultation,
        listed=decisions.listing(db.session, consultation),
        now=clock.now(),
    )


def _form_page(  # type: ignore[no-untyped-def]
    consultation: Consultation,
    form: DecisionForm,
    decision: Decision | None = None,
    status: int = 200,
    extending: ExtendForm | None = None,
):
    ballots = decisions.ballot_count(db.session, decision) if decision else 0
    return render_template(
        "staff/decisions/form.html",
        consultation=consultation,
        decision=decision,
        form=form,
        locked=ballots > 0,  # options cannot change once a ballot is cast
        ballots=ballots,
        status=decision.status(clock.now()) if decision else None,
        extend_form=extending or (extend_form(decision) if decision else None),
    ), status


@bp.get("/<public_id>/decisions/new")
def new(public_id: str):  # type: ignore[no-untyped-def]
    return _form_page(_consultation(public_id), decision_form(None, clock.now()))


@bp.post("/<public_id>/decisions/new")
def create(public_id: str):  # type: ignore[no-untyped-def]
    consultation = _consultation(public_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _form_page(consultation, form, status=400)
    try:
        decisions.create(
            db.session,
            consultation,
            form.details(consultation.main_locale),
            actor=acting_staff(),
            now=clock.now(),
        )
    except DecisionRefused as refused:
        db.session.rollback()
        form.form_errors.append(decision_message(refused.code))
        return _form_page(consultation, form, status=400)
    db.session.commit()
    flash(_("The decision is saved."), "success")
    return redirect(url_for(".index", public_id=public_id), code=303)


@bp.get("/<public_id>/decisions/<decision_id>/edit")
def edit(public_id: str, decision_id: str):  # type: ignore[no-untyped-def]
    consultation = _consultation(public_id)
    decision = _decision(consultation, decision_id)
    return _form_page(consultation, decision_form(decision, clock.now()), decision)


@bp.post("/<public_id>/decisions/<decision_id>/edit")
def update(public_id: str, decision_id: str):  # type: ignore[no-untyped-def]
    consultation = _consultation(public_id)
    decision = _decision(consultation, decision_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _form_page(consultation, form, decision, 400)
    try:
        decisions.update(
            db.session,
            decision,
            form.details(consultation.main_locale),
            actor=acting_staff(),
            now=clock.now(),
        )
    except DecisionRefused as refused:
        db.session.rollback()
        form.form_errors.append(decision_message(refused.code))
        return _form_page(consultation, form, _decision(consultation, decision_id), 400)
    db.session.commit()
    flash(_("The decision is saved."), "success")
    return redirect(url_for(".index", public_id=public_id), code=303)


@bp.post("/<public_id>/decisions/<decision_id>/close")
def close(public_id: str, decision_id: str) -> Response:
    consultation = _consultation(public_id)
    decision = _decision(consultation, decision_id)
    try:
        decisions.close_now(db.session, decision, actor=acting_staff(), now=clock.now())
    except NotAllowed as refused:
        db.session.rollback()
        flash(decision_message(str(refused)), "error")
        return redirect(url_for(".edit", public_id=public_id, decision_id=decision_id), code=303)
    db.session.commit()
    ballot_box.seal(decision.id)
    flash(_("Voting is closed. The result is final and shown to members."), "success")
    return redirect(
        url_for("decisions.show", public_id=public_id, decision_id=decision_id), code=303
    )


@bp.post("/<public_id>/decisions/<decision_id>/extend")
def extend(public_id: str, decision_id: str):  # type: ignore[no-untyped-def]
    consultation = _consultation(public_id)
    decision = _decision(consultation, decision_id)
    form = ExtendForm()
    if form.validate_on_submit():
        try:
            decisions.extend(
                db.session,
                decision,
                form.closes_at(),
                actor=acting_staff(),
                now=clock.now(),
            )
        except NotAllowed as refused:
            db.session.rollback()
            form.new_closes_on.errors.append(decision_message(str(refused)))
        else:
            db.session.commit()
            flash(_("Voting now closes on %(date)s.", date=almaty(decision.closes_at)), "success")
            return redirect(
                url_for(".edit", public_id=public_id, decision_id=decision_id), code=303
            )
    decision = _decision(consultation, decision_id)
    return _form_page(
        consultation, decision_form(decision, clock.now()), decision, 400, extending=form
    )
