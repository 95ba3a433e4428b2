"""What an admin does to someone's account — disable, enable, change the role — as flows with
their consequences in one place, not in the view (issue 10): the change, the end of the
account's sessions, and the audit line. The view confirms the admin's passphrase, calls one of
these, and commits.
"""

from __future__ import annotations

from datetime import datetime

from consultations.models import Member, Role
from consultations.services import audit, members
from portal.accounts import sessions
from portal.extensions import db


def set_disabled(actor: Member, member: Member, disabled: bool, *, now: datetime) -> None:
    """Disable or enable the account. Disabling ends all of its sessions at once. Raises
    NotAllowed when it may not change (the domain says when)."""
    members.set_disabled(db.session, member, disabled, now=now)
    if disabled:
        sessions.end_all(member.id, except_current=False)
    audit.record(
        db.session,
        actor=actor,
        action="member.disable" if disabled else "member.enable",
        target=f"member:{member.id}",
        now=now,
    )


def change_role(actor: Member, member: Member, role: Role, *, now: datetime) -> None:
    """Change the role. A change of power ends the account's sessions, so it signs in again
    under the new role (an admin changing their own keeps the session they are using)."""
    members.set_role(db.session, member, role, now=now)
    sessions.end_all(member.id, except_current=member.id == actor.id)
    audit.record(
        db.session,
        actor=actor,
        action=f"member.role.{role.value}",
        target=f"member:{member.id}",
        now=now,
    )
