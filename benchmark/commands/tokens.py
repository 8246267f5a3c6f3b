"""`benchmark token create`: an API token for a user, printed once."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("token")
def token() -> None:
    """API tokens."""


@token.command("create")
@click.option("--email", required=True, help="The user the token acts as.")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
@with_appcontext
def create(email: str, name: str) -> None:
    """Print a new API token for the user; it is alone on the last line and never shown again."""
    from benchmark.services import tokens

    row, secret = tokens.create_for_email(email, name)
    click.echo(f"API token {row.prefix}… for {row.user.email} ({name}); store it now, "
               "it cannot be shown again:", err=False)
    click.echo(secret)


commands = [token]
