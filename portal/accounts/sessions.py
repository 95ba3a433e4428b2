"""Server-side sessions: the cookie holds a random token, the database its hash (DESIGN §4.5).

- A new token at every sign-in and at the second factor (no fixation); the old cookie content,
  CSRF token included, is dropped.
- Idle timeout 30 minutes, absolute 12 hours; a half-signed-in ("pending") session lives five
  minutes and reaches only the code page and public pages.
- Sign-out and quick exit delete the row, so a copy of the cookie is worthless afterwards.
- Every time it holds is to the minute (created, last seen, confirmed, expiry): a session row
  must not say to the second when someone signed in or acted.
- `last_seen_at` is the one write a GET makes, in its own short transaction taken before the
  request's own, so it never holds the request up or waits on it. A ballot makes none at all
  (`without_bookkeeping`): on PostgreSQL its transaction id would sit right before the
  ballots', pairing the voter with the ballot written next.
- Flask-Login's `login_user()` is never called: it would hash the client's address and agent
  into the cookie. Flask-Login only answers `current_user`, through `load_signed_in`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeVar

from flask import current_app, g, request, session
from flask_login import UserMixin
from sqlalchemy import delete, select, update

from consultations.models import Member
from portal import clock
from portal.accounts.models import AuthSession
from portal.accounts.models.auth_session import Stage
from portal.extensions import db, reading, writing
from portal.security import tokens

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
PENDING_TIMEOUT = timedelta(minutes=5)
FRESH_FOR = timedelta(minutes=5)
COOKIE_KEY = "token"
_QUIET = "kenes_without_bookkeeping"

View = TypeVar("View", bound=Callable[..., object])


def without_bookkeeping(view: View) -> View:
    """Mark a view whose request must write nothing but its own work: its session is read,
    never touched (the ballot POST)."""
    setattr(view, _QUIET, True)
    return view


def quiet_request() -> bool:
    """Whether this request's view was marked `without_bookkeeping`."""
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, _QUIET, False))


def _to_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


@dataclass(frozen=True)
class SessionState:
    """What the request knows of its session, read in the short transaction."""

    id: int
    member_id: int
    stage: str
    confirmed_at: datetime
    previous_visit_on: date | None

    @property
    def pending(self) -> bool:
        return self.stage == Stage.PENDING

    def is_fresh(self, moment: datetime) -> bool:
        return moment - self.confirmed_at <= FRESH_FOR


class SignedIn(UserMixin):
    """What `current_user` is for a signed-in member: the member, and their session."""

    def __init__(self, member: Member, state: SessionState) -> None:
        self.member = member
        self.state = state

    def get_id(self) -> str:
        return str(self.member.id)

    @property
    def is_staff(self) -> bool:
        return self.member.is_staff

    @property
    def is_admin(self) -> bool:
        return self.member.is_admin


def _expired(row: AuthSession, moment: datetime) -> bool:
    if moment >= row.expires_at:
        return True
    if row.stage == Stage.PENDING:
        return moment >= row.created_at + PENDING_TIMEOUT
    return moment >= row.last_seen_at + IDLE_TIMEOUT + timedelta(minutes=1)


def current() -> SessionState | None:
    """The request's session, if the cookie names a live one. Cached for the request."""
    if "kenes_session" in g:
        return g.kenes_session
    state = None
    token = session.get(COOKIE_KEY)
    if isinstance(token, str) and token:
        state = _look_up_and_touch(tokens.token_hash(token), clock.now(), touch=not quiet_request())
        if state is None:
            # Expired or ended elsewhere: forget the token (and its CSRF token with it).
            session.clear()
    g.kenes_session = state
    return state


def _look_up_and_touch(token_hash: str, moment: datetime, *, touch: bool) -> SessionState | None:
    if reading():
        # A request that only reads: looked up without the write lock, in the request's own
        # transaction and with the member in the same statement (the page's query bound counts
        # it); the last-seen minute, when it is due, in a short writing transaction of its own.
        state, due = _read_with_member(token_hash, moment)
        if state is not None and touch and due:
            with writing(), db.engine.begin() as connection:
                _touch(connection, state.id, moment)
        return state
    if db.session().in_transaction():
        # Only if something read the database before the session was asked for: then the
        # touch rides on the request's own transaction rather than wait for its lock.
        return _read_and_touch(db.session.connection(), token_hash, moment, touch=touch)
    with db.engine.begin() as connection:
        return _read_and_touch(connection, token_hash, moment, touch=touch)


def _read(connection, token_hash: str, moment: datetime) -> tuple[SessionState | None, bool]:  # type: ignore[no-untyped-def]
    """The live session the token names (None if none), and whether its last-seen minute is
    behind `moment`'s."""
    table = AuthSession.__table__
    row = connection.execute(select(table).where(table.c.token_hash == token_hash)).first()
    return _state_of(row, moment)


