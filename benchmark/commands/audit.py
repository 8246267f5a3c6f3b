"""`benchmark audit flush`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("audit")
def audit() -> None:
    """The audit log."""


@audit.command("flush")
@with_appcontext
def flush() -> None:
    """Move the spooled report downloads of this instance folder into the audit log."""
    from benchmark.services import audit_spool

    done = audit_spool.flush()
    click.echo(f"{done.rows} download(s) recorded"
               + (f"; {done.unreadable} unreadable line(s) recorded as such" if done.unreadable
                  else ""))


commands = [audit]
