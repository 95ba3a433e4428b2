"""Issue 11, item 1: a consultation's title, summary, content note and changelog, a decision's
question, explanation and options are written per language — the main one required, the others
optional — and a reader sees their own language, or the main one with a note saying so.

Seen from the reader's side: the page a member in each language gets, its `lang` attributes and
its note; and from the database's: a translation left empty leaves no row behind."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consultations.models import (
    ConsultationTranslation,
    Decision,
    DecisionTranslation,
    OptionTranslation,
    Role,
    VersionTranslation,
)
from portal import demo_consultation
from portal.extensions import db
from tests.consultation_fixtures import open_consultation
from tests.factories import make_member, sign_in
from tests.web.test_staff_consultations import details

pytestmark = pytest.mark.postgres

FALLBACK = {
    "kk": "Мәтіннің бір бөлігі әзірге сіздің тіліңізде жоқ.",
    "ru": "Части этого текста пока нет на вашем языке.",
    "en": "Part of this text is not available in your language yet.",
}


def page_in(client, locale: str, url: str) -> str:  # type: ignore[no-untyped-def]
    client.get(f"/lang/{locale}?next=/")
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        found = db.session.scalar(select(func.count()).select_from(model))
        db.session.remove()
    return found or 0


@pytest.fixture
def staff(app, clock):  # type: ignore[no-untyped-def]
    client = app.test_client()
    sign_in(client, make_member(app, "Translating Staff", role=Role.STAFF, two_factor=True), clock)
    return client


@pytest.fixture
def member(app, clock):  # type: ignore[no-untyped-def]
    client = app.test_client()
    sign_in(client, make_member(app, "Reading Member"), clock)
    return client


def test_each_field_is_read_in_the_readers_language_or_the_main_one(app, clock, staff, member):
    made = open_consultation(app, main_locale="ru", with_comment=False)
    url = f"/consultations/{made.public_id}"
    fields = details(clock, opens=timedelta(days=-1), closes=timedelta(days=14))
    fields |= {
        "title_ru": "Порядок мобильных групп",
        "content_note_ru": "Здесь говорится об эксплуатации детей.",
        "title_kk": "Жылжымалы топтардың тәртібі",
        "summary_kk": "Топ кеңесі үшін жоба.",
    }
    response = staff.post(f"/staff/consultations/{made.public_id}/edit", data=fields)
    assert response.status_code == 303

    kazakh = page_in(member, "kk", url)
    assert '<h1 lang="kk">Жылжымалы топтардың тәртібі</h1>' in kazakh
    assert '<p class="lead prose-text" lang="kk">Топ кеңесі үшін жоба.</p>' in kazakh
    # The content note was written in Russian only: a Kazakh reader still gets the warning.
    assert '<p class="prose-text" lang="ru">Здесь говорится об эксплуатации детей.</p>' in kazakh
    assert FALLBACK["kk"] in kazakh
    assert "Русский" in kazakh

    russian = page_in(member, "ru", url)
    assert '<h1 lang="ru">Порядок мобильных групп</h1>' in russian
    assert FALLBACK["ru"] not in russian  # the main language needs no note

    english = page_in(member, "en", url)
    assert '<h1 lang="ru">Порядок мобильных групп</h1>' in english
    assert FALLBACK["en"] in english

    listing = page_in(member, "kk", "/consultations")
    assert 'lang="kk">Жылжымалы топтардың тәртібі</a>' in listing

    # Emptied, a translation leaves no row behind.
    assert count(app, ConsultationTranslation) == 1
    fields |= {"title_kk": "", "summary_kk": ""}
    assert staff.post(f"/staff/consultations/{made.public_id}/edit", data=fields).status_code == 303
    assert count(app, ConsultationTranslation) == 0


def test_changing_the_main_language_moves_the_texts(app, clock, staff):
    made = open_consultation(app, main_locale="ru", with_comment=False)
    fields = details(clock, opens=timedelta(days=-1), closes=timedelta(days=14))
    fields |= {"title_ru": "Порядок", "title_kk": "Тәртіп", "main_locale": "kk"}
    assert staff.post(f"/staff/consultations/{made.public_id}/edit", data=fields).status_code == 303
    with app.app_context():
        (row,) = db.session.scalars(select(ConsultationTranslation))
        assert (row.locale, row.title) == ("ru", "Порядок")
        db.session.remove()
    page = html.unescape(staff.get(f"/staff/consultations/{made.public_id}/edit").get_data(True))
    # The main language's fields come first, filled with its text; the others are folded.
    assert page.index('value="Тәртіп"') < page.index("<details")
    assert re.search(r'<details class="other-languages" open>', page)
    assert page.index("<details") < page.index('value="Порядок"')


def test_the_main_title_is_required_and_what_was_typed_is_kept(app, clock, staff):
    fields = details(clock, opens=timedelta(days=1), closes=timedelta(days=10))
    fields |= {"main_locale": "kk", "title_kk": "", "title_ru": "Есть только по-русски"}
    staff.get("/lang/kk?next=/")
    response = staff.post("/staff/consultations/new", data=fields)
    assert response.status_code == 400
    body = html.unescape(response.get_data(as_text=True))
    assert "Атауын негізгі тілде жазыңыз (Қазақша)." in body
    assert 'value="Есть только по-русски"' in body


def test_a_changelog_per_language(app, clock, staff, member):
    made = open_consultation(app, main_locale="en", with_comment=False)
    draft = f"/staff/consultations/{made.public_id}/draft"
    response = staff.post(
        draft,
        data={
            "text_en": "## Purpose\nUpdated.\n\n## Referral {#referral}\nWithin 12 hours.",
            "changelog": "Referral within 12 hours.",
            "changelog_ru": "Направление в течение 12 часов.",
            "publish": "Publish",
        },
    )
    assert response.status_code == 303
    assert count(app, VersionTranslation) == 1
    russian = page_in(member, "ru", f"/consultations/{made.public_id}")
    changelog = "Направление в течение 12 часов."
    assert f'<p class="changelog prose-text" lang="ru">{changelog}</p>' in russian
    kazakh = page_in(member, "kk", f"/consultations/{made.public_id}")
    assert 'lang="en">Referral within 12 hours.</p>' in kazakh


DECISION = {
    "question": "Who should speak with the child first?",
    "explanation": "Think of **the child's** safety.",
    "kind": "single",
    "options": "Social worker\r\nPsychologist\r\nPolice inspector",
    "opens_on": "2020-01-01",
    "opens_time": "09:00",
    "closes_on": "2030-02-01",
    "closes_time": "18:00",
    "min_ballots": "5",
}


def test_a_decision_per_language(app, clock, staff, member):
    made = open_consultation(app, main_locale="en", with_comment=False)
    new = f"/staff/consultations/{made.public_id}/decisions/new"
    two_of_three = DECISION | {
        "question_kk": "Баламен бірінші кім сөйлесуі керек?",
        "options_kk": "Әлеуметтік қызметкер\r\nПсихолог",
    }
    response = staff.post(new, data=two_of_three)
    assert response.status_code == 400
    body = html.unescape(response.get_data(as_text=True))
    assert "in the same number and order as in the main language" in body
    assert "Баламен бірінші кім сөйлесуі керек?" in body  # kept
    assert count(app, Decision) == 0

    all_three = two_of_three | {
        "options_kk": "Әлеуметтік қызметкер\r\nПсихолог\r\nПолиция инспекторы",
        "explanation_kk": "Ең алдымен **баланың** қауіпсіздігін ойлаңыз.",
    }
    assert staff.post(new, data=all_three).status_code == 303
    assert (count(app, DecisionTranslation), count(app, OptionTranslation)) == (1, 3)

    with app.app_context():
        public_id = db.session.scalar(select(Decision.public_id))
        db.session.remove()
    url = f"/consultations/{made.public_id}/decisions/{public_id}"
    kazakh = page_in(member, "kk", url)
    assert 'lang="kk">Баламен бірінші кім сөйлесуі керек?</h' in kazakh
    assert '<div class="prose" lang="kk"><p>Ең алдымен <strong>баланың</strong>' in kazakh
    for label in ("Әлеуметтік қызметкер", "Психолог", "Полиция инспекторы"):
        assert f'<span lang="kk">{label}</span>' in kazakh
    assert FALLBACK["kk"] not in kazakh
    russian = page_in(member, "ru", url)
    assert '<span lang="en">Psychologist</span>' in russian
    assert FALLBACK["ru"] in russian

    # The edit form comes back with each language's text where it was written.
    edit = staff.get(f"/staff/consultations/{made.public_id}/decisions/{public_id}/edit")
    form = html.unescape(edit.get_data(as_text=True))
    assert "Әлеуметтік қызметкер\nПсихолог\nПолиция инспекторы</textarea>" in form


def test_the_demo_reads_whole_in_each_language(app_factory):
    """Acceptance 2: the demo's consultation, content note, changelog and decisions in kk, ru
    and en, with no fallback note anywhere on the page."""
    app = app_factory(KENES_ENV="development")
    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    with app.app_context():
        from consultations.models import Consultation

        public_id = db.session.scalar(
            select(Consultation.public_id).where(Consultation.title == demo_consultation.TITLE)
        )
        decision_ids = list(
            db.session.scalars(
                select(Decision.public_id)
                .join(Consultation, Consultation.id == Decision.consultation_id)
                .where(Consultation.public_id == public_id)
                .order_by(Decision.id)
            )
        )
        db.session.remove()
    client = app.test_client()
    sign_in(client, make_member(app, "Demo Reader"))
    for locale in ("kk", "ru", "en"):
        page = page_in(client, locale, f"/consultations/{public_id}")
        texts = demo_consultation.TEXTS[locale]
        assert f'<h1 lang="{locale}">{texts["title"]}</h1>' in page
        assert f'lang="{locale}">{texts["content_note"]}</p>' in page
        assert f'lang="{locale}">{texts["summary"]}</p>' in page
        assert f'lang="{locale}">{demo_consultation.CHANGELOGS[1][locale]}</p>' in page
        assert FALLBACK[locale] not in page
        for decision_id, (decision_texts, *_rest) in zip(
            decision_ids, demo_consultation.DECISIONS, strict=True
        ):
            question, options = decision_texts[locale]
            assert f'lang="{locale}">{question}</h3>' in page
            # Its own page: the ballot paper, or the closed one's results.
            alone = page_in(client, locale, f"/consultations/{public_id}/decisions/{decision_id}")
            assert f'lang="{locale}">{question}</h' in alone
            explanation = demo_consultation.EXPLANATION[locale][:12]
            assert f'<div class="prose" lang="{locale}"><p>{explanation}' in alone
            for label in options:
                assert f'<span lang="{locale}">{label}</span>' in alone
            assert FALLBACK[locale] not in alone
