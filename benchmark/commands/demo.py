"""`benchmark demo seed`: a realistic fictional network for trying the service and benchmarks."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext


@click.group("demo")
def demo() -> None:
    """Demo data."""


@demo.command("seed")
@click.option("--cities", type=click.IntRange(1, 100_000), default=135, show_default=True,
              help="Cities in the network; the mix of statuses and rounds stays in proportion.")
@click.option("--seed", "seed_", type=int, default=42, show_default=True,
              help="Random seed: the same seed gives the same network.")
@click.option("--if-empty", is_flag=True,
              help="Do nothing when the database already has any city (used by `make run`).")
@with_appcontext
def seed(cities: int, seed_: int, if_empty: bool) -> None:
    """Create the demo network and its users (idempotent: an existing one is left alone)."""
    from benchmark.demo import accounts as demo_accounts
    from benchmark.demo import seeding as service

    if sys.stdout.isatty():
        with click.progressbar(length=cities, label="Seeding the demo network") as bar:
            result = service.seed(cities, seed_, if_empty=if_empty, progress=bar.update)
    else:
        result = service.seed(cities, seed_, if_empty=if_empty)
    for line in result.lines():
        click.echo(line)
    if result.created and not if_empty:  # with --if-empty (make run), run.py prints them
        for line in demo_accounts.login_hints():
            click.echo(line)


commands = [demo]
