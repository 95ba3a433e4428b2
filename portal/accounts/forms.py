"""Forms for joining, signing in and looking after an account.

Every message is translated; a refused form comes back with what was typed, except secrets
(PasswordField never renders its value). Lengths are checked before any hashing.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, ValidationError

from consultations import pseudonyms
from consultations.models import Role
from portal.i18n import LANGUAGE_NAMES
from portal.security.passwords import MAX_PASSPHRASE_CHARS, MIN_PASSPHRASE_CHARS

REQUIRED = _l("This field is required.")


def _no_control_characters(_form: FlaskForm, field: StringField) -> None:
    """Control characters, bidi overrides and zero-width characters are never input (ch. 30)."""
    if field.data and pseudonyms.has_forbidden_characters(field.data):
        raise ValidationError(_l("Remove the invisible or control characters from this field."))


class _CheckedOnTheServer(Length):
    """Length, without the `minlength`/`maxlength` attributes WTForms would put on the input.

    A browser cuts a field at its `maxlength` without a word: a 129-character passphrase lost
    its last character in the first field only, and the person was told the two passphrases
    differed. The limit is said in the hint and checked here, with its own message."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.field_flags = {}


# Under a new passphrase: the limits, then the advice.
NEW_PASSPHRASE_HINT = _l(
    "%(min)d to %(max)d characters. Do not use it anywhere else.",
    min=MIN_PASSPHRASE_CHARS,
    max=MAX_PASSPHRASE_CHARS,
)


def _passphrase_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            InputRequired(REQUIRED),
            _CheckedOnTheServer(
                max=MAX_PASSPHRASE_CHARS,
                message=_l(
                    "A passphrase can be at most %(max)d characters long.", max=MAX_PASSPHRASE_CHARS
                ),
            ),
        ],
    )


def _new_passphrase_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        description=NEW_PASSPHRASE_HINT,
        validators=[
            InputRequired(REQUIRED),
            _CheckedOnTheServer(
                min=MIN_PASSPHRASE_CHARS,
                max=MAX_PASSPHRASE_CHARS,
                message=_l(
                    "A passphrase must be %(min)d to %(max)d characters long.",
                    min=MIN_PASSPHRASE_CHARS,
                    max=MAX_PASSPHRASE_CHARS,
                ),
            ),
        ],
    )


def _repeat_field(label: str) -> PasswordField:
    """The passphrase typed a second time, to catch a slip of the finger."""
    return PasswordField(
        label,
        validators=[
            InputRequired(REQUIRED),
            EqualTo("passphrase", message=_l("The two passphrases are not the same.")),
        ],
    )


def _pseudonym_field(label: str) -> StringField:
    return StringField(
        label,
        validators=[
            DataRequired(REQUIRED),
            Length(
                max=pseudonyms.MAX_LENGTH * 2,
                message=_l(
                    "A name can be at most %(max)d characters long.", max=pseudonyms.MAX_LENGTH
                ),
            ),
            _no_control_characters,
        ],
    )


def _code_field(label: str) -> StringField:
    return StringField(
        label,
        validators=[
            DataRequired(REQUIRED),
            Length(max=64, message=_l("This code is too long.")),
            _no_control_characters,
        ],
    )


class RegisterForm(FlaskForm):
    invite_code = _code_field(_l("Invitation code"))
    pseudonym = _pseudonym_field(_l("Your name on Kenes"))
    passphrase = _new_passphrase_field(_l("Passphrase"))
    passphrase_again = _repeat_field(_l("Passphrase again"))
    acknowledge = BooleanField(
        _l("I have read the privacy notice and understand what Kenes keeps about me."),
        validators=[DataRequired(_l("Please confirm that you have read the privacy notice."))],
    )


class SignInForm(FlaskForm):
    pseudonym = _pseudonym_field(_l("Your name on Kenes"))
    passphrase = _passphrase_field(_l("Passphrase"))


class CodeForm(FlaskForm):
    code = _code_field(_l("Code"))


class ResetForm(FlaskForm):
    pseudonym = _pseudonym_field(_l("Your name on Kenes"))
    reset_code = _code_field(_l("Reset code"))
    passphrase = _new_passphrase_field(_l("New passphrase"))
    passphrase_again = _repeat_field(_l("New passphrase again"))


class ConfirmForm(FlaskForm):
    """A sensitive action: the current passphrase, unless typed in the last five minutes."""

    current_passphrase = PasswordField(
        _l("Your current passphrase"),
        validators=[
            _CheckedOnTheServer(
                max=MAX_PASSPHRASE_CHARS,
                message=_l(
                    "A passphrase can be at most %(max)d characters long.", max=MAX_PASSPHRASE_CHARS
                ),
            )
        ],
    )


class PseudonymForm(ConfirmForm):
    pseudonym = _pseudonym_field(_l("New name on Kenes"))


class PassphraseForm(ConfirmForm):
    passphrase = _new_passphrase_field(_l("New passphrase"))
    passphrase_again = _repeat_field(_l("New passphrase again"))


class EnrolForm(ConfirmForm):
    code = _code_field(_l("The six-digit code from your app"))


class LanguageForm(FlaskForm):
    locale = SelectField(
        _l("Language"), choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()]
    )


class DeleteForm(ConfirmForm):
    comments = RadioField(
        _l("What should happen to your comments?"),
        choices=[
            SelectChoice("erase", _l("Erase them with my account")),
            SelectChoice("keep", _l("Keep them, shown as written by “a former member”")),
        ],
        validators=[InputRequired(_l("Please choose what happens to your comments."))],
    )
    understood = BooleanField(
        _l("I understand that my account cannot be brought back."),
        validators=[DataRequired(_l("Please confirm that you understand."))],
    )


class AccountActionForm(ConfirmForm):
    """A staff action on someone's account (disable, enable, a reset code): sensitive."""


class InviteForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice(Role.MEMBER.value, _l("Member")),
            SelectChoice(Role.STAFF.value, _l("Staff")),
        ],
    )
    count = SelectField(
        _l("How many"),
        default="1",
        choices=[SelectChoice(str(n), str(n)) for n in (1, 2, 3, 5, 10, 20)],
    )
    days = SelectField(
        _l("Valid for"),
        default="14",
        choices=[
            SelectChoice("3", _l("3 days")),
            SelectChoice("7", _l("7 days")),
            SelectChoice("14", _l("14 days")),
            SelectChoice("30", _l("30 days")),
        ],
    )


class RoleForm(ConfirmForm):
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice(Role.MEMBER.value, _l("Member")),
            SelectChoice(Role.STAFF.value, _l("Staff")),
            SelectChoice(Role.ADMIN.value, _l("Admin")),
        ],
    )
