"""The feedback workspace (`/staff/consultations/<id>/feedback…`): every comment and meeting note
of a consultation, filtered, grouped by section and listed fifty to a page (links to the others
keep the filters); themes made and given to several comments at once (a plain form: no JS
needed); counts per theme and per section by stance over everything filtered; the frozen
results of its closed decisions; and the CSV export. Anyone but staff gets a 404.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from consultations.errors import NotFound
from consultations.models import Consultation, DecisionStatus
from consultations.services import consultations, feedback
from consultations.services.feedback import ThemeRefused
from portal import clock
from portal.extensions import db
from portal.security.spreadsheet import csv_text
from portal.web.decisions.views import decision_views
from portal.web.feedback.forms import FilterForm, ThemeForm, feedback_message
from portal.web.fields import page_asked, page_links
from portal.web.guards import acting_staff, or_404, staff_area
from portal.web.names import STANCE_NAMES

bp = Blueprint("feedback", __name__, url_prefix="/staff/consultations")

staff_area(bp)

# Tagging names at most this many comments and themes in one go (a page's worth).
MAX_TAGGED = 2_000
FILTERS = ("section", "stance", "theme", "version", "status", "text")
# What a form sent from the list keeps on the way back: its filters and its page.
KEPT = (*FILTERS, "page")


def _consultation(public_id: str) -> Consultation:
    return or_404(consultations.get, db.session, public_id)


def _page(  # type: ignore[no-untyped-def]
    consultation: Consultation, theme_form: ThemeForm | None = None, status: int = 200
):
    page = feedback.load(db.session, consultation)
    filters = FilterForm(request.args)
    filters.fill_choices(page.themes, page.versions, page.sections())
    filters.validate()
    narrowed = feedback.narrow(page, filters.filters())
    listing = feedback.listing(narrowed, page_asked())
    now = clock.now()
    closed = [view for view in decision_views(consultation) if view.status == DecisionStatus.CLOSED]
    return render_template(
        "staff/feedback/workspace.html",
        consultation=consultation,
        page=page,
        narrowed=narrowed,
        listing=listing,
        **page_links(listing.number, listing.pages, lambda n: _page_url(consultation.public_id, n)),
        filters=filters,
        filtered=any(request.args.get(name) for name in FILTERS),
        kept_names=KEPT,
        theme_form=theme_form or ThemeForm(formdata=None),
        closed=closed,
        now=now,
    ), status


def _page_url(public_id: str, number: int) -> str:
    """The list's address on another page: the filters stay."""
    kept = {name: value[:200] for name in FILTERS if (value := request.args.get(name, ""))}
    return url_for(".workspace", public_id=public_id, **kept, page=number)


@bp.get("/<public_id>/feedback")
def workspace(public_id: str):  # type: ignore[no-untyped-def]
    return _page(_consultation(public_id))


def _back(public_id: str) -> Response:
    """To the workspace, with the filters and the page the form was sent from."""
    kept = {name: value for name in KEPT if (value := request.form.get(f"keep_{name}", "")[:200])}
    return redirect(url_for(".workspace", public_id=public_id, **kept), code=303)


@bp.post("/<public_id>/feedback/themes")
def add_theme(public_id: str):  # type: ignore[no-untyped-def]
    consultation = _consultation(public_id)
    form = ThemeForm()
    if form.validate_on_submit():
        try:
            feedback.add_theme(
                db.session,
                consultation,
                form.name.data or "",
                actor=acting_staff(),
                now=clock.now(),
            )
        except ThemeRefused as refused:
            db.session.rollback()
            form.name.errors.append(feedback_message(refused.code))
        else:
            db.session.commit()
            flash(_("The theme is added."), "success")
            return _back(public_id)
    return _page(consultation, form, 400)


@bp.post("/<public_id>/feedback/themes/<int:theme_id>/delete")
def delete_theme(public_id: str, theme_id: int) -> Response:
    consultation = _consultation(public_id)
    name = or_404(
        feedback.delete_theme,
        db.session,
        consultation,
        theme_id,
        actor=acting_staff(),
        now=clock.now(),
    )
    db.session.commit()
    flash(
        _("The theme “%(name)s” is deleted. The comments keep their other themes.", name=name),
        "success",
    )
    return _back(public_id)


def _ids(name: str) -> list[int]:
    values = request.form.getlist(name)[: MAX_TAGGED + 1]
    return [int(v) for v in values if v.isascii() and v.isdigit() and len(v) <= 12]


@bp.post("/<public_id>/feedback/tag")
def tag(public_id: str) -> Response:
    consultation = _consultation(public_id)
    adding = "remove" not in request.form
    try:
        changed = feedback.tag(
            db.session,
            consultation,
            _ids("comment"),
            _ids("theme"),
            add=adding,
            actor=acting_staff(),
            now=clock.now(),
        )
    except ThemeRefused as refused:
        db.session.rollback()
        flash(feedback_message(refused.code), "error")
        return _back(public_id)
    except NotFound:
        db.session.rollback()
        flash(_("Some of those comments or themes are gone. Look at the list again."), "error")
        return _back(public_id)
    db.session.commit()
    if adding:
        flash(ngettext("%(num)d theme given.", "%(num)d themes given.", changed), "success")
    else:
        flash(
            ngettext("%(num)d theme taken away.", "%(num)d themes taken away.", changed), "success"
        )
    return _back(public_id)


@bp.post("/<public_id>/feedback.csv")
def export(public_id: str) -> Response:
    """A POST: each download is audited, and a GET changes nothing."""
    consultation = _consultation(public_id)
    rows = feedback.export_rows(db.session, consultation, actor=acting_staff(), now=clock.now())
    db.session.commit()
    text = csv_text(
        [_("Label"), _("Section"), _("Stance"), _("Themes"), _("Date"), _("Text"), _("From")],
        (
            [
                row.label,
                row.section or _("The whole draft"),
                str(STANCE_NAMES[row.stance]),
                "; ".join(row.themes),
                row.on.isoformat(),
                row.text,
                _("a group meeting") if row.from_meeting else _("a member"),
            ]
            for row in rows
        ),
    )
    # A neutral file name: what the consultation is about stays out of a downloads folder.
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="feedback.csv"'},
    )
