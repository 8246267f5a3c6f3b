"""`benchmark export --format csv|xlsx --out FILE [--version V]`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--version", default=None, help="only this questionnaire edition")
@with_appcontext
def export(fmt: str, out: Path, version: str | None) -> None:
    """Export every answer (csv) or every index (xlsx)."""
    from benchmark.authz import SYSTEM
    from benchmark.services import exports

    if fmt == "csv":
        with out.open("w", encoding="utf-8", newline="") as handle:
            handle.writelines(exports.answers_csv(SYSTEM, version))  # streamed, flat memory
    else:
        out.write_bytes(exports.scores_xlsx(SYSTEM, version))
    click.echo(f"{out}: written")


commands = [export]
