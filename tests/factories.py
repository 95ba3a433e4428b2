"""Making accounts and comments, and signing in, through the real flows where it matters.

`make_member` writes a member and credential directly (fast, for tests about something else);
`write_comment` writes a comment through the comments service with the usual defaults;
`sign_in` goes through `/auth/login` and `/auth/two-factor` like a person, so every test that
needs a signed-in client exercises the real session machinery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from sqlalchemy.orm import Session

from consultations.models import Comment, Consultation, Member, Role, Stance
from consultations.services import comments, members
from portal.accounts import credentials
from portal.extensions import db
from portal.security import totp

PASSPHRASE = "lantern orchard pebble meadow whistle"
NEW_PASSPHRASE_FOR_TESTS = "copper lantern drifting willow seven"


@dataclass
class Account:
    id: int
    pseudonym: str
    passphrase: str
    role: str
    totp_secret: str | None = None

    def code(self, clock, offset_steps: int = 0) -> str:  # type: ignore[no-untyped-def]
        moment = clock.now() + timedelta(seconds=30 * offset_steps)
        return pyotp.TOTP(self.totp_secret).at(moment)


def make_member(
    app,
    pseudonym: str = "Quiet River",
    *,
    role: Role = Role.MEMBER,
    passphrase: str = PASSPHRASE,
    two_factor: bool = False,
    disabled: bool = False,
) -> Account:
    with app.app_context():
        now = app.extensions["kenes.clock"].now()
        secret = totp.new_secret() if two_factor else None
        member = credentials.create_account(
            db.session,
            pseudonym=pseudonym,
            role=role,
            locale="en",
            passphrase=passphrase,
            now=now,
            totp_secret=secret,
        )
        if disabled:
            members.set_disabled(db.session, member, True, now=now)
        db.session.commit()
        account = Account(member.id, member.pseudonym, passphrase, role, secret)
        db.session.remove()
    return account


def csrf_token_from(response) -> str:  # type: ignore[no-untyped-def]
    """The page's CSRF token, or "" when the app runs with CSRF protection off."""
    body = response.get_data(as_text=True)
    for marker in (
        'id="csrf_token" name="csrf_token" type="hidden" value="',
        'name="csrf_token" type="hidden" value="',
        'name="csrf_token" value="',
    ):
        if marker in body:
            start = body.index(marker) + len(marker)
            return body[start : body.index('"', start)]
    return ""


def _post_login(client, account: Account):  # type: ignore[no-untyped-def]
    token = csrf_token_from(client.get("/auth/login"))
    return client.post(
        "/auth/login",
        data={
            "pseudonym": account.pseudonym,
            "passphrase": account.passphrase,
            "csrf_token": token,
        },
    )


def sign_in(client, account: Account, clock=None):  # type: ignore[no-untyped-def]
    """Sign in through the real pages (with CSRF tokens); returns the last response."""
    response = _post_login(client, account)
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    if account.totp_secret:
        assert response.headers["Location"].startswith("/auth/two-factor")
        token = csrf_token_from(client.get("/auth/two-factor"))
        response = client.post(
            "/auth/two-factor", data={"code": account.code(clock), "csrf_token": token}
        )
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    return response


def sign_in_pending(client, account: Account):  # type: ignore[no-untyped-def]
    """Passphrase accepted, second factor still due: a half-signed-in session."""
    response = _post_login(client, account)
    assert response.headers["Location"].startswith("/auth/two-factor")
    return response


def write_comment(
    session: Session,
    consultation: Consultation,
    author: Member,
    *,
    now: datetime,
    text: str = "A comment written for a test.",
    stance: Stance = Stance.OTHER,
    section_key: str | None = None,
    parent: Comment | None = None,
    show_pseudonym: bool = False,
    quotable: bool = False,
) -> Comment:
    """A comment as `comments.add` writes it (its rules apply: open consultation, daily limit);
    the caller commits or rolls back."""
    return comments.add(
        session,
        consultation,
        author=author,
        text=text,
        stance=stance,
        section_key=section_key,
        parent=parent,
        show_pseudonym=show_pseudonym,
        quotable=quotable,
        now=now,
    )
