"""What each refusal says to the person, in their language. Codes come from the flows."""

from __future__ import annotations

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from consultations.pseudonyms import MAX_LENGTH, MIN_LENGTH, PseudonymError

ACCOUNT_MESSAGES = {
    # One message for every sign-in failure: it must not tell whether the name exists.
    "sign_in_failed": _l("The name or the passphrase is not right. Check both and try again."),
    "invite_invalid": _l(
        "This invitation code does not work. It may be mistyped, used, "
        "revoked or expired. Ask the staff for a new one."
    ),
    "invite_not_revocable": _l("Only an unused invitation can be revoked."),
    "code_invalid": _l(
        "This code is not right, or it was used already. Wait for the next code "
        "in your app and try again."
    ),
    "reset_failed": _l(
        "The name or the reset code is not right, or the code has expired. "
        "Ask the staff for a new code."
    ),
    "passphrase_too_short": _l("The passphrase is too short."),
    "passphrase_too_long": _l("The passphrase is too long."),
    "passphrase_too_weak": _l(
        "This passphrase would be too easy to guess. Add more words, or use the suggested one."
    ),
    "confirm_needed": _l("Enter your current passphrase to confirm."),
    "confirm_failed": _l("Your current passphrase is not right."),
    "pseudonym_taken": _l(
        "This name, or one that looks just like it, is already taken. Choose another."
    ),
    "not_allowed": _l("This change is not allowed: the site must keep at least one admin."),
}

PSEUDONYM_MESSAGES = {
    "empty": _l("Choose a name."),
    "too_short": _l("A name must have at least %(min)d characters.", min=MIN_LENGTH),
    "too_long": _l("A name can be at most %(max)d characters long.", max=MAX_LENGTH),
    "characters": _l("Use only letters, digits, spaces, “-” and “_”."),
    "control": _l("Remove the invisible or control characters from this field."),
    "mixed_script": _l(
        "Use one alphabet for the whole name: do not mix Latin and Cyrillic letters."
    ),
    "no_letter": _l("A name needs at least one letter."),
}


def account_message(code: str, wait: int = 0) -> str:
    if code == "throttled":
        minutes = max(1, (wait + 59) // 60)
        return ngettext(
            "Too many attempts. Please wait %(num)d minute and try again.",
            "Too many attempts. Please wait %(num)d minutes and try again.",
            minutes,
        )
    return str(ACCOUNT_MESSAGES.get(code, gettext("Something was not right. Please try again.")))


def pseudonym_message(error: PseudonymError) -> str:
    return str(PSEUDONYM_MESSAGES.get(error.code, PSEUDONYM_MESSAGES["characters"]))
