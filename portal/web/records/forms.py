"""Forms of the advisory records: starting one, writing its draft revision (texts; quotes and
recommendations are ticked in the same form), and withdrawing it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired

from consultations.models import RecordRevision
from consultations.models.record import (
    MAX_ADVICE_CHARS,
    MAX_REASON_CHARS,
    MAX_SUMMARY_CHARS,
    MAX_TITLE_CHARS,
)
from consultations.services.records import Texts
from portal.accounts.forms import REQUIRED
from portal.i18n import LANGUAGE_NAMES
from portal.web.fields import at_most, no_hidden_characters, refusal_message, strip

MESSAGES = {
    "empty": _l("This field is required."),
    "too_long": _l("This text is too long."),
    "control": _l("Remove the invisible or control characters from this field."),
    "locale": _l("Choose the language it is written in."),
    "published": _l("This revision is published and cannot change. Start a correction."),
    "withdrawn": _l("This record is withdrawn. It cannot change any more."),
    "not_published": _l("Only a published record can be withdrawn."),
    "no_changelog": _l("Say what this correction changes: readers of the record will see it."),
    "not_quotable": _l(
        "That comment cannot be quoted: its author did not allow it, or it is no longer shown."
    ),
    "not_an_excerpt": _l("An excerpt must be words of the comment, as its author wrote them."),
    "too_many_quotes": _l("A record can hold at most 30 quotes."),
    "no_such_recommendation": _l("One of those recommendations is gone. Look again."),
    "no_such_original": _l("There is no published record with that number."),
    "same_language": _l("A translation must be in another language than its original."),
}


def record_message(code: str) -> str:
    return refusal_message(MESSAGES, code)


def _title() -> StringField:
    return StringField(
        _l("Title"),
        filters=[strip],
        validators=[InputRequired(REQUIRED), at_most(MAX_TITLE_CHARS), no_hidden_characters],
    )


def _summary() -> TextAreaField:
    return TextAreaField(
        _l("Summary"),
        filters=[strip],
        validators=[at_most(MAX_SUMMARY_CHARS)],
        render_kw={"rows": 4},
    )


def _advice() -> TextAreaField:
    return TextAreaField(
        _l("The group's advice"),
        validators=[at_most(MAX_ADVICE_CHARS)],
        render_kw={"rows": 16},
    )


class NewRecordForm(FlaskForm):
    locale = RadioField(
        _l("Written in"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        validators=[InputRequired(_l("Choose the language it is written in."))],
    )
    title = _title()
    summary = _summary()
    advice = _advice()

    def texts(self) -> Texts:
        return Texts(self.title.data or "", self.summary.data or "", self.advice.data or "")


class RecordForm(FlaskForm):
    title = _title()
    summary = _summary()
    advice = _advice()
    changelog = TextAreaField(
        _l("What this correction changes (shown to readers)"),
        filters=[strip],
        validators=[at_most(MAX_SUMMARY_CHARS)],
        render_kw={"rows": 3},
    )
    translation_of = StringField(
        _l("Translation of (the original record's number, if this is a translation)"),
        filters=[strip],
        validators=[at_most(16), no_hidden_characters],
        render_kw={"placeholder": "AR-2026-001", "autocomplete": "off"},
    )

    def texts(self) -> Texts:
        return Texts(
            self.title.data or "",
            self.summary.data or "",
            self.advice.data or "",
            self.changelog.data or "",
        )


def record_form(revision: RecordRevision, original: str) -> RecordForm:
    return RecordForm(
        formdata=None,
        data={
            "title": revision.title,
            "summary": revision.summary,
            "advice": revision.advice,
            "changelog": revision.changelog,
            "translation_of": original,
        },
    )


class WithdrawForm(FlaskForm):
    reason = TextAreaField(
        _l("Why it is withdrawn (shown on every page of the record)"),
        filters=[strip],
        validators=[InputRequired(REQUIRED), at_most(MAX_REASON_CHARS), no_hidden_characters],
        render_kw={"rows": 3},
    )
