"""`benchmark scores recompute`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("scores")
def scores() -> None:
    """Cached scores and network statistics."""


@scores.command("recompute")
@with_appcontext
def recompute() -> None:
    """Rebuild cached scores and network averages; report differences found."""
    from benchmark.services import scores as service

    count, differences = service.recompute_all()
    for d in differences:
        click.echo(f"assessment {d.assessment_id} {d.dimension_id}: stored {d.stored} → {d.computed}")
    click.echo(f"recomputed {count} assessments; {len(differences)} difference(s) corrected")


commands = [scores]
