"""Staff write advisory records (`/staff/records…`): start one from a consultation (prefilled with
its decisions' results and its theme counts) or on its own, write the draft revision, choose
quotes among the comments their authors allowed to be quoted, link recommendations, preview it
exactly as the public will see it, publish, correct, withdraw, and redact a quote. Anyone but
staff gets a 404.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from consultations.models import (
    AdvisoryRecord,
    Consultation,
    DecisionStatus,
    ProposalAnswer,
    RecordQuote,
)
from consultations.services import consultations, decisions, feedback, recommendations, records
from consultations.services.records import NewQuote, RecordRefused
from portal import clock
from portal.extensions import db
from portal.web.guards import acting_staff, or_404, staff_area
from portal.web.names import PROPOSAL_NAMES, STANCE_NAMES
from portal.web.records.forms import (
    NewRecordForm,
    RecordForm,
    WithdrawForm,
    record_form,
    record_message,
)

bp = Blueprint("staff_records", __name__, url_prefix="/staff/records")

staff_area(bp)

MAX_PICKED = 200


def _record(record_id: int) -> AdvisoryRecord:
    return or_404(records.get, db.session, record_id)


def _ids(name: str) -> list[int]:
    values = request.form.getlist(name)[: MAX_PICKED + 1]
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) <= 12]


@bp.get("")
def index() -> str:
    return render_template(
        "staff/records/index.html",
        listed=records.staff_list(db.session),
        consultations=consultations.listing(
            db.session, clock.now(), include_drafts=False, include_archived=True
        ),
    )


def _prefill(consultation: Consultation) -> str:
    """The advice's first draft: the closed decisions' results and the theme counts, as
    Markdown staff rewrite."""
    lines = []
    closed = [
        view
        for view in decisions.for_consultation(
            db.session, consultation, viewer=acting_staff(), key_for=None, now=clock.now()
        )
        if view.status == DecisionStatus.CLOSED
    ]
    if closed:
        lines.append(f"## {_('What the group decided')}\n")
        for view in closed:
            lines.append(f"**{view.decision.question}**\n")
            if view.results is None:
                lines.append(f"- {_('Too few ballots to show counts.')}")
            else:
                for count in view.results.counts:
                    code = count.option.code
                    name = PROPOSAL_NAMES[ProposalAnswer(code)] if code else count.option.label
                    lines.append(f"- {name}: {count.votes} ({count.percent}%)")
                lines.append(
                    f"- {_('Ballots')}: {view.results.ballots} / {view.results.electorate}"
                )
            lines.append("")
    page = feedback.load(db.session, consultation)
    counted = feedback.narrow(page, feedback.Filters(status=None))
    if page.themes:
        lines.append(f"## {_('What members said, by theme')}\n")
        for name, counts in counted.by_theme:
            parts = ", ".join(
                f"{STANCE_NAMES[stance]}: {n}" for stance, n in counts.by_stance.items() if n
            )
            lines.append(f"- {name}: {counts.total}" + (f" ({parts})" if parts else ""))
        lines.append("")
    lines.append(f"## {_('Our advice')}\n")
    return "\n".join(lines)


def _new_page(form: NewRecordForm, consultation: Consultation | None, status: int = 200):  # type: ignore[no-untyped-def]
    return render_template("staff/records/new.html", form=form, consultation=consultation), status


def _consultation_asked() -> Consultation | None:
    public_id = (request.values.get("consultation") or "")[:12]
    if not public_id:
        return None
    return or_404(consultations.get, db.session, public_id)


@bp.get("/new")
def new():  # type: ignore[no-untyped-def]
    consultation = _consultation_asked()
    form = NewRecordForm(
        formdata=None,
        data={
            "locale": consultation.main_locale if consultation else "ru",
            "advice": _prefill(consultation) if consultation else "",
        },
    )
    return _new_page(form, consultation)


@bp.post("/new")
def create():  # type: ignore[no-untyped-def]
    consultation = _consultation_asked()
    form = NewRecordForm()
    if not form.validate_on_submit():
        return _new_page(form, consultation, 400)
    try:
        made = records.create(
            db.session,
            locale=form.locale.data or "",
            consultation=consultation,
            texts=form.texts(),
            actor=acting_staff(),
            now=clock.now(),
        )
    except RecordRefused as refused:
        db.session.rollback()
        form.title.errors.append(record_message(refused.code))
        return _new_page(form, consultation, 400)
    db.session.commit()
    flash(
        _("The record is started. Choose its quotes and recommendations, then preview it."),
        "success",
    )
    return redirect(url_for(".edit", record_id=made.id), code=303)


def _edit_page(  # type: ignore[no-untyped-def]
    record: AdvisoryRecord,
    form: RecordForm | None = None,
    withdrawing: WithdrawForm | None = None,
    status: int = 200,
):
    draft = records.draft_of(db.session, record)
    original = (
        db.session.get(AdvisoryRecord, record.translation_of_id)
        if record.translation_of_id
        else None
    )
    shown = draft or record.revisions[-1]
    return render_template(
        "staff/records/edit.html",
        record=record,
        draft=draft,
        shown=shown,
        form=form
        or (record_form(draft, original.number or "" if original else "") if draft else None),
        withdraw_form=withdrawing or WithdrawForm(formdata=None),
        quotable=records.quotable(db.session, record.consultation_id),
        titles=feedback.section_titles(
            db.session, db.session.get(Consultation, record.consultation_id)
        )
        if record.consultation_id
        else {},
        all_recommendations=recommendations.staff_list(db.session),
        linked={link.recommendation_id for link in record.links},
    ), status


@bp.get("/<int:record_id>")
def edit(record_id: int):  # type: ignore[no-untyped-def]
    return _edit_page(_record(record_id))


@bp.post("/<int:record_id>/draft")
def save(record_id: int):  # type: ignore[no-untyped-def]
    record = _record(record_id)
    form = RecordForm()
    if not form.validate_on_submit():
        return _edit_page(record, form, status=400)
    picked = _ids("add_quote")
    try:
        records.save_draft(
            db.session,
            record,
            form.texts(),
            add_quotes=[
                NewQuote(comment_id, (request.form.get(f"excerpt-{comment_id}") or "")[:6000])
                for comment_id in picked
            ],
            drop_quotes=_ids("drop_quote"),
            recommendation_ids=_ids("recommendation"),
            translation_of=form.translation_of.data or "",
            actor=acting_staff(),
            now=clock.now(),
        )
    except RecordRefused as refused:
        db.session.rollback()
        form.form_errors.append(record_message(refused.code))
        return _edit_page(_record(record_id), form, status=400)
    db.session.commit()
    flash(_("The draft is saved."), "success")
    return redirect(url_for(".edit", record_id=record_id), code=303)


@bp.get("/<int:record_id>/preview")
def preview(record_id: int) -> str:
    """The draft exactly as the public will see it once published."""
    record = _record(record_id)
    draft = records.draft_of(db.session, record)
    if draft is None:
        abort(404)
    return render_template(
        "records/show.html", page=records.preview(db.session, record, draft), preview=True
    )


def _act(record_id: int, action, done: str) -> Response:  # type: ignore[no-untyped-def]
    record = _record(record_id)
    try:
        action(record)
    except RecordRefused as refused:
        db.session.rollback()
        flash(record_message(refused.code), "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(url_for(".edit", record_id=record_id), code=303)


@bp.post("/<int:record_id>/publish")
def publish(record_id: int) -> Response:
    return _act(
        record_id,
        lambda record: records.publish(db.session, record, actor=acting_staff(), now=clock.now()),
        _("Published."),
    )


@bp.post("/<int:record_id>/correct")
def correct(record_id: int) -> Response:
    return _act(
        record_id,
        lambda record: records.start_correction(
            db.session, record, actor=acting_staff(), now=clock.now()
        ),
        _("A correction is started: a new revision to edit. The published one stays as it is."),
    )


@bp.post("/<int:record_id>/withdraw")
def withdraw(record_id: int):  # type: ignore[no-untyped-def]
    record = _record(record_id)
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _edit_page(record, withdrawing=form, status=400)
    return _act(
        record_id,
        lambda found: records.withdraw(
            db.session, found, form.reason.data or "", actor=acting_staff(), now=clock.now()
        ),
        _("The record is withdrawn. Its pages now say so, and why."),
    )


@bp.post("/quotes/<int:quote_id>/redact")
def redact(quote_id: int) -> Response:
    quote = db.session.get(RecordQuote, quote_id)
    if quote is None:
        abort(404)
    record_id = records.record_id_of(db.session, quote)
    redacted = records.redact(db.session, quote, actor=acting_staff(), now=clock.now())
    db.session.commit()
    flash(
        _("The quote is removed from %(num)d place(s).", num=len(redacted)),
        "success",
    )
    back = request.form.get("next", "")
    if back.startswith("/staff/") and "//" not in back:
        return redirect(back, code=303)
    return redirect(url_for(".edit", record_id=record_id), code=303)
