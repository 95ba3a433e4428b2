"""Housekeeping that needs no timer (issue 9, item 6).

Expired sessions hold a member id and the minute they signed in; spent throttle rows, expired
reset codes and long-expired invitations are of no use to anyone. Nothing should keep them, and
`make run` has no timer to run `flask retention purge`. So after a POST that succeeded, at most
once an hour per host, the website deletes them itself and seals the decisions that closed by
the clock (`ballot_box.seal_due`). The last run's time, by the site's clock, is kept in the
instance folder. The commands `flask retention purge` and `flask ballots seal` do the same
from a timer.

What is deleted, and when:
- sessions: once expired (idle 30 minutes, or 12 hours after sign-in);
- throttle rows: once they no longer slow anyone (ten minutes after the last wait ended);
- reset codes: once expired (24 hours);
- invitations never used: `KENES_RETENTION_DAYS` after they expired or were revoked, so staff
  can still see a code lapse; a used one was deleted when it was used.
The ballot POST never runs it: its request writes the ballots and nothing else.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from flask import Response, current_app, request
from sqlalchemy import delete
from sqlalchemy.exc import SQLAlchemyError

from portal import clock
from portal.extensions import db

EVERY = timedelta(hours=1)
_LAST_RUN = "housekeeping-last-run"


def purge(now: datetime, retention_days: int) -> dict[str, int]:
    """Delete what has expired (flushes; the caller commits). Returns counts by kind."""
    from portal.accounts import sessions
    from portal.accounts.models import Invite, ResetCode
    from portal.security import throttle

    kept_until = now - timedelta(days=retention_days)
    return {
        "sessions": sessions.purge_expired(now),
        "throttle entries": throttle.purge(db.session, now),
        "reset codes": db.session.execute(
            delete(ResetCode).where(ResetCode.expires_at <= now)
        ).rowcount
        or 0,
        "invitations": db.session.execute(
            delete(Invite).where(Invite.expires_at <= kept_until)
        ).rowcount
        or 0,
    }


def run_if_due(response: Response) -> Response:
    """After a POST that succeeded: purge and seal, if the last run is an hour old. A refused
    POST (CSRF, a form error) changes nothing, housekeeping included (checklist 22)."""
    if request.method != "POST" or response.status_code >= 400:
        return response
    from portal.accounts import sessions

    if sessions.quiet_request():
        return response
    settings = current_app.config["KENES"]
    now = clock.now()
    marker = Path(settings.instance_path) / _LAST_RUN
    if not _due(marker, now):
        return response
    marker.write_text(now.isoformat(), encoding="ascii")
    from portal import ballot_box

    db.session.remove()  # whatever the request left is not ours to commit
    try:
        purge(now, settings.retention_days)
        db.session.commit()
        ballot_box.seal_due(now)
    except (SQLAlchemyError, OSError):
        # The member's request has succeeded; housekeeping tries again in an hour.
        db.session.rollback()
        current_app.logger.warning("housekeeping failed; it will run again", exc_info=True)
    return response


def _due(marker: Path, now: datetime) -> bool:
    try:
        last = datetime.fromisoformat(marker.read_text(encoding="ascii").strip())
    except (FileNotFoundError, ValueError):
        return True
    return now - last >= EVERY or last > now
