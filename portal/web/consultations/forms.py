"""Forms of the staff consultation pages: details and dates, the draft in three languages,
closing dates and meeting feedback.

Dates and times are typed and shown in Asia/Almaty time, the group's own clock, and stored in
UTC. Every message is translated; a refused form comes back with what was typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    InputRequired,
    Length,
    NumberRange,
    ValidationError,
)

from consultations.models import Consultation
from consultations.models.comment import MAX_COMMENT_CHARS
from consultations.services.consultations import Details
from portal.accounts.forms import REQUIRED
from portal.i18n import LANGUAGE_NAMES
from portal.web.fields import (
    AlmatyDateField,
    WholeNumberField,
    at_most,
    date_field,
    in_almaty,
    in_each_language,
    in_language,
    no_hidden_characters,
    refusal_message,
    strip,
    time_field,
    to_utc,
    translation_data,
    typed_in,
    typed_translations,
)
from portal.web.names import PLACE_NAMES

MAX_TITLE_CHARS = 200
MAX_SUMMARY_CHARS = 5_000
MAX_NOTE_CHARS = 2_000
# Three of these fit the 256 KB request limit only as multipart (the draft form's encoding):
# URL-encoding would make each Cyrillic letter six bytes.
MAX_DRAFT_CHARS = 200_000
MAX_CHANGELOG_CHARS = 5_000
MAX_PARTICIPANTS = 500

MESSAGES = {
    "closes_before_opens": _l("The closing date must come after the opening date."),
    "closes_in_the_past": _l("The new closing date must be in the future and after the opening."),
    "no_main_text": _l(
        "Publishing needs the text in the main language. Your texts are saved; add the main "
        "language's text, then publish."
    ),
    "version_published": _l("This version is already published. Open the draft page again."),
    "not_open": _l("Only an open consultation can be closed early."),
    "not_closed": _l("Only a closed consultation can be archived."),
    "participants": _l("A meeting needs at least one participant."),
    # Comment texts (meeting feedback) refused by the comments service.
    "empty": _l("This text is empty."),
    "too_long": _l("Each text can be at most %(max)d characters long.", max=MAX_COMMENT_CHARS),
    "control": _l("Remove the invisible or control characters from this field."),
}


def consultation_message(code: str) -> str:
    """What a refusal from the consultation or comment services says, in the reader's language."""
    return refusal_message(MESSAGES, code)


class ConsultationForm(FlaskForm):
    """The details. Title, summary and content note have a field per language
    (`title_kk`, …): the main language's title is required, the rest optional."""

    TEXTS = ("title", "summary", "content_note")

    main_locale = RadioField(
        _l("Main language"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        validators=[InputRequired(_l("Choose the main language."))],
    )
    opens_on = date_field(_l("Opens on (date)"))
    opens_time = time_field(_l("Opens at (time, Almaty)"))
    closes_on = date_field(_l("Closes on (date)"))
    closes_time = time_field(_l("Closes at (time, Almaty)"))
    premoderation = BooleanField(_l("Review each new comment before members can see it"))

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        valid = super().validate(extra_validators)
        main = self.main_locale.data
        if main in LANGUAGE_NAMES and not in_language(self, "title", main).data:
            in_language(self, "title", main).errors.append(
                _(
                    "Write the title in the main language (%(language)s).",
                    language=LANGUAGE_NAMES[main],
                )
            )
            return False
        return valid

    def details(self) -> Details:
        main = self.main_locale.data or ""
        return Details(
            **typed_in(self, self.TEXTS, main),
            main_locale=main,
            opens_at=to_utc(self.opens_on.data, self.opens_time.data),
            closes_at=to_utc(self.closes_on.data, self.closes_time.data),
            premoderation=bool(self.premoderation.data),
            translations=typed_translations(self, self.TEXTS, main),
        )


in_each_language(
    ConsultationForm,
    "title",
    StringField,
    lambda language: _l("Title (%(language)s)", language=language),
    MAX_TITLE_CHARS,
)
in_each_language(
    ConsultationForm,
    "summary",
    TextAreaField,
    lambda language: _l("Summary (%(language)s)", language=language),
    MAX_SUMMARY_CHARS,
    rows=4,
)
in_each_language(
    ConsultationForm,
    "content_note",
    TextAreaField,
    lambda language: _l("Content note (%(language)s)", language=language),
    MAX_NOTE_CHARS,
    rows=3,
)


def consultation_form(consultation: Consultation | None = None) -> ConsultationForm:
    """The details form filled from the consultation (Almaty time), or a new one's defaults.

    Never from the request: the page may be shown again after another form on it was refused.
    """
    if consultation is None:
        return ConsultationForm(
            formdata=None,
            data={"main_locale": "ru", "opens_time": time(9, 0), "closes_time": time(18, 0)},
        )
    opens, closes = in_almaty(consultation.opens_at), in_almaty(consultation.closes_at)
    main = consultation.main_locale
    return ConsultationForm(
        formdata=None,
        data={
            **{f"{name}_{main}": getattr(consultation, name) for name in ConsultationForm.TEXTS},
            **translation_data(ConsultationForm.TEXTS, consultation.translations),
            "main_locale": main,
            "opens_on": opens.date(),
            "opens_time": opens.time().replace(second=0, microsecond=0),
            "closes_on": closes.date(),
            "closes_time": closes.time().replace(second=0, microsecond=0),
            "premoderation": consultation.premoderation,
        },
    )


def _draft_text(label: str, locale: str) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            Length(
                max=MAX_DRAFT_CHARS,
                message=_l(
                    "A draft can be at most %(max)d characters long in each language.",
                    max=MAX_DRAFT_CHARS,
                ),
            ),
            no_hidden_characters,
        ],
        render_kw={"rows": 24, "lang": locale, "spellcheck": "true"},
    )


class DraftForm(FlaskForm):
    text_kk = _draft_text(_l("Text in Kazakh"), "kk")
    text_ru = _draft_text(_l("Text in Russian"), "ru")
    text_en = _draft_text(_l("Text in English"), "en")
    # In the main language; `changelog_<locale>` (below) in the others.
    changelog = TextAreaField(
        _l("What changed in this version (shown to members)"),
        filters=[strip],
        validators=[at_most(MAX_CHANGELOG_CHARS), no_hidden_characters],
        render_kw={"rows": 4},
    )
    save = SubmitField(_l("Save the draft"))
    publish = SubmitField(_l("Publish this version"))

    def changelog_translations(self, main_locale: str) -> dict[str, str]:
        typed = typed_translations(self, ("changelog",), main_locale)
        return {locale: texts["changelog"] for locale, texts in typed.items()}

    def texts(self) -> dict[str, str]:
        return {
            "kk": self.text_kk.data or "",
            "ru": self.text_ru.data or "",
            "en": self.text_en.data or "",
        }

    def text_field(self, locale: str) -> TextAreaField:
        return self[f"text_{locale}"]


in_each_language(
    DraftForm,
    "changelog",
    TextAreaField,
    lambda language: _l("What changed (%(language)s)", language=language),
    MAX_CHANGELOG_CHARS,
    rows=3,
)


def draft_form(texts: dict[str, str]) -> DraftForm:
    return DraftForm(
        formdata=None,
        data={f"text_{locale}": texts.get(locale, "") for locale in LANGUAGE_NAMES},
    )


def _feedback(label: str) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            Length(
                max=MAX_COMMENT_CHARS,
                message=_l(
                    "Each text can be at most %(max)d characters long.", max=MAX_COMMENT_CHARS
                ),
            ),
            no_hidden_characters,
        ],
        render_kw={"rows": 4},
    )


class MeetingForm(FlaskForm):
    """Meeting details, and one text box per section (added by `meeting_form`)."""

    held_on = date_field(_l("Date of the meeting"))
    place_type = RadioField(
        _l("Kind of place"),
        choices=[SelectChoice(kind.value, name) for kind, name in PLACE_NAMES.items()],
        validators=[InputRequired(_l("Choose the kind of place."))],
    )
    participants = WholeNumberField(
        _l("Number of participants"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(
                min=1,
                max=MAX_PARTICIPANTS,
                message=_l("Enter a number from %(min)d to %(max)d.", min=1, max=MAX_PARTICIPANTS),
            ),
        ],
        render_kw={"min": 1, "max": MAX_PARTICIPANTS},
    )
    # The version whose sections the boxes were made for: a newer one moves the boxes.
    version = HiddenField()
    general = _feedback(_l("About the whole draft"))

    section_keys: tuple[str, ...] = ()
    data_version: str = ""
    today: date | None = None

    def section_fields(self) -> list[TextAreaField]:
        return [self[f"section_{position}"] for position in range(len(self.section_keys))]

    def feedback(self) -> dict[str | None, str]:
        """Section key (None for the whole draft) → what was said there."""
        said: dict[str | None, str] = {
            key: field.data or ""
            for key, field in zip(self.section_keys, self.section_fields(), strict=True)
        }
        said[None] = self.general.data or ""
        return said

    def validate_held_on(self, field: AlmatyDateField) -> None:
        if self.today is not None and field.data and field.data > self.today:
            raise ValidationError(_l("The meeting date cannot be in the future."))

    def validate_version(self, field: HiddenField) -> None:
        if field.data != self.data_version:
            raise ValidationError(
                _l("A new version was published meanwhile: check the sections and send again.")
            )

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        valid = super().validate(extra_validators)
        if valid and not any(text.strip() for text in self.feedback().values()):
            self.general.errors.append(
                _("Write down what was said about at least one section or the whole draft.")
            )
            return False
        return valid


def meeting_form(sections: Sequence[tuple[str, str]], *, version: int, today: date) -> MeetingForm:
    """The meeting form for these sections ((key, title) in order) of version `version`."""

    class SectionsMeetingForm(MeetingForm):
        pass

    for position, (_key, title) in enumerate(sections):
        setattr(
            SectionsMeetingForm,
            f"section_{position}",
            _feedback(title or _("Introduction")),
        )
    SectionsMeetingForm.section_keys = tuple(key for key, _title in sections)
    SectionsMeetingForm.today = today
    SectionsMeetingForm.data_version = str(version)
    return SectionsMeetingForm(data={"version": str(version), "held_on": today})
