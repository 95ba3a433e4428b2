"""Forms of the member pages: comments and reports."""

from __future__ import annotations

from flask_babel import LazyString, format_number
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from consultations.models.comment import MAX_COMMENT_CHARS, Stance

# The stances are the domain's (`Stance`); these are their words as a member picks one (how a
# comment is labelled with it: `portal.web.names.STANCE_NAMES`).
STANCE_CHOICES = {
    Stance.SUPPORTS: _l("I support this"),
    Stance.CONCERNS: _l("I have concerns"),
    Stance.QUESTION: _l("I have a question"),
    Stance.OTHER: _l("Other"),
}
STANCES = [SelectChoice(stance.value, STANCE_CHOICES[stance]) for stance in Stance]

REPORT_REASONS = [
    SelectChoice("harmful", _l("It is harmful or hurtful")),
    SelectChoice("identifying", _l("It could identify someone")),
    SelectChoice("off_topic", _l("It is off-topic")),
    SelectChoice("other", _l("Something else")),
]


# The limit is the domain's; written as the reader's language writes numbers (5,000 / 5 000).
COMMENT_TOO_LONG = _l(
    "A comment can be at most %(num)s characters long.",
    num=LazyString(format_number, MAX_COMMENT_CHARS),
)


class CommentForm(FlaskForm):
    text = TextAreaField(
        _l("Your comment"),
        validators=[
            InputRequired(_l("Write your comment first.")),
            Length(
                max=MAX_COMMENT_CHARS,
                message=COMMENT_TOO_LONG,
            ),
        ],
    )
    stance = RadioField(
        _l("What is your view?"),
        choices=STANCES,
        default=Stance.OTHER.value,
        validators=[InputRequired(_l("Choose one."))],
    )
    section = HiddenField(validators=[Optional(), Length(max=40)])
    parent = HiddenField(validators=[Optional(), Length(max=20)])
    show_pseudonym = BooleanField(_l("Show my name with this comment"))
    quotable = BooleanField(_l("It may be quoted, without my name, in a published advisory record"))


class EditCommentForm(FlaskForm):
    text = CommentForm.text
    stance = CommentForm.stance


class ReportForm(FlaskForm):
    reason = RadioField(
        _l("Why are you reporting this comment?"),
        choices=REPORT_REASONS,
        validators=[InputRequired(_l("Choose a reason."))],
    )
    note = TextAreaField(
        _l("Anything staff should know (optional)"),
        validators=[
            Optional(),
            Length(max=1000, message=_l("At most %(max)d characters.", max=1000)),
        ],
    )


class ConfirmDeleteForm(FlaskForm):
    """Deleting one's own comment: the confirmation page's button (and its CSRF token)."""
