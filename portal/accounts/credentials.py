"""Proving who you are: invites, passphrases, second factor, recovery and reset codes.

Each function takes the database session first, flushes and never commits: the view commits
once. Failures raise `AccountError` with a code the view turns into a message in the reader's
language — and for sign-in, one code for every failure, so nothing tells a stranger whether a
pseudonym exists.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from consultations import pseudonyms
from consultations.models import Member, Role
from consultations.services import audit, members
from portal.accounts.models import Credential, Invite, RecoveryCode, ResetCode
from portal.security import throttle, tokens, totp
from portal.security.passwords import Passphrases

INVITE_DAYS = 14
RESET_CODE_LIFETIME = timedelta(hours=24)
RECOVERY_CODE_COUNT = 10


class AccountError(Exception):
    """A refusal the member can act on; `code` picks the message, `wait` any seconds to wait."""

    def __init__(self, code: str, wait: int = 0) -> None:
        super().__init__(code)
        self.code = code
        self.wait = wait


def passphrases() -> Passphrases:
    return current_app.extensions["kenes.passphrases"]


def _throttle_key(kind: str, subject: str) -> str:
    return throttle.throttle_key(current_app.config["SECRET_KEY"], kind, subject)


def _typed_key(pseudonym: str) -> str:
    """The throttle's subject: the pseudonym as typed, in its look-alike-proof form."""
    return pseudonyms.skeleton(pseudonyms.normalize(pseudonym))


def _hash(code: str) -> str:
    """Invite, reset and recovery codes: random, ≥ 80 bits, so SHA-256 of the normal form."""
    return hashlib.sha256(tokens.normalize_code(code).encode()).hexdigest()


# --------------------------------------------------------------------------- invites


@dataclass(frozen=True)
class IssuedInvite:
    invite: Invite
    code: str


def issue_invites(
    session: Session, *, role: Role, count: int, days: int, issued_by: Member | None, now: datetime
) -> list[IssuedInvite]:
    issued = []
    for _ in range(count):
        code = tokens.new_invite_code()
        invite = Invite(
            code_hash=_hash(code),
            role=role,
            created_at=now,
            expires_at=now + timedelta(days=days),
            issued_by_id=issued_by.id if issued_by else None,
        )
        session.add(invite)
        issued.append(IssuedInvite(invite, code))
    session.flush()
    for item in issued:
        audit.record(
            session,
            actor=issued_by,
            action="invite.issue",
            target=f"invite:{item.invite.id}",
            now=now,
        )
    return issued


class InviteState(StrEnum):
    """A used invite no longer exists: one that does is one of these."""

    UNUSED = "unused"
    REVOKED = "revoked"
    EXPIRED = "expired"


def invite_status(invite: Invite, now: datetime) -> InviteState:
    if invite.revoked:
        return InviteState.REVOKED
    if invite.expires_at <= now:
        return InviteState.EXPIRED
    return InviteState.UNUSED


def revoke_invite(session: Session, invite: Invite, *, actor: Member, now: datetime) -> None:
    if invite_status(invite, now) != InviteState.UNUSED:
        raise AccountError("invite_not_revocable")
    invite.revoked = True
    audit.record(
        session, actor=actor, action="invite.revoke", target=f"invite:{invite.id}", now=now
    )
    session.flush()


def _redeemable_invite(session: Session, code: str, now: datetime) -> Invite:
    invite = session.scalar(select(Invite).where(Invite.code_hash == _hash(code)))
    if invite is None or invite_status(invite, now) != InviteState.UNUSED:
        raise AccountError("invite_invalid")
    return invite


# --------------------------------------------------------------------------- registration


def register(
    session: Session,
    *,
    invite_code: str,
    pseudonym: str,
    passphrase: str,
    locale: str,
    now: datetime,
) -> Member:
    """Redeem an invite and create the member and their credential.

    The invite is deleted in the same transaction: no row is left that a dump could tie to
    the account (on PostgreSQL the website then rewrites the table, so not even the deleted
    version's transaction id stays; on SQLite secure_delete and the WAL checkpoint remove it).
    A deleted invite's code can never be redeemed again.
    Raises AccountError("invite_invalid"), PseudonymError, PseudonymTaken, AccountError for a
    passphrase problem (code "passphrase_<problem>").
    """
    invite = _redeemable_invite(session, invite_code, now)
    pseudonym = pseudonyms.validate(pseudonym)
    check_passphrase(passphrase, pseudonym)
    member = create_account(
        session,
        pseudonym=pseudonym,
        role=Role(invite.role),
        locale=locale,
        passphrase=passphrase,
        now=now,
    )
    session.delete(invite)
    session.flush()
    return member


