"""Fresh confirmation for sensitive actions (checklist 20).

A sensitive form (`ConfirmForm` and its children) asks for the current passphrase unless the
member typed it in this session within the last five minutes; a right one opens the window.
Wrong ones are throttled per member like sign-in (`credentials.verify_passphrase`).
"""

from __future__ import annotations

from flask_login import current_user

from portal import clock
from portal.accounts import credentials, sessions
from portal.accounts.forms import ConfirmForm
from portal.accounts.messages import account_message
from portal.extensions import db


def needs_confirmation() -> bool:
    return not current_user.state.is_fresh(clock.now())


def confirmed(form: ConfirmForm, *, always: bool = False) -> bool:
    """True when the session is fresh or the form carries the right passphrase.

    `always`: the passphrase is asked whatever the session's age (deleting the account).
    """
    if not always and not needs_confirmation():
        return True
    typed = form.current_passphrase.data or ""
    if not typed:
        form.current_passphrase.errors.append(account_message("confirm_needed"))
        return False
    try:
        right = credentials.verify_passphrase(db.session, current_user.member, typed, clock.now())
    except credentials.AccountError as refused:
        form.current_passphrase.errors.append(account_message(refused.code, refused.wait))
        return False
    if not right:
        # The failure is counted by the throttle: keep it, though the action is refused. Nothing
        # else is pending: views ask for confirmation before they change anything.
        db.session.commit()
        form.current_passphrase.errors.append(account_message("confirm_failed"))
        return False
    sessions.confirm_passphrase(current_user.state)
    return True