def _read_with_member(token_hash: str, moment: datetime) -> tuple[SessionState | None, bool]:
    """`_read` through the ORM session, joined with the session's member: the member is then in
    the identity map, and `load_signed_in` asks nothing more (one statement, not two)."""
    row = db.session.execute(
        select(AuthSession.__table__, Member)
        .outerjoin(Member, Member.id == AuthSession.member_id)
        .where(AuthSession.token_hash == token_hash)
    ).first()
    if row is not None and row.Member is not None:
        # The identity map holds its objects weakly: kept here for `load_signed_in`.
        g.kenes_session_member = row.Member
    return _state_of(row, moment)


def _state_of(row, moment: datetime) -> tuple[SessionState | None, bool]:  # type: ignore[no-untyped-def]
    if row is None:
        return None, False
    loaded = AuthSession(**{c.name: row._mapping[c] for c in AuthSession.__table__.columns})
    if _expired(loaded, moment):
        # Refused, not deleted: a GET changes nothing but last_seen; `retention purge`
        # removes expired rows.
        return None, False
    state = SessionState(
        loaded.id, loaded.member_id, loaded.stage, loaded.confirmed_at, loaded.previous_visit_on
    )
    return state, loaded.last_seen_at < _to_minute(moment)


def _touch(connection, session_id: int, moment: datetime) -> None:  # type: ignore[no-untyped-def]
    table = AuthSession.__table__
    minute = _to_minute(moment)
    connection.execute(
        update(table)
        .where(table.c.id == session_id, table.c.last_seen_at < minute)
        .values(last_seen_at=minute)
    )


def _read_and_touch(  # type: ignore[no-untyped-def]
    connection, token_hash: str, moment: datetime, *, touch: bool
) -> SessionState | None:
    state, due = _read(connection, token_hash, moment)
    if state is not None and touch and due:
        _touch(connection, state.id, moment)
    return state


def load_signed_in(_request: object) -> SignedIn | None:
    """Flask-Login's request_loader: a fully signed-in, enabled member, or nobody."""
    state = current()
    if state is None or state.pending:
        return None
    member = g.pop("kenes_session_member", None) or db.session.get(Member, state.member_id)
    if member is None or member.disabled:
        return None
    return SignedIn(member, state)


def begin(member: Member, *, pending: bool, previous_visit_on: date | None) -> str:
    """Start a session with a new token; drop whatever the cookie held before."""
    moment = _to_minute(clock.now())
    token = tokens.new_session_token()
    db.session.add(
        AuthSession(
            token_hash=tokens.token_hash(token),
            member_id=member.id,
            stage=Stage.PENDING if pending else Stage.FULL,
            created_at=moment,
            last_seen_at=moment,
            expires_at=moment + (PENDING_TIMEOUT if pending else ABSOLUTE_TIMEOUT),
            confirmed_at=moment,
            previous_visit_on=previous_visit_on,
        )
    )
    db.session.flush()
    session.clear()
    session[COOKIE_KEY] = token
    g.pop("kenes_session", None)
    return token


def promote(member: Member, *, previous_visit_on: date | None) -> None:
    """The second factor is proven: replace the pending session with a full one (new token)."""
    end_current()
    begin(member, pending=False, previous_visit_on=previous_visit_on)


def confirm_passphrase(state: SessionState) -> None:
    """The member typed their passphrase again: sensitive actions are open for five minutes."""
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.id == state.id)
        .values(confirmed_at=_to_minute(clock.now()))
    )
    g.pop("kenes_session", None)


def end_current() -> None:
    """Sign out: delete the row, so a copy of the cookie is refused from now on."""
    token = session.get(COOKIE_KEY)
    if isinstance(token, str) and token:
        db.session.execute(
            delete(AuthSession).where(AuthSession.token_hash == tokens.token_hash(token))
        )
    session.clear()
    g.pop("kenes_session", None)


def end_all(member_id: int, *, except_current: bool) -> int:
    """End the member's sessions (all, or all but this one); returns how many ended."""
    query = delete(AuthSession).where(AuthSession.member_id == member_id)
    state = current()
    if except_current and state is not None:
        query = query.where(AuthSession.id != state.id)
    return db.session.execute(query).rowcount or 0


def count_for(member_id: int) -> int:
    moment = clock.now()
    rows = db.session.scalars(select(AuthSession).where(AuthSession.member_id == member_id))
    return sum(1 for row in rows if not _expired(row, moment))


def purge_expired(moment: datetime) -> int:
    """Delete every expired session row (the `retention purge` command)."""
    rows = list(db.session.scalars(select(AuthSession)))
    expired = [row.id for row in rows if _expired(row, moment)]
    if expired:
        db.session.execute(delete(AuthSession).where(AuthSession.id.in_(expired)))
    return len(expired)
