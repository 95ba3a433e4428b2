"""Demonstration content for `flask demo seed` — development databases only.

Each issue adds what its features need to be tried by hand: members and staff with known
demo passphrases, a consultation, a decision, published records. The shell (issue 2) has no
content of its own yet; this reports what it did so `make run` can say so.
"""

from __future__ import annotations

from sqlalchemy.orm import Session


def seed(session: Session, *, only_if_empty: bool) -> str:
    """Add the demo content; return a line saying what was done."""
    del session, only_if_empty  # used as content arrives with the next issues
    return "Demo content: nothing to add yet (the shell has no members or consultations)."
