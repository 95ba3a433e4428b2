"""The public recommendation register (`/recommendations…`): the list, filtered by status,
addressee, region and year with counts per status, and each recommendation's page with its
timeline and the records that make it. Anyone may read them; no session is started for it.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import get_locale

from consultations import citations
from consultations.errors import NotFound
from consultations.models import Recommendation
from consultations.services import recommendations
from portal import clock
from portal.extensions import db
from portal.web.citing import CITATION_FORMATS, PUBLISHER, citation_response
from portal.web.fields import page_asked, page_links
from portal.web.freshness import revalidated
from portal.web.recommendations.forms import RegisterFilterForm

bp = Blueprint("recommendations", __name__, url_prefix="/recommendations")
bp.after_request(revalidated)
FILTERS = ("status", "addressee", "region", "year")


def _page_url(page: int) -> str:
    """This list's address, on another page: the filters stay."""
    kept = {k: v[:40] for k, v in request.args.items() if k in FILTERS}
    return url_for(".index", **kept, page=page)


@bp.get("")
def index() -> str:
    form = RegisterFilterForm(request.args).with_choices(
        recommendations.addressees(db.session),
        recommendations.years(db.session),
        str(get_locale()),
    )
    form.validate()
    register = recommendations.register(db.session, form.filters(), page=page_asked())
    return render_template(
        "recommendations/index.html",
        form=form,
        register=register,
        **page_links(register.page, register.pages, _page_url),
        filtered=any(request.args.get(name) for name in FILTERS),
    )


def _published(number: str) -> Recommendation:
    try:
        return recommendations.published(db.session, number.upper()[:16])
    except NotFound:
        abort(404)


def citable(recommendation: Recommendation) -> citations.Citable:
    return citations.Citable(
        number=recommendation.number or "",
        revision=None,
        title=recommendation.title,
        locale=recommendation.locale,
        published=(recommendation.published_at or clock.now()).date(),
        url=url_for(".show", number=recommendation.number, _external=True),
        accessed=clock.now().date(),
        publisher=PUBLISHER,
        kind="Recommendation",
    )


@bp.get("/<number>")
def show(number: str) -> str:
    recommendation = _published(number)
    return render_template(
        "recommendations/show.html",
        recommendation=recommendation,
        history=recommendations.history(db.session, recommendation),
        records=recommendations.records_of(db.session, recommendation),
        today=clock.now().date(),
        citation=citations.plain(citable(recommendation)),
        cite_url=lambda fmt: url_for(".cite", number=recommendation.number, fmt=fmt),
    )


@bp.get("/<number>/cite.<fmt>")
def cite(number: str, fmt: str) -> Response:
    if fmt not in CITATION_FORMATS:
        abort(404)
    return citation_response(citable(_published(number)), fmt)
