"""A member's own account (`/account/…`): language, name, passphrase, two-factor, sessions,
export and deletion. Sensitive changes need the passphrase typed within the last five minutes.
"""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from consultations.errors import PseudonymTaken
from consultations.pseudonyms import PseudonymError
from consultations.services import member_data, members
from portal import clock
from portal.accounts import credentials, sessions
from portal.accounts.confirm import confirmed, needs_confirmation
from portal.accounts.credentials import AccountError
from portal.accounts.forms import (
    ConfirmForm,
    DeleteForm,
    EnrolForm,
    LanguageForm,
    PassphraseForm,
    PseudonymForm,
)
from portal.accounts.messages import account_message, pseudonym_message
from portal.extensions import db
from portal.i18n import LANGUAGE_COOKIE, LOCALES
from portal.security import totp
from portal.security.headers import CLEAR_SITE_DATA

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.before_request
@login_required
def _signed_in_only() -> None:
    """Every page here is the signed-in member's own."""


def _member():  # type: ignore[no-untyped-def]
    return current_user.member


def _page(template: str, form, status: int = 200, **context):  # type: ignore[no-untyped-def]
    return render_template(
        template, form=form, needs_confirmation=needs_confirmation(), **context
    ), status


@bp.get("")
def index() -> str:
    member = _member()
    return render_template(
        "account/index.html",
        member=member,
        language_form=LanguageForm(locale=member.locale),
        sessions_form=ConfirmForm(),
        two_factor=credentials.two_factor_enabled(db.session, member),
        recovery_left=credentials.recovery_codes_left(db.session, member),
        session_count=sessions.count_for(member.id),
    )


@bp.post("/language")
def language() -> Response:
    form = LanguageForm()
    if form.validate_on_submit():
        members.set_locale(_member(), form.locale.data)
        db.session.commit()
    response = redirect(url_for(".index"), code=303)
    if form.locale.data in LOCALES:
        response.set_cookie(
            LANGUAGE_COOKIE,
            form.locale.data,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=_secure_cookies(),
        )
    return response


def _secure_cookies() -> bool:
    return bool(current_app.config["SESSION_COOKIE_SECURE"])


@bp.route("/pseudonym", methods=["GET", "POST"])
def pseudonym() -> Response | tuple[str, int]:
    form = PseudonymForm()
    if form.validate_on_submit() and confirmed(form):
        try:
            members.rename(db.session, _member(), form.pseudonym.data)
        except PseudonymError as error:
            form.pseudonym.errors.append(pseudonym_message(error))
        except PseudonymTaken:
            form.pseudonym.errors.append(account_message("pseudonym_taken"))
        else:
            db.session.commit()
            flash(_("Your name on Kenes is changed."), "success")
            return redirect(url_for(".index"), code=303)
        db.session.rollback()
    return _page("account/pseudonym.html", form, 400 if form.is_submitted() else 200)


@bp.route("/passphrase", methods=["GET", "POST"])
def passphrase() -> Response | tuple[str, int]:
    from flask_babel import get_locale

    from portal.security.passphrase_words import suggest_passphrase

    form = PassphraseForm()
    if form.validate_on_submit() and confirmed(form):
        try:
            credentials.change_passphrase(db.session, _member(), form.passphrase.data)
        except AccountError as error:
            db.session.rollback()
            form.passphrase.errors.append(account_message(error.code))
        else:
            ended = sessions.end_all(_member().id, except_current=True)
            db.session.commit()
            flash(
                _("Your passphrase is changed.")
                + " "
                + _("Other sessions ended: %(count)d.", count=ended),
                "success",
            )
            return redirect(url_for(".index"), code=303)
    return _page(
        "account/passphrase.html",
        form,
        400 if form.is_submitted() else 200,
        passphrase_idea=suggest_passphrase(str(get_locale() or "kk")),
    )


