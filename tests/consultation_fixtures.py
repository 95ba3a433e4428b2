"""A published, open consultation with a commented section, for tests that need one."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta

from consultations.models import CommentStatus, Member, ReportReason, Role, Stance
from consultations.services import comments, consultations
from portal.extensions import db
from tests.factories import make_member, write_comment

DRAFT = """Procedure for identifying and referring children by inter-agency mobile groups.

## Purpose
The mobile group identifies children at risk.

## Referral {#referral}
Refer the child within 24 hours.
"""

_NAMES = itertools.count(1)


@dataclass(frozen=True)
class Made:
    public_id: str
    comment_id: int
    author_id: int
    author_pseudonym: str


def open_consultation(
    app,
    *,
    text: str = DRAFT,
    texts: dict[str, str] | None = None,
    main_locale: str = "en",
    premoderation: bool = False,
    content_note: str = "",
    with_comment: bool = True,
    comment_text: str = "24 hours is too long for a frightened child.",
    show_pseudonym: bool = True,
    quotable: bool = False,
    report: ReportReason | None = ReportReason.OFF_TOPIC,
    report_note: str = "",
    approve: bool = True,
) -> Made:
    """Staff publish the draft; a member comments on "referral" and another reports it.

    With pre-moderation the comment is approved first unless `approve` is False (then it stays
    pending and is not reported).
    """
    number = next(_NAMES)
    staff = make_member(app, f"Author Staff {number}", role=Role.STAFF, two_factor=True)
    author = make_member(app, f"Comment Author {number}")
    reporter = make_member(app, f"Comment Reporter {number}")
    with app.app_context():
        now = app.extensions["kenes.clock"].now()
        staff_member = db.session.get(Member, staff.id)
        consultation = consultations.create(
            db.session,
            consultations.Details(
                title="Mobile group procedure",
                summary="A draft for the group's advice.",
                main_locale=main_locale,
                content_note=content_note,
                opens_at=now - timedelta(days=1),
                closes_at=now + timedelta(days=14),
                premoderation=premoderation,
            ),
            actor=staff_member,
            now=now,
        )
        draft = consultations.working_copy(db.session, consultation)
        consultations.save_draft(db.session, draft, texts or {main_locale: text})
        consultations.publish(
            db.session, consultation, draft, changelog="First draft", actor=staff_member, now=now
        )
        comment_id = 0
        if with_comment:
            written = write_comment(
                db.session,
                consultation,
                db.session.get(Member, author.id),
                text=comment_text,
                stance=Stance.CONCERNS,
                section_key="referral",
                show_pseudonym=show_pseudonym,
                quotable=quotable,
                now=now,
            )
            if written.status == CommentStatus.PENDING and approve:
                comments.approve(db.session, written, actor=staff_member, now=now)
            if report is not None and written.status == CommentStatus.VISIBLE:
                comments.report(
                    db.session,
                    written,
                    reporter=db.session.get(Member, reporter.id),
                    reason=report,
                    note=report_note,
                    today=now.date(),
                )
            comment_id = written.id
        db.session.commit()
        made = Made(consultation.public_id, comment_id, author.id, author.pseudonym)
        db.session.remove()
    return made


def fill(app, url: str) -> str:  # noqa: C901 — one branch per placeholder
    """Replace {consultation}, {comment}, {decision} (an open single-choice decision in that
    consultation) and {theme} (a feedback theme of it) in a route's example URL."""
    if "{consultation}" in url or "{comment}" in url:
        made = open_consultation(app)
        url = url.replace("{consultation}", made.public_id)
        url = url.replace("{comment}", str(made.comment_id))
        if "{decision}" in url:
            from tests.decision_fixtures import open_decision

            url = url.replace(
                "{decision}", open_decision(app, consultation=made.public_id).decision
            )
        if "{theme}" in url:
            url = url.replace("{theme}", str(_theme(app, made.public_id)))
    if any(f"{{{name}}}" in url for name in ("record", "record_id", "quote")):
        from tests.record_fixtures import published_record

        record = published_record(app)
        url = url.replace("{record}", record.number).replace("{record_id}", str(record.record_id))
        url = url.replace("{quote}", str(record.quote_id))
    if "{recommendation" in url:
        from tests.record_fixtures import published_recommendation

        rec_id, number = published_recommendation(app)
        url = url.replace("{recommendation}", number)
        url = url.replace("{recommendation_id}", str(rec_id))
    return url


def _theme(app, public_id: str) -> int:  # type: ignore[no-untyped-def]
    from consultations.models import Theme

    with app.app_context():
        consultation = consultations.get(db.session, public_id)
        theme = Theme(consultation_id=consultation.id, name="Route theme")
        db.session.add(theme)
        db.session.commit()
        theme_id = theme.id
        db.session.remove()
    return theme_id
