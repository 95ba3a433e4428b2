"""A member's secrets: passphrase hash, TOTP secret and its last accepted step, recovery codes.

One-to-one with `member`, deleted with it. Recovery codes are stored as SHA-256 hashes: they are
random (≥ 80 bits), so a slow hash would add nothing but wait.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from consultations.db import Base


class Credential(Base):
    __tablename__ = "credential"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("member.id", ondelete="CASCADE"), primary_key=True
    )
    passphrase_hash: Mapped[str] = mapped_column(String(255))
    # Set once the member proved, with a valid code, that their app holds it.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # Shown during enrolment, until a valid code switches it on.
    pending_totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The last accepted TOTP time step: a code at or below it is a replay.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_secret is not None


class RecoveryCode(Base):
    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
