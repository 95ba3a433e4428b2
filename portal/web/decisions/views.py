"""Decisions as members see them (`/consultations/<id>/decisions/…`): a decision's page with
its results when the rule allows, and casting or changing a secret ballot.

The ballot's transaction writes the decision's ballots and nothing else, and the ballot request
makes no session bookkeeping at all (`sessions.without_bookkeeping`): `ballot_box.cast` owns
the transaction. Anything the viewer may not see is a 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import Session

from consultations import permissions
from consultations.models import Consultation, DecisionKind, Member
from consultations.services import ballots, consultations, decisions
from portal import ballot_box, clock
from portal.accounts import sessions
from portal.extensions import db
from portal.security.padding import json_padding
from portal.web.decisions.forms import Typed, ballot_message, read_ballot
from portal.web.fields import almaty
from portal.web.guards import or_404

bp = Blueprint("decisions", __name__, url_prefix="/consultations")


@bp.before_request
@login_required
def _signed_in_only() -> None:
    """Decisions are for the group: members and staff."""


def key_for(member: Member):  # type: ignore[no-untyped-def]
    """The member's ballot key for any decision, recomputed with the secret."""
    return current_app.extensions["kenes.ballot_keys"].for_token(member.ballot_token)


def decision_views(consultation: Consultation, only: str | None = None):  # type: ignore[no-untyped-def]
    viewer = current_user.member
    return decisions.for_consultation(
        db.session,
        consultation,
        viewer=viewer,
        key_for=key_for(viewer),
        now=clock.now(),
        only=only,
    )


def _found(public_id: str, decision_id: str):  # type: ignore[no-untyped-def]
    consultation = or_404(consultations.get, db.session, public_id)
    if not permissions.can_view(current_user.member, consultation, clock.now()):
        abort(404)
    views = decision_views(consultation, only=decision_id)
    if not views:
        abort(404)
    return consultation, views[0]


def _page(consultation, view, *, typed: Typed | None = None, problem: str = "", status=200):  # type: ignore[no-untyped-def]
    return render_template(
        "decisions/decision.html",
        consultation=consultation,
        view=view,
        typed=typed,
        problem=problem,
    ), status


@bp.get("/<public_id>/decisions/<decision_id>")
def show(public_id: str, decision_id: str):  # type: ignore[no-untyped-def]
    consultation, view = _found(public_id, decision_id)
    return _page(consultation, view)


@bp.post("/<public_id>/decisions/<decision_id>/ballot")
@sessions.without_bookkeeping
def vote(public_id: str, decision_id: str):  # type: ignore[no-untyped-def]
    """Cast or change a ballot. (CSRFProtect has checked the token before this runs.)"""
    consultation, view = _found(public_id, decision_id)
    paper = read_ballot(view.decision, request.form)
    seen = request.form.get("paper", type=str)
    refusal = paper.problem or ballot_box.cast(
        consultation,
        view.decision,
        paper.choices,
        voter=current_user.member,
        key_for=key_for(current_user.member),
        clock=current_app.extensions["kenes.clock"],
        paper=seen[:32] if seen is not None else None,
    )
    if refusal is not None:
        return _refused(consultation, decision_id, paper, refusal)
    flash(
        _(
            "Your vote is recorded. You can change it until %(date)s.",
            date=almaty(view.decision.closes_at),
        ),
        "success",
    )
    return redirect(
        url_for("consultations.show", public_id=public_id, _anchor=f"decision-{decision_id}"),
        code=303,
    )


def _refused(consultation: Consultation, decision_id: str, paper: Typed, code: str):  # type: ignore[no-untyped-def]
    """The decision's page again, with what was chosen and why it was refused. After a close,
    the page is loaded again: it now shows the result."""
    view = decision_views(consultation, only=decision_id)[0]
    return _page(
        consultation,
        view,
        typed=paper,
        problem=ballot_message(code, view.decision),
        status=403 if code == "not_a_voter" else 400,
    )


def _ballot_line(choices: list[str], kind: str) -> str:
    return "; ".join(
        f"{n}. {c}" if kind == DecisionKind.RANKED else c for n, c in enumerate(choices, 1)
    )


def _widest_ballot(entry: dict) -> list[str]:
    """The choices this decision allows whose line is longest: all options ranked, the k
    longest of a multiple choice, the longest single option."""
    options = sorted(entry["options"], key=lambda label: len(label.encode()), reverse=True)
    if entry["kind"] == DecisionKind.RANKED:
        return options
    return (
        options[: entry["max_choices"] or 1]
        if entry["kind"] == DecisionKind.MULTIPLE
        else options[:1]
    )


def export_ballots(session: Session, member: Member) -> list[dict]:
    """The member's ballots, each choice written as one line and padded to the longest line
    the decision allows, so the export's length does not tell the choice (issue 9)."""
    exported = []
    for entry in ballots.export(session, key_for(member)):
        line = _ballot_line(entry.pop("choices"), entry["kind"])
        widest = _ballot_line(_widest_ballot(entry), entry["kind"])
        del entry["max_choices"]
        exported.append({**entry, "choices": line, "padding": json_padding(line, widest)})
    return exported
