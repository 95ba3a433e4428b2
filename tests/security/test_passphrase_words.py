"""Passphrase suggestions: large, clean word lists and `secrets`-drawn five-word phrases."""

import math
import re

import pytest

from portal.security import passphrase_words
from portal.security.passphrase_words import (
    ENTROPY_BITS,
    WORDLISTS,
    WORDS,
    resolve_locale,
    suggest_passphrase,
)

LOCALES = ("kk", "ru", "en")
ALPHABETS = {
    "kk": re.compile(r"[а-яёәғқңөұүһі]{3,9}"),
    "ru": re.compile(r"[а-яё]{3,9}"),
    "en": re.compile(r"[a-z]{3,9}"),
}
KAZAKH_LETTERS = re.compile(r"[әғқңөұүһі]")

# Themes a survivor of trafficking should not be handed in a passphrase, whatever is added later.
NEVER = {
    "en": {
        "child",
        "girl",
        "boy",
        "baby",
        "money",
        "sell",
        "buy",
        "police",
        "border",
        "job",
        "night",
        "passport",
        "ticket",
        "lock",
        "chain",
        "knife",
        "vodka",
        "bed",
        "kiss",
    },
    "ru": {
        "ребенок",
        "девочка",
        "мальчик",
        "деньги",
        "продать",
        "купить",
        "граница",
        "полиция",
        "работа",
        "ночь",
        "паспорт",
        "билет",
        "замок",
        "цепь",
        "нож",
        "водка",
        "кровать",
    },
    "kk": {
        "бала",
        "қыз",
        "ақша",
        "сату",
        "сатып",
        "шекара",
        "полиция",
        "жұмыс",
        "түн",
        "төлқұжат",
        "билет",
        "құлып",
        "шынжыр",
        "пышақ",
        "арақ",
        "төсек",
    },
}


@pytest.mark.parametrize("locale", LOCALES)
def test_each_file_is_one_word_a_line_utf8_without_blanks_or_duplicates(locale):
    text = (WORDLISTS / f"passphrase_{locale}.txt").read_text(encoding="utf-8")
    lines = text.removesuffix("\n").split("\n")
    assert all(line and line == line.strip() and " " not in line for line in lines)
    assert len(set(lines)) == len(lines)
    assert tuple(lines) == WORDS[locale]


@pytest.mark.parametrize("locale", LOCALES)
def test_each_list_has_600_words_of_3_to_9_letters_of_its_alphabet(locale):
    words = WORDS[locale]
    assert len(set(words)) >= 600
    for word in words:
        assert ALPHABETS[locale].fullmatch(word), word
    assert min(map(len, words)) >= 3


def test_the_kazakh_list_is_kazakh_and_the_russian_list_russian():
    kazakh = sum(bool(KAZAKH_LETTERS.search(word)) for word in WORDS["kk"])
    assert kazakh / len(WORDS["kk"]) > 0.4
    assert not any(KAZAKH_LETTERS.search(word) for word in WORDS["ru"])
    assert not any(re.search("[ёъ]", word) for word in WORDS["ru"])  # easy to type everywhere


@pytest.mark.parametrize("locale", LOCALES)
def test_no_word_of_the_never_list(locale):
    assert not set(WORDS[locale]) & NEVER[locale]


@pytest.mark.parametrize("locale", LOCALES)
def test_entropy_is_at_least_45_bits_and_documented(locale):
    count = len(WORDS[locale])
    assert ENTROPY_BITS[locale] == pytest.approx(5 * math.log2(count))
    assert ENTROPY_BITS[locale] >= 45
    documented = f"{locale}: {count} words, log2({count}) × 5 ≈ {ENTROPY_BITS[locale]:.1f} bits"
    assert documented in passphrase_words.__doc__


@pytest.mark.parametrize("locale", LOCALES)
def test_a_passphrase_is_five_words_of_the_list_in_lower_case(locale):
    passphrase = suggest_passphrase(locale)
    words = passphrase.split(" ")
    assert len(words) == 5
    assert all(word in WORDS[locale] for word in words)
    assert passphrase == passphrase.lower()
    assert "  " not in passphrase
    assert passphrase == passphrase.strip()


def test_the_number_of_words_can_be_chosen():
    assert len(suggest_passphrase("ru", words=7).split(" ")) == 7
    with pytest.raises(ValueError, match="at least one"):
        suggest_passphrase("ru", words=0)


@pytest.mark.parametrize("locale", LOCALES)
def test_passphrases_differ_from_call_to_call(locale):
    drawn = {suggest_passphrase(locale) for _ in range(50)}
    assert len(drawn) == 50


@pytest.mark.parametrize("locale", LOCALES)
def test_a_passphrase_is_never_shorter_than_12_characters(locale):
    # 5 words of at least 3 letters and 4 spaces: 19 characters at the very least.
    assert 5 * min(map(len, WORDS[locale])) + 4 >= 19
    assert min(len(suggest_passphrase(locale)) for _ in range(200)) >= 12


def test_the_words_are_drawn_with_secrets(monkeypatch):
    drawn = []

    def last(sequence):
        drawn.append(sequence)
        return sequence[-1]

    monkeypatch.setattr(passphrase_words.secrets, "choice", last)
    assert suggest_passphrase("en") == " ".join([WORDS["en"][-1]] * 5)
    assert len(drawn) == 5


@pytest.mark.parametrize(
    ("locale", "resolved"),
    [("kk_KZ", "kk"), ("RU", "ru"), ("ru-KZ", "ru"), ("de", "en"), ("", "en")],
)
def test_locales_resolve_to_a_language_with_english_as_fallback(locale, resolved):
    assert resolve_locale(locale) == resolved
    assert all(word in WORDS[resolved] for word in suggest_passphrase(locale).split(" "))
