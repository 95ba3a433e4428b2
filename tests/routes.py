"""The route × role table: for every endpoint of the app, what each role gets.

One row per (endpoint, method). `url` is an example address (placeholders `{member}` and
`{invite}` name a member account and an invitation made for the test); `expect` maps each role to
the status it must receive. A route without a row fails `test_routes.py`, so no endpoint ships
without someone deciding who may use it. Every issue adds its rows.

Roles: anonymous; pending (passphrase given, second factor due); member; staff_unenrolled (staff
without two-factor); staff; admin; disabled (a signed-in member whose account was then disabled).
302 is Flask-Login sending an anonymous visitor to the sign-in page; 303 our own redirects (to
the code page, the enrolment page, or after a POST); 404 an area that does not admit it exists.
"""

from __future__ import annotations

import itertools

from tests.route_roles import (  # noqa: F401 — re-exported for the tests
    ACCOUNT,
    ACCOUNT_DONE,
    ACCOUNT_REFUSED,
    ADMIN_DONE,
    MEMBERS_ONLY,
    NOT_YOURS,
    OPEN_FORM,
    OPEN_FORM_POSTED,
    ROLES,
    STAFF,
    STAFF_DONE,
    VOTE,
    Route,
    expect,
    same,
)
from tests.routes_records import RECORD_ROUTES
from tests.routes_staff_consultations import STAFF_CONSULTATION_ROUTES

