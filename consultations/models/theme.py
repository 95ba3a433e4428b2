"""Themes staff code a consultation's feedback into (issue 12): each theme belongs to one
consultation; a comment or meeting note may carry several themes, a theme many comments.

Only staff see themes. Tagging keeps no date and no tagger: who coded what is in the audit log.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from consultations.db import Base

MAX_THEME_CHARS = 80
MAX_THEMES = 60  # per consultation: a list to code with, not a second comment thread


class Theme(Base):
    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("consultation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(MAX_THEME_CHARS))


class CommentTheme(Base):
    """A comment tagged with a theme."""

    __tablename__ = "comment_theme"

    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), primary_key=True
    )
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("theme.id", ondelete="CASCADE"), primary_key=True, index=True
    )
