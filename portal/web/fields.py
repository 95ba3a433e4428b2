"""Form fields, checks and the one shared form (a new closing date) of every feature's forms.

Dates and times are typed and shown in Asia/Almaty time, the group's own clock, and stored in
UTC (`to_utc`, `in_almaty`, and `almaty`: also the templates' filter, registered by
`create_app`). Text fields are stripped (`strip`), bounded (`at_most`) and refuse control,
bidi-override and zero-width characters (`no_hidden_characters`); typed values are read in our
own words (`ReadsTyped`) and required without "cannot be read" being replaced (`ReadOrRequired`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, time
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from flask import request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, Field, IntegerField, StringField, TimeField
from wtforms.fields.core import UnboundField
from wtforms.validators import Length, StopValidation, ValidationError

from consultations.languages import LOCALES
from consultations.pseudonyms import has_forbidden_characters
from portal.accounts.forms import REQUIRED
from portal.i18n import LANGUAGE_NAMES

ALMATY = ZoneInfo("Asia/Almaty")
UNFORESEEN = _l("Something was not right. Please try again.")


def refusal_message(messages: Mapping[str, object], code: str) -> str:
    """What a service's refusal `code` says, in the reader's language, from a feature's table
    of messages; a code the table lacks gets a general one, never the code itself."""
    return str(messages.get(code, UNFORESEEN))


def to_utc(day: date, moment: time) -> datetime:
    """A date and time typed in Almaty, as the UTC instant the database stores."""
    return datetime.combine(day, moment, tzinfo=ALMATY).astimezone(UTC)


def in_almaty(instant: datetime) -> datetime:
    return instant.astimezone(ALMATY)


# Every date and time the site shows is written with these two Babel patterns, in the page's
# language: full month names, so no abbreviation's full stop ("нояб.", "қар.", "г.") can meet
# the full stop of the sentence around it.
DAY_PATTERN = "d MMMM y"
MOMENT_PATTERN = "d MMMM y, HH:mm"


def almaty(moment: datetime) -> str:
    """A moment as the group reads clocks: Asia/Almaty time, in the page's language (also the
    templates' `almaty` filter)."""
    return format_datetime(moment, MOMENT_PATTERN, tzinfo=ALMATY, locale=get_locale())


def day(value: date | datetime) -> str:
    """A day, in the page's language (the templates' `day` filter). A datetime is read in
    Almaty time, so an instant late in the UTC evening shows the group's next day."""
    if isinstance(value, datetime):
        value = in_almaty(value).date()
    return _day(value, str(get_locale()))


@lru_cache(maxsize=4096)
def _day(value: date, locale: str) -> str:
    """Babel's formatting is slow beside a page's other work, and a list shows few days."""
    return format_date(value, DAY_PATTERN, locale=locale)


def no_hidden_characters(_form: FlaskForm, field: StringField) -> None:
    """Control, bidi-override and zero-width characters could disguise what a text says."""
    if field.data and has_forbidden_characters(field.data):
        raise ValidationError(_l("Remove the invisible or control characters from this field."))


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def at_most(limit: int) -> Length:
    return Length(max=limit, message=_l("This can be at most %(max)d characters long.", max=limit))


class ReadsTyped:
    """A field that reads what was typed in its own way and says so in our words.

    Blank is no value (the validator then says "required", once); not sent at all keeps the
    default, as WTForms does.
    """

    unreadable = _l("This value cannot be read.")
    data: object
    errors: list[str]

    def read(self, typed: str) -> object:
        raise NotImplementedError

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            return
        typed = valuelist[0].strip()
        try:
            self.data = self.read(typed) if typed else None
        except ValueError:
            self.data = None
            raise ValueError(str(self.unreadable)) from None


class AlmatyDateField(ReadsTyped, DateField):
    """`<input type="date">`; without browser support, typed as 2025-06-30."""

    unreadable = _l("Enter the date as year-month-day, for example 2025-06-30.")

    def read(self, typed: str) -> date:
        return datetime.strptime(typed, "%Y-%m-%d").date()


class AlmatyTimeField(ReadsTyped, TimeField):
    """`<input type="time">`; browsers send 14:30 (or 14:30:00 with a step)."""

    unreadable = _l("Enter the time as hours:minutes, for example 14:30.")

    def read(self, typed: str) -> time:
        for pattern in ("%H:%M", "%H:%M:%S"):
            try:
                return datetime.strptime(typed, pattern).time()
            except ValueError:
                continue
        raise ValueError(typed)


