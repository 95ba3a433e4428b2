"""Who may do what: predicates used by views and templates alike, so a button is never shown
for an action the server refuses (STYLE: permissions). `member` is None for an anonymous
visitor. Objects a role may not see answer 404 in the views (checklist 24).
"""

from __future__ import annotations

from datetime import datetime

from consultations.models import (
    Comment,
    CommentStatus,
    Consultation,
    Decision,
    DecisionStatus,
    Member,
    Role,
    Status,
)


def is_staff(member: Member | None) -> bool:
    return member is not None and member.is_staff and not member.disabled


def can_view(member: Member | None, consultation: Consultation, now: datetime) -> bool:
    """Members see published consultations (upcoming, open, closed); staff see drafts too."""
    if member is None or member.disabled:
        return False
    if is_staff(member):
        return True
    return consultation.status(now) != Status.DRAFT


def can_comment(member: Member | None, consultation: Consultation, now: datetime) -> bool:
    """Members comment while a consultation is open; staff moderate rather than take part."""
    return (
        member is not None
        and not member.disabled
        and not member.is_staff
        and consultation.status(now) == Status.OPEN
    )


def can_edit(
    member: Member | None, comment: Comment, consultation: Consultation, now: datetime
) -> bool:
    """Authors edit or delete their own comment while the consultation is open."""
    return (
        member is not None
        and comment.author_id == member.id
        and comment.meeting_id is None
        and comment.status in (CommentStatus.PENDING, CommentStatus.VISIBLE)
        and consultation.status(now) == Status.OPEN
    )


def can_see_comment(member: Member | None, comment: Comment) -> bool:
    """Visible to all readers; pending and hidden ones to their author and staff."""
    if comment.status == CommentStatus.VISIBLE:
        return True
    if comment.status in (CommentStatus.PENDING, CommentStatus.HIDDEN):
        return is_staff(member) or (member is not None and comment.author_id == member.id)
    return False


def can_report(member: Member | None, comment: Comment) -> bool:
    return (
        member is not None
        and not member.disabled
        and comment.author_id != member.id
        and comment.status == CommentStatus.VISIBLE
    )


def can_moderate(member: Member | None) -> bool:
    return is_staff(member)


def shows_author(viewer: Member | None, comment: Comment) -> bool:
    """The pseudonym is shown only when its author chose so — to staff as to everyone.

    A moderator handling a report sees the author through the audited moderation view, never
    here.
    """
    return comment.show_pseudonym and comment.author_id is not None and not comment.former_member


def can_vote(
    member: Member | None, consultation: Consultation, decision: Decision, now: datetime
) -> bool:
    """Members with the `member` role vote while a decision is open, in a published
    consultation — including those who joined after it opened. Staff facilitate; they do not
    vote."""
    return (
        member is not None
        and not member.disabled
        and member.role == Role.MEMBER
        and consultation.published
        and decision.status(now) == DecisionStatus.OPEN
    )


def can_see_results(
    member: Member | None, decision: Decision, now: datetime, *, voted: bool
) -> bool:
    """Results stay hidden until the decision closes — from staff too. A decision may show live
    results to members once they have voted (Loomio's rule); staff still see only the count."""
    if member is None or member.disabled:
        return False
    if decision.status(now) == DecisionStatus.CLOSED:
        return True
    return (
        decision.live_results
        and voted
        and member.role == Role.MEMBER
        and decision.status(now) == DecisionStatus.OPEN
    )


def enough_ballots(decision: Decision, ballots: int) -> bool:
    """Counts are shown only from the decision's minimum number of ballots, live or final:
    in a small group, a count of two tells each voter the other's choice."""
    return ballots >= decision.min_ballots


def can_issue_reset_code(actor: Member | None, target: Member) -> bool:
    """Staff hand reset codes to members; a reset also turns two-factor off, so for a staff or
    admin account only an admin may issue one. The staff page and its POST ask this alike."""
    if not is_staff(actor) or actor is None or actor.disabled:
        return False
    return not target.is_staff or actor.is_admin


def can_see_ballot_count(member: Member | None) -> bool:
    """Staff follow how many have voted while a decision is open: the number, not the choices."""
    return is_staff(member)
