"""The application factory: settings, extensions, blueprints, command line, error pages."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, request, session
from flask.logging import default_handler
from flask_babel import lazy_gettext as _l
from jinja2 import StrictUndefined

from consultations.drafts import Change
from consultations.models import (
    Action,
    CommentStatus,
    DecisionKind,
    DecisionStatus,
    ProposalAnswer,
    Role,
    Status,
)
from consultations.models.comment import MAX_COMMENT_CHARS
from consultations.services import reading
from portal import housekeeping, searching
from portal.accounts import sessions
from portal.accounts.credentials import InviteState
from portal.clock import make_clock
from portal.config import Settings, load_settings
from portal.extensions import (
    babel,
    configure_sqlite,
    csrf,
    db,
    done_before_rendering,
    login_manager,
    migrate,
    reads_only,
    settle_traces,
    traces_to_clear,
    watch_removals,
)
from portal.i18n import (
    LANGUAGE_NAMES,
    LOCALES,
    each_in_reader_language,
    in_reader_language,
    select_locale,
)
from portal.security import fingerprint, headers, padding, passwords, privacy, sanitize
from portal.security.ballots import BallotKeys
from portal.security.passwords import Passphrases
from portal.web.consultations import fragments
from portal.web.fields import almaty, day
from portal.web.names import (
    PRIORITY_NAMES,
    PROPOSAL_NAMES,
    RECOMMENDATION_STATUS_NAMES,
    REGION_NAMES,
    STANCE_NAMES,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Pages under these prefixes are for signed-in people (or lead there): never cached.
PRIVATE_PREFIXES = ("/auth", "/account", "/staff", "/consultations")


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the Kenes website.

    `test_config` may hold `KENES_*` settings (read as if from the environment, over it) and
    plain Flask config keys (applied last).
    """
    test_config = dict(test_config or {})
    environ = {**os.environ, **{k: v for k, v in test_config.items() if k.startswith("KENES_")}}
    settings = load_settings(environ, PROJECT_ROOT / "instance")

    # The instance folder holds the SQLite database and development secrets: owner only.
    settings.instance_path.mkdir(mode=0o700, parents=True, exist_ok=True)
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(settings.instance_path),
        instance_relative_config=False,
    )
    app.config.from_mapping(settings.flask_config())
    app.config.update({k: v for k, v in test_config.items() if not k.startswith("KENES_")})
    app.extensions["kenes.clock"] = make_clock(settings.test_clock_file)

    # Nothing after this line can see a client's address or agent.
    app.wsgi_app = privacy.ScrubClientIdentity(app.wsgi_app)  # type: ignore[method-assign]
    default_handler.addFilter(privacy.RedactingFilter())
    privacy.install_log_filter((app.name,))

    _harden_jinja(app, settings)
    # A consultation page's part all readers see alike, kept per worker (issue 15).
    fragments.install(app)
    _init_extensions(app, settings)
    _register_template_filters(app)
    _register_blueprints(app)
    app.extensions["kenes.parts"] = _member_data_parts()
    _register_error_pages(app)
    _register_cli(app)
    app.extensions["kenes.csp"] = headers.content_security_policy(settings.quick_exit_url)
    app.after_request(_security_headers)
    return app


def _register_template_filters(app: Flask) -> None:
    """Every template filter, named here: a page must not depend on which blueprint happened
    to register one. Flask-Babel's date filters (abbreviated months) are taken away, so dates
    are written one way (`portal.web.fields`)."""
    for babel_filter in ("datetimeformat", "dateformat", "timeformat", "timedeltaformat"):
        app.jinja_env.filters.pop(babel_filter, None)
    app.jinja_env.filters["almaty"] = almaty
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["brief"] = reading.brief


def _harden_jinja(app: Flask, settings: Settings) -> None:
    # Templates never need the config, and a template injection must not reach the secrets.
    app.jinja_env.globals.pop("config", None)
    app.jinja_env.globals["here"] = _here
    # The one way a template shows staff Markdown: rendered and cleaned in portal.security.
    app.jinja_env.globals["markdown"] = sanitize.render_markdown
    app.jinja_env.globals["rendered_diff"] = sanitize.render_diff
    # Pages that show a member's ballot are the same length whatever the choice.
    app.jinja_env.globals["same_length"] = padding.same_length
    app.jinja_env.globals["mark"] = padding.mark
    app.jinja_env.globals["padding_for"] = padding.padding_for
    app.jinja_env.globals.update(
        stance_names=STANCE_NAMES,
        recommendation_status_names=RECOMMENDATION_STATUS_NAMES,
        priority_names=PRIORITY_NAMES,
        proposal_names=PROPOSAL_NAMES,
        region_names=REGION_NAMES,
    )
    app.jinja_env.globals["max_comment_chars"] = MAX_COMMENT_CHARS
    # A title, question or option in the reader's language, or the main one (with its `lang`).
    app.jinja_env.globals["shown"] = in_reader_language
    app.jinja_env.globals["shown_each"] = each_in_reader_language
    app.jinja_env.globals["language_names"] = LANGUAGE_NAMES
    app.jinja_env.globals["locales"] = LOCALES
    # The domain's enums, so templates compare members, never raw strings.
    app.jinja_env.globals.update(
        Change=Change,
        CommentStatus=CommentStatus,
        InviteState=InviteState,
        ConsultationStatus=Status,
        DecisionKind=DecisionKind,
        DecisionStatus=DecisionStatus,
        ProposalAnswer=ProposalAnswer,
        OutboxAction=Action,
        Role=Role,
    )
    # {% trans %} blocks fold their whitespace, so a re-wrapped paragraph keeps its msgid.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    if settings.env == "testing":
        app.jinja_env.undefined = StrictUndefined

    @app.context_processor
    def _page_context() -> dict[str, Any]:
        return {
            "current_locale": select_locale(),
            "quick_exit_url": settings.quick_exit_url,
            # Quick exit can only end a session that exists; anonymous visitors get a link, so
            # public pages never create a session just to carry a CSRF token.
            "has_session": bool(session),
        }


