"""The `benchmark` command group (a FlaskGroup on create_app)."""

from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from benchmark.commands._guard import database_problem, fail, guard
from benchmark.config import ConfigError


def _make_app() -> Flask:
    from benchmark.app import create_app

    try:
        return create_app()
    except ConfigError as err:
        click.echo(f"benchmark: configuration error: {err}", err=True)
        sys.exit(2)


@click.group(cls=FlaskGroup, create_app=_make_app, add_default_commands=True,
             add_version_option=False)
def main() -> None:
    """City Benchmark: intercultural-policy self-assessment and benchmarking."""


# Flask's own commands (db, run, shell) get the same one-line error policy as ours.
guard(main)


@click.command("init")
@with_appcontext
def init_command() -> None:
    """Create or upgrade the database, then import the questionnaires."""
    from benchmark.infra import health, setup

    try:
        summary = setup.initialise()
    except SQLAlchemyError as err:
        fail(database_problem(err))
    writable, detail = health.check_database_writable()
    if not writable:  # nothing needed writing, but the service will: say so now
        fail(f"the database is {detail}; the service cannot save anything: check the "
             "database file's permissions (and its folder's) or the database user's rights")
    for line in summary:
        click.echo(line)


def register_commands(app: Flask) -> None:
    """Attach every command group to the app's CLI."""
    from benchmark.commands import guard, register_all

    app.cli.add_command(guard(init_command))

    register_all(app)
