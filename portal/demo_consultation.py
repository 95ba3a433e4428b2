"""A demonstration consultation for `flask demo seed`: fictional, and says so in every language.

It follows the kind of procedure the KATCH project found gaps in — how inter-agency mobile
groups identify children at risk and refer them to help — in English, Russian and Kazakh under
the same section keys, with two versions (so the change view has something to show) and
comments of every stance, including one from a group meeting.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from consultations.models import (
    Consultation,
    Decision,
    DecisionKind,
    Member,
    PlaceType,
    ReportReason,
    Stance,
)
from consultations.services import comments, consultations, decisions

# Russian is the main language; what the seed writes in each language, under the field's name.
TEXTS = {
    "ru": {
        "title": "Выявление и направление детей группы риска: мобильные группы "
        "(демонстрационный проект)",
        "summary": "Вымышленный проект, чтобы показать, как работает Kenes. Прочитайте его по "
        "разделам и скажите, что вы думаете.",
        "content_note": "В этом проекте говорится о детях, которых эксплуатировали или которым "
        "грозит опасность. Это предупреждение можно пропустить, а страницу — покинуть в любой "
        "момент кнопкой «Быстрый выход».",
    },
    "kk": {
        "title": "Қауіп төнген балаларды анықтау және жолдау: жылжымалы топтар "
        "(демонстрациялық жоба)",
        "summary": "Kenes қалай жұмыс істейтінін көрсетуге арналған ойдан шығарылған жоба. Оны "
        "бөлім-бөлімімен оқып, пікіріңізді айтыңыз.",
        "content_note": "Бұл жобада қанауға ұшыраған немесе қауіп төнген балалар туралы "
        "айтылады. Бұл ескертуді өткізіп жіберуге болады, ал беттен кез келген уақытта "
        "«Жылдам шығу» батырмасымен шығуға болады.",
    },
    "en": {
        "title": "Identifying and referring children at risk: mobile groups (demonstration draft)",
        "summary": "A fictional draft to show how Kenes works. Read it section by section and "
        "say what you think.",
        "content_note": "This draft talks about children who were exploited or are at risk. "
        "You can skip this note, and you can leave the page at any time with Quick exit.",
    },
}
MAIN = "ru"
TITLE = TEXTS[MAIN]["title"]
CHANGELOGS = (
    {"ru": "Первая редакция.", "kk": "Алғашқы нұсқа.", "en": "First draft."},
    {
        "ru": "Направление — в течение 12 часов; по комментариям группы добавлен раздел о "
        "сопровождении после направления.",
        "kk": "Жолдау — 12 сағат ішінде; топтың пікірлерінен кейін жолдамадан кейінгі бақылау "
        "туралы бөлім қосылды.",
        "en": "Referral within 12 hours; a follow-up section added after the group's comments.",
    },
)


def _others(texts: dict[str, object]) -> dict:  # type: ignore[type-arg]
    return {locale: text for locale, text in texts.items() if locale != MAIN}


V1 = {
    "en": """**Demonstration only: a fictional draft, not an official procedure.**

## Purpose {#purpose}
This procedure tells the inter-agency mobile group how to recognise a child who may be at risk
and how to connect them with help on the same day.

## Who takes part {#members}
A social worker, a police inspector for juvenile affairs, a school psychologist and a health
worker. An NGO specialist may join with the child's consent.

## Recognising a child at risk {#identifying}
Signs include a child working at a market during school hours, a child who does not know where
they live, or an adult who answers every question for the child.

## Referral {#referral}
The group refers the child to the social protection department within 24 hours and writes down
what was agreed.

## Talking with the child {#interview}
Speak with the child in a quiet room, with one adult the child trusts. Do not ask the child to
repeat their story to several people.
""",
    "ru": """**Только для демонстрации: вымышленный проект, а не официальная процедура.**

## Цель {#purpose}
Процедура объясняет межведомственной мобильной группе, как распознать ребёнка, которому может
грозить опасность, и в тот же день связать его с помощью.

## Кто участвует {#members}
Социальный работник, инспектор по делам несовершеннолетних, школьный психолог и медицинский
работник. Специалист НПО может присоединиться с согласия ребёнка.

## Как распознать ребёнка в опасности {#identifying}
Признаки: ребёнок работает на рынке в учебное время, не знает, где живёт, или взрослый отвечает
за ребёнка на все вопросы.

## Направление {#referral}
Группа направляет ребёнка в отдел социальной защиты в течение 24 часов и записывает, о чём
договорились.

