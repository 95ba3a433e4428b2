"""Acceptance 1 of issue 14: a search in one form of a word finds the others, in each
language; a query may mix languages; a record that says `<script>` highlights it as text.

The Kazakh forms are read from the table in docs/search.md, so the table and the stripper
cannot drift apart: each form there is a case here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from consultations.search.analysis import kazakh_stems
from tests.search.helpers import find, numbers, publish_recommendation, publish_record

DOC = Path(__file__).resolve().parents[2] / "docs" / "search.md"


def _kazakh_table() -> list[tuple[str, list[str]]]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("### Kazakh word forms", 1)[1].split("\n\n**", 1)[0]
    rows = re.findall(r"^\| (\S+) \| ([^|]+) \|$", section, flags=re.MULTILINE)
    table = [(stem, [f.strip() for f in forms.split(",")]) for stem, forms in rows]
    return [(stem, forms) for stem, forms in table if stem not in ("Stem", "---")]


TABLE = _kazakh_table()


def test_the_documented_table_is_there():
    assert len(TABLE) >= 15
    assert sum(len(forms) for _, forms in TABLE) >= 80


@pytest.mark.parametrize(
    ("stem", "form"), [(stem, form) for stem, forms in TABLE for form in forms]
)
def test_each_documented_kazakh_form_gives_its_stem(stem, form):
    assert stem in kazakh_stems(form)


@pytest.mark.postgres
def test_russian_inflected_forms_find_each_other(app):
    number = publish_record(
        app,
        "ru",
        "Рекомендация о направлении",
        "Рекомендация для детей, пострадавших от торговли людьми.",
        "Направлять ребёнка в центр поддержки в течение суток.",
    )
    publish_record(app, "ru", "Другое", "Про школьные учебники и расписание.")
    for query in ("рекомендации детям", "рекомендациями", "детям", "ребенка", "направление"):
        assert numbers(find(app, query))[:1] == [number], query


@pytest.mark.postgres
def test_english_stems(app):
    number = publish_record(
        app, "en", "Protecting children", "Referrals of protected children within hours."
    )
    publish_record(app, "en", "Unrelated", "School timetables.")
    for query in ("referral", "protection", "child protected", "hour"):
        assert numbers(find(app, query))[:1] == [number], query


@pytest.mark.postgres
def test_kazakh_forms_and_folding(app):
    number = publish_record(
        app,
        "kk",
        "Балалардың құқықтары",
        "Балаларға арналған көмек мектепте көрсетіледі.",
        "Отбасына хабарлау тәртібі.",
    )
    publish_record(app, "kk", "Басқа", "Жол ережелері туралы.")
    for query in ("балалар", "балаларды", "балаларга", "құқығы", "кукык", "мектепке", "отбасы"):
        assert numbers(find(app, query))[:1] == [number], query


@pytest.mark.postgres
def test_a_query_mixing_languages_finds_each_languages_text(app):
    english = publish_record(app, "en", "Shelter for children", "A safe shelter.")
    russian = publish_record(app, "ru", "Приют", "Рекомендация о приюте.")
    kazakh = publish_record(app, "kk", "Баспана", "Балаларға баспана.")
    found = set(numbers(find(app, "children рекомендации балалар")))
    assert {english, russian, kazakh} <= found


@pytest.mark.postgres
def test_a_recommendation_is_found_by_its_addressee_in_any_language(app):
    number = publish_recommendation(app, "en", "Train the mobile groups", "Training for staff.")
    for query in ("Akimat of Turkestan", "акимата туркестанской", "әкімдігі"):
        assert numbers(find(app, query)) == [number], query


@pytest.mark.postgres
def test_markup_in_a_record_is_highlighted_as_text(app, client):
    publish_record(
        app,
        "en",
        "Escaping <b>titles</b>",
        "The form said <script>alert(1)</script> and <img src=x onerror=alert(2)>.",
    )
    page = client.get("/search?q=script+img+titles").get_data(as_text=True)
    main = page[page.index("<main") :]
    for markup in ("<script>", "<img", "<b>"):
        assert markup not in main
    assert "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;" in main
    assert "&lt;<mark>img</mark> src=x onerror=alert(2)&gt;" in main
    assert "Escaping &lt;b&gt;<mark>titles</mark>&lt;/b&gt;" in main
