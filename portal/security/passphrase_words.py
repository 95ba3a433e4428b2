"""Passphrase suggestions: five common words in the member's language, drawn by `secrets`.

The word lists (wordlists/passphrase_{kk,ru,en}.txt, one lower-case word a line) hold common,
easy-to-type words of 3 to 9 letters in their dictionary form. Members of Kenes are adult
survivors of child trafficking, so the lists leave out anything violent, sexual, religious,
political or insulting, and the themes of trafficking: money, buying and selling, work offers,
travel and borders, vehicles, locks and keys, children and family, night, the body.

Strength of a suggested passphrase (5 words drawn independently and uniformly, so an attacker
who knows the list and the method still faces len(list) ** 5 equally likely phrases):
    kk: 795 words, log2(795) × 5 ≈ 48.2 bits
    ru: 889 words, log2(889) × 5 ≈ 49.0 bits
    en: 898 words, log2(898) × 5 ≈ 49.1 bits
`ENTROPY_BITS` computes the same from the lists as loaded; a test keeps it at 45 bits or more.

Kazakh words use ә ғ қ ң ө ұ ү і (no һ), which a phone's Kazakh keyboard has; the password
check should apply NFKC before hashing so that a composed and a decomposed й or ё are the same.
"""

from __future__ import annotations

import math
import secrets
from pathlib import Path

from consultations.languages import LOCALES

DEFAULT_LOCALE = "en"
WORDLISTS = Path(__file__).resolve().parent / "wordlists"


def _load(locale: str) -> tuple[str, ...]:
    path = WORDLISTS / f"passphrase_{locale}.txt"
    return tuple(path.read_text(encoding="utf-8").split())


WORDS: dict[str, tuple[str, ...]] = {locale: _load(locale) for locale in LOCALES}

#: Bits of entropy of a five-word suggestion in each locale.
ENTROPY_BITS: dict[str, float] = {
    locale: 5 * math.log2(len(words)) for locale, words in WORDS.items()
}


def resolve_locale(locale: str) -> str:
    """ "kk", "kk_KZ", "RU-ru" → their language; anything unknown → "en"."""
    language = locale.replace("-", "_").split("_")[0].lower()
    return language if language in WORDS else DEFAULT_LOCALE


def suggest_passphrase(locale: str, words: int = 5) -> str:
    """`words` words drawn with `secrets.choice` from the locale's list, joined by one space."""
    if words < 1:
        raise ValueError("a passphrase needs at least one word")
    choices = WORDS[resolve_locale(locale)]
    return " ".join(secrets.choice(choices) for _ in range(words))