## Разговор с ребёнком {#interview}
Говорите с ребёнком в тихой комнате, в присутствии одного взрослого, которому ребёнок доверяет.
Не просите ребёнка пересказывать свою историю нескольким людям.
""",
    "kk": """**Тек көрсету үшін: бұл ойдан шығарылған жоба, ресми рәсім емес.**

## Мақсаты {#purpose}
Бұл рәсім ведомствоаралық мобильді топқа қауіп төнуі мүмкін баланы қалай тануға және сол күні
оны көмекпен қалай байланыстыруға болатынын түсіндіреді.

## Кім қатысады {#members}
Әлеуметтік қызметкер, кәмелетке толмағандар ісі жөніндегі инспектор, мектеп психологы және
медицина қызметкері. ҮЕҰ маманы баланың келісімімен қосыла алады.

## Қауіптегі баланы тану {#identifying}
Белгілері: бала сабақ уақытында базарда жұмыс істейді, қайда тұратынын білмейді немесе ересек
адам бала үшін барлық сұраққа өзі жауап береді.

## Жолдама {#referral}
Топ баланы 24 сағат ішінде әлеуметтік қорғау бөліміне жолдайды және не туралы келісілгенін
жазып алады.

## Баламен әңгіме {#interview}
Баламен тыныш бөлмеде, бала сенетін бір ересек адамның қатысуымен сөйлесіңіз. Баладан өз
оқиғасын бірнеше адамға қайта айтуды сұрамаңыз.
""",
}

# Version 2: a faster referral, and a new section on what happens afterwards.
V2 = {
    locale: text.replace("24 hours", "12 hours")
    .replace("24 часов", "12 часов")
    .replace("24 сағат", "12 сағат")
    for locale, text in V1.items()
}
V2["en"] += """
## After the referral {#follow-up}
A social worker visits the child within a week and again after a month.
"""
V2["ru"] += """
## После направления {#follow-up}
Социальный работник навещает ребёнка в течение недели и ещё раз через месяц.
"""
V2["kk"] += """
## Жолдамадан кейін {#follow-up}
Әлеуметтік қызметкер баланың жағдайын бір апта ішінде және бір айдан кейін тағы барып көреді.
"""


def seed(session: Session, *, staff: Member, voices: list[Member], now: datetime) -> str:
    """Create the demonstration consultation; return its public id."""
    consultation = consultations.create(
        session,
        consultations.Details(
            **TEXTS[MAIN],
            main_locale=MAIN,
            opens_at=now - timedelta(days=10),
            closes_at=now + timedelta(days=20),
            premoderation=False,
            translations=_others(TEXTS),
        ),
        actor=staff,
        now=now - timedelta(days=10),
    )
    first = consultations.working_copy(session, consultation)
    consultations.save_draft(session, first, V1)
    consultations.publish(
        session,
        consultation,
        first,
        changelog=CHANGELOGS[0][MAIN],
        changelog_translations=_others(CHANGELOGS[0]),
        actor=staff,
        now=now - timedelta(days=10),
    )
    said = [
        (
            voices[0],
            "referral",
            Stance.CONCERNS,
            True,
            "Жұмыс тобы балаларды қорғау рәсімін қайта қарауы керек. 24 сағат — тым ұзақ.",
        ),
        (
            voices[1],
            "interview",
            Stance.SUPPORTS,
            False,
            "Очень важно, что ребёнку не придётся повторять историю много раз. Мне пришлось.",
        ),
        (
            voices[0],
            "identifying",
            Stance.QUESTION,
            False,
            "What if the adult with the child is a relative? Who decides?",
        ),
        (
            voices[1],
            None,
            Stance.OTHER,
            True,
            "Спасибо, что спрашиваете нас. Хорошо бы проект был и на казахском полностью.",
        ),
    ]
    written = []
    for author, key, stance, shown, text in said:
        written.append(
            comments.add(
                session,
                consultation,
                author=author,
                text=text,
                stance=stance,
                section_key=key,
                parent=None,
                show_pseudonym=shown,
                quotable=True,
                now=now - timedelta(days=8),
            )
        )
    comments.add(
        session,
        consultation,
        author=voices[1],
        text="Согласна. Лучше в тот же день.",
        stance=Stance.SUPPORTS,
        section_key=None,
        parent=written[0],
        show_pseudonym=False,
        quotable=False,
        now=now - timedelta(days=7),
    )
    comments.report(
        session,
        written[2],
        reporter=voices[1],
        reason=ReportReason.OTHER,
        note="Demonstration report.",
        today=(now - timedelta(days=7)).date(),
    )
    comments.record_meeting(
        session,
        consultation,
        held_on=(now - timedelta(days=6)).date(),
        place_type=PlaceType.COMMUNITY_CENTRE,
        participants=6,
        feedback={
            "members": "Participants asked for a woman to be in the group.",
            None: "The group wants the draft read aloud at the next meeting.",
        },
        actor=staff,
        now=now - timedelta(days=6),
    )
    second = consultations.working_copy(session, consultation)
    consultations.save_draft(session, second, V2)
    consultations.publish(
        session,
        consultation,
        second,
        changelog=CHANGELOGS[1][MAIN],
        changelog_translations=_others(CHANGELOGS[1]),
        actor=staff,
        now=now - timedelta(days=2),
    )
    seed_decisions(session, consultation, staff=staff, now=now)
    return consultation.public_id


# What the group votes on, in each language (question; options, if not a proposal), with the
# days it opens and closes from now; and the demonstration ballots of the two demo members:
# (decision's position here, member's index, choices).
DECISIONS = (
    (
        {
            "ru": ("Согласны ли вы, что направлять ребёнка нужно в течение 12 часов, а не 24?", []),
            "kk": ("Баланы 24 сағат емес, 12 сағат ішінде жолдау керек дегенге келісесіз бе?", []),
            "en": ("Do you agree that a child should be referred within 12 hours, not 24?", []),
        },
        DecisionKind.PROPOSAL,
        -1,
        10,
    ),
    (
        {
            "ru": (
                "Кто должен первым говорить с ребёнком? Расставьте варианты по порядку.",
                ["Социальный работник", "Психолог", "Инспектор полиции", "Специалист НКО"],
            ),
            "kk": (
                "Баламен бірінші кім сөйлесуі керек? Нұсқаларды ретімен қойыңыз.",
                ["Әлеуметтік қызметкер", "Психолог", "Полиция инспекторы", "ҮЕҰ маманы"],
            ),
            "en": (
                "Who should speak with the child first? Put the options in order.",
                ["Social worker", "Psychologist", "Police inspector", "NGO specialist"],
            ),
        },
        DecisionKind.RANKED,
        -1,
        10,
    ),
    (
        {
            "ru": (
                "Где лучше проводить встречи группы?",
                ["В общественном центре", "В офисе НКО", "Онлайн"],
            ),
            "kk": (
                "Топ кездесулерін қай жерде өткізген дұрыс?",
                ["Қоғамдық орталықта", "ҮЕҰ кеңсесінде", "Онлайн"],
            ),
            "en": (
                "Where is it best to hold the group's meetings?",
                ["At a community centre", "At the NGO's office", "Online"],
            ),
        },
        DecisionKind.SINGLE,
        -6,
        -1,
    ),
)
EXPLANATION = {
    "ru": "Демонстрация: *вымышленное* решение.",
    "kk": "Демонстрация: *ойдан шығарылған* шешім.",
    "en": "Demonstration only: a *fictional* decision.",
}
DEMO_BALLOTS = ((2, 0, [0]), (2, 1, [1]), (0, 1, [0]))


def seed_decisions(
    session: Session, consultation: Consultation, *, staff: Member, now: datetime
) -> list[Decision]:
    """Two open decisions and one that closed yesterday (its ballots are cast afterwards, each
    in its own transaction: see `portal.demo.cast_ballots`)."""
    made = []
    for texts, kind, opens, closes in DECISIONS:
        written_at = now + timedelta(days=opens) - timedelta(hours=1)
        question, options = texts[MAIN]
        made.append(
            decisions.create(
                session,
                consultation,
                decisions.DecisionDetails(
                    question=question,
                    explanation=EXPLANATION[MAIN],
                    kind=kind,
                    options=options,
                    max_choices=None,
                    opens_at=now + timedelta(days=opens),
                    closes_at=now + timedelta(days=closes),
                    quorum=2,
                    live_results=kind == DecisionKind.PROPOSAL,
                    # Two demo members vote: counts from two ballots, in the demo only.
                    min_ballots=2,
                    translations={
                        locale: {"question": texts[locale][0], "explanation": EXPLANATION[locale]}
                        for locale in _others(texts)
                    },
                    option_translations={
                        locale: labels for locale, (_question, labels) in _others(texts).items()
                    },
                ),
                actor=staff,
                now=written_at,
            )
        )
    return made
