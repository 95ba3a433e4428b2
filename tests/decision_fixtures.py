"""Decisions for tests: one of any kind in a published consultation, and ballots cast through
the real page."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from consultations.models import DecisionKind, Member, Option, Role
from consultations.services import consultations, decisions
from portal.extensions import db
from tests.consultation_fixtures import open_consultation
from tests.factories import csrf_token_from, make_member

OPTIONS = {
    DecisionKind.PROPOSAL: [],
    DecisionKind.SINGLE: ["Mobile groups", "Social workers", "Police"],
    DecisionKind.MULTIPLE: ["Shelter", "Lawyer", "Interpreter", "Doctor"],
    DecisionKind.RANKED: ["Plan A", "Plan B", "Plan C", "Plan D"],
}


_NUMBERS = itertools.count(1)


@dataclass(frozen=True)
class MadeDecision:
    consultation: str  # public ids, as in URLs
    decision: str
    decision_id: int  # the database id, which ballot keys are made from
    staff_id: int

    @property
    def url(self) -> str:
        return f"/consultations/{self.consultation}/decisions/{self.decision}"

    @property
    def ballot_url(self) -> str:
        return f"{self.url}/ballot"

    @property
    def staff_url(self) -> str:
        return f"/staff/consultations/{self.consultation}/decisions/{self.decision}"


def open_decision(
    app,
    kind: DecisionKind = DecisionKind.SINGLE,
    *,
    options: list[str] | None = None,
    max_choices: int | None = None,
    quorum: int | None = None,
    live_results: bool = False,
    min_ballots: int = 1,
    opens_in: timedelta = timedelta(hours=-1),
    closes_in: timedelta = timedelta(days=7),
    consultation: str | None = None,
) -> MadeDecision:
    """A decision in a published consultation (a new one unless `consultation` is given)."""
    if consultation is None:
        consultation = open_consultation(app, with_comment=False).public_id
    staff = make_member(app, f"Decision Staff {next(_NUMBERS)}", role=Role.STAFF)
    with app.app_context():
        now = app.extensions["kenes.clock"].now()
        made = decisions.create(
            db.session,
            consultations.get(db.session, consultation),
            decisions.DecisionDetails(
                question=f"Who should make the first contact? ({kind})",
                explanation="Think of **the child's** safety first.",
                kind=kind,
                options=OPTIONS[kind] if options is None else options,
                max_choices=max_choices
                if max_choices is not None
                else (2 if kind == DecisionKind.MULTIPLE else None),
                opens_at=now + opens_in,
                closes_at=now + closes_in,
                quorum=quorum,
                live_results=live_results,
                min_ballots=min_ballots,
            ),
            actor=db.session.get(Member, staff.id),
            now=now,
        )
        db.session.commit()
        result = MadeDecision(consultation, made.public_id, made.id, staff.id)
        db.session.remove()
    return result


def paper_from(body: str) -> str:
    """The ballot paper's fingerprint in a page's ballot form, as a browser sends it back."""
    marker = 'name="paper" value="'
    if marker not in body:
        return ""
    start = body.index(marker) + len(marker)
    return body[start : body.index('"', start)]


def vote(client, made: MadeDecision, *choices: int, ranks: dict[int, int] | None = None):  # type: ignore[no-untyped-def]
    """Cast a ballot through the form, as a browser without JavaScript would."""
    page = client.get(made.url)
    data: dict[str, object] = {
        "csrf_token": csrf_token_from(page) if page.status_code == 200 else ""
    }
    if paper := paper_from(page.get_data(as_text=True)):
        data["paper"] = paper
    if ranks is not None:
        data |= {f"rank-{position}": str(rank) for position, rank in ranks.items()}
    else:
        data["choice"] = [str(choice) for choice in choices]
    return client.post(made.ballot_url, data=data)


def option_labels(app, made: MadeDecision) -> list[str]:
    """The decision's options as they stand, in ballot-paper order."""
    with app.app_context():
        labels = list(
            db.session.scalars(
                select(Option.label)
                .where(Option.decision_id == made.decision_id)
                .order_by(Option.position)
            )
        )
        db.session.remove()
    return labels
