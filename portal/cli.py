"""`flask --app wsgi …` commands. Each command commits once, at its end, like a request."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from portal.extensions import db

demo = AppGroup("demo", help="Demonstration content (development only).")


@demo.command("seed")
@click.option("--if-empty", is_flag=True, help="Do nothing if the demo was seeded before.")
def demo_seed(if_empty: bool) -> None:
    """Fill a development database with demonstration content."""
    settings = current_app.config["KENES"]
    if settings.env != "development":
        raise click.ClickException("demo seed runs only with KENES_ENV=development")
    from portal import demo as demo_content

    seeded = demo_content.seed(db.session, only_if_empty=if_empty)
    db.session.commit()
    click.echo(seeded)


def register(app: Flask) -> None:
    app.cli.add_command(demo)
