"""The search box: a GET form (an address that says what was searched can be shared), its
words bounded and free of hidden characters, and the filters chosen from the facets."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice

from consultations.languages import LOCALES
from consultations.models import Published, RecommendationStatus, Region
from consultations.search import MAX_QUERY_CHARS
from portal.web.fields import at_most, no_hidden_characters, strip

SORT_CHOICES = [
    SelectChoice("relevance", _l("Best match")),
    SelectChoice("date", _l("Newest first")),
]

# Each facet's values, as the address may carry them: anything else filters nothing.
ALLOWED = {
    "kind": {kind.value for kind in Published},
    "status": {status.value for status in RecommendationStatus},
    "region": {region.value for region in Region},
    "language": set(LOCALES),
}


def allowed(facet: str, value: str) -> bool:
    if facet in ALLOWED:
        return value in ALLOWED[facet]
    if facet == "year":
        return len(value) == 4 and value.isascii() and value.isdigit()
    if facet == "addressee":
        return 0 < len(value) <= 9 and value.isascii() and value.isdigit()
    return False


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(
        _l("Search the group's records and recommendations"),
        filters=[strip],
        validators=[at_most(MAX_QUERY_CHARS), no_hidden_characters],
    )
    sort = SelectField(_l("Order"), choices=SORT_CHOICES, default="relevance")
