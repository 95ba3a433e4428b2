"""The demo's living portal (issue 12): a closed consultation with its decision counted, an
upcoming one, the advisory record made from the closed one — corrected once, with a quote
redacted, and translated into Kazakh and English — and six recommendations to four bodies,
across every status. Fictional, and each says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from consultations.models import (
    Ballot,
    Consultation,
    Decision,
    DecisionKind,
    Member,
    Priority,
    RecommendationStatus,
    Region,
    Stance,
)
from consultations.services import comments, consultations, decisions, recommendations, records
from consultations.services.records import NewQuote, Texts

CLOSED = {
    "ru": {
        "title": "Как расспрашивать ребёнка после выявления (демонстрационный проект, закрыт)",
        "summary": "Вымышленная закрытая консультация: по ней уже есть заключение группы.",
        "content_note": "Здесь говорится о разговорах с детьми, пострадавшими от эксплуатации.",
    },
    "kk": {
        "title": "Анықталғаннан кейін баламен қалай сөйлесу керек (демонстрациялық жоба, жабық)",
        "summary": "Ойдан шығарылған жабық кеңес: ол бойынша топтың қорытындысы бар.",
        "content_note": "Мұнда қанауға ұшыраған балалармен әңгіме туралы айтылады.",
    },
    "en": {
        "title": "Talking with a child after identification (demonstration draft, closed)",
        "summary": "A fictional closed consultation: the group's record on it is published.",
        "content_note": "This draft talks about conversations with exploited children.",
    },
}
CLOSED_DRAFT = {
    "ru": "**Только для демонстрации.**\n\n## Один разговор {#one-talk}\nРебёнка расспрашивают "
    "один раз, в присутствии психолога.\n\n## Место {#place}\nРазговор проходит в тихой комнате, "
    "не в отделе полиции.\n",
    "kk": "**Тек демонстрация үшін.**\n\n## Бір әңгіме {#one-talk}\nБаламен психологтың "
    "қатысуымен бір рет сөйлеседі.\n\n## Орны {#place}\nӘңгіме полиция бөлімінде емес, тыныш "
    "бөлмеде өтеді.\n",
    "en": "**Demonstration only.**\n\n## One conversation {#one-talk}\nThe child is asked once, "
    "with a psychologist present.\n\n## The place {#place}\nThe conversation happens in a quiet "
    "room, not at a police station.\n",
}
UPCOMING = {
    "ru": {
        "title": "Сопровождение после возвращения домой (демонстрационный проект, скоро)",
        "summary": "Вымышленная консультация, которая откроется через несколько дней.",
        "content_note": "",
    },
    "kk": {
        "title": "Үйге оралғаннан кейінгі сүйемелдеу (демонстрациялық жоба, жақында)",
        "summary": "Бірнеше күннен кейін ашылатын ойдан шығарылған кеңес.",
        "content_note": "",
    },
    "en": {
        "title": "Support after returning home (demonstration draft, upcoming)",
        "summary": "A fictional consultation that opens in a few days.",
        "content_note": "",
    },
}
SAID = (
    (0, "one-talk", "Меня спрашивали пять раз разные люди. Одного раза достаточно."),
    (1, "place", "Полиция пугает. Лучше комната в центре, где есть окно и вода."),
    (0, "one-talk", "Психолог должен быть женщиной, если ребёнок — девочка."),
)
ADDRESSEES = (
    ("Түркістан облысының әкімдігі", "Акимат Туркестанской области", "Akimat of Turkestan Region"),
    (
        "Қазақстан Республикасының Еңбек және халықты әлеуметтік қорғау министрлігі",
        "Министерство труда и социальной защиты населения Республики Казахстан",
        "Ministry of Labour and Social Protection of Population",
    ),
    (
        "Шымкент қаласының ведомствоаралық жылжымалы топтары",
        "Межведомственные мобильные группы города Шымкента",
        "Inter-agency mobile groups of Shymkent",
    ),
    (
        "Қазақстан Республикасының Ішкі істер министрлігі",
        "Министерство внутренних дел Республики Казахстан",
        "Ministry of Internal Affairs",
    ),
)
# (addressee, language, title, text, regions, priority, the steps after "proposed")
RECOMMENDATIONS = (
    (
        0,
        "ru",
        "Расспрашивать ребёнка один раз",
        "Один разговор с ребёнком, с психологом и записью, вместо нескольких допросов.",
        [Region.TURKESTAN],
        Priority.HIGH,
        [RecommendationStatus.SUBMITTED, RecommendationStatus.IMPLEMENTED],
    ),
    (
        1,
        "kk",
        "Баламен әңгімеге арналған тыныш бөлмелер",
        "Әр облыста полиция ғимаратынан тыс бала әңгімесіне арналған бөлме болсын.",
        [Region.NATIONAL],
        Priority.MEDIUM,
        [RecommendationStatus.SUBMITTED, RecommendationStatus.ACCEPTED],
    ),
    (
        2,
        "en",
        "A woman psychologist for girls",
        "Mobile groups include a woman psychologist whenever the child is a girl.",
        [Region.SHYMKENT],
        Priority.MEDIUM,
        [RecommendationStatus.SUBMITTED, RecommendationStatus.PARTIALLY_ACCEPTED],
    ),
    (
        3,
        "ru",
        "Не доставлять ребёнка в отдел полиции",
        "Ребёнка не привозят в отдел полиции для разговора; полиция приезжает к нему.",
        [Region.TURKESTAN, Region.SHYMKENT],
        Priority.HIGH,
        [RecommendationStatus.SUBMITTED, RecommendationStatus.REJECTED],
    ),
    (
        0,
        "kk",
        "Жолдаудан кейін бір апта ішінде бару",
        "Әлеуметтік қызметкер жолдаудан кейін бір апта ішінде баланың жағдайын көреді.",
        [Region.TURKESTAN],
        Priority.LOW,
        [RecommendationStatus.SUBMITTED],
    ),
    (
        1,
        "en",
        "A hotline answered in Kazakh and Russian",
        "The national hotline answers in Kazakh and Russian at any hour.",
        [Region.NATIONAL],
        Priority.LOW,
        [RecommendationStatus.SUBMITTED, RecommendationStatus.WITHDRAWN],
    ),
)
RECORD = {
    "ru": Texts(
        "Один разговор, тихая комната (демонстрация)",
        "Группа советует расспрашивать ребёнка один раз, с психологом, вне отдела полиции.",
        "## Совет группы\n\nРебёнка расспрашивают **один раз**. Разговор ведёт психолог, "
        "в тихой комнате, а не в отделе полиции.\n\n*Демонстрация: вымышленная запись.*",
    ),
    "kk": Texts(
        "Бір әңгіме, тыныш бөлме (демонстрация)",
        "Топ баламен психологтың қатысуымен, полиция бөлімінен тыс, бір рет сөйлесуге "
        "кеңес береді.",
        "## Топтың кеңесі\n\nБаламен **бір рет** сөйлеседі. Әңгімені тыныш бөлмеде "
        "психолог жүргізеді.\n\n*Демонстрация: ойдан шығарылған жазба.*",
    ),
    "en": Texts(
        "One conversation, a quiet room (demonstration)",
        "The group advises asking the child once, with a psychologist, away from the police.",
        "## The group's advice\n\nThe child is asked **once**, by a psychologist, in a quiet "
        "room and not at a police station.\n\n*Demonstration: a fictional record.*",
    ),
}


def _details(texts: dict[str, dict[str, str]], opens: datetime, closes: datetime):  # type: ignore[no-untyped-def]
    return consultations.Details(
        **texts["ru"],
        main_locale="ru",
        opens_at=opens,
        closes_at=closes,
        premoderation=False,
        translations={locale: texts[locale] for locale in ("kk", "en")},
    )


def seed(session: Session, *, staff: Member, voices: list[Member], now: datetime) -> list[str]:
    """Everything above; returns lines saying where to look."""
    opened = now - timedelta(days=40)
    closed = consultations.create(
        session, _details(CLOSED, opened, now - timedelta(days=10)), actor=staff, now=opened
    )
    draft = consultations.working_copy(session, closed)
    consultations.save_draft(session, draft, CLOSED_DRAFT)
    consultations.publish(
        session, closed, draft, changelog="Первая редакция.", actor=staff, now=opened
    )
    written = [
        comments.add(
            session,
            closed,
            author=voices[voice],
            text=text,
            stance=Stance.CONCERNS,
            section_key=key,
            parent=None,
            show_pseudonym=False,
            quotable=True,
            now=opened + timedelta(days=2),
        )
        for voice, key, text in SAID
    ]
    decisions.create(
        session,
        closed,
        decisions.DecisionDetails(
            question="Согласны ли вы, что ребёнка нужно расспрашивать только один раз?",
            explanation="Демонстрация: вымышленное решение.",
            kind=DecisionKind.PROPOSAL,
            options=[],
            max_choices=None,
            opens_at=opened + timedelta(days=1),
            closes_at=now - timedelta(days=12),
            quorum=2,
            live_results=False,
            min_ballots=2,
            translations={
                "kk": {"question": "Баламен тек бір рет сөйлесу керек дегенге келісесіз бе?"},
                "en": {"question": "Do you agree the child should be asked only once?"},
            },
        ),
        actor=staff,
        now=opened,
    )
    upcoming = consultations.create(
        session,
        _details(UPCOMING, now + timedelta(days=5), now + timedelta(days=35)),
        actor=staff,
        now=now,
    )
    draft = consultations.working_copy(session, upcoming)
    consultations.save_draft(
        session, draft, {"ru": "## Сопровождение {#support}\nДемонстрационный текст."}
    )
    consultations.publish(session, upcoming, draft, changelog="", actor=staff, now=now)

    bodies = [
        recommendations.add_addressee(session, {"kk": kk, "ru": ru, "en": en}, actor=staff, now=now)
        for kk, ru, en in ADDRESSEES
    ]
    made = []
    for body, locale, title, text, regions, priority, steps in RECOMMENDATIONS:
        written_at = now - timedelta(days=9)
        rec = recommendations.create(
            session,
            recommendations.Draft(
                title=title,
                text=f"{text}\n\n*Demonstration only.*",
                locale=locale,
                addressee_id=bodies[body].id,
                priority=priority,
                regions=regions,
                review_on=(now - timedelta(days=1)).date() if len(steps) == 1 else None,
            ),
            actor=staff,
            now=written_at,
        )
        recommendations.publish(session, rec, actor=staff, now=written_at)
        for step, status in enumerate(steps, start=1):
            recommendations.change_status(
                session,
                rec,
                status,
                on=(written_at + timedelta(days=2 * step)).date(),
                note="Демонстрация." if locale == "ru" else "Demonstration.",
                evidence="https://example.org/demonstration" if step == len(steps) else "",
                actor=staff,
                now=now,
            )
        made.append(rec)

    original = records.create(
        session, locale="ru", consultation=closed, texts=RECORD["ru"], actor=staff, now=now
    )
    records.save_draft(
        session,
        original,
        RECORD["ru"],
        add_quotes=[NewQuote(c.id) for c in written],
        recommendation_ids=[rec.id for rec in made[:4]],
        actor=staff,
        now=now,
    )
    number = records.publish(session, original, actor=staff, now=now - timedelta(days=8))
    records.start_correction(session, original, actor=staff, now=now - timedelta(days=4))
    corrected = Texts(
        RECORD["ru"].title,
        RECORD["ru"].summary,
        RECORD["ru"].advice + "\n\nПсихолог — женщина, если ребёнок — девочка.",
        "Добавлено: психолог — женщина, если ребёнок — девочка.",
    )
    records.save_draft(session, original, corrected, actor=staff, now=now - timedelta(days=4))
    records.publish(session, original, actor=staff, now=now - timedelta(days=3))
    # The third quote was found to point at one girl: its words leave both revisions.
    third = records.quotes_within(session, SAID[2][2])
    records.redact(session, third[0], actor=staff, now=now - timedelta(days=1))
    for locale in ("kk", "en"):
        translation = records.create(
            session, locale=locale, consultation=closed, texts=RECORD[locale], actor=staff, now=now
        )
        records.save_draft(
            session,
            translation,
            RECORD[locale],
            recommendation_ids=[rec.id for rec in made[:4]],
            translation_of=number,
            actor=staff,
            now=now,
        )
        records.publish(session, translation, actor=staff, now=now - timedelta(days=2))
    return [
        f"A closed consultation, with what became of it: /consultations/{closed.public_id}",
        f"An advisory record (two revisions, a redacted quote, three languages): /records/{number}",
        "The recommendation register: /recommendations",
    ]


def cast_ballots(
    session: Session, key_for: Callable[[Member], Callable[[int], str]], voters: list[Member]
) -> Iterator[tuple[Consultation, Decision, Member, list[int]]]:
    """The closed consultation's decision: both demo members agreed, while it was open."""
    closed = session.scalar(select(Consultation).where(Consultation.title == CLOSED["ru"]["title"]))
    if closed is None:
        return
    found = session.scalar(select(Decision.public_id).where(Decision.consultation_id == closed.id))
    if found is None:
        return
    decision = decisions.get(session, closed, found)
    if session.scalar(select(Ballot.decision_id).where(Ballot.decision_id == decision.id).limit(1)):
        return
    for voter in voters:
        yield closed, decision, voter, [0]
