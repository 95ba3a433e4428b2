"""Every letter of the Kazakh and Russian alphabets against every look-alike of it in the
confusables data (issue 9, item 9).

The audit registered «Тыныш Ѳзен» (Cyrillic fita) beside «Тыныш Өзен»: the data gives Ө and Ѳ
the same two-character prototype, which the skeleton used to skip; Қ/Ӄ, Ң/Ӈ and Ғ/Ӻ passed too.
Here each letter L is put in a Kazakh name, and every character or sequence H that the data
says looks like L — listed under L, listing L, or sharing L's prototype — takes its place. The
name with H must be refused outright, or refused as a look-alike: the same skeleton.
"""

from __future__ import annotations

import pytest
from confusable_homoglyphs import confusables

from consultations import pseudonyms
from consultations.pseudonyms import PseudonymError, skeleton, validate

KAZAKH = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
RUSSIAN = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
LETTERS = sorted(set(KAZAKH + KAZAKH.lower() + RUSSIAN + RUSSIAN.lower()))


def _lookalikes(letter: str) -> set[str]:
    data = confusables.confusables_data
    found = {entry["c"] for entry in data.get(letter, [])}
    prototypes = {entry["c"] for entry in data.get(letter, []) if len(entry["c"]) > 1}
    for char, entries in data.items():
        for entry in entries:
            if entry["c"] == letter or entry["c"] in prototypes:
                found.add(char)
    for first, second in pseudonyms._KAZAKH_LOOKALIKES:
        for a, b in ((first, second), (first.upper(), second.upper())):
            if letter == a:
                found.add(b)
            if letter == b:
                found.add(a)
    found.discard(letter)
    return found


CASES = [(letter, other) for letter in LETTERS for other in sorted(_lookalikes(letter))]


def test_the_walk_covers_every_letter_and_the_audits_pairs():
    walked = {letter for letter, _ in CASES}
    assert set("ӨөҚқҢңҒғ") <= walked
    assert {("Ө", "Ѳ"), ("Қ", "Ӄ"), ("Ң", "Ӈ"), ("Ғ", "Ӻ")} <= set(CASES)
    assert len(CASES) >= 120  # what confusable-homoglyphs 3.3 lists for these 84 letters


@pytest.mark.parametrize(("letter", "other"), CASES)
def test_a_lookalike_letter_never_makes_a_new_name(letter, other):
    original = validate(f"Тыныш {letter}зен")
    disguised = f"Тыныш {other}зен"
    try:
        accepted = validate(disguised)
    except PseudonymError:
        return  # refused outright (another script, a combining mark, a symbol)
    assert skeleton(accepted) == skeleton(original), (letter, other, hex(ord(other[0])))


@pytest.mark.parametrize(
    ("first", "second"),
    [("Тыныш Өзен", "Тыныш Ѳзен"), ("Сөз Өрнегі", "Сѳз Ѳрнегі"), ("Қар", "Ӄар"), ("Таң", "Таӈ")],
)
def test_the_audits_names_collide(first, second):
    assert skeleton(validate(first)) == skeleton(validate(second))
