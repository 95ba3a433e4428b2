"""The vocabulary of the route × role table: roles, expected answers, the Route row.

Kept apart from the table itself so that row modules of other areas can use it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("anonymous", "pending", "member", "staff_unenrolled", "staff", "admin", "disabled")


def same(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def expect(**statuses: int) -> dict[str, int]:
    missing = set(ROLES) - set(statuses)
    assert not missing, f"undeclared roles: {missing}"
    return statuses


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    url: str
    expect: dict[str, int]
    # Form data for POST examples (the CSRF token is added by the tests that need one).
    data: dict[str, str] = field(default_factory=dict)


# Pages outside the member area: open to all, but a half-signed-in session is sent to its
# code page, and staff without two-factor to enrolment.
OPEN_FORM = expect(
    anonymous=200, pending=303, member=200, staff_unenrolled=303, staff=200, admin=200, disabled=200
)
OPEN_FORM_POSTED = expect(
    anonymous=400, pending=303, member=400, staff_unenrolled=303, staff=400, admin=400, disabled=400
)
# The member's own pages.
ACCOUNT = expect(
    anonymous=302, pending=303, member=200, staff_unenrolled=303, staff=200, admin=200, disabled=302
)
ACCOUNT_REFUSED = expect(
    anonymous=302, pending=303, member=400, staff_unenrolled=303, staff=400, admin=400, disabled=302
)
ACCOUNT_DONE = expect(
    anonymous=302, pending=303, member=303, staff_unenrolled=303, staff=303, admin=303, disabled=302
)
NOT_YOURS = expect(
    anonymous=302, pending=303, member=404, staff_unenrolled=303, staff=404, admin=404, disabled=302
)
# What members do and staff do not (staff facilitate): replying to a comment.
MEMBERS_ONLY = expect(
    anonymous=302, pending=303, member=200, staff_unenrolled=303, staff=404, admin=404, disabled=302
)
# A ballot: members vote; staff facilitate and are refused (403) with a message.
VOTE = expect(
    anonymous=302, pending=303, member=303, staff_unenrolled=303, staff=403, admin=403, disabled=302
)
# Staff pages: members get a 404, as if there were none.
STAFF = expect(
    anonymous=302, pending=303, member=404, staff_unenrolled=303, staff=200, admin=200, disabled=302
)
STAFF_DONE = expect(
    anonymous=302, pending=303, member=404, staff_unenrolled=303, staff=303, admin=303, disabled=302
)
ADMIN_DONE = expect(
    anonymous=302, pending=303, member=404, staff_unenrolled=303, staff=404, admin=303, disabled=302
)
# A staff form sent with what the form refuses: said so on the page, with a 400.
STAFF_REFUSED = expect(
    anonymous=302, pending=303, member=404, staff_unenrolled=303, staff=400, admin=400, disabled=302
)