def create_account(
    session: Session,
    *,
    pseudonym: str,
    role: Role,
    locale: str,
    passphrase: str,
    now: datetime,
    totp_secret: str | None = None,
) -> Member:
    """The member (who they are: the domain) and their credential (how they prove it: the
    website), with a new ballot token — the one way an account is made: joining by invite,
    `flask users create-staff`, the demo, the tests. The caller has checked the pseudonym and
    the passphrase as its path requires. Raises PseudonymTaken; flushes."""
    member = members.register(
        session,
        pseudonym=pseudonym,
        role=role,
        locale=locale,
        ballot_token=tokens.new_ballot_token(),
        now=now,
    )
    session.add(
        Credential(
            member_id=member.id,
            passphrase_hash=passphrases().hash(passphrase),
            totp_secret=totp_secret,
        )
    )
    session.flush()
    return member


def check_passphrase(passphrase: str, pseudonym: str) -> None:
    from portal.security.passwords import strength_problems

    problems = strength_problems(passphrase, [pseudonym, "kenes"])
    if problems:
        raise AccountError(f"passphrase_{problems[0]}")


# --------------------------------------------------------------------------- sign-in


@dataclass(frozen=True)
class SignInResult:
    member: Member
    needs_second_factor: bool


def sign_in(session: Session, *, pseudonym: str, passphrase: str, now: datetime) -> SignInResult:
    """Check pseudonym and passphrase under the per-pseudonym throttle.

    Unknown pseudonym, wrong passphrase and disabled account all raise the same
    AccountError("sign_in_failed") after the same argon2 work; a throttled pseudonym raises
    AccountError("throttled", wait) whether or not it exists.
    """
    key = _throttle_key("login", _typed_key(pseudonym))
    wait = throttle.seconds_to_wait(session, key, now)
    if wait:
        raise AccountError("throttled", wait)
    member = members.find_by_pseudonym(session, pseudonym)
    credential = session.get(Credential, member.id) if member is not None else None
    stored = credential.passphrase_hash if credential is not None else None
    if not passphrases().verify(stored, passphrase) or member is None or member.disabled:
        throttle.record_failure(session, key, now)
        raise AccountError("sign_in_failed")
    throttle.record_success(session, key)
    if passphrases().needs_rehash(stored):
        credential.passphrase_hash = passphrases().hash(passphrase)
    session.flush()
    return SignInResult(member, needs_second_factor=credential.two_factor_enabled)


def verify_passphrase(session: Session, member: Member, passphrase: str, now: datetime) -> bool:
    """Re-confirmation before a sensitive action (checklist 20), under the member's throttle:
    the same growing wait as sign-in, so a stolen unlocked phone cannot guess the passphrase
    at the export or deletion page (issue 9). While the wait runs even the right passphrase is
    refused: AccountError("throttled", wait). The caller commits a failure (it must count)."""
    key = _throttle_key("confirm", str(member.id))
    wait = throttle.seconds_to_wait(session, key, now)
    if wait:
        raise AccountError("throttled", wait)
    credential = session.get(Credential, member.id)
    if credential is None or not passphrases().verify(credential.passphrase_hash, passphrase):
        throttle.record_failure(session, key, now)
        return False
    throttle.record_success(session, key)
    return True


def change_passphrase(session: Session, member: Member, new_passphrase: str) -> None:
    check_passphrase(new_passphrase, member.pseudonym)
    credential = session.get(Credential, member.id)
    credential.passphrase_hash = passphrases().hash(new_passphrase)
    session.flush()


# --------------------------------------------------------------------------- second factor


def second_factor(session: Session, member: Member, code: str, now: datetime) -> None:
    """A TOTP code (never the same step twice) or an unused recovery code, under a throttle."""
    key = _throttle_key("totp", str(member.id))
    wait = throttle.seconds_to_wait(session, key, now)
    if wait:
        raise AccountError("throttled", wait)
    credential = session.get(Credential, member.id)
    if credential is None or credential.totp_secret is None:
        raise AccountError("code_invalid")
    step = totp.verify(credential.totp_secret, code, last_step=credential.totp_last_step, now=now)
    if step is not None:
        credential.totp_last_step = step
    elif not _use_recovery_code(session, member, code):
        throttle.record_failure(session, key, now)
        session.flush()
        raise AccountError("code_invalid")
    throttle.record_success(session, key)
    session.flush()


