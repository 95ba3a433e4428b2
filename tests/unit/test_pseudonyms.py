"""Pseudonyms: what is accepted, how it is normalized, when two are too alike, and suggestions.

Checklist 21 (normalized, confusable look-alikes refused) and 30 (control, bidi and zero-width
characters refused).
"""

import re
import time

import pytest

from consultations import pseudonyms
from consultations.pseudonyms import (
    ERROR_CODES,
    MAX_LENGTH,
    MIN_LENGTH,
    Adjective,
    Noun,
    PseudonymError,
    all_phrases,
    lexicon,
    normalize,
    phrase,
    skeleton,
    suggestions,
    validate,
)

LOCALES = ("kk", "ru", "en")
ALPHABETS = {
    "kk": re.compile(r"[а-яёәғқңөұүһі]+"),
    "ru": re.compile(r"[а-яё]+"),
    "en": re.compile(r"[a-z]+"),
}
KAZAKH_LETTERS = re.compile(r"[әғқңөұүһі]")


def refusal(typed: str) -> str:
    with pytest.raises(PseudonymError) as excinfo:
        validate(typed)
    return excinfo.value.code


# What is accepted ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "Тыныш өзен",  # Kazakh, with ө
        "Тихая река",
        "Quiet River",
        "Aigul_2",
        "Ай-2",
        "Айгүл",
        "Гүлнұр 1990",
        "Ёлка",
        "Oʻzbek",  # a modifier letter of no script (Uzbek ʻ) beside Latin
        "日本語ひらがな",  # Han with Hiragana is one writing system (Japanese)
        "한국어漢字",  # Hangul with Han (Korean)
        "abc",  # exactly MIN_LENGTH
        "a" * MAX_LENGTH,
    ],
)
def test_valid_pseudonyms_come_back_as_typed(typed):
    assert validate(typed) == typed


def test_the_limits_are_the_documented_ones():
    assert (MIN_LENGTH, MAX_LENGTH) == (3, 32)


# What is refused, with which code ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("\t\n", "empty"),
        ("ab", "too_short"),
        ("Ай", "too_short"),
        ("  ab  ", "too_short"),  # counted after normalization
        ("a" * (MAX_LENGTH + 1), "too_long"),
        ("Тихая река " + "ж" * 22, "too_long"),
        ("name<script>", "characters"),
        ("Aigul!", "characters"),
        ("Aigul.", "characters"),
        ("{{7*7}}x", "characters"),
        ("Aigul 🌸", "characters"),
        ("Ай\u0301гүл", "characters"),  # a combining accent that NFKC cannot compose
        ("\u2800\u2800\u2800", "characters"),  # braille blank: a symbol, and invisible
        ("Aigul\u202e", "control"),  # right-to-left override
        ("Ai\u202dgul", "control"),  # left-to-right override
        ("Aigul\u2066", "control"),  # left-to-right isolate
        ("Aigul\u2069", "control"),  # pop directional isolate
        ("Ai\u200fgul", "control"),  # right-to-left mark
        ("\u200b\u200b\u200b", "control"),  # zero-width spaces only
        ("Ai\u200dgul", "control"),  # zero-width joiner
        ("Ai\u2060gul", "control"),  # word joiner
        ("Ai\ufeffgul", "control"),  # zero-width no-break space (BOM)
        ("Ai\u00adgul", "control"),  # soft hyphen
        ("Aigul\ufe0f", "control"),  # variation selector
        ("Ai\u034fgul", "control"),  # combining grapheme joiner
        ("\u3164\u3164\u3164", "control"),  # Hangul fillers: letters that show nothing
        ("Aigul\U000e0041", "control"),  # tag character
        ("Aigul\x00", "control"),
        ("Aigul\x1b[31m", "control"),
        ("Ai\x7fgul", "control"),
        ("Ai\x85gul", "control"),
        ("AАigul", "mixed_script"),  # Latin A, Cyrillic А
        ("Аigul", "mixed_script"),  # Cyrillic А, then Latin
        ("Айgul", "mixed_script"),
        ("Ωmega", "mixed_script"),
        ("Aigul০", "mixed_script"),  # a Bengali digit is of the Bengali script
        ("123", "no_letter"),
        ("---", "no_letter"),
        ("1_2 3", "no_letter"),
        ("ʻʻʻ", "no_letter"),  # modifier letters of no script are not enough
    ],
)
def test_refused_pseudonyms_say_why(typed, code):
    assert refusal(typed) == code


def test_every_error_code_is_covered_and_worded():
    assert set(ERROR_CODES) == {
        "empty",
        "too_short",
        "too_long",
        "characters",
        "control",
        "mixed_script",
        "no_letter",
    }
    for code in ERROR_CODES:
        error = PseudonymError(code)
        assert isinstance(error, ValueError)
        assert error.code == code
        assert str(error)


def test_an_unknown_error_code_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown"):
        PseudonymError("nope")


