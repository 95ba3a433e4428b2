"""Pseudonyms: the names members are known by, and when two are too alike (checklist 21, 30).

A member joins under a pseudonym. It is shown as the member typed it, after `normalize` (NFKC,
trimmed, runs of whitespace made one space). `validate` refuses what could hide or disguise text
(control, bidi and zero-width characters are refused rather than silently removed, so what is
stored is what was seen), punctuation and symbols, letters of two scripts in one pseudonym, and
pseudonyms without a letter.

`skeleton` is the key that uniqueness is decided on: two pseudonyms with the same skeleton are too
alike to both exist ("Aigul", "AIGUL", "Аigul" with a Cyrillic А, "Aigul-1" and "Aigul 1").
It is built from the Unicode confusables data shipped by `confusable_homoglyphs`; see
`_representatives` for how, and for what it does not catch.

`suggestions` offers gentle two-word pseudonyms ("Тыныш өзен", "Тихая река", "Quiet meadow")
from the lists in wordlists/pseudonym_{kk,ru,en}.txt, whose format is described in each file.

Plain Python: nothing here knows of Flask or the portal.
"""

from __future__ import annotations

import functools
import secrets
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from confusable_homoglyphs import categories, confusables

from consultations.languages import LOCALES

MIN_LENGTH = 3
MAX_LENGTH = 32

DEFAULT_LOCALE = "en"
WORDLISTS = Path(__file__).resolve().parent / "wordlists"

#: The error codes `PseudonymError.code` takes; the web layer words each one for the member.
ERROR_CODES = (
    "empty",
    "too_short",
    "too_long",
    "characters",
    "control",
    "mixed_script",
    "no_letter",
)

_MESSAGES = {
    "empty": "Please choose a pseudonym.",
    "too_short": f"A pseudonym has at least {MIN_LENGTH} characters.",
    "too_long": f"A pseudonym has at most {MAX_LENGTH} characters.",
    "characters": "Use letters, digits, spaces, '-' and '_' only.",
    "control": "The pseudonym contains invisible or direction-changing characters.",
    "mixed_script": "Use the letters of one alphabet only.",
    "no_letter": "A pseudonym needs at least one letter.",
}

SEPARATORS = frozenset(" -_")

# Tab and line breaks are only whitespace (collapsed into one space by `normalize`); every other
# control character is refused.
_WHITESPACE_CONTROLS = frozenset("\t\n\r")
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# Unicode's Default_Ignorable_Code_Point characters that are not format characters (Cf): they
# render as nothing, and some are even letters (the Hangul fillers), so they are named here.
_INVISIBLE_RANGES = (
    (0x034F, 0x034F),  # combining grapheme joiner
    (0x115F, 0x1160),  # Hangul choseong and jungseong fillers (letters!)
    (0x17B4, 0x17B5),  # Khmer inherent vowels
    (0x180B, 0x180F),  # Mongolian free variation selectors and vowel separator
    (0x2060, 0x206F),  # word joiner, invisible operators, bidi isolates, deprecated formats
    (0x3164, 0x3164),  # Hangul filler (a letter!)
    (0xFE00, 0xFE0F),  # variation selectors
    (0xFFA0, 0xFFA0),  # halfwidth Hangul filler (a letter!)
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical symbol formatting
    (0xE0000, 0xE0FFF),  # tags and variation selectors supplement
)

# Script aliases that belong to no one script: digits, space, "-", "_", modifier letters, marks.
_SHARED_SCRIPTS = frozenset({"COMMON", "INHERITED"})
# Writing systems that mix scripts by nature (UTS #39's augmented script sets): Japanese mixes
# Han, Hiragana and Katakana, Korean Han and Hangul, Chinese Han and Bopomofo.
_WRITING_SYSTEMS = {
    "HAN": frozenset({"hanb", "jpan", "kore"}),
    "HIRAGANA": frozenset({"jpan"}),
    "KATAKANA": frozenset({"jpan"}),
    "HANGUL": frozenset({"kore"}),
    "BOPOMOFO": frozenset({"hanb"}),
}


