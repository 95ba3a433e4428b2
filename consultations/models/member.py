"""Who a member is: pseudonym, role, language, dates. How they prove it is the website's
business (`portal.accounts`): no secret lives here (DESIGN §2–3).

No e-mail, phone, real name, address, IP or user agent: there is no column for them.
Dates, not times: a survivor's row says on which day, never at what minute.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from sqlalchemy import CheckConstraint, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from consultations.db import Base, EnumText
from consultations.languages import in_locales


class Role(StrEnum):
    MEMBER = "member"
    STAFF = "staff"
    ADMIN = "admin"


class Member(Base):
    __tablename__ = "member"
    # AUTOINCREMENT: an erased member's id is never given to someone else, so nothing that
    # still names the old id (an audit line, a backup) can be mistaken for the new member.
    __table_args__ = (
        CheckConstraint("role IN ('member', 'staff', 'admin')", name="role"),
        CheckConstraint(in_locales("locale"), name="locale"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # As the member wrote it (NFKC-normalized); shown to others.
    pseudonym: Mapped[str] = mapped_column(String(64))
    # The confusables skeleton: two pseudonyms that look alike have the same key.
    pseudonym_key: Mapped[str] = mapped_column(String(128), unique=True)
    role: Mapped[Role] = mapped_column(EnumText(Role), default=Role.MEMBER)
    locale: Mapped[str] = mapped_column(String(2))
    created_on: Mapped[date] = mapped_column(Date)
    last_visit_on: Mapped[date | None] = mapped_column(Date)
    disabled: Mapped[bool] = mapped_column(default=False)
    # 128 random bits (hex) keying the member's secret ballots (issue 5); never reused.
    ballot_token: Mapped[str] = mapped_column(String(32), unique=True)

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN
