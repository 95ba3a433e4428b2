"""How the index reads each language (issue 14, docs/search.md).

- Russian: lower case, Whoosh's Russian stop words, its Snowball Russian stemmer
  («рекомендации», «рекомендация» → «рекомендац»; «детям», «детей» → «дет»; ё read as е).
- English: Whoosh's stemming analyzer (Porter: «referrals», «referral» → «referr»).
- Kazakh: lower case, *folding* — the nine Kazakh letters read as the Russian letters people
  type for them on a Russian keyboard (ә→а, ғ→г, қ→к, ң→н, ө→о, ұ→у, ү→у, һ→х, і→и), so
  «балаларға» and «балаларга» are one word — then a light suffix stripper, below.

The Kazakh stripper knows the noun's endings, which follow the stem in a fixed order —
plural, possessive, case (бала·лар·ы·на, "to his children") — and takes them off from the end
inward, one of each kind at most, never leaving fewer than three letters, and only where the
sounds allow the ending (-та, -ка after a voiceless consonant, -сы after a vowel, -ы after a
consonant):
  1. a case ending (with the possessive it follows, where the two fuse: -сына, -ында …);
  2. a possessive ending (-ымыз, -ыңыз, -сы, -ы …; not -ым, -ің, which end too many stems:
     ұсыным, шешім);
  3. a plural ending (-лар/-лер, -дар/-дер, -тар/-тер) — and then a possessive-like final
     -сы/-ы once more, so a stem that itself ends in one (отбасы, кеңесші) is cut the same way
     in the singular and the plural;
  4. the stem's last consonant back to its dictionary form where a vowel ending voiced it
     (кітабы → кітап, құқығы → құқық: б→п, г/ғ→к/қ).
It is a search aid, not a grammar: the documented table in docs/search.md is what it promises,
and each form there is a test case. Verb forms and derivational suffixes (-шы, -лық) are left
alone.

Analyzers are pickled into the index's table of contents by Whoosh, so everything here is a
module-level class: an index opened by another process finds the same code.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import (
    Filter,
    LanguageAnalyzer,
    LowercaseFilter,
    RegexTokenizer,
    StemmingAnalyzer,
    StopFilter,
)
from whoosh.analysis.acore import Token
from whoosh.analysis.analyzers import Analyzer

FOLD = str.maketrans("әғқңөұүһіё", "агкноуухие")

# The case endings by case, in folded spelling (the stripper works after folding); "fused":
# after the 3rd person possessive, where the two are one ending.
CASE_ENDINGS = {
    "genitive": "нын нин дын дин тын тин",
    "dative": "га ге ка ке",
    "dative, fused": "сына сине ына ине",
    "accusative": "ны ни ды ди ты ти",
    "accusative, fused": "сын син ын ин",
    "locative": "да де та те нда нде",
    "locative, attributive": "дагы деги тагы теги",
    "locative, fused": "сында синде ында инде",
    "ablative": "дан ден тан тен нан нен",
    "ablative, fused": "сынан синен ынан инен",
    "instrumental": "мен бен пен менен бенен пенен",
}
CASE = tuple(
    sorted((e for group in CASE_ENDINGS.values() for e in group.split()), key=len, reverse=True)
)
POSSESSIVE = ("ымыз", "имиз", "ыныз", "иниз", "мыз", "миз", "ныз", "низ", "сы", "си", "ы", "и")
PLURAL = ("лар", "лер", "дар", "дер", "тар", "тер")
FINAL_VOWEL_POSSESSIVE = ("сы", "си", "ы", "и")
DEVOICED = {"б": "п", "г": "к"}
SHORTEST_STEM = 3

# Words too common to help a search: conjunctions, postpositions, pronouns (folded below).
KAZAKH_STOP_WORDS = (
    "және", "мен", "да", "де", "та", "те", "бұл", "осы", "ол", "сол", "үшін", "немесе",
    "бойынша", "туралы", "арасында", "біз", "сіз", "олар", "бар", "жоқ", "әр", "кез",
    "деген", "болып", "болады",
)  # fmt: skip


def fold(word: str) -> str:
    return word.lower().translate(FOLD)


VOWELS = frozenset("аеиоуыэюя")


def _fits(stem: str, ending: str) -> bool:
    """Whether `ending` may follow `stem` by the sound rules: -та, -ка, -пен … follow a
    voiceless consonant, -сы, -сына … a vowel, -ы, -ына … a consonant; so «практика»,
    «квота» and «ана» keep their last letters."""
    if len(stem) < SHORTEST_STEM:
        return False
    if ending in ("ын", "ин"):  # -ы·н after a plural only: тұрғын and ақын keep their -ын
        return stem.endswith(PLURAL)
    before = stem[-1]
    if ending[0] in "ткп" or ending[0] in "ыи":
        return before not in VOWELS
    if ending[0] == "с":
        return before in VOWELS
    return True


def _strip(word: str, endings: tuple[str, ...]) -> tuple[str, bool]:
    for ending in endings:
        if word.endswith(ending) and _fits(word[: -len(ending)], ending):
            return word[: -len(ending)], True
    return word, False


def _stem(word: str, case: tuple[str, ...], possessive: tuple[str, ...]) -> str:
    stem, _ = _strip(word, case)
    stem, _ = _strip(stem, possessive)
    stem, plural = _strip(stem, PLURAL)
    if plural:
        stem, _ = _strip(stem, tuple(e for e in FINAL_VOWEL_POSSESSIVE if e in possessive))
    if stem[-1:] in DEVOICED:
        stem = stem[:-1] + DEVOICED[stem[-1]]
    return stem


# Without the endings that begin with the "с" a vowel-final stem takes (бала·сы): the reading
# in which that "с" belongs to the stem (жұмыс·ы).
_CASE_KEEPING_S = tuple(e for e in CASE if not e.startswith("с"))
_POSSESSIVE_KEEPING_S = tuple(e for e in POSSESSIVE if not e.startswith("с"))


@lru_cache(maxsize=65_536)
def kazakh_stems(word: str) -> tuple[str, ...]:
    """The search stems of a Kazakh word (folded): one, or two where an ending reads two ways
    — «жұмысы» is жұмыс·ы ("its work") but «баласы» is бала·сы ("his child"): both stems are
    kept, so either finds it. Memoised: a text's words repeat, and highlighting reads each
    shown text again."""
    folded = fold(word)
    first = _stem(folded, CASE, POSSESSIVE)
    other = _stem(folded, _CASE_KEEPING_S, _POSSESSIVE_KEEPING_S)
    return (first,) if other == first else (first, other)


def kazakh_stem(word: str) -> str:
    """The first search stem of a Kazakh word."""
    return kazakh_stems(word)[0]


class _Stateless(Filter):
    """A filter with no settings: any two are equal (Whoosh compares analyzers)."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __hash__(self) -> int:
        return hash(type(self))


class KazakhStemFilter(_Stateless):
    """Stems each folded token; a word that reads two ways gives both stems, at its one
    position."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if token.stopped:
                yield token
                continue
            for stem in kazakh_stems(token.text):
                token.text = stem
                yield token


class KazakhFoldFilter(_Stateless):
    """Folds each token, so stop words are matched in either spelling."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = token.text.translate(FOLD)
            yield token


def kazakh() -> Analyzer:
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | KazakhFoldFilter()
        | StopFilter(stoplist=frozenset(fold(w) for w in KAZAKH_STOP_WORDS), minsize=1)
        | KazakhStemFilter()
    )


def russian() -> Analyzer:
    return LanguageAnalyzer("ru")


def english() -> Analyzer:
    return StemmingAnalyzer()


def number() -> Analyzer:
    """AR-2026-007 as "ar", "2026", "007": a number found by its parts too."""
    return RegexTokenizer() | LowercaseFilter()


ANALYZERS = {"kk": kazakh, "ru": russian, "en": english}