def _here() -> str:
    """This page's local path and query, for links that come back here (language switch)."""
    query = request.query_string.decode("latin-1")
    return f"{request.path}?{query}" if query else request.path


def _init_extensions(app: Flask, settings: Settings) -> None:
    db.init_app(app)
    # First of the request hooks: a GET's transactions take no write lock (issue 15).
    reads_only(app)
    done_before_rendering(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    # Flask-Login's session protection hashes the client's address and agent into the session:
    # Kenes never stores either, and its own server-side sessions replace it. login_user() is
    # never called; the request loader reads our session token.
    login_manager.session_protection = None
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.request_loader(sessions.load_signed_in)

    # argon2id: the real cost everywhere but in tests, where hashing is made cheap on purpose.
    app.extensions["kenes.ballot_keys"] = BallotKeys(settings.ballot_secret)
    app.extensions["kenes.passphrases"] = Passphrases(
        passwords.TESTING if settings.env == "testing" else passwords.PRODUCTION
    )

    with app.app_context():
        configure_sqlite(db.engine)
        try:
            app.extensions["kenes.traces"] = traces_to_clear(db.engine, Path(app.instance_path))
            fingerprint.check_or_record(
                db.session, fingerprint.BALLOT_SECRET, settings.ballot_secret
            )
            db.session.commit()
        except BaseException:
            # The app will not start: leave no connection open behind it.
            db.session.rollback()
            db.session.remove()
            db.engine.dispose()
            raise
        db.session.remove()
    # What a commit deleted or overwrote leaves the SQLite log at once (DESIGN §4.6).
    watch_removals()
    app.teardown_appcontext(settle_traces)
    # The search index, and its catch-up right after a redaction or a withdrawal.
    searching.init_app(app, settings)
    # Expired sessions and the like go without a timer, at most hourly (portal.housekeeping).
    app.after_request(housekeeping.run_if_due)


def _register_blueprints(app: Flask) -> None:
    """The website's rooms, one package per feature in `portal/web/` (docs/architecture.md). A
    new feature adds its blueprints here; its URL prefix says what it serves."""
    from portal.accounts import account, guard, views
    from portal.web.api import views as api
    from portal.web.consultations import staff as staff_consultations
    from portal.web.consultations import views as consultations
    from portal.web.decisions import staff as staff_decisions
    from portal.web.decisions import views as decisions
    from portal.web.feedback import views as feedback
    from portal.web.feeds import views as feeds
    from portal.web.ids import DatabaseId
    from portal.web.moderation import views as moderation
    from portal.web.public import views as public
    from portal.web.recommendations import staff as staff_recommendations
    from portal.web.recommendations import views as recommendations
    from portal.web.records import staff as staff_records
    from portal.web.records import views as records
    from portal.web.search import views as search
    from portal.web.staff_accounts import views as staff_accounts

    # Before any route is added: every <int:…> is an id in the range the database stores.
    app.url_map.converters["int"] = DatabaseId

    guard.register(app)
    for blueprint in (
        public.bp,  # /
        views.bp,  # /auth
        account.bp,  # /account
        consultations.bp,  # /consultations
        decisions.bp,  # /consultations/<id>/decisions
        records.bp,  # /records
        recommendations.bp,  # /recommendations
        search.bp,  # /search
        feeds.bp,  # /feeds
        api.bp,  # /api/v1
        staff_accounts.bp,  # /staff, /staff/invites, /staff/members
        staff_consultations.bp,  # /staff/consultations
        staff_decisions.bp,  # /staff/consultations/<id>/decisions
        feedback.bp,  # /staff/consultations/<id>/feedback
        moderation.bp,  # /staff/moderation
        staff_records.bp,  # /staff/records
        staff_recommendations.bp,  # /staff/recommendations
    ):
        app.register_blueprint(blueprint)


def _member_data_parts():  # type: ignore[no-untyped-def]
    """Every part of a member's data, for the export and the erasure (DESIGN §4.7): the
    domain's and the website's. A new feature that stores a member's data adds its part here."""
    from consultations.services import ballots, member_data
    from portal.accounts import credentials
    from portal.web.decisions import views as decisions

    return (
        *member_data.domain_parts(),
        member_data.Part("sign_in", exporter=credentials.export_sign_in),
        member_data.Part(
            "ballots", exporter=decisions.export_ballots, eraser=ballots.leave_counted
        ),
    )


def _register_error_pages(app: Flask) -> None:
    from portal.web import errors

    errors.register(app)


def _register_cli(app: Flask) -> None:
    from portal import cli

    cli.register(app)


def _security_headers(response):  # type: ignore[no-untyped-def]
    from flask import current_app

    settings: Settings = current_app.config["KENES"]
    private = bool(session) or request.path.startswith(PRIVATE_PREFIXES)
    return headers.apply_security_headers(
        response,
        production=settings.production,
        private=private,
        policy=current_app.extensions["kenes.csp"],
    )
