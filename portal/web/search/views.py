"""`/search`: the query box, results with highlighted snippets, facets with counts, order and
pages; an exact number (AR-2026-007, REC-2026-012) opens its page. Anyone may search; no
session is started for it, and the tab's title never says what was searched for."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from consultations.errors import NotFound
from consultations.models import Published
from consultations.search import QuerySyntaxError, Search, exact_number, find
from consultations.search.query import FACETS, SORTS
from consultations.services import recommendations, records
from portal import clock, searching
from portal.extensions import db
from portal.web.fields import page_asked
from portal.web.freshness import revalidated
from portal.web.search.forms import SearchForm, allowed

bp = Blueprint("search", __name__, url_prefix="/search")
# Answers change with every publication: each copy is revalidated (Last-Modified, ETag, 304).
bp.after_request(revalidated)

KIND_NAMES = {
    Published.RECORD.value: _l("Advisory records"),
    Published.RECOMMENDATION.value: _l("Recommendations"),
}
# A result's kind: one of them.
KIND_NAME = {
    Published.RECORD.value: _l("Advisory record"),
    Published.RECOMMENDATION.value: _l("Recommendation"),
}
FACET_NAMES = {
    "kind": _l("Kind"),
    "status": _l("Status"),
    "addressee": _l("Addressed to"),
    "region": _l("Region"),
    "year": _l("Year"),
    "language": _l("Language"),
}
NOTHING_TO_FIND = _l(
    "These words give nothing to search for. Try other words, or fewer signs such as quotes "
    "and brackets."
)


def _filters() -> tuple[tuple[str, str], ...]:
    return tuple(
        (facet, value)
        for facet in FACETS
        if (value := request.args.get(facet, "")[:40]) and allowed(facet, value)
    )


def page_of(kind: Published, number: str) -> str:
    if kind is Published.RECORD:
        return url_for("records.show", number=number)
    return url_for("recommendations.show", number=number)


def _published_page(kind: Published, number: str) -> str | None:
    """The page of a published number, or None."""
    try:
        if kind is Published.RECORD:
            records.page(db.session, number)
        else:
            recommendations.published(db.session, number)
        return page_of(kind, number)
    except NotFound:
        return None


@bp.get("")
def index() -> str | Response:
    form = SearchForm(request.args)
    valid = form.validate()
    text = form.q.data or ""
    sort = form.sort.data if form.sort.data in SORTS else SORTS[0]
    filters = _filters()
    search = Search(text=text if valid else "", filters=filters, sort=sort, page=page_asked())
    results = message = None
    if valid and (number := exact_number(text)) and (page := _published_page(*number)):
        return redirect(page, code=303)
    if valid:
        try:
            results = find(searching.index(), db.session, search, clock.now())
        except QuerySyntaxError:
            message = NOTHING_TO_FIND

    def address(**changes: object) -> str:
        """This search's address with some of its parts changed (None: left out)."""
        args: dict[str, object] = {"q": text or None, "sort": sort if sort != SORTS[0] else None}
        args.update(dict(filters))
        args.update(changes)
        return url_for(".index", **{k: v for k, v in args.items() if v not in (None, "")})

    return render_template(
        "search/index.html",
        form=form,
        search=search,
        results=results,
        message=message,
        address=address,
        facet_names=FACET_NAMES,
        kind_names=KIND_NAMES,
        kind_name=KIND_NAME,
        page_of=page_of,
        addressee_names={
            str(a.id): a.name_in(str(get_locale())) for a in recommendations.addressees(db.session)
        },
    )