class WholeNumberField(ReadsTyped, IntegerField):
    unreadable = _l("Enter a whole number, for example 12.")

    def read(self, typed: str) -> int:
        # int() would also take "1_000", "+5" and digits of other scripts.
        if not (typed.isascii() and typed.isdigit()):
            raise ValueError(typed)
        return int(typed)


class ReadOrRequired:
    """Required, and read: unlike InputRequired, a value of only spaces (sent, but no value)
    is refused; unlike DataRequired, "cannot be read" is not replaced by "required"."""

    field_flags = {"required": True}

    def __call__(self, _form: FlaskForm, field: ReadsTyped) -> None:
        if field.data is None:
            raise StopValidation(None if field.errors else str(REQUIRED))


def date_field(label: str) -> AlmatyDateField:
    return AlmatyDateField(label, validators=[ReadOrRequired()])


def time_field(label: str) -> AlmatyTimeField:
    return AlmatyTimeField(label, validators=[ReadOrRequired()])


class HasClosing(Protocol):
    closes_at: datetime


class ExtendForm(FlaskForm):
    """A new closing date and time: consultations and decisions alike."""

    # Named apart from the details form's fields: both forms share a page, and ids must differ.
    new_closes_on = date_field(_l("New closing date"))
    new_closes_time = time_field(_l("New closing time (Almaty)"))

    def closes_at(self) -> datetime:
        return to_utc(self.new_closes_on.data, self.new_closes_time.data)


def extend_form(closing: HasClosing) -> ExtendForm:
    """A new closing date for a consultation or a decision, at the same time of day."""
    closes = in_almaty(closing.closes_at)
    return ExtendForm(
        formdata=None,
        data={"new_closes_time": closes.time().replace(second=0, microsecond=0)},
    )


# --------------------------------------------------------------------------- per language
#
# A text staff write in each language has a field per language, `<name>_<locale>`; which of them
# is the main language is the consultation's choice (`languages.shown` reads them back).


def in_each_language(
    form: type[FlaskForm],
    name: str,
    field: Callable[..., UnboundField],
    label: Callable[[str], object],
    limit: int,
    **render_kw: object,
) -> None:
    """Give `form` the fields `<name>_kk`, `<name>_ru`, `<name>_en`: a `field` labelled
    `label(language's name)`, stripped, of at most `limit` characters, none of them hidden."""
    for locale in LOCALES:
        setattr(
            form,
            f"{name}_{locale}",
            field(
                label(LANGUAGE_NAMES[locale]),
                filters=[strip],
                validators=[at_most(limit), no_hidden_characters],
                render_kw={"lang": locale, **render_kw},
            ),
        )


def in_language(form: FlaskForm, name: str, locale: str) -> Field:
    return form[f"{name}_{locale}"]


def typed_in(form: FlaskForm, names: Iterable[str], locale: str) -> dict[str, str]:
    """What was typed in `locale`'s fields: name → text."""
    return {name: in_language(form, name, locale).data or "" for name in names}


def typed_translations(
    form: FlaskForm, names: Iterable[str], main_locale: str
) -> dict[str, dict[str, str]]:
    """What was typed in the languages other than the main one: locale → name → text."""
    names = tuple(names)
    return {locale: typed_in(form, names, locale) for locale in LOCALES if locale != main_locale}


def translation_data(names: Iterable[str], translations: Iterable[object]) -> dict[str, str]:
    """A form's `data` for the saved translation rows (each with `locale` and the fields)."""
    names = tuple(names)
    return {
        f"{name}_{row.locale}": getattr(row, name)  # type: ignore[attr-defined]
        for row in translations
        for name in names
    }


def chosen(field: Field) -> str:
    """A filter's value as the reader chose it, or "" — all — when it is not one of the field's
    values (its error says so on the page)."""
    return "" if field.errors else (field.data or "")


def page_links(page: int, pages: int, url_of: Callable[[int], str]) -> dict[str, str | None]:
    """`prev_url` and `next_url` for `macros/pages.html`: the neighbouring pages' addresses,
    None at either end."""
    return {
        "prev_url": url_of(page - 1) if page > 1 else None,
        "next_url": url_of(page + 1) if page < pages else None,
    }


def page_asked() -> int:
    """The `page` of a list's address: a whole number from 1, or else the first page (an
    address typed wrong still shows the list)."""
    value = request.args.get("page", "1")
    readable = value.isascii() and value.isdigit() and len(value) <= 6
    return max(1, int(value)) if readable else 1
