"""Migration tests with data (issue 10), after SecureDrop's UpgradeTester/DowngradeTester.

A `RevisionData` names one revision and three steps, each given a plain SQLAlchemy connection:
- `load` runs at the revision's parent and writes realistic rows, as a live site would have them;
- `check_upgraded` runs after upgrading to the revision: the rows carried over as they should;
- `check_downgraded` runs after downgrading back to the parent: what the parent can hold is
  still there.
`test_migrations.py::test_each_revision_carries_its_data` runs every entry of `REVISIONS`, up
and down, on SQLite and on PostgreSQL. A revision that alters a populated table adds an entry.

Rows are written with SQL, never the models: the models are the head's, not the revision's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

Step = Callable[[Connection], None]


@dataclass(frozen=True)
class RevisionData:
    revision: str
    load: Step
    check_upgraded: Step
    check_downgraded: Step

    def __str__(self) -> str:
        return self.revision


def _rows(connection: Connection, sql: str) -> list[tuple]:
    return [tuple(row) for row in connection.execute(text(sql))]


def _insert(connection: Connection, sql: str, rows: list[dict]) -> None:
    for row in rows:
        connection.execute(text(sql), row)


# --------------------------------------------------------------------------- a3d28617ac07


def _consultation(connection: Connection) -> None:
    _insert(
        connection,
        "INSERT INTO member (id, pseudonym, pseudonym_key, role, locale, created_on, disabled, "
        "ballot_token) VALUES (:id, :name, :key, :role, 'kk', '2026-11-20', false, :token)",
        [
            {"id": 1, "name": "Тыныш Өзен", "key": "old-1", "role": "member", "token": "a" * 32},
            {"id": 2, "name": "Staff One", "key": "old-2", "role": "staff", "token": "b" * 32},
        ],
    )
    _insert(
        connection,
        "INSERT INTO consultation (id, public_id, title, summary, main_locale, content_note, "
        "opens_at, closes_at, premoderation, published, archived, created_at) VALUES (1, "
        "'c0nsult1', 'Mobile group procedure', 'A draft', 'kk', '', '2026-11-20 09:00:00+00', "
        "'2026-12-20 09:00:00+00', false, true, false, '2026-11-19 09:00:00+00')",
        [{}],
    )


def _decisions_tables_hold_a_ballot(connection: Connection) -> None:
    assert _rows(connection, "SELECT public_id, title FROM consultation") == [
        ("c0nsult1", "Mobile group procedure")
    ]
    _insert(
        connection,
        "INSERT INTO decision (id, public_id, consultation_id, question, explanation, kind, "
        "opens_at, closes_at, live_results, electorate, sealed, created_at) VALUES (1, "
        "'d3cision', 1, 'Who first?', '', 'proposal', '2026-11-21 09:00:00+00', "
        "'2026-11-28 09:00:00+00', false, 1, false, '2026-11-20 09:00:00+00')",
        [{}],
    )
    _insert(
        connection,
        "INSERT INTO decision_option (id, decision_id, position, label, code) "
        "VALUES (:id, 1, :position, '', :code)",
        [
            {"id": n + 1, "position": n, "code": code}
            for n, code in enumerate(("agree", "disagree", "abstain"))
        ],
    )
    _insert(
        connection,
        "INSERT INTO ballot (decision_id, ballot_key, choices) VALUES (1, :key, '[0]')",
        [{"key": "f" * 64}],
    )
    assert _rows(connection, "SELECT choices FROM ballot") == [("[0]",)]


def _consultation_stays(connection: Connection) -> None:
    assert _rows(connection, "SELECT public_id FROM consultation") == [("c0nsult1",)]
    assert _rows(connection, "SELECT pseudonym FROM member ORDER BY id") == [
        ("Тыныш Өзен",),
        ("Staff One",),
    ]


# --------------------------------------------------------------------------- 7c1e5a9d3b42


def _decision_and_invites(connection: Connection) -> None:
    _consultation(connection)
    _decisions_tables_hold_a_ballot(connection)
    _insert(
        connection,
        "INSERT INTO invite (id, code_hash, role, created_at, expires_at, issued_by_id, used, "
        "revoked) VALUES (:id, :hash, 'member', '2026-11-20 09:00:00+00', "
        "'2026-12-20 09:00:00+00', 2, :used, false)",
        [{"id": 1, "hash": "1" * 64, "used": True}, {"id": 2, "hash": "2" * 64, "used": False}],
    )


def _minimum_set_and_used_invites_gone(connection: Connection) -> None:
    assert _rows(connection, "SELECT public_id, min_ballots FROM decision") == [("d3cision", 5)]
    assert _rows(connection, "SELECT id FROM invite") == [(2,)]
    assert _rows(connection, "SELECT choices FROM ballot") == [("[0]",)]


def _no_minimum_and_invites_unused(connection: Connection) -> None:
    assert _rows(connection, "SELECT public_id FROM decision") == [("d3cision",)]
    used = _rows(connection, "SELECT id, used FROM invite")
    assert [(invite_id, bool(flag)) for invite_id, flag in used] == [(2, False)]


# --------------------------------------------------------------------------- 4e2ea5046ad0

MEETING_PLACES = (
    (1, "Community centre (demonstration)", "community_centre", "Community centre"),
    (2, "Кризисный центр для женщин", "shelter", "Shelter"),
    (3, "Онлайн-звонок", "online", "Online call"),
    (4, "the hall next to the school in Saryagash", "other", "Other"),
)


def _meetings(connection: Connection) -> None:
    _consultation(connection)
    _decisions_tables_hold_a_ballot(connection)
    _insert(
        connection,
        "INSERT INTO meeting (id, consultation_id, held_on, place_type, participants) "
        "VALUES (:id, 1, '2026-11-25', :place, 6)",
        [{"id": id_, "place": place} for id_, place, _kind, _name in MEETING_PLACES],
    )


def _places_are_kinds_and_translations_can_be_added(connection: Connection) -> None:
    assert _rows(connection, "SELECT id, place_type FROM meeting ORDER BY id") == [
        (id_, kind) for id_, _place, kind, _name in MEETING_PLACES
    ]
    # The existing texts stay where they were, as the main language's; the others can be added.
    assert _rows(connection, "SELECT title, main_locale FROM consultation") == [
        ("Mobile group procedure", "kk")
    ]
    _insert(
        connection,
        "INSERT INTO consultation_translation (id, consultation_id, locale, title, summary, "
        "content_note) VALUES (1, 1, 'ru', 'Порядок мобильных групп', '', '')",
        [{}],
    )
    _insert(
        connection,
        "INSERT INTO decision_translation (id, decision_id, locale, question, explanation) "
        "VALUES (1, 1, 'ru', 'Кто первый?', '')",
        [{}],
    )


def _places_are_names_again(connection: Connection) -> None:
    assert _rows(connection, "SELECT id, place_type FROM meeting ORDER BY id") == [
        (id_, name) for id_, _place, _kind, name in MEETING_PLACES
    ]
    assert _rows(connection, "SELECT question FROM decision") == [("Who first?",)]


REVISIONS: tuple[RevisionData, ...] = (
    RevisionData(
        "a3d28617ac07",
        load=_consultation,
        check_upgraded=_decisions_tables_hold_a_ballot,
        check_downgraded=_consultation_stays,
    ),
    RevisionData(
        "7c1e5a9d3b42",
        load=_decision_and_invites,
        check_upgraded=_minimum_set_and_used_invites_gone,
        check_downgraded=_no_minimum_and_invites_unused,
    ),
    RevisionData(
        "4e2ea5046ad0",
        load=_meetings,
        check_upgraded=_places_are_kinds_and_translations_can_be_added,
        check_downgraded=_places_are_names_again,
    ),
)
