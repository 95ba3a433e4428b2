"""The database remembers which ballot secret it was made with (DESIGN §7, checklist 41).

Ballots are keyed by HMAC(KENES_BALLOT_SECRET, decision:ballot_token). A site restored with a
different secret would no longer recognise anyone's ballot, and every member could vote again.
So the database keeps a fingerprint of the secret — an HMAC under the secret itself of a fixed
label, which reveals nothing of a 32-byte random secret — and the app refuses to start with
another one.
"""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import String, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from consultations.db import Base

BALLOT_SECRET = "ballot_secret"  # noqa: S105 — the name of a secret, not a secret
_LABEL = b"kenes secret fingerprint v1"


class SecretFingerprint(Base):
    """One row per secret whose identity must survive restarts and restores."""

    __tablename__ = "secret_fingerprint"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))


class SecretMismatchError(RuntimeError):
    """The configured secret is not the one this database was made with."""


def fingerprint(secret: str) -> str:
    return hmac.new(secret.encode(), _LABEL, hashlib.sha256).hexdigest()


def check_or_record(session: Session, name: str, secret: str) -> None:
    """Record the secret's fingerprint on first start; refuse a different secret after that.

    Does nothing before the schema exists (`flask db upgrade` has not run yet). Flushes and
    commits nothing itself beyond the one insert, which the caller commits.
    """
    if not inspect(session.get_bind()).has_table(SecretFingerprint.__tablename__):
        return
    expected = fingerprint(secret)
    stored = session.scalar(
        select(SecretFingerprint.fingerprint).where(SecretFingerprint.name == name)
    )
    if stored is None:
        session.add(SecretFingerprint(name=name, fingerprint=expected))
        try:
            session.flush()
        except IntegrityError:
            # Another worker recorded it first: compare with theirs.
            session.rollback()
            stored = session.scalar(
                select(SecretFingerprint.fingerprint).where(SecretFingerprint.name == name)
            )
        else:
            return
    if not hmac.compare_digest(stored or "", expected):
        raise SecretMismatchError(
            f"KENES_{name.upper()} differs from the one this database was created with; "
            "restore the original secret (see README, Backups)"
        )