@pytest.mark.parametrize(
    "typed",
    [
        "Ai\u2028gul",  # line separator: str.split() would make it a space
        "Ai\x1cgul",  # file separator: the same
        "Aigul\u2029",  # paragraph separator: stripping would remove it
    ],
)
def test_hidden_characters_are_refused_before_normalization_could_hide_them(typed):
    assert normalize(typed) in ("Ai gul", "Aigul")  # what normalization alone would make
    assert refusal(typed) == "control"


# Normalization --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "normalized"),
    [
        ("Ａｉｇｕｌ", "Aigul"),  # full-width letters
        ("Ａｉｇｕｌ　２", "Aigul 2"),  # and an ideographic space, a full-width digit
        ("  Тихая    река  ", "Тихая река"),
        ("Quiet\t\tRiver", "Quiet River"),
        ("Quiet\u00a0River", "Quiet River"),  # no-break space
        ("ﬁeld", "field"),  # ligature
        ("AIGUL", "AIGUL"),  # case is kept: shown as typed
        ("Й", "Й"),  # и + combining breve, composed
    ],
)
def test_normalize(typed, normalized):
    assert normalize(typed) == normalized


def test_validate_returns_the_normalized_form():
    assert validate("  Ａｉｇｕｌ   ２ ") == "Aigul 2"
    assert validate("Тихая\tрека") == "Тихая река"


def test_length_is_counted_after_normalization():
    assert validate("Ａ" * MAX_LENGTH) == "A" * MAX_LENGTH
    assert validate("  " + "a" * MAX_LENGTH + "  ") == "a" * MAX_LENGTH


# The look-alike key -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Aigul", "Аigul"),  # Cyrillic А
        ("Paul", "Раul"),  # Cyrillic Р and а
        ("AIGUL", "aigul"),
        ("Aigul", "aIGUL"),
        ("Aigul-1", "Aigul 1"),
        ("Aigul_1", "Aigul1"),
        ("Ai gul", "Aigul"),  # separators are dropped, not just unified
        ("0", "O"),  # a digit and a letter that look alike
        ("Ｏｌｅｇ", "Oleg"),  # full-width
        ("Ali", "AIi"),  # capital I looks like small l, so i, l and 1 are one group
        ("Al1", "All"),
        ("Сосо", "Coco"),  # whole-script look-alikes: all Cyrillic against all Latin
        ("ТОК", "TOK"),  # capitals count across Latin and Cyrillic
        ("ΤΟΚ", "TOK"),  # Greek small τ, ο and κ look like т/t, o and к/k
        ("Іле", "іле"),  # Kazakh і, both cases
        ("Гүлнар", "Гулнар"),  # the data says Kazakh ү and Cyrillic у both look like y
    ],
)
def test_look_alikes_share_a_skeleton(first, second):
    assert skeleton(first) == skeleton(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Айгүл", "Aigul"),  # й, г, ү, л are not i, g, u, l
        ("Дана", "Дина"),
        ("Тихая река", "Тихое озеро"),
        ("Aigul", "Aigol"),
        ("Қар", "Кар"),  # қ is not к
        ("Өзен", "Озен"),  # ө is not о
        ("Әсем", "Асем"),
        ("Ұлан", "Улан"),
        ("Ғалым", "Галым"),
        ("Таң", "Тан"),
        # Known limits, documented in pseudonyms._representatives:
        ("ΒΕΝ", "BEN"),  # capitals of scripts other than Latin and Cyrillic are not compared
        ("rn", "m"),  # look-alike sequences are not compared
    ],
)
def test_different_pseudonyms_keep_different_skeletons(first, second):
    assert skeleton(first) != skeleton(second)


def test_a_skeleton_ignores_hidden_characters_even_if_not_validated():
    assert skeleton("Ai\u200bgul") == skeleton("Aigul")


def test_every_group_has_one_representative_its_smallest_code_point():
    representatives = pseudonyms._representatives()
    for char, representative in representatives.items():
        assert representative < char
        assert representative not in representatives  # a representative maps to itself


def test_the_skeleton_is_fast_once_built():
    pseudonym = "Тыныш өзен Aigul_2 Тихая река 12"
    assert len(pseudonym) == MAX_LENGTH
    skeleton(pseudonym)
    start = time.perf_counter()
    for _ in range(1000):
        skeleton(pseudonym)
    assert (time.perf_counter() - start) / 1000 < 0.001


# Suggestions ----------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", LOCALES)
def test_suggestions_are_valid_distinct_two_word_pseudonyms(locale):
    offered = suggestions(locale, count=5)
    assert len(offered) == 5
    assert len({skeleton(name) for name in offered}) == 5
    for name in offered:
        assert validate(name) == name
        first, second = name.split(" ")
        assert first[0].isupper()
        assert first[1:].islower()
        assert second.islower()
        assert ALPHABETS[locale].fullmatch(name.lower().replace(" ", ""))


def test_suggestions_default_to_three():
    assert len(suggestions("ru")) == 3


def test_suggestions_differ_from_call_to_call():
    assert suggestions("en", count=10) != suggestions("en", count=10)


