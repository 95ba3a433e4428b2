"""Staff pages (`/staff/…`): invites and the people who have accounts.

Staff issue invites and reset codes; admins also disable, enable and change roles. Each such
action writes an audit line. Staff never see or set a passphrase.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from consultations import permissions
from consultations.errors import NotAllowed
from consultations.models import Member, Role
from consultations.services import members
from portal import clock
from portal.accounts import credentials, management
from portal.accounts.confirm import confirmed, needs_confirmation
from portal.accounts.forms import AccountActionForm, ConfirmForm, InviteForm, RoleForm
from portal.accounts.messages import account_message
from portal.accounts.models import Invite
from portal.extensions import db
from portal.web.guards import or_404, staff_area

bp = Blueprint("staff_accounts", __name__, url_prefix="/staff")


staff_area(bp)


def admin_only(view):  # type: ignore[no-untyped-def]
    @wraps(view)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not current_user.is_admin:
            abort(404)
        return view(*args, **kwargs)

    return wrapper


def _target(member_id: int) -> Member:
    return or_404(members.get, db.session, member_id)


@bp.get("")
def index() -> Response:
    return redirect(url_for(".invites"), code=303)


@bp.get("/invites")
def invites() -> str:
    return _invites_page(InviteForm())


def _invites_page(form: InviteForm, status: int = 200):  # type: ignore[no-untyped-def]
    now = clock.now()
    rows = db.session.scalars(select(Invite).order_by(Invite.created_at.desc()).limit(200))
    listed = [(invite, credentials.invite_status(invite, now)) for invite in rows]
    return render_template("staff/accounts/invites.html", form=form, invites=listed), status


@bp.post("/invites")
def create_invites() -> str | tuple[str, int]:
    form = InviteForm()
    if not form.validate_on_submit():
        return _invites_page(form, 400)
    issued = credentials.issue_invites(
        db.session,
        role=Role(form.role.data),
        count=int(form.count.data),
        days=int(form.days.data),
        issued_by=current_user.member,
        now=clock.now(),
    )
    db.session.commit()
    # The codes exist only in this response: print or copy them now.
    return render_template(
        "staff/accounts/invite_slips.html", issued=issued, site=request.host_url.rstrip("/")
    )


@bp.post("/invites/<int:invite_id>/revoke")
def revoke_invite(invite_id: int) -> Response:
    invite = db.session.get(Invite, invite_id) or abort(404)
    try:
        credentials.revoke_invite(db.session, invite, actor=current_user.member, now=clock.now())
    except credentials.AccountError as error:
        flash(account_message(error.code), "error")
    else:
        db.session.commit()
        flash(_("The invitation is revoked."), "success")
    return redirect(url_for(".invites"), code=303)


@bp.get("/members")
def member_list() -> str:
    return _members_page(RoleForm())


def _members_page(form: ConfirmForm, status: int = 200):  # type: ignore[no-untyped-def]
    return render_template(
        "staff/accounts/members.html",
        people=members.staff_and_members(db.session),
        form=form,
        permissions=permissions,
        needs_confirmation=needs_confirmation(),
    ), status


@bp.post("/members/<int:member_id>/reset-code")
def reset_code(member_id: int):  # type: ignore[no-untyped-def]
    member = _target(member_id)
    if not permissions.can_issue_reset_code(current_user.member, member):
        abort(404)
    # A reset code opens someone else's account: the staff member proves it is them (issue 9).
    form = AccountActionForm()
    if not (form.validate_on_submit() and confirmed(form)):
        return _members_page(form, 400)
    code = credentials.issue_reset_code(
        db.session, member, actor=current_user.member, now=clock.now()
    )
    db.session.commit()
    return render_template("staff/accounts/reset_code.html", person=member, code=code)


@bp.post("/members/<int:member_id>/disable")
@admin_only
def disable(member_id: int):  # type: ignore[no-untyped-def]
    return _set_disabled(_target(member_id), True)


@bp.post("/members/<int:member_id>/enable")
@admin_only
def enable(member_id: int):  # type: ignore[no-untyped-def]
    return _set_disabled(_target(member_id), False)


def _set_disabled(member: Member, disabled: bool):  # type: ignore[no-untyped-def]
    form = AccountActionForm()
    if not (form.validate_on_submit() and confirmed(form)):
        return _members_page(form, 400)
    try:
        management.set_disabled(current_user.member, member, disabled, now=clock.now())
    except NotAllowed:
        flash(account_message("not_allowed"), "error")
        return redirect(url_for(".member_list"), code=303)
    db.session.commit()
    flash(_("The account is disabled.") if disabled else _("The account is enabled."), "success")
    return redirect(url_for(".member_list"), code=303)


@bp.post("/members/<int:member_id>/role")
@admin_only
def change_role(member_id: int):  # type: ignore[no-untyped-def]
    member = _target(member_id)
    form = RoleForm()
    if not (form.validate_on_submit() and confirmed(form)):
        return _members_page(form, 400)
    try:
        management.change_role(current_user.member, member, Role(form.role.data), now=clock.now())
    except NotAllowed:
        flash(account_message("not_allowed"), "error")
        return redirect(url_for(".member_list"), code=303)
    db.session.commit()
    flash(_("The role is changed."), "success")
    return redirect(url_for(".member_list"), code=303)
