"""Joining, signing in and out, the second factor, and reset codes (`/auth/…`)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from consultations.errors import PseudonymTaken
from consultations.models import Member
from consultations.pseudonyms import PseudonymError, suggestions
from consultations.services import members
from portal import clock
from portal.accounts import credentials, sessions
from portal.accounts.credentials import AccountError
from portal.accounts.forms import CodeForm, RegisterForm, ResetForm, SignInForm
from portal.accounts.messages import account_message, pseudonym_message
from portal.extensions import db
from portal.i18n import asked_for_by_this_device, is_local_path
from portal.security.headers import CLEAR_SITE_DATA
from portal.security.passphrase_words import suggest_passphrase

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _locale() -> str:
    return str(get_locale() or "kk")


def _next_url(default: str) -> str:
    target = request.args.get("next", "")
    return target if is_local_path(target) else default


def _home_for(member) -> str:  # type: ignore[no-untyped-def]
    if member.is_staff and not credentials.two_factor_enabled(db.session, member):
        return url_for("account.two_factor")
    return url_for("account.index")


@bp.route("/register", methods=["GET", "POST"])
def register() -> str | Response | tuple[str, int]:
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            member = credentials.register(
                db.session,
                invite_code=form.invite_code.data,
                pseudonym=form.pseudonym.data,
                passphrase=form.passphrase.data,
                locale=_locale(),
                now=clock.now(),
            )
        except AccountError as error:
            field = form.invite_code if error.code == "invite_invalid" else form.passphrase
            field.errors.append(account_message(error.code))
        except PseudonymError as error:
            form.pseudonym.errors.append(pseudonym_message(error))
        except PseudonymTaken:
            form.pseudonym.errors.append(account_message("pseudonym_taken"))
        else:
            sessions.begin(member, pending=False, previous_visit_on=None)
            db.session.commit()
            flash(_("Welcome to Kenes. Your account is ready."), "success")
            return redirect(_home_for(member), code=303)
        db.session.rollback()
    status = 400 if form.is_submitted() else 200
    return render_template(
        "auth/register.html",
        form=form,
        pseudonym_ideas=suggestions(_locale(), 3),
        passphrase_idea=suggest_passphrase(_locale()),
    ), status


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    form = SignInForm()
    error = None
    if form.validate_on_submit():
        try:
            result = credentials.sign_in(
                db.session,
                pseudonym=form.pseudonym.data,
                passphrase=form.passphrase.data,
                now=clock.now(),
            )
        except AccountError as failure:
            error = account_message(failure.code, failure.wait)
            # Failures are counted by the throttle: keep them even though the sign-in failed.
            db.session.commit()
        else:
            member = result.member
            # The visit counts once the member is fully signed in, not at the passphrase alone.
            previous = None
            if not result.needs_second_factor:
                previous = _fully_signed_in(member)
            sessions.begin(member, pending=result.needs_second_factor, previous_visit_on=previous)
            db.session.commit()
            if result.needs_second_factor:
                # The page asked for survives the code page, if it is one of ours.
                return redirect(url_for(".two_factor", next=_next_url("") or None), code=303)
            return redirect(_next_url(_home_for(member)), code=303)
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form, error=error), status


def _fully_signed_in(member: Member) -> date | None:
    """The visit is recorded, and the site goes on speaking the language of the page they
    signed in on — the one they last chose with the switch, or their browser's — rather than
    one saved long ago (issue 11, item 11); a device that asks for none keeps the saved one.
    Returns the previous visit's day."""
    if (asked := asked_for_by_this_device()) is not None:
        members.set_locale(member, asked)
    return members.record_visit(db.session, member, clock.now().date())


@bp.route("/two-factor", methods=["GET", "POST"])
def two_factor() -> str | Response | tuple[str, int]:
    state = sessions.current()
    if state is None or not state.pending:
        return redirect(url_for(".login"), code=303)
    member = members.get(db.session, state.member_id)
    form = CodeForm()
    if form.validate_on_submit():
        try:
            credentials.second_factor(db.session, member, form.code.data, clock.now())
        except AccountError as failure:
            form.code.errors.append(account_message(failure.code, failure.wait))
            db.session.commit()  # keep the throttle's count
        else:
            previous = _fully_signed_in(member)
            sessions.promote(member, previous_visit_on=previous)
            db.session.commit()
            return redirect(_next_url(_home_for(member)), code=303)
    status = 400 if form.is_submitted() else 200
    return render_template("auth/two_factor.html", form=form), status


@bp.post("/logout")
def logout() -> Response:
    sessions.end_current()
    db.session.commit()
    response = redirect(url_for("public.home"), code=303)
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@bp.route("/reset", methods=["GET", "POST"])
def reset() -> str | Response | tuple[str, int]:
    form = ResetForm()
    error = None
    if form.validate_on_submit():
        try:
            member = credentials.redeem_reset_code(
                db.session,
                pseudonym=form.pseudonym.data,
                code=form.reset_code.data,
                new_passphrase=form.passphrase.data,
                now=clock.now(),
            )
        except AccountError as failure:
            if failure.code.startswith("passphrase_"):
                db.session.rollback()
                form.passphrase.errors.append(account_message(failure.code))
            else:
                error = account_message(failure.code, failure.wait)
                db.session.commit()  # keep the throttle's count
        else:
            sessions.end_all(member.id, except_current=False)
            db.session.commit()
            sessions.end_current()
            flash(
                _(
                    "Your passphrase is changed. Sign in with it now. Two-factor sign-in is "
                    "off: you can turn it on again on your account page."
                ),
                "success",
            )
            return redirect(url_for(".login"), code=303)
    status = 400 if form.is_submitted() else 200
    return render_template(
        "auth/reset.html", form=form, error=error, passphrase_idea=suggest_passphrase(_locale())
    ), status
