"""The command line: invites, staff accounts, reset codes, retention, demo (issue 3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consultations.models import AuditEvent, Member
from portal.accounts.models import AuthSession, Credential, Invite, ResetCode
from portal.extensions import db
from portal.security import tokens
from tests.factories import make_member, sign_in

pytestmark = pytest.mark.postgres

STAFF_PASSPHRASE = "amber harbour quietly folding maps"


def rows(app, model):  # type: ignore[no-untyped-def]
    with app.app_context():
        found = list(db.session.scalars(select(model)))
        db.session.remove()
    return found


def test_invites_create_prints_one_code_per_line(app, runner):
    result = runner.invoke(
        args=["invites", "create", "--count", "3", "--role", "staff", "--days", "3"]
    )
    assert result.exit_code == 0, result.output
    codes = result.output.split()
    assert len(codes) == 3
    for code in codes:
        assert len(tokens.normalize_code(code)) == 20
    invites = rows(app, Invite)
    assert {invite.role for invite in invites} == {"staff"}
    assert all(code not in {i.code_hash for i in invites} for code in codes)


def test_create_staff_reads_the_passphrase_from_a_prompt(app, runner):
    result = runner.invoke(
        args=["users", "create-staff", "Staff Person", "--admin"],
        input=f"{STAFF_PASSPHRASE}\n{STAFF_PASSPHRASE}\n",
    )
    assert result.exit_code == 0, result.output
    assert STAFF_PASSPHRASE not in result.output
    (member,) = rows(app, Member)
    assert (member.pseudonym, member.role) == ("Staff Person", "admin")
    (credential,) = rows(app, Credential)
    assert credential.passphrase_hash.startswith("$argon2id$")


def test_create_staff_takes_no_passphrase_argument(runner):
    result = runner.invoke(args=["users", "create-staff", "Staff Person", "--passphrase", "x"])
    assert result.exit_code != 0
    assert "No such option" in result.output


def test_create_staff_refuses_a_weak_passphrase_and_a_taken_name(app, runner):
    weak = runner.invoke(
        args=["users", "create-staff", "Staff Person"], input="password1234\npassword1234\n"
    )
    assert weak.exit_code != 0
    assert rows(app, Member) == []
    make_member(app, "Staff Person")
    taken = runner.invoke(
        args=["users", "create-staff", "Staff Persоn"],  # Cyrillic о
        input=f"{STAFF_PASSPHRASE}\n{STAFF_PASSPHRASE}\n",
    )
    assert taken.exit_code != 0


@pytest.mark.parametrize(("option", "locale"), [([], "kk"), (["--locale", "ru"], "ru")])
def test_create_staff_gives_the_sites_language_or_the_one_asked_for(app, runner, option, locale):
    """Issue 11, item 11: every staff account was made English, and that then beat the
    browser's language after sign-in. Now it is KENES_DEFAULT_LOCALE (kk) or --locale."""
    result = runner.invoke(
        args=["users", "create-staff", "Staff Person", *option],
        input=f"{STAFF_PASSPHRASE}\n{STAFF_PASSPHRASE}\n",
    )
    assert result.exit_code == 0, result.output
    (member,) = rows(app, Member)
    assert member.locale == locale


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("staff  PERSON", "already taken"),
        ("Staff Persоn", "do not mix Latin and Cyrillic"),  # a Cyrillic о
        ("x", "at least 3 characters"),
        ("Staff\u202ePerson", "Error:"),
    ],
    ids=["taken", "mixed-scripts", "too-short", "bidi-override"],
)
def test_create_staff_checks_the_name_before_asking_for_a_passphrase(app, runner, name, said):
    make_member(app, "Staff Person")
    result = runner.invoke(args=["users", "create-staff", name], input="")
    assert result.exit_code == 1, result.output
    assert "Passphrase" not in result.output  # never asked
    assert said in result.output
    assert len(rows(app, Member)) == 1


def test_reset_code_command_is_audited(app, runner):
    member = make_member(app)
    result = runner.invoke(args=["users", "reset-code", member.pseudonym])
    assert result.exit_code == 0
    assert len(tokens.normalize_code(result.output.strip())) == 20
    assert len(rows(app, ResetCode)) == 1
    (event,) = rows(app, AuditEvent)
    assert (event.action, event.target, event.actor_id) == (
        "member.reset_code",
        f"member:{member.id}",
        None,
    )
    assert runner.invoke(args=["users", "reset-code", "Nobody"]).exit_code != 0


def test_retention_purge_removes_only_what_expired(app, client, runner, clock):
    sign_in(client, make_member(app))
    assert runner.invoke(args=["retention", "purge"]).output.startswith("sessions: 0")
    clock.advance(timedelta(hours=13))
    dry = runner.invoke(args=["retention", "purge", "--dry-run"])
    assert "sessions: 1 would be removed" in dry.output
    assert len(rows(app, AuthSession)) == 1
    runner.invoke(args=["retention", "purge"])
    assert rows(app, AuthSession) == []


