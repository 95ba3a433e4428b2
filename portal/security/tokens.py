"""Random tokens and codes: session tokens, ballot tokens, invite, reset and recovery codes.

Everything comes from `secrets` (the operating system's CSPRNG). The database keeps only hashes
of session tokens and codes: a leaked table lets nobody sign in or redeem anything.

Codes people type — from paper, from a staff member's screen, read aloud — use 20 capital Latin
letters with no look-alikes (no B/8, I/1/L, O/0, S/5, Z/2) and no digits, in groups of four.
`normalize_code` forgives what typing adds: case, spaces, dashes, and Cyrillic letters that look
like the Latin ones, typed on a Russian or Kazakh keyboard layout.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import unicodedata

INVITE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY"
CODE_LETTERS = 20  # 20 · log2(20) ≈ 86 bits
CODE_GROUP = 4
CODE_BITS = CODE_LETTERS * math.log2(len(INVITE_ALPHABET))

# Cyrillic capitals that look like Latin ones (lower case is upper-cased first). Ү and І are
# Kazakh. B, O and I are not in the alphabet: mapping them still gives the Latin letter the
# member saw, so the code is refused as wrong rather than as garbled.
_CYRILLIC_TWINS = str.maketrans({
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "У": "Y", "Х": "X", "Ү": "Y", "І": "I",
})  # fmt: skip


def new_session_token() -> str:
    """256 random bits, URL-safe: the only thing a session cookie holds."""
    return secrets.token_urlsafe(32)


def new_ballot_token() -> str:
    """128 random bits in hex (32 characters): keys a member's secret ballots (DESIGN §3)."""
    return secrets.token_hex(16)


def token_hash(token: str) -> str:
    """SHA-256 in hex of a session token, as stored.

    A fast hash is enough because the token is random and long: there is no dictionary to try
    and 2^256 possibilities. (A passphrase, chosen by a person, needs argon2 instead.)
    """
    return hashlib.sha256(token.encode()).hexdigest()


def _new_code() -> str:
    letters = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(CODE_LETTERS))
    return "-".join(
        letters[index : index + CODE_GROUP] for index in range(0, CODE_LETTERS, CODE_GROUP)
    )


def new_invite_code() -> str:
    """An invite code, e.g. "KDMF-QXTA-RCPH-WYEJ-NUVG": 20 letters, about 86 bits."""
    return _new_code()


def new_reset_code() -> str:
    """A one-time passphrase reset code that staff hand over; same shape as an invite code."""
    return _new_code()


def new_recovery_codes(count: int = 10) -> list[str]:
    """`count` distinct 2FA recovery codes, each of the invite codes' shape and strength."""
    codes: list[str] = []
    while len(codes) < count:
        code = _new_code()
        if code not in codes:  # a repeat is astronomically unlikely, but would waste a code
            codes.append(code)
    return codes


def normalize_code(typed: str) -> str:
    """The canonical form of a typed code — what is hashed and compared.

    NFKC folds full-width letters; upper case; Cyrillic look-alikes become their Latin twins;
    anything that is not a letter or digit (spaces, dashes, dots) is dropped. A code with
    other characters left in it simply matches nothing.
    """
    text = unicodedata.normalize("NFKC", typed).upper().translate(_CYRILLIC_TWINS)
    return "".join(char for char in text if char.isalnum())
