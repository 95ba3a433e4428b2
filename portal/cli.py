"""`flask --app wsgi …` commands. Each command commits once, at its end, like a request."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from consultations.languages import LOCALES
from consultations.models import Role
from portal import clock
from portal.extensions import db

demo = AppGroup("demo", help="Demonstration content (development only).")


@demo.command("seed")
@click.option("--if-empty", is_flag=True, help="Do nothing if the demo was seeded before.")
def demo_seed(if_empty: bool) -> None:
    """Fill a development database with demonstration content."""
    settings = current_app.config["KENES"]
    if settings.env != "development":
        raise click.ClickException("demo seed runs only with KENES_ENV=development")
    from portal import ballot_box
    from portal import demo as demo_content

    lines = demo_content.seed(db.session, only_if_empty=if_empty, now=clock.now())
    db.session.commit()
    keys = current_app.extensions["kenes.ballot_keys"]
    for _ in demo_content.cast_ballots(db.session, lambda m: keys.for_token(m.ballot_token)):
        db.session.commit()  # one transaction per ballot, each cleared after (watch_removals)
    ballot_box.seal_due(clock.now())
    for line in lines:
        click.echo(line)


invites_cli = AppGroup("invites", help="Invitation codes.")
users_cli = AppGroup("users", help="Staff accounts and reset codes.")


@invites_cli.command("create")
@click.option("--role", type=click.Choice([Role.MEMBER.value, Role.STAFF.value]), default="member")
@click.option("--count", type=click.IntRange(1, 100), default=1)
@click.option("--days", type=click.IntRange(1, 90), default=14)
def invites_create(role: str, count: int, days: int) -> None:
    """Print new invitation codes, one per line (each works once)."""
    from consultations.models import Role
    from portal.accounts import credentials

    issued = credentials.issue_invites(
        db.session, role=Role(role), count=count, days=days, issued_by=None, now=clock.now()
    )
    db.session.commit()
    for item in issued:
        click.echo(item.code)


@users_cli.command("create-staff")
@click.argument("name")
@click.option("--admin", is_flag=True, help="An admin can disable accounts and change roles.")
@click.option(
    "--locale",
    type=click.Choice(list(LOCALES)),
    default=None,
    help="The account's language until its first sign-in (default: KENES_DEFAULT_LOCALE).",
)
def users_create_staff(name: str, admin: bool, locale: str | None) -> None:
    """Create a staff account; it must enrol two-factor sign-in before anything else.

    The name is checked first, so a bad or taken one is said before the passphrase is asked
    for. The passphrase is read from a prompt (or standard input), never from an argument,
    which would stay in the shell history and the process list. At each sign-in the account
    takes the language of the page it signed in on.
    """
    from flask_babel import force_locale

    from consultations import pseudonyms
    from consultations.errors import PseudonymTaken
    from consultations.models import Role
    from consultations.pseudonyms import PseudonymError
    from consultations.services import members
    from portal.accounts import credentials

    try:
        name = pseudonyms.validate(name)
        if not members.is_available(db.session, name):
            raise PseudonymTaken(name)
    except (PseudonymError, PseudonymTaken) as error:
        with force_locale("en"):
            raise click.ClickException(_cli_message(error)) from None
    passphrase = click.prompt("Passphrase (not shown)", hide_input=True, confirmation_prompt=True)
    try:
        credentials.check_passphrase(passphrase, name)
        member = credentials.create_account(
            db.session,
            pseudonym=name,
            role=Role.ADMIN if admin else Role.STAFF,
            locale=locale or current_app.config["KENES"].default_locale,
            passphrase=passphrase,
            now=clock.now(),
        )
    except (PseudonymError, PseudonymTaken, credentials.AccountError) as error:
        with force_locale("en"):
            raise click.ClickException(_cli_message(error)) from None
    db.session.commit()
    click.echo(
        f"Created {'admin' if admin else 'staff'} account {member.pseudonym!r}. "
        "It must enrol two-factor sign-in at its first sign-in."
    )


def _cli_message(error: Exception) -> str:
    from consultations.errors import PseudonymTaken
    from consultations.pseudonyms import PseudonymError
    from portal.accounts.messages import account_message, pseudonym_message

    if isinstance(error, PseudonymError):
        return pseudonym_message(error)
    if isinstance(error, PseudonymTaken):
        return account_message("pseudonym_taken")
    return account_message(getattr(error, "code", ""))


@users_cli.command("reset-code")
@click.argument("name")
def users_reset_code(name: str) -> None:
    """Print a one-time reset code for NAME (valid 24 hours; hand it over in person)."""
    from consultations.services import members
    from portal.accounts import credentials

    member = members.find_by_pseudonym(db.session, name)
    if member is None:
        raise click.ClickException("no account has that name")
    code = credentials.issue_reset_code(db.session, member, actor=None, now=clock.now())
    db.session.commit()
    click.echo(code)


retention_cli = AppGroup("retention", help="Removing what is no longer needed.")


@retention_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would go, and keep it.")
def retention_purge(dry_run: bool) -> None:
    """Delete expired sessions, spent throttle entries, expired reset codes and invitations
    expired for KENES_RETENTION_DAYS (the website also does it hourly: portal.housekeeping)."""
    from portal import housekeeping

    counts = housekeeping.purge(clock.now(), current_app.config["KENES"].retention_days)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "would be removed" if dry_run else "removed"
    for what, count in counts.items():
        click.echo(f"{what}: {count} {verb}")


ballots_cli = AppGroup("ballots", help="The ballot box.")


@ballots_cli.command("seal")
def ballots_seal() -> None:
    """Seal the decisions that closed by the clock: their ballots are rewritten in key order
    and the table compacted, so storage keeps no trace of the order of voting. Run it from a
    timer every few minutes (README, Deployment); running it again does no harm."""
    from portal import ballot_box

    sealed = ballot_box.seal_due(clock.now())
    click.echo(f"decisions sealed: {len(sealed)}")


search_cli = AppGroup("search", help="The search index (docs/search.md).")


@search_cli.command("reindex")
def search_reindex() -> None:
    """Rebuild the index from the database alone, in a new directory swapped in at the end;
    searches go on meanwhile, from the old one."""
    from portal import searching

    shown = 0
    bar: Any = None

    def progress(done: int, total: int) -> None:
        nonlocal bar, shown
        if bar is None:
            bar = click.progressbar(
                length=total, label="Indexing", show_pos=True, show_percent=True, show_eta=True
            )
            bar.__enter__()
        bar.update(done - shown)
        shown = done

    try:
        directory = searching.index().rebuild(db.session, clock.now(), progress=progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
        db.session.rollback()
    click.echo(f"Indexed {shown} records and recommendations into {directory}")


@search_cli.command("status")
def search_status() -> None:
    """Documents in the index, its position in the outbox, and how far behind it is."""
    from portal import searching

    status = searching.index().status(db.session, clock.now())
    db.session.rollback()
    behind = (
        f"{status.lag} outbox row(s) not applied, the oldest from "
        f"{status.oldest_unapplied:%Y-%m-%d %H:%M:%S} UTC"
        if status.oldest_unapplied
        else "nothing (every outbox row is applied)"
    )
    click.echo(f"directory: {status.directory}")
    click.echo(f"documents: {status.documents}")
    click.echo(f"position:  {status.position} (gaps remembered: {status.gaps})")
    click.echo(f"behind:    {behind}")


def register(app: Flask) -> None:
    app.cli.add_command(demo)
    app.cli.add_command(invites_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(ballots_cli)
    app.cli.add_command(search_cli)
