"""Forms of moderation: hiding a comment (with the reason its author sees), and the passphrase
confirmation before removing one for good or looking up who wrote it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from portal.accounts.forms import ConfirmForm
from portal.web.fields import at_most, no_hidden_characters, refusal_message, strip

MAX_HIDE_REASON_CHARS = 500

MESSAGES = {
    "not_reported": _l("The author can be looked up only for a comment someone reported."),
}


def moderation_message(code: str) -> str:
    """What a refusal from the comments service says to a moderator, in their language."""
    return refusal_message(MESSAGES, code)


class HideForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (the author will see it)"),
        filters=[strip],
        validators=[
            DataRequired(_l("Say why the comment is hidden: its author will see this.")),
            at_most(MAX_HIDE_REASON_CHARS),
            no_hidden_characters,
        ],
        render_kw={"rows": 2},
    )


class ModerationConfirmForm(ConfirmForm):
    """Removing a comment for good, or looking up who wrote it: the passphrase, unless fresh."""