class PseudonymError(ValueError):
    """A pseudonym was refused; `code` (one of ERROR_CODES) says why."""

    def __init__(self, code: str) -> None:
        if code not in _MESSAGES:
            raise ValueError(f"unknown pseudonym error code {code!r}")
        super().__init__(_MESSAGES[code])
        self.code = code


def normalize(typed: str) -> str:
    """NFKC, trimmed, each run of whitespace one space. Case is kept: it is shown as typed."""
    return " ".join(unicodedata.normalize("NFKC", typed).split())


def validate(typed: str) -> str:
    """Return the normalized pseudonym, or raise PseudonymError with the first rule it breaks.

    Hidden characters are looked for in what was typed, before NFKC could remove or change any,
    and again after it.
    """
    if _has_hidden(typed):
        raise PseudonymError("control")
    pseudonym = normalize(typed)
    if _has_hidden(pseudonym):
        raise PseudonymError("control")
    if not pseudonym:
        raise PseudonymError("empty")
    if not all(_is_allowed(char) for char in pseudonym):
        raise PseudonymError("characters")
    if len(pseudonym) > MAX_LENGTH:
        raise PseudonymError("too_long")
    if len(pseudonym) < MIN_LENGTH:
        raise PseudonymError("too_short")
    if _is_mixed_script(pseudonym):
        raise PseudonymError("mixed_script")
    if not any(_is_letter(char) for char in pseudonym):
        raise PseudonymError("no_letter")
    return pseudonym


def skeleton(pseudonym: str) -> str:
    """The comparison key: equal skeletons mean the pseudonyms are too alike to coexist.

    NFKC, case-folded, separators (space, "-", "_") and hidden characters dropped, and each
    character replaced by the representative of its group of look-alikes. A key, never shown.
    """
    representatives = _representatives()
    return "".join(
        representatives.get(char, char)
        for char in _fold(pseudonym)
        if char not in SEPARATORS and not char.isspace() and not _is_hidden(char)
    )


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def _is_hidden(char: str) -> bool:
    if char in _WHITESPACE_CONTROLS:
        return False
    if unicodedata.category(char) in _HIDDEN_CATEGORIES:
        return True
    code_point = ord(char)
    return any(low <= code_point <= high for low, high in _INVISIBLE_RANGES)


def _has_hidden(text: str) -> bool:
    return any(_is_hidden(char) for char in text)


def _is_allowed(char: str) -> bool:
    category = unicodedata.category(char)
    return category.startswith("L") or category == "Nd" or char in SEPARATORS


def _is_letter(char: str) -> bool:
    """A letter of some script: modifier letters of no script (like ʻ) do not count alone."""
    return unicodedata.category(char).startswith("L") and (
        categories.alias(char) not in _SHARED_SCRIPTS
    )


def _is_mixed_script(pseudonym: str) -> bool:
    systems: frozenset[str] | None = None
    for char in pseudonym:
        script = categories.alias(char)
        if script in _SHARED_SCRIPTS:
            continue
        these = _WRITING_SYSTEMS.get(script, frozenset({script}))
        systems = these if systems is None else systems & these
        if not systems:
            return True
    return False


# Case matters to the eye across these scripts only (see _representatives).
_CASE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "COMMON"})


def _comparable_pair(first: str, second: str) -> tuple[str, str] | None:
    """The pair of characters to unite for a confusable pair of the data, or None to skip it."""
    if len(first) != 1 or len(second) != 1:
        return None  # sequences ("rn" for "m", letters with overlays): one char, one group
    if not (_is_letter_or_digit(first) and _is_letter_or_digit(second)):
        return None
    if _fold(first) == first and _fold(second) == second:
        return first, second
    # A pair that involves a capital: compare what case-folding makes of both (the pair "I" and
    # "l" says "i" and "l" are alike once case is ignored), but only between unaccented Latin,
    # Cyrillic and common characters: in Greek and the rest, capital and small forms look like
    # different Latin letters (Υ like Y, υ like u) and would chain u, y, r, t and z together.
    if unicodedata.normalize("NFKC", first) != first:
        return None
    if unicodedata.normalize("NFKC", second) != second:
        return None
    if not {categories.alias(first), categories.alias(second)} <= _CASE_SCRIPTS:
        return None
    folded_first, folded_second = _fold(first), _fold(second)
    if len(folded_first) != 1 or len(folded_second) != 1 or folded_first == folded_second:
        return None
    return folded_first, folded_second


