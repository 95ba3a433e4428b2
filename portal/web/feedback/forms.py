"""Forms of the feedback workspace: the filters (a GET form: the page's address says what is
shown, so it can be kept and shared among staff), a new theme, and tagging."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice

from consultations.models import CommentStatus, Stance, Theme
from consultations.models.theme import MAX_THEME_CHARS
from consultations.services.feedback import MAX_QUERY_CHARS, Filters
from portal.web.fields import at_most, chosen, no_hidden_characters, refusal_message, strip
from portal.web.names import STANCE_NAMES

STATUS_NAMES = {
    CommentStatus.VISIBLE: _l("Published"),
    CommentStatus.PENDING: _l("Waiting for review"),
    CommentStatus.HIDDEN: _l("Hidden"),
}

MESSAGES = {
    "empty": _l("Write the theme's name."),
    "too_long": _l("A theme's name can be at most %(max)d characters long.", max=MAX_THEME_CHARS),
    "control": _l("Remove the invisible or control characters from this field."),
    "duplicate": _l("There is already a theme with this name."),
    "too_many": _l("This consultation has as many themes as it can have. Delete one first."),
    "no_comments": _l("Tick at least one comment."),
    "no_themes": _l("Tick at least one theme."),
}


# The whole draft's value in the section filter: no section key can be spelt so (a key is
# letters, digits, hyphens and underscores).
WHOLE_DRAFT = "~whole"


def feedback_message(code: str) -> str:
    return refusal_message(MESSAGES, code)


class FilterForm(FlaskForm):
    """Read from the query string; a value that is not one of the choices shows everything, and
    a filter left out of the address (a page link, a form sent back) is "All", not an error."""

    class Meta:
        csrf = False  # a GET form: it changes nothing

    section = SelectField(_l("Section"), default="", validate_choice=True)
    stance = SelectField(_l("Stance"), default="", validate_choice=True)
    theme = SelectField(_l("Theme"), default="", validate_choice=True)
    version = SelectField(_l("Version"), default="", validate_choice=True)
    status = SelectField(_l("Status"), default="", validate_choice=True)
    text = StringField(
        _l("Words in the text"),
        filters=[strip],
        validators=[at_most(MAX_QUERY_CHARS), no_hidden_characters],
    )

    def fill_choices(
        self, themes: list[Theme], versions: list[int], sections: list[tuple[str | None, str]]
    ) -> None:
        everything = SelectChoice("", _l("All"))
        self.section.choices = [everything] + [
            SelectChoice(key or WHOLE_DRAFT, title or _l("The whole draft"))
            for key, title in sections
        ]
        self.stance.choices = [everything] + [
            SelectChoice(stance.value, STANCE_NAMES[stance]) for stance in Stance
        ]
        self.theme.choices = [everything] + [
            SelectChoice(str(theme.id), theme.name) for theme in themes
        ]
        self.version.choices = [everything] + [
            SelectChoice(str(number), str(number)) for number in versions
        ]
        self.status.choices = [everything] + [
            SelectChoice(status.value, name) for status, name in STATUS_NAMES.items()
        ]

    def filters(self) -> Filters:
        """What the valid fields ask for; a field with an error filters nothing."""

        return Filters(
            stance=Stance(chosen(self.stance)) if chosen(self.stance) else None,
            theme_id=int(chosen(self.theme)) if chosen(self.theme) else None,
            version=int(chosen(self.version)) if chosen(self.version) else None,
            status=CommentStatus(chosen(self.status)) if chosen(self.status) else None,
            text=chosen(self.text),
            section=self._section(),
        )

    def _section(self) -> str | None:
        key = chosen(self.section)
        if not key:
            return None
        return "" if key == WHOLE_DRAFT else key


class ThemeForm(FlaskForm):
    name = StringField(
        _l("New theme"),
        filters=[strip],
        validators=[at_most(MAX_THEME_CHARS), no_hidden_characters],
    )