def _use_recovery_code(session: Session, member: Member, code: str) -> bool:
    if totp.normalize_code(code) is not None:
        return False  # six digits: a TOTP code, not a recovery code
    found = session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.member_id == member.id, RecoveryCode.code_hash == _hash(code)
        )
    )
    if found is None:
        return False
    session.delete(found)
    return True


def pending_secret(session: Session, member: Member) -> str | None:
    credential = session.get(Credential, member.id)
    return credential.pending_totp_secret if credential is not None else None


def start_enrolment(session: Session, member: Member) -> str:
    """A new secret to show; it becomes active only once a code from it is confirmed."""
    credential = session.get(Credential, member.id)
    if credential.pending_totp_secret is None:
        credential.pending_totp_secret = totp.new_secret()
        session.flush()
    return credential.pending_totp_secret


def confirm_enrolment(session: Session, member: Member, code: str, now: datetime) -> list[str]:
    """Switch 2FA on with the pending secret if `code` is valid; returns new recovery codes."""
    credential = session.get(Credential, member.id)
    secret = credential.pending_totp_secret
    if secret is None:
        raise AccountError("code_invalid")
    step = totp.verify(secret, code, last_step=None, now=now)
    if step is None:
        raise AccountError("code_invalid")
    credential.totp_secret = secret
    credential.pending_totp_secret = None
    credential.totp_last_step = step
    session.flush()
    return new_recovery_codes(session, member)


def disable_two_factor(session: Session, member: Member) -> None:
    credential = session.get(Credential, member.id)
    credential.totp_secret = None
    credential.pending_totp_secret = None
    credential.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.member_id == member.id))
    session.flush()


def new_recovery_codes(session: Session, member: Member) -> list[str]:
    """Replace the member's recovery codes; the plain codes are shown once and never stored."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.member_id == member.id))
    codes = tokens.new_recovery_codes(RECOVERY_CODE_COUNT)
    session.add_all(RecoveryCode(member_id=member.id, code_hash=_hash(code)) for code in codes)
    session.flush()
    return codes


def recovery_codes_left(session: Session, member: Member) -> int:
    return len(
        list(session.scalars(select(RecoveryCode.id).where(RecoveryCode.member_id == member.id)))
    )


def two_factor_enabled(session: Session, member: Member) -> bool:
    credential = session.get(Credential, member.id)
    return credential is not None and credential.two_factor_enabled


# --------------------------------------------------------------------------- reset codes


def issue_reset_code(
    session: Session, member: Member, *, actor: Member | None, now: datetime
) -> str:
    """A one-time code staff hand over in person; replaces any earlier one. Audited."""
    code = tokens.new_reset_code()
    session.execute(delete(ResetCode).where(ResetCode.member_id == member.id))
    session.add(
        ResetCode(member_id=member.id, code_hash=_hash(code), expires_at=now + RESET_CODE_LIFETIME)
    )
    audit.record(
        session, actor=actor, action="member.reset_code", target=f"member:{member.id}", now=now
    )
    session.flush()
    return code


def redeem_reset_code(
    session: Session, *, pseudonym: str, code: str, new_passphrase: str, now: datetime
) -> Member:
    """Set a new passphrase with a reset code: 2FA goes off, the code is burnt.

    The caller ends every session of the member. One failure code for a wrong pseudonym, a
    wrong, used or expired code, under a per-pseudonym throttle.
    """
    key = _throttle_key("reset", _typed_key(pseudonym))
    wait = throttle.seconds_to_wait(session, key, now)
    if wait:
        raise AccountError("throttled", wait)
    member = members.find_by_pseudonym(session, pseudonym)
    reset = session.get(ResetCode, member.id) if member is not None else None
    if (
        reset is None
        or reset.expires_at <= now
        or reset.code_hash != _hash(code)
        or member.disabled
    ):
        throttle.record_failure(session, key, now)
        session.flush()
        raise AccountError("reset_failed")
    check_passphrase(new_passphrase, member.pseudonym)
    credential = session.get(Credential, member.id)
    credential.passphrase_hash = passphrases().hash(new_passphrase)
    session.delete(reset)
    disable_two_factor(session, member)
    throttle.record_success(session, key)
    session.flush()
    return member


# --------------------------------------------------------------------------- export


def export_sign_in(session: Session, member: Member) -> dict[str, object]:
    """What the member's export says of how they sign in: settings, never secrets."""
    credential = session.get(Credential, member.id)
    return {
        "two_factor_enabled": bool(credential and credential.two_factor_enabled),
        "recovery_codes_left": recovery_codes_left(session, member),
    }