def test_suggestions_use_secrets(monkeypatch):
    draws = []

    def first(sequence):
        draws.append(sequence)
        return sequence[len(draws) % 2]

    monkeypatch.setattr(pseudonyms.secrets, "choice", first)
    assert suggestions("en", count=1) == [
        phrase(lexicon("en").adjectives[1], lexicon("en").nouns[0])
    ]
    assert draws


@pytest.mark.parametrize("count", [0, -1, 51])
def test_suggestions_refuse_a_silly_count(count):
    with pytest.raises(ValueError, match="count"):
        suggestions("en", count=count)


@pytest.mark.parametrize(("locale", "resolved"), [("de", "en"), ("ru_KZ", "ru"), ("KK-kz", "kk")])
def test_unknown_locales_fall_back_to_english(locale, resolved):
    assert pseudonyms.resolve_locale(locale) == resolved
    assert lexicon(locale) == lexicon(resolved)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_word_lists_are_large_clean_and_in_their_alphabet(locale):
    words = lexicon(locale)
    adjectives = [form for adjective in words.adjectives for form in adjective.forms]
    nouns = [noun.word for noun in words.nouns]
    assert len(words.adjectives) >= 60
    assert len(words.nouns) >= 60
    assert len(set(words.adjectives)) == len(words.adjectives)
    assert len(set(nouns)) == len(nouns)
    for word in adjectives + nouns:
        assert ALPHABETS[locale].fullmatch(word), word
    if locale == "kk":
        share = sum(bool(KAZAKH_LETTERS.search(word)) for word in adjectives + nouns)
        assert share / len(adjectives + nouns) > 0.4  # written in Kazakh, not Russian
    if locale == "ru":
        assert not any("ё" in word for word in adjectives + nouns)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_possible_suggestion_is_valid_and_fits(locale):
    offered = list(all_phrases(locale))
    assert len(offered) > 3000
    for name in offered:
        assert validate(name) == name
        assert len(name) <= MAX_LENGTH


# Words a survivor should never be offered, whatever is added to the lists later.
NEVER = {
    "en": {"child", "girl", "boy", "baby", "money", "sell", "buy", "police", "border", "night"},
    "ru": {"ребенок", "девочка", "мальчик", "деньги", "граница", "полиция", "ночной", "голубой"},
    "kk": {"бала", "қыз", "ұл", "ақша", "шекара", "полиция", "түн", "түнгі"},
}


@pytest.mark.parametrize("locale", LOCALES)
def test_no_word_of_the_never_list(locale):
    words = lexicon(locale)
    every = {form for adjective in words.adjectives for form in adjective.forms}
    every |= {noun.word for noun in words.nouns}
    assert not every & NEVER[locale]


def test_russian_adjectives_agree_with_their_nouns_in_every_combination():
    words = lexicon("ru")
    endings = {"m": ("ый", "ий", "ой"), "f": ("ая", "яя"), "n": ("ое", "ее")}
    assert {noun.gender for noun in words.nouns} == {"m", "f", "n"}
    for adjective in words.adjectives:
        assert len(adjective.forms) == 3, adjective
    for name in all_phrases("ru"):
        first, second = name.split(" ")
        noun = next(noun for noun in words.nouns if noun.word == second)
        assert first.endswith(endings[noun.gender]), name


def test_russian_agreement_examples():
    quiet = Adjective(("тихий", "тихая", "тихое"))
    assert phrase(quiet, Noun("река", "f")) == "Тихая река"
    assert phrase(quiet, Noun("ветер", "m")) == "Тихий ветер"
    assert phrase(quiet, Noun("озеро", "n")) == "Тихое озеро"
    assert "Тихая река" in set(all_phrases("ru"))


def test_kazakh_and_english_need_no_agreement():
    for locale in ("kk", "en"):
        words = lexicon(locale)
        assert all(len(adjective.forms) == 1 for adjective in words.adjectives)
        assert all(noun.gender is None for noun in words.nouns)
    assert phrase(Adjective(("тыныш",)), Noun("өзен")) == "Тыныш өзен"
    assert "Тыныш өзен" in set(all_phrases("kk"))


@pytest.mark.parametrize("echo", ["Лесной лес", "Снежный снег", "Қарлы қар", "Cloudy cloud"])
def test_an_adjective_is_not_paired_with_its_own_noun(echo):
    locale = "en" if echo.isascii() else ("kk" if KAZAKH_LETTERS.search(echo) else "ru")
    assert echo not in set(all_phrases(locale))


@pytest.mark.parametrize(
    "text",
    [
        "[adjectives]\nтихий тихая\n[nouns]\nрека f\n",  # two forms
        "[adjectives]\nтихий\n[nouns]\nрека x\n",  # unknown gender
        "тихий\n",  # no section
        "[adjectives]\nтихий\n",  # no nouns
    ],
)
def test_a_malformed_word_list_is_refused(text):
    with pytest.raises(ValueError, match="test.txt"):
        pseudonyms._parse_lexicon(text, source="test.txt")