def _is_letter_or_digit(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


@functools.cache
def _representatives() -> dict[str, str]:
    """Map each character that has look-alikes to one representative of its group.

    confusable_homoglyphs only says which characters are confusable, pair by pair (its data is
    Unicode's confusables.txt, turned into lists of look-alikes). The groups are the connected
    components of those pairs (union-find), restricted to single letters and digits that can
    appear in a case-folded NFKC string; the representative is the smallest code point of the
    group, so the key is deterministic.

    What it catches and what it does not (documented in tests/unit/test_pseudonyms.py too):
    - case-folding is applied first, so the groups are groups of small letters; capitals count
      through Latin and Cyrillic pairs only: "I" is like "l", so i, l, 1 and Kazakh і are one
      group ("Ali" and "AIi" collide), "O" is like "0", "Т" like "T" (т and t are one group);
    - capitals of other scripts do not (Greek "ΒΕΝ" and Latin "BEN" do not collide: β, ε and ν
      do not look like b, e and n) because they would merge Latin letters that do not look
      alike; their small letters do count (Greek "ΤΟΚ" folds to "τοκ", which is like "tok");
    - look-alike sequences ("rn" and "m") are not compared with single letters; but two letters
      that the data gives the *same* sequence as prototype are one group: Kazakh ө and the
      fita ѳ are both "o̵", so «Тыныш Ѳзен» collides with «Тыныш Өзен» (issue 9);
    - `_KAZAKH_LOOKALIKES` adds the letters of other Cyrillic alphabets that the data does not
      list but that pass for Kazakh ones on a phone: ӄ for қ, ӈ ӊ ԩ for ң, ӻ for ғ.
    """
    parent: dict[str, str] = {}

    def find(char: str) -> str:
        parent.setdefault(char, char)
        while parent[char] != char:
            parent[char] = parent[parent[char]]
            char = parent[char]
        return char

    def unite(first: str, second: str) -> None:
        pair = _comparable_pair(first, second)
        if pair is None:
            return
        root_first, root_second = find(pair[0]), find(pair[1])
        if root_first != root_second:
            low, high = sorted((root_first, root_second))
            parent[high] = low

    sharing: dict[str, str] = {}  # a multi-character prototype → the first letter that has it
    for char, homoglyphs in confusables.confusables_data.items():
        for homoglyph in homoglyphs:
            prototype = homoglyph["c"]
            if len(prototype) == 1:
                unite(char, prototype)
            elif len(char) == 1:
                unite(sharing.setdefault(prototype, char), char)
    for first, second in _KAZAKH_LOOKALIKES:
        unite(first, second)
    return {char: find(char) for char in parent if find(char) != char}


# Letters of other Cyrillic alphabets that pass for Kazakh ones, which the data does not pair.
_KAZAKH_LOOKALIKES = (
    ("қ", "ӄ"),  # ka with descender / ka with hook (Khanty, Chukchi)
    ("ң", "ӈ"),  # en with descender / en with hook
    ("ң", "ӊ"),  # en with tail (Khanty)
    ("ң", "ԩ"),  # en with left hook (Mordvin)
    ("ғ", "ӻ"),  # ghe with stroke / ghe with stroke and hook
)


# Suggestions ---------------------------------------------------------------------------------

GENDERS = ("m", "f", "n")


@dataclass(frozen=True)
class Adjective:
    """One form (kk, en), or the masculine, feminine and neuter forms (ru)."""

    forms: tuple[str, ...]

    def agreeing_with(self, noun: Noun) -> str:
        if noun.gender is None or len(self.forms) == 1:
            return self.forms[0]
        return self.forms[GENDERS.index(noun.gender)]


@dataclass(frozen=True)
class Noun:
    word: str
    gender: str | None = None  # "m", "f" or "n" where the adjective agrees (ru)


@dataclass(frozen=True)
class Lexicon:
    adjectives: tuple[Adjective, ...]
    nouns: tuple[Noun, ...]


def resolve_locale(locale: str) -> str:
    """ "ru", "ru_KZ", "RU-ru" → "ru"; anything unknown → "en"."""
    language = locale.replace("-", "_").split("_")[0].lower()
    return language if language in LOCALES else DEFAULT_LOCALE


def phrase(adjective: Adjective, noun: Noun) -> str:
    """The pseudonym an adjective and a noun make: in agreement, the first word capitalized."""
    first = adjective.agreeing_with(noun)
    return f"{first[:1].upper()}{first[1:]} {noun.word}"


@functools.cache
def lexicon(locale: str) -> Lexicon:
    """The adjectives and nouns of wordlists/pseudonym_{locale}.txt (falls back to English)."""
    locale = resolve_locale(locale)
    path = WORDLISTS / f"pseudonym_{locale}.txt"
    return _parse_lexicon(path.read_text(encoding="utf-8"), source=path.name)


def _parse_lexicon(text: str, *, source: str) -> Lexicon:
    """Read the format of the pseudonym word lists.

    Lines starting with "#" and blank lines are ignored. A "[adjectives]" line starts the
    adjectives: one per line, either a single form, or three forms (masculine, feminine, neuter)
    separated by spaces. A "[nouns]" line starts the nouns: the word, then, where adjectives
    agree, its gender "m", "f" or "n" after a space. Words are written in lower case.
    """
    adjectives: list[Adjective] = []
    nouns: list[Noun] = []
    section = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line in ("[adjectives]", "[nouns]"):
            section = line
            continue
        fields = line.split()
        if section == "[adjectives]" and len(fields) in (1, 3):
            adjectives.append(Adjective(tuple(fields)))
        elif section == "[nouns]" and len(fields) == 1:
            nouns.append(Noun(fields[0]))
        elif section == "[nouns]" and len(fields) == 2 and fields[1] in GENDERS:
            nouns.append(Noun(fields[0], fields[1]))
        else:
            raise ValueError(f"{source}:{number}: cannot read {raw!r}")
    if not adjectives or not nouns:
        raise ValueError(f"{source}: needs adjectives and nouns")
    return Lexicon(tuple(adjectives), tuple(nouns))


def _echoes(adjective: Adjective, noun: Noun) -> bool:
    """ "Snowy snowfall", "Лесной лес", "Қарлы қар": an adjective made from its own noun."""
    return adjective.agreeing_with(noun)[:3] == noun.word[:3]


def all_phrases(locale: str) -> Iterator[str]:
    """Every pseudonym `suggestions` can offer in a locale (for tests and reviews)."""
    words = lexicon(locale)
    for adjective in words.adjectives:
        for noun in words.nouns:
            if not _echoes(adjective, noun):
                yield phrase(adjective, noun)


def suggestions(locale: str, count: int = 3) -> list[str]:
    """`count` distinct random pseudonyms (adjective + noun) in the locale's language.

    Each passes `validate`, and no two share a skeleton. Whether one is already taken is the
    caller's question.
    """
    if not 1 <= count <= 50:
        raise ValueError("count must be between 1 and 50")
    words = lexicon(locale)
    chosen: dict[str, str] = {}
    while len(chosen) < count:
        adjective, noun = secrets.choice(words.adjectives), secrets.choice(words.nouns)
        if _echoes(adjective, noun):
            continue
        candidate = validate(phrase(adjective, noun))
        chosen.setdefault(skeleton(candidate), candidate)
    return list(chosen.values())


def has_forbidden_characters(text: str) -> bool:
    """Control, bidi-override or zero-width characters: refused in any typed field (ch. 30)."""
    return _has_hidden(text)
