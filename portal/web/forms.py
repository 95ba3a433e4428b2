"""Forms of the member pages: comments and reports."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from consultations.models.comment import MAX_COMMENT_CHARS

STANCES = [
    SelectChoice("supports", _l("I support this")),
    SelectChoice("concerns", _l("I have concerns")),
    SelectChoice("question", _l("I have a question")),
    SelectChoice("other", _l("Other")),
]

REPORT_REASONS = [
    SelectChoice("harmful", _l("It is harmful or hurtful")),
    SelectChoice("identifying", _l("It could identify someone")),
    SelectChoice("off_topic", _l("It is off-topic")),
    SelectChoice("other", _l("Something else")),
]


class CommentForm(FlaskForm):
    text = TextAreaField(
        _l("Your comment"),
        validators=[
            InputRequired(_l("Write your comment first.")),
            Length(
                max=MAX_COMMENT_CHARS,
                message=_l("A comment can be at most 5,000 characters long."),
            ),
        ],
    )
    stance = RadioField(
        _l("What is your view?"),
        choices=STANCES,
        default="other",
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
