"""`benchmark user create`: create a user, or update an existing user's role, city and password."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from benchmark.cli import fail
from benchmark.models import ROLES


@click.group("user")
def user() -> None:
    """User accounts."""


@user.command("create")
@click.option("--email", required=True, help="The user's email address (their login).")
@click.option("--role", required=True, type=click.Choice(ROLES),
              help="admin, staff, focal_point or contributor.")
@click.option("--city", "city_slug", default=None, help="City slug (focal points and contributors).")
@click.option("--name", default=None, help="Display name.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input.")
@with_appcontext
def create(email: str, role: str, city_slug: str | None, name: str | None,
           password_stdin: bool) -> None:
    """Create the user, or update the role, city (and password) of an existing one.

    Without --password-stdin the account has no password yet: its owner sets one with
    "Forgot your password?" on the login page.
    """
    from benchmark.services import users

    password = None
    if password_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            fail("--password-stdin: standard input held no password")
    account, created = users.upsert_user(email, role, city_slug=city_slug, password=password,
                                            name=name)
    where = f" in {account.city.slug}" if account.city else ""
    click.echo(f"{'created' if created else 'updated'} user {account.email} ({account.role}{where})")


commands = [user]