def test_demo_seed_refuses_outside_development(runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code != 0
    assert "KENES_ENV=development" in result.output


def test_demo_seed_in_development(app_factory):
    app = app_factory(KENES_ENV="development")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "Demo Admin" in result.output
    again = runner.invoke(args=["demo", "seed", "--if-empty"])
    assert "nothing added" in again.output


def test_demo_consultation_is_alive_in_three_languages(app_factory):
    from consultations.models import Comment, Consultation, DocumentVersion, SectionText
    from portal import demo_consultation

    app = app_factory(KENES_ENV="development")
    result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert "/consultations/" in result.output
    with app.app_context():
        demo = db.session.scalar(
            select(Consultation).where(Consultation.title == demo_consultation.TITLE)
        )
        mine = Comment.consultation_id == demo.id
        assert {c.stance for c in db.session.scalars(select(Comment).where(mine))} == {
            "supports",
            "concerns",
            "question",
            "other",
        }
        assert {t.locale for t in db.session.scalars(select(SectionText))} == {"kk", "ru", "en"}
        versions = select(DocumentVersion).where(DocumentVersion.consultation_id == demo.id)
        assert len(list(db.session.scalars(versions))) == 2
        assert any(c.meeting_id for c in db.session.scalars(select(Comment).where(mine)))
        from consultations.models import Ballot, Decision

        found = list(
            db.session.scalars(
                select(Decision).where(Decision.consultation_id == demo.id).order_by(Decision.id)
            )
        )
        assert [d.kind for d in found] == ["proposal", "ranked", "single"]
        counted = [
            db.session.scalar(
                select(func.count()).select_from(Ballot).where(Ballot.decision_id == d.id)
            )
            for d in found
        ]
        assert counted == [1, 0, 2]
        assert [d.sealed for d in found] == [False, False, True]
        db.session.remove()
    # Seeding again adds no ballot.
    app.test_cli_runner().invoke(args=["demo", "seed", "--if-empty"])
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Ballot)) == 5
        db.session.remove()


def test_the_demo_is_a_living_portal(app_factory):
    """Issue 12: besides the open consultation, a closed one with its decision counted, an
    upcoming one, a record with a correction and a redacted quote in three languages, and six
    recommendations to several bodies across the statuses."""
    from consultations.models import (
        Addressee,
        AdvisoryRecord,
        Ballot,
        Consultation,
        Decision,
        Recommendation,
        RecommendationStatus,
        RecordQuote,
        RecordRevision,
        Status,
        StatusChange,
    )

    app = app_factory(KENES_ENV="development")
    assert app.test_cli_runner().invoke(args=["demo", "seed"]).exit_code == 0
    with app.app_context():
        from portal import clock

        now = clock.now()
        statuses = [c.status(now) for c in db.session.scalars(select(Consultation))]
        assert sorted(statuses) == sorted([Status.OPEN, Status.CLOSED, Status.UPCOMING])
        closed = next(
            c for c in db.session.scalars(select(Consultation)) if c.status(now) == Status.CLOSED
        )
        decision = db.session.scalar(select(Decision).where(Decision.consultation_id == closed.id))
        assert decision.sealed
        ballots = select(func.count()).select_from(Ballot).where(Ballot.decision_id == decision.id)
        assert db.session.scalar(ballots) == 2
        records = list(db.session.scalars(select(AdvisoryRecord).order_by(AdvisoryRecord.id)))
        assert sorted(r.locale for r in records) == ["en", "kk", "ru"]
        original = records[0]
        assert {r.translation_of_id for r in records[1:]} == {original.id}
        revisions = select(RecordRevision).where(RecordRevision.record_id == original.id)
        assert [r.number for r in db.session.scalars(revisions)] == [1, 2]
        redacted = db.session.scalars(
            select(RecordQuote).where(RecordQuote.redacted_on.is_not(None))
        )
        assert len(list(redacted)) == 2  # the same words, in both revisions
        recs = list(db.session.scalars(select(Recommendation)))
        assert len(recs) == 6
        assert len({r.addressee_id for r in recs}) >= 3
        assert db.session.scalar(select(func.count()).select_from(Addressee)) == 4
        assert {r.locale for r in recs} == {"kk", "ru", "en"}
        every = {c.status for c in db.session.scalars(select(StatusChange))}
        assert every == set(RecommendationStatus)
        db.session.remove()
    client = app.test_client()
    for path in ("/records", f"/records/{original.number}", f"/records/{original.number}/v1"):
        assert client.get(path).status_code == 200, path
    assert "[removed to protect a member]" in client.get(f"/records/{original.number}").get_data(
        as_text=True
    )
