"""Forms of the recommendation register: a recommendation, a status change, an addressee, and
the public list's filters (a GET form: the address says what is listed, and can be cited)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from consultations.models import (
    Addressee,
    Priority,
    Recommendation,
    RecommendationStatus,
    Region,
)
from consultations.models.recommendation import (
    MAX_EVIDENCE_CHARS,
    MAX_NOTE_CHARS,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
)
from consultations.services.recommendations import Draft, Filters
from portal.accounts.forms import REQUIRED
from portal.i18n import LANGUAGE_NAMES
from portal.web.fields import (
    AlmatyDateField,
    at_most,
    chosen,
    no_hidden_characters,
    refusal_message,
    strip,
)
from portal.web.names import PRIORITY_NAMES, RECOMMENDATION_STATUS_NAMES, REGION_NAMES

MESSAGES = {
    "empty": _l("This field is required."),
    "too_long": _l("This text is too long."),
    "control": _l("Remove the invisible or control characters from this field."),
    "locale": _l("Choose the language it is written in."),
    "addressee": _l("Choose who the recommendation is addressed to."),
    "no_region": _l("Choose at least one region, or the whole country."),
    "published": _l("This recommendation is already published."),
    "future": _l("The date of a status change cannot be in the future."),
}


def recommendation_message(code: str) -> str:
    return refusal_message(MESSAGES, code)


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes: usable on a phone and without JS, unlike a multi-select."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RecommendationForm(FlaskForm):
    title = StringField(
        _l("Title"),
        filters=[strip],
        validators=[InputRequired(REQUIRED), at_most(MAX_TITLE_CHARS), no_hidden_characters],
    )
    text = TextAreaField(
        _l("Recommendation"),
        validators=[InputRequired(REQUIRED), at_most(MAX_TEXT_CHARS)],
        render_kw={"rows": 10},
    )
    locale = RadioField(
        _l("Written in"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        validators=[InputRequired(_l("Choose the language it is written in."))],
    )
    addressee = SelectField(
        _l("Addressed to"), validators=[InputRequired(_l("Choose who it is addressed to."))]
    )
    priority = RadioField(
        _l("Priority"),
        choices=[SelectChoice(p.value, name) for p, name in PRIORITY_NAMES.items()],
        default=Priority.MEDIUM.value,
        validators=[InputRequired(REQUIRED)],
    )
    regions = CheckboxesField(
        _l("Regions"),
        choices=[SelectChoice(r.value, name) for r, name in REGION_NAMES.items()],
        validators=[InputRequired(_l("Choose at least one region, or the whole country."))],
    )
    review_on = AlmatyDateField(_l("Review date (optional)"), validators=[Optional()])

    def with_addressees(self, addressees: list[Addressee], locale: str) -> RecommendationForm:
        self.addressee.choices = [SelectChoice("", _l("Choose…"))] + [
            SelectChoice(str(a.id), a.name_in(locale)) for a in addressees
        ]
        return self

    def draft(self) -> Draft:
        return Draft(
            title=self.title.data or "",
            text=self.text.data or "",
            locale=self.locale.data or "",
            addressee_id=int(self.addressee.data or 0),
            priority=Priority(self.priority.data),
            regions=[Region(value) for value in self.regions.data or []],
            review_on=self.review_on.data,
        )


def recommendation_form(recommendation: Recommendation | None) -> RecommendationForm:
    if recommendation is None:
        return RecommendationForm(formdata=None)
    return RecommendationForm(
        formdata=None,
        data={
            "title": recommendation.title,
            "text": recommendation.text,
            "locale": recommendation.locale,
            "addressee": str(recommendation.addressee_id),
            "priority": recommendation.priority.value,
            "regions": [r.region.value for r in recommendation.regions],
            "review_on": recommendation.review_on,
        },
    )


class StatusForm(FlaskForm):
    status = SelectField(
        _l("New status"),
        choices=[SelectChoice(s.value, name) for s, name in RECOMMENDATION_STATUS_NAMES.items()],
        validators=[InputRequired(REQUIRED)],
    )
    on = AlmatyDateField(_l("Date of the change"), validators=[InputRequired(REQUIRED)])
    note = TextAreaField(
        _l("Note (shown to the public)"),
        filters=[strip],
        validators=[at_most(MAX_NOTE_CHARS)],
        render_kw={"rows": 3},
    )
    evidence = StringField(
        _l("Evidence (optional): a citation or a web address"),
        filters=[strip],
        validators=[at_most(MAX_EVIDENCE_CHARS), no_hidden_characters],
    )


def status_form(today: date) -> StatusForm:
    return StatusForm(formdata=None, data={"on": today})


class AddresseeForm(FlaskForm):
    name_kk = StringField(
        _l("Name in Kazakh"),
        filters=[strip],
        validators=[InputRequired(REQUIRED), at_most(300), no_hidden_characters],
        render_kw={"lang": "kk"},
    )
    name_ru = StringField(
        _l("Name in Russian"),
        filters=[strip],
        validators=[InputRequired(REQUIRED), at_most(300), no_hidden_characters],
        render_kw={"lang": "ru"},
    )
    name_en = StringField(
        _l("Name in English"),
        filters=[strip],
        validators=[InputRequired(REQUIRED), at_most(300), no_hidden_characters],
        render_kw={"lang": "en"},
    )


class RegisterFilterForm(FlaskForm):
    """The public list's filters, read from the query string; a value that is not a choice
    filters nothing and is said so."""

    class Meta:
        csrf = False

    status = SelectField(_l("Status"))
    addressee = SelectField(_l("Addressed to"))
    region = SelectField(_l("Region"))
    year = SelectField(_l("Year"))

    def with_choices(
        self, addressees: list[Addressee], years: list[int], locale: str
    ) -> RegisterFilterForm:
        everything = SelectChoice("", _l("All"))
        self.status.choices = [everything] + [
            SelectChoice(s.value, name) for s, name in RECOMMENDATION_STATUS_NAMES.items()
        ]
        self.addressee.choices = [everything] + [
            SelectChoice(str(a.id), a.name_in(locale)) for a in addressees
        ]
        self.region.choices = [everything] + [
            SelectChoice(r.value, name) for r, name in REGION_NAMES.items()
        ]
        self.year.choices = [everything] + [SelectChoice(str(y), str(y)) for y in years]
        return self

    def filters(self) -> Filters:
        return Filters(
            status=RecommendationStatus(chosen(self.status)) if chosen(self.status) else None,
            addressee_id=int(chosen(self.addressee)) if chosen(self.addressee) else None,
            region=Region(chosen(self.region)) if chosen(self.region) else None,
            year=int(chosen(self.year)) if chosen(self.year) else None,
        )