@bp.route("/two-factor", methods=["GET", "POST"])
def two_factor() -> Response | tuple[str, int]:
    member = _member()
    if credentials.two_factor_enabled(db.session, member):
        return _page(
            "account/two_factor_on.html",
            ConfirmForm(),
            recovery_left=credentials.recovery_codes_left(db.session, member),
        )
    secret = credentials.pending_secret(db.session, member)
    if secret is None:
        # Nothing is written on a GET: the secret is made by the "Set up" button (a POST).
        if request.method == "POST":
            return redirect(url_for(".two_factor"), code=303)
        return _page("account/two_factor_start.html", ConfirmForm())
    form = EnrolForm()
    if form.validate_on_submit() and confirmed(form):
        try:
            codes = credentials.confirm_enrolment(db.session, member, form.code.data, clock.now())
        except AccountError as error:
            form.code.errors.append(account_message(error.code))
        else:
            sessions.end_all(member.id, except_current=True)
            db.session.commit()
            return _page("account/recovery_codes.html", form, codes=codes)
    uri = totp.provisioning_uri(secret)
    return _page(
        "account/two_factor_enrol.html",
        form,
        400 if form.is_submitted() else 200,
        qr=totp.qr_svg(uri, label=_("QR code for your authenticator app")),
        secret=totp.format_secret(secret),
    )


@bp.post("/two-factor/start")
def start_two_factor() -> Response:
    """Make the secret to enrol with (kept until a code from it is confirmed)."""
    if not credentials.two_factor_enabled(db.session, _member()):
        credentials.start_enrolment(db.session, _member())
        db.session.commit()
    return redirect(url_for(".two_factor"), code=303)


@bp.post("/two-factor/disable")
def disable_two_factor() -> Response | tuple[str, int]:
    member = _member()
    form = ConfirmForm()
    if member.is_staff:
        flash(_("Staff accounts must keep two-factor sign-in on."), "error")
        return redirect(url_for(".two_factor"), code=303)
    if form.validate_on_submit() and confirmed(form):
        credentials.disable_two_factor(db.session, member)
        sessions.end_all(member.id, except_current=True)
        db.session.commit()
        flash(_("Two-factor sign-in is off."), "success")
        return redirect(url_for(".index"), code=303)
    return _page(
        "account/two_factor_on.html",
        form,
        400,
        recovery_left=credentials.recovery_codes_left(db.session, member),
    )


@bp.post("/two-factor/recovery-codes")
def recovery_codes() -> Response | tuple[str, int]:
    member = _member()
    form = ConfirmForm()
    if (
        form.validate_on_submit()
        and confirmed(form)
        and credentials.two_factor_enabled(db.session, member)
    ):
        codes = credentials.new_recovery_codes(db.session, member)
        db.session.commit()
        return _page("account/recovery_codes.html", form, codes=codes)
    return _page(
        "account/two_factor_on.html",
        form,
        400,
        recovery_left=credentials.recovery_codes_left(db.session, member),
    )


@bp.post("/sessions/end-others")
def end_other_sessions() -> Response:
    ended = sessions.end_all(_member().id, except_current=True)
    db.session.commit()
    flash(_("Other sessions ended: %(count)d.", count=ended), "success")
    return redirect(url_for(".index"), code=303)


@bp.route("/export", methods=["GET", "POST"])
def export() -> Response | tuple[str, int]:
    form = ConfirmForm()
    if form.validate_on_submit() and confirmed(form):
        data = member_data.export(db.session, _member(), current_app.extensions["kenes.parts"])
        db.session.commit()
        body = json.dumps({"kenes_export": 1, **data}, ensure_ascii=False, indent=2)
        response = Response(body, mimetype="application/json")
        # A neutral file name: a downloads folder must not say what the file is about.
        response.headers["Content-Disposition"] = 'attachment; filename="kenes-export.json"'
        return response
    return _page("account/export.html", form, 400 if form.is_submitted() else 200)


@bp.route("/delete", methods=["GET", "POST"])
def delete() -> Response | tuple[str, int]:
    form = DeleteForm()
    if form.validate_on_submit() and confirmed(form, always=True):
        member = _member()
        keep = form.comments.data == "keep"
        sessions.end_current()
        member_data.erase(
            db.session,
            member,
            current_app.extensions["kenes.parts"],
            keep_contributions=keep,
            now=clock.now(),
        )
        db.session.commit()  # secure_delete's zeroes reach the file at the checkpoint after
        # Clear-Site-Data takes the cookies, the language's too: the notice and the language
        # travel in the address (through the language switch, which sets its cookie again).
        # They name no one, only which of the two choices was made.
        farewell = url_for("public.home", farewell="kept" if keep else "erased")
        response = redirect(
            url_for("public.switch_language", code=str(get_locale()), next=farewell), code=303
        )
        response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
    status = 400 if form.is_submitted() else 200
    return render_template("account/delete.html", form=form, needs_confirmation=True), status
