"""Ballot keys: how a member's secret ballot is found again without the database knowing whose
it is (DESIGN §3, issue 5).

    ballot_key = HMAC-SHA256(KENES_BALLOT_SECRET, f"{decision_id}:{member.ballot_token}")

The token is in the database, the secret is not (it lives with the other secrets, and the
database keeps only its fingerprint — `fingerprint.py`). So a copy of the database cannot tie a
key to a member, while the running application recomputes the member's own key for each
decision: "has this member voted?" needs no participation table. Each member's token is random
and never reused, so a member registering after another is erased cannot inherit their ballot.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable


class BallotKeys:
    """Holds the ballot secret; hands out a member's key function, never the secret."""

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode()

    def key(self, decision_id: int, ballot_token: str) -> str:
        message = f"{decision_id}:{ballot_token}".encode()
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()

    def for_token(self, ballot_token: str) -> Callable[[int], str]:
        """The member's key for any decision: what the ballot services are given."""
        return lambda decision_id: self.key(decision_id, ballot_token)

    def __repr__(self) -> str:  # never print the secret, even in a traceback
        return "BallotKeys(<secret>)"
