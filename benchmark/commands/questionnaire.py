"""`benchmark questionnaire validate|import|list`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from benchmark.cli import fail


@click.group("questionnaire")
def questionnaire() -> None:
    """Questionnaire editions: check, publish and list them."""


@questionnaire.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check files; every problem is printed as path:line: message."""
    from benchmark.questionnaire.errors import QuestionnaireError
    from benchmark.questionnaire.loader import load_file

    known = {}
    problems = 0
    # Earlier editions first, so that `previous:` mappings can be checked.
    for path in sorted(paths, key=lambda p: p.name):
        try:
            edition = load_file(path, known=known)
        except QuestionnaireError as err:
            for problem in err.problems:
                click.echo(str(problem), err=True)
            problems += len(err.problems)
            continue
        known[edition.version] = edition
        click.echo(f"{path}: ok (edition {edition.version}, {len(edition.scored_questions)} questions, "
                   f"{len(edition.dimensions)} dimensions)")
    if problems:
        fail(f"{problems} problem(s) found")


@questionnaire.command("import")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_(paths: tuple[Path, ...]) -> None:
    """Import files (default: questionnaires/*.yaml); a changed published edition is refused."""
    from benchmark.services import questionnaires

    for line in questionnaires.import_files(list(paths) or None):
        click.echo(line)


@questionnaire.command("list")
@with_appcontext
def list_() -> None:
    """One line per edition: version, questions, dimensions, checksum."""
    from benchmark.services import questionnaires

    editions = questionnaires.list_editions()
    if not editions:
        click.echo("no editions imported yet: run `benchmark questionnaire import`")
    for e in editions:
        click.echo(f"{e.version}\t{e.questions} questions\t{e.dimensions} dimensions\t{e.checksum}"
                   f"\t{e.assessments} assessments")


commands = [questionnaire]