ROUTES: tuple[Route, ...] = (
    # Public pages.
    Route("public.home", "GET", "/", same(200)),
    Route("public.about", "GET", "/about", same(200)),
    Route("public.privacy", "GET", "/privacy", same(200)),
    Route("public.safety", "GET", "/safety", same(200)),
    Route("public.healthz", "GET", "/healthz", same(200)),
    Route("public.switch_language", "GET", "/lang/ru?next=/about", same(303)),
    Route("public.quick_exit", "POST", "/quick-exit", same(303)),
    Route("search.index", "GET", "/search?q=referral", same(200)),
    Route("static", "GET", "/static/css/kenes.css", same(200)),
    # Joining and signing in.
    Route("auth.register", "GET", "/auth/register", OPEN_FORM),
    Route("auth.register", "POST", "/auth/register", OPEN_FORM_POSTED),
    Route("auth.login", "GET", "/auth/login", OPEN_FORM),
    Route("auth.login", "POST", "/auth/login", OPEN_FORM_POSTED),
    Route("auth.reset", "GET", "/auth/reset", OPEN_FORM),
    Route("auth.reset", "POST", "/auth/reset", OPEN_FORM_POSTED),
    Route(
        "auth.two_factor",
        "GET",
        "/auth/two-factor",
        expect(
            anonymous=303,
            pending=200,
            member=303,
            staff_unenrolled=303,
            staff=303,
            admin=303,
            disabled=303,
        ),
    ),
    Route(
        "auth.two_factor",
        "POST",
        "/auth/two-factor",
        expect(
            anonymous=303,
            pending=400,
            member=303,
            staff_unenrolled=303,
            staff=303,
            admin=303,
            disabled=303,
        ),
    ),
    Route("auth.logout", "POST", "/auth/logout", same(303)),
    # The member's own account.
    Route("account.index", "GET", "/account", ACCOUNT),
    Route("account.pseudonym", "GET", "/account/pseudonym", ACCOUNT),
    Route("account.pseudonym", "POST", "/account/pseudonym", ACCOUNT_REFUSED),
    Route("account.passphrase", "GET", "/account/passphrase", ACCOUNT),
    Route("account.passphrase", "POST", "/account/passphrase", ACCOUNT_REFUSED),
    Route("account.language", "POST", "/account/language", ACCOUNT_DONE, {"locale": "ru"}),
    Route(
        "account.two_factor",
        "GET",
        "/account/two-factor",
        expect(
            anonymous=302,
            pending=303,
            member=200,
            staff_unenrolled=200,
            staff=200,
            admin=200,
            disabled=302,
        ),
    ),
    # Without a secret being set up there is nothing to confirm: back to the page.
    Route(
        "account.two_factor",
        "POST",
        "/account/two-factor",
        expect(
            anonymous=302,
            pending=303,
            member=303,
            staff_unenrolled=303,
            staff=200,
            admin=200,
            disabled=302,
        ),
    ),
    Route(
        "account.start_two_factor",
        "POST",
        "/account/two-factor/start",
        expect(
            anonymous=302,
            pending=303,
            member=303,
            staff_unenrolled=303,
            staff=303,
            admin=303,
            disabled=302,
        ),
    ),
    Route("account.disable_two_factor", "POST", "/account/two-factor/disable", ACCOUNT_DONE),
    Route(
        "account.recovery_codes",
        "POST",
        "/account/two-factor/recovery-codes",
        expect(
            anonymous=302,
            pending=303,
            member=400,
            staff_unenrolled=303,
            staff=200,
            admin=200,
            disabled=302,
        ),
    ),
    Route("account.end_other_sessions", "POST", "/account/sessions/end-others", ACCOUNT_DONE),
    Route("account.export", "GET", "/account/export", ACCOUNT),
    Route("account.export", "POST", "/account/export", ACCOUNT),
    Route("account.delete", "GET", "/account/delete", ACCOUNT),
    Route("account.delete", "POST", "/account/delete", ACCOUNT_REFUSED),
    # Staff.
    # Consultations, as members read them.
    Route("consultations.index", "GET", "/consultations", ACCOUNT),
    Route("consultations.outcomes", "GET", "/consultations/outcomes", ACCOUNT),
    Route("consultations.show", "GET", "/consultations/{consultation}", ACCOUNT),
    Route("consultations.changes", "GET", "/consultations/{consultation}/changes", ACCOUNT),
    Route(
        "consultations.section", "GET", "/consultations/{consultation}/sections/referral", ACCOUNT
    ),
    Route(
        "consultations.add_comment",
        "POST",
        "/consultations/{consultation}/comments",
        ACCOUNT_REFUSED,
    ),
    Route(
        "consultations.reply",
        "GET",
        "/consultations/{consultation}/comments/{comment}/reply",
        MEMBERS_ONLY,
    ),
    # Someone else's comment: nobody may edit or delete it, and it is a 404, not a 403.
    Route(
        "consultations.edit_comment",
        "GET",
        "/consultations/{consultation}/comments/{comment}/edit",
        NOT_YOURS,
    ),
    Route(
        "consultations.edit_comment",
        "POST",
        "/consultations/{consultation}/comments/{comment}/edit",
        NOT_YOURS,
    ),
    Route(
        "consultations.delete_comment",
        "GET",
        "/consultations/{consultation}/comments/{comment}/delete",
        NOT_YOURS,
    ),
    Route(
        "consultations.delete_comment",
        "POST",
        "/consultations/{consultation}/comments/{comment}/delete",
        NOT_YOURS,
    ),
    Route(
        "consultations.report_comment",
        "GET",
        "/consultations/{consultation}/comments/{comment}/report",
        ACCOUNT,
    ),
    Route(
        "consultations.report_comment",
        "POST",
        "/consultations/{consultation}/comments/{comment}/report",
        ACCOUNT_REFUSED,
    ),
    # Decisions and secret ballots.
    Route("decisions.show", "GET", "/consultations/{consultation}/decisions/{decision}", ACCOUNT),
    Route(
        "decisions.vote",
        "POST",
        "/consultations/{consultation}/decisions/{decision}/ballot",
        VOTE,
        {"choice": "0"},
    ),
    Route("staff_accounts.index", "GET", "/staff", STAFF_DONE),
    Route("staff_accounts.invites", "GET", "/staff/invites", STAFF),
    Route(
        "staff_accounts.create_invites",
        "POST",
        "/staff/invites",
        STAFF,
        {"role": "member", "count": "1", "days": "14"},
    ),
    Route("staff_accounts.revoke_invite", "POST", "/staff/invites/{invite}/revoke", STAFF_DONE),
    Route("staff_accounts.member_list", "GET", "/staff/members", STAFF),
    Route("staff_accounts.reset_code", "POST", "/staff/members/{member}/reset-code", STAFF),
    Route("staff_accounts.disable", "POST", "/staff/members/{member}/disable", ADMIN_DONE),
    Route("staff_accounts.enable", "POST", "/staff/members/{member}/enable", ADMIN_DONE),
    Route(
        "staff_accounts.change_role",
        "POST",
        "/staff/members/{member}/role",
        ADMIN_DONE,
        {"role": "member"},
    ),
)


ROUTES = ROUTES + STAFF_CONSULTATION_ROUTES + RECORD_ROUTES


def routes_for(method: str) -> list[Route]:
    return [route for route in ROUTES if route.method == method]


_TARGETS = itertools.count(1)


def example_url(app, route: Route) -> str:  # type: ignore[no-untyped-def]
    """The route's URL with its placeholders filled by a member and an invite made now."""
    from consultations.models import Role
    from portal.accounts import credentials
    from portal.extensions import db
    from tests.consultation_fixtures import fill
    from tests.factories import make_member

    url = fill(app, route.url)
    if "{member}" in url:
        name = f"Target {next(_TARGETS)}"
        url = url.replace("{member}", str(make_member(app, name).id))
    if "{invite}" in url:
        with app.app_context():
            issued = credentials.issue_invites(
                db.session,
                role=Role.MEMBER,
                count=1,
                days=14,
                issued_by=None,
                now=app.extensions["kenes.clock"].now(),
            )
            db.session.commit()
            url = url.replace("{invite}", str(issued[0].invite.id))
            db.session.remove()
    return url
